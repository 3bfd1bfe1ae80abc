import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { adminUrl } from './database.ts';

/** `corridor` run as its own process, as an operator would. */
const exec = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/corridor.js');

type Env = Record<string, string | undefined>;

/** Runs one SQL statement on its own connection. */
export async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/** A new empty PostgreSQL database of this name (dropped first if it is there). */
export async function recreateDatabase(name: string): Promise<void> {
  await dropDatabase(name);
  await sql(adminUrl(), `create database "${name}"`);
}

export async function dropDatabase(name: string): Promise<void> {
  await sql(adminUrl(), `drop database if exists "${name}" with (force)`);
}

/**
 * Registers an organisation of this kind with `corridor admin` (in Azerbaijan unless `country`
 * says otherwise; `extra` flags such as `--office`) and returns an admin API key of it.
 */
export async function adminApiKey(
  env: Env,
  kind: string,
  name: string,
  { country = 'AZ', extra = [] }: { country?: string; extra?: string[] } = {},
): Promise<string> {
  const org = await exec(
    process.execPath,
    [BIN, 'admin', 'create-org', '--name', name, '--kind', kind, '--country', country, ...extra],
    { env },
  );
  const orgId = /created (org_\w+)/.exec(org.stdout)![1]!;
  const k = await exec(
    process.execPath,
    [BIN, 'admin', 'create-api-key', '--org', orgId, '--name', name, '--role', 'admin'],
    { env },
  );
  return /(ck_\S+)/.exec(k.stdout)![1]!;
}

/** Starts `corridor serve` on a free port; resolves with the process and its address. */
export function serveProcess(env: Env): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Corridor is serving (http:\/\/localhost:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]!.replace('localhost', '127.0.0.1') });
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', () => reject(new Error(`exited: ${out}`)));
  });
}
