/**
 * A discrete-event scheduler: actions at instants (hours from the start), run in time order and,
 * at the same instant, in the order they were scheduled. A binary heap keeps the agenda. Pure
 * and deterministic: no clock, no randomness of its own.
 */

interface Entry {
  time: number;
  seq: number;
  action: () => void;
}

export class Scheduler {
  private heap: Entry[] = [];
  private seq = 0;
  /** The current instant, hours. */
  now = 0;
  /** Events run so far. */
  processed = 0;

  /** Runs `action` at `time` (not before now). */
  at(time: number, action: () => void): void {
    const e = { time: Math.max(time, this.now), seq: this.seq++, action };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(e, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  /** Runs `action` after `delay` hours. */
  after(delay: number, action: () => void): void {
    this.at(this.now + delay, action);
  }

  /** Runs every action due up to `until` (inclusive), in order. */
  run(until: number): void {
    const h = this.heap;
    while (h.length > 0 && h[0]!.time <= until) {
      const top = h[0]!;
      const last = h.pop()!;
      if (h.length > 0) {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= h.length) break;
          const r = l + 1;
          const c = r < h.length && before(h[r]!, h[l]!) ? r : l;
          if (!before(h[c]!, last)) break;
          h[i] = h[c]!;
          i = c;
        }
        h[i] = last;
      }
      this.now = top.time;
      this.processed++;
      top.action();
    }
    this.now = Math.max(this.now, until);
  }

  get pending(): number {
    return this.heap.length;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
