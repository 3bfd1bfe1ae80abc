import type { DocumentContent } from '../core/documents/consignment.ts';
import type { DocumentLayout, Stamp } from '../core/documents/layout.ts';
import type { DocumentKind } from '../core/documents/route.ts';

/**
 * What the document use cases need from adapters: storage of issued documents, the renderer,
 * the platform's Ed25519 seal key, and the parties' signing keys and X.509 certificates for
 * PAdES signatures.
 */

/** An issued document as stored, without its file. */
export interface IssuedDocument {
  id: string;
  shipmentId: string;
  organisationId: string;
  kind: DocumentKind;
  section: number;
  version: number;
  number: string;
  title: string;
  content: DocumentContent;
  contentHash: string;
  fileSha256: string;
  keyId: string;
  signature: string;
  bytes: number;
  issuedAt: Date;
  issuedBy: string;
  supersededAt: Date | null;
  /** The party that signed the file (PAdES); null for documents sealed before parties signed. */
  signer: PartySignature | null;
}

export interface DocumentStore {
  /**
   * Stores a new version of the shipment's document of this kind and section, replacing the
   * current one, in one transaction; the version is the next free one.
   */
  issue(
    doc: Omit<IssuedDocument, 'version' | 'supersededAt'>,
    file: Uint8Array,
  ): Promise<IssuedDocument>;
  find(id: string): Promise<IssuedDocument | undefined>;
  /** The sealed file. */
  file(id: string): Promise<Uint8Array | undefined>;
  /** The shipment's current documents (not superseded). */
  current(shipmentId: string): Promise<IssuedDocument[]>;
}

/** Draws a layout as a PDF (A4), with the stamp on every page. */
export interface DocumentRenderer {
  render(layout: DocumentLayout, stamp: Stamp): Promise<Uint8Array>;
}

export interface PublicKeyInfo {
  keyId: string;
  publicKeyPem: string;
  createdAt: Date;
}

/** The platform's Ed25519 document signing key. */
export interface DocumentSigner {
  /** The key new documents are signed with. */
  keyId(): Promise<string>;
  sign(message: string): Promise<{ keyId: string; signature: string }>;
  publicKeys(): Promise<PublicKeyInfo[]>;
}

/** Checks Ed25519 signatures with known public keys (no private key needed). */
export interface SignatureVerifier {
  verify(keyId: string, message: string, signature: string): Promise<boolean | 'unknown_key'>;
}

export interface Digest {
  /** SHA-256 of the bytes, lower-case hex. */
  sha256(data: Uint8Array | string): string;
}

/** Who signs a document as the party that issues it. */
export interface SigningParty {
  /** An organisation id, or `platform`. */
  party: string;
  name: string;
  role: 'consignor' | 'carrier' | 'holder' | 'platform';
  /** ISO 3166-1 alpha-2, for the certificate's subject. */
  country: string | null;
}

/** The signature in an issued file: who signed, in which role, with which certificate. */
export interface PartySignature {
  party: string;
  name: string;
  role: SigningParty['role'];
  /** SHA-256 of the signing certificate (DER), hex. */
  certificate: string;
}

/** A party's document-signing certificate, with the chain up to its root. */
export interface PartyCertificate {
  fingerprint: string;
  party: string;
  /** The subject's common name and organisation, as a PDF reader shows them. */
  commonName: string;
  organization: string | null;
  issuer: string;
  source: 'issued' | 'uploaded';
  notBefore: Date;
  notAfter: Date;
  /** The certificate and its issuers, PEM, signer first. */
  chainPem: string;
  createdAt: Date;
  retiredAt: Date | null;
}

export type UploadResult =
  | { ok: true; certificate: PartyCertificate }
  | { ok: false; field: 'body.pkcs12' | 'body.password'; problem: string };

/** The parties' signing keys and certificates (issued by the platform's authority, or uploaded). */
export interface PartyKeys {
  /** The party's current certificate: issued by the platform's authority on first need. */
  current(party: SigningParty): Promise<PartyCertificate>;
  /** Room the certificate's signature needs in a PDF, bytes. */
  capacity(certificate: PartyCertificate): number;
  /**
   * Writes the party's PAdES signature into the file's placeholder, in place, over the bytes
   * outside it (the byte range already set).
   */
  sign(certificate: PartyCertificate, file: Uint8Array): Promise<void>;
  /** Checks and keeps an uploaded PKCS #12 (key and certificate chain) as the party's own. */
  upload(party: SigningParty, pkcs12: Uint8Array, password: string): Promise<UploadResult>;
  find(fingerprint: string): Promise<PartyCertificate | undefined>;
  /** The platform authority's certificate, PEM. */
  authority(): Promise<string>;
}

/** What a PDF's last signature says: checked with the certificates it carries. */
export interface PdfSignatureCheck {
  /** Whether the signature matches the bytes it covers and its certificate. */
  valid: boolean;
  /** Whether it covers the whole file. */
  whole: boolean;
  signer: { fingerprint: string; commonName: string; organization: string | null } | null;
  /** SHA-256 of each certificate the signature carries after the signer's. */
  chain: string[];
  problem: string | null;
}

/** Reads and checks PAdES signatures with no database: offline too. */
export interface PdfSignatureChecker {
  check(file: Uint8Array): PdfSignatureCheck;
}
