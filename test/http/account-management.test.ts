import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { runCapturing } from '../support/cli.ts';
import { createUser } from '../../src/app/manage-accounts.ts';
import { organisationWithPeople, signIn, testServer, type TestServer } from '../support/server.ts';

/**
 * Disabling, removing, password resets and sessions of users, tried as the organisation's admin,
 * its members, another organisation's admin and a platform admin.
 */
let server: TestServer;
let orgA: Awaited<ReturnType<typeof organisationWithPeople>>;
let orgB: Awaited<ReturnType<typeof organisationWithPeople>>;
let adminA: Record<string, string>;
let memberA: Record<string, string>;
let adminB: Record<string, string>;
let platformAdmin: Record<string, string>;
let memberAId: string;

beforeAll(async () => {
  server = await testServer();
  orgA = await organisationWithPeople(server, {
    name: 'Alpha Rail',
    kind: 'carrier',
    country: 'KZ',
  });
  orgB = await organisationWithPeople(server, {
    name: 'Beta Freight',
    kind: 'forwarder',
    country: 'AZ',
  });
  const platform = await organisationWithPeople(server, {
    name: 'Operator',
    kind: 'platform',
    country: 'GE',
  });
  adminA = await signIn(server.app, orgA.people[0]!.email, orgA.people[0]!.password);
  memberA = await signIn(server.app, orgA.people[1]!.email, orgA.people[1]!.password);
  adminB = await signIn(server.app, orgB.people[0]!.email, orgB.people[0]!.password);
  platformAdmin = await signIn(server.app, platform.people[0]!.email, platform.people[0]!.password);
  const users = await server.accounts.stores.users.listByOrganisation(orgA.organisation.id);
  memberAId = users.find((u) => u.role === 'member')!.id;
});
afterAll(async () => server?.close());

const usersUrl = () => `/v1/organisations/${orgA.organisation.id}/users`;

async function newUser(orgId: string, role: 'admin' | 'member', label: string) {
  const email = `${label}.${orgId}@test.example`;
  const { user, password } = await createUser(server.accounts, undefined, orgId, {
    email,
    name: label,
    role,
  });
  return { user, email, password: password! };
}

async function me(headers: Record<string, string>) {
  return (await server.app.inject({ method: 'GET', url: '/v1/auth/me', headers })).statusCode;
}

async function withKey(key: string) {
  return (
    await server.app.inject({
      method: 'GET',
      url: '/v1/organisations',
      headers: { authorization: `Bearer ${key}` },
    })
  ).statusCode;
}

async function login(email: string, password: string) {
  return (
    await server.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password },
    })
  ).statusCode;
}

describe('who may manage a user', () => {
  it('refuses another organisation’s admin and the organisation’s members, leaking nothing', async () => {
    const target = `${usersUrl()}/${memberAId}`;
    const attempts = [
      { method: 'PATCH' as const, url: target, payload: { disabled: true } },
      { method: 'DELETE' as const, url: target },
      { method: 'POST' as const, url: `${target}/password` },
      { method: 'GET' as const, url: `${target}/sessions` },
      { method: 'DELETE' as const, url: `${target}/sessions` },
    ];
    for (const [who, headers, status] of [
      ['admin of B', adminB, 404],
      ['member of A', memberA, 403],
    ] as const) {
      for (const a of attempts) {
        const res = await server.app.inject({ ...a, headers });
        expect(res.statusCode, `${who} ${a.method} ${a.url}`).toBe(status);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body).not.toContain(orgA.people[1]!.email);
      }
    }
    // B's admin cannot reach A's user through B's own organisation either.
    const viaB = await server.app.inject({
      method: 'PATCH',
      url: `/v1/organisations/${orgB.organisation.id}/users/${memberAId}`,
      headers: adminB,
      payload: { disabled: true },
    });
    expect(viaB.statusCode).toBe(404);
    expect(await me(memberA)).toBe(200);
    expect(await login(orgA.people[1]!.email, orgA.people[1]!.password)).toBe(200);
  });

  it('lets a platform admin disable and enable any organisation’s user', async () => {
    const { user, email, password } = await newUser(orgB.organisation.id, 'member', 'pa-target');
    const url = `/v1/organisations/${orgB.organisation.id}/users/${user.id}`;
    const off = await server.app.inject({
      method: 'PATCH',
      url,
      headers: platformAdmin,
      payload: { disabled: true },
    });
    expect(off.statusCode).toBe(200);
    expect(off.json<{ disabled: boolean }>().disabled).toBe(true);
    expect(await login(email, password)).toBe(401);
    const on = await server.app.inject({
      method: 'PATCH',
      url,
      headers: platformAdmin,
      payload: { disabled: false },
    });
    expect(on.json<{ disabled: boolean }>().disabled).toBe(false);
    expect(await login(email, password)).toBe(200);
  });
});

describe('disabling a user', () => {
  it('ends its sessions and stops its API keys, also keys issued with its keys, at once', async () => {
    const { user, email, password } = await newUser(orgA.organisation.id, 'admin', 'keymaker');
    const session = await signIn(server.app, email, password);
    const issued = await server.app.inject({
      method: 'POST',
      url: `/v1/organisations/${orgA.organisation.id}/api-keys`,
      headers: session,
      payload: { name: 'own key', role: 'admin' },
    });
    expect(issued.statusCode).toBe(201);
    const key = issued.json<{ key: string }>().key;
    const chained = await server.app.inject({
      method: 'POST',
      url: `/v1/organisations/${orgA.organisation.id}/api-keys`,
      headers: { authorization: `Bearer ${key}` },
      payload: { name: 'key issued with a key', role: 'admin' },
    });
    expect(chained.statusCode).toBe(201);
    const chainedKey = chained.json<{ key: string; apiKey: { createdBy: string } }>();
    expect(chainedKey.apiKey.createdBy).toBe(user.id);
    expect(await withKey(key)).toBe(200);

    const res = await server.app.inject({
      method: 'PATCH',
      url: `${usersUrl()}/${user.id}`,
      headers: adminA,
      payload: { disabled: true },
    });
    expect(res.statusCode).toBe(200);
    expect(await me(session)).toBe(401);
    expect(await withKey(key)).toBe(401);
    expect(await withKey(chainedKey.key)).toBe(401);
    expect(await login(email, password)).toBe(401);

    const audit = await server.app.inject({
      method: 'GET',
      url: `/v1/audit?organisationId=${orgA.organisation.id}`,
      headers: adminA,
    });
    const entry = audit
      .json<{ entries: { action: string; target: string; detail: { sessionsEnded: number } }[] }>()
      .entries.find((e) => e.action === 'user.disable' && e.target === user.id);
    expect(entry?.detail.sessionsEnded).toBe(1);

    // Enabled again: keys work again; the ended session stays ended.
    await server.app.inject({
      method: 'PATCH',
      url: `${usersUrl()}/${user.id}`,
      headers: adminA,
      payload: { disabled: false },
    });
    expect(await withKey(key)).toBe(200);
    expect(await me(session)).toBe(401);
  });
});

describe('removing a user', () => {
  it('ends its sessions and revokes its keys; it is gone', async () => {
    const { user, email, password } = await newUser(orgA.organisation.id, 'admin', 'leaver');
    const session = await signIn(server.app, email, password);
    const issued = await server.app.inject({
      method: 'POST',
      url: `/v1/organisations/${orgA.organisation.id}/api-keys`,
      headers: session,
      payload: { name: 'leaver key' },
    });
    const { key, apiKey } = issued.json<{ key: string; apiKey: { id: string } }>();
    const res = await server.app.inject({
      method: 'DELETE',
      url: `${usersUrl()}/${user.id}`,
      headers: adminA,
    });
    expect(res.statusCode).toBe(204);
    expect(await me(session)).toBe(401);
    expect(await withKey(key)).toBe(401);
    expect(await login(email, password)).toBe(401);
    const keys = await server.app.inject({
      method: 'GET',
      url: `/v1/organisations/${orgA.organisation.id}/api-keys`,
      headers: adminA,
    });
    const listed = keys
      .json<{ apiKeys: { id: string; revokedAt: string | null }[] }>()
      .apiKeys.find((k) => k.id === apiKey.id);
    expect(listed?.revokedAt).not.toBeNull();
    const again = await server.app.inject({
      method: 'DELETE',
      url: `${usersUrl()}/${user.id}`,
      headers: adminA,
    });
    expect(again.statusCode).toBe(404);
  });
});

describe('the last admin and oneself', () => {
  it('refuses to disable or remove oneself or the last active admin of an organisation', async () => {
    const solo = await organisationWithPeople(server, {
      name: 'Solo',
      kind: 'shipper',
      country: 'CN',
    });
    const soloAdmin = await signIn(server.app, solo.people[0]!.email, solo.people[0]!.password);
    const adminId = (await server.accounts.stores.users.listByEmail(solo.people[0]!.email))[0]!.user
      .id;
    const url = `/v1/organisations/${solo.organisation.id}/users/${adminId}`;
    for (const headers of [soloAdmin, platformAdmin]) {
      const off = await server.app.inject({
        method: 'PATCH',
        url,
        headers,
        payload: { disabled: true },
      });
      expect(off.statusCode).toBe(409);
      const gone = await server.app.inject({ method: 'DELETE', url, headers });
      expect(gone.statusCode).toBe(409);
    }
    // With a second admin the platform admin may, but the admin still cannot remove itself.
    await newUser(solo.organisation.id, 'admin', 'second');
    expect(
      (await server.app.inject({ method: 'DELETE', url, headers: soloAdmin })).statusCode,
    ).toBe(409);
    expect(await me(soloAdmin)).toBe(200);
    const byPlatform = await server.app.inject({
      method: 'PATCH',
      url,
      headers: platformAdmin,
      payload: { disabled: true },
    });
    expect(byPlatform.statusCode).toBe(200);
    expect(await me(soloAdmin)).toBe(401);
  });
});

describe('password resets and sessions', () => {
  it('gives a new password once: it works, the old one does not, sessions end', async () => {
    const { user, email, password } = await newUser(orgA.organisation.id, 'member', 'forgetful');
    const session = await signIn(server.app, email, password);
    const res = await server.app.inject({
      method: 'POST',
      url: `${usersUrl()}/${user.id}/password`,
      headers: adminA,
    });
    expect(res.statusCode).toBe(200);
    const fresh = res.json<{ password: string }>().password;
    expect(fresh).not.toBe(password);
    expect(await me(session)).toBe(401);
    expect(await login(email, password)).toBe(401);
    expect(await login(email, fresh)).toBe(200);
  });

  it('lists a user’s sessions and ends one or all', async () => {
    const { user, email, password } = await newUser(orgA.organisation.id, 'member', 'travelling');
    const first = await signIn(server.app, email, password);
    const second = await signIn(server.app, email, password);
    const url = `${usersUrl()}/${user.id}/sessions`;
    const list = await server.app.inject({ method: 'GET', url, headers: adminA });
    const sessions = list.json<{ sessions: { id: string }[] }>().sessions;
    expect(sessions).toHaveLength(2);
    const ended = await server.app.inject({
      method: 'DELETE',
      url: `${url}/${sessions[0]!.id}`,
      headers: adminA,
    });
    expect(ended.statusCode).toBe(204);
    expect([await me(first), await me(second)].sort()).toEqual([200, 401]);
    expect(
      (
        await server.app.inject({
          method: 'DELETE',
          url: `${url}/${sessions[0]!.id}`,
          headers: adminA,
        })
      ).statusCode,
    ).toBe(404);
    const all = await server.app.inject({ method: 'DELETE', url, headers: adminA });
    expect(all.statusCode).toBe(204);
    expect([await me(first), await me(second)]).toEqual([401, 401]);
    const empty = await server.app.inject({ method: 'GET', url, headers: adminA });
    expect(empty.json<{ sessions: unknown[] }>().sessions).toEqual([]);
  });
});

describe('bad input', () => {
  it('answers 400 problem+json naming the field', async () => {
    for (const [req, path] of [
      [
        { method: 'PATCH', url: `${usersUrl()}/${memberAId}`, payload: { disabled: 'yes' } },
        'body.disabled',
      ],
      [{ method: 'PATCH', url: `${usersUrl()}/${memberAId}`, payload: {} }, 'body.disabled'],
      [
        { method: 'PATCH', url: `${usersUrl()}/not-an-id`, payload: { disabled: true } },
        'params.userId',
      ],
      [{ method: 'DELETE', url: `${usersUrl()}/${memberAId}/sessions/XYZ` }, 'params.sessionId'],
    ] as const) {
      const res = await server.app.inject({ ...req, headers: adminA });
      expect(res.statusCode, `${req.method} ${req.url}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(path);
    }
  });
});

describe('corridor admin', () => {
  it('disables, enables and removes a user and ends its sessions by e-mail', async () => {
    const { email, password } = await newUser(orgB.organisation.id, 'member', 'cli-target');
    const session = await signIn(server.app, email, password);
    const io = { accounts: async () => ({ deps: server.accounts, close: async () => undefined }) };
    const listed = await runCapturing(['admin', 'sessions', email], io);
    expect(listed.stdout).toMatch(/^[0-9a-f]{16} {2}since /);
    expect((await runCapturing(['admin', 'disable-user', email], io)).code).toBe(0);
    expect(await me(session)).toBe(401);
    expect(await login(email, password)).toBe(401);
    expect((await runCapturing(['admin', 'enable-user', email], io)).code).toBe(0);
    const again = await signIn(server.app, email, password);
    expect((await runCapturing(['admin', 'end-sessions', email], io)).stdout).toBe(
      `ended 1 session(s) of ${email}`,
    );
    expect(await me(again)).toBe(401);
    expect((await runCapturing(['admin', 'remove-user', email], io)).code).toBe(0);
    expect(await login(email, password)).toBe(401);
    const unknown = await runCapturing(['admin', 'disable-user', email], io);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain(`no user has the e-mail ${email}`);
  });
});

describe('keys issued with a key before keys named their user', () => {
  it('are given the user behind the first key by the migration, and stop with that user', async () => {
    const { user, email, password } = await newUser(orgA.organisation.id, 'admin', 'legacy');
    const session = await signIn(server.app, email, password);
    const first = await server.app.inject({
      method: 'POST',
      url: `/v1/organisations/${orgA.organisation.id}/api-keys`,
      headers: session,
      payload: { name: 'first', role: 'admin' },
    });
    const firstId = first.json<{ apiKey: { id: string } }>().apiKey.id;
    // As such keys were stored: the issuing key's id as createdBy, two levels deep.
    const keys = server.accounts.stores.apiKeys;
    const legacy = async (name: string, createdBy: string) => {
      const id = server.accounts.secrets.id('key');
      const key = `ck_${server.accounts.secrets.token(32)}`;
      await keys.create(
        {
          id,
          organisationId: orgA.organisation.id,
          name,
          prefix: key.slice(0, 10),
          role: 'admin',
          createdBy,
          createdAt: new Date(),
          lastUsedAt: null,
          revokedAt: null,
        },
        server.accounts.secrets.hash(key),
      );
      return { id, key };
    };
    const second = await legacy('second', firstId);
    const third = await legacy('third', second.id);
    expect(await withKey(third.key)).toBe(200);
    const migration = readFileSync(
      fileURLToPath(new URL('../../drizzle/0021_api_key_owners.sql', import.meta.url)),
      'utf8',
    );
    await server.database.db.execute(sql.raw(migration));
    const owners = (await keys.listByOrganisation(orgA.organisation.id)).filter((k) =>
      [second.id, third.id].includes(k.id),
    );
    expect(owners.map((k) => k.createdBy)).toEqual([user.id, user.id]);
    await server.app.inject({
      method: 'PATCH',
      url: `${usersUrl()}/${user.id}`,
      headers: adminA,
      payload: { disabled: true },
    });
    expect(await withKey(second.key)).toBe(401);
    expect(await withKey(third.key)).toBe(401);
  });
});

describe('two admins at once', () => {
  it('cannot disable each other both: one of them stays active', async () => {
    const pair = await organisationWithPeople(server, {
      name: 'Pair',
      kind: 'shipper',
      country: 'KZ',
    });
    const other = await newUser(pair.organisation.id, 'admin', 'other-admin');
    const first = await signIn(server.app, pair.people[0]!.email, pair.people[0]!.password);
    const second = await signIn(server.app, other.email, other.password);
    const firstId = (await server.accounts.stores.users.listByEmail(pair.people[0]!.email))[0]!.user
      .id;
    const url = (id: string) => `/v1/organisations/${pair.organisation.id}/users/${id}`;
    const answers = await Promise.all([
      server.app.inject({
        method: 'PATCH',
        url: url(other.user.id),
        headers: first,
        payload: { disabled: true },
      }),
      server.app.inject({
        method: 'PATCH',
        url: url(firstId),
        headers: second,
        payload: { disabled: true },
      }),
    ]);
    // The loser is refused, or signed out first by the winner's change.
    const codes = answers.map((r) => r.statusCode).sort();
    expect(codes[0]).toBe(200);
    expect([401, 409]).toContain(codes[1]);
    const admins = (
      await server.accounts.stores.users.listByOrganisation(pair.organisation.id)
    ).filter((u) => u.role === 'admin' && !u.disabled);
    expect(admins).toHaveLength(1);
  });

  it('lets only one of two simultaneous store changes take the last other admin', async () => {
    const pair = await organisationWithPeople(server, {
      name: 'Race',
      kind: 'shipper',
      country: 'AZ',
    });
    const other = await newUser(pair.organisation.id, 'admin', 'racer');
    const users = server.accounts.stores.users;
    const firstId = (await users.listByEmail(pair.people[0]!.email))[0]!.user.id;
    const results = await Promise.all([
      users.setDisabled(firstId, true),
      users.delete(other.user.id, new Date()),
    ]);
    expect(results.filter((r) => r === true || (r !== false && r !== undefined))).toHaveLength(1);
    const admins = (await users.listByOrganisation(pair.organisation.id)).filter(
      (u) => u.role === 'admin' && !u.disabled,
    );
    expect(admins).toHaveLength(1);
  });
});

describe('one e-mail address in several organisations', () => {
  const addUser = (headers: Record<string, string>, email: string, name: string) =>
    server.app.inject({
      method: 'POST',
      url: usersUrl(),
      headers,
      payload: { email, name, role: 'member' },
    });
  const loginAs = (email: string, password: string, organisation?: string) =>
    server.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password, ...(organisation === undefined ? {} : { organisation }) },
    });
  /** An answer without what differs from one request to the next. */
  const shape = (res: Awaited<ReturnType<typeof addUser>>) => {
    const body = res.json<{ user: Record<string, unknown>; password: string }>();
    return {
      status: res.statusCode,
      keys: Object.keys(body).sort(),
      userKeys: Object.keys(body.user).sort(),
      organisationId: body.user.organisationId,
      passwordLength: body.password.length,
    };
  };

  it('lets an admin add an address another organisation has, answered as a fresh one', async () => {
    const held = 'held.address@test.example';
    const inBPassword = 'the password of the address in beta';
    await createUser(server.accounts, undefined, orgB.organisation.id, {
      email: held,
      name: 'Holder in Beta',
      role: 'member',
      password: inBPassword,
    });
    const taken = await addUser(adminA, held.toUpperCase(), 'Holder in Alpha');
    const fresh = await addUser(adminA, `fresh.${orgA.organisation.id}@test.example`, 'Fresh');
    expect(shape(taken)).toEqual(shape(fresh));
    expect(shape(taken)).toMatchObject({ status: 201, organisationId: orgA.organisation.id });
    const told = taken.body.toLowerCase();
    expect(told).not.toContain(orgB.organisation.id.toLowerCase());
    expect(told).not.toContain('beta');
    // Each account's password reaches its own organisation.
    const inA = await loginAs(held, taken.json<{ password: string }>().password);
    const inB = await loginAs(held, inBPassword);
    expect([inA.statusCode, inA.json<{ organisation: { id: string } }>().organisation.id]).toEqual([
      200,
      orgA.organisation.id,
    ]);
    expect([inB.statusCode, inB.json<{ organisation: { id: string } }>().organisation.id]).toEqual([
      200,
      orgB.organisation.id,
    ]);
    // Naming the other organisation with a password of this one opens nothing.
    expect((await loginAs(held, orgB.people[0]!.password, orgA.organisation.name)).statusCode).toBe(
      401,
    );
  });

  it('refuses the same address twice in one organisation, in any case', async () => {
    const email = `twice.${orgA.organisation.id}@test.example`;
    expect((await addUser(adminA, email, 'First')).statusCode).toBe(201);
    const again = await addUser(adminA, email.toUpperCase(), 'Second');
    expect([again.statusCode, again.json<{ errors: unknown }>().errors]).toEqual([
      409,
      [{ path: 'body.email', message: 'already a user of this organisation' }],
    ]);
  });

  it('asks which organisation when the address and password open several, telling only then', async () => {
    const email = 'shared.desk@test.example';
    const password = 'one password for two desks';
    for (const org of [orgA, orgB])
      await createUser(server.accounts, undefined, org.organisation.id, {
        email,
        name: 'Shared desk',
        role: 'member',
        password,
      });
    const ask = await loginAs(email, password);
    expect(ask.statusCode).toBe(400);
    const problem = ask.json<{
      errors: { path: string }[];
      organisations: { id: string; name: string }[];
    }>();
    expect(problem.errors.map((e) => e.path)).toEqual(['body.organisation']);
    expect(problem.organisations.map((o) => o.name).sort()).toEqual(['Alpha Rail', 'Beta Freight']);
    expect(ask.cookies.find((c) => c.name === 'corridor_session')).toBeUndefined();
    // A wrong password is told nothing of the organisations.
    const wrong = await loginAs(email, 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toMatch(/alpha|beta|org_/i);
    const byName = await loginAs(email, password, 'alpha rail');
    expect(byName.json<{ organisation: { id: string } }>().organisation.id).toBe(
      orgA.organisation.id,
    );
    const byId = await loginAs(email, password, orgB.organisation.id);
    expect(byId.json<{ organisation: { id: string } }>().organisation.id).toBe(
      orgB.organisation.id,
    );
    expect((await loginAs(email, password, 'Operator')).statusCode).toBe(401);
  });

  it('has corridor admin name the organisation when several have the address', async () => {
    const email = 'operator.desk@test.example';
    for (const org of [orgA, orgB])
      await createUser(server.accounts, undefined, org.organisation.id, {
        email,
        name: 'Operator desk',
        role: 'member',
      });
    const io = { accounts: async () => ({ deps: server.accounts, close: async () => undefined }) };
    const ambiguous = await runCapturing(['admin', 'reset-password', email], io);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr.trim().split('\n')).toHaveLength(1);
    expect(ambiguous.stderr).toMatch(/^error: --organisation: users of 2 organisations/);
    for (const org of [orgA, orgB])
      expect(ambiguous.stderr).toContain(`${org.organisation.name} (${org.organisation.id})`);
    const reset = await runCapturing(
      ['admin', 'reset-password', email, '--organisation', 'Beta Freight'],
      io,
    );
    expect(reset.code).toBe(0);
    const password = /\(shown once\): (\S+)/.exec(reset.stdout)![1]!;
    const signedIn = await loginAs(email, password);
    expect(signedIn.json<{ organisation: { id: string } }>().organisation.id).toBe(
      orgB.organisation.id,
    );
    const disabled = await runCapturing(
      ['admin', 'disable-user', email, '--organisation', orgA.organisation.id],
      io,
    );
    expect(disabled.code).toBe(0);
    expect((await loginAs(email, password)).statusCode).toBe(200);
  });
});
