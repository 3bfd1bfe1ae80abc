import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

/**
 * A PKCS #12 file with a self-signed RSA certificate issued to the organisation named, valid
 * from a day before `now` for three years (judged by the server's clock).
 */
export function pkcs12Of(organization: string, password: string, now: Date): Uint8Array {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  );
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(now.getTime() - 86_400_000);
  cert.validity.notAfter = new Date(now.getTime() + 3 * 365 * 86_400_000);
  const name = [
    { shortName: 'CN', value: organization },
    { shortName: 'O', value: organization },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: '3des' });
  return new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
}
