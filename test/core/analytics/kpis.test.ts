import { describe, expect, it } from 'vitest';
import { isoWeek, kpis, type KpiShipment } from '../../../src/core/analytics/kpis.ts';
import { routePlaces } from '../../../src/core/analytics/route-places.ts';
import { referenceNetwork } from '../../support/network-files.ts';

const H = 3_600_000;
const D = 24 * H;
const t0 = Date.UTC(2026, 11, 7, 12); // Monday 7 Dec 2026, ISO week 50
const xian = { nodeId: 'CN_XIAN_ITL', locode: 'CNXIA' };
const alat = { nodeId: 'AZ_BAKU_PORT_ALAT', locode: 'AZBAK' };

/**
 * A shipment Xi'an → Alat by block train to Aktau (through Khorgos, a border, and Altynkol, a
 * gauge change with no UN/LOCODE) and the feeder: leaves at t0, stands `khorgosHours` at Khorgos
 * from day 2 and `aktauHours` at Aktau from day 7, arrives after `days`.
 */
const shipment = (
  id: string,
  days: number,
  aktauHours: number,
  promisedDays: number | null,
  teu = 2,
  tonnes: number | null = 20,
  khorgosHours = 10,
): KpiShipment => ({
  id,
  teu,
  origin: xian,
  destination: alat,
  corridor: 'middle',
  rides: [
    {
      from: 'CN_XIAN_ITL',
      to: 'KZ_AKTAU_PORT',
      nodes: ['CN_XIAN_ITL', 'CN_KHORGOS', 'KZ_ALTYNKOL_KHORGOS_GATEWAY', 'KZ_AKTAU_PORT'],
      plannedDeparture: t0,
      operator: 'KTZ Express',
      distanceKm: 3000,
      kgCo2ePerTonne: 60,
    },
    {
      from: 'KZ_AKTAU_PORT',
      to: 'AZ_BAKU_PORT_ALAT',
      nodes: ['KZ_AKTAU_PORT', 'AZ_BAKU_PORT_ALAT'],
      plannedDeparture: t0 + 8 * D,
      operator: 'Kazmortransflot and ASCO container feeders',
      distanceKm: 450,
      kgCo2ePerTonne: 20,
    },
  ],
  places: [
    { nodeId: 'CN_XIAN_ITL', locode: 'CNXIA', operation: 'origin', border: null },
    { nodeId: 'CN_KHORGOS', locode: 'CNHRS', operation: 'border_crossing', border: 'CN→KZ' },
    {
      nodeId: 'KZ_ALTYNKOL_KHORGOS_GATEWAY',
      locode: null,
      operation: 'gauge_change',
      border: null,
    },
    { nodeId: 'KZ_AKTAU_PORT', locode: 'KZAAU', operation: 'port_handling', border: null },
    { nodeId: 'AZ_BAKU_PORT_ALAT', locode: 'AZBAK', operation: 'destination', border: null },
  ],
  promisedArrival: promisedDays === null ? null : t0 + promisedDays * D,
  tonnes,
  events: [
    { code: 'ARRI', at: t0 + days * D, location: 'AZBAK' },
    { code: 'DEPA', at: t0, location: 'CNXIA' },
    { code: 'DEPA', at: t0 + 2 * D + khorgosHours * H, location: 'CNHRS' },
    { code: 'ARRI', at: t0 + 7 * D, location: 'KZAAU' },
    { code: 'ARRI', at: t0 + 2 * D, location: 'CNHRS' },
    { code: 'DEPA', at: t0 + 7 * D + aktauHours * H, location: 'KZAAU' },
  ],
});

describe('KPIs on a hand-computed set', () => {
  const set = [
    shipment('a', 10, 24, 12, 2, 20, 6),
    shipment('b', 12, 48, 11, 2, 20, 10),
    shipment('c', 14, 72, 15, 1, 10, 30),
    shipment('d', 20, 240, null, 2, null, 50),
  ];
  const period = { from: t0 - D, to: t0 + 60 * D };
  const k = kpis(set, period);

  it('counts TEU per ISO week and segment by planned departure', () => {
    expect(isoWeek(t0)).toBe('2026-W50');
    expect(k.volumes).toEqual([
      { week: '2026-W50', segment: 'CN_XIAN_ITL → KZ_AKTAU_PORT', teu: 7 },
      { week: '2026-W51', segment: 'KZ_AKTAU_PORT → AZ_BAKU_PORT_ALAT', teu: 7 },
    ]);
  });

  it('gives door-to-door transit as nearest-rank P50/P90 of 10, 12, 14 and 20 days', () => {
    expect(k.transit).toEqual([
      { from: 'CN_XIAN_ITL', to: 'AZ_BAKU_PORT_ALAT', shipments: 4, p50Days: 12, p90Days: 20 },
    ]);
  });

  it('gives dwell per place and operation from arrival to departure', () => {
    expect(k.dwell).toEqual([
      {
        location: 'CNHRS',
        nodeId: 'CN_KHORGOS',
        operation: 'border_crossing',
        visits: 4,
        p50Hours: 10,
        p90Hours: 50,
      },
      {
        location: 'KZAAU',
        nodeId: 'KZ_AKTAU_PORT',
        operation: 'port_handling',
        visits: 4,
        p50Hours: 48,
        p90Hours: 240,
      },
    ]);
  });

  it('gives the CAREC time to cross per border: 6, 10, 30, 50 hours at Khorgos', () => {
    expect(k.borders).toEqual([
      {
        border: 'CN→KZ',
        nodeId: 'CN_KHORGOS',
        location: 'CNHRS',
        crossings: 4,
        p50Hours: 10,
        p90Hours: 50,
      },
    ]);
  });

  it('shares on time among those with a promise: a (10 ≤ 12) and c (14 ≤ 15), not b (12 > 11)', () => {
    expect(k.onTime).toEqual({ shipments: 3, onTime: 2, share: 0.67 });
  });

  it('gives CO2e per TEU-km over the shipments whose mass is known', () => {
    // a, b, c: (2 + 2 + 1) TEU × 3,450 km; (20 + 20 + 10) t × 80 kg/t.
    expect(k.emissions).toEqual({
      shipments: 3,
      teuKm: 17_250,
      co2eKg: 4_000,
      gCo2ePerTeuKm: 231.88,
    });
  });

  it('keeps to the period', () => {
    const early = kpis(set, { from: t0, to: t0 + 13 * D });
    expect(early.transit[0]!.shipments).toBe(2);
    expect(early.volumes).toHaveLength(2);
    expect(kpis(set, { from: 0, to: 1 })).toEqual({
      volumes: [],
      transit: [],
      dwell: [],
      borders: [],
      onTime: { shipments: 0, onTime: 0, share: null },
      emissions: { shipments: 0, teuKm: 0, co2eKg: 0, gCo2ePerTeuKm: null },
    });
  });

  it('filters by corridor', () => {
    const northern = { ...shipment('n', 30, 5, 40, 4), corridor: 'northern' };
    expect(kpis([...set, northern], period, { corridor: 'middle' })).toEqual(k);
    const only = kpis([...set, northern], period, { corridor: 'northern' });
    expect(only.transit).toEqual([
      { from: 'CN_XIAN_ITL', to: 'AZ_BAKU_PORT_ALAT', shipments: 1, p50Days: 30, p90Days: 30 },
    ]);
    expect(only.volumes.map((v) => v.teu)).toEqual([4, 4]);
  });

  it('filters by node: the segments and dwell there, the shipments through it', () => {
    const khorgos = kpis(set, period, { node: 'CN_KHORGOS' });
    expect(khorgos.volumes).toEqual([
      { week: '2026-W50', segment: 'CN_XIAN_ITL → KZ_AKTAU_PORT', teu: 7 },
    ]);
    expect(khorgos.dwell.map((d) => d.location)).toEqual(['CNHRS']);
    expect(khorgos.transit[0]!.shipments).toBe(4);
    expect(kpis(set, period, { node: 'GE_POTI_PORT' }).transit).toEqual([]);
  });

  it('filters by operator, any case: its rides and the shipments riding with it', () => {
    const asco = kpis(set, period, { operator: 'asco' });
    expect(asco.volumes).toEqual([
      { week: '2026-W51', segment: 'KZ_AKTAU_PORT → AZ_BAKU_PORT_ALAT', teu: 7 },
    ]);
    expect(asco.transit[0]!.shipments).toBe(4);
    const none = kpis(set, period, { operator: 'Georgian Railway' });
    expect(none.volumes).toEqual([]);
    expect(none.transit).toEqual([]);
  });
});

describe('route places from the network', () => {
  const network = referenceNetwork();
  const rides = [
    {
      serviceId: 'SVC_XIAN_BAKU_BLOCK',
      stops: ['CN_XIAN_ITL', 'CN_KHORGOS', 'KZ_ALTYNKOL_KHORGOS_GATEWAY', 'KZ_AKTAU_PORT'],
      plannedDepartures: [t0, t0 + D, t0 + 2 * D, null],
    },
    {
      serviceId: 'SVC_FEEDER_AKTAU_ALAT',
      stops: ['KZ_AKTAU_PORT', 'AZ_BAKU_PORT_ALAT'],
      plannedDepartures: [t0 + 8 * D, null],
    },
  ];
  const r = routePlaces(network, rides);

  it('names the operations at each place and the border crossed', () => {
    expect(r.corridor).toBe('middle');
    expect(r.places.map((p) => [p.nodeId, p.operation, p.border])).toEqual([
      ['CN_XIAN_ITL', 'origin', null],
      ['CN_KHORGOS', 'border_crossing', 'CN→KZ'],
      ['KZ_ALTYNKOL_KHORGOS_GATEWAY', 'gauge_change', null],
      ['KZ_AKTAU_PORT', 'port_handling', null],
      // Entering Azerbaijan by sea: the port is the border.
      ['AZ_BAKU_PORT_ALAT', 'destination', 'KZ→AZ'],
    ]);
  });

  it('gives each ride its operator, distance and CO2e per tonne from the data', () => {
    const feeder = r.rides[1]!;
    expect(feeder.operator).toBe(network.services.get('SVC_FEEDER_AKTAU_ALAT')!.operator);
    expect(feeder.distanceKm).toBe(450);
    // The feeder's own factor: 60 g CO2e per tonne-km.
    expect(feeder.kgCo2ePerTonne).toBeCloseTo(27, 6);
    expect(r.rides[0]!.plannedDeparture).toBe(t0);
    expect(r.rides[0]!.distanceKm).toBeGreaterThan(3000);
  });
});
