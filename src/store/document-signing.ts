import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { asc, isNull } from 'drizzle-orm';
import type { DocumentSigner, PublicKeyInfo, SignatureVerifier } from '../app/document-ports.ts';
import { keyIdOf, verifyWith } from './document-verification.ts';
import type { Db } from './database.ts';
import { signingKeys } from './document.schema.ts';

/**
 * Ed25519 document signing. The key id is the first 16 hex digits of the SHA-256 of the public
 * key (SubjectPublicKeyInfo, DER). Without a configured key the platform makes one on first use
 * and keeps it in the database; with CORRIDOR_SIGNING_KEY_FILE only its public half is stored.
 */

/** The Ed25519 private key in a PEM text, or why not. */
export function parseSigningKey(
  pem: string,
): { ok: true; key: KeyObject } | { ok: false; problem: string } {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519')
      return {
        ok: false,
        problem: `an Ed25519 private key is needed, not ${key.asymmetricKeyType}`,
      };
    return { ok: true, key };
  } catch {
    return { ok: false, problem: 'not a PEM private key (PKCS #8)' };
  }
}

interface Active {
  keyId: string;
  privateKey: KeyObject;
}

export class PgDocumentSigner implements DocumentSigner, SignatureVerifier {
  private active: Promise<Active> | undefined;
  private readonly publicByKid = new Map<string, KeyObject>();

  constructor(
    private readonly db: Db,
    private readonly configured?: KeyObject,
  ) {}

  keyId(): Promise<string> {
    return this.activeKey().then((k) => k.keyId);
  }

  async sign(message: string): Promise<{ keyId: string; signature: string }> {
    const k = await this.activeKey();
    return {
      keyId: k.keyId,
      signature: sign(null, Buffer.from(message), k.privateKey).toString('base64url'),
    };
  }

  async publicKeys(): Promise<PublicKeyInfo[]> {
    await this.activeKey();
    const rows = await this.db
      .select({
        keyId: signingKeys.keyId,
        publicKeyPem: signingKeys.publicKeyPem,
        createdAt: signingKeys.createdAt,
      })
      .from(signingKeys)
      .orderBy(asc(signingKeys.createdAt));
    return rows;
  }

  async verify(
    keyId: string,
    message: string,
    signature: string,
  ): Promise<boolean | 'unknown_key'> {
    let key = this.publicByKid.get(keyId);
    if (!key) {
      const found = (await this.publicKeys()).find((k) => k.keyId === keyId);
      if (!found) return 'unknown_key';
      key = createPublicKey(found.publicKeyPem);
      this.publicByKid.set(keyId, key);
    }
    return verifyWith(key, message, signature);
  }

  private activeKey(): Promise<Active> {
    this.active ??= this.loadActive().catch((e: unknown) => {
      this.active = undefined;
      throw e;
    });
    return this.active;
  }

  private async loadActive(): Promise<Active> {
    if (this.configured) {
      const publicKey = createPublicKey(this.configured);
      const keyId = keyIdOf(publicKey);
      await this.db
        .insert(signingKeys)
        .values({
          keyId,
          publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          privateKeyPem: null,
          createdAt: new Date(),
        })
        .onConflictDoNothing();
      return { keyId, privateKey: this.configured };
    }
    const stored = async () => {
      const [row] = await this.db
        .select()
        .from(signingKeys)
        .where(isNull(signingKeys.retiredAt))
        .orderBy(asc(signingKeys.createdAt))
        .limit(10);
      const withPrivate = row?.privateKeyPem ? row : undefined;
      return (
        withPrivate && {
          keyId: withPrivate.keyId,
          privateKey: createPrivateKey(withPrivate.privateKeyPem!),
        }
      );
    };
    const found = await stored();
    if (found) return found;
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    await this.db
      .insert(signingKeys)
      .values({
        keyId: keyIdOf(publicKey),
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        createdAt: new Date(),
      })
      .onConflictDoNothing();
    // Two processes starting at once: both use the oldest key.
    return (await stored())!;
  }
}
