import { and, asc, desc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import { AppError } from '../app/errors.ts';
import type {
  AdminAuditEntry,
  AdminAuditStore,
  ApiKey,
  ApiKeyStore,
  Organisation,
  OrganisationKind,
  OrganisationStore,
  Role,
  SessionInfo,
  SessionStore,
  Stores,
  User,
  UserStore,
} from '../app/account-ports.ts';
import type { Db } from './database.ts';
import {
  adminAudit,
  apiKeys,
  customsOffices,
  organisationServices,
  organisations,
  sessions,
  users,
} from './account.schema.ts';

/** How many hex digits of a session's token hash name it in lists. */
const SESSION_ID_LENGTH = 16;

/** How long a process may use the auto-confirm policies it read. */
const AUTO_CONFIRM_TTL_MS = 5_000;

/** The account stores on PostgreSQL / PGlite. */
export function pgStores(db: Db): Stores {
  return {
    organisations: new PgOrganisationStore(db),
    users: new PgUserStore(db),
    sessions: new PgSessionStore(db),
    apiKeys: new PgApiKeyStore(db),
    adminAudit: new PgAdminAuditStore(db),
  };
}

class PgAdminAuditStore implements AdminAuditStore {
  constructor(private readonly db: Db) {}

  async record(entry: AdminAuditEntry): Promise<void> {
    await this.db.insert(adminAudit).values(entry);
  }

  async list(filter: { organisationId?: string | undefined; limit: number }) {
    const rows = await this.db
      .select()
      .from(adminAudit)
      .where(
        filter.organisationId ? eq(adminAudit.organisationId, filter.organisationId) : undefined,
      )
      .orderBy(desc(adminAudit.seq))
      .limit(filter.limit);
    return rows.map(({ seq: _seq, ...r }) => ({
      ...r,
      action: r.action as AdminAuditEntry['action'],
      detail: r.detail as Record<string, unknown>,
    }));
  }
}

class PgOrganisationStore implements OrganisationStore {
  constructor(private readonly db: Db) {}

  async create(org: Organisation): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(organisations).values({
        autoConfirm: org.autoConfirm,
        id: org.id,
        name: org.name,
        kind: org.kind,
        country: org.country,
        createdAt: org.createdAt,
      });
      if (org.services.length > 0)
        await tx
          .insert(organisationServices)
          .values(org.services.map((serviceId) => ({ organisationId: org.id, serviceId })));
      if (org.customsOffices.length > 0)
        await tx
          .insert(customsOffices)
          .values(org.customsOffices.map((o) => ({ ...o, organisationId: org.id })))
          .catch((e: unknown) => {
            throw isUniqueViolation(e)
              ? new AppError('conflict', 'a customs office code is already registered')
              : e;
          });
    });
  }

  /** One round trip: every request of an API client looks its organisation up. */
  async find(id: string): Promise<Organisation | undefined> {
    const result: unknown = await this.db.execute(sql`
      select o.id, o.name, o.kind, o.country, o.auto_confirm, o.created_at,
        coalesce((select json_agg(s.service_id order by s.service_id) from organisation_services s
                  where s.organisation_id = o.id), '[]'::json) as services,
        coalesce((select json_agg(json_build_object('code', c.code, 'name', c.name, 'nodeId', c.node_id) order by c.code)
                  from customs_offices c where c.organisation_id = o.id), '[]'::json) as offices
      from organisations o where o.id = ${id}`);
    const [row] = (result as { rows: Record<string, unknown>[] }).rows;
    if (!row) return undefined;
    return {
      id: row.id as string,
      name: row.name as string,
      kind: row.kind as OrganisationKind,
      country: row.country as string,
      autoConfirm: row.auto_confirm as boolean,
      createdAt: new Date(row.created_at as string | Date),
      services: row.services as string[],
      customsOffices: row.offices as Organisation['customsOffices'],
    };
  }

  async list(): Promise<Organisation[]> {
    return this.withDetails(
      await this.db.select().from(organisations).orderBy(asc(organisations.name)),
    );
  }

  async setAutoConfirm(id: string, autoConfirm: boolean): Promise<void> {
    await this.db.update(organisations).set({ autoConfirm }).where(eq(organisations.id, id));
    this.autoConfirmCache = undefined;
  }

  /**
   * Every booking asks this, and the policy changes rarely: the whole map is read at most every
   * AUTO_CONFIRM_TTL_MS per process (at once in the process that changes it).
   */
  private autoConfirmCache: { at: number; map: Map<string, string> } | undefined;

  async autoConfirming(serviceIds: readonly string[]): Promise<Map<string, string>> {
    const now = Date.now();
    if (!this.autoConfirmCache || now - this.autoConfirmCache.at > AUTO_CONFIRM_TTL_MS) {
      const rows = await this.db
        .select({ serviceId: organisationServices.serviceId, organisationId: organisations.id })
        .from(organisationServices)
        .innerJoin(organisations, eq(organisations.id, organisationServices.organisationId))
        .where(eq(organisations.autoConfirm, true));
      this.autoConfirmCache = {
        at: now,
        map: new Map(rows.map((r) => [r.serviceId, r.organisationId])),
      };
    }
    const all = this.autoConfirmCache.map;
    return new Map(serviceIds.filter((id) => all.has(id)).map((id) => [id, all.get(id)!]));
  }

  async operated(serviceIds: readonly string[]): Promise<Set<string>> {
    if (serviceIds.length === 0) return new Set();
    const rows = await this.db
      .selectDistinct({ serviceId: organisationServices.serviceId })
      .from(organisationServices)
      .where(inArray(organisationServices.serviceId, [...serviceIds]));
    return new Set(rows.map((r) => r.serviceId));
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(organisations);
    return Number(row?.n ?? 0);
  }

  private async withDetails(rows: (typeof organisations.$inferSelect)[]): Promise<Organisation[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [services, offices] = await Promise.all([
      this.db
        .select()
        .from(organisationServices)
        .where(inArray(organisationServices.organisationId, ids))
        .orderBy(asc(organisationServices.serviceId)),
      this.db
        .select()
        .from(customsOffices)
        .where(inArray(customsOffices.organisationId, ids))
        .orderBy(asc(customsOffices.code)),
    ]);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind as OrganisationKind,
      country: r.country,
      autoConfirm: r.autoConfirm,
      createdAt: r.createdAt,
      services: services.filter((s) => s.organisationId === r.id).map((s) => s.serviceId),
      customsOffices: offices
        .filter((o) => o.organisationId === r.id)
        .map((o) => ({ code: o.code, name: o.name, nodeId: o.nodeId })),
    }));
  }
}

class PgUserStore implements UserStore {
  constructor(private readonly db: Db) {}

  async create(user: User, passwordHash: string): Promise<void> {
    try {
      await this.db.insert(users).values({ ...user, passwordHash });
    } catch (e) {
      // Addresses are unique within an organisation only, so this speaks of the organisation's
      // own users: whether another organisation has the address is never told.
      if (isUniqueViolation(e))
        throw new AppError(
          'conflict',
          'a user of this organisation already has this e-mail address',
          [{ path: 'body.email', message: 'already a user of this organisation' }],
        );
      throw e;
    }
  }

  async listByEmail(email: string): Promise<{ user: User; passwordHash: string }[]> {
    const rows = await this.db
      .select()
      .from(users)
      .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()))
      .orderBy(asc(users.createdAt), asc(users.id));
    return rows.map(({ passwordHash, ...rest }) => ({ user: toUser(rest), passwordHash }));
  }

  async find(id: string): Promise<User | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row ? toUser(row) : undefined;
  }

  async listByOrganisation(organisationId: string): Promise<User[]> {
    const rows = await this.db
      .select()
      .from(users)
      .where(eq(users.organisationId, organisationId))
      .orderBy(asc(users.email));
    return rows.map(toUser);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.update(users).set({ passwordHash }).where(eq(users.id, id));
  }

  async setDisabled(id: string, disabled: boolean): Promise<boolean> {
    if (!disabled) {
      await this.db.update(users).set({ disabled }).where(eq(users.id, id));
      return true;
    }
    return this.unlessLastAdmin(id, async (tx) => {
      await tx.update(users).set({ disabled }).where(eq(users.id, id));
    });
  }

  async delete(id: string, at: Date): Promise<{ keysRevoked: number } | undefined> {
    let keysRevoked = 0;
    const done = await this.unlessLastAdmin(id, async (tx) => {
      const revoked = await tx
        .update(apiKeys)
        .set({ revokedAt: at })
        .where(and(eq(apiKeys.createdBy, id), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id });
      keysRevoked = revoked.length;
      await tx.delete(users).where(eq(users.id, id));
    });
    return done ? { keysRevoked } : undefined;
  }

  /** Runs `change` unless the user is its organisation's last active admin, under the org's lock. */
  private async unlessLastAdmin(
    id: string,
    change: (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) => Promise<void>,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [user] = await tx.select().from(users).where(eq(users.id, id));
      if (!user) return true;
      // Every removal or disabling of an admin of this organisation waits here for the others.
      await tx.execute(
        sql`select 1 from ${organisations} where ${organisations.id} = ${user.organisationId} for update`,
      );
      if (user.role === 'admin' && !user.disabled) {
        const [row] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(users)
          .where(
            and(
              eq(users.organisationId, user.organisationId),
              eq(users.role, 'admin'),
              eq(users.disabled, false),
            ),
          );
        if (Number(row?.n ?? 0) <= 1) return false;
      }
      await change(tx);
      return true;
    });
  }
}

function toUser(
  r: Omit<typeof users.$inferSelect, 'passwordHash'> & { passwordHash?: string },
): User {
  return {
    id: r.id,
    organisationId: r.organisationId,
    email: r.email,
    name: r.name,
    role: r.role as Role,
    disabled: r.disabled,
    createdAt: r.createdAt,
  };
}

class PgSessionStore implements SessionStore {
  constructor(private readonly db: Db) {}

  async create(s: {
    tokenHash: string;
    userId: string;
    csrfToken: string;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<void> {
    await this.db.insert(sessions).values(s);
  }

  async find(
    tokenHash: string,
    now: Date,
  ): Promise<{ userId: string; csrfToken: string; expiresAt: Date } | undefined> {
    const [row] = await this.db
      .select({
        userId: sessions.userId,
        csrfToken: sessions.csrfToken,
        expiresAt: sessions.expiresAt,
      })
      .from(sessions)
      .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
    return row;
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
  }

  async listByUser(userId: string, now: Date): Promise<SessionInfo[]> {
    const rows = await this.db
      .select({
        tokenHash: sessions.tokenHash,
        createdAt: sessions.createdAt,
        expiresAt: sessions.expiresAt,
      })
      .from(sessions)
      .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
      .orderBy(asc(sessions.createdAt));
    return rows.map((r) => ({
      id: r.tokenHash.slice(0, SESSION_ID_LENGTH),
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
    }));
  }

  async deleteByUser(userId: string, sessionId?: string): Promise<number> {
    const rows = await this.db
      .delete(sessions)
      .where(
        and(
          eq(sessions.userId, userId),
          sessionId === undefined
            ? undefined
            : eq(sql`left(${sessions.tokenHash}, ${SESSION_ID_LENGTH})`, sessionId),
        ),
      )
      .returning({ tokenHash: sessions.tokenHash });
    return rows.length;
  }
}

class PgApiKeyStore implements ApiKeyStore {
  constructor(private readonly db: Db) {}

  async create(key: ApiKey, keyHash: string): Promise<void> {
    await this.db.insert(apiKeys).values({ ...key, keyHash });
  }

  /** One round trip with the organisation's kind: every request of an API client asks this. */
  async findActive(
    keyHash: string,
  ): Promise<(ApiKey & { organisationKind: OrganisationKind }) | undefined> {
    const [row] = await this.db
      .select({ key: apiKeys, organisationKind: organisations.kind })
      .from(apiKeys)
      .innerJoin(organisations, eq(organisations.id, apiKeys.organisationId))
      .leftJoin(users, eq(users.id, apiKeys.createdBy))
      .where(
        and(
          eq(apiKeys.keyHash, keyHash),
          isNull(apiKeys.revokedAt),
          // A key stops while its user is disabled (removing a user revokes its keys).
          or(isNull(users.id), eq(users.disabled, false)),
        ),
      );
    return row
      ? { ...toKey(row.key), organisationKind: row.organisationKind as OrganisationKind }
      : undefined;
  }

  async listByOrganisation(organisationId: string): Promise<ApiKey[]> {
    const rows = await this.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.organisationId, organisationId))
      .orderBy(asc(apiKeys.createdAt));
    return rows.map(toKey);
  }

  async revoke(organisationId: string, id: string, at: Date): Promise<boolean> {
    const rows = await this.db
      .update(apiKeys)
      .set({ revokedAt: at })
      .where(
        and(
          eq(apiKeys.organisationId, organisationId),
          eq(apiKeys.id, id),
          isNull(apiKeys.revokedAt),
        ),
      )
      .returning({ id: apiKeys.id });
    return rows.length > 0;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
  }
}

function toKey(r: typeof apiKeys.$inferSelect): ApiKey {
  const { keyHash: _hash, ...rest } = r;
  return { ...rest, role: r.role as Role };
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; cause?: { code?: string } };
  return err.code === '23505' || err.cause?.code === '23505';
}
