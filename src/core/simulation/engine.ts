/**
 * A discrete-event scheduler: actions at instants (hours from the start), run in time order and,
 * at the same instant, in the order they were scheduled. Pure and deterministic: no clock, no
 * randomness of its own.
 *
 * The agenda is a binary heap of slot numbers over typed arrays (each slot's time and sequence
 * number in a Float64Array, its action in a plain array): scheduling and running an event
 * allocate nothing once the arrays have grown to the most events pending at once, and the heap
 * compares numbers in flat memory rather than following pointers to objects.
 */
export class Scheduler {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private actions: ((() => void) | undefined)[] = new Array<undefined>(1024).fill(undefined);
  /** Heap of slots, ordered by (time, seq); heap[0] is the next event. */
  private heap = new Int32Array(1024);
  private size = 0;
  /** Slots free for reuse. */
  private free = new Int32Array(1024);
  private freeCount = 0;
  private nextSlot = 0;
  private seq = 0;
  /** The current instant, hours. */
  now = 0;
  /** Events run so far. */
  processed = 0;

  /** Runs `action` at `time` (not before now). */
  at(time: number, action: () => void): void {
    const slot = this.freeCount > 0 ? this.free[--this.freeCount]! : this.newSlot();
    const t = time > this.now ? time : this.now;
    const s = this.seq++;
    const times = this.times;
    const seqs = this.seqs;
    times[slot] = t;
    seqs[slot] = s;
    this.actions[slot] = action;
    const h = this.heap;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ps = h[p]!;
      const pt = times[ps]!;
      if (pt < t || (pt === t && seqs[ps]! < s)) break;
      h[i] = ps;
      i = p;
    }
    h[i] = slot;
  }

  /** Runs `action` after `delay` hours. */
  after(delay: number, action: () => void): void {
    this.at(this.now + delay, action);
  }

  /** Runs every action due up to `until` (inclusive), in order. */
  run(until: number): void {
    // Actions schedule events, which may grow (replace) the arrays: read them through `this`.
    while (this.size > 0) {
      const h = this.heap;
      const top = h[0]!;
      const topTime = this.times[top]!;
      if (topTime > until) break;
      const n = --this.size;
      if (n > 0) {
        const last = h[n]!;
        const lt = this.times[last]!;
        const ls = this.seqs[last]!;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= n) break;
          let c = l;
          let cs = h[l]!;
          const r = l + 1;
          if (r < n) {
            const rs = h[r]!;
            const rt = this.times[rs]!;
            const lt2 = this.times[cs]!;
            if (rt < lt2 || (rt === lt2 && this.seqs[rs]! < this.seqs[cs]!)) {
              c = r;
              cs = rs;
            }
          }
          const ct = this.times[cs]!;
          if (lt < ct || (lt === ct && ls < this.seqs[cs]!)) break;
          h[i] = cs;
          i = c;
        }
        h[i] = last;
      }
      const action = this.actions[top]!;
      this.actions[top] = undefined;
      this.free[this.freeCount++] = top;
      this.now = topTime;
      this.processed++;
      action();
    }
    this.now = Math.max(this.now, until);
  }

  get pending(): number {
    return this.size;
  }

  /** A slot never used before, growing the arrays (doubling) when they are full. */
  private newSlot(): number {
    const slot = this.nextSlot++;
    if (slot >= this.times.length) {
      const n = this.times.length * 2;
      const grow = (a: Float64Array) => {
        const b = new Float64Array(n);
        b.set(a);
        return b;
      };
      this.times = grow(this.times);
      this.seqs = grow(this.seqs);
      const heap = new Int32Array(n);
      heap.set(this.heap);
      this.heap = heap;
      const free = new Int32Array(n);
      free.set(this.free);
      this.free = free;
      for (let i = this.actions.length; i < n; i++) this.actions.push(undefined);
    }
    return slot;
  }
}
