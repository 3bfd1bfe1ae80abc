import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPlanner } from '../../src/app/plan-route.ts';
import { planResponseSchema, type Itinerary } from '../../src/api/plan.ts';
import { MIN_CONNECTION_HOURS } from '../../src/core/routing/api.ts';
import { addDays } from '../../src/core/shared/time-zone.ts';
import { fixedClock } from '../support/clock.ts';
import { referenceNetwork } from '../support/network-files.ts';
import { textNetwork } from '../support/text-network.ts';

const network = referenceNetwork();
const planner = createPlanner(network, fixedClock(), { draws: 300 });
const H = 3_600_000;

describe('planning on the reference corridor', () => {
  const r = planner.plan({
    from: 'Qingdao',
    to: 'Baku',
    depart: '2026-12-01',
    containers: '2x40HC',
  });

  it('answers in the JSON contract of the API', () => {
    expect(() => planResponseSchema.parse(r)).not.toThrow();
    expect(r.request).toMatchObject({
      from: 'CN_QINGDAO_PORT',
      to: 'AZ_BAKU',
      depart: '2026-11-30T16:00:00.000Z',
    });
    expect(r.errors).toEqual([]);
    expect(r.itineraries.length).toBeGreaterThan(1);
    expect(r.itineraries.length).toBeLessThanOrEqual(8);
  });

  it('orders itineraries by P50 arrival and gives each P50 <= P90, the plan as information', () => {
    const p50 = r.itineraries.map((i) => i.arrivalP50);
    expect(p50).toEqual([...p50].sort());
    for (const it of r.itineraries) expect(it.plannedArrival).toMatch(/^\d{4}-/);
    for (const it of r.itineraries) expect(it.arrivalP50 <= it.arrivalP90).toBe(true);
  });

  it('describes the borders, gauge change, regimes and documents of the trans-Caspian route', () => {
    const it = r.itineraries.find((i) =>
      i.legs.some((l) => l.kind === 'ride' && l.mode === 'ferry'),
    )!;
    expect(it.corridor).toBe('middle');
    expect(it.borders.map((b) => `${b.from}>${b.to}`)).toEqual(['CN>KZ', 'KZ>AZ']);
    expect(it.gaugeChanges).toHaveLength(1);
    expect(it.gaugeChanges[0]).toMatchObject({ fromMm: 1435, toMm: 1520 });
    expect(['KZ_ALTYNKOL_KHORGOS_GATEWAY', 'KZ_DOSTYK']).toContain(it.gaugeChanges[0]!.node);
    expect(
      it.regimes.map((s) => `${s.countries.join('>')} ${s.customsRegime} ${s.transportDocument}`),
    ).toEqual([
      'CN export SMGS',
      'KZ eaeu_transit SMGS',
      'KZ>AZ sea_crossing SMGS',
      'AZ import SMGS',
    ]);
    expect(it.documents).toEqual(
      expect.arrayContaining([
        'SMGS consignment note',
        'export declaration (CN)',
        'EAEU transit declaration (KZ)',
        'import declaration (AZ)',
      ]),
    );
  });

  it('prices each ride with its breakdown and adds the legs up to the total', () => {
    for (const it of r.itineraries) {
      const rides = it.legs.filter((l) => l.kind === 'ride');
      expect(rides.reduce((s, l) => s + l.costUsd, 0)).toBeCloseTo(it.costUsd, 1);
      for (const l of rides)
        expect(l.costBreakdown.reduce((s, b) => s + b.amountUsd, 0)).toBeCloseTo(l.costUsd, 1);
      expect(rides.reduce((s, l) => s + l.co2eKg, 0)).toBeCloseTo(it.co2eKg, 0);
    }
  });

  it('gives the same answer for the same seed, and the same P50 and P90 for another seed', () => {
    const again = planner.plan({
      from: 'Qingdao',
      to: 'Baku',
      depart: '2026-12-01',
      containers: '2x40HC',
    });
    expect(again).toEqual(r);
    const other = planner.plan({
      from: 'Qingdao',
      to: 'Baku',
      depart: '2026-12-01',
      containers: '2x40HC',
      seed: 99,
    });
    expect(other.itineraries.map((i) => i.id)).toEqual(r.itineraries.map((i) => i.id));
    // The spread is computed from the dwell models, not drawn: the P90 a booking promises does
    // not depend on the seed.
    expect(other.itineraries.map((i) => [i.arrivalP50, i.arrivalP90])).toEqual(
      r.itineraries.map((i) => [i.arrivalP50, i.arrivalP90]),
    );
  });

  it('finds the Alat free zone, Chinese and Russian names, and writes free-zone entry', () => {
    const fez = planner.plan({
      from: 'Xian',
      to: 'Alat FEZ',
      depart: '2026-12-01',
      containers: '1x40HC',
    });
    expect(fez.errors).toEqual([]);
    expect(fez.itineraries[0]!.regimes.at(-1)!.customsRegime).toBe('free_zone_entry');
    expect(fez.itineraries[0]!.documents).toContain('Alat FEZ entry declaration');
    const local = planner.plan({
      from: '青岛',
      to: 'Баку',
      depart: '2026-12-01',
      containers: '1x20GP',
    });
    expect(local.request).toMatchObject({ from: 'CN_QINGDAO_PORT', to: 'AZ_BAKU' });
  });

  it('compares corridors: the best itinerary of each that reaches the destination', () => {
    const c = planner.plan({
      from: 'Xian',
      to: 'Istanbul',
      depart: '2026-12-01',
      containers: '1x40HC',
      compare: true,
    });
    expect(c.itineraries.map((i) => i.corridor).sort()).toEqual(['middle', 'southern']);
    const ist = c.itineraries.find((i) => i.corridor === 'southern')!;
    expect(ist.borders.map((b) => b.to)).toContain('TM');
  });

  it('compares the Middle, Northern and Suez routes into Europe, each by its best P50', () => {
    const corridors = (from: string, to: string) => {
      const c = planner.plan({
        from,
        to,
        depart: '2026-12-01',
        containers: '1x40HC',
        compare: true,
      });
      expect(c.errors).toEqual([]);
      return c;
    };
    const duisburg = corridors('Qingdao', 'Duisburg');
    expect(duisburg.itineraries.map((i) => i.corridor)).toEqual(
      expect.arrayContaining(['middle', 'northern']),
    );
    const rotterdam = corridors('Xian', 'Rotterdam');
    expect(rotterdam.itineraries.map((i) => i.corridor)).toEqual(
      expect.arrayContaining(['middle', 'northern', 'sea']),
    );
    // The Middle Corridor reaches Europe across the Black Sea.
    const middle = rotterdam.itineraries.find((i) => i.corridor === 'middle')!;
    expect(middle.borders.map((b) => b.to)).toEqual(expect.arrayContaining(['AZ', 'GE']));
    expect(middle.legs.at(-1)).toMatchObject({ kind: 'ride', to: 'NL_ROTTERDAM' });
    // Each corridor's card is its best at P50 among what the planner offers on that corridor.
    const all = planner.plan({
      from: 'Xian',
      to: 'Rotterdam',
      depart: '2026-12-01',
      containers: '1x40HC',
    });
    for (const it of rotterdam.itineraries)
      for (const other of all.itineraries.filter((o) => o.corridor === it.corridor))
        expect(Date.parse(it.arrivalP50)).toBeLessThanOrEqual(Date.parse(other.arrivalP50) + 6 * H);
  });

  it('uses the common CIM/SMGS note when the rail chain reaches Türkiye', () => {
    const t = planner.plan({
      from: 'Xian',
      to: 'Kars',
      depart: '2026-12-01',
      containers: '1x40HC',
    });
    const it = t.itineraries[0]!;
    expect(new Set(it.regimes.map((s) => s.transportDocument))).toEqual(new Set(['CIM/SMGS']));
    expect(it.regimes.map((s) => s.customsRegime)).toContain('ncts_transit');
    expect(it.gaugeChanges.map((g) => g.node)).toContain('GE_AKHALKALAKI');
  });
});

describe('planning errors are values with their own code', () => {
  const ask = (input: Partial<Parameters<typeof planner.plan>[0]>) =>
    planner.plan({
      from: 'Xian',
      to: 'Baku',
      depart: '2026-12-01',
      containers: '1x40HC',
      ...input,
    });

  it('unknown_place, with suggestions', () => {
    const r = ask({ from: 'Aktua' });
    expect(r.errors).toEqual([
      {
        code: 'unknown_place',
        field: 'from',
        message:
          'no place called "Aktua"; did you mean Aktau (KZAAU), or Kartsakhi (KARTSAKHI)?'.replace(
            ', or Kartsakhi (KARTSAKHI)',
            r.errors[0]!.suggestions.length > 1 ? `, or ${r.errors[0]!.suggestions[1]}` : '',
          ),
        suggestions: expect.arrayContaining(['Aktau (KZAAU)']) as string[],
      },
    ]);
    expect(r.errors[0]!.suggestions[0]).toBe('Aktau (KZAAU)');
    expect(r.itineraries).toEqual([]);
  });

  it('same_place', () => {
    expect(ask({ from: 'AZ_BAKU', to: 'baku' }).errors.map((e) => e.code)).toEqual(['same_place']);
  });

  it('invalid_cargo', () => {
    const r = ask({ containers: '2x40XX' });
    expect(r.errors).toEqual([
      {
        code: 'invalid_cargo',
        field: 'containers',
        message: 'unknown container type "40XX"; use 20GP, 40GP, 40HC, 45HC, 20RF, 40RF',
        suggestions: [],
      },
    ]);
  });

  it('invalid_date', () => {
    expect(ask({ depart: '2026-13-01' }).errors[0]).toMatchObject({
      code: 'invalid_date',
      field: 'depart',
    });
  });

  it('outside_timetable beyond twelve months from today; invalid_date for a day that has passed', () => {
    // Today is 2026-11-30 by the planner's clock.
    expect(ask({ depart: '2027-12-01' }).errors[0]).toMatchObject({
      code: 'outside_timetable',
      field: 'depart',
      message:
        '2027-12-01 is beyond the timetables, which are planned to 2027-11-30, twelve months ahead',
    });
    expect(ask({ depart: '2027-11-30' }).errors).toEqual([]);
    expect(ask({ depart: '2026-11-29' }).errors[0]).toMatchObject({
      code: 'invalid_date',
      field: 'depart',
      message: '2026-11-29 has passed; plan from today (2026-11-30) or later',
    });
    expect(ask({ depart: '2026-11-30' }).errors).toEqual([]);
    expect(ask({ depart: undefined, arriveBy: '2026-11-01' }).errors[0]).toMatchObject({
      code: 'invalid_date',
      field: 'arriveBy',
    });
  });

  it('no_connection', () => {
    // Urumqi is on the network but no service stops there.
    expect(ask({ from: 'Urumqi' }).errors[0]).toMatchObject({ code: 'no_connection', field: 'to' });
  });

  it('hazardous_refused: only the passenger Ro-Pax sails from Kuryk', () => {
    expect(ask({ from: 'Kuryk', to: 'Alat', hazardous: true }).errors[0]).toMatchObject({
      code: 'hazardous_refused',
      field: 'hazardous',
    });
    expect(ask({ from: 'Kuryk', to: 'Alat', hazardous: false }).errors).toEqual([]);
  });

  it('cargo_not_accepted: no service on the way takes the container type', () => {
    const small = createPlanner(
      textNetwork(`
        node A KZ
        node C KZ
        link A C rail 100
        service S1 rail daily 08:00 : A 5h C
      `),
      fixedClock(),
      { draws: 10 },
    );
    // Strip the 45' tariff: the only service no longer takes 45HC.
    const service = small.model.routes[0]!.service;
    delete (service.tariff.byContainerType as Record<string, unknown>).L5G1;
    const r = small.plan({ from: 'A', to: 'C', depart: '2026-12-01', containers: '1x45HC,1x20GP' });
    expect(r.errors[0]).toMatchObject({
      code: 'cargo_not_accepted',
      field: 'containers',
      message: 'no route from A to C takes 45HC containers',
    });
  });

  it('no_itinerary: nothing arrives by the deadline', () => {
    expect(ask({ arriveBy: '2026-12-04' }).errors[0]).toMatchObject({
      code: 'no_itinerary',
      field: 'arriveBy',
    });
  });
});

describe('planning on any day', () => {
  it('answers for the twelve months from whatever today is, and never offers what has left', () => {
    for (const now of ['2028-01-06T10:00:00Z', '2031-07-15T03:30:00Z']) {
      const onThatDay = createPlanner(network, fixedClock(now), { draws: 50 });
      expect(onThatDay.period.from).toBe(now.slice(0, 10));
      // No departure given: from now.
      const r = onThatDay.plan({ from: 'Qingdao', to: 'Baku', containers: '1x40HC' });
      expect(r.errors).toEqual([]);
      expect(r.request.depart).toBe(new Date(now).toISOString());
      expect(r.itineraries.length).toBeGreaterThan(1);
      for (const it of r.itineraries)
        expect(Date.parse(it.departure)).toBeGreaterThanOrEqual(Date.parse(now));
      // Today's date: what left this morning is not offered.
      const today = onThatDay.plan({
        from: 'Xian',
        to: 'Baku',
        depart: now.slice(0, 10),
        containers: '1x40HC',
      });
      expect(today.itineraries.length).toBeGreaterThan(0);
      for (const it of today.itineraries)
        expect(Date.parse(it.departure)).toBeGreaterThanOrEqual(Date.parse(now));
      // The last day of the twelve months still finds its trains and ferries.
      const last = onThatDay.plan({
        from: 'Qingdao',
        to: 'Baku',
        depart: onThatDay.period.to,
        containers: '1x40HC',
      });
      expect(last.errors).toEqual([]);
      expect(last.itineraries.length).toBeGreaterThan(1);
    }
  });
});

/**
 * A dominates B on what the shipper sees: no worse on P50 arrival, P90 arrival, cost, CO2e and
 * transfers, and better on one (cents and tenths of kg count).
 */
function dominates(a: Itinerary, b: Itinerary): boolean {
  const [a50, b50] = [Date.parse(a.arrivalP50), Date.parse(b.arrivalP50)];
  const [a90, b90] = [Date.parse(a.arrivalP90), Date.parse(b.arrivalP90)];
  const noWorse =
    a50 <= b50 &&
    a90 <= b90 &&
    a.costUsd <= b.costUsd + 0.01 &&
    a.co2eKg <= b.co2eKg + 0.1 &&
    a.transfers <= b.transfers;
  const better =
    a50 < b50 ||
    a90 < b90 ||
    a.costUsd < b.costUsd - 0.01 ||
    a.co2eKg < b.co2eKg - 0.1 ||
    a.transfers < b.transfers;
  return noWorse && better;
}

describe('properties of plans on random requests', () => {
  const places = [
    ...new Set([...network.services.values()].flatMap((s) => s.stops.map((st) => st.nodeId))),
  ];
  const request = fc.record({
    from: fc.constantFrom(...places),
    to: fc.constantFrom(...places),
    day: fc.integer({ min: 0, max: 365 }),
    containers: fc.constantFrom('1x40HC', '2x20GP', '1x45HC,1x20RF'),
  });

  it('every itinerary is feasible, none is dominated on P50, P90, cost, CO2e and transfers, and a seed gives one answer', () => {
    let planned = 0;
    fc.assert(
      fc.property(request, ({ from, to, day, containers }) => {
        const depart = addDays(planner.period.from, day);
        const r = planner.plan({ from, to, depart, containers });
        if (r.itineraries.length > 0) planned++;
        for (const it of r.itineraries) {
          let previous: { tripId: string; arrival: number } | undefined;
          let transferHours = 0;
          for (const leg of it.legs) {
            if (leg.kind === 'dwell') {
              transferHours += leg.p50Hours;
              continue;
            }
            const dep = Date.parse(leg.departure);
            expect(Date.parse(leg.arrival)).toBeGreaterThanOrEqual(dep);
            if (!previous) expect(dep).toBeGreaterThanOrEqual(Date.parse(r.request.depart));
            else if (previous.tripId === leg.tripId)
              expect(dep).toBeGreaterThanOrEqual(previous.arrival);
            else
              expect(dep).toBeGreaterThanOrEqual(
                previous.arrival + (MIN_CONNECTION_HOURS + transferHours) * H - 1,
              );
            previous = { tripId: leg.tripId, arrival: Date.parse(leg.arrival) };
            transferHours = 0;
          }
        }
        for (const a of r.itineraries)
          for (const b of r.itineraries)
            expect(dominates(a, b), `${a.id} over ${b.id}`).toBe(false);
        // The first card is the earliest at P50.
        const p50 = r.itineraries.map((i) => i.arrivalP50);
        expect(p50).toEqual([...p50].sort());
        expect(planner.plan({ from, to, depart, containers })).toEqual(r);
      }),
      { numRuns: 60 },
    );
    // The random requests must mostly find something, or the checks above prove little.
    expect(planned).toBeGreaterThanOrEqual(15);
  });
});
