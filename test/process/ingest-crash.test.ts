import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTimetable } from '../../src/core/network/timetable.ts';
import { containerNumber } from '../support/containers.ts';
import { databaseUrl } from '../support/database.ts';
import { referenceNetwork } from '../support/network-files.ts';
import {
  adminApiKey,
  dropDatabase,
  recreateDatabase,
  serveProcess,
  sql,
} from '../support/process.ts';

/**
 * `corridor serve` on PostgreSQL killed with SIGKILL while events pour in: every event that was
 * answered 2xx is in the database afterwards.
 */
const DB = `corridor_crash_${process.pid}`;
const env = {
  ...process.env,
  DATABASE_URL: databaseUrl(DB),
  LOG_LEVEL: 'warn',
  CORRIDOR_WRITE_PER_MINUTE: '1000000',
};
let child: ChildProcess | undefined;

beforeAll(async () => {
  await recreateDatabase(DB);
}, 60_000);
afterAll(async () => {
  child?.kill('SIGKILL');
  await dropDatabase(DB);
});

describe('a server killed in the middle of ingestion', () => {
  it('keeps every event it acknowledged', async () => {
    const shipperKey = await adminApiKey(env, 'shipper', 'Exporter');
    const platformKey = await adminApiKey(env, 'platform', 'Operator');
    const started = await serveProcess(env);
    child = started.child;
    const url = started.url;
    const container = containerNumber('CSQU', 123456);
    // A departure a few days ahead on the real clock.
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const trip = generateTimetable(referenceNetwork(), {
      from: day,
      days: 7,
      serviceIds: ['SVC_FEEDER_AKTAU_ALAT'],
    })[0]!;
    const created = await fetch(`${url}/v1/shipments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shipperKey}` },
      body: JSON.stringify({
        rides: [{ tripId: trip.id, from: 'KZ_AKTAU_PORT', to: 'AZ_BAKU_PORT_ALAT' }],
        containers: [{ equipmentReference: container }],
      }),
    });
    expect(created.status).toBe(201);

    const acknowledged: string[] = [];
    let sent = 0;
    // Each client sends until the server is gone: its last batch, cut off, is never acknowledged.
    const client = async () => {
      for (;;) {
        const batch = Array.from({ length: 50 }, (_, i) => {
          const at = new Date(Date.now() - (sent + i) * 1000).toISOString();
          return {
            eventID: randomUUID(),
            eventCreatedDateTime: at,
            eventDateTime: at,
            eventType: 'EQUIPMENT',
            eventClassifierCode: 'ACT',
            equipmentEventTypeCode: 'GTIN',
            equipmentReference: container,
            eventLocation: { UNLocationCode: 'KZAAU' },
          };
        });
        sent += batch.length;
        try {
          const res = await fetch(`${url}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${platformKey}` },
            body: JSON.stringify(batch),
          });
          if (res.ok) {
            const answer = (await res.json()) as { results: { eventID: string; status: string }[] };
            for (const r of answer.results)
              if (r.status === 'accepted') acknowledged.push(r.eventID);
          }
        } catch {
          // The server is gone: what was not answered was not acknowledged.
          return;
        }
      }
    };
    const clients = Array.from({ length: 4 }, client);
    await new Promise((r) => setTimeout(r, 2000));
    child!.kill('SIGKILL');
    await Promise.all(clients);
    expect(acknowledged.length).toBeGreaterThan(100);
    expect(sent).toBeGreaterThan(acknowledged.length);
    const stored = await sql<{ n: string }>(
      databaseUrl(DB),
      'select count(*) as n from tracking_events where event_id = any($1::text[])',
      [acknowledged],
    );
    expect(Number(stored[0]!.n)).toBe(acknowledged.length);
  }, 120_000);
});
