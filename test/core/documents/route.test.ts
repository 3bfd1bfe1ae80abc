import { describe, expect, it } from 'vitest';
import {
  requiredDocuments,
  routeSteps,
  transportSections,
} from '../../../src/core/documents/route.ts';
import type { ItineraryRide } from '../../../src/core/tracking/progress.ts';
import { referenceNetwork } from '../../support/network-files.ts';

const network = referenceNetwork();
const ride = (rideIndex: number, serviceId: string, from: string, to: string): ItineraryRide => ({
  rideIndex,
  tripId: `${serviceId}@2026-12-07T1200`,
  serviceId,
  stops: [from, to],
  plannedDepartures: [0, null],
  plannedArrivals: [null, 0],
});

const kinds = (rides: ItineraryRide[], booked = false) =>
  requiredDocuments(network, routeSteps(network, rides), { booked }).map(
    (d) => `${d.kind}:${d.section}:${d.variant ?? '-'}:${d.from}>${d.to}`,
  );

describe('the documents a route needs', () => {
  it('Xi’an to the Alat free zone: one SMGS note over the Caspian, a CMR for the road, a TAD', () => {
    const rides = [
      ride(0, 'SVC_XIAN_BAKU_BLOCK', 'CN_XIAN_ITL', 'KZ_AKTAU_PORT'),
      ride(1, 'SVC_FEEDER_AKTAU_ALAT', 'KZ_AKTAU_PORT', 'AZ_BAKU_PORT_ALAT'),
      ride(2, 'SVC_ALAT_PORT_FEZ_SHUTTLE', 'AZ_BAKU_PORT_ALAT', 'AZ_ALAT_FEZ'),
    ];
    expect(kinds(rides, true)).toEqual([
      'booking_confirmation:0:-:CN_XIAN_ITL>AZ_ALAT_FEZ',
      'rail_consignment_note:0:SMGS:CN_XIAN_ITL>AZ_BAKU_PORT_ALAT',
      'cmr:1:CMR:AZ_BAKU_PORT_ALAT>AZ_ALAT_FEZ',
      'transit_accompanying_document:0:-:CN_XIAN_ITL>AZ_ALAT_FEZ',
    ]);
    const sections = transportSections(network, routeSteps(network, rides));
    expect(sections[0]!.steps.map((s) => s.rideIndex)).toContain(1);
  });

  it('to Türkiye, a country of CIM only: the common CIM/SMGS note', () => {
    const rides = [ride(0, 'SVC_CHINA_TURKEY_BTK', 'CN_XIAN_ITL', 'TR_ISTANBUL')];
    expect(kinds(rides)).toEqual([
      'rail_consignment_note:0:CIM/SMGS:CN_XIAN_ITL>TR_ISTANBUL',
      'transit_accompanying_document:0:-:CN_XIAN_ITL>TR_ISTANBUL',
    ]);
  });

  it('by sea only: no rail note, no CMR, no transit; the booking confirmation if booked', () => {
    const rides = [ride(0, 'SVC_SUEZ_QINGDAO_ROTTERDAM', 'CN_QINGDAO_PORT', 'NL_ROTTERDAM')];
    expect(kinds(rides)).toEqual([]);
    expect(kinds(rides, true)).toEqual(['booking_confirmation:0:-:CN_QINGDAO_PORT>NL_ROTTERDAM']);
  });

  it('out of the free zone to the port by road: a CMR, and the goods move under national transit', () => {
    const rides = [ride(0, 'SVC_ALAT_FEZ_SHUTTLE', 'AZ_ALAT_FEZ', 'AZ_BAKU_PORT_ALAT')];
    expect(kinds(rides)).toEqual([
      'cmr:0:CMR:AZ_ALAT_FEZ>AZ_BAKU_PORT_ALAT',
      'transit_accompanying_document:0:-:AZ_ALAT_FEZ>AZ_BAKU_PORT_ALAT',
    ]);
  });
});
