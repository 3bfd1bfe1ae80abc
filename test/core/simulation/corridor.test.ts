import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/core/simulation/corridor.ts';
import { estimate } from '../../../src/core/simulation/runs.ts';
import {
  applyChanges,
  scenarioSchema,
  type Change,
  type Scenario,
} from '../../../src/core/simulation/scenario.ts';

const scenario = (resources: object, demand: object[], warmupDays = 20): Scenario =>
  scenarioSchema.parse({ name: 't', warmupDays, resources, demand });
const one = (route: string[], teuPerWeek: number, teuPerContainer = 1) => ({
  from: 'A',
  to: 'B',
  route,
  teuPerWeek,
  teuPerContainer,
});

describe('queueing theory', () => {
  it("an M/M/1 station waits ρ/(μ−λ) on average, and Little's law holds (L = λW)", () => {
    for (const rho of [0.5, 0.8]) {
      const s = scenario(
        {
          Q: {
            type: 'terminal',
            name: 'Q',
            servers: 1,
            process: { exponentialMeanHours: 1 },
            estimate: 'test',
          },
        },
        [one(['Q'], rho * 168)],
        50,
      );
      const q = simulate(s, { days: 3000, seed: 7 }).resources[0]!;
      const wq = rho / (1 - rho);
      expect(q.meanWaitHours).toBeGreaterThan(wq * 0.9);
      expect(q.meanWaitHours).toBeLessThan(wq * 1.1);
      expect(q.utilisation).toBeCloseTo(rho, 1);
      // L in system = ρ/(1−ρ)
      expect(q.meanInResource).toBeCloseTo(rho / (1 - rho), 0);
      expect(Math.abs(q.lambdaW - q.meanInResource) / q.meanInResource).toBeLessThan(0.02);
    }
  });

  it("Little's law holds on every resource of the base scenario", () => {
    const base = scenarioSchema.parse(JSON.parse(readFileSync('data/scenarios/base.json', 'utf8')));
    const r = simulate(base, { days: 365, seed: 3 });
    for (const x of r.resources)
      expect(Math.abs(x.lambdaW - x.meanInResource), x.id).toBeLessThan(
        0.03 * x.meanInResource + 1,
      );
  });
});

describe('the resources', () => {
  it('a train leaves on its timetable with what fits and takes its running time', () => {
    const s = scenario(
      {
        T: {
          type: 'train',
          name: 'T',
          headwayHours: 24,
          capacityTeu: 10,
          run: { p50Hours: 48, p90Hours: 48 },
          distanceKm: 100,
          co2eGramsPerTeuKm: 1000,
          estimate: 'test',
        },
      },
      [one(['T'], 7 * 8)],
    );
    const r = simulate(s, { days: 200, seed: 1 });
    const t = r.resources[0]!;
    // 8 TEU a day offered to 10 TEU a day: waits under a day on average, never long.
    expect(t.utilisation).toBeGreaterThan(0.7);
    expect(t.utilisation).toBeLessThan(0.9);
    expect(t.meanWaitHours).toBeGreaterThan(8);
    expect(t.meanWaitHours).toBeLessThan(24);
    expect(r.ods[0]!.transitDaysP50 * 24).toBeGreaterThanOrEqual(48);
    expect(r.co2eTonnes).toBeCloseTo((r.resources[0]!.arrivals * 100 * 1000) / 1e6, -1);
  });

  it('a vessel sails full, or after its longest wait; closed days hold it in port', () => {
    const vessel = (closureDaysByMonth: number[]) =>
      scenario(
        {
          V: {
            type: 'vessel',
            name: 'V',
            vessels: 2,
            capacityTeu: 20,
            maxWaitHours: 48,
            crossing: { p50Hours: 20, p90Hours: 20 },
            returnHours: 40,
            distanceKm: 450,
            co2eGramsPerTeuKm: 0,
            closureDaysByMonth,
            estimate: 'test',
          },
        },
        [one(['V'], 70)],
      );
    const open = simulate(vessel(Array<number>(12).fill(0)), { days: 300, seed: 2 }).resources[0]!;
    // 10 TEU a day: a 20-TEU vessel fills in about two days but sails after 48 h at most.
    expect(open.p90WaitHours).toBeLessThanOrEqual(48.001);
    const stormy = simulate(vessel(Array<number>(12).fill(10)), { days: 300, seed: 2 })
      .resources[0]!;
    // Waits last until the vessel sails: closed days keep it, and its containers, in port.
    expect(stormy.meanWaitHours).toBeGreaterThan(open.meanWaitHours + 4);
    expect(stormy.p90WaitHours).toBeGreaterThan(48);
  });

  it('customs release the green lane at once and queue the rest for inspectors', () => {
    const customs = (greenShare: number) =>
      scenario(
        {
          C: {
            type: 'customs',
            name: 'C',
            greenShare,
            green: { p50Hours: 1, p90Hours: 1 },
            inspectors: 1,
            inspection: { exponentialMeanHours: 1 },
            estimate: 'test',
          },
        },
        [one(['C'], 0.9 * 168)],
      );
    const allRed = simulate(customs(0), { days: 500, seed: 4 }).resources[0]!;
    const mostlyGreen = simulate(customs(0.8), { days: 500, seed: 4 }).resources[0]!;
    expect(allRed.meanWaitHours).toBeGreaterThan(5);
    expect(mostlyGreen.meanWaitHours).toBeLessThan(1);
  });

  it('a closure holds every container until it reopens', () => {
    const s = scenario(
      {
        Q: {
          type: 'terminal',
          name: 'Q',
          servers: 5,
          process: { p50Hours: 1, p90Hours: 1 },
          estimate: 'test',
        },
      },
      [one(['Q'], 168)],
      10,
    );
    const closed = { ...s, closures: [{ resource: 'Q', fromDay: 10, days: 5 }] };
    const r = simulate(closed, { days: 40, seed: 1 }).resources[0]!;
    expect(r.maxInResource).toBeGreaterThan(80);
    expect(Math.max(...r.byDay.slice(10, 14))).toBeGreaterThan(24);
    expect(r.byDay.at(-1)!).toBeLessThan(5);
  });
});

describe('runs', () => {
  it('are the same for the same seed and differ for another', () => {
    const base = scenarioSchema.parse(JSON.parse(readFileSync('data/scenarios/base.json', 'utf8')));
    const a = simulate(base, { days: 120, seed: 11 });
    expect(simulate(base, { days: 120, seed: 11 })).toEqual(a);
    expect(simulate(base, { days: 120, seed: 12 }).deliveredTeu).not.toBe(a.deliveredTeu);
  });
});

describe('the base scenario against 2025 as it happened', () => {
  const base = scenarioSchema.parse(JSON.parse(readFileSync('data/scenarios/base.json', 'utf8')));
  const r = simulate(base, { days: 365, seed: 1 });
  const feeders = (x: typeof r) => x.resources.find((y) => y.id === 'CASPIAN_FEEDERS')!;

  it('delivers within ±20 % of the TEU moved in 2025: 59,400 on the Aktau–Baku line [F20], 66,300 in transit through Azerbaijan [F18]', () => {
    for (const moved of [59_400, 66_300]) {
      expect(r.deliveredTeu).toBeGreaterThanOrEqual(0.8 * moved);
      expect(r.deliveredTeu).toBeLessThanOrEqual(1.2 * moved);
    }
  });

  it('closes the Caspian ports within ±20 % of the published days: 10 in January [F03], about half of November and December [F65]', () => {
    const closed = feeders(r).closedDaysByMonth;
    expect(closed[0]).toBeGreaterThanOrEqual(8);
    expect(closed[0]).toBeLessThanOrEqual(12);
    const novDec = closed[10]! + closed[11]!;
    expect(novDec).toBeGreaterThanOrEqual(0.8 * 30.5);
    expect(novDec).toBeLessThanOrEqual(1.2 * 30.5);
  });

  it('takes at least the 11 days of the fastest train China → Baku [S38] at the median, and not overload-long', () => {
    const od = r.ods[0]!;
    expect(od.transitDaysP50).toBeGreaterThanOrEqual(11);
    expect(od.transitDaysP50).toBeLessThanOrEqual(16);
  });

  it('keeps its queues stable over two simulated years, with the longest waits at Aktau in the stormy months', () => {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    let [first, second] = [0, 0];
    for (const seed of [1, 2, 3]) {
      const two = simulate(base, { days: 730, seed });
      const v = feeders(two);
      first += mean(v.byDay.slice(0, 365));
      second += mean(v.byDay.slice(365));
      // Between the storms (March–October) the second year holds what the first did: no backlog
      // carried over.
      const [calm1, calm2] = [
        mean(v.byDay.slice(59, 304)),
        mean(v.byDay.slice(365 + 59, 365 + 304)),
      ];
      expect(calm2, `seed ${seed}`).toBeLessThan(1.25 * calm1 + 10);
      // What sets out is delivered.
      expect(two.deliveredTeu / two.ods[0]!.createdTeu).toBeGreaterThan(0.98);
      const w = v.meanWaitHoursByMonth;
      const winter = (w[10]! + w[11]! + w[0]!) / 3;
      const summer = (w[4]! + w[5]! + w[6]! + w[7]!) / 4;
      expect(winter, `seed ${seed}`).toBeGreaterThan(2.5 * summer);
      expect([0, 10, 11]).toContain(w.indexOf(Math.max(...w)));
    }
    // Over the three runs the second year's queue is the first's, give or take the storms.
    expect(second / first).toBeLessThan(1.15);
    expect(second / first).toBeGreaterThan(0.85);
  });

  it('the 2025 target of 88,000 TEU [S33] is a what-if beside the base, with longer waits', () => {
    const target = JSON.parse(readFileSync('data/scenarios/2025-target.json', 'utf8')) as {
      name: string;
      changes: Change[];
    };
    const applied = applyChanges(base, target.name, target.changes);
    if (!applied.ok) throw new Error(applied.errors.join());
    expect(applied.scenario.demand[0]!.teuPerWeek * 52).toBeCloseTo(88_000, -3);
    const t = simulate(applied.scenario, { days: 365, seed: 1 });
    expect(feeders(t).meanWaitHours).toBeGreaterThan(2 * feeders(r).meanWaitHours);
  });
});

describe('the measures say what they count', () => {
  it('TEU delivered in the period count every container delivered in it; those set out in it too are apart', () => {
    const s = scenario(
      {
        Q: {
          type: 'terminal',
          name: 'Q',
          servers: 1000,
          process: { p50Hours: 240, p90Hours: 240 },
          estimate: 'test',
        },
      },
      [one(['Q'], 168)],
      30,
    );
    const r = simulate(s, { days: 100, seed: 1 });
    // A stable station ten days long: what is delivered in 100 days is what set out in them…
    expect(r.deliveredTeu / r.ods[0]!.createdTeu).toBeGreaterThan(0.98);
    expect(r.deliveredTeu / r.ods[0]!.createdTeu).toBeLessThan(1.02);
    // …while those both set out and delivered in the period miss the last ten days' departures.
    expect(r.createdAndDeliveredTeu / r.deliveredTeu).toBeLessThan(0.93);
  });

  it("a container's wait for a vessel lasts until the vessel sails, not until it is loaded", () => {
    const s = scenario(
      {
        V: {
          type: 'vessel',
          name: 'V',
          vessels: 10,
          capacityTeu: 1000,
          maxWaitHours: 48,
          crossing: { p50Hours: 20, p90Hours: 20 },
          returnHours: 20,
          distanceKm: 450,
          co2eGramsPerTeuKm: 0,
          estimate: 'test',
        },
      },
      [one(['V'], 168)],
    );
    const v = simulate(s, { days: 200, seed: 5 }).resources[0]!;
    // One TEU an hour into a vessel that sails 48 h after its first: half of 48 h on average.
    expect(v.meanWaitHours).toBeGreaterThan(20);
    expect(v.meanWaitHours).toBeLessThan(28);
  });

  it('weather closures take each month its count of days, in spells; scenario days are calendar days from 1 January', () => {
    const s = scenario(
      {
        V: {
          type: 'vessel',
          name: 'V',
          vessels: 2,
          capacityTeu: 20,
          maxWaitHours: 48,
          crossing: { p50Hours: 20, p90Hours: 20 },
          returnHours: 40,
          distanceKm: 450,
          co2eGramsPerTeuKm: 0,
          closureDaysByMonth: [10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7],
          closureSpellMaxDays: 7,
          estimate: 'test',
        },
      },
      [one(['V'], 70)],
      61,
    );
    for (const seed of [1, 2, 3]) {
      const v = simulate(s, { days: 365, seed }).resources[0]!;
      expect(v.closedDaysByMonth).toEqual([10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7]);
    }
    // A closure from day 59 closes 1–10 March.
    const march = simulate(
      { ...s, closures: [{ resource: 'V', fromDay: 59, days: 10 }] },
      { days: 365, seed: 1 },
    ).resources[0]!;
    expect(march.closedDaysByMonth.slice(0, 4)).toEqual([10, 0, 10, 0]);
    expect(march.byDay[68]!).toBeGreaterThan(march.byDay[58]! + 50);
  });
});

describe('scenario changes', () => {
  const base = scenarioSchema.parse(JSON.parse(readFileSync('data/scenarios/base.json', 'utf8')));

  it('name every change that does not fit the base', () => {
    const applied = applyChanges(base, 'x', [
      { op: 'add_vessels', resource: 'KHORGOS', count: 1 },
      { op: 'green_share', resource: 'NOPE', value: 0.9 },
      { op: 'scale_demand', factor: 2, from: 'Mars' },
    ]);
    expect(applied).toEqual({
      ok: false,
      errors: [
        'changes.0.resource: KHORGOS is a terminal, not a vessel',
        'changes.1.resource: no resource NOPE',
        'changes.2: no demand from Mars to anywhere',
      ],
    });
  });

  it('make the changes on a copy', () => {
    const applied = applyChanges(base, 'more', [
      { op: 'add_vessels', resource: 'CASPIAN_FEEDERS', count: 2 },
      { op: 'green_share', resource: 'AZ_CUSTOMS', value: 0.95 },
      { op: 'scale_demand', factor: 1.5 },
    ]);
    if (!applied.ok) throw new Error(applied.errors.join());
    expect(applied.scenario.resources.CASPIAN_FEEDERS).toMatchObject({ vessels: 8 });
    expect(applied.scenario.demand[0]!.teuPerWeek).toBeCloseTo(1212 * 1.5);
    expect(base.resources.CASPIAN_FEEDERS).toMatchObject({ vessels: 6 });
  });

  it('refuses a scenario with every problem named by its path', () => {
    const bad = scenarioSchema.safeParse({
      name: 'bad',
      resources: {
        T: { type: 'terminal', name: 'T', servers: 0, process: { p50Hours: 5, p90Hours: 2 } },
      },
      demand: [{ from: 'A', to: 'B', route: ['T', 'X'], teuPerWeek: 10 }],
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^resources\.T\.servers: /),
        'resources.T.process.p90Hours: below p50Hours',
      ]),
    );
  });
});

describe('the planner and the simulation share the Caspian sailing', () => {
  it("the planner's ferry waits at Aktau by month are the base's waits for a feeder's departure", () => {
    const base = scenarioSchema.parse(JSON.parse(readFileSync('data/scenarios/base.json', 'utf8')));
    const dwell = (
      JSON.parse(readFileSync('data/dwell.json', 'utf8')) as {
        dwellModels: { id: string; byMonth?: { p50Hours: number; p90Hours: number }[] }[];
      }
    ).dwellModels.find((d) => d.id === 'KZ_AKTAU_PORT:ferry_waiting')!.byMonth!;
    const runs = Array.from({ length: 10 }, (_, i) =>
      simulate(base, { days: 365, seed: 100 + i }).resources.find(
        (x) => x.id === 'CASPIAN_FEEDERS',
      )!,
    );
    for (let m = 0; m < 12; m++) {
      for (const [q, key] of [
        ['p50Hours', 'p50WaitHoursByMonth'],
        ['p90Hours', 'p90WaitHoursByMonth'],
      ] as const) {
        const { mean, ci95 } = estimate(runs.map((r) => r[key][m]!));
        // Within the runs' 95 % interval, widened by the rounding to whole hours.
        expect(Math.abs(dwell[m]![q] - mean), `month ${m + 1} ${q}`).toBeLessThanOrEqual(ci95 + 1);
      }
    }
  });
});

describe('borders shared with background traffic', () => {
  const base = scenarioSchema.parse(JSON.parse(readFileSync('data/scenarios/base.json', 'utf8')));

  it('sizes Khorgos on the trains a day of data/border-capacity.json in force in 2025, background traffic among them', () => {
    const records = (
      JSON.parse(readFileSync('data/border-capacity.json', 'utf8')) as {
        borderCapacities: {
          node: string;
          trainsPerDay: number;
          backgroundTrainsPerDay: number;
          from?: string;
          until?: string;
        }[];
      }
    ).borderCapacities.filter((c) => c.node === 'KZ_ALTYNKOL_KHORGOS_GATEWAY');
    // Most of 2025: from the record exchange of 3 March [F48] at 18 trains a day [F49].
    const inForce = records.find(
      (c) => (c.from ?? '') <= '2025-06-01' && '2025-06-01' < (c.until ?? '9'),
    )!;
    const khorgos = base.resources.KHORGOS!;
    expect(khorgos.type).toBe('terminal');
    if (khorgos.type !== 'terminal') return;
    expect(khorgos.trainsPerDay).toBe(inForce.trainsPerDay);
    expect(khorgos.backgroundTrainsPerDay).toBe(inForce.backgroundTrainsPerDay);
  });

  it('background traffic takes its share of a border: the more it takes, the longer the corridor waits', () => {
    const withBackground = (trains: number) => {
      const s = structuredClone<Scenario>(base);
      const k = s.resources.KHORGOS!;
      if (k.type === 'terminal') k.backgroundTrainsPerDay = trains;
      return simulate(s, { days: 120, seed: 3 }).resources.find((x) => x.id === 'KHORGOS')!;
    };
    const none = withBackground(0);
    const base25 = withBackground(7.7);
    const crowded = withBackground(17.8);
    // 2025's background leaves room: the corridor's containers hardly wait.
    expect(base25.meanWaitHours).toBeLessThan(1);
    expect(none.meanWaitHours).toBeLessThan(1);
    expect(base25.meanInResource).toBeLessThan(1.2 * none.meanInResource);
    // A border all but full of other trains piles the corridor's containers up before it.
    expect(crowded.utilisation).toBeGreaterThan(0.99);
    expect(crowded.meanInResource).toBeGreaterThan(20 * base25.meanInResource);
  });
});
