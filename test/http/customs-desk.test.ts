import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/manage-accounts.ts';
import { seedDemo } from '../../src/app/seed-demo.ts';
import { PgDirectoryStore } from '../../src/store/directory.store.ts';
import { manualClock } from '../support/clock.ts';
import { containerNumber } from '../support/containers.ts';
import { testServer, type TestServer } from '../support/server.ts';

/**
 * The customs desk over HTTP with the demo's organisations: a Qingdao → Baku declaration meets
 * each administration at its real border office, each segment names the train or vessel that
 * enters its country, a yellow lane waits for its documents to be checked, decisions are undone
 * within a minute and listed for the office's day.
 */
const clock = manualClock();
let server: TestServer;
const keys: Record<string, string> = {};
const ORGS = {
  shipper: 'Qingdao Haixing Machinery Export Co. (demo)',
  council: 'Middle Corridor coordinating council',
  CN: 'General Administration of Customs of China',
  KZ: 'State Revenue Committee of Kazakhstan (customs)',
  AZ: 'State Customs Committee of Azerbaijan',
};

beforeAll(async () => {
  server = await testServer(undefined, clock);
  await seedDemo(server.accounts, new PgDirectoryStore(server.database.db));
  const organisations = await server.accounts.stores.organisations.list();
  for (const [who, name] of Object.entries(ORGS)) {
    const org = organisations.find((o) => o.name === name)!;
    for (const role of org.kind === 'customs'
      ? (['admin', 'officer'] as const)
      : (['admin'] as const))
      keys[`${who}.${role}`] = (
        await createApiKey(server.accounts, undefined, org.id, { name: role, role })
      ).key;
  }
});
afterAll(() => server.close());

const call = (method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: object) =>
  server.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${keys[who]}` },
    ...(payload ? { payload } : {}),
  });

interface Segment {
  country: string;
  office: string;
  exitOffice: string | null;
  state: string;
  lane: string | null;
  meansOfTransport?: { mode: string; identification: string } | null;
  lastDecision?: { action: string; undoUntil: string } | null;
  decision?: { hits: { ruleId: string; description: string }[] };
}
interface Declaration {
  id: string;
  mrn: string;
  segments: Segment[];
}

let serial = 400;
/** A Qingdao → Baku declaration lodged from the shipper's booking of the first itinerary. */
async function lodgeQingdaoBaku(lrn: string, from = 'Qingdao'): Promise<Declaration> {
  const planned = await call('POST', '/v1/plans', 'shipper.admin', {
    from,
    to: 'Baku',
    depart: '2026-12-01',
    containers: '1x40HC',
  });
  expect(planned.statusCode, planned.body).toBe(200);
  const plan = planned.json<{
    planId: string;
    itineraries: { id: string; legs: { kind: string; to?: string }[] }[];
  }>();
  // The itinerary that leaves China at Khorgos (the Qilu and Xi'an trains' border).
  const viaKhorgos =
    plan.itineraries.find((i) => i.legs.some((l) => l.kind === 'ride' && l.to === 'CN_KHORGOS')) ??
    plan.itineraries[0]!;
  const res = await call('POST', '/v1/customs/declarations', 'shipper.admin', {
    lrn,
    planId: plan.planId,
    itineraryId: viaKhorgos.id,
    holder: { name: 'Qingdao Haixing', identificationNumber: 'CN913702000X', country: 'CN' },
    guarantee: { reference: 'GRN2026000009', amount: 90_000, currency: 'USD' },
    consignments: [
      {
        consignor: { name: 'Qingdao Haixing Machinery', country: 'CN' },
        consignee: { name: 'Baku Machinery LLC', country: 'AZ' },
        goodsItems: [
          {
            hsCode: '843149',
            description: 'Excavator parts',
            packages: { count: 20, kind: 'PK' },
            grossMassKg: 18_000,
            netMassKg: 17_500,
            value: 210_000,
            currency: 'USD',
            countryOfOrigin: 'CN',
          },
        ],
      },
    ],
    containers: [{ equipmentReference: containerNumber('TGHU', serial++), seals: ['CN123456'] }],
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Declaration>();
}

const act = (country: string, id: string, action: object) =>
  call(
    'POST',
    `/v1/customs/declarations/${id}/segments/${country}/actions`,
    `${country}.officer`,
    action,
  );
async function ok(country: string, id: string, action: object): Promise<Segment> {
  const res = await act(country, id, action);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Declaration>().segments.find((s) => s.country === country)!;
}

describe('the customs desk', () => {
  it('meets the declaration at the real border offices, naming what enters each country', async () => {
    const d = await lodgeQingdaoBaku('LRN-DESK-ROUTE');
    // The Qilu train crosses at Khorgos/Altynkol (data/services.json), not at Almaty.
    expect(d.segments.map((s) => [s.country, s.office, s.exitOffice])).toEqual([
      ['CN', 'CNTAO001', 'CNHRS001'],
      ['KZ', 'KZALT001', 'KZAAU001'],
      ['AZ', 'AZBAK001', null],
    ]);
    const xian = await lodgeQingdaoBaku('LRN-DESK-XIAN', "Xi'an");
    expect(xian.segments.map((s) => [s.country, s.office, s.exitOffice])).toEqual([
      ['CN', 'CNHRS001', null],
      ['KZ', 'KZALT001', 'KZAAU001'],
      ['AZ', 'AZBAK001', null],
    ]);
    const means = d.segments.map((s) => s.meansOfTransport);
    for (const m of means) expect(m!.identification.length).toBeLessThanOrEqual(35);
    // The train that crosses into Kazakhstan, the vessel that lands in Azerbaijan.
    expect(means[1]).toMatchObject({ mode: 'rail' });
    expect(means[1]!.identification).toMatch(/Qilu|train|Xi'an/i);
    expect(['sea', 'ferry']).toContain(means[2]!.mode);
    expect(means[2]!.identification).not.toBe(means[0]!.identification.slice(0, 35));
    expect(means.every((m) => !m!.identification.includes('@'))).toBe(true);
  });

  it('opens on the office with the most work', async () => {
    const res = await call('GET', '/v1/customs/offices', 'KZ.officer');
    expect(res.statusCode, res.body).toBe(200);
    const offices = res.json<{ offices: { code: string; open: number; timeZone: string }[] }>()
      .offices;
    expect(['KZDSK001', 'KZALT001']).toContain(offices[0]!.code);
    expect(offices[0]!.open).toBeGreaterThan(0);
    expect(offices.map((o) => o.code)).toContain('KZALA001');
    expect(offices.find((o) => o.code === 'KZALA001')!.open).toBe(0);
    expect((await call('GET', '/v1/customs/offices', 'shipper.admin')).statusCode).toBe(403);
  });

  it('releases yellow only after the documents are recorded as checked', async () => {
    const rules = await call('PUT', '/v1/customs/rule-sets/KZ', 'KZ.admin', {
      rules: [
        {
          id: 'machinery-docs',
          description: 'Machinery parts: check the invoice and packing list',
          lane: 'yellow',
          probability: 1,
          when: { hsPrefixes: ['8431'] },
        },
      ],
    });
    expect(rules.statusCode, rules.body).toBe(200);
    const d = await lodgeQingdaoBaku('LRN-DESK-YELLOW');
    const assessed = await ok('KZ', d.id, { type: 'assess' });
    expect(assessed.lane).toBe('yellow');
    // The officer reads the rule's description, not only its id.
    expect(assessed.decision!.hits[0]).toMatchObject({
      ruleId: 'machinery-docs',
      description: 'Machinery parts: check the invoice and packing list',
    });
    await ok('KZ', d.id, { type: 'arrive' });
    const early = await act('KZ', d.id, { type: 'release' });
    expect(early.statusCode).toBe(409);
    expect(early.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(early.json<{ detail: string }>().detail).toMatch(
      /yellow-lane box is released after its documents are recorded as checked/,
    );
    await ok('KZ', d.id, { type: 'check_documents' });
    expect((await ok('KZ', d.id, { type: 'release' })).state).toBe('released');
    await call('PUT', '/v1/customs/rule-sets/KZ', 'KZ.admin', {});
  });

  it('undoes a decision within a minute, records the undo, and lists the day', async () => {
    const d = await lodgeQingdaoBaku('LRN-DESK-UNDO');
    await ok('AZ', d.id, { type: 'assess' });
    const released = await ok('AZ', d.id, { type: 'arrive' });
    expect(released.state).toBe('released');
    expect(released.lastDecision).toMatchObject({ action: 'arrive' });
    clock.advance(30_000);
    const undone = await ok('AZ', d.id, { type: 'undo' });
    expect(undone).toMatchObject({ state: 'assessed', lastDecision: null });
    // Nothing left to undo; a decision older than a minute stays.
    expect((await act('AZ', d.id, { type: 'undo' })).statusCode).toBe(409);
    await ok('AZ', d.id, { type: 'arrive' });
    clock.advance(61_000);
    const late = await act('AZ', d.id, { type: 'undo' });
    expect(late.statusCode).toBe(409);
    expect(late.json<{ detail: string }>().detail).toMatch(/more than a minute ago/);
    const day = await call('GET', '/v1/customs/decisions?office=AZBAK001', 'AZ.officer');
    expect(day.statusCode, day.body).toBe(200);
    const mine = day
      .json<{ decisions: { mrn: string; action: string; undid: string | null }[] }>()
      .decisions.filter((x) => x.mrn === d.mrn);
    expect(mine.map((x) => [x.action, x.undid])).toEqual([
      ['arrive', null],
      ['undo', 'arrive'],
      ['arrive', null],
    ]);
    const audit = await server.customs.customs.auditRecordsOf(d.id);
    expect(audit.map((r) => r.action)).toContain('undo');
  });

  it('refuses a box with a reason', async () => {
    const d = await lodgeQingdaoBaku('LRN-DESK-REFUSE');
    await ok('KZ', d.id, { type: 'assess' });
    const refused = await ok('KZ', d.id, { type: 'refuse', note: 'no export licence' });
    expect(refused).toMatchObject({ state: 'refused' });
    const queue = await call('GET', '/v1/customs/queue?office=KZALT001', 'KZ.officer');
    expect(
      queue.json<{ declarations: { mrn: string }[] }>().declarations.map((x) => x.mrn),
    ).not.toContain(d.mrn);
  });

  it("counts the desk's releases in the council's figures", async () => {
    const res = await call(
      'GET',
      '/v1/analytics/kpis?from=2026-09-01&to=2027-02-28',
      'council.admin',
    );
    expect(res.statusCode, res.body).toBe(200);
  });

  it('shows the rule set in force when none is published: version 0, no rules', async () => {
    const res = await call('GET', '/v1/customs/rule-sets/AZ', 'AZ.officer');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ version: 0, rules: { rules: [], randomRate: 0 } });
  });
});
