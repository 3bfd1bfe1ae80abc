import { describe, expect, it } from 'vitest';
import { createPlanner } from '../../../src/app/plan-route.ts';
import { estimateArrival } from '../../../src/core/eta/eta.ts';
import { reportingCode } from '../../../src/core/network/network.ts';
import type { ItineraryRide, Progress } from '../../../src/core/tracking/progress.ts';
import { fixedClock, TEST_NOW } from '../../support/clock.ts';
import { referenceNetwork } from '../../support/network-files.ts';
import { ridesOf } from '../../support/itinerary-rides.ts';

/**
 * A box that stays where it was last reported for longer than the model expects (a missed
 * ferry, a train held at the border) still has its arrival ahead of now: the estimate moves it
 * on no earlier than now, whether it waits at the end of a ride, stands at a stop on one, or is
 * on a hop that should have ended. A box waiting for a ship that sails when full waits as long as
 * such waits still last beyond the time it has waited.
 */
const planner = createPlanner(referenceNetwork(), fixedClock());
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The day after the planner's (fixed) today. */
const DEPART = new Date(Date.parse(TEST_NOW) + DAY).toISOString().slice(0, 10);
const network = planner.model.network;
/** Whether events can be posted at a place: it has a UN/LOCODE. */
const reported = (id: string) => reportingCode(network.nodes.get(id)!) !== null;
/** The box left stop `s` of the ride at `since`. */
const leftStop = (ride: ItineraryRide, s: number, since: number): Progress => ({
  status: 'ON_RIDE',
  rideIndex: ride.rideIndex,
  stopIndex: s,
  nodeId: ride.stops[s]!,
  departed: true,
  since,
  customs: null,
});

// The planner's clock stands at TEST_NOW for the whole test; each estimate names its own now.
const plan = planner.plan({ from: 'Xian', to: 'Baku', depart: DEPART, containers: '1x40HC' });
const journeys = plan.itineraries.map(ridesOf);
const eta = (rides: ItineraryRide[], progress: Progress, now: number) =>
  estimateArrival(planner.model, rides, progress, now, 200, 7)!;

describe('the ETA of a box that stays longer than expected', () => {
  it('is ahead of now, and no earlier the longer it has waited at the end of a ride', () => {
    // An itinerary that changes rides: the box waits at the end of its first.
    const rides = journeys.find((r) => r.length > 1)!;
    expect(rides).toBeDefined();
    const k = 0;
    const since = rides[k]!.plannedArrivals.at(-1)!;
    const at: Progress = {
      status: 'AT_NODE',
      rideIndex: k,
      stopIndex: rides[k]!.stops.length - 1,
      nodeId: rides[k]!.stops.at(-1)!,
      departed: false,
      since,
      customs: null,
    };
    const onTime = eta(rides, at, since + HOUR);
    for (const waited of [5, 10, 20]) {
      const now = since + waited * DAY;
      const late = eta(rides, at, now);
      expect(late.p50).toBeGreaterThan(now);
      expect(late.p90).toBeGreaterThanOrEqual(late.p50);
      expect(late.p50).toBeGreaterThanOrEqual(onTime.p50);
    }
  });

  it('is ahead of now for a box standing at a stop on its ride, or on a hop past its time', () => {
    const rides = journeys.find((r) => r.some((ride) => ride.stops.length > 2))!;
    expect(rides).toBeDefined();
    const k = rides.findIndex((r) => r.stops.length > 2);
    const ride = rides[k]!;
    const since = ride.plannedArrivals[1]!;
    const standing: Progress = {
      status: 'AT_NODE',
      rideIndex: k,
      stopIndex: 1,
      nodeId: ride.stops[1]!,
      departed: false,
      since,
      customs: null,
    };
    const onRide: Progress = { ...standing, status: 'ON_RIDE', departed: true };
    for (const p of [standing, onRide]) {
      const now = since + 15 * DAY;
      expect(eta(rides, p, now).p50).toBeGreaterThan(now);
      // Within its time, the estimate is the model's own, not moved by the clock.
      expect(eta(rides, p, since + HOUR).p50).toBe(eta(rides, p, since + 2 * HOUR).p50);
    }
  });

  it('waits for a ship that sails when full as long as such waits still last, not until now', () => {
    // The box came off the train at Aktau and waits for the feeder to Alat, which sails when
    // full and is its last ride.
    const toAlat = planner.plan({
      from: 'Xian',
      to: 'Alat',
      depart: DEPART,
      containers: '1x40HC',
    });
    const rides = toAlat.itineraries
      .map(ridesOf)
      .find((r) => r.length > 1 && network.services.get(r.at(-1)!.serviceId)?.sailsWhenFull)!;
    expect(rides).toBeDefined();
    const k = rides.findIndex(
      (r, i) => network.services.get(rides[i + 1]?.serviceId ?? '')?.sailsWhenFull,
    );
    const since = rides[k]!.plannedArrivals.at(-1)!;
    const waiting: Progress = {
      status: 'AT_NODE',
      rideIndex: k,
      stopIndex: rides[k]!.stops.length - 1,
      nodeId: rides[k]!.stops.at(-1)!,
      departed: false,
      since,
      customs: null,
    };
    // The same box the moment its ship sails: what is left after the wait.
    const sailing = (now: number): Progress => ({
      ...waiting,
      status: 'ON_RIDE',
      rideIndex: rides[k + 1]!.rideIndex,
      stopIndex: 0,
      nodeId: rides[k + 1]!.stops[0]!,
      departed: true,
      since: now,
    });
    const wait = planner.model.ferryWait[planner.model.stopIndex.get(rides[k + 1]!.stops[0]!)!]!;
    // The model of the month it waits in (December, for a box that left the day after today).
    const december = wait.byMonth?.[new Date(since).getUTCMonth()] ?? wait;
    // Waited past the month's median, short of its P90: most such waits are over by now, those
    // that are not go on for hours yet.
    const waited = (december.p50Hours + december.p90Hours) / 2;
    const now = since + waited * HOUR;
    const left = (eta(rides, waiting, now).p50 - eta(rides, sailing(now), now).p50) / HOUR;
    expect(left).toBeGreaterThan(0.1 * (december.p90Hours - december.p50Hours));
    expect(left).toBeLessThan(december.p90Hours);
  });

  it('is not held back at a stop where no event can be posted: silence there is not a delay', () => {
    // A ride that runs from a stop to one without a UN/LOCODE (a gauge-change yard) and on to
    // one with: the box is seen again only at the last.
    let found: { rides: ItineraryRide[]; k: number; s: number; next: number } | undefined;
    for (const rides of journeys)
      rides.forEach((ride, k) =>
        ride.stops.forEach((id, s) => {
          const next = ride.stops.findIndex((n, j) => j > s + 1 && reported(n));
          if (
            !found &&
            reported(id) &&
            s + 1 < ride.stops.length &&
            !reported(ride.stops[s + 1]!) &&
            next > 0
          )
            found = { rides, k, s, next };
        }),
      );
    expect(found).toBeDefined();
    const { rides, k, s, next } = found!;
    const ride = rides[k]!;
    const since = ride.plannedDepartures[s]!;
    const left = leftStop(ride, s, since);
    // A day past its planned time at the silent stop, still hours before the next report is due.
    const silentAt = ride.plannedArrivals[s + 1]!;
    const dueAt = ride.plannedArrivals[next]!;
    const now = Math.min(silentAt + DAY, dueAt - HOUR);
    expect(now).toBeGreaterThan(silentAt + 6 * HOUR);
    const early = eta(rides, left, since + HOUR).p50;
    expect(Math.abs(eta(rides, left, now).p50 - early)).toBeLessThan(6 * HOUR);
    // Past the time it should have been reported at the next stop that takes events, it is late.
    const overdue = dueAt + 5 * DAY;
    expect(eta(rides, left, overdue).p50).toBeGreaterThan(overdue);
  });

  it('is ahead of now for a box on a ride that ends at a yard, where it would not be reported', () => {
    const candidates = ['Lianyungang', 'Xian', 'Qingdao'].flatMap((from) =>
      planner
        .plan({ from, to: 'Baku', depart: DEPART, containers: '1x40HC' })
        .itineraries.map(ridesOf),
    );
    let found: { rides: ItineraryRide[]; k: number; s: number } | undefined;
    for (const rides of candidates)
      rides.forEach((ride, k) =>
        ride.stops.forEach((id, s) => {
          const silentAhead = ride.stops.slice(s + 1).every((n) => !reported(n));
          if (!found && reported(id) && s < ride.stops.length - 1 && silentAhead)
            found = { rides, k, s };
        }),
      );
    expect(found).toBeDefined();
    const { rides, k, s } = found!;
    const ride = rides[k]!;
    const since = ride.plannedDepartures[s]!;
    const left = leftStop(ride, s, since);
    const now = rides.at(-1)!.plannedArrivals.at(-1)! + 10 * DAY;
    const late = eta(rides, left, now);
    expect(late.p50).toBeGreaterThanOrEqual(now);
    expect(late.p90).toBeGreaterThanOrEqual(late.p50);
  });
});
