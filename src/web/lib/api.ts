/**
 * The platform's HTTP API from the browser, through the typed client of src/client: paths,
 * parameters, bodies and answers are checked against the contract. Requests carry the session
 * cookie, and state-changing ones the CSRF token and an Idempotency-Key; `answer()` turns a
 * problem+json refusal into an ApiError that names the fields at fault.
 */
import { createCorridorClient } from '../../client/client.ts';

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

/** Said by the server of a retry that came while the first try is still running. */
const STILL_RUNNING = 'request still running';

/**
 * One key per user action: the same method, path and body sent again while the first is still
 * on its way (a double-click) shares its request, and sent again after the network lost the
 * answer (a retry) reuses its key, so the server does the action once. An answer ends the action.
 */
const actions = new Map<string, { key: string; pending?: Promise<Response> }>();

/**
 * Sends a request: a GET as it is; a state-changing one with the CSRF token and its action's
 * Idempotency-Key, shared by a second press while the first is on its way. Decided at once, before
 * anything is awaited, so that a double-click's second press always finds the first.
 */
function dispatch(
  method: string,
  url: string,
  given: ConstructorParameters<typeof Headers>[0],
  credentials: NonNullable<RequestInit['credentials']>,
  body: string | undefined,
): Promise<Response> {
  const headers = Object.fromEntries(new Headers(given).entries());
  if (method === 'GET') return fetch(url, { method, headers, credentials });
  const action = `${method} ${url}\n${body ?? ''}`;
  const known = actions.get(action);
  if (known?.pending) return known.pending.then((r) => r.clone());
  const entry = known ?? { key: crypto.randomUUID() };
  actions.set(action, entry);
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  headers['idempotency-key'] = entry.key;
  const pending = fetch(url, {
    method,
    headers,
    credentials,
    ...(body ? { body } : {}),
  }).then(
    async (res) => {
      // A refusal is the answer; the first try still running is not.
      const running = !res.ok && (await res.clone().text()).includes(STILL_RUNNING);
      if (running) delete entry.pending;
      else actions.delete(action);
      return res;
    },
    (e: unknown) => {
      // The answer was lost: a retry reuses the key.
      delete entry.pending;
      throw e;
    },
  );
  entry.pending = pending;
  return pending.then((r) => r.clone());
}

/** The typed client's requests, through `dispatch` with their body as text (as the page sends it). */
async function send(request: Request): Promise<Response> {
  const body = request.method === 'GET' ? '' : await request.clone().text();
  return dispatch(
    request.method,
    request.url,
    request.headers,
    request.credentials,
    body || undefined,
  );
}

/** The API of the page's own origin. */
export const client = createCorridorClient({
  baseUrl: '',
  credentials: 'same-origin',
  fetch: send,
});

/** The data of a 2xx answer of `client`; an ApiError for any other. */
export async function answer<R extends { data?: unknown; error?: unknown; response: Response }>(
  call: Promise<R>,
): Promise<NonNullable<R['data']>> {
  const { data, error, response } = await call;
  if (!response.ok) throw refusal(response, error);
  return data as NonNullable<R['data']>;
}

function refusal(response: Response, body: unknown): ApiError {
  const problem = (body ?? {}) as {
    detail?: string;
    title?: string;
    errors?: { path: string; message: string }[];
  };
  return new ApiError(
    response.status,
    problem.detail ?? problem.title ?? response.statusText,
    problem.errors ?? [],
    problem,
  );
}

/**
 * A request to a path built at run time (a page's own address, an action chosen by the user),
 * through the same cookie, CSRF token and Idempotency-Key as `client`; its answer is not checked
 * against the contract, so prefer `client` where the path is known.
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await dispatch(
    method,
    path,
    headers,
    'same-origin',
    body === undefined ? undefined : JSON.stringify(body),
  );
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) throw refusal(res, data);
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
