import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pkcs12Of } from '../support/pkcs12.ts';
import {
  callersOf,
  manualClock,
  organisationWithPeople,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';

/** An organisation's admin uploads its own signing certificate (PKCS #12) over HTTP. */
const clock = manualClock(new Date('2026-12-01T09:00:00Z'));
let server: TestServer;
let admin: Caller;
let member: Caller;
let otherAdmin: Caller;
const NAME = 'Xian Silk Road Forwarding';

beforeAll(async () => {
  server = await testServer(undefined, clock);
  const org = await organisationWithPeople(server, {
    name: NAME,
    kind: 'forwarder',
    country: 'CN',
  });
  const callers = await callersOf(server, org);
  admin = callers.find((c) => c.role === 'admin')!;
  member = callers.find((c) => c.role === 'member')!;
  const other = await organisationWithPeople(server, {
    name: 'Baku Freight',
    kind: 'forwarder',
    country: 'AZ',
  });
  otherAdmin = (await callersOf(server, other)).find((c) => c.role === 'admin')!;
});
afterAll(() => server.close());

const url = () => `/v1/organisations/${admin.organisation.id}/signing-certificate`;
const upload = (payload: unknown, who = admin) =>
  server.app.inject({
    method: 'PUT',
    url: url(),
    headers: who.headers,
    payload: payload as object,
  });
const base64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

describe('the signing certificate upload', () => {
  it("shows the certificate the platform's authority issued, then takes the organisation's own in its place", async () => {
    const issued = await server.app.inject({ method: 'GET', url: url(), headers: admin.headers });
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.json()).toMatchObject({ source: 'issued', organization: NAME });
    const res = await upload({
      pkcs12: base64(pkcs12Of(NAME, 'open sesame', clock.now())),
      password: 'open sesame',
    });
    expect(res.statusCode, res.body).toBe(200);
    const own = res.json<{
      fingerprint: string;
      source: string;
      commonName: string;
      chainPem: string;
    }>();
    expect(own).toMatchObject({ source: 'uploaded', commonName: NAME });
    expect(own.chainPem).toContain('-----BEGIN CERTIFICATE-----');
    const now = await server.app.inject({ method: 'GET', url: url(), headers: admin.headers });
    expect(now.json<{ fingerprint: string }>().fingerprint).toBe(own.fingerprint);
    expect(own.fingerprint).not.toBe(issued.json<{ fingerprint: string }>().fingerprint);
  });

  it('names the field: a wrong password, a file that is not PKCS #12, not base64, another organisation’s certificate', async () => {
    const p12 = base64(pkcs12Of(NAME, 'right', clock.now()));
    const cases: [unknown, string, RegExp][] = [
      [{ pkcs12: p12, password: 'wrong' }, 'body.password', /password does not open/],
      [
        { pkcs12: base64(new TextEncoder().encode('not a certificate')), password: 'x' },
        'body.pkcs12',
        /PKCS #12/,
      ],
      [{ pkcs12: '***', password: 'x' }, 'body.pkcs12', /base64/],
      [{ pkcs12: p12 }, 'body.password', /./],
      [
        { pkcs12: base64(pkcs12Of('Qingdao Jiaozhou Logistics', 'p', clock.now())), password: 'p' },
        'body.pkcs12',
        /issued to Qingdao Jiaozhou Logistics/,
      ],
    ];
    for (const [payload, path, message] of cases) {
      const res = await upload(payload);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const error = res.json<{ errors: { path: string; message: string }[] }>().errors[0]!;
      expect(error.path).toBe(path);
      expect(error.message).toMatch(message);
    }
  });

  it("is for the organisation's admins only", async () => {
    const p12 = { pkcs12: base64(pkcs12Of(NAME, 'p', clock.now())), password: 'p' };
    expect((await upload(p12, member)).statusCode).toBe(403);
    // Another organisation's admin does not learn that the organisation exists.
    expect((await upload(p12, otherAdmin)).statusCode).toBe(404);
    const read = await server.app.inject({
      method: 'GET',
      url: url(),
      headers: otherAdmin.headers,
    });
    expect(read.statusCode).toBe(404);
  });
});
