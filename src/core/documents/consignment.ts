import type { TransportDocument } from '../customs/regimes.ts';
import type { Network } from '../network/network.ts';
import type { EpochMs } from '../shared/units.ts';
import type { ItineraryRide } from '../tracking/progress.ts';
import type { TransportSection } from './route.ts';
import { wagonNumberProblem } from './wagon-number.ts';

/**
 * The canonical consignment model: what the platform knows of a consignment (booking, shipment,
 * customs declaration) plus what only the consignor can say (wagons, seals, declarations),
 * gathered once and rendered as each document. A document's content is one of these values;
 * its content hash is the SHA-256 of the value's canonical JSON.
 */

export interface Party {
  name: string;
  address: string | null;
  country: string;
  identificationNumber: string | null;
}

export interface Place {
  nodeId: string;
  name: string;
  /** UN/LOCODE, where the place has one. */
  code: string | null;
  country: string;
}

/** One carrier's part of a section: a ride of the route. */
export interface CarrierSection {
  carrier: string;
  serviceId: string;
  tripId: string;
  from: Place;
  to: Place;
  departure: EpochMs | null;
  arrival: EpochMs | null;
}

export interface GoodsLine {
  hsCode: string;
  description: string;
  packages: { count: number; kind: string };
  grossMassKg: number;
  marks: string | null;
}

export interface ContainerLine {
  equipmentReference: string;
  isoEquipmentCode: string | null;
  seals: string[];
  /** The wagon it travels on, where the consignor named one. */
  wagon: string | null;
}

/** A rail consignment note (CIM/SMGS, SMGS or CIM) or a CMR note: one section of the route. */
export interface TransportNote {
  kind: 'rail_consignment_note' | 'cmr';
  variant: TransportDocument;
  section: number;
  shipmentId: string;
  reference: string | null;
  consignor: Party;
  consignee: Party;
  departure: Place;
  destination: Place;
  /** The border crossings of the section: the last place before and the first after. */
  borderCrossings: { from: Place; to: Place }[];
  carriers: CarrierSection[];
  wagons: { number: string; containers: string[] }[];
  containers: ContainerLine[];
  goods: GoodsLine[];
  hazardous: boolean;
  consignorDeclarations: string[];
  attachedDocuments: { type: string; reference: string }[];
  /** Who pays the charges of each carrier's part, in the carriers' order. */
  charges: { carrier: string; payer: string; payerCode: string | null }[];
  instructions: string | null;
  placeOfIssue: string;
  takenOverAt: EpochMs | null;
}

export interface TransitDocument {
  kind: 'transit_accompanying_document';
  section: 0;
  shipmentId: string;
  mrn: string;
  lrn: string;
  declarationVersion: number;
  holder: Party;
  guarantee: { reference: string; amount: number; currency: string };
  consignments: {
    consignor: Party;
    consignee: Party;
    goods: (GoodsLine & { value: number; currency: string; countryOfOrigin: string })[];
  }[];
  containers: ContainerLine[];
  itinerary: {
    country: string;
    regime: string;
    office: string;
    exitOffice: string | null;
    state: string;
    lane: string | null;
  }[];
  documents: { type: string; reference: string }[];
  acceptedAt: EpochMs;
}

export interface BookingDocument {
  kind: 'booking_confirmation';
  section: 0;
  shipmentId: string;
  reference: string | null;
  bookingId: string;
  state: string;
  containers: { type: string; count: number; grossKg: number }[];
  teu: number;
  hazardous: boolean;
  rides: CarrierSection[];
  arrivalP50: EpochMs | null;
  arrivalP90: EpochMs | null;
  costUsd: number | null;
  co2eKg: number | null;
  bookedAt: EpochMs;
}

export type DocumentContent = TransportNote | TransitDocument | BookingDocument;

/** What the consignor adds when issuing a note; anything left out comes from the declaration. */
export interface Particulars {
  consignor?: PartyInput | undefined;
  consignee?: PartyInput | undefined;
  goods?: GoodsInput[] | undefined;
  wagons?: { number: string; containers: string[] }[] | undefined;
  seals?: { equipmentReference: string; seals: string[] }[] | undefined;
  consignorDeclarations?: string[] | undefined;
  attachedDocuments?: { type: string; reference: string }[] | undefined;
  charges?: { payer: string; payerCode?: string | undefined }[] | undefined;
  instructions?: string | undefined;
  placeOfIssue?: string | undefined;
}

export interface PartyInput {
  name: string;
  address?: string | undefined;
  country: string;
  identificationNumber?: string | undefined;
}

export interface GoodsInput {
  hsCode: string;
  description: string;
  packages: { count: number; kind: string };
  grossMassKg: number;
  marks?: string | undefined;
}

/** The parts of a customs declaration a note takes what the consignor left out from. */
export interface DeclarationFacts {
  mrn: string;
  lrn: string;
  version: number;
  acceptedAt: EpochMs;
  holder: PartyInput;
  guarantee: { reference: string; amount: number; currency: string };
  consignments: {
    consignor: PartyInput;
    consignee: PartyInput;
    goodsItems: (Omit<GoodsInput, 'marks'> & {
      value: number;
      currency: string;
      countryOfOrigin: string;
    })[];
  }[];
  containers: { equipmentReference: string; seals: string[] }[];
  documents: { type: string; reference: string }[];
  itinerary: TransitDocument['itinerary'];
}

export interface ShipmentFacts {
  id: string;
  reference: string | null;
  equipment: readonly { equipmentReference: string; isoEquipmentCode: string | null }[];
  rides: readonly ItineraryRide[];
}

export interface Problem {
  path: string;
  message: string;
}

export type Built<T> = { ok: true; content: T } | { ok: false; problems: Problem[] };

/** A place of the network as documents name it. */
export function placeOf(network: Network, nodeId: string): Place {
  const n = network.nodes.get(nodeId);
  return n
    ? { nodeId, name: n.name, code: n.unLocode, country: n.country }
    : { nodeId, name: nodeId, code: null, country: '' };
}

const party = (p: PartyInput): Party => ({
  name: p.name,
  address: p.address ?? null,
  country: p.country,
  identificationNumber: p.identificationNumber ?? null,
});

const goodsLine = (g: Omit<GoodsInput, 'marks'> & { marks?: string | undefined }): GoodsLine => ({
  hsCode: g.hsCode,
  description: g.description,
  packages: { count: g.packages.count, kind: g.packages.kind },
  grossMassKg: g.grossMassKg,
  marks: g.marks ?? null,
});

/** The carriers' parts of a run of the route: each ride's stretch within it. */
export function carrierSections(
  network: Network,
  rides: readonly ItineraryRide[],
  rideIndexes: readonly number[],
  bounds?: { from: string; to: string },
): CarrierSection[] {
  const out: CarrierSection[] = [];
  for (const index of rideIndexes) {
    const ride = rides.find((r) => r.rideIndex === index);
    if (!ride) continue;
    const service = network.services.get(ride.serviceId);
    let first = 0;
    let end = ride.stops.length - 1;
    if (bounds) {
      const f = ride.stops.indexOf(bounds.from);
      const t = ride.stops.lastIndexOf(bounds.to);
      if (f >= 0) first = f;
      if (t > first) end = t;
    }
    // Consecutive rides of one trip (a plan's legs from stop to stop) are one carrier's part.
    const last = out.at(-1);
    if (last && last.tripId === ride.tripId && last.to.nodeId === ride.stops[first]) {
      last.to = placeOf(network, ride.stops[end]!);
      last.arrival = ride.plannedArrivals[end] ?? null;
      continue;
    }
    out.push({
      carrier: service?.operator ?? ride.serviceId,
      serviceId: ride.serviceId,
      tripId: ride.tripId,
      from: placeOf(network, ride.stops[first]!),
      to: placeOf(network, ride.stops[end]!),
      departure: ride.plannedDepartures[first] ?? null,
      arrival: ride.plannedArrivals[end] ?? null,
    });
  }
  return out;
}

/**
 * The note of one section: the consignor's particulars over the declaration's, checked against
 * the shipment (containers, wagons). Every problem names its field under `body.particulars`.
 */
export function transportNote(input: {
  network: Network;
  section: TransportSection;
  shipment: ShipmentFacts;
  declaration: DeclarationFacts | null;
  particulars: Particulars;
  hazardous: boolean;
}): Built<TransportNote> {
  const { network, section, shipment, declaration, particulars: p } = input;
  const problems: Problem[] = [];
  const at = (field: string) => `body.particulars.${field}`;
  const fromDeclaration = declaration?.consignments[0];
  const consignor = p.consignor ?? fromDeclaration?.consignor;
  const consignee = p.consignee ?? fromDeclaration?.consignee;
  const why = 'required: the shipment has no customs declaration to take it from';
  if (!consignor) problems.push({ path: at('consignor'), message: why });
  if (!consignee) problems.push({ path: at('consignee'), message: why });
  const goods: GoodsLine[] = p.goods
    ? p.goods.map(goodsLine)
    : (declaration?.consignments.flatMap((c) => c.goodsItems.map(goodsLine)) ?? []);
  if (goods.length === 0) problems.push({ path: at('goods'), message: why });

  const known = new Set(shipment.equipment.map((e) => e.equipmentReference));
  const wagonOf = new Map<string, string>();
  const wagons = p.wagons ?? [];
  if (section.document === 'CMR' && wagons.length > 0)
    problems.push({ path: at('wagons'), message: 'wagons belong on a rail note, not a CMR' });
  wagons.forEach((w, i) => {
    const problem = wagonNumberProblem(w.number);
    if (problem) problems.push({ path: at(`wagons.${i}.number`), message: problem });
    w.containers.forEach((c, j) => {
      if (!known.has(c))
        problems.push({
          path: at(`wagons.${i}.containers.${j}`),
          message: `${c} is not a container of this shipment`,
        });
      else if (wagonOf.has(c))
        problems.push({
          path: at(`wagons.${i}.containers.${j}`),
          message: `${c} is already on wagon ${wagonOf.get(c)}`,
        });
      else wagonOf.set(c, w.number);
    });
  });
  const seals = new Map<string, string[]>();
  for (const c of declaration?.containers ?? []) seals.set(c.equipmentReference, c.seals);
  (p.seals ?? []).forEach((s, i) => {
    if (!known.has(s.equipmentReference))
      problems.push({
        path: at(`seals.${i}.equipmentReference`),
        message: `${s.equipmentReference} is not a container of this shipment`,
      });
    else seals.set(s.equipmentReference, s.seals);
  });

  const rideIndexes = [...new Set(section.steps.map((s) => s.rideIndex))];
  const carriers = carrierSections(network, shipment.rides, rideIndexes, {
    from: section.from,
    to: section.to,
  });
  const charges = p.charges ?? [];
  if (charges.length > carriers.length)
    problems.push({
      path: at('charges'),
      message: `${charges.length} payers for ${carriers.length} carrier section(s)`,
    });
  if (problems.length > 0) return { ok: false, problems };

  const departure = placeOf(network, section.from);
  const country = (id: string) => network.nodes.get(id)?.country;
  const attached = [...(p.attachedDocuments ?? declaration?.documents ?? [])];
  if (declaration && !attached.some((d) => d.reference === declaration.mrn))
    attached.push({ type: 'transit declaration (MRN)', reference: declaration.mrn });
  const sender = party(consignor!);
  return {
    ok: true,
    content: {
      kind: section.document === 'CMR' ? 'cmr' : 'rail_consignment_note',
      variant: section.document,
      section: section.section,
      shipmentId: shipment.id,
      reference: shipment.reference,
      consignor: sender,
      consignee: party(consignee!),
      departure,
      destination: placeOf(network, section.to),
      borderCrossings: section.steps
        .filter((s) => country(s.from) !== country(s.to))
        .map((s) => ({ from: placeOf(network, s.from), to: placeOf(network, s.to) })),
      carriers,
      wagons: wagons.map((w) => ({ number: w.number, containers: [...w.containers] })),
      containers: shipment.equipment.map((e) => ({
        equipmentReference: e.equipmentReference,
        isoEquipmentCode: e.isoEquipmentCode,
        seals: seals.get(e.equipmentReference) ?? [],
        wagon: wagonOf.get(e.equipmentReference) ?? null,
      })),
      goods,
      hazardous: input.hazardous,
      consignorDeclarations: p.consignorDeclarations ?? [],
      attachedDocuments: attached,
      charges: carriers.map((c, i) => ({
        carrier: c.carrier,
        payer: charges[i]?.payer ?? sender.name,
        payerCode: charges[i]?.payerCode ?? null,
      })),
      instructions: p.instructions ?? null,
      placeOfIssue: p.placeOfIssue ?? departure.name,
      takenOverAt: carriers[0]?.departure ?? null,
    },
  };
}

/** The transit accompanying document of a lodged declaration. Pure. */
export function transitDocument(shipmentId: string, d: DeclarationFacts): TransitDocument {
  return {
    kind: 'transit_accompanying_document',
    section: 0,
    shipmentId,
    mrn: d.mrn,
    lrn: d.lrn,
    declarationVersion: d.version,
    holder: party(d.holder),
    guarantee: { ...d.guarantee },
    consignments: d.consignments.map((c) => ({
      consignor: party(c.consignor),
      consignee: party(c.consignee),
      goods: c.goodsItems.map((g) => ({
        ...goodsLine(g),
        value: g.value,
        currency: g.currency,
        countryOfOrigin: g.countryOfOrigin,
      })),
    })),
    containers: d.containers.map((c) => ({
      equipmentReference: c.equipmentReference,
      isoEquipmentCode: null,
      seals: [...c.seals],
      wagon: null,
    })),
    itinerary: d.itinerary.map((s) => ({ ...s })),
    documents: d.documents.map((x) => ({ ...x })),
    acceptedAt: d.acceptedAt,
  };
}

/** The confirmation of a booking: its itinerary, promised times, price and CO2e. Pure. */
export function bookingDocument(
  network: Network,
  shipment: ShipmentFacts,
  booking: {
    id: string;
    state: string;
    containers: readonly { type: string; count: number; grossKg: number }[];
    teu: number;
    hazardous: boolean;
    createdAt: EpochMs;
    promise: { arrivalP50: EpochMs; arrivalP90: EpochMs; costUsd: number; co2eKg: number } | null;
  },
): BookingDocument {
  return {
    kind: 'booking_confirmation',
    section: 0,
    shipmentId: shipment.id,
    reference: shipment.reference,
    bookingId: booking.id,
    state: booking.state,
    containers: booking.containers.map((c) => ({ ...c })),
    teu: booking.teu,
    hazardous: booking.hazardous,
    rides: carrierSections(
      network,
      shipment.rides,
      shipment.rides.map((r) => r.rideIndex),
    ),
    arrivalP50: booking.promise?.arrivalP50 ?? null,
    arrivalP90: booking.promise?.arrivalP90 ?? null,
    costUsd: booking.promise?.costUsd ?? null,
    co2eKg: booking.promise?.co2eKg ?? null,
    bookedAt: booking.createdAt,
  };
}
