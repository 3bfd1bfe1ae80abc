import type { FastifyRequest } from 'fastify';
import { bkgErrorSchema, dcsaErrorSchema } from '../api/dcsa-error.ts';
import { BKG_VERSION } from '../app/dcsa-bookings.ts';
import { TNT_VERSION } from '../app/dcsa-event.ts';
import type { FieldError } from '../app/errors.ts';

/** The DCSA APIs the platform serves, by path, with the contract version their answers carry. */
const VERSIONS: readonly [prefix: string, version: string][] = [
  ['/v3/', TNT_VERSION],
  ['/v2/bookings', BKG_VERSION],
];

/** The DCSA contract version of a request's path, or undefined outside the DCSA APIs. */
export function dcsaVersionOf(url: string): string | undefined {
  return VERSIONS.find(([prefix]) => url.startsWith(prefix))?.[1];
}

/** The refusals a DCSA route may give, for its OpenAPI description. */
export const dcsaProblems = {
  400: dcsaErrorSchema,
  401: dcsaErrorSchema,
  403: dcsaErrorSchema,
  404: dcsaErrorSchema,
  409: dcsaErrorSchema,
  429: dcsaErrorSchema,
};

/** The refusals a Booking 2.0 route may give, for its OpenAPI description. */
export const bkgProblems = {
  400: bkgErrorSchema,
  401: bkgErrorSchema,
  403: bkgErrorSchema,
  404: bkgErrorSchema,
  409: bkgErrorSchema,
  429: bkgErrorSchema,
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

const REASONS: Record<number, string> = {
  400: 'invalidInput',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'notFound',
  409: 'conflict',
  429: 'tooManyRequests',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/**
 * The DCSA error object of a refusal: `errors` names each field and why (at least one entry);
 * `providerCorrelationID` is the request id of the platform's log.
 */
export function dcsaErrorJson(
  request: FastifyRequest,
  status: number,
  detail: string,
  errors: readonly FieldError[] = [],
  now: Date = new Date(),
): Record<string, unknown> {
  const method = request.method === 'OPTIONS' ? 'OPTION' : request.method;
  const reason = REASONS[status] ?? (status >= 500 ? 'internalError' : 'invalidRequest');
  const listed = errors.length > 0 ? errors : [{ path: '', message: detail }];
  if (request.url.startsWith('/v2/bookings'))
    return {
      httpMethod: method,
      requestUri: cut(request.url, 2000),
      statusCode: status,
      statusCodeText: STATUS_TEXT[status] ?? 'Error',
      statusCodeMessage: cut(detail, 200),
      providerCorrelationReference: request.id,
      errorDateTime: now.toISOString(),
      errors: listed.map((e) => ({
        ...(e.path ? { property: cut(e.path, 100) } : {}),
        errorCodeText: reason,
        errorCodeMessage: cut(e.message, 5000),
      })),
    };
  return {
    httpMethod: method,
    requestUri: cut(request.url, 2000),
    statusCode: status,
    statusCodeText: STATUS_TEXT[status] ?? 'Error',
    errorMessage: cut(detail, 200),
    providerCorrelationID: request.id,
    errorDateTime: now.toISOString(),
    errors: listed.map((e) => ({
      ...(e.path ? { field: cut(e.path, 50) } : {}),
      reason,
      message: cut(e.message, 200),
    })),
  };
}

/** A link to another page of the same path, with only its cursor: Next-Page, Prev-Page. */
export function pageLink(request: FastifyRequest, cursor: string): string {
  const path = request.url.split('?')[0]!;
  return `${request.protocol}://${request.host}${path}?cursor=${cursor}`;
}
