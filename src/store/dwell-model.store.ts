import { desc, eq, and, sql } from 'drizzle-orm';
import type {
  DwellModelStore,
  DwellModelVersion,
  FrozenDwellModel,
} from '../app/dwell-model-ports.ts';
import type { NewNotification } from '../app/ports.ts';
import type { Tx } from './capacity.store.ts';
import type { Db } from './database.ts';
import { dwellModelFreezes, dwellModelVersions } from './dwell-model.schema.ts';
import { notifications } from './schema.ts';
import { WAKE_CHANNELS, wakeOnCommit } from './wake-ups.ts';

/** Saves wait on each other under this advisory lock, so that versions are numbered in order. */
const SAVE_LOCK = 0x0d3e11;

export class PgDwellModelStore implements DwellModelStore {
  constructor(private readonly db: Db) {}

  async stamp(): Promise<string> {
    const [v] = await this.db
      .select({ v: sql<number>`coalesce(max(${dwellModelVersions.version}), 0)::int` })
      .from(dwellModelVersions);
    const [f] = await this.db
      .select({
        n: sql<number>`count(*)::int`,
        last: sql<string>`coalesce(max(${dwellModelFreezes.frozenAt})::text, '')`,
      })
      .from(dwellModelFreezes);
    return `${v?.v ?? 0}:${f?.n ?? 0}:${f?.last ?? ''}`;
  }

  async latest(): Promise<DwellModelVersion | undefined> {
    const [row] = await this.db
      .select()
      .from(dwellModelVersions)
      .orderBy(desc(dwellModelVersions.version))
      .limit(1);
    return row ? toVersion(row) : undefined;
  }

  async save(
    version: Omit<DwellModelVersion, 'version'>,
    notes: (version: number) => NewNotification[],
  ): Promise<DwellModelVersion | undefined> {
    return this.db.transaction(async (tx: Tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SAVE_LOCK})`);
      const [top] = await tx
        .select({
          version: dwellModelVersions.version,
          samples: dwellModelVersions.samples,
          linkSamples: dwellModelVersions.linkSamples,
          periodFrom: dwellModelVersions.periodFrom,
          periodTo: dwellModelVersions.periodTo,
        })
        .from(dwellModelVersions)
        .orderBy(desc(dwellModelVersions.version))
        .limit(1);
      if (
        top &&
        top.samples === version.samples &&
        top.linkSamples === version.linkSamples &&
        top.periodFrom?.getTime() === version.period?.from.getTime() &&
        top.periodTo?.getTime() === version.period?.to.getTime()
      )
        return undefined;
      const saved = { ...version, version: (top?.version ?? 0) + 1 };
      await tx.insert(dwellModelVersions).values({
        version: saved.version,
        fittedAt: saved.fittedAt,
        samples: saved.samples,
        shipments: saved.shipments,
        periodFrom: saved.period?.from ?? null,
        periodTo: saved.period?.to ?? null,
        models: saved.models,
        linkSamples: saved.linkSamples,
        links: saved.links,
      });
      const rows = notes(saved.version);
      if (rows.length > 0) await tx.insert(notifications).values(rows);
      await wakeOnCommit(tx, WAKE_CHANNELS.network);
      return saved;
    });
  }

  async frozen(): Promise<FrozenDwellModel[]> {
    return this.db.select().from(dwellModelFreezes).orderBy(dwellModelFreezes.nodeId);
  }

  async freeze(model: FrozenDwellModel): Promise<void> {
    await this.db
      .insert(dwellModelFreezes)
      .values(model)
      .onConflictDoUpdate({
        target: [dwellModelFreezes.nodeId, dwellModelFreezes.operation],
        set: {
          p50Hours: model.p50Hours,
          p90Hours: model.p90Hours,
          version: model.version,
          frozenBy: model.frozenBy,
          frozenAt: model.frozenAt,
        },
      });
    await wakeOnCommit(this.db, WAKE_CHANNELS.network);
  }

  async unfreeze(nodeId: string, operation: string): Promise<boolean> {
    const rows = await this.db
      .delete(dwellModelFreezes)
      .where(and(eq(dwellModelFreezes.nodeId, nodeId), eq(dwellModelFreezes.operation, operation)))
      .returning({ nodeId: dwellModelFreezes.nodeId });
    if (rows.length > 0) await wakeOnCommit(this.db, WAKE_CHANNELS.network);
    return rows.length > 0;
  }
}

function toVersion(row: typeof dwellModelVersions.$inferSelect): DwellModelVersion {
  return {
    version: row.version,
    fittedAt: row.fittedAt,
    samples: row.samples,
    shipments: row.shipments,
    period: row.periodFrom && row.periodTo ? { from: row.periodFrom, to: row.periodTo } : null,
    models: row.models,
    linkSamples: row.linkSamples,
    links: row.links,
  };
}
