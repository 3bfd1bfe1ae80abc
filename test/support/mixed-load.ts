import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { generateTimetable } from '../../src/core/network/timetable.ts';
import { checkDigit } from '../../src/core/tracking/iso6346.ts';
import { referenceNetwork } from './network-files.ts';

/**
 * A steady mixed load on `corridor serve` processes over real HTTP: plans, bookings (each with
 * an Idempotency-Key, retried with the same key until it has a definite answer), tracking events
 * (each with its own eventID, retried the same way) and reads, sent at a fixed rate whatever the
 * answers (an open loop), to the servers in turn. Used by the fault tests and `npm run bench:load`.
 */

export type Operation = 'plan' | 'book' | 'event' | 'read';
export const OPERATIONS: readonly Operation[] = ['plan', 'book', 'event', 'read'];

export interface Outcome {
  op: Operation;
  /** HTTP status, or 0 when no answer came (connection refused or reset). */
  status: number;
  ms: number;
  /** When it was sent, ms since the load started. */
  at: number;
  /** A retry of an earlier request with the same key. */
  retry: boolean;
  /** The server it went to. */
  url: string;
}

/** Resident memory of a process in MB (Linux), or NaN. */
export function rssMb(pid: number | undefined): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * The services whose departures the load books; their carrier must be on the platform
 * (`carrierArgs`), since rides nobody operates are refused.
 */
const LOAD_SERVICES = ['SVC_FEEDER_AKTAU_ALAT', 'SVC_XIAN_BAKU_BLOCK'] as const;

/** `corridor admin create-org` flags after --kind carrier for the carrier of LOAD_SERVICES. */
export const carrierArgs = LOAD_SERVICES.flatMap((s) => ['--service', s]);

export interface LoadOptions {
  /** Server URLs; requests go to them in turn, skipping those in `down`. */
  urls: string[];
  shipperKey: string;
  /** A platform key: it may post events for any shipment. */
  platformKey: string;
  /** Requests sent per second, all operations together. */
  ratePerS: number;
  /** How long a booking or event is retried with its key before it counts as lost. */
  retryForMs?: number;
  /** Shipments to post events for (made at start). */
  shipments?: number;
}

export class MixedLoad {
  readonly outcomes: Outcome[] = [];
  /** Idempotency-Key → booking id, for every booking acknowledged with 201. */
  readonly bookings = new Map<string, string>();
  /** Keys of bookings never acknowledged (still retrying when the load stopped, or given up). */
  readonly unsettled = new Set<string>();
  /** eventIDs acknowledged by a 2xx. */
  readonly events = new Set<string>();
  readonly down = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<unknown>>();
  private tick = 0;
  private started = 0;
  private trips: string[] = [];
  private containers: { reference: string; location: string }[] = [];

  constructor(private readonly o: LoadOptions) {}

  /** Shipments for the events, and departures to book: the feeder's next eight weeks. */
  async prepare(): Promise<void> {
    const from = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const network = referenceNetwork();
    this.trips = generateTimetable(network, {
      from,
      days: 56,
      serviceIds: [...LOAD_SERVICES],
    }).map((t) => t.id);
    const block = this.trips.find((t) => t.startsWith('SVC_XIAN_BAKU_BLOCK@'))!;
    // Consecutive serials from a random start: a container travels in one shipment at a time.
    const start = Math.floor(Math.random() * 1e6);
    for (let i = 0; i < (this.o.shipments ?? 20); i++) {
      const first10 = `LDCU${String((start + i) % 1e6).padStart(6, '0')}`;
      const reference = `${first10}${checkDigit(first10)}`;
      const res = await fetch(`${this.o.urls[0]}/v1/shipments`, {
        method: 'POST',
        headers: this.headers(this.o.shipperKey),
        body: JSON.stringify({
          rides: [{ tripId: block, from: 'CN_XIAN_ITL', to: 'KZ_AKTAU_PORT' }],
          containers: [{ equipmentReference: reference }],
        }),
      });
      if (res.status !== 201) throw new Error(`shipment: ${res.status} ${await res.text()}`);
      this.containers.push({ reference, location: 'CNXIA' });
    }
  }

  start(): void {
    this.started = performance.now();
    this.timer = setInterval(() => this.fire(), 1000 / this.o.ratePerS);
  }

  /** Stops sending new requests and waits for those under way (their retries included). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private headers(key: string, extra: Record<string, string> = {}) {
    return { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...extra };
  }

  private url(): string {
    const up = this.o.urls.filter((u) => !this.down.has(u));
    return up[this.tick % up.length] ?? this.o.urls[0]!;
  }

  private fire(): void {
    const op = OPERATIONS[this.tick++ % OPERATIONS.length]!;
    const p = this.send(op).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  private async call(op: Operation, path: string, init: RequestInit, retry: boolean) {
    const at = performance.now() - this.started;
    const t = performance.now();
    let status = 0;
    let body: unknown;
    const url = this.url();
    try {
      const res = await fetch(`${url}${path}`, {
        ...init,
        signal: AbortSignal.timeout(30_000),
      });
      status = res.status;
      body = res.headers.get('content-type')?.includes('json')
        ? await res.json()
        : await res.text();
    } catch {
      status = 0;
    }
    this.outcomes.push({ op, status, ms: performance.now() - t, at, retry, url });
    return { status, body };
  }

  /** Retries with the same key while the answer is not definite: no answer, 503, or still running. */
  private async settle(
    op: Operation,
    path: string,
    init: RequestInit,
  ): Promise<{ status: number; body: unknown } | undefined> {
    const until = performance.now() + (this.o.retryForMs ?? 120_000);
    for (let retry = false; ; retry = true) {
      const r = await this.call(op, path, init, retry);
      const running = r.status === 409 && JSON.stringify(r.body).includes('still running');
      if (r.status !== 0 && r.status !== 503 && !running) return r;
      if (performance.now() > until) return undefined;
      await new Promise((res) => setTimeout(res, 500));
    }
  }

  private async send(op: Operation): Promise<void> {
    if (op === 'plan') {
      // A week of departure days and three cargo sizes: not the same plan over and over.
      const depart = new Date(Date.now() + (1 + (this.tick % 7)) * 86_400_000)
        .toISOString()
        .slice(0, 10);
      await this.call(
        op,
        '/v1/plans',
        {
          method: 'POST',
          headers: this.headers(this.o.shipperKey),
          body: JSON.stringify({
            from: 'Xian',
            to: 'Baku',
            depart,
            containers: `${1 + (this.tick % 3)}x20GP`,
          }),
        },
        false,
      );
    } else if (op === 'book') {
      const key = randomUUID();
      const trip = this.trips[this.tick % this.trips.length]!;
      const [from, to] = trip.startsWith('SVC_FEEDER')
        ? ['KZ_AKTAU_PORT', 'AZ_BAKU_PORT_ALAT']
        : ['CN_XIAN_ITL', 'KZ_AKTAU_PORT'];
      this.unsettled.add(key);
      const r = await this.settle(op, '/v1/bookings', {
        method: 'POST',
        headers: this.headers(this.o.shipperKey, { 'idempotency-key': key }),
        body: JSON.stringify({ rides: [{ tripId: trip, from, to }], containers: '1x20GP' }),
      });
      if (r?.status === 201) this.bookings.set(key, (r.body as { id: string }).id);
      if (r && r.status < 500) this.unsettled.delete(key);
    } else if (op === 'event') {
      const c = this.containers[this.tick % this.containers.length]!;
      const eventID = randomUUID();
      const at = new Date(Date.now() - 3_600_000).toISOString();
      const r = await this.settle(op, '/v1/events', {
        method: 'POST',
        headers: this.headers(this.o.platformKey),
        body: JSON.stringify([
          {
            eventID,
            eventCreatedDateTime: at,
            eventDateTime: at,
            eventType: 'EQUIPMENT',
            eventClassifierCode: 'ACT',
            equipmentEventTypeCode: 'GTIN',
            equipmentReference: c.reference,
            eventLocation: { UNLocationCode: c.location },
          },
        ]),
      });
      if (r && r.status >= 200 && r.status < 300) this.events.add(eventID);
    } else {
      const ids = [...this.bookings.values()];
      const id = ids[this.tick % Math.max(1, ids.length)];
      await this.call(
        op,
        id ? `/v1/bookings/${id}` : '/v1/bookings',
        { headers: this.headers(this.o.shipperKey) },
        false,
      );
    }
  }
}

/** The p-th percentile of sorted numbers. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
