import { describe, expect, it } from 'vitest';
import { createPlanner } from '../../src/app/plan-route.ts';
import type { Itinerary } from '../../src/api/plan.ts';
import { fixedClock } from '../support/clock.ts';
import { referenceNetwork } from '../support/network-files.ts';

/**
 * Plans on the reference data against published figures (data/reference.md, sources by [S..]).
 * The bounds are wide on purpose: the figures are official claims, market reports and our
 * estimates, and the test guards against the model drifting away from them.
 */
const planner = createPlanner(referenceNetwork(), fixedClock());
const fastest = (its: Itinerary[]) =>
  its.reduce((a, b) => (b.transitDaysP50 < a.transitDaysP50 ? b : a));
const plan = (from: string, to: string, depart = '2026-12-01') =>
  planner.plan({ from, to, depart, containers: '1x40HC' }).itineraries;

describe("Xi'an -> Baku", () => {
  it('takes 8-15 days at P50 on the best itinerary, outside the stormy months', () => {
    // 8-11 days officially [S41], 11 days for the Jan/Mar 2024 trains [S38][S39], 12-15 days on
    // KTZ Express's product [S37]: best cases, which a June departure sees.
    const best = fastest(plan('Xian', 'Baku', '2027-06-01'));
    expect(best.transitDaysP50).toBeGreaterThanOrEqual(8);
    expect(best.transitDaysP50).toBeLessThanOrEqual(15);
  });

  it('waits longer for the Caspian crossing in the stormy months than in summer', () => {
    // Aktau closed 10 days in January [F03] and about half of November–December [F65]: the
    // planner's ferry wait by month is the simulation's of 2025 (data/dwell.json).
    const direct = (depart: string) => plan('Xian', 'Baku', depart).find((i) => i.transfers === 0)!;
    const wait = (it: ReturnType<typeof direct>) =>
      it.legs.find((l) => l.kind === 'dwell' && l.operation === 'ferry_waiting') as
        { p50Hours: number; p90Hours: number } | undefined;
    const december = direct('2026-12-01');
    const june = direct('2027-06-01');
    expect(wait(december)!.p50Hours).toBeGreaterThanOrEqual(4 * wait(june)!.p50Hours);
    expect(december.transitDaysP90 - december.transitDaysP50).toBeGreaterThanOrEqual(2);
    expect(december.transitDaysP90).toBeGreaterThanOrEqual(june.transitDaysP90 + 3);
  });
});

describe('China -> Georgian ports', () => {
  it('takes about 12 days at best: 12-18 days at P50', () => {
    // About 12 days to Georgian ports [S15]; 12-15 days China to AZ/GE/TR on KTZ Express [S37].
    // Best cases: a June departure, outside the Caspian's storms.
    const best = fastest(plan('Xian', 'Poti', '2027-06-01'));
    expect(best.transitDaysP50).toBeGreaterThanOrEqual(12);
    expect(best.transitDaysP50).toBeLessThanOrEqual(18);
  });
});

describe('the Middle Corridor against the Northern route and the sea', () => {
  it('is less predictable than the Northern route in the stormy months', () => {
    // The Northern route has no sea crossing; its spread comes from borders and gauge changes
    // only. The Caspian's comes from its storms [F03][F65]: the direct train through Aktau in
    // December.
    const middle = plan('Xian', 'Baku').find((i) => i.transfers === 0)!;
    const northern = fastest(plan('Xian', 'Duisburg'));
    expect(northern.corridor).toBe('northern');
    expect(middle.transitDaysP90 - middle.transitDaysP50).toBeGreaterThan(
      northern.transitDaysP90 - northern.transitDaysP50,
    );
  });

  it("puts Xi'an -> Duisburg within 13-30 days", () => {
    // Express trains 13 days, 24 days terminal to terminal to Germany [S36]; 30 days on average in Aug-Oct 2024 [S35].
    const best = fastest(plan('Xian', 'Duisburg'));
    expect(best.transitDaysP50).toBeGreaterThanOrEqual(13);
    expect(best.transitDaysP50).toBeLessThanOrEqual(30);
  });

  it('puts Qingdao -> Rotterdam by sea at about 35 days', () => {
    // About 35 days Shanghai-Rotterdam via Suez with calls [S101].
    const sea = plan('Qingdao', 'Rotterdam').find((i) => i.corridor === 'sea')!;
    expect(sea.transitDaysP50).toBeGreaterThanOrEqual(33);
    expect(sea.transitDaysP50).toBeLessThanOrEqual(40);
  });

  it('makes the sea cheaper per FEU than rail through the Middle Corridor', () => {
    // US$1,500-2,000 per FEU by sea against US$2,500-3,250 via the Middle Corridor [S8].
    const sea = plan('Qingdao', 'Rotterdam').find((i) => i.corridor === 'sea')!;
    const middle = fastest(plan('Qingdao', 'Baku'));
    expect(sea.costUsd).toBeGreaterThanOrEqual(1500);
    expect(sea.costUsd).toBeLessThanOrEqual(2000);
    expect(middle.costUsd).toBeGreaterThan(sea.costUsd);
  });
});
