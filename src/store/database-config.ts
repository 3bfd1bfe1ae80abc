import type { DatabaseTarget } from './database.ts';

/** Default directory of the embedded database. */
export const DEFAULT_DATA_DIR = '.corridor';

/**
 * Where the database is, from the environment: DATABASE_URL (postgres://...) for PostgreSQL,
 * else PGlite in CORRIDOR_DATA_DIR (default ./.corridor). Returns the problems instead when a
 * variable is wrong.
 */
export function databaseTargetFromEnv(env: Readonly<Record<string, string | undefined>>): {
  target: DatabaseTarget;
  errors: string[];
} {
  const errors: string[] = [];
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== '') {
    if (!/^postgres(ql)?:\/\/\S+$/.test(url))
      errors.push('DATABASE_URL: expected postgres://user@host:port/database');
    return { target: { kind: 'postgres', url }, errors };
  }
  const dir = env.CORRIDOR_DATA_DIR;
  if (dir !== undefined && dir.trim() === '') errors.push('CORRIDOR_DATA_DIR: must not be empty');
  return { target: { kind: 'pglite', dataDir: dir || DEFAULT_DATA_DIR }, errors };
}
