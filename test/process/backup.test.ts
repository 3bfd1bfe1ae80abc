import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { adminUrl } from '../support/database.ts';
import { dropDatabase, recreateDatabase, sql } from '../support/process.ts';

/**
 * `corridor backup`, `restore` and `migrate` as an operator runs them: a backup taken, the
 * database changed, the backup restored — and what was there at the backup is what is there.
 */
const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/corridor.js');

const corridor = (args: string[], env: Record<string, string | undefined>) =>
  exec(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe('backup and restore of the embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-backup-'));
  const env = { CORRIDOR_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' };
  const file = join(dir, 'corridor.tar.gz');
  const orgs = async () =>
    (await corridor(['admin', 'list-orgs'], env)).stdout
      .split('\n')
      .filter((l) => l.includes('org_'))
      .map((l) => /(Exporter \w+)/.exec(l)?.[1]);

  it('restores what was there when the backup was taken, and refuses to overwrite by accident', async () => {
    const create = (name: string) =>
      corridor(
        ['admin', 'create-org', '--name', name, '--kind', 'shipper', '--country', 'CN'],
        env,
      );
    expect((await create('Exporter One')).code).toBe(0);
    const backup = await corridor(['backup', file], env);
    expect(backup.stdout).toMatch(/backup written: .*corridor\.tar\.gz \(\d+ bytes\)/);
    expect((await create('Exporter Two')).code).toBe(0);
    expect(await orgs()).toEqual(['Exporter One', 'Exporter Two']);

    const refused = await corridor(['restore', file], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/already holds a database; --force replaces it$/);
    expect(await orgs()).toEqual(['Exporter One', 'Exporter Two']);

    const restored = await corridor(['restore', file, '--force'], env);
    expect(restored.stdout).toMatch(/restored .* \d+ migrations applied/);
    expect(await orgs()).toEqual(['Exporter One']);

    // Into a new directory as well, as when moving to another machine.
    const elsewhere = { ...env, CORRIDOR_DATA_DIR: join(dir, 'moved') };
    expect((await corridor(['restore', file], elsewhere)).code).toBe(0);
    expect((await corridor(['admin', 'list-orgs'], elsewhere)).stdout).toMatch(/Exporter One/);
  }, 120_000);

  it('leaves the database alone when the file is not a backup', async () => {
    const junk = join(dir, 'junk.tar.gz');
    writeFileSync(junk, 'not a backup');
    const r = await corridor(['restore', junk, '--force'], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(await orgs()).toEqual(['Exporter One']);
  }, 60_000);

  it('will not copy a data directory a running server holds', async () => {
    // The lock a server leaves: a live process id (this one).
    writeFileSync(join(env.CORRIDOR_DATA_DIR, 'corridor.lock'), String(process.pid));
    const r = await corridor(['backup', join(dir, 'while-locked.tar.gz')], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/lock|in use/i);
  }, 60_000);

  it('sends PostgreSQL users to pg_dump', async () => {
    const r = await corridor(['backup', file], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pg_dump/);
  });
});

describe('corridor migrate', () => {
  it('brings an empty PostgreSQL database up to the committed migrations and stops', async () => {
    const name = 'corridor_migrate_test';
    await recreateDatabase(name);
    try {
      const url = new URL(adminUrl());
      url.pathname = `/${name}`;
      const r = await corridor(['migrate'], { DATABASE_URL: url.toString() });
      expect(r.stdout.trim()).toMatch(/^postgres: \d+ migrations applied$/);
      const [row] = await sql<{ n: number }>(
        url.toString(),
        'select count(*)::int as n from drizzle.__drizzle_migrations',
      );
      expect(row!.n).toBe(Number(/(\d+) migrations/.exec(r.stdout)![1]));
      // A second run finds nothing to do and says the same.
      expect((await corridor(['migrate'], { DATABASE_URL: url.toString() })).code).toBe(0);
    } finally {
      await dropDatabase(name);
    }
  }, 120_000);
});
