import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The real `corridor serve` process on the embedded database: first start with demo data,
 * the data-directory lock, graceful shutdown on SIGTERM, restart, configuration errors.
 */
const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/corridor.js');
const dataDir = mkdtempSync(join(tmpdir(), 'corridor-serve-'));
const env = { ...process.env, CORRIDOR_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
const running: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  exited: Promise<number | null>;
}

/** Starts `corridor serve` and waits for the line with its URL. */
function serve(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { env });
  running.push(child);
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 60 s:\n${out}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Corridor is serving (http:\/\/localhost:\d+)/.exec(out);
      if (m) {
        // Let the credentials that follow arrive too.
        setTimeout(() => {
          clearTimeout(timer);
          resolve({ child, url: m[1]!, stdout: () => out, exited });
        }, 300);
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited before serving:\n${out}`));
    });
  });
}

afterAll(() => {
  for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('corridor serve', () => {
  let first: Started;
  let password: string;

  it('starts with demo data and prints how to sign in, once', async () => {
    first = await serve(['--demo']);
    const out = first.stdout();
    expect(out).toContain(`Database: embedded PGlite in ${dataDir}`);
    // In this order: the address to open, the accounts by organisation kind, a lost password.
    const lines = out.split('\n');
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const order = [
      at(new RegExp(`^Open ${first.url.replace(/[.]/g, '\\.')} in a browser`)),
      at(/^Shippers$/),
      at(/^ {2}admin@haixing-export\.example\s+\S+\s+Qingdao Haixing/),
      at(/^Forwarders$/),
      at(/^Carriers$/),
      at(/^ {2}admin@ktz-express\.example\s+\S+\s+KTZ Express$/),
      at(/^Customs officers$/),
      at(/^ {2}officer@customs-cn\.example\s+\S+\s+General Administration of Customs of China$/),
      at(/^Council$/),
      at(/^FEZ providers$/),
      at(/^ {2}admin@alat-fez-services\.example /),
      at(/corridor admin reset-password EMAIL/),
    ];
    expect(
      order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!)),
      out,
    ).toBe(true);
    expect(out).not.toContain('POST /v1/auth/login');
    const m = /^ {2}admin@ktz-express\.example\s+(\S+)\s+KTZ Express$/m.exec(out);
    expect(m).not.toBeNull();
    password = m![1]!;
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    const login = await fetch(`${first.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@ktz-express.example', password }),
    });
    expect(login.status).toBe(200);
    expect(
      ((await login.json()) as { organisation: { services: string[] } }).organisation.services,
    ).toContain('SVC_XIAN_BAKU_BLOCK');
  }, 90_000);

  it('refuses a second process on the same data directory with a clear message', async () => {
    const second = await exec(process.execPath, [BIN, 'serve', '--port', '0'], { env }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(second).toMatchObject({ code: 1 });
    expect((second as { stderr: string }).stderr).toContain(
      `the data directory ${dataDir} is in use by process ${first.child.pid}`,
    );
  });

  it('finishes the request in flight on SIGTERM, closes the database and exits 0', async () => {
    const inFlight = fetch(`${first.url}/v1/timetable?from=2026-12-01&days=92`);
    await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { count: number }).count).toBeGreaterThan(1000);
    expect(await first.exited).toBe(0);
    expect(existsSync(join(dataDir, 'corridor.lock'))).toBe(false);
  });

  it('restarts on the same data without new demo passwords; the old ones still work', async () => {
    const again = await serve(['--demo']);
    expect(again.stdout()).toContain('Demo data is already in this database');
    expect(again.stdout()).not.toMatch(/admin@ktz-express\.example\s+\S+/);
    expect(again.stdout()).toContain('corridor admin reset-password EMAIL');
    const login = await fetch(`${again.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@ktz-express.example', password }),
    });
    expect(login.status).toBe(200);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('gives a user a new password with corridor admin reset-password; the old one stops working', async () => {
    const reset = (email: string) =>
      exec(process.execPath, [BIN, 'admin', 'reset-password', email], { env }).catch(
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const r = await reset('ADMIN@ktz-express.example');
    const m = /^new password for admin@ktz-express\.example \(shown once\): (\S{20})\n$/.exec(
      (r as { stdout: string }).stdout,
    );
    expect(m, (r as { stdout: string }).stdout).not.toBeNull();
    for (const [bad, line] of [
      ['nobody@ktz-express.example', 'error: no user has the e-mail nobody@ktz-express.example'],
      ['not-an-e-mail', 'error: EMAIL: "not-an-e-mail" is not an e-mail address'],
    ] as const)
      expect(await reset(bad)).toMatchObject({ code: 2, stderr: `${line}\n` });
    const again = await serve([]);
    const login = (pw: string) =>
      fetch(`${again.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@ktz-express.example', password: pw }),
      });
    expect((await login(m![1]!)).status).toBe(200);
    expect((await login(password)).status).toBe(401);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 120_000);

  it('reports every bad setting at once and does not start', async () => {
    const r = await exec(process.execPath, [BIN, 'serve'], {
      env: {
        ...env,
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'mysql://x',
        CORRIDOR_TRUST_PROXY: 'everyone',
      },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(r).toMatchObject({ code: 1 });
    const lines = (r as { stderr: string }).stderr.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^error: PORT: /) as string,
        expect.stringMatching(/^error: LOG_LEVEL: /) as string,
        expect.stringMatching(/^error: CORRIDOR_TRUST_PROXY: loopback, or the proxies/) as string,
        'error: DATABASE_URL: expected postgres://user@host:port/database',
      ]),
    );
  });
});

describe('corridor admin', () => {
  const adminEnv = { ...env, CORRIDOR_DATA_DIR: mkdtempSync(join(tmpdir(), 'corridor-admin-')) };
  const admin = (...args: string[]) =>
    exec(process.execPath, [BIN, 'admin', ...args], { env: adminEnv });

  it('creates an organisation, a user and an API key, and lists organisations', async () => {
    const org = await admin(
      'create-org',
      '--name',
      'Caspian Forwarding',
      '--kind',
      'forwarder',
      '--country',
      'AZ',
    );
    const orgId = /created (org_\w+)/.exec(org.stdout)![1]!;
    const user = await admin(
      'create-user',
      '--org',
      orgId,
      '--email',
      'ops@caspian.example',
      '--name',
      'Ops',
      '--role',
      'admin',
    );
    expect(user.stdout).toMatch(/password \(shown once\): \S{20}/);
    const key = await admin('create-api-key', '--org', orgId, '--name', 'feed');
    expect(key.stdout).toMatch(/key \(shown once; send as Authorization: Bearer <key>\): ck_\S+/);
    const list = await admin('list-orgs');
    expect(list.stdout).toMatch(new RegExp(`${orgId}\\s+forwarder\\s+AZ\\s+Caspian Forwarding`));
    // Four processes, each opening the embedded database: slow while the rest of the suite runs.
  }, 120_000);

  it('exits 2 with one line naming the field for bad input', async () => {
    const r = await admin('create-org', '--name', 'X', '--kind', 'pirate', '--country', 'AZ').catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(r).toMatchObject({ code: 2 });
    expect((r as { stderr: string }).stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: --kind: /) as string,
    ]);
    const unknownOrg = await admin(
      'create-user',
      '--org',
      'org_nope',
      '--email',
      'a@b.example',
      '--name',
      'A',
    ).catch((e: { code: number; stderr: string }) => e);
    expect(unknownOrg).toMatchObject({ code: 2, stderr: 'error: no organisation org_nope\n' });
  });
});
