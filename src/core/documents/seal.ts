import { z } from 'zod';

/**
 * The platform's seal on a document file: one PDF comment line after the end of the PDF,
 * `%CORRIDOR-SEAL {json}`, readers skip it. It names the document, the signing key, the SHA-256 of
 * the bytes before it and the content hash, and carries the Ed25519 signature over those
 * (sealMessage). Version 2 (decision 0012) is sealed before the issuing party's PAdES signature
 * is written: its hash leaves out the signature's hex string (the one gap of the signature's
 * byte range), it names the signing certificate (`signer`, SHA-256 of it), and the PAdES
 * signature covers the seal line. A changed byte anywhere in the file breaks the hash, the seal's
 * signature or the PAdES signature, and the seal line itself must be exactly as written (its keys
 * in order, no spaces, one newline, and nothing after it), so anyone holding the platform's
 * public key can check a file offline.
 */

export const SEAL_MARKER = '%CORRIDOR-SEAL ';

const common = {
  id: z.string().regex(/^doc_[A-Za-z0-9]{1,40}$/),
  kid: z.string().regex(/^[0-9a-f]{16}$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
};
const signature = z.string().regex(/^[A-Za-z0-9_-]{86}$/);
const sealSchema = z.discriminatedUnion('v', [
  z.strictObject({ v: z.literal(1), ...common, signature }),
  z.strictObject({
    v: z.literal(2),
    ...common,
    signer: z.string().regex(/^[0-9a-f]{64}$/),
    signature,
  }),
]);

export type Seal = z.infer<typeof sealSchema>;

type Sealed = Pick<Seal, 'id' | 'kid' | 'sha256' | 'contentHash'> & { signer?: string };

/** The text the signature is made over. Pure. */
export function sealMessage(s: Sealed): string {
  const head = `${s.id}\n${s.kid}\n${s.sha256}\n${s.contentHash}`;
  return s.signer === undefined
    ? `corridor-document-seal/1\n${head}`
    : `corridor-document-seal/2\n${head}\n${s.signer}`;
}

/** How many bytes the seal line of a document with this id takes (all else is fixed). Pure. */
export function sealLength(id: string): number {
  return sealBytes({
    v: 2,
    id,
    kid: '0'.repeat(16),
    sha256: '0'.repeat(64),
    contentHash: '0'.repeat(64),
    signer: '0'.repeat(64),
    signature: 'A'.repeat(86),
  }).length;
}

/** The bytes appended to a file to seal it: one text for one seal. Pure. */
export function sealBytes(seal: Seal): Uint8Array {
  const canonical = {
    v: seal.v,
    id: seal.id,
    kid: seal.kid,
    sha256: seal.sha256,
    contentHash: seal.contentHash,
    ...(seal.v === 2 ? { signer: seal.signer } : {}),
    signature: seal.signature,
  };
  return new TextEncoder().encode(`\n${SEAL_MARKER}${JSON.stringify(canonical)}\n`);
}

export type ReadSeal = { ok: true; body: Uint8Array; seal: Seal } | { ok: false; problem: string };

const MARKER = new TextEncoder().encode(`\n${SEAL_MARKER}`);

/**
 * Splits a sealed file into the bytes the seal covers and the seal; a seal line that is not
 * byte for byte the one `sealBytes` writes (re-spaced, reordered, or with bytes after it) is
 * refused. Pure.
 */
export function readSeal(file: Uint8Array): ReadSeal {
  let at = -1;
  outer: for (let i = file.length - MARKER.length; i >= 0; i--) {
    for (let j = 0; j < MARKER.length; j++) if (file[i + j] !== MARKER[j]) continue outer;
    at = i;
    break;
  }
  if (at < 0) return { ok: false, problem: 'no Corridor seal in the file' };
  const tail = new TextDecoder().decode(file.subarray(at + MARKER.length)).replace(/\n$/, '');
  let json: unknown;
  try {
    json = JSON.parse(tail);
  } catch {
    return { ok: false, problem: 'the seal is damaged: not JSON' };
  }
  const parsed = sealSchema.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      problem: `the seal is damaged: ${parsed.error.issues[0]!.path.join('.') || 'seal'} is not valid`,
    };
  const exact = sealBytes(parsed.data);
  const written = file.subarray(at);
  if (written.length > exact.length && exact.every((b, i) => written[i] === b))
    return { ok: false, problem: 'bytes were added after the seal' };
  if (written.length !== exact.length || exact.some((b, i) => written[i] !== b))
    return { ok: false, problem: 'the seal is damaged: its text is not as sealed' };
  return { ok: true, body: file.subarray(0, at), seal: parsed.data };
}
