import { execFile, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { generateTimetable } from '../../src/core/network/timetable.ts';
import { carrierArgs } from '../support/mixed-load.ts';
import { referenceNetwork } from '../support/network-files.ts';
import { adminApiKey, serveProcess } from '../support/process.ts';

/**
 * `corridor backup` of a running embedded platform under a steady booking load: the server
 * makes the copy between transactions and goes on serving; the copy, restored into a fresh data
 * directory and served, has a consistent capacity ledger, and each booking made around the
 * backup is in it whole (booking, ride, holds and the TEU they take on each leg) or not at all.
 */
const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/corridor.js');
const root = mkdtempSync(join(tmpdir(), 'corridor-live-backup-'));
const baseEnv = {
  ...process.env,
  DATABASE_URL: '',
  LOG_LEVEL: 'warn',
  CORRIDOR_WRITE_PER_MINUTE: '1000000',
};
const env = { ...baseEnv, CORRIDOR_DATA_DIR: join(root, 'live') };
const restoredEnv = { ...baseEnv, CORRIDOR_DATA_DIR: join(root, 'restored') };
const file = join(root, 'live.tar.gz');
const running: ChildProcess[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const corridor = (args: string[], e: Record<string, string | undefined>) =>
  exec(process.execPath, [BIN, ...args], { env: e }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (x: { code: number; stdout: string; stderr: string }) => x,
  );

/** Stops a server with SIGTERM and waits for it to end. */
async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const ended = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await ended;
}

afterAll(() => {
  for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
});

/** One booking sent by the load: when it went and when its answer came (ms since the start). */
interface Sent {
  key: string;
  sentAt: number;
  answeredAt?: number;
  status?: number;
  id?: string;
}

interface Rows {
  bookings: Map<string, string>;
  rides: Map<string, string>;
  holds: Map<string, string>;
  ledger: { trip_id: string; leg_index: number; held: number; confirmed: number }[];
  sums: Map<string, { held: number; confirmed: number }>;
}

/** What the database in `dir` holds of bookings and capacity, row by row as JSON. */
async function readRows(dir: string): Promise<Rows> {
  const db = await PGlite.create(join(dir, 'pgdata'));
  try {
    const q = async <T>(text: string) => (await db.query<T>(text)).rows;
    const bookings = await q<{ id: string; hold_id: string; row: string }>(
      `select id, hold_id, row_to_json(b)::text as row from bookings b`,
    );
    const rides = await q<{ booking_id: string; rows: string }>(
      `select booking_id, json_agg(r order by ride_index)::text as rows
         from booking_rides r group by booking_id`,
    );
    const holds = await q<{ hold_id: string; rows: string }>(
      `select hold_id, json_agg(h order by trip_id, leg_index)::text as rows
         from leg_holds h group by hold_id`,
    );
    const ledger = await q<{ trip_id: string; leg_index: number; held: number; confirmed: number }>(
      `select trip_id, leg_index, held_teu::float8 as held, confirmed_teu::float8 as confirmed
         from departure_legs`,
    );
    const sums = await q<{ trip_id: string; leg_index: number; held: number; confirmed: number }>(
      `select trip_id, leg_index,
              coalesce(sum(teu) filter (where state = 'held'), 0)::float8 as held,
              coalesce(sum(teu) filter (where state = 'confirmed'), 0)::float8 as confirmed
         from leg_holds group by trip_id, leg_index`,
    );
    const holdOf = new Map(bookings.map((b) => [b.id, b.hold_id]));
    return {
      bookings: new Map(bookings.map((b) => [b.id, b.row])),
      rides: new Map(rides.map((r) => [r.booking_id, r.rows])),
      // Keyed by booking, so that a hold without its booking shows as one of its own.
      holds: new Map(
        holds.map((h) => [
          [...holdOf].find(([, hold]) => hold === h.hold_id)?.[0] ?? `orphan ${h.hold_id}`,
          h.rows,
        ]),
      ),
      ledger,
      sums: new Map(
        sums.map((s) => [`${s.trip_id}#${s.leg_index}`, { held: s.held, confirmed: s.confirmed }]),
      ),
    };
  } finally {
    await db.close();
  }
}

/** held + confirmed on every leg is exactly what the holds on it take. */
function expectConsistentLedger(rows: Rows) {
  for (const leg of rows.ledger) {
    const s = rows.sums.get(`${leg.trip_id}#${leg.leg_index}`) ?? { held: 0, confirmed: 0 };
    expect({
      leg: `${leg.trip_id}#${leg.leg_index}`,
      held: leg.held,
      confirmed: leg.confirmed,
    }).toEqual({
      leg: `${leg.trip_id}#${leg.leg_index}`,
      held: s.held,
      confirmed: s.confirmed,
    });
  }
  const legs = new Set(rows.ledger.map((l) => `${l.trip_id}#${l.leg_index}`));
  for (const k of rows.sums.keys()) expect(legs.has(k), k).toBe(true);
}

describe('corridor backup while the embedded platform serves', () => {
  it('copies a consistent database under a steady booking load, and it restores and serves', async () => {
    const shipperKey = await adminApiKey(env, 'shipper', 'Exporter', { country: 'CN' });
    await adminApiKey(env, 'carrier', 'Caspian carrier', { country: 'KZ', extra: carrierArgs });
    const live = await serveProcess(env);
    running.push(live.child);

    const from = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const trips = generateTimetable(referenceNetwork(), {
      from,
      days: 28,
      serviceIds: ['SVC_FEEDER_AKTAU_ALAT', 'SVC_XIAN_BAKU_BLOCK'],
    }).map((t) => t.id);
    const t0 = performance.now();
    const now = () => performance.now() - t0;
    const sent: Sent[] = [];
    const inFlight = new Set<Promise<void>>();
    const book = (n: number) => {
      const trip = trips[n % trips.length]!;
      const [fromNode, toNode] = trip.startsWith('SVC_FEEDER')
        ? ['KZ_AKTAU_PORT', 'AZ_BAKU_PORT_ALAT']
        : ['CN_XIAN_ITL', 'KZ_AKTAU_PORT'];
      const s: Sent = { key: randomUUID(), sentAt: now() };
      sent.push(s);
      const p = fetch(`${live.url}/v1/bookings`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${shipperKey}`,
          'idempotency-key': s.key,
        },
        body: JSON.stringify({
          rides: [{ tripId: trip, from: fromNode, to: toNode }],
          containers: `${1 + (n % 2)}x20GP`,
        }),
        signal: AbortSignal.timeout(30_000),
      })
        .then(async (res) => {
          s.status = res.status;
          if (res.status === 201) s.id = ((await res.json()) as { id: string }).id;
          else await res.text();
        })
        .catch(() => {
          s.status = 0;
        })
        .finally(() => {
          s.answeredAt = now();
          inFlight.delete(p);
        });
      inFlight.add(p);
    };
    // Eight bookings a second, whatever the answers.
    let n = 0;
    const timer = setInterval(() => book(n++), 125);
    /** Waits until `count` bookings that match have their answer (a loaded machine is slow). */
    const answered = async (count: number, which: (s: Sent) => boolean) => {
      const until = performance.now() + 60_000;
      while (sent.filter((s) => s.answeredAt !== undefined && which(s)).length < count) {
        if (performance.now() > until) throw new Error(`fewer than ${count} bookings answered`);
        await sleep(100);
      }
    };
    try {
      await answered(12, () => true);
      const backupStart = now();
      const backup = await corridor(['backup', file], env);
      const backupEnd = now();
      expect(backup.stderr).toBe('');
      expect(backup.stdout).toMatch(/^backup written: .*live\.tar\.gz \(\d+ bytes\)\n$/);
      expect(existsSync(`${file}.partial`)).toBe(false);
      expect(statSync(file).size).toBeGreaterThan(0);
      await answered(6, (s) => s.sentAt > backupEnd);
      clearInterval(timer);
      while (inFlight.size > 0) await Promise.all([...inFlight]);

      // The platform served throughout: every booking was made, none refused or lost; some were
      // answered before the backup, some while it ran and some after it.
      expect(sent.filter((s) => s.status !== 201)).toEqual([]);
      const before = sent.filter((s) => s.answeredAt! < backupStart);
      const during = sent.filter((s) => s.answeredAt! >= backupStart && s.sentAt <= backupEnd);
      const after = sent.filter((s) => s.sentAt > backupEnd);
      expect(before.length).toBeGreaterThan(10);
      expect(during.length).toBeGreaterThan(0);
      expect(after.length).toBeGreaterThan(5);

      // The restored copy, served from a fresh directory.
      const restore = await corridor(['restore', file], restoredEnv);
      expect(restore.code, restore.stderr).toBe(0);
      const restored = await serveProcess(restoredEnv);
      running.push(restored.child);
      const get = (id: string) =>
        fetch(`${restored.url}/v1/bookings/${id}`, {
          headers: { authorization: `Bearer ${shipperKey}` },
        }).then((r) => r.status);
      // Acknowledged before the backup started: there. Sent after it ended: not there.
      for (const s of before) expect(await get(s.id!)).toBe(200);
      for (const s of after) expect(await get(s.id!)).toBe(404);
      // It takes bookings again, on the capacity the copy holds.
      const again = await fetch(`${restored.url}/v1/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${shipperKey}` },
        body: JSON.stringify({
          rides: [
            {
              tripId: trips.find((t) => t.startsWith('SVC_FEEDER'))!,
              from: 'KZ_AKTAU_PORT',
              to: 'AZ_BAKU_PORT_ALAT',
            },
          ],
          containers: '1x20GP',
        }),
      });
      expect(again.status).toBe(201);
      const extra = ((await again.json()) as { id: string }).id;
      await stop(restored.child);
      await stop(live.child);

      // Row by row: the live database after the load, and the restored copy.
      const original = await readRows(env.CORRIDOR_DATA_DIR);
      const copy = await readRows(restoredEnv.CORRIDOR_DATA_DIR);
      expectConsistentLedger(original);
      expectConsistentLedger(copy);
      copy.bookings.delete(extra);
      copy.rides.delete(extra);
      copy.holds.delete(extra);
      for (const s of sent) {
        const id = s.id!;
        const whole = copy.bookings.has(id);
        // Wholly there, exactly as in the live database, or wholly absent.
        expect(
          {
            booking: copy.bookings.get(id),
            rides: copy.rides.get(id),
            holds: copy.holds.get(id),
          },
          id,
        ).toEqual(
          whole
            ? {
                booking: original.bookings.get(id),
                rides: original.rides.get(id),
                holds: original.holds.get(id),
              }
            : { booking: undefined, rides: undefined, holds: undefined },
        );
      }
      // Nothing in the copy that the load did not make; no hold without its booking.
      const made = new Set(sent.map((s) => s.id));
      expect([...copy.bookings.keys()].filter((id) => !made.has(id))).toEqual([]);
      expect([...copy.holds.keys()].filter((id) => !made.has(id))).toEqual([]);
      expect([...copy.rides.keys()].filter((id) => !made.has(id))).toEqual([]);
      // Those acknowledged while the backup ran are in it or not, each whole: both may happen.
      expect(copy.bookings.size).toBeGreaterThanOrEqual(before.length);
      expect(copy.bookings.size).toBeLessThanOrEqual(before.length + during.length);
    } finally {
      clearInterval(timer);
      await stop(live.child);
    }
  }, 240_000);

  it('refuses to restore into the directory of a running server', async () => {
    const live = await serveProcess(env);
    running.push(live.child);
    try {
      const r = await corridor(['restore', file, '--force'], env);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(/is in use by process \d+; stop it first/);
    } finally {
      await stop(live.child);
    }
  }, 120_000);
});
