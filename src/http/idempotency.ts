import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../app/errors.ts';
import type { HttpDeps } from './context.ts';
import { dcsaVersionOf } from './dcsa.ts';
import { HttpProblem, problemJson, statusOf } from './problem.ts';

/** The header every POST accepts. */
export const idempotencyHeader = z.object({
  'idempotency-key': z.string().min(1).max(200).optional().meta({
    description:
      'the same key and body give the same answer; the same key with another body is a 409. Use a random key (a UUID): the stored answer is encrypted with it',
  }),
});

/** A claim older than this whose request never answered belonged to a process that died. */
const STALE_CLAIM_MS = 60_000;

/**
 * Runs a POST once per Idempotency-Key and caller (the user or API key; anonymous callers share
 * one key space): a retry with the same key and body gets the first answer (success or refusal)
 * marked `Idempotent-Replayed: true`; the same key with another body is a 409, and so is a retry
 * while the first request still runs. Without the header the request simply runs.
 *
 * `run` gives the result to keep; `present` turns it into the body and may set cookies, on the
 * first answer and on every replay. The database holds only a hash of caller and key, an HMAC of
 * the request keyed by the Idempotency-Key, and the result encrypted (AES-256-GCM) with a key
 * derived from it: a password, API key or session shown once cannot be read back from there.
 */
export async function idempotent<T>(
  deps: HttpDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  /** The success status, or how to tell it from the result (201 created, 200 known). */
  status: number | ((result: T) => number),
  /** Runs the request; `seed` is a stable secret of the caller and key, absent without a key. */
  run: (seed?: string) => Promise<T>,
  present: (reply: FastifyReply, result: T) => unknown = (_reply, result) => result,
): Promise<FastifyReply> {
  const key = request.headers['idempotency-key'];
  const successStatus = (result: T) => (typeof status === 'number' ? status : status(result));
  if (typeof key !== 'string') {
    const result = await run();
    return send(reply, successStatus(result), present(reply, result));
  }
  const scope = request.actor ? `${request.actor.organisationId}/${request.actor.id}` : 'public';
  const keyHash = createHash('sha256').update(`${scope}\n${key}`).digest('hex');
  const requestHash = createHmac('sha256', key)
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
  const now = deps.accounts.clock.now();
  const held = await deps.idempotency.claim(
    keyHash,
    requestHash,
    now,
    new Date(now.getTime() - STALE_CLAIM_MS),
  );
  if (held) {
    if (held.requestHash !== requestHash)
      throw new AppError('conflict', 'this Idempotency-Key was used with another request', [
        { path: 'headers.idempotency-key', message: 'used with another request' },
      ]);
    if (held.statusCode === null || held.answer === null) {
      void reply.header('retry-after', '1');
      throw new AppError(
        'conflict',
        'a request with this Idempotency-Key is still running; retry in a moment',
        [{ path: 'headers.idempotency-key', message: 'request still running' }],
      );
    }
    const stored: unknown = JSON.parse(open(key, scope, held.answer));
    void reply.header('idempotent-replayed', 'true');
    return held.statusCode >= 400
      ? sendProblem(reply, held.statusCode, stored)
      : send(reply, held.statusCode, present(reply, stored as T));
  }
  let result: T;
  try {
    result = await run(keyHash);
  } catch (e) {
    // A refusal is an answer too: a retry with the same key gets it again.
    const problem =
      e instanceof AppError
        ? { code: statusOf(e), body: problemJson(request, statusOf(e), e.message, e.errors) }
        : e instanceof HttpProblem
          ? { code: e.status, body: problemJson(request, e.status, e.message, e.errors, e.extra) }
          : undefined;
    if (!problem) {
      await deps.idempotency.release(keyHash);
      throw e;
    }
    await deps.idempotency.answer(keyHash, problem.code, seal(key, scope, problem.body));
    return sendProblem(reply, problem.code, problem.body);
  }
  await deps.idempotency.answer(keyHash, successStatus(result), seal(key, scope, result ?? null));
  return send(reply, successStatus(result), present(reply, result));
}

function cipherKey(key: string, scope: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, scope, 'corridor idempotent answer', 32));
}

function seal(key: string, scope: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cipherKey(key, scope), iv);
  const text = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), text]).toString('base64');
}

function open(key: string, scope: string, sealed: string): string {
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', cipherKey(key, scope), bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}

function sendProblem(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  const type = dcsaVersionOf(reply.request.url) ? 'application/json' : 'application/problem+json';
  return reply.code(status).type(type).send(JSON.stringify(body));
}

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  if (status === 204) return reply.code(204).send(undefined);
  return reply.code(status).send(body);
}

/**
 * A platform id (`bkg_...`) derived from an idempotent request's seed: the same caller and key
 * always give the same id, and nobody can guess it from the key alone.
 */
export function idFromSeed(prefix: string, seed: string): string {
  return `${prefix}_${createHash('sha256').update(`id\n${seed}`).digest('base64url').replace(/[-_]/g, '').slice(0, 22)}`;
}
