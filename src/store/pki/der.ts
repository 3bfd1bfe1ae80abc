/**
 * The little of ASN.1 DER that X.509 certificates and CMS signatures need: writing tag, length
 * and content, and reading an element's bounds back. Pure.
 */

export type Der = Buffer;

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: readonly Buffer[]): Der {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

export const seq = (...items: readonly Buffer[]): Der => tlv(0x30, ...items);

/** A SET OF: its elements in the order of their encodings, as DER wants. */
export const setOf = (...items: readonly Buffer[]): Der =>
  tlv(0x31, ...[...items].sort((a, b) => Buffer.compare(a, b)));

export function integer(value: Buffer | number): Der {
  let bytes = typeof value === 'number' ? Buffer.from([value]) : value;
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && bytes[start + 1]! < 0x80) start++;
  bytes = bytes.subarray(start);
  if (bytes[0]! >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export function oid(dotted: string): Der {
  const parts = dotted.split('.').map(Number);
  const out = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128))
      chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

export const nul = (): Der => Buffer.from([0x05, 0x00]);
export const bool = (v: boolean): Der => Buffer.from([0x01, 0x01, v ? 0xff : 0x00]);
export const octets = (b: Buffer): Der => tlv(0x04, b);
export const utf8 = (s: string): Der => tlv(0x0c, Buffer.from(s, 'utf8'));
export const printable = (s: string): Der => tlv(0x13, Buffer.from(s, 'ascii'));
export const bitString = (b: Buffer, unusedBits = 0): Der =>
  tlv(0x03, Buffer.from([unusedBits]), b);
/** [n] EXPLICIT, constructed. */
export const explicit = (n: number, ...items: readonly Buffer[]): Der => tlv(0xa0 | n, ...items);

/** UTCTime up to 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
export function time(d: Date): Der {
  const iso = d
    .toISOString()
    .replace(/\.\d{3}/, '')
    .replace(/[-:T]/g, '');
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii'))
    : tlv(0x18, Buffer.from(iso, 'ascii'));
}

export interface Element {
  tag: number;
  /** Where the element starts (its tag), where its content starts and where it ends. */
  start: number;
  content: number;
  end: number;
}

/** The element at `at` (definite lengths only, as DER has); throws on a truncated one. */
export function read(buf: Buffer, at = 0): Element {
  const tag = buf[at];
  const first = buf[at + 1];
  if (tag === undefined || first === undefined) throw new Error('DER: truncated');
  let len = first;
  let content = at + 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4) throw new Error('DER: unsupported length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i]!;
    content = at + 2 + n;
  }
  const end = content + len;
  if (end > buf.length) throw new Error('DER: truncated');
  return { tag, start: at, content, end };
}

/** The elements inside a constructed element. */
export function children(buf: Buffer, e: Element): Element[] {
  const out: Element[] = [];
  for (let at = e.content; at < e.end;) {
    const c = read(buf, at);
    out.push(c);
    at = c.end;
  }
  return out;
}

export const bytesOf = (buf: Buffer, e: Element): Buffer => buf.subarray(e.start, e.end);
export const contentOf = (buf: Buffer, e: Element): Buffer => buf.subarray(e.content, e.end);

/** An OBJECT IDENTIFIER's dotted form. */
export function oidOf(buf: Buffer, e: Element): string {
  const b = contentOf(buf, e);
  const parts = [Math.floor(b[0]! / 40), b[0]! % 40];
  let v = 0;
  for (const byte of b.subarray(1)) {
    v = v * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

export const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  commonName: '2.5.4.3',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  organizationIdentifier: '2.5.4.97',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
} as const;
