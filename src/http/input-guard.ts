import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../app/errors.ts';
import { sendProblem } from './problem.ts';

/** The longest string a JSON body may carry in one field (a whole CSV body is not a field). */
const MAX_BODY_STRING = 100_000;
/** The longest query parameter value, header value or path segment. */
const MAX_URL_STRING = 4_096;
/** At most this many problems are named in one answer. */
const MAX_PROBLEMS = 20;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string is not text the platform stores, or undefined when it is. Pure. */
function textProblem(s: string, max: number): string | undefined {
  if (s.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (LONE_SURROGATE.test(s))
    return 'contains a lone UTF-16 surrogate (such as \\ud800 without its pair), which is not text';
  if (s.length > max) return `is longer than ${max} characters`;
  return undefined;
}

/**
 * The problems of every string in a parsed JSON value — member names included — each with the
 * field's path (`body.holder.name`, `body.consignments[0].goodsItems[1].description`). Walks
 * without recursion, so that a deeply nested body cannot exhaust the stack. Pure.
 */
function jsonTextProblems(value: unknown, root: string, max: number): FieldError[] {
  const problems: FieldError[] = [];
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v, max);
      if (problem) problems.push({ path, message: problem });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (plainObject(v)) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const keyProblem = textProblem(key, MAX_URL_STRING);
        if (keyProblem) problems.push({ path, message: `a member name ${keyProblem}` });
        else stack.push([child, `${path}.${key}`]);
      }
    }
  }
  return problems.slice(0, MAX_PROBLEMS);
}

/** A JSON object or a parsed query; a buffered body (a PDF) is bytes, not walked. */
function plainObject(v: unknown): v is Record<string, unknown> {
  return (
    v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer)
  );
}

/**
 * The one input guard, run for every route before its schema: every string of the headers, the
 * path parameters, the query and the body is text — no NUL, no lone surrogate, not over-long —
 * or the request is refused with 400 naming each field (`header.idempotency-key`, `query.q`,
 * `body.holder.name`). PostgreSQL stores neither NUL nor lone surrogates in text or jsonb, so a
 * use case never sees them.
 */
export function guardInput(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const problems: FieldError[] = [];
  for (const [name, value] of Object.entries(request.headers))
    for (const v of Array.isArray(value) ? value : [value ?? '']) {
      const problem = textProblem(v, MAX_URL_STRING);
      if (problem) problems.push({ path: `header.${name}`, message: problem });
    }
  problems.push(...jsonTextProblems(request.params, 'params', MAX_URL_STRING));
  problems.push(...jsonTextProblems(request.query, 'query', MAX_URL_STRING));
  // A text body (CSV) is one string: its size is the body limit's.
  problems.push(
    ...jsonTextProblems(
      request.body,
      'body',
      typeof request.body === 'string' ? Number.POSITIVE_INFINITY : MAX_BODY_STRING,
    ),
  );
  if (problems.length === 0) {
    done();
    return;
  }
  const named = problems.slice(0, MAX_PROBLEMS);
  void sendProblem(
    reply,
    request,
    400,
    named.map((p) => `${p.path}: ${p.message}`).join('; '),
    named,
  );
}
