import { describe, expect, it } from 'vitest';
import { createPlanner } from '../../../src/app/plan-route.ts';
import { estimateArrival } from '../../../src/core/eta/eta.ts';
import type { ItineraryRide, Progress } from '../../../src/core/tracking/progress.ts';
import { fixedClock } from '../../support/clock.ts';
import { referenceNetwork } from '../../support/network-files.ts';
import { ridesOf } from '../../support/itinerary-rides.ts';

/**
 * A box that stays where it was last reported for longer than the model expects (a missed
 * ferry, a train held at the border) still has its arrival ahead of now: the estimate moves it
 * on no earlier than now, whether it waits at the end of a ride, stands at a stop on one, or is
 * on a hop that should have ended.
 */
const planner = createPlanner(referenceNetwork(), fixedClock());
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// The planner's clock stands at TEST_NOW for the whole test; each estimate names its own now.
const plan = planner.plan({ from: 'Xian', to: 'Baku', depart: '2026-12-01', containers: '1x40HC' });
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
});
