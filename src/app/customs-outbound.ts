import type { DeclarationBody } from '../api/customs.ts';
import {
  declarationDataMessage,
  declarationDataProblems,
  type DeclarationDataKind,
} from '../core/customs/ncts/declaration-data.ts';
import { advanceDataMessage } from '../core/customs/etir/messages.ts';
import { AppError } from './errors.ts';
import type {
  CustomsSystemKind,
  CustomsSystemRoute,
  CustomsSystemStore,
  SystemLink,
  SystemWrites,
} from './customs-system-ports.ts';
import type { DocumentStore } from './document-ports.ts';
import type { Clock, Secrets } from './ports.ts';
import type { CustomsDeclaration, CustomsSegment, OfficeInfo } from './customs-ports.ts';

/**
 * Which segments a customs system decides, and the messages a declaration's lodging or amendment
 * sends to them. A transit segment (regime ncts_transit) of an administration whose route says
 * NCTS is decided in NCTS: its declaration data (CC015C) and amendments (CC013C) are written to
 * the outbox in the transaction that lodges or amends, and the platform does not assess it. Every
 * other segment stays on the platform's customs desk.
 */

interface OutboundDeps {
  systems: CustomsSystemStore;
  secrets: Secrets;
  clock: Clock;
}

/** The system that may decide on a segment of each regime (the others stay on the desk). */
const SYSTEM_OF_REGIME: Partial<Record<string, CustomsSystemKind>> = {
  ncts_transit: 'ncts',
  tir_etir: 'etir',
};

/** The system deciding on a segment, if not the desk. */
export type ExternalOf = (
  s: Pick<CustomsSegment, 'office' | 'country' | 'regime'>,
) => CustomsSystemRoute | undefined;

/**
 * The route in force for an office: the office's own, its administration's, its country's (the
 * most specific first); undefined for the desk. Pure.
 */
export function routeFor(
  routes: readonly CustomsSystemRoute[],
  office: string,
  offices: ReadonlyMap<string, OfficeInfo>,
  country: string,
): CustomsSystemRoute | undefined {
  const org = offices.get(office)?.organisationId;
  return (
    routes.find((r) => r.scope === office) ??
    (org ? routes.find((r) => r.scope === org) : undefined) ??
    routes.find((r) => r.scope === country)
  );
}

/** Which segments are decided in a customs system, with the routes as configured now. */
export async function externalSegments(
  deps: Pick<OutboundDeps, 'systems'>,
  offices: ReadonlyMap<string, OfficeInfo>,
): Promise<ExternalOf> {
  const routes = await deps.systems.routes();
  if (routes.length === 0) return () => undefined;
  return (s) => {
    const system = SYSTEM_OF_REGIME[s.regime];
    if (!system) return undefined;
    const route = routeFor(routes, s.office, offices, s.country);
    return route?.system === system ? route : undefined;
  };
}

/** Refuses a declaration that an NCTS segment cannot carry (invalid_data, every field named). */
export function checkFitsSystems(
  data: DeclarationBody,
  segments: readonly Pick<CustomsSegment, 'office' | 'country' | 'regime'>[],
  external: ExternalOf,
): void {
  if (!segments.some((s) => external(s)?.system === 'ncts')) return;
  const problems = declarationDataProblems(data);
  if (problems.length > 0)
    throw new AppError(
      'invalid_data',
      `the declaration goes to NCTS, which does not accept it as it is: ${problems[0]!.path} ${problems[0]!.message}`,
      problems,
    );
}

/**
 * The declaration data (lodging) or amendment messages of a declaration's externally decided
 * segments, with their links (the MRN a system allocated kept through an amendment).
 */
export function declarationMessages(
  deps: OutboundDeps,
  d: CustomsDeclaration,
  kind: DeclarationDataKind,
  external: ExternalOf,
  known: readonly SystemLink[] = [],
  transportDocuments: readonly { type: string; reference: string }[] = [],
): SystemWrites {
  const now = deps.clock.now();
  const writes: Required<Pick<SystemWrites, 'outbox' | 'links'>> = { outbox: [], links: [] };
  d.segments.forEach((s, i) => {
    const route = external(s);
    if (route?.system !== 'ncts') return;
    const link = known.find((l) => l.segmentSeq === s.seq);
    if (kind === 'CC013C' && !link) return;
    const id = messageId(deps);
    writes.outbox.push({
      id,
      system: route.system,
      country: s.country,
      office: s.office,
      declarationId: d.id,
      segmentSeq: s.seq,
      messageType: kind,
      body: declarationDataMessage(
        kind,
        {
          messageIdentification: id,
          messageSender: route.sender,
          messageRecipient: route.recipient,
          preparedAt: now,
        },
        { ...d.data, transportDocuments },
        {
          office: s.office,
          destinationOffice: s.exitOffice ?? s.office,
          mode: d.data.itinerary?.[i]?.meansOfTransport?.mode,
        },
        link?.mrn ?? undefined,
      ),
      endpointUrl: route.endpointUrl,
      createdAt: now,
    });
    writes.links.push({
      declarationId: d.id,
      segmentSeq: s.seq,
      system: route.system,
      country: s.country,
      lrn: d.lrn,
      office: s.office,
      mrn: link?.mrn ?? null,
    });
  });
  const tir = etirMessage(
    deps,
    d,
    kind === 'CC015C' ? 'E9' : 'E11',
    external,
    known,
    now,
    transportDocuments,
  );
  writes.outbox.push(...tir.outbox);
  writes.links.push(...tir.links);
  return writes;
}

/**
 * The holder's advance TIR data (E9) at lodging, or advance amendment data (E11) at an
 * amendment, for a declaration with segments decided through eTIR: one message for the TIR
 * transport, to the international system, through the outbox of the first such segment's
 * country; a link per eTIR segment, keyed by the guarantee reference.
 */
function etirMessage(
  deps: OutboundDeps,
  d: CustomsDeclaration,
  kind: 'E9' | 'E11',
  external: ExternalOf,
  known: readonly SystemLink[],
  now: Date,
  transportDocuments: readonly { type: string; reference: string }[],
): Required<Pick<SystemWrites, 'outbox' | 'links'>> {
  const segments = d.segments.filter((s) => external(s)?.system === 'etir');
  const first = segments[0];
  if (!first) return { outbox: [], links: [] };
  if (kind === 'E11' && !known.some((l) => l.system === 'etir')) return { outbox: [], links: [] };
  const route = external(first)!;
  const id = messageId(deps);
  const links: SystemLink[] = segments.map((s) => ({
    declarationId: d.id,
    segmentSeq: s.seq,
    system: 'etir',
    country: s.country,
    lrn: d.data.guarantee.reference,
    office: s.office,
    mrn: null,
  }));
  return {
    outbox: [
      {
        id,
        system: 'etir',
        country: first.country,
        office: first.office,
        declarationId: d.id,
        segmentSeq: first.seq,
        messageType: kind,
        body: advanceDataMessage(
          kind,
          { messageId: id, sender: route.sender, recipient: route.recipient, preparedAt: now },
          { ...d.data, transportDocuments },
          segments.map((s) => ({
            country: s.country,
            office: s.office,
            exitOffice: s.exitOffice ?? undefined,
          })),
          d.version,
        ),
        endpointUrl: route.endpointUrl,
        createdAt: now,
      },
    ],
    links,
  };
}

/**
 * The consignment notes issued for the shipment, as NCTS transport documents (code list CL754):
 * a CMR as N730 road consignment note, a CIM or CIM/SMGS note as N720, an SMGS note as N722;
 * each by its printed number (its structured form is GET /v1/documents/{id}.xml).
 */
export async function transportDocumentsOf(
  deps: { documents: Pick<DocumentStore, 'current'> },
  shipmentId: string | null,
): Promise<{ type: string; reference: string }[]> {
  if (!shipmentId) return [];
  return (await deps.documents.current(shipmentId)).flatMap((doc) => {
    const c = doc.content;
    if (c.kind === 'cmr') return [{ type: 'N730', reference: doc.number }];
    if (c.kind === 'rail_consignment_note')
      return [{ type: c.variant === 'SMGS' ? 'N722' : 'N720', reference: doc.number }];
    return [];
  });
}

/** A message identification: unique, at most 35 characters (the header's limit). */
function messageId(deps: Pick<OutboundDeps, 'secrets'>): string {
  return deps.secrets.id('msg').slice(0, 35);
}
