import type { IssueDocumentBody } from '../api/documents.ts';
import { canonicalJson } from '../core/customs/audit-chain.ts';
import {
  bookingDocument,
  transitDocument,
  transportNote,
  type DeclarationFacts,
  type DocumentContent,
  type ShipmentFacts,
} from '../core/documents/consignment.ts';
import { layoutOf, NUMBER_PREFIX } from '../core/documents/forms.ts';
import {
  requiredDocuments,
  routeSteps,
  transportSections,
  type DocumentKind,
  type RequiredDocument,
} from '../core/documents/route.ts';
import { readSeal, sealBytes, sealLength, sealMessage, type Seal } from '../core/documents/seal.ts';
import { byteRangeOf, setByteRange, withoutGap } from '../core/documents/signature-range.ts';
import { documentsFor, regimesOf } from '../core/customs/regimes.ts';
import type { Network } from '../core/network/network.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import { AppError } from './errors.ts';
import type { Clock, Secrets } from './ports.ts';
import type { CustomsDeclaration, CustomsStore } from './customs-ports.ts';
import type {
  Digest,
  DocumentRenderer,
  DocumentSigner,
  DocumentStore,
  IssuedDocument,
  PartyKeys,
  PdfSignatureChecker,
  PublicKeyInfo,
  SignatureVerifier,
} from './document-ports.ts';
import type { OrganisationStore } from './account-ports.ts';
import type { Shipment, TrackingStore } from './shipments.ts';
import type { Booking, BookingStore } from './bookings.ts';
import { mayRead } from './shipment-access.ts';
import { accessOfActor } from './tracking.ts';
import { ROLE_LABELS, signingPartyOf } from './party-signatures.ts';

/**
 * Transport and customs documents from the data the platform holds (standards.md §3): the
 * shipment's route says which documents it needs; issuing one gathers the consignment from the
 * booking, the shipment and the customs declaration, draws it as a PDF, seals the file with
 * the platform's Ed25519 key and has the issuing party sign it in PAdES (decision 0012). Anyone
 * can check a file: online by its id, offline with the public key, or in any PDF reader.
 */

export interface DocumentDeps {
  network: Network;
  documents: DocumentStore;
  tracking: TrackingStore;
  bookings: BookingStore;
  customs: CustomsStore;
  organisations: OrganisationStore;
  clock: Clock;
  secrets: Secrets;
  digest: Digest;
  signer: DocumentSigner;
  verifier: SignatureVerifier;
  renderer: DocumentRenderer;
  /** The parties' signing keys (PAdES), and checking the signatures in files. */
  partyKeys: PartyKeys;
  pdfSignatures: PdfSignatureChecker;
  /** The platform's public address, for the verification link printed on every document. */
  publicUrl: () => string;
}

const TITLES: Record<DocumentKind, string> = {
  rail_consignment_note: 'rail consignment note',
  cmr: 'CMR consignment note',
  transit_accompanying_document: 'transit accompanying document',
  booking_confirmation: 'booking confirmation',
};
const VARIANT_TITLES: Record<string, string> = {
  'CIM/SMGS': 'CIM/SMGS common consignment note',
  SMGS: 'SMGS consignment note',
  CIM: 'CIM consignment note',
};

function titleOf(network: Network, r: Pick<RequiredDocument, 'kind' | 'variant' | 'from' | 'to'>) {
  const name = (id: string) => network.nodes.get(id)?.name ?? id;
  const base = (r.variant && VARIANT_TITLES[r.variant]) ?? TITLES[r.kind];
  return `${base}, ${name(r.from)} → ${name(r.to)}`;
}

/** Who may read a document: what its data may be read by (the issue's visibility rules). */
async function mayReadDocument(
  deps: DocumentDeps,
  actor: Actor,
  shipment: Shipment,
  doc: Pick<IssuedDocument, 'kind' | 'content'>,
): Promise<boolean> {
  if (shipment.organisationId === actor.organisationId || isPlatformAdmin(actor)) return true;
  if (doc.kind === 'booking_confirmation') return false;
  const access = await accessOfActor(deps, actor);
  if (doc.kind === 'transit_accompanying_document') {
    if (actor.organisationKind !== 'customs' || doc.content.kind !== doc.kind) return false;
    return doc.content.itinerary.some((s) => access.countries.includes(s.country));
  }
  return mayRead(access, shipment);
}

async function readableShipment(deps: DocumentDeps, actor: Actor, id: string): Promise<Shipment> {
  const shipment = await deps.tracking.findShipment(id);
  if (!shipment || !mayRead(await accessOfActor(deps, actor), shipment))
    throw new AppError('not_found', `no shipment ${id}`);
  return shipment;
}

/** The shipment's current declaration: the newest one not invalidated. */
async function declarationOf(
  deps: DocumentDeps,
  shipmentId: string,
): Promise<CustomsDeclaration | undefined> {
  const list = await deps.customs.list({ shipmentIds: [shipmentId], limit: 20 });
  return list.find((d) => d.state !== 'invalidated' && d.shipmentId === shipmentId);
}

function declarationFacts(d: CustomsDeclaration): DeclarationFacts {
  return {
    mrn: d.mrn,
    lrn: d.lrn,
    version: d.version,
    acceptedAt: d.createdAt.getTime(),
    holder: d.data.holder,
    guarantee: d.data.guarantee,
    consignments: d.data.consignments,
    containers: d.data.containers ?? [],
    documents: d.data.documents,
    itinerary: d.segments.map((s) => ({
      country: s.country,
      regime: s.regime,
      office: s.office,
      exitOffice: s.exitOffice,
      state: s.state,
      lane: s.lane,
    })),
  };
}

const shipmentFacts = (s: Shipment): ShipmentFacts => ({
  id: s.id,
  reference: s.reference,
  equipment: s.equipment,
  rides: s.rides,
});

export interface DocumentEntry {
  kind: DocumentKind;
  section: number;
  title: string;
  /** A rail consignment note's form (SMGS, CIM/SMGS, CIM); null for the other kinds. */
  variant: 'SMGS' | 'CIM/SMGS' | 'CIM' | null;
  from: string;
  to: string;
  status: 'issued' | 'missing' | 'not_ready';
  reason: string | null;
  document: IssuedDocument | null;
}

export interface ShipmentDocuments {
  shipmentId: string;
  documents: DocumentEntry[];
  others: { name: string; status: 'provided' | 'missing' }[];
  missing: string[];
}

/**
 * The documents the shipment's route needs, each issued (with its current version), missing,
 * or not ready yet (and why); and the other documents the route needs that traders bring.
 * Others than the shipment's organisation see only the documents they may read.
 */
export async function shipmentDocuments(
  deps: DocumentDeps,
  actor: Actor,
  shipmentId: string,
): Promise<ShipmentDocuments> {
  const shipment = await readableShipment(deps, actor, shipmentId);
  const owner = shipment.organisationId === actor.organisationId || isPlatformAdmin(actor);
  const steps = routeSteps(deps.network, shipment.rides);
  const [issued, declaration, booking] = await Promise.all([
    deps.documents.current(shipment.id),
    declarationOf(deps, shipment.id),
    shipment.bookingId ? deps.bookings.find(shipment.bookingId) : Promise.resolve(undefined),
  ]);
  const entries: DocumentEntry[] = [];
  for (const r of requiredDocuments(deps.network, steps, { booked: booking !== undefined })) {
    const doc = issued.find((d) => d.kind === r.kind && d.section === r.section) ?? null;
    if (doc && !(await mayReadDocument(deps, actor, shipment, doc))) continue;
    if (!doc && !owner) continue;
    let status: DocumentEntry['status'] = doc ? 'issued' : 'missing';
    let reason: string | null = null;
    if (!doc && r.kind === 'transit_accompanying_document' && !declaration) {
      status = 'not_ready';
      reason = 'no customs declaration has been lodged for this shipment';
    } else if (
      !doc &&
      r.kind === 'booking_confirmation' &&
      booking &&
      booking.state !== 'CONFIRMED' &&
      booking.state !== 'COMPLETED'
    ) {
      status = 'not_ready';
      reason = `the booking is ${booking.state}, not confirmed`;
    } else if (!doc && r.kind === 'booking_confirmation' && booking && needsAttention(booking)) {
      status = 'not_ready';
      reason = attentionReason(booking);
    } else if (!doc && (r.kind === 'rail_consignment_note' || r.kind === 'cmr') && !declaration)
      reason =
        "needs the consignor's particulars (consignor, consignee, goods): no declaration to take them from";
    entries.push({
      kind: r.kind,
      section: r.section,
      title: titleOf(deps.network, r),
      variant:
        r.variant === 'SMGS' || r.variant === 'CIM/SMGS' || r.variant === 'CIM' ? r.variant : null,
      from: r.from,
      to: r.to,
      status,
      reason,
      document: doc,
    });
  }
  const others = owner
    ? otherDocuments(deps.network, steps, shipment, declaration, booking?.hazardous ?? false)
    : [];
  return {
    shipmentId: shipment.id,
    documents: entries,
    others,
    missing: [
      ...entries.filter((e) => e.status !== 'issued').map((e) => e.title),
      ...others.filter((o) => o.status === 'missing').map((o) => o.name),
    ],
  };
}

/** Generated by the platform, so not listed among the others. */
const ISSUED_HERE = /consignment note|transit accompanying document/i;
const DECLARATIONS = /declaration \(|transit accompanying/i;

function otherDocuments(
  network: Network,
  steps: ReturnType<typeof routeSteps>,
  shipment: Shipment,
  declaration: CustomsDeclaration | undefined,
  hazardous: boolean,
): ShipmentDocuments['others'] {
  if (steps.length === 0) return [];
  const provided = new Set(
    (declaration?.data.documents ?? []).map((d) => d.type.trim().toLowerCase()),
  );
  const countries = new Set(declaration?.segments.map((s) => s.country) ?? []);
  return documentsFor(regimesOf(network, steps), { hazardous })
    .filter((name) => !ISSUED_HERE.test(name) || /bill of lading/.test(name))
    .map((name) => {
      const bare = name.replace(/\s*\(.*\)$/, '').toLowerCase();
      const country = /\(([A-Z]{2})\)$/.exec(name)?.[1];
      const byDeclaration =
        DECLARATIONS.test(name) && country !== undefined && countries.has(country);
      return {
        name,
        status:
          provided.has(bare) || provided.has(name.toLowerCase()) || byDeclaration
            ? ('provided' as const)
            : ('missing' as const),
      };
    })
    .filter(() => shipment.rides.length > 0);
}

/**
 * Issues a document of the shipment (its organisation only): a new version when its content
 * differs from the current one, else the current one (`created: false`).
 */
export async function issueDocument(
  deps: DocumentDeps,
  actor: Actor,
  shipmentId: string,
  body: IssueDocumentBody,
): Promise<{ document: IssuedDocument; created: boolean }> {
  const shipment = await readableShipment(deps, actor, shipmentId);
  if (shipment.organisationId !== actor.organisationId && !isPlatformAdmin(actor))
    throw new AppError('forbidden', "only the shipment's organisation issues its documents");
  const steps = routeSteps(deps.network, shipment.rides);
  const [declaration, booking] = await Promise.all([
    declarationOf(deps, shipment.id),
    shipment.bookingId ? deps.bookings.find(shipment.bookingId) : Promise.resolve(undefined),
  ]);
  const required = requiredDocuments(deps.network, steps, { booked: booking !== undefined });
  const ofKind = required.filter((r) => r.kind === body.kind);
  const wanted =
    body.section === undefined ? ofKind[0] : ofKind.find((r) => r.section === body.section);
  if (!wanted) {
    const sections = ofKind.map((r) => r.section).join(', ');
    throw new AppError(
      'invalid_data',
      ofKind.length === 0
        ? `body.kind: this shipment's route needs no ${TITLES[body.kind]}`
        : `body.section: no such section of kind ${body.kind} (sections: ${sections})`,
      [
        ofKind.length === 0
          ? {
              path: 'body.kind',
              message: `this shipment's route needs no ${TITLES[body.kind]}`,
            }
          : { path: 'body.section', message: `not a section of kind ${body.kind}: ${sections}` },
      ],
    );
  }
  const content = contentOf(deps, shipment, wanted, body, declaration, booking);
  const contentHash = deps.digest.sha256(canonicalJson(content));
  const current = (await deps.documents.current(shipment.id)).find(
    (d) => d.kind === wanted.kind && d.section === wanted.section,
  );
  if (current?.contentHash === contentHash) return { document: current, created: false };

  const now = deps.clock.now();
  const id = deps.secrets.id('doc');
  const number = `${NUMBER_PREFIX[wanted.kind]}-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${id.slice(4, 12).toUpperCase()}`;
  const layout = layoutOf(content, { number, issuedAt: now.getTime() });
  const issuer = await deps.organisations.find(shipment.organisationId);
  if (!issuer) throw new AppError('not_found', `no organisation ${shipment.organisationId}`);
  const party = await signingPartyOf(deps, issuer, content);
  const [keyId, certificate] = await Promise.all([
    deps.signer.keyId(),
    deps.partyKeys.current(party),
  ]);
  const pdf = await deps.renderer.render(layout, {
    documentId: id,
    contentHash,
    keyId,
    verifyUrl: verifyUrlOf(deps, id),
    signature: {
      name: certificate.commonName,
      role: ROLE_LABELS[party.role],
      location: 'placeOfIssue' in content ? content.placeOfIssue : null,
      signedAt: now.getTime(),
      capacity: deps.partyKeys.capacity(certificate),
    },
  });
  // Seal first (over all but the signature's hex string), then sign the whole file.
  const gap = setByteRange(pdf, pdf.length + sealLength(id));
  if (!gap) throw new Error('the rendered PDF has no signature placeholder');
  const fileSha256 = deps.digest.sha256(withoutGap(pdf, gap));
  const signed = await deps.signer.sign(
    sealMessage({
      id,
      kid: keyId,
      sha256: fileSha256,
      contentHash,
      signer: certificate.fingerprint,
    }),
  );
  const seal: Seal = {
    v: 2,
    id,
    kid: signed.keyId,
    sha256: fileSha256,
    contentHash,
    signer: certificate.fingerprint,
    signature: signed.signature,
  };
  const tail = sealBytes(seal);
  const file = new Uint8Array(pdf.length + tail.length);
  file.set(pdf);
  file.set(tail, pdf.length);
  await deps.partyKeys.sign(certificate, file);
  const document = await deps.documents.issue(
    {
      id,
      shipmentId: shipment.id,
      organisationId: shipment.organisationId,
      kind: wanted.kind,
      section: wanted.section,
      number,
      title: titleOf(deps.network, wanted),
      content,
      contentHash,
      fileSha256,
      keyId: signed.keyId,
      signature: signed.signature,
      bytes: file.length,
      issuedAt: now,
      issuedBy: actor.id,
      signer: {
        party: party.party,
        name: certificate.commonName,
        role: party.role,
        certificate: certificate.fingerprint,
      },
    },
    file,
  );
  return { document, created: true };
}

function contentOf(
  deps: DocumentDeps,
  shipment: Shipment,
  wanted: RequiredDocument,
  body: IssueDocumentBody,
  declaration: CustomsDeclaration | undefined,
  booking: Awaited<ReturnType<BookingStore['find']>>,
): DocumentContent {
  const facts = shipmentFacts(shipment);
  const notReady = (message: string) =>
    new AppError('conflict', message, [{ path: 'body.kind', message }]);
  switch (wanted.kind) {
    case 'transit_accompanying_document':
      if (!declaration) throw notReady('no customs declaration has been lodged for this shipment');
      return transitDocument(shipment.id, declarationFacts(declaration));
    case 'booking_confirmation':
      if (!booking || (booking.state !== 'CONFIRMED' && booking.state !== 'COMPLETED'))
        throw notReady(`the booking is ${booking?.state ?? 'gone'}, not confirmed`);
      // A confirmation never confirms what a schedule change cancelled or moved.
      if (needsAttention(booking)) throw notReady(attentionReason(booking));
      return bookingDocument(deps.network, facts, {
        ...booking,
        createdAt: booking.createdAt.getTime(),
        promise: booking.promise && {
          arrivalP50: Date.parse(booking.promise.arrivalP50),
          arrivalP90: Date.parse(booking.promise.arrivalP90),
          costUsd: booking.promise.costUsd,
          co2eKg: booking.promise.co2eKg,
        },
      });
    default: {
      const section = transportSections(
        deps.network,
        routeSteps(deps.network, shipment.rides),
      ).find((s) => s.section === wanted.section)!;
      const built = transportNote({
        network: deps.network,
        section,
        shipment: facts,
        declaration: declaration ? declarationFacts(declaration) : null,
        particulars: body.particulars ?? {},
        hazardous: booking?.hazardous ?? false,
      });
      if (!built.ok)
        throw new AppError(
          'invalid_data',
          built.problems.map((p) => `${p.path}: ${p.message}`).join('; '),
          built.problems,
        );
      return built.content;
    }
  }
}

function needsAttention(booking: Booking): boolean {
  return booking.state === 'CONFIRMED' && booking.attention.length > 0;
}

function attentionReason(booking: Booking): string {
  return `booking ${booking.id} needs attention: ${booking.attention.join('; ')}; amend it before it is confirmed in a document`;
}

function verifyUrlOf(deps: Pick<DocumentDeps, 'publicUrl'>, id: string): string {
  return `${deps.publicUrl().replace(/\/$/, '')}/v1/documents/${id}/verify`;
}

/** A document's record, for those who may read it. */
export async function getDocument(
  deps: DocumentDeps,
  actor: Actor,
  id: string,
): Promise<IssuedDocument> {
  const doc = await deps.documents.find(id);
  const shipment = doc && (await deps.tracking.findShipment(doc.shipmentId));
  if (!doc || !shipment || !(await mayReadDocument(deps, actor, shipment, doc)))
    throw new AppError('not_found', `no document ${id}`);
  return doc;
}

/** A document's sealed PDF, for those who may read it. */
export async function documentFile(
  deps: DocumentDeps,
  actor: Actor,
  id: string,
): Promise<{ document: IssuedDocument; file: Uint8Array }> {
  const document = await getDocument(deps, actor, id);
  const file = await deps.documents.file(id);
  if (!file) throw new AppError('not_found', `no document ${id}`);
  return { document, file };
}

export interface Verification {
  documentId: string;
  authentic: boolean;
  unchanged: boolean | null;
  current: boolean;
  problems: string[];
  document: IssuedDocument | null;
}

/** The file's PAdES signature as read: who signed, with which certificate. */
export interface FileSignature {
  valid: boolean;
  certificate: string | null;
  commonName: string | null;
}

/**
 * Checks a sealed file: every byte as sealed, the seal signed by a known key, and (seal version
 * 2) the PDF signature valid, over the whole file, made with the certificate the seal names.
 * I/O-free crypto.
 */
export async function checkSealedFile(
  deps: { digest: Digest; verifier: SignatureVerifier; pdfSignatures: PdfSignatureChecker },
  file: Uint8Array,
): Promise<{
  seal: Seal | null;
  authentic: boolean;
  unchanged: boolean;
  signature: FileSignature | null;
  problems: string[];
}> {
  const read = readSeal(file);
  if (!read.ok)
    return {
      seal: null,
      authentic: false,
      unchanged: false,
      signature: null,
      problems: [read.problem],
    };
  const { seal, body } = read;
  const problems: string[] = [];
  let signature: FileSignature | null = null;
  let covered: Uint8Array = body;
  let foreign = false;
  if (seal.v === 2) {
    const gap = byteRangeOf(file);
    const check = deps.pdfSignatures.check(file);
    signature = {
      valid: check.valid,
      certificate: check.signer?.fingerprint ?? null,
      commonName: check.signer?.commonName ?? null,
    };
    if (!gap.ok) problems.push(gap.problem);
    else covered = withoutGap(body, gap);
    if (gap.ok && !check.valid) problems.push(`the PDF signature is not valid: ${check.problem}`);
    if (check.signer && check.signer.fingerprint !== seal.signer) {
      foreign = true;
      problems.push(
        `the PDF is signed by ${check.signer.commonName} with certificate ${check.signer.fingerprint.slice(0, 16)}…, not with the certificate the seal names`,
      );
    }
  }
  const unchanged = deps.digest.sha256(covered) === seal.sha256;
  if (!unchanged) problems.unshift('the file has been changed since it was sealed');
  const signed = await deps.verifier.verify(seal.kid, sealMessage(seal), seal.signature);
  if (signed === 'unknown_key')
    problems.push(`the seal's key ${seal.kid} is not a key of the platform`);
  else if (!signed) problems.push('the signature does not match the seal');
  return {
    seal,
    authentic: signed === true && !foreign,
    unchanged: unchanged && (signature === null || signature.valid),
    signature,
    problems,
  };
}

/**
 * Public: whether a document was issued by the platform, with its signature intact and its
 * content as hashed; with a file, also whether the file is the one issued, byte for byte.
 */
export async function verifyDocument(
  deps: DocumentDeps,
  id: string | null,
  file?: Uint8Array,
): Promise<Verification> {
  const problems: string[] = [];
  let unchanged: boolean | null = null;
  let fileAuthentic = true;
  let signatureOfFile: FileSignature | null = null;
  if (file) {
    const check = await checkSealedFile(deps, file);
    signatureOfFile = check.signature;
    problems.push(...check.problems);
    unchanged = check.unchanged;
    fileAuthentic = check.authentic;
    if (check.seal) {
      if (id !== null && id !== check.seal.id)
        problems.push(`the file is document ${check.seal.id}, not ${id}`);
      id ??= check.seal.id;
    }
  }
  const doc = id ? await deps.documents.find(id) : undefined;
  const none = { documentId: id ?? '', current: false, document: null };
  if (!doc) {
    if (id) problems.push(`no document ${id} was issued by this platform`);
    return { ...none, authentic: false, unchanged, problems };
  }
  const record = await deps.verifier.verify(
    doc.keyId,
    sealMessage({
      id: doc.id,
      kid: doc.keyId,
      sha256: doc.fileSha256,
      contentHash: doc.contentHash,
      ...(doc.signer ? { signer: doc.signer.certificate } : {}),
    }),
    doc.signature,
  );
  if (record !== true) problems.push("the platform's record of this document fails its signature");
  if (doc.signer) {
    // The certificate the document was signed with is the issuing party's own.
    const certificate = await deps.partyKeys.find(doc.signer.certificate);
    if (certificate?.party !== doc.signer.party)
      problems.push(`the signing certificate on record is not ${doc.signer.name}'s`);
    if (signatureOfFile?.certificate && signatureOfFile.certificate !== doc.signer.certificate)
      problems.push(
        `the file is signed by ${signatureOfFile.commonName ?? 'another party'}, not by ${doc.signer.name}, the party that issues it`,
      );
  }
  if (deps.digest.sha256(canonicalJson(doc.content)) !== doc.contentHash)
    problems.push("the platform's record of this document does not match its content hash");
  if (file) {
    const read = readSeal(file);
    if (read.ok && read.seal.sha256 !== doc.fileSha256)
      problems.push('the file is not the one issued under this id');
    unchanged = unchanged === true && read.ok && read.seal.sha256 === doc.fileSha256;
  }
  return {
    documentId: doc.id,
    authentic: record === true && fileAuthentic && problems.length === 0,
    unchanged,
    current: doc.supersededAt === null,
    problems,
    document: doc,
  };
}

export async function signingKeys(deps: Pick<DocumentDeps, 'signer'>): Promise<PublicKeyInfo[]> {
  return deps.signer.publicKeys();
}

export { verifyUrlOf };
