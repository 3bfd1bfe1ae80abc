import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';

/**
 * Channels of PostgreSQL's LISTEN/NOTIFY the platform wakes its background jobs with. A NOTIFY
 * sent in the transaction of a change is delivered when it commits, to the listeners of every
 * process on the database (on PGlite, of the one process that holds it), and not at all when it
 * rolls back.
 */
export const WAKE_CHANNELS = {
  /** A service version was published or a dwell-model version saved: the network may change. */
  network: 'corridor_network',
} as const;

export type WakeChannel = (typeof WAKE_CHANNELS)[keyof typeof WAKE_CHANNELS];

/** Sends a wake-up on `channel` when the transaction `tx` commits (outside one: at once). */
export async function wakeOnCommit(
  tx: { execute(query: SQL): PromiseLike<unknown> },
  channel: WakeChannel,
): Promise<void> {
  await tx.execute(sql`select pg_notify(${channel}, '')`);
}

/** How long a lost listening connection waits before it connects again, at most. */
const RECONNECT_MAX_MS = 10_000;

/**
 * Listens on `channel` over a connection of its own (a pooled one would be handed back and its
 * LISTEN lost). When the connection drops (the database restarted), it connects again, waiting
 * 0.5 s, 1 s, 2 s… up to 10 s between tries, and then calls `onWake` once: notifications sent
 * meanwhile were lost, the job looks for itself. Resolves after the first try to connect with
 * the function that stops listening.
 */
export async function listenOnPostgres(
  url: string,
  channel: WakeChannel,
  onWake: () => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let delay = 500;
  const connect = async (again: boolean) => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => {
      if (n.channel === channel) onWake();
    });
    c.on('error', () => undefined);
    c.on('end', () => {
      if (client !== c || stopped) return;
      client = undefined;
      retry = setTimeout(() => void connect(true), delay);
    });
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
    } catch {
      await c.end().catch(() => undefined);
      retry = setTimeout(() => void connect(true), delay);
      delay = Math.min(delay * 2, RECONNECT_MAX_MS);
      return;
    }
    if (stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    delay = 500;
    if (again) onWake();
  };
  await connect(false);
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const c = client;
    client = undefined;
    await c?.end().catch(() => undefined);
  };
}
