import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { MIGRATIONS_DIR } from '../../src/store/database.ts';
import { POSTGRES_TEMPLATE, adminUrl, databaseUrl } from '../support/database.ts';

/**
 * Makes the template database on the PostgreSQL server (127.0.0.1:5432 unless
 * CORRIDOR_TEST_DATABASE_URL says otherwise); each test file gets a copy of it.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL is not reachable at ${adminUrl()} (${(e as Error).message}). Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or point CORRIDOR_TEST_DATABASE_URL at one.`,
    );
  }
  // Drop copies left by interrupted runs, then the template itself.
  const old = await admin.query<{ datname: string }>(
    `select datname from pg_database where datname like 'corridor_t_%' or datname = $1`,
    [POSTGRES_TEMPLATE],
  );
  for (const { datname } of old.rows) {
    await admin.query(`alter database "${datname}" is_template false`).catch(() => undefined);
    await admin.query(`drop database if exists "${datname}" with (force)`);
  }
  await admin.query(`create database "${POSTGRES_TEMPLATE}"`);
  const pool = new pg.Pool({ connectionString: databaseUrl(POSTGRES_TEMPLATE) });
  await migrate(drizzle(pool), { migrationsFolder: MIGRATIONS_DIR });
  await pool.end();
  await admin.query(`alter database "${POSTGRES_TEMPLATE}" is_template true`);
  await admin.end();
  return async () => {
    const c = new pg.Client({ connectionString: adminUrl() });
    await c.connect();
    await c.query(`alter database "${POSTGRES_TEMPLATE}" is_template false`);
    await c.query(`drop database if exists "${POSTGRES_TEMPLATE}" with (force)`);
    await c.end();
  };
}
