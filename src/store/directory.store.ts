import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { PageKey } from '../app/paging.ts';
import { countAll, olderThan } from './paging.sql.ts';
import type {
  DirectoryFilter,
  DirectoryStore,
  Notification,
  Profile,
  RequestChange,
  RequestMessage,
  ServiceRequest,
} from '../app/ports.ts';
import { AppError } from '../app/errors.ts';
import type { OrganisationKind } from '../app/account-ports.ts';
import type { Listing } from '../core/directory/matching.ts';
import { SERVICE_NAMES, type ServiceKind } from '../core/directory/catalogue.ts';
import type { Offer, RequestState } from '../core/directory/service-request.ts';
import type { Tx } from './capacity.store.ts';
import type { Db } from './database.ts';
import {
  notifications,
  organisationProfiles,
  organisations,
  serviceRequestMessages,
  serviceRequests,
  tradeListings,
  webhookDeliveries,
} from './schema.ts';
import { deliveryRows } from './tracking.store.ts';

type RequestRow = typeof serviceRequests.$inferSelect;

const PROFILE = {
  organisationId: organisations.id,
  name: organisations.name,
  kind: organisations.kind,
  country: organisations.country,
  verified: organisationProfiles.verified,
  services: organisationProfiles.services,
  countries: organisationProfiles.countries,
  nodes: organisationProfiles.nodes,
  languages: organisationProfiles.languages,
  exportsHs: organisationProfiles.exportsHs,
  importsHs: organisationProfiles.importsHs,
  descriptions: organisationProfiles.descriptions,
  contact: organisationProfiles.contact,
  updatedAt: organisationProfiles.updatedAt,
};

type ProfileRow = {
  [K in keyof typeof PROFILE]: unknown;
};

function profileOf(r: ProfileRow): Profile {
  return {
    organisationId: r.organisationId as string,
    name: r.name as string,
    kind: r.kind as OrganisationKind,
    country: r.country as string,
    verified: (r.verified as boolean | null) ?? false,
    services: (r.services as string[] | null) ?? [],
    countries: (r.countries as string[] | null) ?? [],
    nodes: (r.nodes as string[] | null) ?? [],
    languages: (r.languages as string[] | null) ?? [],
    exportsHs: (r.exportsHs as string[] | null) ?? [],
    importsHs: (r.importsHs as string[] | null) ?? [],
    descriptions: (r.descriptions as Record<string, string> | null) ?? {},
    contact: (r.contact as Record<string, string> | null) ?? {},
    updatedAt: (r.updatedAt as Date | null) ?? null,
  };
}

function requestOf(r: RequestRow): ServiceRequest {
  return {
    ...r,
    state: r.state as RequestState,
    offer: r.offer as Offer | null,
    history: r.history as ServiceRequest['history'],
  };
}

const requestRow = (r: ServiceRequest) => ({ ...r });

const textArray = (xs: readonly string[]) =>
  sql`ARRAY[${sql.join(
    xs.map((x) => sql`${x}`),
    sql`, `,
  )}]::text[]`;

export class PgDirectoryStore implements DirectoryStore {
  constructor(private readonly db: Db) {}

  async upsertProfile(p: Omit<Profile, 'name' | 'kind' | 'country' | 'verified'>): Promise<void> {
    const descriptions = Object.values(p.descriptions).join(' ');
    const services = p.services.map((s) => SERVICE_NAMES[s as ServiceKind] ?? s).join(' ');
    const search = sql`setweight(to_tsvector('simple', (SELECT name FROM organisations WHERE id = ${p.organisationId})), 'A') || setweight(to_tsvector('simple', ${descriptions}), 'B') || setweight(to_tsvector('simple', ${services}), 'C')`;
    const values = {
      organisationId: p.organisationId,
      services: p.services,
      countries: p.countries,
      nodes: p.nodes,
      languages: p.languages,
      exportsHs: p.exportsHs,
      importsHs: p.importsHs,
      descriptions: p.descriptions,
      contact: p.contact,
      updatedAt: p.updatedAt ?? new Date(),
    };
    await this.db
      .insert(organisationProfiles)
      .values({ ...values, search })
      .onConflictDoUpdate({
        target: organisationProfiles.organisationId,
        set: { ...values, search },
      });
  }

  async setVerified(organisationId: string, verified: boolean): Promise<boolean> {
    const rows = await this.db
      .update(organisationProfiles)
      .set({ verified })
      .where(eq(organisationProfiles.organisationId, organisationId))
      .returning({ id: organisationProfiles.organisationId });
    return rows.length > 0;
  }

  async profile(organisationId: string): Promise<Profile | undefined> {
    const [row] = await this.db
      .select(PROFILE)
      .from(organisations)
      .leftJoin(organisationProfiles, eq(organisationProfiles.organisationId, organisations.id))
      .where(eq(organisations.id, organisationId));
    return row && profileOf(row);
  }

  async search(
    f: DirectoryFilter,
  ): Promise<{ total: number; results: (Profile & { rank: number })[] }> {
    const p = organisationProfiles;
    const o = organisations;
    const where: SQL[] = [];
    const query = f.words && f.words.length > 0 ? f.words.map((w) => `${w}:*`).join(' & ') : null;
    const like = f.text ? `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    if (query || like)
      where.push(
        or(
          ...(query ? [sql`${p.search} @@ to_tsquery('simple', ${query})`] : []),
          ...(like
            ? [sql`${o.name} ILIKE ${like}`, sql`${p.descriptions}::text ILIKE ${like}`]
            : []),
        )!,
      );
    if (f.services) where.push(sql`${p.services} && ${textArray(f.services)}`);
    if (f.countries)
      where.push(
        sql`(${p.countries} && ${textArray(f.countries)} OR ${o.country} = ANY(${textArray(f.countries)}))`,
      );
    if (f.nodes) where.push(sql`${p.nodes} && ${textArray(f.nodes)}`);
    if (f.languages) where.push(sql`${p.languages} && ${textArray(f.languages)}`);
    if (f.verified !== null) where.push(eq(p.verified, f.verified));
    if (f.hs)
      where.push(
        sql`EXISTS (SELECT 1 FROM unnest(${p.exportsHs} || ${p.importsHs}) AS h WHERE h LIKE ${f.hs} || '%' OR ${f.hs} LIKE h || '%')`,
      );
    const rank = sql<number>`(${query ? sql`ts_rank(${p.search}, to_tsquery('simple', ${query}))` : sql`0`} + ${like ? sql`CASE WHEN ${o.name} ILIKE ${like} THEN 0.3 ELSE 0 END + CASE WHEN ${p.descriptions}::text ILIKE ${like} THEN 0.1 ELSE 0 END` : sql`0`} + CASE WHEN ${p.verified} THEN 0.05 ELSE 0 END)::float8`;
    const rows = await this.db
      .select({ ...PROFILE, rank, total: sql<number>`(count(*) OVER ())::int` })
      .from(p)
      .innerJoin(o, eq(o.id, p.organisationId))
      .where(where.length > 0 ? and(...where) : undefined)
      .orderBy(desc(rank), asc(o.name))
      .limit(f.limit)
      .offset(f.offset);
    return {
      total: rows[0]?.total ?? 0,
      results: rows.map((r) => ({ ...profileOf(r), rank: Math.round(r.rank * 10_000) / 10_000 })),
    };
  }

  async partnersOf(organisationId: string): Promise<Set<string>> {
    const rows = await this.db
      .select({ a: serviceRequests.requesterId, b: serviceRequests.providerId })
      .from(serviceRequests)
      .where(
        and(
          eq(serviceRequests.state, 'accepted'),
          or(
            eq(serviceRequests.requesterId, organisationId),
            eq(serviceRequests.providerId, organisationId),
          ),
        ),
      );
    return new Set(rows.map((r) => (r.a === organisationId ? r.b : r.a)));
  }

  async addListing(l: Listing & { createdAt: Date }): Promise<void> {
    await this.db.insert(tradeListings).values(l);
  }

  async deleteListing(organisationId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(tradeListings)
      .where(and(eq(tradeListings.id, id), eq(tradeListings.organisationId, organisationId)))
      .returning({ id: tradeListings.id });
    return rows.length > 0;
  }

  async listings(filter: {
    organisationId?: string;
    kind?: 'export' | 'import';
    headings?: string[];
  }): Promise<(Listing & { createdAt: Date })[]> {
    const t = tradeListings;
    const rows = await this.db
      .select()
      .from(t)
      .where(
        and(
          filter.organisationId ? eq(t.organisationId, filter.organisationId) : undefined,
          filter.kind ? eq(t.kind, filter.kind) : undefined,
          filter.headings
            ? filter.headings.length > 0
              ? inArray(sql`left(${t.hsCode}, 4)`, filter.headings)
              : sql`false`
            : undefined,
        ),
      )
      .orderBy(asc(t.createdAt), asc(t.id))
      .limit(1000);
    return rows.map((r) => ({ ...r, kind: r.kind as 'export' | 'import' }));
  }

  async createRequest(change: RequestChange): Promise<void> {
    await this.db.transaction(async (tx: Tx) => {
      await tx.insert(serviceRequests).values(requestRow(change.request));
      await writeRest(tx, change);
    });
  }

  async findRequest(id: string): Promise<ServiceRequest | undefined> {
    const [row] = await this.db.select().from(serviceRequests).where(eq(serviceRequests.id, id));
    return row && requestOf(row);
  }

  async updateRequest(
    id: string,
    change: (r: ServiceRequest) => RequestChange,
  ): Promise<ServiceRequest> {
    return this.db.transaction(async (tx: Tx) => {
      const [row] = await tx
        .select()
        .from(serviceRequests)
        .where(eq(serviceRequests.id, id))
        .for('update');
      if (!row) throw new AppError('not_found', `no service request ${id}`);
      const c = change(requestOf(row));
      const { id: _id, createdAt: _c, ...rest } = requestRow(c.request);
      await tx.update(serviceRequests).set(rest).where(eq(serviceRequests.id, id));
      await writeRest(tx, c);
      return c.request;
    });
  }

  async addMessage(change: RequestChange): Promise<void> {
    await this.db.transaction(async (tx: Tx) => {
      await tx
        .update(serviceRequests)
        .set({ updatedAt: change.request.updatedAt })
        .where(eq(serviceRequests.id, change.request.id));
      await writeRest(tx, change);
    });
  }

  async messagesOf(requestId: string): Promise<RequestMessage[]> {
    return this.db
      .select()
      .from(serviceRequestMessages)
      .where(eq(serviceRequestMessages.requestId, requestId))
      .orderBy(asc(serviceRequestMessages.createdAt), asc(serviceRequestMessages.id));
  }

  async requestsOf(
    organisationId: string,
    limit: number,
    after?: PageKey,
  ): Promise<ServiceRequest[]> {
    const rows = await this.db
      .select()
      .from(serviceRequests)
      .where(
        and(
          or(
            eq(serviceRequests.requesterId, organisationId),
            eq(serviceRequests.providerId, organisationId),
          ),
          olderThan(serviceRequests.updatedAt, serviceRequests.id, after),
        ),
      )
      .orderBy(desc(serviceRequests.updatedAt), desc(serviceRequests.id))
      .limit(limit);
    return rows.map(requestOf);
  }

  async countRequests(organisationId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: countAll })
      .from(serviceRequests)
      .where(
        or(
          eq(serviceRequests.requesterId, organisationId),
          eq(serviceRequests.providerId, organisationId),
        ),
      );
    return row?.n ?? 0;
  }

  async notificationsOf(
    organisationId: string,
    limit: number,
    after?: PageKey,
  ): Promise<Notification[]> {
    return this.db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.organisationId, organisationId),
          olderThan(notifications.createdAt, notifications.id, after),
        ),
      )
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(limit);
  }

  async countNotifications(organisationId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: countAll })
      .from(notifications)
      .where(eq(notifications.organisationId, organisationId));
    return row?.n ?? 0;
  }

  async markRead(organisationId: string, id: string, at: Date): Promise<boolean> {
    const rows = await this.db
      .update(notifications)
      .set({ readAt: at })
      .where(
        and(
          eq(notifications.id, id),
          eq(notifications.organisationId, organisationId),
          isNull(notifications.readAt),
        ),
      )
      .returning({ id: notifications.id });
    if (rows.length > 0) return true;
    const [exists] = await this.db
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.id, id), eq(notifications.organisationId, organisationId)));
    return exists !== undefined;
  }
}

async function writeRest(tx: Tx, c: RequestChange): Promise<void> {
  if (c.messages.length > 0) await tx.insert(serviceRequestMessages).values(c.messages);
  if (c.notifications.length > 0) await tx.insert(notifications).values(c.notifications);
  if (c.deliveries.length > 0)
    await tx.insert(webhookDeliveries).values(deliveryRows(c.deliveries));
}
