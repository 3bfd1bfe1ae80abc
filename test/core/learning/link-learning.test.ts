import { describe, expect, it } from 'vitest';
import {
  fitLinkModels,
  linkSamples,
  linkTrafficShares,
  networkWithLinkModels,
  type FittedLink,
  type LinkSample,
} from '../../../src/core/learning/link-fit.ts';
import { buildRoutingModel } from '../../../src/core/routing/model.ts';
import { seededRng } from '../../../src/core/shared/rng.ts';
import { referenceNetwork } from '../../support/network-files.ts';
import { CARRIERS, corridor, observedJourney } from './true-corridor.ts';

const reference = referenceNetwork();
const publishers = new Map(CARRIERS.map((p) => [p.id, p]));
const NOW = Date.parse('2026-07-01T00:00:00Z');
const FROM = 'CN_XIAN_ITL';
const TO = 'CN_KHORGOS';
const SLOWER = 1.3;

/** The corridor whose block train runs from Xi'an to Khorgos 30 % slower than its timetable. */
const slow = networkWithLinkModels(reference, [
  { from: FROM, to: TO, factor: SLOWER, samples: 1 } as FittedLink,
]);
const c = corridor(reference, '2026-05-01', 60);
const truth = buildRoutingModel(slow, c.trips);
const slowCorridor = { ...c, truth: () => truth };

function observe(perDeparture: number, seed: number) {
  const rng = seededRng(seed);
  return c.blockTrains.flatMap((t) =>
    Array.from(
      { length: perDeparture },
      () => observedJourney(reference, slowCorridor, c.itineraries(t)[0]!, rng) ?? [],
    ).flat(),
  );
}
const link = (links: FittedLink[], from = FROM, to = TO) =>
  links.find((l) => l.from === from && l.to === to)!;

describe('running times learnt from the rides of their carrier', () => {
  const few = observe(1, 1).slice(0, 5);
  const many = observe(20, 2);
  const fit = (shipments: typeof few) =>
    fitLinkModels(reference, linkSamples(reference, shipments, publishers), {
      now: NOW,
      trafficShare: linkTrafficShares(reference, shipments, publishers),
    });

  it('a link slower than its timetable converges to what the rides show, the others stay on it', () => {
    const timetable = reference.services
      .get('SVC_XIAN_BAKU_BLOCK')!
      .stops.find((s) => s.nodeId === TO)!.runHours;
    const little = link(fit(few));
    const much = link(fit(many));
    expect(little.samples).toBe(5);
    expect(much.samples).toBeGreaterThan(300);
    // Five runs move it a little (the timetable counts as twenty), hundreds nearly all the way.
    expect(little.factor).toBeGreaterThan(1.02);
    expect(little.factor).toBeLessThan(1.15);
    expect(much.factor).toBeGreaterThan(1.27);
    expect(much.factor).toBeLessThanOrEqual(SLOWER + 0.005);
    expect(much.timetableHours).toBe(timetable);
    expect(much.inForce.p50Hours).toBeCloseTo(timetable * much.factor, 0);
    expect(much.drift).toBe('slower');
    // The Caspian crossing after it ran to its timetable.
    expect(Math.abs(link(fit(many), 'KZ_AKTAU_PORT', 'AZ_BAKU_PORT_ALAT').factor - 1)).toBeLessThan(
      0.01,
    );
    // Khorgos to Aktau passes Altynkol, a stop without a UN/LOCODE: not learnt.
    expect(fit(many).some((l) => l.from === 'CN_KHORGOS')).toBe(false);
    // The planner's network in force runs the train to Khorgos that much later, and on.
    const inForce = networkWithLinkModels(reference, fit(many));
    const offset = (n: typeof reference) =>
      n.services.get('SVC_XIAN_BAKU_BLOCK')!.stops.find((s) => s.nodeId === TO)!
        .arrivalOffsetHours!;
    expect(offset(inForce) - offset(reference)).toBeCloseTo(timetable * (much.factor - 1), 0);
    const atBaku = (n: typeof reference) =>
      n.services.get('SVC_XIAN_BAKU_BLOCK')!.stops.at(-1)!.arrivalOffsetHours!;
    expect(atBaku(inForce) - atBaku(reference)).toBeCloseTo(offset(inForce) - offset(reference), 1);
  });

  it('counts only the events of the carrier operating the ride', () => {
    const strangers = many.map((s) => ({
      ...s,
      events: s.events.map((e) => ({ ...e, postedBy: 'org_asco' })),
    }));
    expect(linkSamples(reference, many, publishers).length).toBeGreaterThan(1000);
    expect(linkSamples(reference, strangers, publishers)).toEqual([]);
    const customs = new Map([
      ...publishers,
      ['org_asco', { id: 'org_asco', kind: 'customs', services: [], country: 'KZ' }],
    ]);
    expect(linkSamples(reference, strangers, customs)).toEqual([]);
  });
});

describe('one carrier cannot move a link beyond its share of the rides', () => {
  const rng = seededRng(7);
  const runs = (org: string, n: number, factor: number): LinkSample[] =>
    Array.from({ length: n }, () => ({
      from: FROM,
      to: TO,
      at: NOW,
      factor: factor * Math.exp(0.05 * rng.normal()),
      timetableHours: 112,
      contributors: [org],
    }));
  const fit = (samples: LinkSample[]) =>
    link(
      fitLinkModels(reference, samples, {
        now: NOW,
        trafficShare: (_: string, org: string) => ({ org_a: 0.8, org_b: 0.2 })[org],
      }),
    );

  it('a carrier with a fifth of the rides posting runs five times too long moves the log-factor by at most a fifth of the outlier bound', () => {
    const clean = fit([...runs('org_a', 800, 1), ...runs('org_b', 200, 1)]);
    const poisoned = fit([...runs('org_a', 800, 1), ...runs('org_b', 2000, 5)]);
    const shift = Math.log(poisoned.factor / clean.factor);
    // At most a fifth of the way from the honest log-factor to the upper outlier bound.
    const room = Math.log(poisoned.bounds!.highHours / poisoned.timetableHours / clean.factor);
    expect(shift).toBeGreaterThan(0);
    expect(shift).toBeLessThanOrEqual(0.2 * room + 0.01);
    // Uncapped and unbounded, the flood would multiply the running time by about four.
    expect(poisoned.factor).toBeLessThanOrEqual(1.06);
    const b = poisoned.contributions.find((x) => x.organisationId === 'org_b')!;
    expect(b).toMatchObject({ capped: true, trafficShare: 0.2 });
    expect(poisoned.bounded).toBeGreaterThan(1000);
  });
});
