import { describe, expect, it } from 'vitest';
import {
  fitDwellModels,
  modelInForce,
  PRIOR_SAMPLES,
  type DwellReference,
  type DwellSample,
  type FittedDwell,
} from '../../../src/core/learning/dwell-fit.ts';
import { dwellReferences, networkWithDwellModels } from '../../../src/core/learning/in-force.ts';
import { dwellSamples, trafficShares, type Publisher } from '../../../src/core/learning/samples.ts';
import { seededRng } from '../../../src/core/shared/rng.ts';
import { referenceNetwork } from '../../support/network-files.ts';
import { CARRIERS, corridor, observedJourney, TRUTH, WINTER } from './true-corridor.ts';

const reference = referenceNetwork();
const references: DwellReference[] = dwellReferences(reference);
const publishers = new Map(CARRIERS.map((p) => [p.id, p]));
const c = corridor(reference, '2026-03-01', 360);
const NOW = Date.parse('2027-03-01T00:00:00Z');
const Z90 = 1.2815515655446004;

/** Events of `perItinerary` journeys of every block-train departure and its ferry variant. */
function observe(perItinerary: number, seed: number) {
  const rng = seededRng(seed);
  return c.blockTrains.flatMap((t) =>
    c
      .itineraries(t)
      .flatMap((rides) =>
        Array.from(
          { length: perItinerary },
          () => observedJourney(reference, c, rides, rng) ?? [],
        ).flat(),
      ),
  );
}

const sigmaOf = (p: { p50Hours: number; p90Hours: number }) =>
  Math.log(p.p90Hours / p.p50Hours) / Z90;
const refOf = (nodeId: string, operation: string) =>
  references.find((r) => r.nodeId === nodeId && r.operation === operation)!;

/**
 * How far (on the log scale) a fitted quantile may be from the truth with n samples: three
 * standard errors of the log-mean (plus, for the P90, of the spread), what the prior still holds
 * back (its weight n0 / (n0 + n) of the distance from the reference), and 0.12 for what the
 * measurement itself blurs (the stand also holds the port handling, counted at its P50).
 */
function tolerance(
  n: number,
  truth: { p50Hours: number; p90Hours: number },
  ref: DwellReference,
  q: 50 | 90,
) {
  const sigma = sigmaOf(truth);
  const se = ((3 * sigma) / Math.sqrt(n)) * (q === 90 ? Math.sqrt(1 + Z90 ** 2 / 2) : 1);
  const truthQ = q === 50 ? truth.p50Hours : truth.p90Hours;
  const refQ = q === 50 ? ref.p50Hours : ref.p90Hours;
  const held = (PRIOR_SAMPLES / (PRIOR_SAMPLES + n)) * Math.abs(Math.log(refQ / truthQ));
  return se + held + 0.12;
}

function expectNear(f: FittedDwell, truth: { p50Hours: number; p90Hours: number }) {
  const ref = refOf(f.nodeId, f.operation);
  const e50 = Math.abs(Math.log(f.inForce.p50Hours / truth.p50Hours));
  const e90 = Math.abs(Math.log(f.inForce.p90Hours / truth.p90Hours));
  expect(
    e50,
    `${f.nodeId} ${f.operation} month ${f.month} P50 ${f.inForce.p50Hours} vs ${truth.p50Hours} with ${f.samples} samples`,
  ).toBeLessThanOrEqual(tolerance(f.samples, truth, ref, 50));
  expect(
    e90,
    `${f.nodeId} ${f.operation} month ${f.month} P90 ${f.inForce.p90Hours} vs ${truth.p90Hours} with ${f.samples} samples`,
  ).toBeLessThanOrEqual(tolerance(f.samples, truth, ref, 90));
}

describe('dwell models learnt from a true corridor', () => {
  const few = observe(1, 1);
  const many = observe(12, 2);
  const fit = (shipments: typeof few) =>
    fitDwellModels(references, dwellSamples(reference, shipments, publishers), { now: NOW });

  it('converges to the true P50/P90 of a faster border and slower winter ferry waits, within a tolerance that narrows with the samples', () => {
    for (const shipments of [few, many]) {
      const fitted = fit(shipments);
      const khorgos = modelInForce(fitted, 'CN_KHORGOS', 'border_crossing', 0)!;
      expect(khorgos.samples).toBeGreaterThan(100);
      expectNear(khorgos, TRUTH.khorgosBorder);
      // Five hours is below the reference's range (12 h ÷ 2 to 24 h): the council is told.
      expect(khorgos.drift).toBe('faster');
      for (const month of WINTER) {
        const aktau = modelInForce(fitted, 'KZ_AKTAU_PORT', 'ferry_waiting', month)!;
        expect(aktau.month).toBe(month);
        expectNear(aktau, TRUTH.aktauFerryWinter);
        // Sixty hours is slow, but within the reference's wide range (P50 13 h, P90 93 h).
        expect(aktau.drift).toBeNull();
      }
      // Outside winter the ferry waits are the reference's.
      const july = modelInForce(fitted, 'KZ_AKTAU_PORT', 'ferry_waiting', 7)!;
      const julyRef = reference.dwellModels.get('KZ_AKTAU_PORT:ferry_waiting')!.byMonth![6]!;
      const julyRefs = { ...refOf('KZ_AKTAU_PORT', 'ferry_waiting'), ...julyRef };
      expect(Math.abs(Math.log(july.inForce.p50Hours / julyRef.p50Hours))).toBeLessThanOrEqual(
        tolerance(july.samples, julyRef, julyRefs, 50),
      );
      // Its P90 is not held to the truth: a stand's ferry wait is read as discharge to sailing
      // less the port handling's P50, so the handling's own spread widens the P90 of a short
      // summer wait (P90 21 h).
      expect(july.inForce.p90Hours).toBeGreaterThanOrEqual(julyRef.p90Hours);
      expect(july.drift).toBeNull();
    }
    const fitted = fit(many);
    const january = modelInForce(fitted, 'KZ_AKTAU_PORT', 'ferry_waiting', 1)!;
    expect(january.samples).toBeGreaterThan(150);
    expect(january.ks).toBeLessThan(0.15);
    expect(january.period!.from.slice(0, 7)).toBe('2027-01');
  });

  it('moves the reference a little with ten stands and replaces it with a thousand', () => {
    const samples = dwellSamples(reference, many, publishers).filter(
      (s) => s.nodeId === 'CN_KHORGOS',
    );
    expect(samples.length).toBeGreaterThan(1000);
    const p50 = (n: number) =>
      modelInForce(
        fitDwellModels(references, samples.slice(0, n), { now: NOW }),
        'CN_KHORGOS',
        'border_crossing',
        0,
      )!.inForce.p50Hours;
    const ref = refOf('CN_KHORGOS', 'border_crossing').p50Hours;
    const moved = (n: number) =>
      Math.log(ref / p50(n)) / Math.log(ref / TRUTH.khorgosBorder.p50Hours);
    expect(moved(10)).toBeGreaterThan(0.1);
    expect(moved(10)).toBeLessThan(0.5);
    expect(moved(1000)).toBeGreaterThan(0.9);
  });

  it('does not count events from an organisation not entitled to post them at the place', () => {
    // The ferry line posts the block train's stand at Khorgos: not its ride, not its country.
    const stranger: Publisher = {
      id: 'org_other',
      kind: 'carrier',
      services: ['SVC_ASCO_RAIL_FERRY_AKTAU_ALAT'],
      country: 'AZ',
    };
    const customsKz: Publisher = {
      id: 'org_kz_customs',
      kind: 'customs',
      services: [],
      country: 'KZ',
    };
    const shipments = few.map((s) => ({
      ...s,
      events: s.events.map((e) =>
        e.location === 'CNHRS'
          ? { ...e, postedBy: stranger.id }
          : e.location === 'KZAAU'
            ? { ...e, postedBy: customsKz.id }
            : e,
      ),
    }));
    const all = new Map([...publishers, [stranger.id, stranger], [customsKz.id, customsKz]]);
    const samples = dwellSamples(reference, shipments, all);
    expect(samples.filter((s) => s.nodeId === 'CN_KHORGOS')).toEqual([]);
    // The customs of the place's country may speak for it.
    expect(samples.filter((s) => s.nodeId === 'KZ_AKTAU_PORT').length).toBeGreaterThan(50);
    expect(dwellSamples(reference, few, new Map()).length).toBe(0);
  });
});

describe('one organisation cannot move a model beyond its share of the traffic', () => {
  const ref = refOf('CN_KHORGOS', 'border_crossing');
  const rng = seededRng(5);
  const at = Date.parse('2026-10-01T00:00:00Z');
  const honest = (org: string, n: number): DwellSample[] =>
    Array.from({ length: n }, () => ({
      nodeId: ref.nodeId,
      operation: ref.operation,
      at,
      hours: ref.p50Hours * Math.exp(sigmaOf(ref) * rng.normal()),
      contributors: [org],
    }));
  const skewed = (org: string, n: number): DwellSample[] =>
    honest(org, n).map((s) => ({ ...s, hours: s.hours * 50 }));
  const share = (shares: Record<string, number>) => (_: string, org: string) => shares[org];
  const p50 = (samples: DwellSample[], shares: Record<string, number>) => {
    const f = modelInForce(
      fitDwellModels([ref], samples, { now: at, trafficShare: share(shares) }),
      ref.nodeId,
      ref.operation,
      0,
    )!;
    return { log: Math.log(f.inForce.p50Hours), f };
  };

  it('a carrier with a fifth of the traffic posting fifty-fold stands moves the log-P50 by at most a fifth of the outlier bound', () => {
    const shares = { org_a: 0.8, org_b: 0.2 };
    const clean = p50([...honest('org_a', 800), ...honest('org_b', 200)], shares);
    const poisoned = p50([...honest('org_a', 800), ...skewed('org_b', 200)], shares);
    // Its stands count at most at the upper outlier bound: at most a fifth of the way from the
    // honest log-mean to that bound (sampling noise of the honest fifth aside).
    const shift = poisoned.log - clean.log;
    const room = Math.log(poisoned.f.bounds!.highHours / clean.f.observed!.p50Hours);
    expect(shift).toBeGreaterThan(0);
    expect(shift).toBeLessThanOrEqual(0.2 * room + 0.03);
    expect(poisoned.f.bounded).toBeGreaterThan(100);
  });

  it('posting ten times its traffic weighs no more than its share, and the contributions say so', () => {
    const shares = { org_a: 0.8, org_b: 0.2 };
    const fair = p50([...honest('org_a', 800), ...skewed('org_b', 200)], shares);
    const flood = p50([...honest('org_a', 800), ...skewed('org_b', 2000)], shares);
    // Uncapped, the flood would set the median itself (a shift of about ln 50 ≈ 3.9).
    expect(Math.abs(flood.log - fair.log)).toBeLessThan(0.1);
    const b = flood.f.contributions.find((x) => x.organisationId === 'org_b')!;
    expect(b).toMatchObject({ samples: 2000, trafficShare: 0.2, capped: true });
    expect(b.share).toBeCloseTo(0.2, 3);
    const a = flood.f.contributions.find((x) => x.organisationId === 'org_a')!;
    expect(a).toMatchObject({ samples: 800, capped: false });
    expect(a.share).toBeCloseTo(0.8, 3);
  });

  it('traffic shares follow the rides each carrier operates at the place', () => {
    const shipments = observe(1, 3);
    const shareOf = trafficShares(reference, shipments, publishers);
    expect(shareOf('CN_KHORGOS', 'org_ktz')).toBe(1);
    expect(shareOf('CN_KHORGOS', 'org_asco')).toBe(0);
    const aktau = shareOf('KZ_AKTAU_PORT', 'org_asco')!;
    expect(aktau).toBeGreaterThan(0.3);
    expect(aktau).toBeLessThan(0.7);
  });
});

describe("the model in force keeps the reference's months", () => {
  const aktau = reference.dwellModels.get('KZ_AKTAU_PORT:ferry_waiting')!;
  const rng = seededRng(9);
  // Forty January waits at Aktau of about a hundred hours, nothing observed in the other months.
  const january: DwellSample[] = Array.from({ length: 40 }, (_, i) => ({
    nodeId: 'KZ_AKTAU_PORT',
    operation: 'ferry_waiting',
    at: Date.parse('2027-01-10T00:00:00Z') + i * 3_600_000,
    hours: 100 * Math.exp(0.3 * rng.normal()),
    contributors: ['org_asco'],
  }));
  const fitted = fitDwellModels(references, january, { now: NOW });

  it('a month without observations keeps the reference month, an observed month blends with its own reference month', () => {
    for (const month of [1, 7]) {
      const network = networkWithDwellModels(reference, fitted, [], month, 3);
      const model = network.dwellModels.get('KZ_AKTAU_PORT:ferry_waiting')!;
      expect(model.byMonth).toHaveLength(12);
      // July and June were not observed: the reference's summer waits hold.
      expect(model.byMonth![6]).toEqual(aktau.byMonth![6]);
      expect(model.byMonth![5]).toEqual(aktau.byMonth![5]);
      // January: the reference's January (P50 47 h) moved towards the hundred hours observed.
      const jan = model.byMonth![0]!;
      expect(jan.p50Hours).toBeGreaterThan(aktau.byMonth![0]!.p50Hours + 10);
      expect(jan.p50Hours).toBeLessThan(100);
      expect(model.source).toContain('dwell model version 3');
    }
    const fit = modelInForce(fitted, 'KZ_AKTAU_PORT', 'ferry_waiting', 1)!;
    expect(fit.reference).toEqual(aktau.byMonth![0]);
  });
});

describe('reports from organisations without traffic at the place', () => {
  it('leave the model at its prior', () => {
    const ref = { nodeId: 'CN_KHORGOS', operation: 'border_crossing', p50Hours: 12, p90Hours: 24 };
    const samples: DwellSample[] = Array.from({ length: 50 }, (_, i) => ({
      ...ref,
      at: Date.parse('2026-10-01T00:00:00Z') + i,
      hours: 100,
      contributors: ['org_elsewhere'],
    }));
    const [year] = fitDwellModels([ref], samples, {
      now: Date.parse('2026-10-02T00:00:00Z'),
      trafficShare: () => 0,
    });
    expect(year).toMatchObject({ samples: 0, inForce: { p50Hours: 12, p90Hours: 24 } });
  });
});
