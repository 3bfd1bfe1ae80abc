import { describe, expect, it } from 'vitest';
import { createPlanner, type PlanInput } from '../../../src/app/plan-route.ts';
import type { Itinerary } from '../../../src/api/plan.ts';
import { fixedClock } from '../../support/clock.ts';
import { textNetwork } from '../../support/text-network.ts';

/** An itinerary as one line: each trip ridden as `SERVICE FROM ddTHH:MM → TO ddTHH:MM` (UTC). */
function line(it: Itinerary): string {
  const rides: string[] = [];
  let current: { tripId: string; text: string } | undefined;
  for (const leg of it.legs) {
    if (leg.kind !== 'ride') continue;
    const t = (iso: string) => iso.slice(8, 16);
    if (current?.tripId === leg.tripId) {
      current.text = current.text.replace(/→ .*$/, `→ ${leg.to} ${t(leg.arrival)}`);
    } else {
      current = {
        tripId: leg.tripId,
        text: `${leg.serviceId} ${leg.from} ${t(leg.departure)} → ${leg.to} ${t(leg.arrival)}`,
      };
      rides.push(current.text);
    }
    rides[rides.length - 1] = current.text;
  }
  return rides.join(' | ');
}

function plan(net: string, input: Partial<PlanInput> = {}) {
  const planner = createPlanner(textNetwork(net), fixedClock(), { draws: 200 });
  return planner.plan({ from: 'A', to: 'C', depart: '2026-12-01', containers: '1x40HC', ...input });
}

describe('route planning on text timetables', () => {
  it('rides a single service from its first to its last stop', () => {
    const r = plan(`
      node A KZ
      node B KZ
      node C KZ
      link A B rail 100
      link B C rail 200
      service S1 rail daily 08:00 tariff 100+1 : A 2h B 3h C
    `);
    expect(r.errors).toEqual([]);
    expect(r.itineraries.map(line)).toEqual(['S1 A 01T08:00 → C 01T13:00']);
    expect(r.itineraries[0]!.costUsd).toBe(100 + 300);
    expect(r.itineraries[0]!.transfers).toBe(0);
  });

  it('changes trains with the minimum connection time and the transfer dwell at the node', () => {
    const r = plan(
      `
      node A KZ
      node B KZ rail_terminal
      node C KZ
      link A B rail 100
      link B C rail 100
      dwell B transshipment 3 6
      service S1 rail daily 08:00 : A 2h B
      service S2 rail daily 12:00,14:00 : B 1h C
    `.replace('daily 12:00,14:00', 'weekly Sun,Mon,Tue,Wed,Thu,Fri,Sat 12:00'),
    );
    // Arrives B 10:00; 2 h minimum connection + 3 h transshipment: ready 15:00, so the 12:00 train
    // is missed and the next day's is taken.
    expect(r.itineraries.map(line)).toEqual([
      'S1 A 01T08:00 → B 01T10:00 | S2 B 02T12:00 → C 02T13:00',
    ]);
    expect(
      r.itineraries[0]!.legs.map((l) =>
        l.kind === 'dwell' ? `${l.node} ${l.operation}` : l.serviceId,
      ),
    ).toEqual(['S1', 'B transshipment', 'S2']);
  });

  it('returns both a fast expensive and a slow cheap itinerary, but not one slower and dearer', () => {
    const r = plan(`
      node A KZ
      node C KZ
      link A C rail 100
      service FAST rail daily 08:00 tariff 900+0 : A 5h C
      service SLOW rail daily 08:00 tariff 100+0 : A 50h C
      service BAD rail daily 08:00 tariff 1000+0 : A 60h C
    `);
    expect(r.itineraries.map(line)).toEqual([
      'FAST A 01T08:00 → C 01T13:00',
      'SLOW A 01T08:00 → C 03T10:00',
    ]);
  });

  it('keeps a direct ride beside a faster one with a change', () => {
    const r = plan(`
      node A KZ
      node B KZ
      node C KZ
      link A B rail 100
      link B C rail 100
      service DIRECT rail daily 08:00 : A 20h B 20h C
      service LEG1 rail daily 06:00 : A 4h B
      service LEG2 rail daily 14:00 : B 4h C
    `);
    expect(r.itineraries.map(line)).toEqual([
      'LEG1 A 01T06:00 → B 01T10:00 | LEG2 B 01T14:00 → C 01T18:00',
      'DIRECT A 01T08:00 → C 02T24:00'.replace('02T24:00', '03T00:00'),
    ]);
  });

  it('stands at a stop for the P50 of its operations when the timetable allows less', () => {
    const r = plan(`
      node A CN
      node B KZ border_crossing
      node C KZ
      link A B rail 100
      link B C rail 100
      dwell B border_crossing 10 30
      service S1 rail daily 08:00 : A 2h/1h[border_crossing] B 2h C
    `);
    // 10:00 arrival at B, 10 h border crossing (not the 1 h scheduled), 2 h on to C.
    expect(r.itineraries.map(line)).toEqual(['S1 A 01T08:00 → C 01T22:00']);
    const it = r.itineraries[0]!;
    expect(it.legs.map((l) => l.kind)).toEqual(['ride', 'dwell', 'ride']);
    expect(it.borders).toEqual([{ node: 'B', from: 'CN', to: 'KZ', mode: 'rail' }]);
    expect(Date.parse(it.arrivalP90)).toBeGreaterThan(Date.parse(it.arrivalP50));
  });

  it("waits at a border for the next day when the day's trains, background among them, fill it", () => {
    // B passes 2 trains a day, one of them background traffic: of S1 and S2, both reaching B on
    // Tuesday the 1st, the second to arrive waits there from 10:00 to the 2nd; with room for
    // both, neither waits.
    const net = (trainsPerDay: number) => `
      node A KZ
      node B KZ
      node C KZ
      link A B rail 100
      link B C rail 100
      dwell B gauge_change 1 1
      capacity B gauge_change ${trainsPerDay} 1
      service S1 rail weekly Tue 06:00 : A 2h/1h[gauge_change] B 2h C
      service S2 rail weekly Tue 08:00 : A 2h/1h[gauge_change] B 2h C
    `;
    const arrivals = (trainsPerDay: number) =>
      Object.fromEntries(
        ['06:00', '08:00'].map((time) => {
          const r = plan(net(trainsPerDay), { depart: `2026-12-01T${time}:00Z` });
          const it = r.itineraries.find((i) => i.departure.slice(11, 16) === time)!;
          return [time, line(it)];
        }),
      );
    expect(arrivals(2)).toEqual({
      '06:00': 'S1 A 01T06:00 → C 01T11:00',
      '08:00': 'S2 A 01T08:00 → C 02T03:00',
    });
    expect(arrivals(3)).toEqual({
      '06:00': 'S1 A 01T06:00 → C 01T11:00',
      '08:00': 'S2 A 01T08:00 → C 01T13:00',
    });
  });

  it('waits for a ship that sails when full for the P50 of the ferry wait, not its nominal time', () => {
    const r = plan(`
      node A KZ seaport
      node C AZ seaport
      link A C ferry 400
      dwell A ferry_waiting 30 200
      service F ferry every 96h from 2026-11-01T00:00 sails : A 20h C
    `);
    // Ready at 00:00 on the 1st; the ship leaves after the P50 wait of 30 h.
    expect(r.itineraries.map(line)).toEqual(['F A 02T06:00 → C 03T02:00']);
    const it = r.itineraries[0]!;
    expect(it.legs[0]).toMatchObject({
      kind: 'dwell',
      node: 'A',
      operation: 'ferry_waiting',
      p50Hours: 30,
      p90Hours: 200,
    });
    expect(it.transitDaysP90 - it.transitDaysP50).toBeGreaterThan(3);
  });

  it('avoids a service that refuses hazardous cargo when another goes', () => {
    const net = `
      node A KZ
      node C KZ
      link A C rail 100
      service NOHAZ rail daily 08:00 refuses hazardous : A 5h C
      service HAZOK rail daily 10:00 : A 10h C
    `;
    expect(
      plan(net).itineraries.map((i) => i.legs[0]!.kind === 'ride' && i.legs[0]!.serviceId),
    ).toEqual(['NOHAZ']);
    expect(plan(net, { hazardous: true }).itineraries.map(line)).toEqual([
      'HAZOK A 01T10:00 → C 01T20:00',
    ]);
  });

  it('arriving by a deadline, leaves as late as possible', () => {
    const r = plan(
      `
      node A KZ
      node C KZ
      link A C rail 100
      service S1 rail daily 08:00 : A 10h C
    `,
      { depart: '2026-12-01', arriveBy: '2026-12-05' },
    );
    // Every day's train arrives in time; the latest that does leaves on the 5th.
    expect(r.itineraries.map(line)).toEqual(['S1 A 05T08:00 → C 05T18:00']);
  });

  it('counts CO2e as tonne-km times the factor of each mode', () => {
    const r = plan(
      `
      node A KZ
      node B KZ seaport
      node C AZ seaport
      link A B rail 100
      link B C sea 400
      factor rail 30
      factor sea 60
      service T rail daily 08:00 : A 2h B
      service V sea daily 20:00 : B 30h C
    `,
      { containers: '1x40HC:20000' },
    );
    // 20 t x (100 km x 30 g + 400 km x 60 g) = 540 kg.
    expect(r.itineraries[0]!.co2eKg).toBe(540);
  });
});
