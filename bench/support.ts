/** What the benchmarks that run `corridor serve` in its own process share. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const exec = promisify(execFile);
export const ROOT = join(import.meta.dirname, '..');
export const BIN = join(ROOT, 'bin/corridor.js');
/** The PostgreSQL database the benchmarks create theirs from. */
export const ADMIN_URL =
  process.env.CORRIDOR_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type Env = Record<string, string | undefined>;

/** The URL of the database `name` on the benchmark server. */
export function databaseUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs one statement on its own connection and returns its rows. */
export async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}

/** Registers an organisation with `corridor admin create-org ARGS` and returns an admin API key. */
export async function apiKeyOf(env: Env, args: string[]): Promise<string> {
  const org = await exec(process.execPath, [BIN, 'admin', 'create-org', ...args], { env });
  const orgId = /created (org_\w+)/.exec(org.stdout)![1]!;
  const k = await exec(
    process.execPath,
    [BIN, 'admin', 'create-api-key', '--org', orgId, '--name', 'bench', '--role', 'admin'],
    { env },
  );
  return /(ck_\S+)/.exec(k.stdout)![1]!;
}

/** Starts `corridor serve` on a free port (CPU profile into `profileDir` when given). */
export async function serve(
  env: Env,
  profileDir?: string,
): Promise<{ server: ChildProcess; url: string }> {
  const server = spawn(
    process.execPath,
    [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      BIN,
      'serve',
      '--port',
      '0',
    ],
    { env, cwd: ROOT },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Corridor is serving (http:\/\/localhost:\d+)/.exec(out);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
    });
    server.stderr.on('data', (d: Buffer) => (out += d.toString()));
    server.on('exit', () => reject(new Error(out)));
  });
  return { server, url };
}

/** Resident memory of a process, MB (Linux). */
export function rssMb(pid: number | undefined): string {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? (Number(kb) / 1024).toFixed(0) : 'n/a';
  } catch {
    return 'n/a';
  }
}
