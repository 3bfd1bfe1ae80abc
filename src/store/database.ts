import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.ts';
import { listenOnPostgres, type WakeChannel } from './wake-ups.ts';

/** The committed SQL migrations. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../drizzle/', import.meta.url));

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open database: PGlite in a data directory, or PostgreSQL through a pg pool. */
export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** True when the database answers and every committed migration is applied. */
  ready(): Promise<boolean>;
  /** Pool figures for /metrics. */
  pool(): { total: number; idle: number; waiting: number };
  /** Calls `listener` with the seconds each query took (for /metrics). */
  onQuery(listener: (seconds: number) => void): void;
  /**
   * The embedded database only: a consistent copy of it while it serves (PGlite's gzipped tar of
   * its files), taken between transactions. PostgreSQL has pg_dump.
   */
  snapshot?: () => Promise<Uint8Array>;
  /**
   * Calls `onWake` on each NOTIFY on `channel` (see wake-ups.ts): from every process on
   * PostgreSQL, from this one on PGlite. Resolves once listening, with the function that stops.
   */
  listen(channel: WakeChannel, onWake: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * A consistent copy of a running PGlite. PGlite runs one statement at a time, and a transaction
 * holds it from BEGIN to COMMIT; this takes it the same way, so that no other transaction is
 * open, then checkpoints (the data files hold everything committed) and dumps the files. Requests
 * wait meanwhile: under a second for a database of tens of megabytes.
 */
async function snapshotOf(client: PGlite): Promise<Uint8Array> {
  const dump = await client.transaction(async (tx) => {
    await tx.exec('checkpoint');
    return client.dumpDataDir('gzip');
  });
  return new Uint8Array(await dump.arrayBuffer());
}

/** Query timing: wraps a `query` method so that each call reports how long it took. */
function timeQueries(
  target: { query: (...args: never[]) => unknown },
  report: (s: number) => void,
) {
  const query = target.query.bind(target) as (...args: unknown[]) => unknown;
  (target as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const t = performance.now();
    const done = () => report((performance.now() - t) / 1000);
    const result = query(...args);
    if (result && typeof (result as Promise<unknown>).then === 'function')
      (result as Promise<unknown>).then(done, done);
    return result;
  };
}

/** Where the database lives: a PostgreSQL URL, a PGlite directory, or an in-memory PGlite. */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory'; loadDataDir?: Blob };

/** A second process found the data directory locked. */
export class DataDirLockedError extends Error {}

/** Opens the database and applies the committed migrations. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      // While the database is down, a request waits this long for a connection, then gets a 503.
      connectionTimeoutMillis: 5_000,
    });
    // A connection error after start must not crash the process; queries report it.
    pool.on('error', () => undefined);
    const listeners: ((seconds: number) => void)[] = [];
    const report = (seconds: number) => {
      for (const l of listeners) l(seconds);
    };
    // Every query goes through a pooled client: each new one is timed.
    pool.on('connect', (client) => timeQueries(client, report));
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    try {
      await migratePg(drizzlePg(pool), { migrationsFolder: MIGRATIONS_DIR });
    } catch (e) {
      await pool.end();
      throw e;
    }
    return {
      db,
      kind: 'postgres',
      ready: () => isReady(db),
      pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      onQuery: (listener) => listeners.push(listener),
      listen: (channel, onWake) => listenOnPostgres(target.url, channel, onWake),
      close: () => pool.end(),
    };
  }
  let release = () => undefined as void;
  let client: PGlite;
  if (target.kind === 'pglite') {
    const dir = resolve(target.dataDir);
    mkdirSync(dir, { recursive: true });
    release = lockDataDir(dir);
    try {
      client = await PGlite.create(join(dir, 'pgdata'));
    } catch (e) {
      release();
      throw e;
    }
  } else {
    client = await PGlite.create(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {});
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  const listeners: ((seconds: number) => void)[] = [];
  try {
    await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_DIR });
  } catch (e) {
    await client.close();
    release();
    throw e;
  }
  return {
    db,
    kind: 'pglite',
    ready: () => isReady(db),
    pool: () => ({ total: 1, idle: 1, waiting: 0 }),
    snapshot: () => snapshotOf(client),
    listen: async (channel, onWake) => {
      const stop = await client.listen(channel, () => onWake());
      return () => (client.closed ? Promise.resolve() : stop());
    },
    onQuery: (listener) => {
      listeners.push(listener);
      if (listeners.length === 1)
        timeQueries(client, (s) => {
          for (const l of listeners) l(s);
        });
    },
    close: async () => {
      await client.close();
      release();
    },
  };
}

let migrationCount: number | undefined;

/** How many migrations are committed (read once). */
export function committedMigrations(): number {
  migrationCount ??= (
    JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
      entries: unknown[];
    }
  ).entries.length;
  return migrationCount;
}

async function isReady(db: Db): Promise<boolean> {
  try {
    const result: unknown = await db.execute(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    const applied = result as { rows: { n: number }[] };
    return Number(applied.rows[0]?.n ?? 0) >= committedMigrations();
  } catch {
    return false;
  }
}

/**
 * Takes the data directory for this process with a lock file holding the pid. PGlite has no
 * lock of its own, and two processes on one directory corrupt it. A lock left by a process that
 * no longer runs is taken over. Returns the function that releases the lock.
 */
function lockDataDir(dir: string): () => void {
  const file = join(dir, 'corridor.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && (pid === process.pid || isRunning(pid)))
        throw new DataDirLockedError(
          `the data directory ${dir} is in use by process ${pid}; stop it first, or set CORRIDOR_DATA_DIR to another directory`,
        );
      rmSync(file, { force: true });
    }
  }
  throw new DataDirLockedError(`could not lock the data directory ${dir}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A consistent copy of the embedded database when no server runs on it: the data directory is
 * taken (as the server takes it), checkpointed, and written out as PGlite's gzipped tar of its
 * files. Throws DataDirLockedError while a server holds the directory: then the server makes the
 * copy (backup-socket.ts).
 */
export async function backupDataDir(dataDir: string): Promise<Uint8Array> {
  const dir = resolve(dataDir);
  if (!existsSync(join(dir, 'pgdata'))) throw new Error(`no embedded database in ${dir}`);
  const release = lockDataDir(dir);
  try {
    const client = await PGlite.create(join(dir, 'pgdata'));
    try {
      return await snapshotOf(client);
    } finally {
      await client.close();
    }
  } finally {
    release();
  }
}

/**
 * Puts a backup made by backupDataDir into `dataDir` and brings it up to the committed
 * migrations. An existing database is replaced only with `replace`; nothing is changed when the
 * file is not a backup.
 */
export async function restoreDataDir(
  dataDir: string,
  backup: Uint8Array,
  replace: boolean,
): Promise<{ migrations: number }> {
  const dir = resolve(dataDir);
  const target = join(dir, 'pgdata');
  if (existsSync(target) && !replace)
    throw new Error(`${dir} already holds a database; --force replaces it`);
  // Read into memory first: a file that is not a backup fails here, before anything is touched.
  const probe = await PGlite.create({ loadDataDir: new Blob([backup]) });
  await probe.close();
  mkdirSync(dir, { recursive: true });
  const release = lockDataDir(dir);
  try {
    rmSync(target, { recursive: true, force: true });
    const client = await PGlite.create(target, { loadDataDir: new Blob([backup]) });
    try {
      await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_DIR });
    } finally {
      await client.close();
    }
  } finally {
    release();
  }
  return { migrations: committedMigrations() };
}
