import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

/**
 * Reading a PKCS #12 file (RFC 7292), as certification authorities hand out qualified
 * certificates: node-forge opens the container (MAC, password-based encryption); the key and
 * certificates inside are then node:crypto objects (forge itself knows RSA keys only).
 */

export type Pkcs12 =
  | { ok: true; key: KeyObject; certificates: X509Certificate[] }
  | { ok: false; field: 'body.pkcs12' | 'body.password'; problem: string };

const der = (asn1: forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');

export function readPkcs12(file: Uint8Array, password: string): Pkcs12 {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(file).toString('binary')));
  } catch {
    return { ok: false, field: 'body.pkcs12', problem: 'not a PKCS #12 file (DER)' };
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  } catch (e) {
    const message = e instanceof Error ? e.message : '';
    return /password|MAC/i.test(message)
      ? {
          ok: false,
          field: 'body.password',
          problem: 'the password does not open the PKCS #12 file',
        }
      : { ok: false, field: 'body.pkcs12', problem: 'not a PKCS #12 file' };
  }
  const keys: KeyObject[] = [];
  const certificates: X509Certificate[] = [];
  try {
    for (const content of p12.safeContents)
      for (const bag of content.safeBags) {
        if (bag.type === forge.pki.oids.certBag) {
          const cert = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
          if (cert) certificates.push(new X509Certificate(der(cert)));
        } else if (
          bag.type === forge.pki.oids.pkcs8ShroudedKeyBag ||
          bag.type === forge.pki.oids.keyBag
        ) {
          const info = bag.key
            ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))
            : bag.asn1;
          if (info) keys.push(createPrivateKey({ key: der(info), format: 'der', type: 'pkcs8' }));
        }
      }
  } catch {
    return {
      ok: false,
      field: 'body.pkcs12',
      problem: 'the PKCS #12 file has a damaged key or certificate',
    };
  }
  if (keys.length !== 1)
    return {
      ok: false,
      field: 'body.pkcs12',
      problem: `one private key is needed, the file has ${keys.length}`,
    };
  if (certificates.length === 0)
    return { ok: false, field: 'body.pkcs12', problem: 'the file has no certificate' };
  return { ok: true, key: keys[0]!, certificates };
}
