import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TrackingEvent } from '../../../src/core/tracking/events.ts';
import { foldProgress, type ItineraryRide } from '../../../src/core/tracking/progress.ts';

/** Two rides: a train A→B→C, then a ship C→D. Places: AAAAA ... DDDDD. */
const h = 3_600_000;
const rides: ItineraryRide[] = [
  {
    rideIndex: 0,
    tripId: 'TRAIN@2026-12-01T0000',
    serviceId: 'TRAIN',
    stops: ['A', 'B', 'C'],
    plannedDepartures: [0, 20 * h, null],
    plannedArrivals: [null, 10 * h, 30 * h],
  },
  {
    rideIndex: 1,
    tripId: 'SHIP@2026-12-02T0000',
    serviceId: 'SHIP',
    stops: ['C', 'D'],
    plannedDepartures: [40 * h, null],
    plannedArrivals: [null, 60 * h],
  },
];
const nodesAt = (code: string) => [code[0]!];
let n = 0;
const ev = (code: string, place: string, at: number, classifier = 'ACT'): TrackingEvent => ({
  eventID: `00000000-0000-4000-8000-${String(n++).padStart(12, '0')}`,
  eventType: code === 'ARRI' || code === 'DEPA' ? 'TRANSPORT' : 'EQUIPMENT',
  eventClassifierCode: classifier as TrackingEvent['eventClassifierCode'],
  eventTypeCode: code,
  eventDateTime: at,
  eventCreatedDateTime: at,
  unLocationCode: place.repeat(5),
  facilityTypeCode: null,
  equipmentReference: 'CSQU3054383',
  modeOfTransport: null,
});
const where = (events: TrackingEvent[]) => {
  const p = foldProgress(rides, events, nodesAt);
  return `${p.status} ${p.rideIndex}/${p.stopIndex} ${p.departed ? 'left' : 'at'} ${p.nodeId}`;
};

describe('where a shipment is, from its events', () => {
  it('follows the itinerary stop by stop, across the change of ride', () => {
    const journey = [
      ev('GTIN', 'A', 0),
      ev('DEPA', 'A', 1 * h),
      ev('ARRI', 'B', 11 * h),
      ev('DEPA', 'B', 21 * h),
      ev('DISC', 'C', 31 * h),
      ev('LOAD', 'C', 39 * h),
      ev('DEPA', 'C', 41 * h),
      ev('ARRI', 'D', 61 * h),
    ];
    const seen = journey.map((_, i) => where(journey.slice(0, i + 1)));
    expect(seen).toEqual([
      'AT_NODE 0/0 at A',
      'ON_RIDE 0/0 left A',
      'AT_NODE 0/1 at B',
      'ON_RIDE 0/1 left B',
      'AT_NODE 0/2 at C',
      'AT_NODE 0/2 at C',
      'ON_RIDE 1/0 left C',
      'ARRIVED 1/1 at D',
    ]);
    expect(where([])).toBe('PLANNED 0/0 at A');
  });

  it('ignores planned and estimated events and places off the itinerary', () => {
    expect(where([ev('ARRI', 'D', 5 * h, 'EST'), ev('ARRI', 'X', 5 * h)])).toBe('PLANNED 0/0 at A');
  });

  it('gives the same answer whatever order the events arrive in', () => {
    const journey = [
      ev('GTIN', 'A', 0),
      ev('DEPA', 'A', 1 * h),
      ev('CROS', 'B', 12 * h),
      ev('DEPA', 'B', 21 * h),
      ev('DISC', 'C', 31 * h),
      ev('CUSR', 'C', 33 * h),
      ev('DEPA', 'C', 41 * h),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(journey, { minLength: 1 }), fc.nat(), (subset, seed) => {
        const shuffled = [...subset].sort(
          (a, b) => ((a.eventDateTime * 31 + seed) % 97) - ((b.eventDateTime * 31 + seed) % 97),
        );
        expect(where(shuffled)).toBe(where(subset));
        // Never behind the latest place any event reports.
        const p = foldProgress(rides, shuffled, nodesAt);
        const latest = [...subset].sort((a, b) => b.eventDateTime - a.eventDateTime)[0]!;
        expect(['A', 'B', 'C'].indexOf(p.nodeId)).toBeGreaterThanOrEqual(
          ['A', 'B', 'C'].indexOf(latest.unLocationCode![0]!),
        );
      }),
    );
  });
});
