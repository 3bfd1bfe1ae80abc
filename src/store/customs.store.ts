import { and, asc, desc, eq, gte, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { DeclarationBody } from '../api/customs.ts';
import { AppError } from '../app/errors.ts';
import type {
  AuditEntry,
  CustomsDeclaration,
  CustomsSegment,
  CustomsStore,
  DeclarationChange,
  OfficeDecision,
  OfficeInfo,
  RiskReads,
  SharedFinding,
  StoredRuleSet,
} from '../app/customs-ports.ts';
import { GENESIS_HASH, hashedText, type AuditRecord } from '../core/customs/audit-chain.ts';
import {
  OFFICER_DECISIONS,
  type Inspection,
  type LastDecision,
  type SegmentState,
} from '../core/customs/lifecycle.ts';
import type { TimedSegment } from '../core/customs/release-times.ts';
import type { Lane, RiskDecision, RuleSet } from '../core/customs/risk.ts';
import type { Tx } from './capacity.store.ts';
import type { Db } from './database.ts';
import { countAll, olderThan } from './paging.sql.ts';
import type { PageKey } from '../app/paging.ts';
import {
  webhookDeliveries,
  customsOffices,
  organisations,
  customsAudit,
  customsAuditHead,
  customsDeclarations,
  customsRuleSets,
  customsSegments,
} from './schema.ts';
import { cryptoSecrets } from './security.ts';
import { deliveryRows, insertAndMarkSql } from './tracking.store.ts';
import { writeSystemChange } from './customs-outbox.store.ts';
import { customsSystemLinks } from './customs-outbox.schema.ts';

/** The states of a segment still waiting for its office. */
const OPEN_STATES = ['accepted', 'assessed', 'documents_requested', 'held'];

type DeclarationRow = typeof customsDeclarations.$inferSelect;
type SegmentRow = typeof customsSegments.$inferSelect;
type RuleSetRow = typeof customsRuleSets.$inferSelect;

export class PgCustomsStore implements CustomsStore {
  constructor(private readonly db: Db) {}

  async create(
    d: CustomsDeclaration,
    change: Omit<DeclarationChange<void>, 'result' | 'declaration'>,
  ): Promise<boolean> {
    return this.db.transaction(async (tx: Tx) => {
      const inserted = await tx
        .insert(customsDeclarations)
        .values(declarationRow(d))
        .onConflictDoNothing({
          target: [customsDeclarations.organisationId, customsDeclarations.lrn],
        })
        .returning({ id: customsDeclarations.id });
      if (inserted.length === 0) return false;
      await tx.insert(customsSegments).values(d.segments.map((s) => segmentRow(d.id, s)));
      await writeChange(tx, change);
      return true;
    });
  }

  async offices(): Promise<OfficeInfo[]> {
    const rows: unknown = await this.db.execute(sql`
      select c.code, o.country, c.node_id, o.id as organisation_id
      from ${customsOffices} c join ${organisations} o on o.id = c.organisation_id
      where o.kind = 'customs'`);
    return (
      rows as {
        rows: { code: string; country: string; node_id: string | null; organisation_id: string }[];
      }
    ).rows.map((r) => ({
      code: r.code,
      country: r.country,
      nodeId: r.node_id,
      organisationId: r.organisation_id,
    }));
  }

  readonly reads: RiskReads = {
    ruleSet: (scopes) => firstRuleSet(this.db, scopes),
    pastFindings: (holderId) => pastFindings(this.db, holderId),
  };

  async find(id: string): Promise<CustomsDeclaration | undefined> {
    return (await this.load(this.db, eq(customsDeclarations.id, id)))[0];
  }

  async shipmentOf(id: string): Promise<string | null> {
    const [row] = await this.db
      .select({ shipmentId: customsDeclarations.shipmentId })
      .from(customsDeclarations)
      .where(eq(customsDeclarations.id, id));
    return row?.shipmentId ?? null;
  }

  async findByLrn(organisationId: string, lrn: string): Promise<CustomsDeclaration | undefined> {
    return (
      await this.load(
        this.db,
        and(
          eq(customsDeclarations.organisationId, organisationId),
          eq(customsDeclarations.lrn, lrn),
        ),
      )
    )[0];
  }

  async list(scope: {
    organisationId?: string;
    countries?: readonly string[];
    shipmentIds?: readonly string[];
    limit: number;
    after?: PageKey;
  }): Promise<CustomsDeclaration[]> {
    return this.load(
      this.db,
      and(
        this.scoped(scope),
        olderThan(customsDeclarations.createdAt, customsDeclarations.id, scope.after),
      ),
      scope.limit,
    );
  }

  async count(scope: {
    organisationId?: string;
    countries?: readonly string[];
    shipmentIds?: readonly string[];
  }): Promise<number> {
    const [row] = await this.db
      .select({ n: countAll })
      .from(customsDeclarations)
      .where(this.scoped(scope));
    return row?.n ?? 0;
  }

  private scoped(scope: {
    organisationId?: string;
    countries?: readonly string[];
    shipmentIds?: readonly string[];
  }) {
    return and(
      scope.organisationId
        ? eq(customsDeclarations.organisationId, scope.organisationId)
        : undefined,
      scope.countries
        ? sql`exists (select 1 from ${customsSegments} s where s.declaration_id = ${customsDeclarations.id} and s.country in (select jsonb_array_elements_text(${JSON.stringify(scope.countries)}::jsonb)))`
        : undefined,
      scope.shipmentIds
        ? inArray(customsDeclarations.shipmentId, [...scope.shipmentIds])
        : undefined,
    );
  }

  async update<T>(
    id: string,
    change: (
      d: CustomsDeclaration,
      tx: RiskReads,
    ) => DeclarationChange<T> | Promise<DeclarationChange<T>>,
  ): Promise<T> {
    return this.db.transaction(async (tx: Tx) => {
      const [current] = await this.load(tx, eq(customsDeclarations.id, id), 1, true);
      if (!current) throw new AppError('not_found', `no declaration ${id}`);
      const reads: RiskReads = {
        ruleSet: (scopes) => firstRuleSet(tx, scopes),
        pastFindings: (holderId) => pastFindings(tx, holderId),
      };
      const out = await change(current, reads);
      const next = out.declaration;
      if (next) {
        await tx
          .update(customsDeclarations)
          .set({
            data: next.data,
            shipmentId: next.shipmentId,
            holderId: next.holderId,
            version: next.version,
            state: next.state,
            guaranteeState: next.guaranteeState,
            updatedAt: next.updatedAt,
          })
          .where(eq(customsDeclarations.id, id));
        if (
          next.segments.length !== current.segments.length ||
          next.segments.some((s, i) => s.seq !== current.segments[i]!.seq)
        ) {
          await tx.delete(customsSegments).where(eq(customsSegments.declarationId, id));
          await tx.insert(customsSegments).values(next.segments.map((s) => segmentRow(id, s)));
        } else
          for (const [i, s] of next.segments.entries())
            if (s !== current.segments[i])
              await tx
                .update(customsSegments)
                .set(segmentRow(id, s))
                .where(and(eq(customsSegments.declarationId, id), eq(customsSegments.seq, s.seq)));
      }
      await writeChange(tx, out);
      return out.result;
    });
  }

  async openSegmentsByOffice(country: string): Promise<Map<string, number>> {
    const rows = await this.db
      .select({ office: customsSegments.office, n: sql<number>`count(*)::int` })
      .from(customsSegments)
      .where(and(eq(customsSegments.country, country), inArray(customsSegments.state, OPEN_STATES)))
      .groupBy(customsSegments.office);
    return new Map(rows.map((r) => [r.office, Number(r.n)]));
  }

  async queue(office: string, limit: number, offset = 0): Promise<CustomsDeclaration[]> {
    const ids = await this.db
      .select({ id: customsSegments.declarationId })
      .from(customsSegments)
      .where(and(eq(customsSegments.office, office), inArray(customsSegments.state, OPEN_STATES)))
      .orderBy(
        sql`${customsSegments.etaAt} asc nulls last`,
        asc(customsSegments.lodgedAt),
        asc(customsSegments.declarationId),
      )
      .limit(limit)
      .offset(offset);
    if (ids.length === 0) return [];
    const found = await this.load(
      this.db,
      inArray(
        customsDeclarations.id,
        ids.map((r) => r.id),
      ),
      limit,
    );
    const order = new Map(ids.map((r, i) => [r.id, i]));
    return found.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  }

  async queueSize(office: string): Promise<number> {
    const [row] = await this.db
      .select({ n: countAll })
      .from(customsSegments)
      .where(and(eq(customsSegments.office, office), inArray(customsSegments.state, OPEN_STATES)));
    return row?.n ?? 0;
  }

  async dueForAssessment(before: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectDistinct({ id: customsSegments.declarationId })
      .from(customsSegments)
      .where(
        and(
          eq(customsSegments.state, 'accepted'),
          lte(customsSegments.etaAt, before),
          // A segment decided in a customs system is not assessed by the platform.
          sql`not exists (select 1 from ${customsSystemLinks} l where l.declaration_id = ${customsSegments.declarationId} and l.segment_seq = ${customsSegments.seq})`,
        ),
      )
      .limit(limit);
    return rows.map((r) => r.id);
  }

  async awaitingAssessment(limit: number): Promise<CustomsDeclaration[]> {
    return this.load(
      this.db,
      and(
        isNotNull(customsDeclarations.shipmentId),
        eq(customsDeclarations.state, 'open'),
        sql`exists (select 1 from ${customsSegments} s where s.declaration_id = ${customsDeclarations.id} and s.state = 'accepted' and not exists (select 1 from ${customsSystemLinks} l where l.declaration_id = s.declaration_id and l.segment_seq = s.seq))`,
      ),
      limit,
    );
  }

  async currentRuleSet(scope: string): Promise<StoredRuleSet | undefined> {
    const [row] = await this.db
      .select()
      .from(customsRuleSets)
      .where(eq(customsRuleSets.scope, scope))
      .orderBy(desc(customsRuleSets.version))
      .limit(1);
    return row ? toRuleSet(row) : undefined;
  }

  async ruleSetVersion(scope: string, version: number): Promise<StoredRuleSet | undefined> {
    const [row] = await this.db
      .select()
      .from(customsRuleSets)
      .where(and(eq(customsRuleSets.scope, scope), eq(customsRuleSets.version, version)));
    return row ? toRuleSet(row) : undefined;
  }

  async publishRuleSet(
    scope: string,
    rules: RuleSet,
    createdBy: string,
    at: Date,
  ): Promise<StoredRuleSet> {
    // The next version number is taken in the statement that inserts it; two publications at
    // once get two versions, or one fails on the key and is retried.
    for (let attempt = 0; ; attempt++) {
      try {
        const [row] = await this.db
          .insert(customsRuleSets)
          .values({
            scope,
            version: sql`(select coalesce(max(version), 0) + 1 from ${customsRuleSets} where scope = ${scope})`,
            rules,
            createdBy,
            createdAt: at,
          })
          .returning();
        return toRuleSet(row!);
      } catch (e) {
        const err = e as { code?: string; cause?: { code?: string } };
        if (attempt < 5 && (err.code === '23505' || err.cause?.code === '23505')) continue;
        throw e;
      }
    }
  }

  async timedSegments(filter: {
    countries?: readonly string[] | undefined;
    from?: Date | undefined;
    to?: Date | undefined;
  }): Promise<TimedSegment[]> {
    const rows = await this.db
      .select({
        office: customsSegments.office,
        lane: customsSegments.lane,
        aeo: customsSegments.aeo,
        lodgedAt: customsSegments.lodgedAt,
        arrivedAt: customsSegments.arrivedAt,
        assessedAt: customsSegments.assessedAt,
        releasedAt: customsSegments.releasedAt,
      })
      .from(customsSegments)
      .where(
        and(
          filter.countries ? inArray(customsSegments.country, [...filter.countries]) : undefined,
          filter.from
            ? sql`${customsSegments.lodgedAt} >= ${filter.from.toISOString()}`
            : undefined,
          filter.to ? sql`${customsSegments.lodgedAt} < ${filter.to.toISOString()}` : undefined,
          sql`${customsSegments.state} <> 'invalidated'`,
        ),
      );
    return rows.map((r) => ({
      office: r.office,
      lane: r.lane as Lane | null,
      aeo: r.aeo,
      lodgedAt: r.lodgedAt.getTime(),
      arrivedAt: r.arrivedAt?.getTime() ?? null,
      assessedAt: r.assessedAt?.getTime() ?? null,
      releasedAt: r.releasedAt?.getTime() ?? null,
    }));
  }

  async decisionsAt(office: string, since: Date, limit: number): Promise<OfficeDecision[]> {
    const rows = await this.db
      .select({
        seq: customsAudit.seq,
        at: customsAudit.at,
        actor: customsAudit.actor,
        action: customsAudit.action,
        detail: customsAudit.detail,
        declarationId: customsAudit.declarationId,
        mrn: customsDeclarations.mrn,
      })
      .from(customsAudit)
      .innerJoin(customsDeclarations, eq(customsDeclarations.id, customsAudit.declarationId))
      .innerJoin(
        customsSegments,
        and(
          eq(customsSegments.declarationId, customsAudit.declarationId),
          eq(customsSegments.country, customsAudit.country),
        ),
      )
      .where(
        and(
          eq(customsAudit.country, office.slice(0, 2)),
          eq(customsSegments.office, office),
          gte(customsAudit.at, since.toISOString()),
          inArray(customsAudit.action, [...OFFICER_DECISIONS]),
        ),
      )
      .orderBy(desc(customsAudit.seq))
      .limit(limit);
    return rows.map((r) => ({ ...r, at: new Date(r.at) }));
  }

  async auditRecordsOf(declarationId: string): Promise<AuditRecord[]> {
    return this.db
      .select()
      .from(customsAudit)
      .where(eq(customsAudit.declarationId, declarationId))
      .orderBy(asc(customsAudit.seq));
  }

  private async load(
    db: Db | Tx,
    where: ReturnType<typeof and>,
    limit = 500,
    lock = false,
  ): Promise<CustomsDeclaration[]> {
    const base = db
      .select()
      .from(customsDeclarations)
      .where(where)
      .orderBy(desc(customsDeclarations.createdAt), desc(customsDeclarations.id))
      .limit(limit);
    const rows = lock ? await base.for('update') : await base;
    if (rows.length === 0) return [];
    const segments = await db
      .select()
      .from(customsSegments)
      .where(
        inArray(
          customsSegments.declarationId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(customsSegments.declarationId), asc(customsSegments.seq));
    const byDeclaration = new Map<string, CustomsSegment[]>();
    for (const s of segments) {
      const list = byDeclaration.get(s.declarationId) ?? [];
      list.push(toSegment(s));
      byDeclaration.set(s.declarationId, list);
    }
    return rows.map((r) => toDeclaration(r, byDeclaration.get(r.id) ?? []));
  }
}

/** Tracking events, lane counts and the audit entries of a change. */
async function writeChange(
  tx: Tx,
  change: Omit<DeclarationChange<unknown>, 'result' | 'declaration'>,
): Promise<void> {
  if (change.events.length > 0)
    await tx.execute(insertAndMarkSql(change.events, change.audit[0]?.at ?? new Date()));
  if (change.deliveries && change.deliveries.length > 0)
    await tx.insert(webhookDeliveries).values(deliveryRows(change.deliveries));
  if (change.systems) await writeSystemChange(tx, change.systems);
  // The rows every assessment or action of a country (the lane counts) or of the platform (the
  // audit head) updates come last, so that their locks are held for as short as possible.
  for (const c of change.counted ?? [])
    await tx
      .update(customsRuleSets)
      .set({ [c.lane]: sql`${sql.identifier(c.lane)} + 1` })
      .where(and(eq(customsRuleSets.scope, c.scope), eq(customsRuleSets.version, c.version)));
  await appendAudit(tx, change.audit);
}

async function firstRuleSet(
  db: Db | Tx,
  scopes: readonly string[],
): Promise<StoredRuleSet | undefined> {
  const rows = await db
    .selectDistinctOn([customsRuleSets.scope])
    .from(customsRuleSets)
    .where(inArray(customsRuleSets.scope, [...scopes]))
    .orderBy(customsRuleSets.scope, desc(customsRuleSets.version));
  for (const scope of scopes) {
    const row = rows.find((r) => r.scope === scope);
    if (row) return toRuleSet(row);
  }
  return undefined;
}

async function pastFindings(db: Db | Tx, holderId: string): Promise<number> {
  const result: unknown = await db.execute(sql`
    select count(*)::int as n
    from ${customsSegments} s join ${customsDeclarations} d on d.id = s.declaration_id,
      jsonb_array_elements(s.inspections) i
    where d.holder_id = ${holderId} and jsonb_array_length(i->'discrepancies') > 0`);
  return (result as { rows: { n: number }[] }).rows[0]!.n;
}

/** Appends entries to the audit chain; the head row's lock keeps appends in one line. */
async function appendAudit(tx: Tx, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const head: unknown = await tx.execute(sql`
    insert into ${customsAuditHead} (id, seq, hash) values (1, 0, ${GENESIS_HASH})
    on conflict (id) do update set id = excluded.id
    returning seq, hash`);
  let { seq, hash } = (head as { rows: { seq: number; hash: string }[] }).rows[0]!;
  const rows = entries.map((e) => {
    const record = {
      seq: ++seq,
      at: e.at.toISOString(),
      actor: e.actor,
      declarationId: e.declarationId,
      country: e.country,
      action: e.action,
      // As it will read back from jsonb: no undefined fields.
      detail: JSON.parse(JSON.stringify(e.detail ?? null)) as unknown,
      prevHash: hash,
    };
    hash = cryptoSecrets.hash(hashedText(record));
    return { ...record, hash };
  });
  await tx.insert(customsAudit).values(rows);
  await tx.update(customsAuditHead).set({ seq, hash }).where(eq(customsAuditHead.id, 1));
}

function declarationRow(d: CustomsDeclaration) {
  return {
    id: d.id,
    mrn: d.mrn,
    lrn: d.lrn,
    organisationId: d.organisationId,
    shipmentId: d.shipmentId,
    holderId: d.holderId,
    data: d.data,
    version: d.version,
    state: d.state,
    guaranteeState: d.guaranteeState,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

function segmentRow(declarationId: string, s: CustomsSegment) {
  return {
    declarationId,
    seq: s.seq,
    country: s.country,
    regime: s.regime,
    office: s.office,
    exitOffice: s.exitOffice,
    entryNodeId: s.entryNodeId,
    state: s.state,
    lane: s.lane,
    aeo: s.aeo,
    decision: s.decision,
    inspections: s.inspections,
    note: s.note,
    shared: s.shared,
    etaAt: date(s.etaAt),
    lodgedAt: new Date(s.lodgedAt),
    arrivedAt: date(s.arrivedAt),
    assessedAt: date(s.assessedAt),
    releasedAt: date(s.releasedAt),
    exitedAt: date(s.exitedAt),
    dischargedAt: date(s.dischargedAt),
    documentsCheckedAt: date(s.documentsCheckedAt),
    lastDecision: s.lastDecision,
  };
}

const ms = (d: Date | null) => (d === null ? null : d.getTime());

function toSegment(r: SegmentRow): CustomsSegment {
  return {
    seq: r.seq,
    country: r.country,
    regime: r.regime,
    office: r.office,
    exitOffice: r.exitOffice,
    entryNodeId: r.entryNodeId,
    state: r.state as SegmentState,
    lane: r.lane as Lane | null,
    aeo: r.aeo,
    decision: r.decision as RiskDecision | null,
    inspections: r.inspections as Inspection[],
    note: r.note,
    shared: r.shared as SharedFinding[],
    etaAt: ms(r.etaAt),
    lodgedAt: r.lodgedAt.getTime(),
    arrivedAt: ms(r.arrivedAt),
    assessedAt: ms(r.assessedAt),
    releasedAt: ms(r.releasedAt),
    exitedAt: ms(r.exitedAt),
    dischargedAt: ms(r.dischargedAt),
    documentsCheckedAt: ms(r.documentsCheckedAt),
    lastDecision: r.lastDecision as LastDecision | null,
  };
}

function toDeclaration(r: DeclarationRow, segments: CustomsSegment[]): CustomsDeclaration {
  return {
    id: r.id,
    mrn: r.mrn,
    lrn: r.lrn,
    organisationId: r.organisationId,
    shipmentId: r.shipmentId,
    holderId: r.holderId,
    data: r.data as DeclarationBody,
    version: r.version,
    state: r.state as CustomsDeclaration['state'],
    guaranteeState: r.guaranteeState as CustomsDeclaration['guaranteeState'],
    segments,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function toRuleSet(r: RuleSetRow): StoredRuleSet {
  return {
    scope: r.scope,
    version: r.version,
    rules: r.rules as RuleSet,
    counts: { green: r.green, yellow: r.yellow, blue: r.blue, red: r.red },
    createdBy: r.createdBy,
    createdAt: r.createdAt,
  };
}
