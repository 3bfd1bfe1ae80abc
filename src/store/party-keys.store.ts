import type { X509Certificate } from 'node:crypto';
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { and, asc, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import type {
  PartyCertificate,
  PartyKeys,
  SigningParty,
  UploadResult,
} from '../app/document-ports.ts';
import type { Clock } from '../app/ports.ts';
import { byteRangeOf, withoutGap } from '../core/documents/signature-range.ts';
import type { Tx } from './capacity.store.ts';
import type { Db } from './database.ts';
import { partyCertificates } from './document.schema.ts';
import { cadesDetached } from './pki/cms.ts';
import { OID } from './pki/der.ts';
import { unwrapKey, wrapKey } from './pki/key-wrap.ts';
import { writeSignature } from './pki/pades.ts';
import { readPkcs12 } from './pki/pkcs12.ts';
import {
  certificatesOfPem,
  fingerprintOf,
  issueCertificate,
  subjectAttribute,
  type NameParts,
} from './pki/x509.ts';

/**
 * The parties' signing keys and certificates on PostgreSQL/PGlite. The platform runs a
 * certification authority of its own (party `ca`, ECDSA P-256, made on first need) that issues
 * each organisation, and the platform itself, a document-signing certificate on first need;
 * an organisation may replace it with its own (PKCS #12, e.g. a national qualified
 * certificate), checked to be its own. Keys are kept in memory by certificate once read.
 */

type Row = typeof partyCertificates.$inferSelect;

interface Loaded {
  key: KeyObject;
  certificate: X509Certificate;
  chain: X509Certificate[];
}

const YEAR = 365 * 24 * 3600 * 1000;
const CA = 'ca';

const publicKeySha256 = (key: KeyObject) =>
  createHash('sha256')
    .update(
      (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' }),
    )
    .digest('hex');

function fromRow(r: Row): PartyCertificate {
  return {
    fingerprint: r.fingerprint,
    party: r.party,
    commonName: r.commonName,
    organization: r.organization,
    issuer: r.issuer,
    source: r.source as PartyCertificate['source'],
    notBefore: r.notBefore,
    notAfter: r.notAfter,
    chainPem: r.chainPem,
    createdAt: r.createdAt,
    retiredAt: r.retiredAt,
  };
}

/** Letters and digits only, lower case: how two spellings of one name compare. */
const bare = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');

export class PgPartyKeys implements PartyKeys {
  private readonly loaded = new Map<string, Loaded>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** The operator's key secret: private keys are encrypted with it when given. */
    private readonly secret?: string,
  ) {}

  async current(party: SigningParty): Promise<PartyCertificate> {
    const found = await this.active(this.db, party.party);
    if (found) return fromRow(found);
    return this.db.transaction(async (tx: Tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`party-key:${party.party}`}))`);
      const again = await this.active(tx, party.party);
      if (again) return fromRow(again);
      const ca = await this.authorityKey(tx);
      const subject: NameParts =
        party.party === 'platform'
          ? { commonName: party.name, organization: party.name }
          : {
              commonName: party.name,
              organization: party.name,
              organizationIdentifier: party.party,
              ...(party.country ? { country: party.country } : {}),
            };
      return fromRow(await this.issue(tx, party.party, subject, ca));
    });
  }

  capacity(certificate: PartyCertificate): number {
    const chain = certificatesOfPem(certificate.chainPem).reduce((n, c) => n + c.raw.length, 0);
    // The chain, the signed attributes and the signature (RSA-4096 at most), rounded up.
    return Math.ceil((chain + 1536) / 1024) * 1024;
  }

  async sign(certificate: PartyCertificate, file: Uint8Array): Promise<void> {
    const signer = await this.load(certificate.fingerprint);
    const gap = byteRangeOf(file);
    if (!gap.ok) throw new Error(`cannot sign: ${gap.problem}`);
    const digest = createHash('sha256').update(withoutGap(file, gap)).digest();
    writeSignature(
      file,
      gap,
      cadesDetached(digest, {
        key: signer.key,
        certificate: signer.certificate,
        chain: signer.chain,
      }),
    );
  }

  async upload(party: SigningParty, pkcs12: Uint8Array, password: string): Promise<UploadResult> {
    const read = readPkcs12(pkcs12, password);
    if (!read.ok) return read;
    const refuse = (problem: string): UploadResult => ({
      ok: false,
      field: 'body.pkcs12',
      problem,
    });
    const keyHash = publicKeySha256(read.key);
    const certificate = read.certificates.find((c) => publicKeySha256(c.publicKey) === keyHash);
    if (!certificate) return refuse("none of the file's certificates is the private key's");
    if (read.key.asymmetricKeyType !== 'ec' && read.key.asymmetricKeyType !== 'rsa')
      return refuse(`an RSA or ECDSA key is needed, not ${read.key.asymmetricKeyType}`);
    const now = this.clock.now();
    if (new Date(certificate.validTo) < now || new Date(certificate.validFrom) > now)
      return refuse(
        `the certificate is valid from ${certificate.validFrom} to ${certificate.validTo}, not now`,
      );
    const identifier = subjectAttribute(certificate, OID.organizationIdentifier);
    const organization = subjectAttribute(certificate, OID.organization);
    const commonName = subjectAttribute(certificate, OID.commonName) ?? certificate.subject;
    if (identifier?.startsWith('org_') && identifier !== party.party)
      return refuse(`the certificate is organisation ${identifier}'s, not ${party.party}'s`);
    const names = [organization, commonName].filter((n): n is string => !!n).map(bare);
    if (identifier !== party.party && !names.includes(bare(party.name)))
      return refuse(
        `the certificate is issued to ${organization ?? commonName}, not to ${party.name}`,
      );
    const [taken] = await this.db
      .select({ party: partyCertificates.party })
      .from(partyCertificates)
      .where(
        and(
          eq(partyCertificates.publicKeySha256, keyHash),
          ne(partyCertificates.party, party.party),
        ),
      )
      .limit(1);
    if (taken) return refuse(`the certificate's key is already ${taken.party}'s`);
    // The chain: the certificate's issuers from the file, in order.
    const chain: X509Certificate[] = [];
    for (let c = certificate; ;) {
      const issuer = read.certificates.find(
        (i) => i !== c && c.checkIssued(i) && c.verify(i.publicKey),
      );
      if (!issuer || chain.includes(issuer)) break;
      chain.push(issuer);
      c = issuer;
    }
    if (!chain.length && !certificate.checkIssued(certificate))
      return refuse("the file does not carry the certificate's issuer (the chain is kept)");
    const row = await this.db.transaction(async (tx: Tx) => {
      await tx
        .update(partyCertificates)
        .set({ retiredAt: now })
        .where(and(eq(partyCertificates.party, party.party), isNull(partyCertificates.retiredAt)));
      return this.store(tx, party.party, 'uploaded', read.key, certificate, chain);
    });
    return { ok: true, certificate: fromRow(row) };
  }

  async find(fingerprint: string): Promise<PartyCertificate | undefined> {
    const [row] = await this.db
      .select()
      .from(partyCertificates)
      .where(eq(partyCertificates.fingerprint, fingerprint));
    return row && fromRow(row);
  }

  async authority(): Promise<string> {
    const found = await this.active(this.db, CA);
    if (found) return certificatesOfPem(found.chainPem)[0]!.toString();
    return this.db.transaction(async (tx: Tx) =>
      (await this.authorityKey(tx)).certificate.toString(),
    );
  }

  private async active(db: Db | Tx, party: string): Promise<Row | undefined> {
    const [row] = await db
      .select()
      .from(partyCertificates)
      .where(and(eq(partyCertificates.party, party), isNull(partyCertificates.retiredAt)))
      .orderBy(desc(partyCertificates.createdAt), asc(partyCertificates.fingerprint))
      .limit(1);
    return row;
  }

  /** The authority's key and certificate, made in this transaction when there is none. */
  private async authorityKey(tx: Tx): Promise<Loaded> {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('party-key:ca'))`);
    const found = await this.active(tx, CA);
    if (found) return this.load(found.fingerprint, found);
    const row = await this.issue(tx, CA, {
      commonName: 'Corridor Document Signing CA',
      organization: 'Corridor',
    });
    return this.load(row.fingerprint, row);
  }

  private async issue(tx: Tx, party: string, subject: NameParts, ca?: Loaded): Promise<Row> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const now = this.clock.now();
    const certificate = issueCertificate({
      subject,
      publicKey,
      issuerKey: ca?.key ?? privateKey,
      ...(ca ? { issuer: ca.certificate } : {}),
      // A day back, for clocks a little behind.
      notBefore: new Date(now.getTime() - 24 * 3600 * 1000),
      notAfter: new Date(now.getTime() + (ca ? 3 : 20) * YEAR),
      ca: !ca,
    });
    return this.store(
      tx,
      party,
      'issued',
      privateKey,
      certificate,
      ca ? [ca.certificate, ...ca.chain] : [],
    );
  }

  private async store(
    tx: Tx,
    party: string,
    source: PartyCertificate['source'],
    key: KeyObject,
    certificate: X509Certificate,
    chain: X509Certificate[],
  ): Promise<Row> {
    const row = {
      fingerprint: fingerprintOf(certificate),
      party,
      commonName: subjectAttribute(certificate, OID.commonName) ?? certificate.subject,
      organization: subjectAttribute(certificate, OID.organization) ?? null,
      issuer: certificate.issuer.replaceAll('\n', ', '),
      source,
      notBefore: new Date(certificate.validFrom),
      notAfter: new Date(certificate.validTo),
      chainPem: [certificate, ...chain].map((c) => c.toString()).join(''),
      privateKey: wrapKey(key, this.secret),
      publicKeySha256: publicKeySha256(certificate.publicKey),
      createdAt: this.clock.now(),
      retiredAt: null,
    };
    await tx.insert(partyCertificates).values(row);
    this.loaded.set(row.fingerprint, { key, certificate, chain });
    return row;
  }

  private async load(fingerprint: string, known?: Row): Promise<Loaded> {
    const cached = this.loaded.get(fingerprint);
    if (cached) return cached;
    const row =
      known ??
      (
        await this.db
          .select()
          .from(partyCertificates)
          .where(eq(partyCertificates.fingerprint, fingerprint))
      )[0];
    if (!row?.privateKey) throw new Error(`no signing key for certificate ${fingerprint}`);
    const [certificate, ...chain] = certificatesOfPem(row.chainPem);
    const loaded = {
      key: unwrapKey(row.privateKey, this.secret),
      certificate: certificate!,
      chain,
    };
    this.loaded.set(fingerprint, loaded);
    return loaded;
  }
}
