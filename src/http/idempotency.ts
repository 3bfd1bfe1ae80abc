import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireActor } from '../app/actor.ts';
import { AppError } from '../app/errors.ts';
import type { HttpDeps } from './context.ts';
import { problemJson, statusOf } from './problem.ts';

/** The header every state-changing POST accepts. */
export const idempotencyHeader = z.object({
  'idempotency-key': z.string().min(1).max(200).optional().meta({
    description:
      'the same key and body give the same answer; the same key with another body is a 409',
  }),
});

/**
 * Runs a POST once per Idempotency-Key and organisation: a retry with the same key and body gets
 * the stored answer (success or refusal); the same key with another body is a 409.
 */
export async function idempotent(
  deps: HttpDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  run: () => Promise<unknown>,
): Promise<FastifyReply> {
  const key = request.headers['idempotency-key'];
  const actor = requireActor(request.actor);
  if (typeof key !== 'string') return reply.code(status).send(await run());
  const hash = createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
  const stored = await deps.idempotency.find(actor.organisationId, key);
  if (stored) {
    if (stored.requestHash !== hash)
      throw new AppError('conflict', 'this Idempotency-Key was used with another request', [
        { path: 'headers.idempotency-key', message: 'used with another request' },
      ]);
    return replay(reply, stored.statusCode, stored.body);
  }
  let code = status;
  let body: unknown;
  try {
    body = await run();
  } catch (e) {
    // A refusal is an answer too: a retry with the same key gets it again.
    if (!(e instanceof AppError)) throw e;
    code = statusOf(e);
    body = problemJson(request, code, e.message, e.errors);
  }
  if (
    !(await deps.idempotency.save(
      actor.organisationId,
      key,
      hash,
      code,
      body,
      deps.accounts.clock.now(),
    ))
  ) {
    const winner = await deps.idempotency.find(actor.organisationId, key);
    if (winner) return replay(reply, winner.statusCode, winner.body);
  }
  return send(reply, code, body);
}

function replay(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return send(reply.header('idempotent-replayed', 'true'), status, body);
}

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  if (status >= 400)
    return reply.code(status).type('application/problem+json').send(JSON.stringify(body));
  return reply.code(status).send(body);
}
