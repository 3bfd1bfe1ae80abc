import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTimetable } from '../../src/core/network/timetable.ts';
import { adminUrl, databaseUrl } from '../support/database.ts';
import { referenceNetwork } from '../support/network-files.ts';

/**
 * Two `corridor serve` processes on one PostgreSQL database: 200 concurrent bookings for the last
 * 10 TEU of a departure, sent to both, never overbook it.
 */
const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/corridor.js');
const DB = `corridor_two_${process.pid}`;
const env = {
  ...process.env,
  DATABASE_URL: databaseUrl(DB),
  LOG_LEVEL: 'warn',
  CORRIDOR_WRITE_PER_MINUTE: '100000',
};
const servers: { child: ChildProcess; url: string }[] = [];
let key = '';

function serve(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Corridor is serving (http:\/\/localhost:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]!.replace('localhost', '127.0.0.1') });
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', () => reject(new Error(`exited: ${out}`)));
  });
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  await c.query(sql);
  await c.end();
}

beforeAll(async () => {
  await admin(`drop database if exists "${DB}" with (force)`);
  await admin(`create database "${DB}"`);
  const org = await exec(
    process.execPath,
    [BIN, 'admin', 'create-org', '--name', 'Exporter', '--kind', 'shipper', '--country', 'CN'],
    { env },
  );
  const orgId = /created (org_\w+)/.exec(org.stdout)![1]!;
  const k = await exec(
    process.execPath,
    [BIN, 'admin', 'create-api-key', '--org', orgId, '--name', 'race', '--role', 'admin'],
    { env },
  );
  key = /(ck_\S+)/.exec(k.stdout)![1]!;
  servers.push(await serve(), await serve());
}, 120_000);

afterAll(async () => {
  for (const s of servers) s.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  await admin(`drop database if exists "${DB}" with (force)`);
});

describe('two server processes on one PostgreSQL', () => {
  it('give the last 10 TEU of a departure to exactly 10 of 200 concurrent bookings', async () => {
    // The servers run on the real clock: a departure two days ahead has not left yet.
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const trip = generateTimetable(referenceNetwork(), {
      from: day,
      days: 1,
      serviceIds: ['SVC_FEEDER_AKTAU_ALAT'],
    })[0]!.id;
    const book = (url: string, containers: string) =>
      fetch(`${url}/v1/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({
          rides: [{ tripId: trip, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' }],
          containers,
        }),
      });
    expect((await book(servers[0]!.url, '215x20GP')).status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => book(servers[i % 2]!.url, '1x20GP')),
    );
    const codes = results.map((r) => r.status);
    expect(codes.filter((c) => c === 201)).toHaveLength(10);
    expect(codes.filter((c) => c === 409)).toHaveLength(190);
    // Either process sees the same ledger.
    const leg = (
      (await (
        await fetch(
          `${servers[1]!.url}/v1/departures?service=SVC_FEEDER_AKTAU_ALAT&from=${day}&days=1`,
        )
      ).json()) as {
        departures: { legs: { heldTeu: number; availableTeu: number }[] }[];
      }
    ).departures[0]!.legs[0]!;
    expect(leg).toMatchObject({ heldTeu: 225, availableTeu: 0 });
  });
});
