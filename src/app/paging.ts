import { AppError } from './errors.ts';

/**
 * Pages of a list: at most `limit` items after the position a cursor names, the cursor of the
 * next page (null on the last) and, where a count is cheap, how many the whole list holds. A list
 * is never cut without a next cursor.
 *
 * Lists newest first are paged by position (keyset): the cursor names the last item shown by its
 * instant and id, so items added meanwhile never shift a page. Lists in another order (an
 * office's queue by ETA) are paged by offset.
 */

/** Where a page starts: after the item with this instant (ms since epoch) and id. */
export interface PageKey {
  at: Date;
  id: string;
}

export interface PageRequest {
  /** Most items on the page, 1 to MAX_PAGE. */
  limit: number;
  /** Keyset lists: after this item; offset lists: `offset` items skipped. */
  after?: PageKey;
  offset?: number;
}

export interface Page<T> {
  items: T[];
  /** Opaque; null on the last page. */
  nextCursor: string | null;
  /** How many items the whole list holds, where counting is cheap. */
  total?: number;
}

export const DEFAULT_PAGE = 500;
/** The most a page holds (the query schema refuses more). */
const MAX_PAGE = 1000;

/** The cursor after `item` of a keyset list. */
function keyCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.at.toISOString(), key.id])).toString('base64url');
}

function offsetCursor(offset: number): string {
  return Buffer.from(JSON.stringify([offset])).toString('base64url');
}

/** The page a request's `limit` and `cursor` ask for; 400 naming `query.cursor` when unreadable. */
export function pageRequest(limit: number | undefined, cursor: string | undefined): PageRequest {
  const request: PageRequest = { limit: Math.min(limit ?? DEFAULT_PAGE, MAX_PAGE) };
  if (cursor === undefined || cursor === '') return request;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && parsed.length === 1 && Number.isInteger(parsed[0]) && parsed[0] >= 0)
    return { ...request, offset: parsed[0] as number };
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    typeof parsed[0] === 'string' &&
    typeof parsed[1] === 'string' &&
    !Number.isNaN(Date.parse(parsed[0]))
  )
    return { ...request, after: { at: new Date(parsed[0]), id: parsed[1] } };
  throw new AppError('invalid_data', 'query.cursor is not a cursor of this list', [
    {
      path: 'query.cursor',
      message:
        'not a cursor of this list: send the nextCursor of the page before, or none for the first page',
    },
  ]);
}

/**
 * A keyset page from up to `limit + 1` items read after the request's key, newest first: the
 * extra item only says there is a next page.
 */
export function keysetPage<T>(
  read: readonly T[],
  request: PageRequest,
  keyOf: (item: T) => PageKey,
  total?: number,
): Page<T> {
  const items = read.slice(0, request.limit);
  const more = read.length > request.limit && items.length > 0;
  return {
    items,
    nextCursor: more ? keyCursor(keyOf(items.at(-1)!)) : null,
    ...(total === undefined ? {} : { total }),
  };
}

/** An offset page from up to `limit + 1` items read from the request's offset. */
export function offsetPage<T>(read: readonly T[], request: PageRequest, total?: number): Page<T> {
  const offset = request.offset ?? 0;
  const items = read.slice(0, request.limit);
  return {
    items,
    nextCursor: read.length > request.limit ? offsetCursor(offset + items.length) : null,
    ...(total === undefined ? {} : { total }),
  };
}

/** Keyset paging over a list already in memory, newest first by `keyOf` (then id, descending). */
export function pageInMemory<T>(
  all: readonly T[],
  request: PageRequest,
  keyOf: (item: T) => PageKey,
): Page<T> {
  const after = request.after;
  const newestFirst = (a: T, b: T) => {
    const [x, y] = [keyOf(a), keyOf(b)];
    return y.at.getTime() - x.at.getTime() || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0);
  };
  const sorted = [...all].sort(newestFirst);
  const rest = after
    ? sorted.filter((x) => {
        const k = keyOf(x);
        const d = k.at.getTime() - after.at.getTime();
        return d < 0 || (d === 0 && k.id < after.id);
      })
    : sorted;
  return keysetPage(rest.slice(0, request.limit + 1), request, keyOf, all.length);
}
