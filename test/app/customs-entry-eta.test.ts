import { describe, expect, it } from 'vitest';
import { entryEta } from '../../src/app/customs-itinerary.ts';
import type { Shipment } from '../../src/app/shipments.ts';
import type { Progress } from '../../src/core/tracking/progress.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 11, 1);

/**
 * Qingdao → Khorgos → Aktau by train (day 0; Khorgos day 6, standing two days to day 8; Aktau
 * day 10), then the feeder Aktau → Alat (day 10 → 11). The delay the forecast holds is mostly
 * the feeder's.
 */
const rides = [
  {
    rideIndex: 0,
    tripId: 'train',
    serviceId: 'RAIL',
    stops: ['CNQIN', 'KZKHO', 'KZAKT'],
    plannedDepartures: [T0, T0 + 8 * 24 * H, null],
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
    expect(entryEta(s, 'KZKHO', T0)).toBe(T0 + 6 * 24 * H + 60 * H);
    // Alat, at the end, takes the whole forecast delay.
    expect(entryEta(s, 'AZALA', T0)).toBe(end + 110 * H);
    // The origin's office: its planned departure.
    expect(entryEta(s, 'CNQIN', T0)).toBe(T0);
  });

  it('starts from the delay the box has where it was last seen', () => {
    // Left Khorgos 24 h late, forecast 48 h late at the end: Aktau (2 of the 3 days left) 40 h.
    const since = T0 + 9 * 24 * H;
    const s = shipment(
      { status: 'ON_RIDE', stopIndex: 1, nodeId: 'KZKHO', departed: true, since },
      48,
    );
    expect(entryEta(s, 'KZAKT', since + H)).toBe(T0 + 10 * 24 * H + 40 * H);
    expect(entryEta(s, 'AZALA', since + H)).toBe(end + 48 * H);
    // A place already passed keeps the delay seen there.
    expect(entryEta(s, 'KZKHO', since + H)).toBe(T0 + 6 * 24 * H + 24 * H);
  });

  it('does not take an event during a planned stand for a delay', () => {
    // Released by customs at Khorgos 40 h into its 48-hour stand, on time at the end.
    const since = T0 + 6 * 24 * H + 40 * H;
    const s = shipment({ status: 'AT_NODE', stopIndex: 1, nodeId: 'KZKHO', since }, 0);
    expect(entryEta(s, 'KZAKT', since + H)).toBe(T0 + 10 * 24 * H);
  });

  it('expects a box still standing past its departure no earlier than it can leave', () => {
    // At Khorgos since day 6, and still there on day 13: five days past its departure.
    const s = (late: number) =>
      shipment({ status: 'AT_NODE', stopIndex: 1, nodeId: 'KZKHO', since: T0 + 6 * 24 * H }, late);
    const now = T0 + 13 * 24 * H;
    // The forecast not yet refreshed (on time): Aktau no earlier than now.
    expect(entryEta(s(0), 'KZAKT', now)).toBe(now);
    // Forecast 150 h late: from the 120 h it has now to 150 h at the end, 2 of 3 days on.
    expect(entryEta(s(150), 'KZAKT', now)).toBe(T0 + 10 * 24 * H + 140 * H);
  });

  it('has no time for a place off the itinerary', () => {
    expect(entryEta(shipment({}, 0), 'GEPTI', T0)).toBeNull();
    expect(entryEta(shipment({}, 0), null, T0)).toBeNull();
  });
});
