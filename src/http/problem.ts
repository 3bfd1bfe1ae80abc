import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type AppErrorType, type FieldError } from '../app/errors.ts';
import { dcsaErrorJson, dcsaVersionOf } from './dcsa.ts';

/** HTTP status of each application error type: the one place they are mapped. */
const STATUS: Record<AppErrorType, number> = {
  invalid_data: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
};

const TITLES: Record<number, string> = {
  400: 'Invalid data',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/**
 * A refusal the HTTP layer words itself, with a status and members of its own (the planner's
 * 422 with `planErrors`); mapped by handleError like an application error.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: readonly FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}

/**
 * The RFC 9457 problem details object; on the DCSA APIs (`/v3/...`) the DCSA error object
 * instead.
 */
export function problemJson(
  request: FastifyRequest,
  status: number,
  detail: string,
  errors: readonly FieldError[] = [],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  if (dcsaVersionOf(request.url)) return dcsaErrorJson(request, status, detail, errors);
  return {
    type: `/problems/${slug(TITLES[status] ?? 'error')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance: request.url.length <= 200 ? request.url : `${request.url.slice(0, 200)}…`,
    requestId: request.id,
    errors,
    ...extra,
  };
}

/** Sends an RFC 9457 problem+json answer. */
export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  detail: string,
  errors: readonly FieldError[] = [],
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(status)
    .type(dcsaVersionOf(request.url) ? 'application/json' : 'application/problem+json')
    .send(JSON.stringify(problemJson(request, status, detail, errors, extra)));
}

/** HTTP status of an application error. */
export function statusOf(error: AppError): number {
  return STATUS[error.type];
}

/**
 * The error handler: application errors and request errors become their 4xx problem; anything
 * else is a 500 with a generic body, the detail only in the log with the request id.
 */
export function handleError(
  error: FastifyError | AppError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof AppError) {
    if (error.retryAfterSeconds !== undefined)
      void reply.header('retry-after', String(error.retryAfterSeconds));
    return sendProblem(reply, request, STATUS[error.type], error.message, error.errors);
  }
  if (error instanceof HttpProblem)
    return sendProblem(reply, request, error.status, error.message, error.errors, error.extra);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const raw = (error as { validationContext?: string }).validationContext ?? 'body';
    const context = raw === 'querystring' ? 'query' : raw;
    const errors = error.validation.map((v) => ({
      path: [context, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'invalid',
    }));
    return sendProblem(
      reply,
      request,
      400,
      errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      errors,
    );
  }
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const detail =
      status === 429
        ? 'too many requests; retry after the time in Retry-After'
        : safeMessage(error);
    return sendProblem(reply, request, status, detail);
  }
  if (databaseUnavailable(error)) {
    request.log.warn({ err: error, requestId: request.id }, 'database unavailable');
    void reply.header('retry-after', '5');
    return sendProblem(
      reply,
      request,
      503,
      'the database is not reachable at the moment; nothing was changed unless a retry with the same Idempotency-Key says so: retry after the time in Retry-After',
    );
  }
  request.log.error({ err: error, requestId: request.id }, 'request failed');
  return sendProblem(
    reply,
    request,
    500,
    `something went wrong on our side; quote request id ${request.id}`,
  );
}

/** Fastify's own messages for request errors are safe to show; cut to one short line. */
function safeMessage(error: Error): string {
  return error.message.split('\n')[0]!.slice(0, 300);
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

/** Network errors of a lost connection. */
const LOST_CONNECTION = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/**
 * Whether an error, or one it was caused by, says the database cannot be reached: a refused or
 * lost connection, the server shutting down or starting (SQLSTATE class 08, 57P01-57P03), too
 * many connections (53300), or the pool giving up waiting for one.
 */
export function databaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (LOST_CONNECTION.has(code)) return true;
      if (/^08...$/.test(code) || /^57P0[123]$/.test(code) || code === '53300') return true;
    }
    if (
      /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/.test(
        e.message,
      )
    )
      return true;
    if ('errors' in e && Array.isArray(e.errors) && e.errors.some((x) => databaseUnavailable(x)))
      return true;
    e = e.cause;
  }
  return false;
}
