import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../../src/core/simulation/engine.ts';

describe('the event queue', () => {
  it('runs events in time order, and in the order scheduled at the same instant', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (times) => {
        const q = new EventQueue();
        const seen: [number, number][] = [];
        times.forEach((t, i) => q.at(t, i, 0));
        q.run(1000, (i) => seen.push([q.now, i]));
        const expected = times
          .map((t, i) => [t, i] as [number, number])
          .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(seen).toEqual(expected);
        expect(q.processed).toBe(times.length);
        expect(q.pending).toBe(0);
      }),
    );
  });

  it('keeps that order when events schedule events, at their own instant or later', () => {
    // Event i schedules events `follow[i]` hours after itself; a sorted list is the reference.
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), { maxLength: 300 }),
        (starts, follow) => {
          const agenda: [number, number][] = [];
          const expected: number[] = [];
          let made = 0;
          for (const t of starts) agenda.push([t, made++]);
          while (agenda.length > 0) {
            agenda.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
            const [t, id] = agenda.shift()!;
            expected.push(id);
            for (const d of follow[id] ?? []) if (made < 400) agenda.push([t + d, made++]);
          }

          const q = new EventQueue();
          const seen: number[] = [];
          made = 0;
          for (const t of starts) q.at(t, made++, 0);
          q.run(10_000, (id) => {
            seen.push(id);
            for (const d of follow[id] ?? []) if (made < 400) q.at(q.now + d, made++, 0);
          });
          expect(seen).toEqual(expected);
        },
      ),
    );
  });

  it('stops at the horizon and resumes from there; events scheduled by events run too', () => {
    const q = new EventQueue();
    const seen: number[] = [];
    const tick = () => {
      seen.push(q.now);
      q.at(q.now + 10, 0, 0);
    };
    q.at(0, 0, 0);
    q.run(25, tick);
    expect(seen).toEqual([0, 10, 20]);
    expect(q.now).toBe(25);
    q.run(40, tick);
    expect(seen).toEqual([0, 10, 20, 30, 40]);
    // Nothing goes back in time: an event scheduled in the past runs now.
    q.at(5, 1, 0);
    q.run(40, (code) => {
      if (code === 1) seen.push(q.now);
    });
    expect(seen.at(-1)).toBe(40);
  });
});
