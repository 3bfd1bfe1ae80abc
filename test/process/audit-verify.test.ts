import { execFile, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl } from '../support/database.ts';
import {
  adminApiKey,
  dropDatabase,
  recreateDatabase,
  serveProcess,
  sql,
} from '../support/process.ts';

/**
 * `corridor audit verify` as an operator runs it on a PostgreSQL database the server wrote:
 * the chain holds; after its last record is deleted, or deleted with the head record rewritten,
 * or a record is edited behind the platform's back, it names the record.
 */
const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/corridor.js');
const DB = `corridor_audit_${process.pid}`;
const env = { ...process.env, DATABASE_URL: databaseUrl(DB), LOG_LEVEL: 'warn' };
let child: ChildProcess | undefined;

beforeAll(async () => {
  await recreateDatabase(DB);
}, 60_000);
afterAll(async () => {
  child?.kill('SIGKILL');
  await dropDatabase(DB);
});

const verify = () =>
  exec(process.execPath, [BIN, 'audit', 'verify'], { env }).then(
    (r) => ({ code: 0, out: r.stdout.trim(), err: r.stderr.trim() }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      out: e.stdout.trim(),
      err: e.stderr.trim(),
    }),
  );

describe('corridor audit verify', () => {
  it('proves the chain the server wrote, and names the record changed afterwards', async () => {
    const shipper = await adminApiKey(env, 'shipper', 'Exporter', { country: 'CN' });
    await adminApiKey(env, 'customs', 'CN customs', {
      country: 'CN',
      extra: ['--office', 'CNHRS001=Khorgos customs'],
    });
    const started = await serveProcess(env);
    child = started.child;
    for (const lrn of ['A-1', 'A-2', 'A-3']) {
      const res = await fetch(`${started.url}/v1/customs/declarations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${shipper}` },
        body: JSON.stringify({
          lrn,
          holder: { name: 'Exporter', identificationNumber: 'CN1', country: 'CN' },
          guarantee: { reference: 'G1', amount: 100, currency: 'USD' },
          consignments: [
            {
              consignor: { name: 'A', country: 'CN' },
              consignee: { name: 'B', country: 'AZ' },
              goodsItems: [
                {
                  hsCode: '940360',
                  description: 'furniture',
                  packages: { count: 1, kind: 'PK' },
                  grossMassKg: 2,
                  netMassKg: 1,
                  value: 10,
                  currency: 'USD',
                  countryOfOrigin: 'CN',
                },
              ],
            },
          ],
          itinerary: [{ country: 'CN', regime: 'export', office: 'CNHRS001' }],
        }),
      });
      expect(res.status).toBe(201);
    }
    const head = await fetch(`${started.url}/v1/customs/audit/head`, {
      headers: { authorization: `Bearer ${shipper}` },
    });
    expect(head.status).toBe(200);
    const { day } = (await head.json()) as { day: string };
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
    const ok = await verify();
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^audit chain verified: 6 records, last hash [0-9a-f]{64}$/);
    await sql(databaseUrl(DB), `delete from customs_audit where seq = 6`);
    expect(await verify()).toEqual({
      code: 1,
      out: '',
      err: 'error: audit chain broken at record 6: it is missing: the head record names record 6',
    });
    await sql(
      databaseUrl(DB),
      `update customs_audit_head set seq = 5, hash = (select hash from customs_audit where seq = 5)`,
    );
    expect(await verify()).toEqual({
      code: 1,
      out: '',
      err: `error: audit chain broken at record 6: it is missing: the head signed on ${day} names record 6`,
    });
    await sql(
      databaseUrl(DB),
      `update customs_audit set detail = jsonb_set(detail, '{lane}', '"red"') where seq = 4`,
    );
    expect(await verify()).toEqual({
      code: 1,
      out: '',
      err: 'error: audit chain broken at record 4: its content does not match its hash',
    });
  }, 120_000);
});
