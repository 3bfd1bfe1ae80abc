import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/store/database.ts';

/** Where the PGlite template of the test run is kept. */
export const PGLITE_TEMPLATE = fileURLToPath(
  new URL('../../reports/pglite-template.tgz', import.meta.url),
);
export const POSTGRES_TEMPLATE = 'corridor_test_template';

/** The backend this test project runs on: `pglite` (default) or `postgres`. */
export function testBackend(): 'pglite' | 'postgres' {
  return process.env.CORRIDOR_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

export function adminUrl(): string {
  return process.env.CORRIDOR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A fresh, migrated database for one test file, copied from the run's template: PGlite in memory,
 * or a new PostgreSQL database dropped again by close().
 */
export async function testDatabase(): Promise<Database> {
  if (testBackend() === 'pglite') {
    return openDatabase({
      kind: 'pglite-memory',
      loadDataDir: new Blob([readFileSync(PGLITE_TEMPLATE)]),
    });
  }
  const name = `corridor_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database "${name}" template "${POSTGRES_TEMPLATE}"`);
  await admin.end();
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl(name), poolSize: 5 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}
