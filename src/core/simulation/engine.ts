/**
 * A discrete-event agenda: events at instants (hours from the start), run in time order and, at
 * the same instant, in the order they were scheduled. An event is two integers (what happens and
 * to what, as the model codes them), handed to the model's handler when it is due. Pure and
 * deterministic: no clock, no randomness of its own.
 *
 * Made for millions of events a second: everything lives in typed arrays that grow (doubling)
 * to the most events pending at once and are reused from then on, so scheduling and running an
 * event allocate nothing. The heap orders batches: events scheduled one after the other for the
 * same instant (every container a train unloads, a container's departure and its server's
 * release) share one heap entry and run in a row, as they would one by one, since no other event
 * can fall between them: they have consecutive sequence numbers, and what they schedule comes
 * after them.
 */

/** Runs one event: `code` and `arg` as they were scheduled. */
export type Handler = (code: number, arg: number) => void;

const NONE = -1;

export class EventQueue {
  /** The current instant, hours. */
  now = 0;
  /** Events run so far. */
  processed = 0;
  private count = 0;
  private seq = 0;

  // The heap of batches, ordered by (time, sequence number of the batch's first event).
  private heapTime = new Float64Array(256);
  private heapSeq = new Float64Array(256);
  private heapBatch = new Int32Array(256);
  private size = 0;

  // Batches: their first and last event; free batches are linked through `first`.
  private first = new Int32Array(256);
  private last = new Int32Array(256);
  private freeBatch = NONE;
  private batches = 0;
  /** The batch scheduled last while it has not started running, and its instant. */
  private open = NONE;
  private openTime = 0;

  // Events: code, argument and the next in the batch; free events are linked through `next`.
  private code = new Int32Array(1024);
  private arg = new Int32Array(1024);
  private next = new Int32Array(1024);
  private freeEvent = NONE;
  private events = 0;

  /** Events scheduled and not yet run. */
  get pending(): number {
    return this.count;
  }

  /** Schedules (`code`, `arg`) at `time` (not before now). */
  at(time: number, code: number, arg: number): void {
    const t = time > this.now ? time : this.now;
    const s = this.seq++;
    let e = this.freeEvent;
    if (e !== NONE) this.freeEvent = this.next[e]!;
    else {
      e = this.events++;
      if (e === this.code.length) this.growEvents();
    }
    this.code[e] = code;
    this.arg[e] = arg;
    this.next[e] = NONE;
    this.count++;
    const open = this.open;
    if (open !== NONE && t === this.openTime) {
      this.next[this.last[open]!] = e;
      this.last[open] = e;
      return;
    }
    let b = this.freeBatch;
    if (b !== NONE) this.freeBatch = this.first[b]!;
    else {
      b = this.batches++;
      if (b === this.first.length) this.growBatches();
    }
    this.first[b] = e;
    this.last[b] = e;
    this.open = b;
    this.openTime = t;
    if (this.size === this.heapTime.length) this.growHeap();
    const times = this.heapTime;
    const seqs = this.heapSeq;
    const batch = this.heapBatch;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt < t || (pt === t && seqs[p]! < s)) break;
      times[i] = pt;
      seqs[i] = seqs[p]!;
      batch[i] = batch[p]!;
      i = p;
    }
    times[i] = t;
    seqs[i] = s;
    batch[i] = b;
  }

  /** Runs every event due up to `until` (inclusive), in order, through `handler`. */
  run(until: number, handler: Handler): void {
    while (this.size > 0) {
      const time = this.heapTime[0]!;
      if (time > until) break;
      const b = this.heapBatch[0]!;
      this.pop();
      if (b === this.open) this.open = NONE;
      let e = this.first[b]!;
      this.first[b] = this.freeBatch;
      this.freeBatch = b;
      this.now = time;
      while (e !== NONE) {
        // Handlers schedule events, which may grow (replace) the arrays: read them through `this`.
        const code = this.code[e]!;
        const arg = this.arg[e]!;
        const following = this.next[e]!;
        this.next[e] = this.freeEvent;
        this.freeEvent = e;
        this.count--;
        this.processed++;
        handler(code, arg);
        e = following;
      }
    }
    if (until > this.now) this.now = until;
  }

  /** Removes the heap's first batch. */
  private pop(): void {
    const n = --this.size;
    if (n === 0) return;
    const times = this.heapTime;
    const seqs = this.heapSeq;
    const batch = this.heapBatch;
    const t = times[n]!;
    const s = seqs[n]!;
    const b = batch[n]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ct = times[c]!;
      const r = c + 1;
      if (r < n) {
        const rt = times[r]!;
        if (rt < ct || (rt === ct && seqs[r]! < seqs[c]!)) {
          c = r;
          ct = rt;
        }
      }
      if (t < ct || (t === ct && s < seqs[c]!)) break;
      times[i] = ct;
      seqs[i] = seqs[c]!;
      batch[i] = batch[c]!;
      i = c;
    }
    times[i] = t;
    seqs[i] = s;
    batch[i] = b;
  }

  private growHeap(): void {
    const n = this.heapTime.length * 2;
    this.heapTime = grownF64(this.heapTime, n);
    this.heapSeq = grownF64(this.heapSeq, n);
    this.heapBatch = grownI32(this.heapBatch, n);
  }

  private growBatches(): void {
    const n = this.first.length * 2;
    this.first = grownI32(this.first, n);
    this.last = grownI32(this.last, n);
  }

  private growEvents(): void {
    const n = this.code.length * 2;
    this.code = grownI32(this.code, n);
    this.arg = grownI32(this.arg, n);
    this.next = grownI32(this.next, n);
  }
}

function grownF64(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

function grownI32(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
