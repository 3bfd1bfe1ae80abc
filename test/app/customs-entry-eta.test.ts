import { describe, expect, it } from 'vitest';
import { entryEta } from '../../src/app/customs-itinerary.ts';
import type { Shipment } from '../../src/app/shipments.ts';
import type { Progress } from '../../src/core/tracking/progress.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 11, 1);

/**
 * Qingdao → Khorgos → Aktau by train (days 0, 6, 10), the feeder Aktau → Alat (day 10 → 11),
 * then the train to Baku (day 11 → 11.1). The delay the forecast holds is mostly the feeder's.
 */
const rides = [
  {
    rideIndex: 0,
    tripId: 'train',
    serviceId: 'RAIL',
    stops: ['CNQIN', 'KZKHO', 'KZAKT'],
    plannedDepartures: [T0, T0 + 6 * 24 * H, null],
    plannedArrivals: [null, T0 + 6 * 24 * H, T0 + 10 * 24 * H],
  },
  {
    rideIndex: 1,
    tripId: 'feeder',
    serviceId: 'FEEDER',
    stops: ['KZAKT', 'AZALA'],
    plannedDepartures: [T0 + 10 * 24 * H, null],
    plannedArrivals: [null, T0 + 11 * 24 * H],
  },
];
const end = T0 + 11 * 24 * H;

const shipment = (progress: Partial<Progress>, lateHours: number) =>
  ({
    rides,
    etaP50: new Date(end + lateHours * H),
    progress: {
      status: 'PLANNED',
      rideIndex: 0,
      stopIndex: 0,
      nodeId: 'CNQIN',
      departed: false,
      since: null,
      customs: null,
      ...progress,
    },
  }) as unknown as Shipment;

describe('when a customs office expects the box', () => {
  it('takes at a border before the Caspian only the share of the forecast delay gathered by then', () => {
    // Not yet left, 110 h late at the end: Khorgos, 6 of the 11 planned days in, expects 60 h.
    const s = shipment({}, 110);
    expect(entryEta(s, 'KZKHO')).toBe(T0 + 6 * 24 * H + 60 * H);
    // Alat, at the end, takes the whole forecast delay.
    expect(entryEta(s, 'AZALA')).toBe(end + 110 * H);
    // The origin's office: its planned departure.
    expect(entryEta(s, 'CNQIN')).toBe(T0);
  });

  it('starts from the delay the box has where it was last seen', () => {
    // Left Khorgos 24 h late, forecast 48 h late at the end: Aktau (4 of the 5 days left) 43.2 h.
    const s = shipment(
      { status: 'ON_RIDE', stopIndex: 1, nodeId: 'KZKHO', departed: true, since: T0 + 7 * 24 * H },
      48,
    );
    expect(entryEta(s, 'KZAKT')).toBe(T0 + 10 * 24 * H + 24 * H + 0.8 * 24 * H);
    expect(entryEta(s, 'AZALA')).toBe(end + 48 * H);
    // A place already passed keeps the delay seen there.
    expect(entryEta(s, 'KZKHO')).toBe(T0 + 7 * 24 * H);
  });

  it('has no time for a place off the itinerary', () => {
    expect(entryEta(shipment({}, 0), 'GEPTI')).toBeNull();
    expect(entryEta(shipment({}, 0), null)).toBeNull();
  });
});
