import { regimesOf, transportDocuments, type TransportDocument } from '../customs/regimes.ts';
import type { Network } from '../network/network.ts';
import type { DirectedLink } from '../network/path-facts.ts';
import type { ItineraryRide } from '../tracking/progress.ts';

/**
 * The documents a shipment's route calls for (standards.md §3, reference.md §6): one rail
 * consignment note per rail chain (SMGS, CIM/SMGS or CIM by the countries it reaches; the
 * Caspian crossing of a rail chain stays on its note), one CMR note per road stretch, a transit
 * accompanying document where the goods travel under a transit procedure, and the booking
 * confirmation where the shipment was booked.
 */

export const DOCUMENT_KINDS = [
  'rail_consignment_note',
  'cmr',
  'transit_accompanying_document',
  'booking_confirmation',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** One link of the route, with the ride that travels it. */
export interface RouteStep extends DirectedLink {
  rideIndex: number;
  serviceId: string;
}

/** A run of the route under one transport document. */
export interface TransportSection {
  /** Position among the route's sections, from 0: the `section` of its document. */
  section: number;
  document: TransportDocument;
  steps: RouteStep[];
  from: string;
  to: string;
}

export interface RequiredDocument {
  kind: DocumentKind;
  section: number;
  /** The form, e.g. `CIM/SMGS` for a rail note; null for the others. */
  variant: TransportDocument | null;
  from: string;
  to: string;
}

const TRANSIT = new Set(['eaeu_transit', 'ncts_transit', 'tir_etir', 'national_transit']);

/** The links the rides travel, in order, each with its ride (its index when not given). Pure. */
export function routeSteps(
  network: Network,
  rides: readonly (Pick<ItineraryRide, 'serviceId' | 'stops'> & { rideIndex?: number })[],
): RouteStep[] {
  const steps: RouteStep[] = [];
  for (const [index, ride] of rides.entries()) {
    const service = network.services.get(ride.serviceId);
    if (!service) continue;
    const first = service.stops.findIndex((s) => s.nodeId === ride.stops[0]);
    const last = service.stops.findIndex((s, k) => k > first && s.nodeId === ride.stops.at(-1));
    for (let k = first + 1; k <= last; k++) {
      const stop = service.stops[k]!;
      const nodes = [service.stops[k - 1]!.nodeId, ...stop.viaNodeIds, stop.nodeId];
      stop.links.forEach((link, j) =>
        steps.push({
          from: nodes[j]!,
          to: nodes[j + 1]!,
          link,
          rideIndex: ride.rideIndex ?? index,
          serviceId: ride.serviceId,
        }),
      );
    }
  }
  return steps;
}

/** The route cut where its transport document changes. Pure. */
export function transportSections(
  network: Network,
  steps: readonly RouteStep[],
): TransportSection[] {
  if (steps.length === 0) return [];
  const docs = transportDocuments(network, steps);
  const sections: TransportSection[] = [];
  steps.forEach((step, i) => {
    const last = sections.at(-1);
    if (last && last.document === docs[i]) {
      last.steps.push(step);
      last.to = step.to;
    } else
      sections.push({
        section: sections.length,
        document: docs[i]!,
        steps: [step],
        from: step.from,
        to: step.to,
      });
  });
  return sections;
}

/** The documents the platform issues for a route, in route order. Pure. */
export function requiredDocuments(
  network: Network,
  steps: readonly RouteStep[],
  facts: { booked: boolean },
): RequiredDocument[] {
  if (steps.length === 0) return [];
  const out: RequiredDocument[] = [];
  const origin = steps[0]!.from;
  const destination = steps.at(-1)!.to;
  if (facts.booked)
    out.push({
      kind: 'booking_confirmation',
      section: 0,
      variant: null,
      from: origin,
      to: destination,
    });
  for (const s of transportSections(network, steps)) {
    if (s.document === 'CMR')
      out.push({ kind: 'cmr', section: s.section, variant: 'CMR', from: s.from, to: s.to });
    else if (s.document !== 'bill of lading')
      out.push({
        kind: 'rail_consignment_note',
        section: s.section,
        variant: s.document,
        from: s.from,
        to: s.to,
      });
  }
  if (regimesOf(network, steps).some((r) => TRANSIT.has(r.customsRegime)))
    out.push({
      kind: 'transit_accompanying_document',
      section: 0,
      variant: null,
      from: origin,
      to: destination,
    });
  return out;
}
