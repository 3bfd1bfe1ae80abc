import { asc, eq, gt, sql } from 'drizzle-orm';
import type { AuditAnchor, CustomsAuditLog } from '../app/customs-audit.ts';
import type { AuditRecord } from '../core/customs/audit-chain.ts';
import type { Db } from './database.ts';
import { customsAudit, customsAuditAnchors, customsAuditHead } from './schema.ts';

/** The customs audit log, its head record and its signed heads in PostgreSQL. */
export class PgCustomsAuditLog implements CustomsAuditLog {
  constructor(private readonly db: Db) {}

  records(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    return this.db
      .select()
      .from(customsAudit)
      .where(gt(customsAudit.seq, afterSeq))
      .orderBy(asc(customsAudit.seq))
      .limit(limit);
  }

  async record(seq: number): Promise<AuditRecord | undefined> {
    const [row] = await this.db.select().from(customsAudit).where(eq(customsAudit.seq, seq));
    return row;
  }

  async head(): Promise<{ seq: number; hash: string } | undefined> {
    const [row] = await this.db
      .select({ seq: customsAuditHead.seq, hash: customsAuditHead.hash })
      .from(customsAuditHead)
      .where(eq(customsAuditHead.id, 1));
    return row;
  }

  anchors(): Promise<AuditAnchor[]> {
    return this.db.select().from(customsAuditAnchors).orderBy(asc(customsAuditAnchors.day));
  }

  async saveAnchor(anchor: AuditAnchor): Promise<void> {
    // Two servers signing at once: the day keeps the further head.
    await this.db
      .insert(customsAuditAnchors)
      .values(anchor)
      .onConflictDoUpdate({
        target: customsAuditAnchors.day,
        set: {
          seq: sql`excluded.seq`,
          hash: sql`excluded.hash`,
          signedAt: sql`excluded.signed_at`,
          keyId: sql`excluded.key_id`,
          signature: sql`excluded.signature`,
        },
        setWhere: sql`excluded.seq >= ${customsAuditAnchors.seq}`,
      });
  }
}
