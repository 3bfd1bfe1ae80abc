import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { PageKey } from '../app/paging.ts';

/**
 * Rows after a keyset position of a list ordered by (`at` descending, `id` descending): those
 * older than the key's instant, or as old with a smaller id. Undefined (no condition) without key.
 */
export function olderThan(at: AnyColumn, id: AnyColumn, after?: PageKey): SQL | undefined {
  if (!after) return undefined;
  return sql`(${at}, ${id}) < (${after.at.toISOString()}::timestamptz, ${after.id})`;
}

/** The count(*) of a query's rows as a number. */
export const countAll = sql<number>`cast(count(*) as integer)`;
