import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../../src/core/simulation/engine.ts';

describe('the scheduler', () => {
  it('runs actions in time order, and in the order scheduled at the same instant', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (times) => {
        const s = new Scheduler();
        const seen: [number, number][] = [];
        times.forEach((t, i) => s.at(t, () => seen.push([s.now, i])));
        s.run(1000);
        const expected = times
          .map((t, i) => [t, i] as [number, number])
          .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(seen).toEqual(expected);
      }),
    );
  });

  it('stops at the horizon and resumes from there; actions scheduled by actions run too', () => {
    const s = new Scheduler();
    const seen: number[] = [];
    const tick = () => {
      seen.push(s.now);
      s.after(10, tick);
    };
    s.at(0, tick);
    s.run(25);
    expect(seen).toEqual([0, 10, 20]);
    expect(s.now).toBe(25);
    s.run(40);
    expect(seen).toEqual([0, 10, 20, 30, 40]);
    // Nothing goes back in time: an action scheduled in the past runs now.
    s.at(5, () => seen.push(s.now));
    s.run(40);
    expect(seen.at(-1)).toBe(40);
  });
});
