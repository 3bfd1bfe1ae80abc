import { useCallback, useRef, useState } from 'react';

/**
 * A user action's request: `pending` while it runs, for its buttons to be disabled; starting it
 * again while it runs (a double-click) does nothing and gives `undefined`.
 */
export function useAction() {
  const [pending, setPending] = useState(false);
  const running = useRef(false);
  const run = useCallback(<T>(action: () => Promise<T>): Promise<T | undefined> => {
    if (running.current) return Promise.resolve(undefined);
    running.current = true;
    setPending(true);
    return action().finally(() => {
      running.current = false;
      setPending(false);
    });
  }, []);
  return { pending, run };
}
