import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { Digest, SignatureVerifier } from '../app/document-ports.ts';

/**
 * Checking Ed25519 document seals with public keys alone: no database, so that `corridor
 * documents verify` works offline and starts fast. The key id is the first 16 hex digits of the
 * SHA-256 of the public key (SubjectPublicKeyInfo, DER).
 */

export const sha256Digest: Digest = {
  sha256: (data) => createHash('sha256').update(data).digest('hex'),
};

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function verifyWith(key: KeyObject, message: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(message), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/**
 * A verifier over public keys given as PEM texts (e.g. saved from GET /v1/documents/keys), for
 * checking files offline. Returns undefined and the problem when a text is not a public key.
 */
export function pemVerifier(
  pems: readonly string[],
): { ok: true; verifier: SignatureVerifier } | { ok: false; problem: string } {
  const keys = new Map<string, KeyObject>();
  for (const pem of pems) {
    try {
      const key = createPublicKey(pem);
      if (key.asymmetricKeyType !== 'ed25519')
        return { ok: false, problem: `not an Ed25519 public key: ${key.asymmetricKeyType}` };
      keys.set(keyIdOf(key), key);
    } catch {
      return { ok: false, problem: 'not a PEM public key' };
    }
  }
  return {
    ok: true,
    verifier: {
      verify: (keyId, message, signature) => {
        const key = keys.get(keyId);
        return Promise.resolve(key ? verifyWith(key, message, signature) : 'unknown_key');
      },
    },
  };
}
