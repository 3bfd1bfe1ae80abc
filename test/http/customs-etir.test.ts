import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/manage-accounts.ts';
import { EtirInternationalSystem, responseErrors } from '../support/etir-international-system.ts';
import {
  apiKeyCaller,
  manualClock,
  organisationWithPeople,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';

/**
 * A TIR transport across Azerbaijan and Georgia decided through eTIR, played end to end against a
 * stand-in of the eTIR international system built from the specification.
 */
const clock = manualClock(new Date('2026-12-04T00:00:00Z'));
let server: TestServer;
let shipper: Caller;
const officers: Record<string, Caller> = {};
const admins: Record<string, Caller> = {};
const is = new EtirInternationalSystem();
const GUARANTEE = 'XK12345678';
const OFFICES = { AZ: 'AZALT001', AZX: 'AZGNJ001', GE: 'GERED001', GEX: 'GETBS001' };

beforeAll(async () => {
  server = await testServer(undefined, clock);
  shipper = await apiKeyCaller(server, { name: 'Xian Exporter', kind: 'shipper', country: 'CN' });
  const offices: Record<string, { code: string; name: string; nodeId: string }[]> = {
    CN: [{ code: 'CNHRS001', name: 'Khorgos customs', nodeId: 'CN_KHORGOS' }],
    AZ: [
      { code: OFFICES.AZ, name: 'Alat customs', nodeId: 'AZ_BAKU_PORT_ALAT' },
      { code: OFFICES.AZX, name: 'Ganja customs', nodeId: 'AZ_GANJA' },
    ],
    GE: [
      { code: OFFICES.GE, name: 'Gardabani customs', nodeId: 'GE_GARDABANI' },
      { code: OFFICES.GEX, name: 'Tbilisi customs', nodeId: 'GE_TBILISI' },
    ],
  };
  for (const [country, customsOffices] of Object.entries(offices)) {
    const org = await organisationWithPeople(server, {
      name: `${country} customs`,
      kind: 'customs',
      country,
      customsOffices,
    });
    for (const role of ['officer', 'admin'] as const) {
      const { key } = await createApiKey(server.accounts, undefined, org.organisation.id, {
        name: role,
        role,
      });
      (role === 'officer' ? officers : admins)[country] = {
        label: `${country} customs ${role}`,
        organisation: org.organisation,
        role,
        headers: { authorization: `Bearer ${key}` },
      };
    }
  }
  for (const country of ['AZ', 'GE']) {
    const route = await server.app.inject({
      method: 'PUT',
      url: `/v1/customs/systems/routes/${country}`,
      headers: admins[country]!.headers,
      payload: { system: 'etir', recipient: is.id, sender: 'CORRIDOR' },
    });
    expect(route.statusCode, route.body).toBe(200);
  }
});
afterAll(() => server.close());

const declaration = (lrn: string, guarantee = GUARANTEE, description = 'Mobile phones') => ({
  lrn,
  holder: { name: 'Xian Exporter', identificationNumber: 'CN91610000X', country: 'CN' },
  guarantee: { reference: guarantee, amount: 60_000, currency: 'EUR' },
  consignments: [
    {
      consignor: { name: 'Xian Electronics Co', country: 'CN' },
      consignee: { name: 'Tbilisi Trading LLC', country: 'GE' },
      goodsItems: [
        {
          hsCode: '851712',
          description,
          packages: { count: 400, kind: 'CT' },
          grossMassKg: 4200,
          netMassKg: 4000,
          value: 800_000,
          currency: 'USD',
          countryOfOrigin: 'CN',
        },
      ],
    },
  ],
  containers: [{ equipmentReference: 'MSCU1234566', seals: ['CN778899'] }],
  itinerary: [
    { country: 'CN', regime: 'export', office: 'CNHRS001' },
    { country: 'AZ', regime: 'tir_etir', office: OFFICES.AZ, exitOffice: OFFICES.AZX },
    { country: 'GE', regime: 'tir_etir', office: OFFICES.GE, exitOffice: OFFICES.GEX },
  ],
});

const post = (xml: string, who: Caller) =>
  server.app.inject({
    method: 'POST',
    url: '/v1/customs/systems/etir/messages',
    headers: { ...who.headers, 'content-type': 'application/xml' },
    payload: xml,
  });

const lodge = async (body: object) => {
  const r = await server.app.inject({
    method: 'POST',
    url: '/v1/customs/declarations',
    headers: shipper.headers,
    payload: body,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ id: string }>().id;
};

const outbox = async (country: string) =>
  (
    await server.app.inject({
      method: 'GET',
      url: '/v1/customs/systems/outbox',
      headers: officers[country]!.headers,
    })
  ).json<{ id: string; messageType: string; declarationId: string; body: string }[]>();

const segments = async (id: string) =>
  (
    await server.app.inject({
      method: 'GET',
      url: `/v1/customs/declarations/${id}`,
      headers: shipper.headers,
    })
  )
    .json<{ segments: { country: string; state: string }[] }>()
    .segments.map((s) => `${s.country}:${s.state}`);

describe('a TIR transport decided through eTIR', () => {
  let id: string;

  it('sends the holder’s advance TIR data (E9) once, well-formed, which the international system accepts (E10)', async () => {
    id = await lodge(declaration('LRN-ETIR-1'));
    const out = (await outbox('AZ')).filter((m) => m.declarationId === id);
    expect(out.map((m) => m.messageType)).toEqual(['E9']);
    expect(await outbox('GE')).toEqual([]);
    const e9 = out[0]!.body;
    const dir = mkdtempSync(join(tmpdir(), 'etir-'));
    writeFileSync(join(dir, 'e9.xml'), e9);
    execFileSync('/usr/bin/xmllint', ['--noout', join(dir, 'e9.xml')]);
    const answer = is.receive(e9);
    expect(answer.errors).toEqual([]);
    expect(is.transports.get(GUARANTEE)).toEqual({
      lrn: 'LRN-ETIR-1',
      countries: ['AZ', 'GE'],
      offices: [OFFICES.AZ, OFFICES.AZX, OFFICES.GE, OFFICES.GEX],
      amendments: 0,
    });
    // Delivered twice (a lost answer): the stand-in answers the same, and records it once.
    expect(is.receive(e9)).toBe(answer);
    const first = await post(answer.xml, officers.AZ!);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json<{ applied: string[] }>().applied).toEqual(['etir_advance_data_accepted']);
    const again = await post(answer.xml, officers.AZ!);
    expect(again.statusCode).toBe(200);
    expect(again.json<{ duplicate: boolean }>().duplicate).toBe(true);
    // Not assessed by the platform's rules: eTIR decides.
    expect(await segments(id)).toEqual(['CN:assessed', 'AZ:accepted', 'GE:accepted']);
  });

  it('refuses a start before the declaration is recorded (220), a termination before the start (213)', async () => {
    const early = await post(
      is.operation('I9', GUARANTEE, OFFICES.AZ, { sequence: 1 }),
      officers.AZ!,
    );
    expect(early.statusCode).toBe(409);
    expect(early.json<{ errors: { path: string; message: string }[] }>().errors).toEqual([
      { path: 'I9', message: '220 Declaration not yet received' },
    ]);
    const recorded = await post(
      is.operation('I7', GUARANTEE, OFFICES.AZ, { declarationReference: 'AZ26ETIR000123' }),
      officers.AZ!,
    );
    expect(recorded.statusCode, recorded.body).toBe(201);
    const i8 = recorded.json<{ response: string }>().response;
    expect(i8).toContain('<MessageType>I8</MessageType>');
    expect(responseErrors(i8)).toEqual([]);
    const notYet = await post(
      is.operation('I11', GUARANTEE, OFFICES.GEX, { sequence: 2 }),
      officers.GE!,
    );
    expect(notYet.statusCode).toBe(409);
    expect(notYet.body).toContain('213 Operation not yet started');
  });

  it('plays the operation: notify, start, terminate, discharge in each country, each applied once when relayed twice', async () => {
    const steps: [Parameters<EtirInternationalSystem['operation']>, Caller, string][] = [
      [['I15', GUARANTEE, OFFICES.GE], officers.GE!, 'I16'],
      [['I9', GUARANTEE, OFFICES.AZ, { sequence: 1, seals: ['CN778899'] }], officers.AZ!, 'I10'],
      [['I11', GUARANTEE, OFFICES.AZX, { sequence: 1, seals: ['CN778899'] }], officers.AZ!, 'I12'],
      [['I9', GUARANTEE, OFFICES.GE, { sequence: 2 }], officers.GE!, 'I10'],
      [['I11', GUARANTEE, OFFICES.GEX, { sequence: 2 }], officers.GE!, 'I12'],
      [['I13', GUARANTEE, OFFICES.AZ, { sequence: 1 }], officers.AZ!, 'I14'],
      [['I13', GUARANTEE, OFFICES.GEX, { sequence: 2 }], officers.GE!, 'I14'],
    ];
    const states: string[] = [];
    for (const [args, who, responseType] of steps) {
      const xml = is.operation(...args);
      const first = await post(xml, who);
      expect(first.statusCode, first.body).toBe(201);
      const body = first.json<{ state: string; response: string }>();
      expect(body.response).toContain(`<MessageType>${responseType}</MessageType>`);
      expect(responseErrors(body.response)).toEqual([]);
      const again = await post(xml, who);
      expect(again.statusCode).toBe(200);
      expect(again.json<{ response: string }>().response).toBe(body.response);
      states.push(`${args[0]}:${body.state}`);
    }
    expect(states).toEqual([
      'I15:accepted',
      'I9:released',
      'I11:exited',
      'I9:released',
      'I11:exited',
      'I13:discharged',
      'I13:discharged',
    ]);
    expect(await segments(id)).toEqual(['CN:assessed', 'AZ:discharged', 'GE:discharged']);
    // One audit record per lifecycle change (a green lane releases on arrival), naming the system.
    const audit = (await server.database.db.execute(
      sql`select actor, action from customs_audit where declaration_id = ${id} and country = 'GE' order by seq`,
    )) as unknown as { rows: { actor: string; action: string }[] };
    expect(audit.rows.map((r) => `${r.action}:${r.actor}`)).toEqual(
      ['etir_customs_notified', 'assess', 'arrive', 'exit', 'discharge'].map(
        (a) => `${a}:${officers.GE!.organisation.id}/etir`,
      ),
    );
  });

  it('answers a second start (210), a second discharge (212) and a reused message id (299) with the spec’s codes', async () => {
    const again = await post(
      is.operation('I9', GUARANTEE, OFFICES.AZ, { sequence: 1 }),
      officers.AZ!,
    );
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('210 Operation already started');
    const discharged = await post(
      is.operation('I13', GUARANTEE, OFFICES.GE, { sequence: 2 }),
      officers.GE!,
    );
    expect(discharged.statusCode).toBe(409);
    expect(discharged.body).toContain('212 Operation already discharged');
    const xml = is.operation('I15', GUARANTEE, OFFICES.GE);
    expect((await post(xml, officers.GE!)).statusCode).toBe(201);
    const reused = await post(xml.replace(OFFICES.GE, OFFICES.GEX), officers.GE!);
    expect(reused.statusCode, reused.body).toBe(409);
    expect(reused.json<{ errors: unknown[] }>().errors).toEqual([
      { path: 'I15/MessageID', message: '299 Duplicate message' },
    ]);
  });
});

describe('errors answered with code list 99', () => {
  it('names a missing field (101), an unknown guarantee (301) and another country’s operation', async () => {
    const missing = await post(
      is
        .operation('I9', GUARANTEE, OFFICES.AZ, { sequence: 1 })
        .replace(/<Guarantee>.*<\/Guarantee>/, ''),
      officers.AZ!,
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ errors: unknown[] }>().errors).toEqual([
      { path: 'I9/Declaration/Guarantee/ReferenceID', message: '101 Missing field' },
    ]);
    const unknown = await post(
      is.operation('I9', 'XK99999999', OFFICES.AZ, { sequence: 1 }),
      officers.AZ!,
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ errors: unknown[] }>().errors).toEqual([
      { path: 'I9/Declaration/Guarantee/ReferenceID', message: '301 Guarantee not found' },
    ]);
    const other = await post(is.operation('I15', GUARANTEE, OFFICES.GE), officers.AZ!);
    expect(other.statusCode).toBe(404);
    const notXml = await post(
      '<etir:I9 xmlns:etir="urn:corridor:etir:4.3"><MessageID>',
      officers.AZ!,
    );
    expect(notXml.statusCode).toBe(400);
  });

  it('sends an amendment as E11, which the international system takes as the same transport; its rejection is recorded', async () => {
    const id = await lodge(declaration('LRN-ETIR-2', 'XK22222222'));
    const e9 = (await outbox('AZ')).find((m) => m.declarationId === id)!;
    expect(is.receive(e9.body).errors).toEqual([]);
    const amended = await server.app.inject({
      method: 'PUT',
      url: `/v1/customs/declarations/${id}`,
      headers: shipper.headers,
      payload: declaration('LRN-ETIR-2', 'XK22222222', 'Mobile phones and chargers'),
    });
    expect(amended.statusCode, amended.body).toBe(200);
    const e11 = (await outbox('AZ')).find(
      (m) => m.declarationId === id && m.messageType === 'E11',
    )!;
    expect(e11.body).toContain('Mobile phones and chargers');
    expect(is.receive(e11.body).errors).toEqual([]);
    expect(is.transports.get('XK22222222')!.amendments).toBe(1);
    // An E11 without its holder, as a broken sender would send it: 101 with the pointer.
    const broken = is.receive(
      e11.body.replace(/<Holder>[\s\S]*?<\/Holder>/, '').replace(e11.id, 'other-id'),
    );
    expect(broken.errors).toContainEqual({ code: '101', pointer: 'E11/Declaration/Holder/ID' });
    const recorded = await post(broken.xml.replace('other-id', e11.id), officers.AZ!);
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect(recorded.json<{ applied: string[] }>().applied).toEqual(['etir_advance_data_rejected']);
  });
});
