import { useCallback, useEffect, useState } from 'react';
import { api } from './api.ts';

/** GETs a path and keeps the answer, the error and a reload; `null` path loads nothing. */
export function useApi<T>(path: string | null, refreshMs?: number) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    if (!path) return;
    let live = true;
    api<T>('GET', path)
      .then((d) => live && (setData(d), setError(null)))
      .catch((e: unknown) => live && setError(e as Error));
    return () => {
      live = false;
    };
  }, [path, tick]);
  useEffect(() => {
    if (!refreshMs) return;
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, reload]);
  return { data, error, reload };
}
