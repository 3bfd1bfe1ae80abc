/**
 * The platform's HTTP API from the browser: JSON in and out with the session cookie, the CSRF
 * token and an Idempotency-Key on state-changing requests, and problem+json answers turned into
 * an ApiError that names the fields at fault.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: readonly { path: string; message: string }[] = [],
    /** The whole problem+json body, with the members a route adds (e.g. `organisations`, the planner's `planErrors`). */
    readonly problem: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * One key per user action: the same method, path and body sent again while the first is still
 * on its way (a double-click) shares its request, and sent again after the network lost the
 * answer (a retry) reuses its key, so the server does the action once. An answer ends the action.
 */
const actions = new Map<string, { key: string; pending?: Promise<unknown> }>();

export function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  if (method === 'GET') return send<T>(method, path, body);
  const action = `${method} ${path}\n${JSON.stringify(body ?? null)}`;
  const known = actions.get(action);
  if (known?.pending) return known.pending as Promise<T>;
  const entry = known ?? { key: crypto.randomUUID() };
  actions.set(action, entry);
  const pending = send<T>(method, path, body, entry.key).then(
    (data) => (actions.delete(action), data),
    (e: unknown) => {
      // A refusal is the answer; a lost answer, or the first try still running, is not.
      const answered =
        e instanceof ApiError && !e.fields.some((f) => f.message === 'request still running');
      if (answered) actions.delete(action);
      else delete entry.pending;
      throw e;
    },
  );
  entry.pending = pending;
  return pending;
}

async function send<T>(method: string, path: string, body?: unknown, key?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (key) headers['idempotency-key'] = key;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const problem = (data ?? {}) as {
      detail?: string;
      title?: string;
      errors?: { path: string; message: string }[];
    };
    throw new ApiError(
      res.status,
      problem.detail ?? problem.title ?? res.statusText,
      problem.errors ?? [],
      problem,
    );
  }
  return data as T;
}

/** Sends a file's bytes as the body (verification of a PDF). */
export async function upload<T>(path: string, file: Blob, type: string): Promise<T> {
  const headers: Record<string, string> = {
    'content-type': type,
    accept: 'application/json',
    'idempotency-key': crypto.randomUUID(),
  };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method: 'POST',
    headers,
    body: file,
    credentials: 'same-origin',
  });
  const data = (await res.json()) as T & { detail?: string };
  if (!res.ok) throw new ApiError(res.status, data.detail ?? res.statusText);
  return data;
}
