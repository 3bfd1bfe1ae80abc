import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createUser } from '../../src/app/manage-accounts.ts';
import {
  callersOf,
  organisationWithPeople,
  signIn,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';

/**
 * Every organisation-scoped endpoint, tried as every role of every other organisation (by
 * session and by API key): the answer is 403 or 404 and never carries the target's data.
 */
let server: TestServer;
let target: Awaited<ReturnType<typeof organisationWithPeople>>;
let targetKeyId: string;
let outsiders: Caller[];
const secrets: string[] = [];

beforeAll(async () => {
  server = await testServer();
  target = await organisationWithPeople(server, {
    name: 'Target Rail Co',
    kind: 'carrier',
    country: 'KZ',
    services: ['SVC_XIAN_BAKU_BLOCK'],
  });
  const { apiKey } = await createApiKey(server.accounts, undefined, target.organisation.id, {
    name: 'target feed',
  });
  targetKeyId = apiKey.id;
  secrets.push('Target Rail Co', ...target.people.map((p) => p.email), apiKey.prefix);
  outsiders = [];
  for (const input of [
    {
      name: 'Other Carrier',
      kind: 'carrier' as const,
      country: 'AZ',
      services: ['SVC_FEEDER_AKTAU_ALAT'],
    },
    { name: 'Some Shipper', kind: 'shipper' as const, country: 'CN' },
    {
      name: 'Some Customs',
      kind: 'customs' as const,
      country: 'GE',
      customsOffices: [{ code: 'GEPTI007', name: 'Poti' }],
    },
    { name: 'Council', kind: 'coordinator' as const, country: 'KZ' },
  ]) {
    outsiders.push(...(await callersOf(server, await organisationWithPeople(server, input))));
  }
  // The platform operator's ordinary members are outsiders too: only its admins see everyone.
  const platform = await organisationWithPeople(server, {
    name: 'Platform',
    kind: 'platform',
    country: 'AZ',
  });
  const member = platform.people.find((p) => p.role === 'member')!;
  outsiders.push({
    label: 'platform member (session)',
    organisation: platform.organisation,
    role: 'member',
    headers: await signIn(server.app, member.email, member.password),
  });
  const { key } = await createApiKey(server.accounts, undefined, platform.organisation.id, {
    name: 'platform member key',
    role: 'member',
  });
  outsiders.push({
    label: 'platform member (API key)',
    organisation: platform.organisation,
    role: 'member',
    headers: { authorization: `Bearer ${key}` },
  });
});
afterAll(() => server.close());

const endpoints = () => {
  const org = target.organisation.id;
  return [
    { method: 'GET' as const, url: `/v1/organisations/${org}` },
    { method: 'PATCH' as const, url: `/v1/organisations/${org}`, payload: { autoConfirm: true } },
    { method: 'GET' as const, url: `/v1/organisations/${org}/users` },
    {
      method: 'POST' as const,
      url: `/v1/organisations/${org}/users`,
      payload: { email: 'intruder@test.example', name: 'Intruder', role: 'admin' },
    },
    { method: 'GET' as const, url: `/v1/organisations/${org}/api-keys` },
    {
      method: 'POST' as const,
      url: `/v1/organisations/${org}/api-keys`,
      payload: { name: 'stolen', role: 'admin' },
    },
    { method: 'DELETE' as const, url: `/v1/organisations/${org}/api-keys/${targetKeyId}` },
  ];
};

describe('tenant isolation', () => {
  it('refuses every organisation endpoint to every role of every other organisation', async () => {
    let tried = 0;
    for (const caller of outsiders) {
      for (const e of endpoints()) {
        const res = await server.app.inject({ ...e, headers: caller.headers });
        tried++;
        expect([403, 404], `${caller.label}: ${e.method} ${e.url} -> ${res.statusCode}`).toContain(
          res.statusCode,
        );
        for (const s of secrets)
          expect(res.body, `${caller.label}: ${e.method} ${e.url}`).not.toContain(s);
      }
    }
    expect(tried).toBe(outsiders.length * 7);
    // carrier, shipper and council: admin, member, key; customs adds an officer; platform member twice.
    expect(outsiders.length).toBe(15);
  });

  it("lists only the caller's own organisation", async () => {
    for (const caller of outsiders) {
      const res = await server.app.inject({ url: '/v1/organisations', headers: caller.headers });
      expect(res.statusCode).toBe(200);
      const orgs = (res.json() as { organisations: { id: string }[] }).organisations;
      expect(
        orgs.map((o) => o.id),
        caller.label,
      ).toEqual([caller.organisation.id]);
    }
  });

  it('changed nothing in the target organisation', async () => {
    const users = await server.accounts.stores.users.listByOrganisation(target.organisation.id);
    expect(users.map((u) => u.email).sort()).toEqual(target.people.map((p) => p.email).sort());
    const keys = await server.accounts.stores.apiKeys.listByOrganisation(target.organisation.id);
    expect(keys.map((k) => [k.name, k.revokedAt])).toEqual([['target feed', null]]);
    expect(
      (await server.accounts.stores.organisations.find(target.organisation.id))!.autoConfirm,
    ).toBe(false);
  });

  it('lets the target organisation in, as a control', async () => {
    const [admin] = await callersOf(server, target);
    for (const e of endpoints().filter((x) => x.method === 'GET')) {
      const res = await server.app.inject({ ...e, headers: admin!.headers });
      expect(res.statusCode, e.url).toBe(200);
    }
    await createUser(server.accounts, undefined, target.organisation.id, {
      email: 'control@test.example',
      name: 'c',
      role: 'member',
    });
  });

  it('refuses anonymous callers with 401', async () => {
    for (const e of endpoints()) {
      const res = await server.app.inject(e);
      expect(res.statusCode, `${e.method} ${e.url}`).toBe(401);
    }
  });
});
