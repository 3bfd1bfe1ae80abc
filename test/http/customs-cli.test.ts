import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/customs-audit.ts';
import { createApiKey } from '../../src/app/manage-accounts.ts';
import { runCapturing } from '../support/cli.ts';
import { organisationWithPeople, testServer, type TestServer } from '../support/server.ts';

/** `corridor customs ...` and `corridor audit verify` against a real server and database. */
let server: TestServer;
let url: string;
const keys: Record<string, string> = {};

const declaration = {
  lrn: 'CLI-1',
  holder: { name: 'Exporter', identificationNumber: 'CN91610000X', country: 'CN' },
  guarantee: { reference: 'GRN1', amount: 50_000, currency: 'USD' },
  consignments: [
    {
      consignor: { name: 'Xian Electronics Co', country: 'CN' },
      consignee: { name: 'Baku Trading LLC', country: 'AZ' },
      goodsItems: [
        {
          hsCode: '940360',
          description: 'Wooden furniture',
          packages: { count: 40, kind: 'PK' },
          grossMassKg: 9000,
          netMassKg: 8500,
          value: 60_000,
          currency: 'USD',
          countryOfOrigin: 'CN',
        },
      ],
    },
  ],
  containers: [{ equipmentReference: 'CSQU3054383', seals: ['CN123456'] }],
  itinerary: [
    { country: 'CN', regime: 'export', office: 'CNHRS001' },
    { country: 'KZ', regime: 'eaeu_transit', office: 'KZAAU001' },
  ],
};

beforeAll(async () => {
  server = await testServer();
  url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const shipper = await organisationWithPeople(server, {
    name: 'Exporter',
    kind: 'shipper',
    country: 'CN',
  });
  keys.shipper = (
    await createApiKey(server.accounts, undefined, shipper.organisation.id, {
      name: 'cli',
      role: 'admin',
    })
  ).key;
  for (const [country, office, nodeId] of [
    ['CN', 'CNHRS001', 'CN_KHORGOS'],
    ['KZ', 'KZAAU001', 'KZ_AKTAU_PORT'],
  ] as const) {
    const org = await organisationWithPeople(server, {
      name: `${country} customs`,
      kind: 'customs',
      country,
      customsOffices: [{ code: office, name: office, nodeId }],
    });
    keys[country] = (
      await createApiKey(server.accounts, undefined, org.organisation.id, {
        name: 'cli',
        role: 'admin',
      })
    ).key;
  }
});
afterAll(() => server.close());

const files: Record<string, string> = {
  'declaration.json': JSON.stringify(declaration),
  'rules.json': JSON.stringify({
    rules: [
      {
        id: 'furniture',
        description: 'Furniture',
        lane: 'yellow',
        probability: 1,
        when: { hsPrefixes: ['9403'] },
      },
    ],
  }),
  'bad-rules.json': JSON.stringify({
    rules: [
      { id: 'x', description: 'x', lane: 'purple', probability: 1, when: { origins: ['CN'] } },
    ],
  }),
  'broken.json': '{ not json',
};

const cli = (who: string, ...argv: string[]) =>
  runCapturing(argv, {
    env: { CORRIDOR_API_KEY: keys[who], CORRIDOR_SERVER: url },
    http: (u, init) => fetch(u, init),
    readText: (path) =>
      files[path] !== undefined
        ? Promise.resolve(files[path])
        : Promise.reject(new Error('no such file')),
    auditLog: () =>
      Promise.resolve({
        verify: (saved) => verifyAudit(server.audit, saved),
        anchors: () => server.audit.audit.anchors(),
        close: () => Promise.resolve(),
      }),
  });

describe('corridor customs', () => {
  it('declares from a file, shows the office queue, and takes an officer decision', async () => {
    const declared = await cli('shipper', 'customs', 'declare', 'declaration.json');
    expect(declared.code, declared.stderr).toBe(0);
    const [, mrn, id] = /^(\d{2}CN[0-9A-Z]{12}J\d)\s+(dcl_\w+)\s+open/.exec(declared.stdout)!;
    expect(declared.stdout).toMatch(/CN\s+CNHRS001\s+export\s+assessed\s+green/);
    const queue = await cli('CN', 'customs', 'queue', '--office', 'CNHRS001');
    expect(queue.stdout).toContain(mrn);
    const arrived = await cli(
      'CN',
      'customs',
      'decide',
      id!,
      '--country',
      'CN',
      '--action',
      'arrive',
    );
    expect(arrived.code, arrived.stderr).toBe(0);
    expect(arrived.stdout).toMatch(/CN\s+CNHRS001\s+export\s+released\s+green/);
    const refused = await cli(
      'KZ',
      'customs',
      'decide',
      id!,
      '--country',
      'CN',
      '--action',
      'release',
    );
    expect([refused.code, refused.stderr]).toEqual([
      1,
      'error: only the customs of CN act on its segments',
    ]);
  });

  it('checks and back-tests a rule set file, with one-line errors', async () => {
    const tested = await cli('CN', 'customs', 'rules', 'test', 'rules.json', '--scope', 'CN');
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/furniture\s+yellow\s+1\s+1\s+100\.0 %/);
    const bad = await cli('CN', 'customs', 'rules', 'test', 'bad-rules.json', '--scope', 'CN');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: bad-rules\.json: rules\.0\.lane: /);
    expect((await cli('CN', 'customs', 'declare', 'broken.json')).stderr).toBe(
      'error: broken.json: not JSON',
    );
    const published = await cli('CN', 'customs', 'rules', 'publish', 'rules.json', '--scope', 'CN');
    expect(published.stdout).toBe('published CN rule set version 1');
    const usage = await cli(
      'CN',
      'customs',
      'decide',
      'dcl_x',
      '--country',
      'CN',
      '--action',
      'hold',
    );
    expect([usage.code, usage.stderr]).toEqual([
      2,
      'error: --note: Invalid input: expected string, received undefined',
    ]);
  });

  it('audit verify finds a deleted last record, and a tail rewritten with its head by the signed head', async () => {
    expect((await cli('CN', 'audit', 'heads')).stdout).toBe('no signed head yet');
    const res = await fetch(`${url}/v1/customs/audit/head`, {
      headers: { authorization: `Bearer ${keys.CN}` },
    });
    expect(res.status).toBe(200);
    const signed = (await res.json()) as { day: string; seq: number; hash: string };
    files['head.json'] = JSON.stringify(signed);
    const last = signed.seq;
    const heads = await cli('CN', 'audit', 'heads');
    expect(heads.stdout).toContain(`${signed.day}  ${last}`);
    const db = server.database.db;
    const [deleted] = (
      (await db.execute(sql`select * from customs_audit where seq = ${last}`)) as unknown as {
        rows: Record<string, unknown>[];
      }
    ).rows;
    await db.execute(sql`delete from customs_audit where seq = ${last}`);
    expect(await cli('CN', 'audit', 'verify')).toMatchObject({
      code: 1,
      stderr: `error: audit chain broken at record ${last}: it is missing: the head record names record ${last}`,
    });
    // The head record rewritten to the record before: only the signed head tells.
    await db.execute(
      sql`update customs_audit_head set seq = ${last - 1}, hash = (select hash from customs_audit where seq = ${last - 1})`,
    );
    const byDay = `the head signed on ${signed.day} names record ${last}`;
    expect(await cli('CN', 'audit', 'verify')).toMatchObject({
      code: 1,
      stderr: `error: audit chain broken at record ${last}: it is missing: ${byDay}`,
    });
    // The platform does not sign the shortened log.
    const refused = await fetch(`${url}/v1/customs/audit/head`, {
      headers: { authorization: `Bearer ${keys.CN}` },
    });
    expect(refused.status).toBe(409);
    // The signed heads deleted too: a head kept outside the platform still tells.
    await db.execute(sql`delete from customs_audit_anchors`);
    expect((await cli('CN', 'audit', 'verify')).code).toBe(0);
    expect(await cli('CN', 'audit', 'verify', '--anchor', 'head.json')).toMatchObject({
      code: 1,
      stderr: `error: audit chain broken at record ${last}: it is missing: ${byDay}`,
    });
    // A saved head whose numbers were changed does not carry its signature.
    files['forged.json'] = JSON.stringify({ ...signed, seq: last - 1 });
    expect(await cli('CN', 'audit', 'verify', '--anchor', 'forged.json')).toMatchObject({
      code: 1,
      stderr: `error: audit chain broken at record ${last - 1}: the head signed on ${signed.day} does not carry a valid signature`,
    });
    // Put back as it was, the chain reaches its head and the saved head again.
    const r = deleted!;
    await db.execute(
      sql`insert into customs_audit values (${r.seq}, ${r.at}, ${r.actor}, ${r.declaration_id}, ${r.country}, ${r.action}, ${JSON.stringify(r.detail)}::jsonb, ${r.prev_hash}, ${r.hash})`,
    );
    await db.execute(sql`update customs_audit_head set seq = ${last}, hash = ${signed.hash}`);
    expect(await cli('CN', 'audit', 'verify', '--anchor', 'head.json')).toMatchObject({ code: 0 });
  });

  it('audit verify proves the chain, and names the first tampered record', async () => {
    const ok = await cli('CN', 'audit', 'verify');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^audit chain verified: \d+ records, last hash [0-9a-f]{64}$/);
    await server.database.db.execute(
      sql`update customs_audit set actor = 'someone else' where seq = 2`,
    );
    const broken = await cli('CN', 'audit', 'verify');
    expect([broken.code, broken.stderr]).toEqual([
      1,
      'error: audit chain broken at record 2: its content does not match its hash',
    ]);
  });
});
