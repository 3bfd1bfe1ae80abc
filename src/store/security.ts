import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock, PasswordHasher, Secrets } from '../app/ports.ts';

/**
 * argon2id with the library's defaults (m = 19 MiB, t = 2, p = 1; OWASP's minimum). The native
 * library loads at the first hash, not with the commands that never need one.
 */
export const argon2Hasher: PasswordHasher = {
  hash: async (password) => (await import('@node-rs/argon2')).hash(password),
  verify: async (stored, password) => {
    const { verify } = await import('@node-rs/argon2');
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  },
};

export const cryptoSecrets: Secrets = {
  token: (bytes) => randomBytes(bytes).toString('base64url'),
  hash: (token) => createHash('sha256').update(token).digest('hex'),
  id: (prefix) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
  uuid: () => randomUUID(),
};

export const systemClock: Clock = { now: () => new Date() };
