import type { DeclarationBody } from '../api/customs.ts';
import { lodgedSegment } from '../core/customs/lifecycle.ts';
import { regimesOf } from '../core/customs/regimes.ts';
import { routeSteps, type RouteStep } from '../core/documents/route.ts';
import type { Network } from '../core/network/network.ts';
import type { DirectedLink } from '../core/network/path-facts.ts';
import type { EpochMs } from '../core/shared/units.ts';
import { containerNumberProblem } from '../core/tracking/iso6346.ts';
import type { ItineraryRide } from '../core/tracking/progress.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import type { BookingStore } from './bookings.ts';
import { AppError, type FieldError } from './errors.ts';
import type { Clock, PlanStore } from './ports.ts';
import type { CustomsSegment, CustomsStore, OfficeInfo } from './customs-ports.ts';
import type { Shipment, TrackingStore } from './shipments.ts';

/**
 * A declaration made whole before it is lodged: its itinerary of offices and regimes, and the
 * means of transport entering each country, filled from the shipment, booking or plan it names;
 * its containers from the shipment; every field checked; its segments with their ETAs.
 */

/** What completing a declaration reads. */
interface CustomsDeps {
  network: Network;
  customs: Pick<CustomsStore, 'offices'>;
  tracking: Pick<TrackingStore, 'findShipment'>;
  bookings: Pick<BookingStore, 'find'>;
  plans: Pick<PlanStore, 'find'>;
  clock: Clock;
}

/** The declaration with its itinerary and containers filled from the shipment, checked whole. */
export async function completed(
  deps: CustomsDeps,
  actor: Actor,
  body: DeclarationBody,
  offices: ReadonlyMap<string, OfficeInfo>,
): Promise<DeclarationBody> {
  const errors: FieldError[] = [];
  let shipment: Shipment | undefined;
  if (body.shipmentId !== undefined) {
    shipment = await deps.tracking.findShipment(body.shipmentId);
    if (!shipment || (shipment.organisationId !== actor.organisationId && !isPlatformAdmin(actor)))
      errors.push({ path: 'body.shipmentId', message: 'not a shipment of your organisation' });
  }
  const containers =
    body.containers ??
    shipment?.equipment.map((e) => ({ equipmentReference: e.equipmentReference, seals: [] })) ??
    [];
  containers.forEach((c, i) => {
    const problem = containerNumberProblem(c.equipmentReference);
    if (problem)
      errors.push({ path: `body.containers[${i}].equipmentReference`, message: problem });
  });
  let itinerary = body.itinerary;
  if (!itinerary) {
    const rides = shipment?.rides ?? (await ridesNamed(deps, actor, body, errors));
    if (rides) itinerary = itineraryOf(deps.network, rides, offices, errors);
    else if (errors.length === 0)
      errors.push({
        path: 'body.itinerary',
        message:
          'give the itinerary, or a shipmentId, bookingId or planId and itineraryId to fill it from',
      });
  }
  itinerary?.forEach((s, i) => {
    for (const key of ['office', 'exitOffice'] as const) {
      const code = s[key];
      if (code === undefined) continue;
      const office = offices.get(code);
      if (!office)
        errors.push({
          path: `body.itinerary[${i}].${key}`,
          message: `no customs office ${code} is registered`,
        });
      else if (office.country !== s.country)
        errors.push({
          path: `body.itinerary[${i}].${key}`,
          message: `${code} is an office of ${office.country}, not ${s.country}`,
        });
    }
    if (i > 0 && itinerary[i - 1]!.country === s.country)
      errors.push({
        path: `body.itinerary[${i}].country`,
        message: 'the same country as the segment before',
      });
  });
  if (errors.length > 0) throw new AppError('invalid_data', errors[0]!.message, errors);
  return { ...body, containers, itinerary };
}

export async function officeIndex(deps: CustomsDeps): Promise<Map<string, OfficeInfo>> {
  return new Map((await deps.customs.offices()).map((o) => [o.code, o]));
}

/**
 * The customs itinerary of a shipment: its path split by country with the regime of each
 * (core/customs/regimes.ts), and for each country the office at the first node of its stretch that
 * has one (departure or entry), the last such as the exit office; without one on the stretch, the
 * administration's first office. Sea crossings have no segment of their own.
 */
function itineraryOf(
  network: Network,
  rides: readonly RideStops[],
  offices: ReadonlyMap<string, OfficeInfo>,
  errors: FieldError[],
): NonNullable<DeclarationBody['itinerary']> {
  const path = routeSteps(network, rides);
  const byNode = new Map<string, OfficeInfo[]>();
  for (const o of offices.values())
    if (o.nodeId) byNode.set(o.nodeId, [...(byNode.get(o.nodeId) ?? []), o]);
  const country = (id: string) => network.nodes.get(id)!.country;
  const out: NonNullable<DeclarationBody['itinerary']> = [];
  const segments = regimesOf(network, path);
  segments.forEach((seg, k) => {
    // A crossing by sea has no segment of its own; where it lands without land legs after it,
    // the port is the segment of the country it lands in.
    if (seg.customsRegime === 'sea_crossing') {
      const landed = seg.countries[1]!;
      const next = segments[k + 1];
      if (next && next.customsRegime !== 'sea_crossing' && next.countries[0] === landed) return;
      const destination = path.at(-1)!.to;
      seg = {
        ...seg,
        from: seg.to,
        countries: [landed],
        customsRegime: next
          ? 'national_transit'
          : network.nodes.get(destination)!.kind === 'free_economic_zone'
            ? 'free_zone_entry'
            : 'import',
      };
    }
    const c = seg.countries[0]!;
    const nodes = nodesBetween(path, seg.from, seg.to).filter((n) => country(n) === c);
    const here = nodes.flatMap((n) => (byNode.get(n) ?? []).filter((o) => o.country === c));
    const fallback = [...offices.values()]
      .filter((o) => o.country === c)
      .sort((a, b) => a.code.localeCompare(b.code))[0];
    const office = here[0] ?? fallback;
    if (!office) {
      errors.push({
        path: 'body.itinerary',
        message: `no customs office of ${c} is registered; give the itinerary with an office for ${c}`,
      });
      return;
    }
    const exit = here.at(-1);
    const last = out.at(-1);
    if (last && last.country === c) {
      if (exit && exit.code !== last.office) last.exitOffice = exit.code;
      return;
    }
    out.push({
      country: c,
      regime: seg.customsRegime as Exclude<typeof seg.customsRegime, 'sea_crossing'>,
      office: office.code,
      ...(exit && exit.code !== office.code ? { exitOffice: exit.code } : {}),
      meansOfTransport: meansEntering(network, path, rides, c, out.length === 0),
    });
  });
  return out;
}

/**
 * The means of transport that crosses into country `c` (for the first country, the one leaving
 * its departure office): the ride of the first step entering it, named by its service — the
 * train or vessel — and its departure day, at most 35 characters (the eTIR/NCTS field); the
 * mode of that step's link.
 */
function meansEntering(
  network: Network,
  path: readonly RouteStep[],
  rides: readonly RideStops[],
  c: string,
  first: boolean,
): { mode: 'rail' | 'road' | 'sea' | 'ferry'; identification: string } {
  const country = (id: string) => network.nodes.get(id)?.country;
  const step =
    (first ? path[0] : path.find((x) => country(x.to) === c && country(x.from) !== c)) ??
    path.find((x) => country(x.to) === c) ??
    path[0]!;
  const ride = rides[step.rideIndex] ?? rides[0]!;
  const mode = step.link.mode;
  return {
    mode: mode === 'road' || mode === 'sea' || mode === 'ferry' ? mode : 'rail',
    identification: transportName(network.services.get(ride.serviceId)?.name, ride.tripId),
  };
}

/** "Qilu trans-Caspian train 2026-12-04": the service's name (before any comma) and its day. */
function transportName(service: string | undefined, tripId: string): string {
  const day = /@(\d{4}-\d{2}-\d{2})/.exec(tripId)?.[1];
  const name = (service ?? tripId.split('@')[0]!).split(',')[0]!.trim();
  const room = day ? 35 - day.length - 1 : 35;
  const cut = name.length <= room ? name : name.slice(0, room).replace(/\s+\S*$/, '');
  return day ? `${cut || name.slice(0, room)} ${day}` : cut || name.slice(0, 35);
}

/** A ride as the itinerary needs it: its trip and service, where it boards and alights. */
type RideStops = Pick<ItineraryRide, 'tripId' | 'serviceId' | 'stops'>;

/** The rides of the booking or plan itinerary the declaration names, or undefined. */
async function ridesNamed(
  deps: CustomsDeps,
  actor: Actor,
  body: DeclarationBody,
  errors: FieldError[],
): Promise<RideStops[] | undefined> {
  const ride = (tripId: string, from: string, to: string): RideStops => ({
    tripId,
    serviceId: tripId.split('@')[0]!,
    stops: [from, to],
  });
  if (body.bookingId !== undefined) {
    const booking = await deps.bookings.find(body.bookingId);
    if (!booking || (booking.organisationId !== actor.organisationId && !isPlatformAdmin(actor))) {
      errors.push({ path: 'body.bookingId', message: 'not a booking of your organisation' });
      return undefined;
    }
    return booking.rides.map((r) => ride(r.tripId, r.fromNodeId, r.toNodeId));
  }
  if (body.planId !== undefined) {
    const plan = await deps.plans.find(body.planId, deps.clock.now());
    const it = plan?.itineraries.find((x) => x.id === body.itineraryId);
    if (!it) {
      errors.push({
        path: plan ? 'body.itineraryId' : 'body.planId',
        message: plan ? 'no such itinerary in the plan' : 'no such plan (plans are kept 24 hours)',
      });
      return undefined;
    }
    return it.rides.map((r) => ride(r.tripId, r.from, r.to));
  }
  return undefined;
}

function nodesBetween(path: readonly DirectedLink[], from: string, to: string): string[] {
  const nodes = [path[0]!.from, ...path.map((l) => l.to)];
  const a = nodes.indexOf(from);
  const b = nodes.indexOf(to, a);
  return nodes.slice(a, b + 1);
}

export function segmentsOf(
  deps: CustomsDeps,
  data: DeclarationBody,
  shipment: Shipment | undefined,
  now: EpochMs,
): CustomsSegment[] {
  const offices = data.itinerary!;
  return offices.map((s, seq) => {
    const entryNodeId = entryNode(deps, shipment, s.country, s.office);
    return {
      ...lodgedSegment(now),
      seq,
      country: s.country,
      regime: s.regime,
      office: s.office,
      exitOffice: s.exitOffice ?? null,
      entryNodeId,
      aeo: false,
      shared: [],
      etaAt: shipment ? entryEta(shipment, entryNodeId, now) : null,
      lastDecision: null,
    };
  });
}

/** Where the box enters a country's segment: the first stop of the shipment in that country. */
function entryNode(
  deps: CustomsDeps,
  shipment: Shipment | undefined,
  country: string,
  _office: string,
): string | null {
  if (!shipment) return null;
  for (const r of shipment.rides)
    for (const n of r.stops) if (deps.network.nodes.get(n)?.country === country) return n;
  return null;
}

/**
 * When the box is expected at a node: its planned time there (arrival, or departure at the
 * origin) moved by the delay it will have gathered by then. That delay starts from the one it
 * has where it is now — its last event's time against the plan there, and, while it has not
 * left, at least now against its planned departure — and grows towards the delay the
 * shipment's P50 arrival forecasts at the end, in proportion to the planned time between: a
 * border before the Caspian does not take the wait for a ferry that comes after it. A place
 * ahead is never expected before now.
 */
export function entryEta(shipment: Shipment, nodeId: string | null, now: EpochMs): EpochMs | null {
  if (!nodeId) return null;
  const target = plannedAt(shipment, nodeId);
  if (target === null) return null;
  const end = shipment.rides.at(-1)!.plannedArrivals.at(-1) ?? null;
  const { progress } = shipment;
  const k = shipment.rides.findIndex((r) => r.rideIndex === progress.rideIndex);
  const ride = shipment.rides[k];
  let plannedHere: EpochMs | null = null;
  let seen = 0;
  if (progress.since !== null && ride) {
    const s = progress.stopIndex;
    if (progress.departed) {
      plannedHere = ride.plannedDepartures[s] ?? null;
      if (plannedHere !== null) seen = Math.max(0, progress.since - plannedHere);
    } else {
      // Still there: it leaves no earlier than now, against its planned departure from here
      // (at a ride's end, the next ride's). An event while it stands (a customs release, a
      // loading) is not a delay.
      plannedHere =
        ride.plannedDepartures[s] ??
        shipment.rides[k + 1]?.plannedDepartures[0] ??
        ride.plannedArrivals[s] ??
        null;
      if (plannedHere !== null) seen = Math.max(0, now - plannedHere);
    }
  }
  const from = plannedHere ?? shipment.rides[0]!.plannedDepartures[0] ?? target;
  const forecast =
    shipment.etaP50 && end !== null ? Math.max(0, shipment.etaP50.getTime() - end) : seen;
  if (target <= from) return target + seen;
  const share = end === null || end <= from ? 1 : Math.min(1, (target - from) / (end - from));
  return Math.max(now, Math.round(target + seen + (forecast - seen) * share));
}

/** The planned time of the box's first stop at a node (departure at the origin), or null. */
function plannedAt(shipment: Shipment, nodeId: string): EpochMs | null {
  for (const r of shipment.rides) {
    const k = r.stops.indexOf(nodeId);
    if (k >= 0) return r.plannedArrivals[k] ?? r.plannedDepartures[k] ?? null;
  }
  return null;
}
