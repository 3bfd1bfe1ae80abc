import { createHash, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import {
  bitString,
  bool,
  bytesOf,
  children,
  explicit,
  integer,
  nul,
  octets,
  OID,
  oid,
  oidOf,
  printable,
  read,
  seq,
  setOf,
  time,
  tlv,
  utf8,
  type Der,
} from './der.ts';

/**
 * X.509 certificates made with node:crypto keys: the platform's certification authority and
 * the document-signing certificates it issues to organisations (RFC 5280 profile: version 3,
 * basic constraints, key usage, key identifiers). Keys are ECDSA P-256 or RSA; signatures are
 * SHA-256.
 */

export interface NameParts {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  /** The Corridor organisation id (ETSI EN 319 412-1 organizationIdentifier). */
  organizationIdentifier?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
}

function attribute(type: string, value: Der): Der {
  return setOf(seq(oid(type), value));
}

function nameDer(n: NameParts): Der {
  const rdns: Der[] = [];
  if (n.country && /^[A-Z]{2}$/.test(n.country))
    rdns.push(attribute(OID.country, printable(n.country)));
  if (n.organization) rdns.push(attribute(OID.organization, utf8(n.organization)));
  if (n.organizationalUnit)
    rdns.push(attribute(OID.organizationalUnit, utf8(n.organizationalUnit)));
  if (n.organizationIdentifier)
    rdns.push(attribute(OID.organizationIdentifier, utf8(n.organizationIdentifier)));
  rdns.push(attribute(OID.commonName, utf8(n.commonName)));
  return seq(...rdns);
}

/** The signature algorithm identifier for a key, and how to sign with it. */
export function signatureAlgorithm(key: KeyObject): Der {
  if (key.asymmetricKeyType === 'ec') return seq(oid(OID.ecdsaWithSha256));
  if (key.asymmetricKeyType === 'rsa') return seq(oid(OID.sha256WithRsa), nul());
  throw new Error(`unsupported signing key type ${key.asymmetricKeyType}`);
}

export function signWith(key: KeyObject, data: Buffer): Buffer {
  return sign('sha256', data, key);
}

function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const bits = children(spki, read(spki))[1]!;
  // RFC 5280 §4.2.1.2 (1): SHA-1 of the subjectPublicKey bits.
  return createHash('sha1')
    .update(spki.subarray(bits.content + 1, bits.end))
    .digest();
}

function extension(type: string, critical: boolean, value: Der): Der {
  return seq(oid(type), ...(critical ? [bool(true)] : []), octets(value));
}

export interface IssueRequest {
  subject: NameParts;
  publicKey: KeyObject;
  /** The issuer's certificate; none: self-signed. */
  issuer?: X509Certificate;
  issuerKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
}

/** A certificate signed by the issuer's key. */
export function issueCertificate(r: IssueRequest): X509Certificate {
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const issuerPublic = r.issuer ? r.issuer.publicKey : r.publicKey;
  const algorithm = signatureAlgorithm(r.issuerKey);
  const extensions = [
    extension(OID.basicConstraints, true, r.ca ? seq(bool(true), integer(0)) : seq()),
    // CA: keyCertSign and cRLSign; others: digitalSignature and nonRepudiation.
    extension(
      OID.keyUsage,
      true,
      r.ca ? bitString(Buffer.from([0x06]), 1) : bitString(Buffer.from([0xc0]), 6),
    ),
    extension(OID.subjectKeyIdentifier, false, octets(keyIdentifier(r.publicKey))),
    extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, keyIdentifier(issuerPublic)))),
  ];
  const tbs = seq(
    explicit(0, integer(2)),
    integer(serial),
    algorithm,
    r.issuer ? subjectDer(r.issuer) : nameDer(r.subject),
    seq(time(r.notBefore), time(r.notAfter)),
    nameDer(r.subject),
    r.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...extensions)),
  );
  const signature = signWith(r.issuerKey, tbs);
  return new X509Certificate(seq(tbs, algorithm, bitString(signature)));
}

function tbsParts(cert: X509Certificate): { raw: Buffer; parts: ReturnType<typeof children> } {
  const raw = cert.raw;
  const tbs = children(raw, read(raw))[0]!;
  return { raw, parts: children(raw, tbs) };
}

/** The certificate's issuer Name and serial number, DER, for a CMS signer identifier. */
export function issuerAndSerial(cert: X509Certificate): Der {
  const { raw, parts } = tbsParts(cert);
  const offset = parts[0]!.tag === 0xa0 ? 1 : 0;
  return seq(bytesOf(raw, parts[offset + 2]!), bytesOf(raw, parts[offset]!));
}

/** The certificate's subject Name, DER. */
function subjectDer(cert: X509Certificate): Der {
  const { raw, parts } = tbsParts(cert);
  const offset = parts[0]!.tag === 0xa0 ? 1 : 0;
  return bytesOf(raw, parts[offset + 4]!);
}

/** One attribute of the certificate's subject (the first of its type), as text. */
export function subjectAttribute(cert: X509Certificate, type: string): string | undefined {
  const name = subjectDer(cert);
  for (const rdn of children(name, read(name)))
    for (const atv of children(name, rdn)) {
      const [t, v] = children(name, atv);
      if (t && v && oidOf(name, t) === type) {
        const value = name.subarray(v.content, v.end);
        // BMPString is UTF-16BE; the others here are UTF-8 or ASCII.
        return v.tag === 0x1e
          ? Buffer.from(value).swap16().toString('utf16le')
          : value.toString('utf8');
      }
    }
  return undefined;
}

export const fingerprintOf = (cert: X509Certificate): string =>
  createHash('sha256').update(cert.raw).digest('hex');

/** PEM texts of certificates, in order. */
export function certificatesOfPem(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (p) => new X509Certificate(p),
  );
}
