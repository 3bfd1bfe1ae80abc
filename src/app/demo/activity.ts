import { seededRng, seedOf } from '../../core/shared/rng.ts';
import { MS_PER_DAY, MS_PER_HOUR } from '../../core/shared/units.ts';
import type { Actor } from '../actor.ts';
import type { Organisation } from '../account-ports.ts';
import { completeRide, decideRide } from '../booking-rides.ts';
import { createBooking, type BookingDeps } from '../bookings.ts';
import { lodgeDeclaration } from '../customs.ts';
import type { CustomsDeps } from '../customs-deps.ts';
import { actOnSegment } from '../customs-desk.ts';
import { publishRuleSet } from '../customs-rules.ts';
import type { DirectoryDeps } from '../directory.ts';
import { AppError } from '../errors.ts';
import { createPlanner, type Planner } from '../plan-route.ts';
import { keepPlan } from '../plans.ts';
import type { Clock } from '../ports.ts';
import type { Shipment } from '../shipments.ts';
import { recordEvents } from '../record-events.ts';
import { createShipment, refreshShipments, type TrackingDeps } from '../tracking.ts';
import { demoContainer, eventsOf, journeyOf, type RideStep } from './journeys.ts';
import { demoRuleSet } from './rule-sets.ts';

/**
 * The demo's traffic: shipments booked by the demo shippers over the past weeks and today, each
 * ride confirmed by its own carrier, tracked with the events its journey (drawn from the
 * reliability model) would have produced up to now, declared to customs and decided at each
 * border as the box got there. Everything goes through the platform's own use cases, each at the
 * instant it would have happened, relative to the clock's now: the same seed at any date gives
 * a corridor in the same state.
 */

/** The use cases' dependencies; the activity runs them on its own clocks. */
export interface ActivityDeps {
  bookings: BookingDeps;
  tracking: TrackingDeps;
  customs: CustomsDeps;
  directory: DirectoryDeps;
}

/** A demo organisation with the accounts it acts through. */
export interface DemoMember {
  organisation: Organisation;
  admin: Actor;
  officer?: Actor;
}

/** A flow of freight the demo books every week: who, from where to where, what goods. */
interface Lane {
  trader: string;
  from: string;
  to: string;
  /** Days after the start of each week the shipper books. */
  offsetDays: number;
  goods: { hsCode: string; description: string; origin: string; usdPerKg: number };
  consignee: { name: string; country: string };
}

const LANES: Lane[] = [
  {
    trader: 'Qingdao Haixing Machinery Export Co. (demo)',
    from: 'Qingdao',
    // The port rather than the city: both answer to AZBAK, and an arrival reported there
    // cannot tell the two apart.
    to: 'AZ_BAKU_PORT_ALAT',
    offsetDays: 0,
    goods: { hsCode: '842952', description: 'Hydraulic excavators', origin: 'CN', usdPerKg: 9 },
    consignee: { name: 'Absheron Road Construction LLC (demo)', country: 'AZ' },
  },
  {
    trader: 'Ganja Hazelnut Growers LLC (demo)',
    from: 'Baku',
    to: 'Xian',
    offsetDays: 2,
    goods: { hsCode: '080222', description: 'Shelled hazelnuts', origin: 'AZ', usdPerKg: 7 },
    consignee: { name: "Xi'an Silk Road Foods Import Co. (demo)", country: 'CN' },
  },
  {
    trader: 'Steppe Transit Logistics LLP (demo)',
    from: 'Xian',
    to: 'Tbilisi',
    offsetDays: 4,
    goods: { hsCode: '850440', description: 'Static converters', origin: 'CN', usdPerKg: 25 },
    consignee: { name: 'Kartli Power Equipment LLC (demo)', country: 'GE' },
  },
];

/** Weeks of history before this week: enough for the council's four-week KPIs. */
export const HISTORY_WEEKS = 4;

/** A clock standing at one instant: each use case runs at the time it would have run. */
const at = (t: number): Clock => ({ now: () => new Date(t) });

/**
 * Books, tracks and declares the demo's shipments: each lane every week for HISTORY_WEEKS
 * weeks before now, and once more today (not yet departed). Returns the shipments made.
 */
export async function seedActivity(
  deps: ActivityDeps,
  members: ReadonlyMap<string, DemoMember>,
): Promise<Shipment[]> {
  const now = deps.bookings.clock.now().getTime();
  const start = now - (HISTORY_WEEKS * 7 + 1) * MS_PER_DAY;
  // One planner for the seed, from the first day of the history: it plans each booking at the
  // instant it was made.
  let planNow = start;
  const planner = createPlanner(
    deps.bookings.network,
    { now: () => new Date(planNow) },
    {
      draws: 100,
    },
  );
  // Each customs administration has its selectivity rules in force from the start: the lanes of
  // the demo's declarations are the risk engine's answers to them.
  for (const m of members.values())
    if (m.organisation.kind === 'customs')
      await publishRuleSet(
        { ...deps.customs, clock: at(start) },
        m.admin,
        m.organisation.country,
        demoRuleSet(m.organisation.country),
      );
  const carriers = [...members.values()].filter((m) => m.organisation.kind === 'carrier');
  const made: Shipment[] = [];
  // The carriers' reports, sent at the end as one upload per carrier.
  const reports = new Map<DemoMember, object[]>();
  let serial = 0;
  for (let week = HISTORY_WEEKS; week >= 0; week--)
    for (const lane of LANES) {
      const bookedAt =
        week === 0
          ? now - 2 * MS_PER_HOUR
          : now - week * 7 * MS_PER_DAY + lane.offsetDays * MS_PER_DAY;
      if (bookedAt > now - MS_PER_HOUR) continue;
      planNow = bookedAt;
      const shipment = await ship(
        deps,
        planner,
        members,
        carriers,
        reports,
        lane,
        bookedAt,
        ++serial,
      );
      if (shipment) made.push(shipment);
    }
  for (const [carrier, events] of reports) await recordEvents(deps.tracking, carrier.admin, events);
  // Position and ETA of every shipment, as of now.
  await refreshShipments(
    deps.tracking,
    made.map((s) => s.id),
  );
  return made;
}

/** One shipment of a lane booked at `bookedAt`: booked, confirmed, tracked, declared, decided. */
async function ship(
  deps: ActivityDeps,
  planner: Planner,
  members: ReadonlyMap<string, DemoMember>,
  carriers: readonly DemoMember[],
  reports: Map<DemoMember, object[]>,
  lane: Lane,
  bookedAt: number,
  serial: number,
): Promise<Shipment | undefined> {
  const now = deps.bookings.clock.now().getTime();
  const trader = members.get(lane.trader)!;
  const when = (t: number) => ({ ...deps.bookings, clock: at(t) });
  const response = planner.plan({
    from: lane.from,
    to: lane.to,
    depart: new Date(bookedAt + MS_PER_DAY).toISOString(),
    containers: '1x40HC',
    maxResults: 3,
  });
  const kept = await keepPlan({ ...deps.bookings, clock: at(bookedAt) }, response);
  if (!kept) return undefined;
  const itinerary = response.itineraries[serial % response.itineraries.length]!;
  let booking;
  try {
    booking = await createBooking(when(bookedAt), trader.admin, {
      planId: kept.planId,
      itineraryId: itinerary.id,
    });
  } catch (e) {
    // A full departure: this week's freight of the lane waits for another.
    if (e instanceof AppError && e.type === 'conflict') return undefined;
    throw e;
  }
  const carrierOf = (serviceId: string) =>
    carriers.find((c) => c.organisation.services.includes(serviceId))!;
  for (const ride of booking.rides)
    await decideRide(
      when(bookedAt + 10 * 60_000),
      carrierOf(ride.serviceId).admin,
      booking.id,
      ride.rideIndex,
      'CONFIRMED',
    );
  const container = demoContainer('CRDU', serial);
  const shipment = await createShipment(
    { ...deps.tracking, clock: at(bookedAt + 20 * 60_000) },
    trader.admin,
    {
      bookingId: booking.id,
      containers: [{ equipmentReference: container, ISOEquipmentCode: '45G1' }],
    },
  );
  // Drawn from the lane and the shipment's place in the seed, not from its random id: the same
  // seed on the same day gives the same corridor.
  const steps = journeyOf(
    deps.tracking.model,
    shipment.rides,
    seedOf(`${lane.from}>${lane.to}#${serial}`),
  );
  if (!steps) return shipment;
  // The carriers' and terminals' reports up to now, each by the carrier of its ride.
  const events = eventsOf(deps.tracking.network, steps, container, now, seededRng(serial));
  for (const ride of shipment.rides) {
    const carrier = carrierOf(ride.serviceId);
    const own = events.filter((e) => e.rideIndex === ride.rideIndex).map((e) => e.event);
    reports.set(carrier, [...(reports.get(carrier) ?? []), ...own]);
    // A ride whose box was discharged at its last stop is completed by its carrier.
    const discharged = steps.find(
      (s) => s.rideIndex === ride.rideIndex && s.code === 'DISC' && s.at <= now,
    );
    if (discharged)
      await completeRide(when(discharged.at), carrier.admin, booking.id, ride.rideIndex);
  }
  await declare(deps, members, trader, lane, shipment, steps, bookedAt + 30 * 60_000, serial);
  return shipment;
}

/**
 * The trader lodges the transit declaration before departure; each country's officer assesses
 * its segment ahead of the box (within the desk's pre-arrival hours), records its arrival (a
 * green or blue lane releases it), does the control its lane asks for (the documents checked,
 * yellow; the box inspected, red) and releases it before the box leaves, and records its exit.
 * Segments the box has not reached, or is still at, stay in their office's queue in the lane
 * the rules gave them. Routes through a country without a customs administration on the
 * platform are not declared.
 */
async function declare(
  deps: ActivityDeps,
  members: ReadonlyMap<string, DemoMember>,
  trader: DemoMember,
  lane: Lane,
  shipment: Shipment,
  steps: readonly RideStep[],
  lodgedAt: number,
  serial: number,
): Promise<void> {
  const now = deps.customs.clock.now().getTime();
  const when = (t: number): CustomsDeps => ({ ...deps.customs, clock: at(t) });
  const grossKg = 26_000;
  const netKg = 24_000;
  const value = Math.round(netKg * lane.goods.usdPerKg);
  const origin = trader.organisation.country;
  let lodged;
  try {
    ({ declaration: lodged } = await lodgeDeclaration(when(lodgedAt), trader.admin, {
      lrn: `DEMO-${serial}`,
      shipmentId: shipment.id,
      holder: {
        name: trader.organisation.name,
        identificationNumber: `${origin}DEMO${String(serial).padStart(6, '0')}`,
        country: origin,
      },
      guarantee: {
        reference: `GRN${String(serial).padStart(9, '0')}`,
        amount: value,
        currency: 'USD',
      },
      consignments: [
        {
          consignor: { name: trader.organisation.name, country: origin },
          consignee: lane.consignee,
          goodsItems: [
            {
              hsCode: lane.goods.hsCode,
              description: lane.goods.description,
              packages: { count: 20, kind: 'PK' },
              grossMassKg: grossKg,
              netMassKg: netKg,
              value,
              currency: 'USD',
              countryOfOrigin: lane.goods.origin,
            },
          ],
        },
      ],
      containers: [
        { equipmentReference: shipment.equipment[0]!.equipmentReference, seals: [`SL${serial}`] },
      ],
      documents: [{ type: 'N380', reference: `INV-DEMO-${serial}` }],
    }));
  } catch (e) {
    if (e instanceof AppError && e.type === 'invalid_data') return;
    throw e;
  }
  const countryOf = (nodeId: string) => deps.customs.network.nodes.get(nodeId)!.country;
  const officers = [...members.values()].filter((m) => m.officer);
  for (const segment of lodged.segments) {
    const officer = officers.find((m) => m.organisation.country === segment.country)?.officer;
    const arrival = steps.find((s) => s.nodeId === segment.entryNodeId);
    if (!officer || !arrival) continue;
    const assessAt = arrival.at - deps.customs.preArrivalHours * MS_PER_HOUR;
    if (assessAt > now) continue;
    const act = (t: number, body: Parameters<typeof actOnSegment>[4]) =>
      actOnSegment(when(Math.max(t, lodgedAt)), officer, lodged.id, segment.country, body);
    const assessed = await act(assessAt, { type: 'assess' });
    if (arrival.at > now) continue;
    await act(arrival.at, { type: 'arrive' });
    // Out of the country: the first step after the box's last one there.
    const last = steps.findLastIndex((s) => countryOf(s.nodeId) === segment.country);
    const out = steps[last + 1] ?? (last === steps.length - 1 ? steps[last] : undefined);
    if (!out || out.at > now) continue;
    // The control of its lane, done while the box is there, then its release.
    const lane = assessed.declaration.segments.find((s) => s.country === segment.country)?.lane;
    const controlAt = arrival.at + (out.at - arrival.at) / 2;
    if (lane === 'yellow') await act(controlAt, { type: 'check_documents' });
    if (lane === 'red')
      await act(controlAt, {
        type: 'record_inspection',
        kind: 'physical',
        sealsIntact: true,
        discrepancies: [],
      });
    if (lane === 'yellow' || lane === 'red') await act(controlAt, { type: 'release' });
    const view = await act(out.at, { type: 'exit' }).catch((e: unknown) => {
      // A box still under control is not let out: it stays in the queue.
      if (e instanceof AppError && e.type === 'conflict') return undefined;
      throw e;
    });
    if (view) await act(out.at, { type: 'discharge' });
  }
}
