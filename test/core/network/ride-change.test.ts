import { describe, expect, it } from 'vitest';
import type { Network } from '../../../src/core/network/network.ts';
import type { ServiceRecord } from '../../../src/core/network/schema.ts';
import {
  networkWithServices,
  referenceServices,
  rideChange,
} from '../../../src/core/network/service-versions.ts';
import { departureLabel } from '../../../src/core/network/departure-label.ts';
import { dataFiles, referenceNetwork } from '../../support/network-files.ts';

/**
 * What a new version of a service tells the owners of rides booked on it: each kind of change
 * names the departure by its service and its local day and time at the origin, never by the
 * trip id the API uses.
 */
const FEEDER = 'SVC_FEEDER_AKTAU_ALAT';
const TUESDAY = `${FEEDER}@2026-12-01T1800`;
const SAID = 'Aktau - Alat container feeder departure of 2026-12-01 18:00 from Aktau';
const TRIP_ID = /@\d{4}-\d{2}-\d{2}T\d{4}/;
const before = referenceNetwork();
const ride = {
  tripId: TUESDAY,
  serviceId: FEEDER,
  fromNodeId: 'KZ_AKTAU_PORT',
  toNodeId: 'AZ_BAKU_PORT_ALAT',
};

/** The reference network with the feeder's record changed by `edit`. */
function withFeeder(edit: (r: ServiceRecord) => ServiceRecord): Network {
  const records = referenceServices(dataFiles()).map((r) => (r.id === FEEDER ? edit(r) : r));
  const loaded = networkWithServices(dataFiles(), records);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.network;
}

describe('a schedule change, in words', () => {
  const changes = {
    gone: withFeeder((r) => ({
      ...r,
      pattern: { weekly: [{ weekday: 'Mon', time: '18:00' }] },
    })),
    moved: withFeeder((r) => ({
      ...r,
      stops: [r.stops[0]!, { ...r.stops[1]!, runHours: 60 }],
    })),
    hazardous: withFeeder((r) => ({ ...r, refusesCargo: ['hazardous'] })),
  };

  it('names the departure by service, local day and time, for every kind of change', () => {
    const said = {
      gone: rideChange(before, changes.gone, ride, false),
      moved: rideChange(before, changes.moved, ride, false),
      hazardous: rideChange(before, changes.hazardous, ride, true),
    };
    expect(said).toEqual({
      gone: `the ${SAID} no longer runs`,
      moved: expect.stringMatching(
        new RegExp(`^the ${SAID} now arrives at .+ instead of .+, 24 h later$`),
      ) as unknown,
      hazardous: `Aktau - Alat container feeder no longer takes hazardous cargo (the ${SAID})`,
    });
    for (const text of Object.values(said)) expect(text).not.toMatch(TRIP_ID);
  });

  it('says nothing of a ride that runs as booked', () => {
    expect(rideChange(before, changes.hazardous, ride, false)).toBeUndefined();
  });

  it('names a service no network knows by its id, still with its day and time', () => {
    expect(departureLabel('SVC_GONE@2026-12-01T0930', before)).toBe(
      'SVC_GONE departure of 2026-12-01 09:30',
    );
  });
});
