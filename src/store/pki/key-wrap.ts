import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

/**
 * Private keys at rest: PKCS #8 PEM, encrypted with AES-256-GCM under a key derived (HKDF-SHA256)
 * from the operator's key secret when one is given (`aes-256-gcm:v1:iv:tag:data`, Base64url);
 * without a secret, PEM as the platform's own seal key is kept.
 */

const PREFIX = 'aes-256-gcm:v1:';

function keyOf(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'corridor', 'party signing keys', 32));
}

export function wrapKey(key: KeyObject, secret: string | undefined): string {
  const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  if (!secret) return pem;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const data = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
  return `${PREFIX}${[iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join(':')}`;
}

/** The key, or an error naming why it cannot be read (no or a wrong secret). */
export function unwrapKey(stored: string, secret: string | undefined): KeyObject {
  if (!stored.startsWith(PREFIX)) return createPrivateKey(stored);
  if (!secret) throw new Error('a party signing key is encrypted: CORRIDOR_KEY_SECRET is needed');
  const [iv, tag, data] = stored
    .slice(PREFIX.length)
    .split(':')
    .map((p) => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), iv!);
  decipher.setAuthTag(tag!);
  try {
    return createPrivateKey(
      Buffer.concat([decipher.update(data!), decipher.final()]).toString('utf8'),
    );
  } catch {
    throw new Error('a party signing key cannot be decrypted with CORRIDOR_KEY_SECRET');
  }
}
