import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { PageKey } from '../app/paging.ts';
import { countAll, olderThan } from './paging.sql.ts';
import type { SimulationRecord, SimulationStore } from '../app/simulations.ts';
import type { Scenario } from '../core/simulation/scenario.ts';
import type { Db } from './database.ts';
import { simulations } from './schema.ts';

type Row = typeof simulations.$inferSelect;

const recordOf = (r: Row): SimulationRecord => ({
  ...r,
  scenario: r.scenario as Scenario,
  state: r.state as SimulationRecord['state'],
});

export class PgSimulationStore implements SimulationStore {
  constructor(private readonly db: Db) {}

  async create(r: SimulationRecord): Promise<void> {
    await this.db.insert(simulations).values(r);
  }

  async progress(id: string, progress: number, at: Date): Promise<void> {
    await this.db
      .update(simulations)
      .set({ progress, heartbeatAt: at })
      .where(and(eq(simulations.id, id), eq(simulations.state, 'running')));
  }

  async finish(
    id: string,
    outcome: { result: unknown } | { error: string },
    at: Date,
  ): Promise<void> {
    await this.db
      .update(simulations)
      .set(
        'result' in outcome
          ? { state: 'done', progress: 1, result: outcome.result, finishedAt: at }
          : { state: 'failed', error: outcome.error, finishedAt: at },
      )
      .where(eq(simulations.id, id));
  }

  async find(id: string): Promise<SimulationRecord | undefined> {
    const [row] = await this.db.select().from(simulations).where(eq(simulations.id, id));
    return row && recordOf(row);
  }

  async listOf(
    organisationId: string,
    limit: number,
    after?: PageKey,
  ): Promise<SimulationRecord[]> {
    const rows = await this.db
      .select()
      .from(simulations)
      .where(
        and(
          eq(simulations.organisationId, organisationId),
          olderThan(simulations.createdAt, simulations.id, after),
        ),
      )
      .orderBy(desc(simulations.createdAt), desc(simulations.id))
      .limit(limit);
    return rows.map(recordOf);
  }

  async countOf(organisationId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: countAll })
      .from(simulations)
      .where(eq(simulations.organisationId, organisationId));
    return row?.n ?? 0;
  }

  async failRunning(reason: string, at: Date, silentSince: Date): Promise<number> {
    const rows = await this.db
      .update(simulations)
      .set({ state: 'failed', error: reason, finishedAt: at })
      .where(
        and(
          eq(simulations.state, 'running'),
          lt(sql`coalesce(${simulations.heartbeatAt}, ${simulations.createdAt})`, silentSince),
        ),
      )
      .returning({ id: simulations.id });
    return rows.length;
  }
}
