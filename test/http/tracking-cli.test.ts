import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/manage-accounts.ts';
import { containerNumber } from '../support/containers.ts';
import { runCapturing } from '../support/cli.ts';
import {
  manualClock,
  organisationWithPeople,
  testServer,
  type TestServer,
} from '../support/server.ts';

/** `corridor track simulate` and `corridor events ingest` against a real server over HTTP. */
const clock = manualClock(new Date('2026-12-01T00:00:00Z'));
let server: TestServer;
let url = '';
let shipperKey = '';
let adminKey = '';

const box = (n: number) => containerNumber('MSKU', n);

beforeAll(async () => {
  server = await testServer(undefined, clock);
  url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const keyOf = async (input: Parameters<typeof organisationWithPeople>[1]) => {
    const org = await organisationWithPeople(server, input);
    return (
      await createApiKey(server.accounts, undefined, org.organisation.id, {
        name: 'cli',
        role: 'admin',
      })
    ).key;
  };
  shipperKey = await keyOf({ name: 'Exporter', kind: 'shipper', country: 'CN' });
  adminKey = await keyOf({ name: 'Platform operator', kind: 'platform', country: 'AZ' });
});
afterAll(() => server.close());

const cli = (key: string, ...argv: string[]) =>
  runCapturing(argv, {
    env: { CORRIDOR_API_KEY: key, CORRIDOR_SERVER: url },
    http: (u, init) => fetch(u, init),
    readText: (path) => readFile(path, 'utf8'),
  });

describe('simulated journeys fed to the platform', () => {
  it('simulates a stream for a shipment and ingests it: the shipment arrives', async () => {
    const created = await fetch(`${url}/v1/shipments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shipperKey}` },
      body: JSON.stringify({
        rides: [
          {
            tripId: 'SVC_XIAN_BAKU_BLOCK@2026-12-04T1200',
            from: 'CN_XIAN_ITL',
            to: 'KZ_AKTAU_PORT',
          },
          {
            tripId: 'SVC_FEEDER_AKTAU_ALAT@2026-12-14T1800',
            from: 'KZ_AKTAU_PORT',
            to: 'AZ_BAKU_PORT_ALAT',
          },
        ],
        containers: [{ equipmentReference: box(1) }, { equipmentReference: box(2) }],
      }),
    });
    const id = ((await created.json()) as { id: string }).id;
    const sim = await cli(shipperKey, 'track', 'simulate', '--shipment', id, '--seed', '3');
    expect(sim.code, sim.stderr).toBe(0);
    const lines = sim.stdout.split('\n');
    const events = lines.map(
      (l) => JSON.parse(l) as { eventDateTime: string; equipmentReference: string },
    );
    expect(events.length).toBeGreaterThan(10);
    // Both containers, in time order, the same stream for the same seed.
    expect(new Set(events.map((e) => e.equipmentReference))).toEqual(new Set([box(1), box(2)]));
    expect(events.map((e) => e.eventDateTime)).toEqual(events.map((e) => e.eventDateTime).sort());
    expect(
      (await cli(shipperKey, 'track', 'simulate', '--shipment', id, '--seed', '3')).stdout,
    ).toBe(sim.stdout);
    expect(
      (await cli(shipperKey, 'track', 'simulate', '--shipment', id, '--seed', '4')).stdout,
    ).not.toBe(sim.stdout);

    const file = join(mkdtempSync(join(tmpdir(), 'corridor-events-')), 'events.jsonl');
    writeFileSync(file, `${sim.stdout}\n`);
    clock.advance(60 * 86_400_000);
    const ingested = await cli(adminKey, 'events', 'ingest', file, '--batch', '7');
    expect([ingested.code, ingested.stdout]).toEqual([
      0,
      `${events.length} events: ${events.length} accepted, 0 duplicates, 0 rejected`,
    ]);
    const shipment = (await (
      await fetch(`${url}/v1/shipments/${id}`, {
        headers: { authorization: `Bearer ${shipperKey}` },
      })
    ).json()) as { status: string; eta: { p50: string } };
    expect(shipment.status).toBe('ARRIVED');
    // Again: everything is a duplicate, nothing changes.
    const again = await cli(adminKey, 'events', 'ingest', file);
    expect(again.stdout).toBe(
      `${events.length} events: 0 accepted, ${events.length} duplicates, 0 rejected`,
    );
  });

  it('says which lines are wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-events-'));
    writeFileSync(join(dir, 'bad.jsonl'), '{"eventID": 1}\nnot json\n');
    const bad = await cli(adminKey, 'events', 'ingest', join(dir, 'bad.jsonl'));
    expect([bad.code, bad.stderr]).toEqual([2, `error: ${join(dir, 'bad.jsonl')}:2: not JSON`]);
    writeFileSync(join(dir, 'one.jsonl'), '{"eventID": 1}\n');
    const rejected = await cli(adminKey, 'events', 'ingest', join(dir, 'one.jsonl'));
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toMatch(
      /^1 events: 0 accepted, 0 duplicates, 1 rejected\n {2}event 1: eventID: /,
    );
    const missing = await cli(adminKey, 'events', 'ingest', join(dir, 'nothing.jsonl'));
    expect([missing.code, missing.stderr]).toEqual([
      1,
      expect.stringMatching(/^error: cannot read /),
    ]);
    const notId = await cli(adminKey, 'track', 'simulate', '--shipment', 'bkg_1');
    expect([notId.code, notId.stderr]).toEqual([
      2,
      'error: "bkg_1" is not a shipment id (shp_...)',
    ]);
  });
});
