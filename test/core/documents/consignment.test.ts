import { describe, expect, it } from 'vitest';
import { carrierSections } from '../../../src/core/documents/consignment.ts';
import type { ItineraryRide } from '../../../src/core/tracking/progress.ts';
import { referenceNetwork } from '../../support/network-files.ts';

const network = referenceNetwork();
const H = 3_600_000;
const ride = (
  rideIndex: number,
  tripId: string,
  from: string,
  to: string,
  at: number,
): ItineraryRide => ({
  rideIndex,
  tripId,
  serviceId: tripId.split('@')[0]!,
  stops: [from, to],
  plannedDepartures: [at, null],
  plannedArrivals: [null, at + 10 * H],
});

describe("carriers' sections", () => {
  it("makes one section of a trip's legs from stop to stop, and one per trip", () => {
    const btk = 'SVC_CHINA_TURKEY_BTK@2026-12-07T1200';
    const rides = [
      ride(0, btk, 'CN_XIAN_ITL', 'CN_ALASHANKOU', 0),
      ride(1, btk, 'CN_ALASHANKOU', 'KZ_DOSTYK', 20 * H),
      ride(
        2,
        'SVC_FEEDER_AKTAU_ALAT@2026-12-14T1800',
        'KZ_AKTAU_PORT',
        'AZ_BAKU_PORT_ALAT',
        90 * H,
      ),
    ];
    const sections = carrierSections(network, rides, [0, 1, 2]);
    expect(
      sections.map((s) => [s.carrier, s.from.nodeId, s.to.nodeId, s.departure, s.arrival]),
    ).toEqual([
      [
        network.services.get('SVC_CHINA_TURKEY_BTK')!.operator,
        'CN_XIAN_ITL',
        'KZ_DOSTYK',
        0,
        30 * H,
      ],
      [
        network.services.get('SVC_FEEDER_AKTAU_ALAT')!.operator,
        'KZ_AKTAU_PORT',
        'AZ_BAKU_PORT_ALAT',
        90 * H,
        100 * H,
      ],
    ]);
  });
});
