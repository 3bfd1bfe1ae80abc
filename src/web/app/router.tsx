import { useEffect, useState, type MouseEvent, type ReactNode } from 'react';

/** A small History-API router: the path is the page, `?` the page's own state. */

const listeners = new Set<() => void>();

export function navigate(to: string): void {
  if (to === location.pathname + location.search) return;
  history.pushState(null, '', to);
  for (const l of listeners) l();
  window.scrollTo(0, 0);
}

export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = () => setTick((n) => n + 1);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

export function Link({
  to,
  children,
  className,
  current,
  title,
}: {
  to: string;
  children: ReactNode;
  className?: string;
  current?: boolean;
  /** Shown on hover: e.g. the id of the entity the link names. */
  title?: string;
}) {
  const onClick = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a
      href={to}
      onClick={onClick}
      className={className}
      title={title}
      aria-current={current ? 'page' : undefined}
    >
      {children}
    </a>
  );
}
