import { createHash, verify, X509Certificate, type KeyObject } from 'node:crypto';
import {
  bytesOf,
  children,
  contentOf,
  explicit,
  integer,
  octets,
  OID,
  oid,
  oidOf,
  read,
  seq,
  setOf,
  tlv,
  type Der,
} from './der.ts';
import { issuerAndSerial, signatureAlgorithm, signWith } from './x509.ts';

/**
 * CMS SignedData as PAdES wants it (ETSI EN 319 142-1, baseline B-B; subfilter
 * ETSI.CAdES.detached): the document's digest as a signed attribute, the signing certificate
 * bound by the ESS signing-certificate-v2 attribute, no signing time inside (the PDF's /M has
 * it), the certificate chain included, content detached.
 */

/** A detached CMS signature over `digest` (SHA-256 of the signed bytes). */
export function cadesDetached(
  digest: Buffer,
  signer: { key: KeyObject; certificate: X509Certificate; chain: readonly X509Certificate[] },
): Der {
  const attrs = [
    seq(oid(OID.contentType), setOf(oid(OID.data))),
    seq(oid(OID.messageDigest), setOf(octets(digest))),
    seq(
      oid(OID.signingCertificateV2),
      setOf(seq(seq(seq(octets(createHash('sha256').update(signer.certificate.raw).digest()))))),
    ),
  ];
  const signedAttrs = setOf(...attrs);
  const signature = signWith(signer.key, signedAttrs);
  const sha256 = seq(oid(OID.sha256));
  const signerInfo = seq(
    integer(1),
    issuerAndSerial(signer.certificate),
    sha256,
    // [0] IMPLICIT: the SET's content under the context tag.
    tlv(0xa0, contentOf(signedAttrs, read(signedAttrs))),
    signatureAlgorithm(signer.key),
    octets(signature),
  );
  const signedData = seq(
    integer(1),
    setOf(sha256),
    seq(oid(OID.data)),
    tlv(0xa0, signer.certificate.raw, ...signer.chain.map((c) => c.raw)),
    setOf(signerInfo),
  );
  return seq(oid(OID.signedData), explicit(0, signedData));
}

export interface ReadSignature {
  /** The certificates the signature carries, the signer's first. */
  certificates: X509Certificate[];
  signer: X509Certificate | undefined;
  /** Whether the signed digest is the digest given and the signature is the signer's. */
  valid: boolean;
  problem: string | null;
}

/** Checks a detached CMS signature over bytes whose SHA-256 is `digest`. */
export function checkCadesDetached(cms: Buffer, digest: Buffer): ReadSignature {
  const none = (problem: string): ReadSignature => ({
    certificates: [],
    signer: undefined,
    valid: false,
    problem,
  });
  try {
    const info = children(cms, read(cms));
    if (oidOf(cms, info[0]!) !== OID.signedData) return none('not a CMS SignedData');
    const signedData = children(cms, children(cms, info[1]!)[0]!);
    const certSet = signedData.find((e) => e.tag === 0xa0);
    const certificates = certSet
      ? children(cms, certSet).map((c) => new X509Certificate(bytesOf(cms, c)))
      : [];
    const signerInfos = signedData.at(-1)!;
    const signerInfo = children(cms, signerInfos);
    if (signerInfo.length !== 1) return none('not exactly one signer');
    const parts = children(cms, signerInfo[0]!);
    const sid = bytesOf(cms, parts[1]!);
    const signer = certificates.find((c) => issuerAndSerial(c).equals(sid));
    if (!signer) return { ...none('the signer certificate is not in the signature'), certificates };
    const attrsElement = parts[3]!;
    if (attrsElement.tag !== 0xa0) return { ...none('no signed attributes'), certificates, signer };
    const signed = tlv(0x31, contentOf(cms, attrsElement));
    let messageDigest: Buffer | undefined;
    for (const attr of children(cms, attrsElement)) {
      const [type, values] = children(cms, attr);
      if (type && values && oidOf(cms, type) === OID.messageDigest)
        messageDigest = contentOf(cms, children(cms, values)[0]!);
    }
    const signature = contentOf(cms, parts[5]!);
    const algorithm = oidOf(cms, children(cms, parts[4]!)[0]!);
    const key = signer.publicKey;
    const expected =
      key.asymmetricKeyType === 'ec'
        ? [OID.ecdsaWithSha256]
        : [OID.sha256WithRsa, OID.rsaEncryption];
    if (!(expected as readonly string[]).includes(algorithm))
      return { ...none(`signature algorithm ${algorithm} is not supported`), certificates, signer };
    if (!messageDigest?.equals(digest))
      return { ...none('the document has been changed since it was signed'), certificates, signer };
    if (!verify('sha256', signed, key, signature))
      return { ...none('the signature does not match its certificate'), certificates, signer };
    return { certificates, signer, valid: true, problem: null };
  } catch {
    return none('the signature is damaged');
  }
}
