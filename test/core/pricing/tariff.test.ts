import { describe, expect, it } from 'vitest';
import { legCost, rideTariff } from '../../../src/core/pricing/tariff.ts';
import type { ContainerGroup } from '../../../src/core/shared/cargo.ts';
import { referenceNetwork } from '../../support/network-files.ts';

const network = referenceNetwork();
const HQ: ContainerGroup[] = [{ code: '40HC', count: 1, grossKg: 20_000 }];

/** What one 40HQ pays to ride `serviceId` from `from` to `to`, summed over its legs' lines. */
function price(serviceId: string, from: string, to: string): number {
  const service = network.services.get(serviceId)!;
  const nodes = service.stops.map((s) => s.nodeId);
  const b = nodes.indexOf(from);
  const a = nodes.indexOf(to, b + 1);
  expect(b, `${from} is a stop of ${serviceId}`).toBeGreaterThanOrEqual(0);
  expect(a, `${to} is a later stop of ${serviceId}`).toBeGreaterThan(b);
  const t = rideTariff(service, HQ)!;
  const total = t.usdAtAlight[a]! - t.usdAtBoard[b]!;
  // The legs' lines add up to what the search charged.
  expect(legCost(service, HQ, b, b, a).totalUsd).toBeCloseTo(total, 1);
  return total;
}

describe('tariffs of the reference corridor against the published 2025 rates', () => {
  it('China → Aktau per 40HQ lies in Argus’s US$5,350–5,700 (F04 via F71)', () => {
    for (const [service, origin] of [
      ['SVC_XIAN_BAKU_BLOCK', 'CN_XIAN_ITL'],
      ['SVC_CHINA_GEORGIA_PORTS_BLOCK', 'CN_XIAN_ITL'],
      ['SVC_QILU_SCODA_TRANS_CASPIAN', 'CN_SCODA_MTC'],
    ] as const) {
      const usd = price(service, origin, 'KZ_AKTAU_PORT');
      expect(usd, service).toBeGreaterThanOrEqual(5350);
      expect(usd, service).toBeLessThanOrEqual(5700);
    }
    const almaty = price('SVC_QILU_SCODA_CENTRAL_ASIA', 'CN_SCODA_MTC', 'KZ_ALMATY');
    expect(almaty).toBeGreaterThanOrEqual(5350);
    expect(almaty).toBeLessThanOrEqual(5700);
  });

  it('the Northern transit section Dostyk → Brest is the ERAI rate, US$3,239–3,292 (F69)', () => {
    for (const service of ['SVC_NORTHERN_XIAN_DUISBURG', 'SVC_QILU_SCODA_DUISBURG']) {
      const usd = price(service, 'KZ_DOSTYK', 'BY_BREST');
      expect(usd, service).toBeGreaterThanOrEqual(3239);
      expect(usd, service).toBeLessThanOrEqual(3292);
    }
  });

  it('through rail China → Europe lies in Q1 2025’s US$5,250–7,300 per FEU (F69)', () => {
    for (const [service, origin] of [
      ['SVC_NORTHERN_XIAN_DUISBURG', 'CN_XIAN_ITL'],
      ['SVC_QILU_SCODA_DUISBURG', 'CN_SCODA_MTC'],
    ] as const) {
      const usd = price(service, origin, 'DE_DUISBURG');
      expect(usd, service).toBeGreaterThanOrEqual(5250);
      expect(usd, service).toBeLessThanOrEqual(7300);
    }
  });

  it('a short hop at the end of a long train pays its own section, not the train’s terminal charge', () => {
    const hop = price('SVC_XIAN_BAKU_BLOCK', 'AZ_BAKU_PORT_ALAT', 'AZ_BAKU');
    expect(hop).toBeLessThan(200);
    // The whole ride still pays every section's fixed charge once.
    const whole = price('SVC_XIAN_BAKU_BLOCK', 'CN_XIAN_ITL', 'AZ_BAKU');
    const parts =
      price('SVC_XIAN_BAKU_BLOCK', 'CN_XIAN_ITL', 'KZ_AKTAU_PORT') +
      price('SVC_XIAN_BAKU_BLOCK', 'KZ_AKTAU_PORT', 'AZ_BAKU_PORT_ALAT') +
      hop;
    expect(whole).toBeCloseTo(parts, 2);
  });

  it('lays a section’s fixed charge on the leg where the ride enters it, and the infrastructure charge apart', () => {
    const service = network.services.get('SVC_XIAN_BAKU_BLOCK')!;
    const nodes = service.stops.map((s) => s.nodeId);
    const khorgos = nodes.indexOf('CN_KHORGOS');
    const aktau = nodes.indexOf('KZ_AKTAU_PORT');
    const first = legCost(service, HQ, 0, 0, khorgos);
    const altynkol = nodes.indexOf('KZ_ALTYNKOL_KHORGOS_GATEWAY');
    const second = legCost(service, HQ, 0, khorgos, altynkol);
    const third = legCost(service, HQ, 0, altynkol, aktau);
    expect(first.lines.map((l) => l.fixedUsd)).toEqual([1500]);
    // The Kazakh section starts at Khorgos: its fixed charge falls on the piece entering it.
    expect(second.lines.map((l) => [l.from, l.to, l.fixedUsd])).toEqual([
      ['CN_KHORGOS', 'KZ_ALTYNKOL_KHORGOS_GATEWAY', 400],
    ]);
    expect(third.lines.map((l) => [l.from, l.to, l.fixedUsd])).toEqual([
      ['KZ_ALTYNKOL_KHORGOS_GATEWAY', 'KZ_AKTAU_PORT', 0],
    ]);
    // Boarding at Altynkol, the ride enters the Kazakh section there and pays its fixed charge.
    expect(legCost(service, HQ, altynkol, altynkol, aktau).lines[0]!.fixedUsd).toBe(400);
    // [S110]: US$0.15 per TEU-km, a 40' counts 2 TEU.
    const kz = third.lines[0]!;
    expect(kz.infrastructureUsd).toBeCloseTo(0.3 * kz.distanceKm, 1);
    expect(first.lines[0]!.infrastructureUsd).toBeNull();
  });
});
