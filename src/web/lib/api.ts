/**
 * The platform's HTTP API from the browser: JSON in and out with the session cookie, the CSRF
 * token on state-changing requests, and problem+json answers turned into an ApiError that names
 * the fields at fault.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
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
    );
  }
  return data as T;
}

/** Sends a file's bytes as the body (verification of a PDF). */
export async function upload<T>(path: string, file: Blob, type: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': type, accept: 'application/json' };
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
