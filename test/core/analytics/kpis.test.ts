import { describe, expect, it } from 'vitest';
import { isoWeek, kpis, type KpiShipment } from '../../../src/core/analytics/kpis.ts';

const H = 3_600_000;
const t0 = Date.UTC(2026, 11, 7, 12); // Monday 7 Dec 2026, ISO week 50
const xian = { nodeId: 'CN_XIAN_ITL', locode: 'CNXIA' };
const baku = { nodeId: 'AZ_BAKU_PORT_ALAT', locode: 'AZBAK' };

/** A shipment Xi'an → Alat: leaves at t0, stops at Aktau, arrives after `days`. */
const shipment = (
  id: string,
  days: number,
  aktauHours: number,
  promisedDays: number | null,
  teu = 2,
): KpiShipment => ({
  id,
  teu,
  origin: xian,
  destination: baku,
  rides: [
    { from: 'CN_XIAN_ITL', to: 'KZ_AKTAU_PORT', plannedDeparture: t0 },
    { from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT', plannedDeparture: t0 + 8 * 24 * H },
  ],
  promisedArrival: promisedDays === null ? null : t0 + promisedDays * 24 * H,
  events: [
    { code: 'ARRI', at: t0 + days * 24 * H, location: 'AZBAK' },
    { code: 'DEPA', at: t0, location: 'CNXIA' },
    { code: 'ARRI', at: t0 + 7 * 24 * H, location: 'KZAAU' },
    { code: 'DEPA', at: t0 + 7 * 24 * H + aktauHours * H, location: 'KZAAU' },
  ],
});

describe('KPIs on a hand-computed set', () => {
  const set = [
    shipment('a', 10, 24, 12),
    shipment('b', 12, 48, 11),
    shipment('c', 14, 72, 15, 1),
    shipment('d', 20, 240, null),
  ];
  const k = kpis(set, { from: t0 - 24 * H, to: t0 + 60 * 24 * H });

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

  it('gives dwell at Aktau from arrival to departure: 24, 48, 72, 240 hours', () => {
    expect(k.dwell).toEqual([{ location: 'KZAAU', visits: 4, p50Hours: 48, p90Hours: 240 }]);
  });

  it('shares on time among those with a promise: a (10 ≤ 12) and c (14 ≤ 15), not b (12 > 11)', () => {
    expect(k.onTime).toEqual({ shipments: 3, onTime: 2, share: 0.67 });
  });

  it('keeps to the period', () => {
    const early = kpis(set, { from: t0, to: t0 + 13 * 24 * H });
    expect(early.transit[0]!.shipments).toBe(2);
    expect(early.volumes).toHaveLength(2);
    expect(kpis(set, { from: 0, to: 1 })).toEqual({
      volumes: [],
      transit: [],
      dwell: [],
      onTime: { shipments: 0, onTime: 0, share: null },
    });
  });
});
