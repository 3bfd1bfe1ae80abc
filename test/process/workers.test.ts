import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adminUrl } from '../support/database.ts';
import { dropDatabase, recreateDatabase } from '../support/process.ts';

/**
 * `corridor serve --workers 2` on one PostgreSQL: two processes answer on one port; one killed is
 * replaced while the other carries on; SIGTERM stops them all.
 */
const BIN = join(import.meta.dirname, '../../bin/corridor.js');

const childrenOf = (pid: number) => {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
};

/**
 * A GET as a client with keep-alive and a timeout makes it: a connection to a process that died
 * resets (or, handed over just as it died, never answers), and the request is sent again on a new
 * one.
 */
async function get(url: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await fetch(url, { signal: AbortSignal.timeout(5_000) })).status;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

describe('corridor serve --workers', () => {
  it('serves from two processes, replaces a killed one, and stops them all on SIGTERM', async () => {
    const name = 'corridor_workers_test';
    await recreateDatabase(name);
    const url = new URL(adminUrl());
    url.pathname = `/${name}`;
    const primary = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--workers', '2'], {
      env: { ...process.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' },
    });
    let out = '';
    primary.stdout.on('data', (d: Buffer) => (out += d.toString()));
    primary.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => primary.on('exit', resolve));
    try {
      const serving = () => [...out.matchAll(/Corridor is serving (http:\/\/localhost:\d+)/g)];
      await expect.poll(() => serving().length, { timeout: 60_000, interval: 200 }).toBe(2);
      const [first, second] = serving().map((m) => m[1]!);
      expect(first).toBe(second);
      const base = first!.replace('localhost', '127.0.0.1');
      expect(childrenOf(primary.pid!)).toHaveLength(2);
      for (let i = 0; i < 10; i++) expect(await get(`${base}/readyz`)).toBe(200);

      const [victim] = childrenOf(primary.pid!);
      process.kill(victim!, 'SIGKILL');
      // The other carries on at once; the primary starts a new one.
      for (let i = 0; i < 5; i++) expect(await get(`${base}/readyz`)).toBe(200);
      await expect
        .poll(() => out, { timeout: 30_000 })
        .toMatch(new RegExp(`worker ${victim} ended \\(SIGKILL\\); starting another`));
      await expect
        .poll(() => childrenOf(primary.pid!).filter((p) => p !== victim).length, {
          timeout: 60_000,
        })
        .toBe(2);

      primary.kill('SIGTERM');
      // Bounded, so that a primary that does not stop fails here and is killed below.
      const stopped = await Promise.race([
        exited,
        new Promise((r) => setTimeout(() => r('still running after 60 s'), 60_000)),
      ]);
      expect(stopped).toBe(0);
      expect(childrenOf(primary.pid!)).toEqual([]);
    } finally {
      primary.kill('SIGKILL');
      await dropDatabase(name);
    }
  }, 180_000);

  it('refuses several workers on the embedded database, in one line', () => {
    let stderr = '';
    try {
      execFileSync(process.execPath, [BIN, 'serve', '--workers', '2'], {
        env: {
          ...process.env,
          DATABASE_URL: '',
          CORRIDOR_DATA_DIR: '/tmp/corridor-workers-refused',
        },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      stderr = (e as { stderr: string }).stderr;
      expect((e as { status: number }).status).toBe(1);
    }
    expect(stderr.trim()).toBe(
      'error: --workers needs PostgreSQL (DATABASE_URL): the embedded database serves one process',
    );
  });
});
