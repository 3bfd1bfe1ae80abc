import {
  and,
  arrayOverlaps,
  asc,
  desc,
  eq,
  inArray,
  isNotNull,
  isNull,
  lt,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { PageKey } from '../app/paging.ts';
import { countAll, olderThan } from './paging.sql.ts';
import type {
  EventFilter,
  NewDelivery,
  Shipment,
  ShipmentAlert,
  ShipmentRef,
  ShipmentAccess,
  DcsaDocument,
  StoredEvent,
  TimeBound,
  TrackingStore,
} from '../app/shipments.ts';
import type { EventClassifier, EventType } from '../core/tracking/events.ts';
import type { ItineraryRide, Progress } from '../core/tracking/progress.ts';
import type { Tx } from './capacity.store.ts';
import type { Db } from './database.ts';
import { shipmentEquipment, shipments, trackingEvents, webhookDeliveries } from './schema.ts';

type ShipmentRow = typeof shipments.$inferSelect;
type EventRow = typeof trackingEvents.$inferSelect;

/** Below this many events a part of a batch is not worth its own statement. */
const MIN_PART = 100;

export class PgTrackingStore implements TrackingStore {
  /**
   * @param parallelWrites how many connections a large batch of events may be written over at
   *   once (PostgreSQL: more than one; PGlite has one connection).
   */
  constructor(
    private readonly db: Db,
    private readonly parallelWrites = 1,
  ) {}

  async createShipment(s: Shipment): Promise<{ taken: string[] }> {
    return this.db.transaction(async (tx: Tx) => {
      const containers = [...new Set(s.equipment.map((e) => e.equipmentReference))].sort();
      // Claims of the same container wait for each other (in one order: no deadlock), so the
      // check below sees a claim committed meanwhile.
      for (const c of containers)
        await tx.execute(
          sql`select pg_advisory_xact_lock(hashtextextended(${`container:${c}`}, 0))`,
        );
      const taken = await tx
        .selectDistinct({ container: shipmentEquipment.equipmentReference })
        .from(shipmentEquipment)
        .innerJoin(shipments, eq(shipments.id, shipmentEquipment.shipmentId))
        .where(
          and(
            inArray(shipmentEquipment.equipmentReference, containers),
            sql`${shipments.status} <> 'ARRIVED'`,
          ),
        );
      if (taken.length > 0) return { taken: taken.map((t) => t.container).sort() };
      await tx.insert(shipments).values({
        id: s.id,
        organisationId: s.organisationId,
        bookingId: s.bookingId,
        reference: s.reference,
        equipment: s.equipment,
        rides: s.rides,
        serviceIds: s.serviceIds,
        countries: s.countries,
        promisedArrival: s.promisedArrival,
        status: s.progress.status,
        progress: s.progress,
        etaP50: s.etaP50,
        etaP90: s.etaP90,
        alerts: s.alerts,
        createdAt: s.createdAt,
        updatedAt: s.updatedAt,
      });
      await tx
        .insert(shipmentEquipment)
        .values(
          s.equipment.map((e) => ({ equipmentReference: e.equipmentReference, shipmentId: s.id })),
        );
      return { taken: [] };
    });
  }

  async findShipment(id: string): Promise<Shipment | undefined> {
    const [row] = await this.db.select().from(shipments).where(eq(shipments.id, id));
    return row ? toShipment(row) : undefined;
  }

  async findShipments(ids: readonly string[]): Promise<ShipmentRef[]> {
    if (ids.length === 0) return [];
    return (
      await this.db
        .select(REF)
        .from(shipments)
        .where(inArray(shipments.id, [...ids]))
    ).map(toRef);
  }

  async listShipments(access: ShipmentAccess, limit = 500, after?: PageKey): Promise<Shipment[]> {
    const rows = await this.db
      .select()
      .from(shipments)
      .where(and(readableBy(access), olderThan(shipments.createdAt, shipments.id, after)))
      .orderBy(desc(shipments.createdAt), desc(shipments.id))
      .limit(limit);
    return rows.map(toShipment);
  }

  async countShipments(access: ShipmentAccess): Promise<number> {
    const [row] = await this.db.select({ n: countAll }).from(shipments).where(readableBy(access));
    return row?.n ?? 0;
  }

  async shipmentsByEquipment(references: readonly string[]): Promise<ShipmentRef[]> {
    if (references.length === 0) return [];
    // The containers as one JSON parameter and the answer as one JSON document: a batch names
    // hundreds of containers, and a row per container costs the driver more than the query.
    const result: unknown = await this.db.execute(sql`
      select coalesce(json_agg(json_build_object(
          'id', s.id, 'organisationId', s.organisation_id, 'bookingId', s.booking_id,
          'serviceIds', s.service_ids, 'countries', s.countries, 'createdAt', s.created_at,
          'status', s.status, 'containers', x.containers) order by s.created_at desc), '[]') as refs
      from (select se.shipment_id, array_agg(se.equipment_reference) as containers
            from ${shipmentEquipment} se
            where se.equipment_reference in
              (select jsonb_array_elements_text(${JSON.stringify(references)}::jsonb))
            group by se.shipment_id) x
      join ${shipments} s on s.id = x.shipment_id`);
    const [row] = (result as { rows: { refs: unknown }[] }).rows;
    const refs = (typeof row!.refs === 'string' ? JSON.parse(row!.refs) : row!.refs) as {
      id: string;
      organisationId: string;
      bookingId: string | null;
      serviceIds: string[];
      countries: string[];
      createdAt: string;
      status: string;
      containers: string[];
    }[];
    // Each with the containers asked about (not its whole list).
    return refs.map(({ containers, createdAt, ...r }) =>
      toRef({
        ...r,
        createdAt: new Date(createdAt),
        equipment: containers.map((c) => ({ equipmentReference: c, isoEquipmentCode: null })),
      }),
    );
  }

  async shipmentsByBooking(bookingIds: readonly string[]): Promise<ShipmentRef[]> {
    if (bookingIds.length === 0) return [];
    return (
      await this.db
        .select(REF)
        .from(shipments)
        .where(inArray(shipments.bookingId, [...bookingIds]))
        .orderBy(desc(shipments.createdAt))
    ).map(toRef);
  }

  async insertEvents(
    events: readonly StoredEvent[],
    receivedAt: Date,
    options: {
      deliveriesFor?: (stored: readonly StoredEvent[]) => NewDelivery[];
      markStale?: boolean;
    } = {},
  ): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const idsOf = (result: unknown) =>
      new Set((result as { rows: { event_id: string }[] }).rows.map((r) => r.event_id));
    // Without a subscriber for any of these events, one statement stores them and marks their
    // shipments: atomic, one round trip.
    if (!options.deliveriesFor || options.deliveriesFor(events).length === 0) {
      // A large batch is written in parts at once, each part the events of its own shipments
      // (no two parts mark the same shipment), each part one atomic statement. Every part is
      // committed before the answer; a retry after a failed part finds the others recorded
      // (their eventIDs answer "duplicate").
      const parts = partsByShipment(
        events,
        Math.min(this.parallelWrites, Math.floor(events.length / MIN_PART)),
      );
      const stored = await Promise.all(
        parts.map(async (part) =>
          idsOf(
            await this.db.execute(
              options.markStale
                ? insertAndMarkSql(part, receivedAt)
                : insertEventsSql(part, receivedAt),
            ),
          ),
        ),
      );
      return new Set(stored.flatMap((ids) => [...ids]));
    }
    return this.db.transaction(async (tx: Tx) => {
      const stored = idsOf(await tx.execute(insertEventsSql(events, receivedAt)));
      const fresh = events.filter((e) => stored.has(e.eventID));
      const deliveries = options.deliveriesFor?.(fresh) ?? [];
      if (deliveries.length > 0)
        await tx.insert(webhookDeliveries).values(deliveryRows(deliveries));
      if (options.markStale && fresh.length > 0)
        await tx
          .update(shipments)
          .set({ staleAt: receivedAt })
          .where(
            and(inArray(shipments.id, [...new Set(fresh.map((e) => e.shipmentId))]), NEEDS_MARK),
          );
      return stored;
    });
  }

  async claimStale(now: Date, leaseUntil: Date, limit: number, ids?: readonly string[]) {
    if (ids && ids.length === 0) return [];
    const rows = await this.db
      .update(shipments)
      .set({ refreshingUntil: leaseUntil })
      .where(
        inArray(
          shipments.id,
          sql`(select ${shipments.id} from ${shipments} where ${and(
            isNotNull(shipments.staleAt),
            or(isNull(shipments.refreshingUntil), lt(shipments.refreshingUntil, now)),
            ids ? inArray(shipments.id, [...ids]) : undefined,
          )} order by ${shipments.staleAt} limit ${limit} for update skip locked)`,
        ),
      )
      .returning();
    return rows.map((r) => ({ shipment: toShipment(r), staleAt: r.staleAt! }));
  }

  async finishRefresh(
    refreshes: readonly {
      id: string;
      change: Pick<Shipment, 'progress' | 'etaP50' | 'etaP90' | 'alerts'>;
      staleAt: Date;
    }[],
    at: Date,
  ): Promise<void> {
    if (refreshes.length === 0) return;
    const rows = JSON.stringify(
      refreshes.map((r) => ({
        id: r.id,
        status: r.change.progress.status,
        progress: r.change.progress,
        eta_p50: r.change.etaP50?.toISOString() ?? null,
        eta_p90: r.change.etaP90?.toISOString() ?? null,
        alerts: r.change.alerts,
        stale_at: r.staleAt.toISOString(),
      })),
    );
    // A mark read back has millisecond precision; the column keeps microseconds. Events that
    // came in during the refresh leave the shipment marked.
    await this.db.execute(sql`
      update ${shipments} s set status = x.status, progress = x.progress, eta_p50 = x.eta_p50,
        eta_p90 = x.eta_p90, alerts = x.alerts, updated_at = ${at.toISOString()}::timestamptz,
        refreshing_until = null,
        stale_at = case when s.stale_at < x.stale_at + interval '1 millisecond' then null
                        else s.stale_at end
      from jsonb_to_recordset(${rows}::jsonb) as x(id text, status text, progress jsonb,
        eta_p50 timestamptz, eta_p90 timestamptz, alerts jsonb, stale_at timestamptz)
      where s.id = x.id`);
  }

  async reschedule(
    id: string,
    change: Pick<Shipment, 'rides' | 'etaP50' | 'etaP90' | 'alerts'>,
    at: Date,
  ): Promise<void> {
    await this.db
      .update(shipments)
      .set({
        rides: change.rides,
        etaP50: change.etaP50,
        etaP90: change.etaP90,
        alerts: change.alerts,
        updatedAt: at,
      })
      .where(eq(shipments.id, id));
  }

  async eventsOf(shipmentIds: readonly string[], actualOnly = false): Promise<StoredEvent[]> {
    if (shipmentIds.length === 0) return [];
    const ids = [...shipmentIds];
    return (
      await this.db
        .select()
        .from(trackingEvents)
        .where(
          and(
            inArray(trackingEvents.shipmentId, ids),
            isNull(trackingEvents.retractedEventId),
            sql`not exists (select 1 from ${trackingEvents} r where r.retracted_event_id = ${trackingEvents.eventId} and r.shipment_id = ${trackingEvents.shipmentId})`,
            actualOnly ? eq(trackingEvents.eventClassifierCode, 'ACT') : undefined,
          ),
        )
    ).map(toEvent);
  }

  async findEvents(eventIds: readonly string[]): Promise<StoredEvent[]> {
    if (eventIds.length === 0) return [];
    return (
      await this.db
        .select()
        .from(trackingEvents)
        .where(inArray(trackingEvents.eventId, [...eventIds]))
    ).map(toEvent);
  }

  async listEvents(f: EventFilter): Promise<StoredEvent[]> {
    const scope = f.shipments;
    const whose =
      'shipmentId' in scope
        ? eq(trackingEvents.shipmentId, scope.shipmentId)
        : scope.admin
          ? undefined
          : inArray(
              trackingEvents.shipmentId,
              this.db.select({ id: shipments.id }).from(shipments).where(readableBy(scope)),
            );
    const created = trackingEvents.eventCreatedDateTime;
    const desc_ = f.order === 'desc';
    const rows = await this.db
      .select()
      .from(trackingEvents)
      .where(
        and(
          whose,
          f.eventTypes !== undefined
            ? inArray(trackingEvents.eventType, [...f.eventTypes])
            : undefined,
          ...(f.typeCodes ?? []).map((t) =>
            and(
              eq(trackingEvents.eventType, t.eventType),
              inArray(trackingEvents.eventTypeCode, [...t.codes]),
            ),
          ),
          f.documentTypeCodes !== undefined || f.documentReference !== undefined
            ? documentCondition(f.documentTypeCodes, f.documentReference)
            : undefined,
          f.equipmentReference !== undefined
            ? or(
                eq(trackingEvents.equipmentReference, f.equipmentReference),
                sql`${trackingEvents.document}->'payload'->'references' @> ${JSON.stringify([{ type: 'EQ', value: f.equipmentReference }])}::jsonb`,
              )
            : undefined,
          ...Object.entries(f.transportCall ?? {}).map(
            ([field, value]) =>
              sql`${trackingEvents.document}->'payload'->'transportCall'->>${field} = ${value}`,
          ),
          f.vesselIMONumber !== undefined
            ? sql`(${trackingEvents.document}->'payload'->'transportCall'->'vessel'->>'vesselIMONumber' = ${f.vesselIMONumber} or ${trackingEvents.document}->'payload'->'transportCall'->'barge'->>'vesselIMONumber' = ${f.vesselIMONumber})`
            : undefined,
          f.unLocationCode !== undefined
            ? eq(trackingEvents.unLocationCode, f.unLocationCode)
            : undefined,
          ...(f.created ?? []).map((b) => timeBound(created, b)),
          ...(f.happened ?? []).map((b) => timeBound(trackingEvents.eventDateTime, b)),
          f.after
            ? desc_
              ? sql`(${created}, ${trackingEvents.eventId}) < (${new Date(f.after.at).toISOString()}::timestamptz, ${f.after.eventId})`
              : sql`(${created}, ${trackingEvents.eventId}) > (${new Date(f.after.at).toISOString()}::timestamptz, ${f.after.eventId})`
            : undefined,
        ),
      )
      .orderBy(
        ...(desc_
          ? [desc(created), desc(trackingEvents.eventId)]
          : [asc(created), asc(trackingEvents.eventId)]),
      )
      .limit(f.limit);
    return rows.map(toEvent);
  }
}

const TIME_OPS = { gte: '>=', gt: '>', lte: '<=', lt: '<', eq: '=' } as const;

function timeBound(
  column: typeof trackingEvents.eventDateTime | typeof trackingEvents.eventCreatedDateTime,
  b: TimeBound,
): SQL {
  return sql`${column} ${sql.raw(TIME_OPS[b.op])} ${new Date(b.at).toISOString()}::timestamptz`;
}

/**
 * Events naming a document of these types and/or with this reference: in the shipment event's
 * documentTypeCode/documentReference, in relatedDocumentReferences, in TNT 2.2
 * documentReferences; a reference may also be the platform's id of the event's shipment or of
 * its booking.
 */
function documentCondition(
  types: readonly string[] | undefined,
  reference: string | undefined,
): SQL {
  const doc = trackingEvents.document;
  const contains = (path: string, items: object[]) =>
    or(...items.map((i) => sql`${doc}->'payload'->${path} @> ${JSON.stringify([i])}::jsonb`))!;
  const kinds = types ?? [undefined];
  const pairs = kinds.map((t) => ({
    ...(t !== undefined ? { type: t } : {}),
    ...(reference !== undefined ? { value: reference } : {}),
  }));
  const pairs22 = kinds.map((t) => ({
    ...(t !== undefined ? { documentReferenceType: t } : {}),
    ...(reference !== undefined ? { documentReferenceValue: reference } : {}),
  }));
  const own = and(
    reference !== undefined
      ? sql`${doc}->'payload'->>'documentReference' = ${reference}`
      : undefined,
    types !== undefined
      ? sql`${doc}->'payload'->>'documentTypeCode' in ${sql`(${sql.join(
          types.map((t) => sql`${t}`),
          sql`, `,
        )})`}`
      : undefined,
  )!;
  return or(
    own,
    contains('relatedDocumentReferences', pairs),
    contains('documentReferences', pairs22),
    reference !== undefined && /^(shp|bkg)_/.test(reference)
      ? or(
          eq(trackingEvents.shipmentId, reference),
          inArray(
            trackingEvents.shipmentId,
            sql`(select ${shipments.id} from ${shipments} where ${shipments.bookingId} = ${reference})`,
          ),
        )
      : undefined,
  )!;
}

/**
 * A shipment needs marking unless it is marked already and no refresh has claimed it yet (that
 * refresh will see the new events); one being refreshed is marked again, so that the refresh
 * leaves it marked. Saves rewriting wide rows again and again during a burst of events.
 */
const NEEDS_MARK = sql`(${shipments.staleAt} is null or ${shipments.refreshingUntil} is not null)`;

/** New webhook deliveries as rows of the queue, due at once. */
export function deliveryRows(deliveries: readonly NewDelivery[]) {
  return deliveries.map((d) => ({
    id: d.id,
    subscriptionId: d.subscriptionId,
    body: d.body,
    eventCount: d.eventCount,
    state: 'pending',
    nextAttemptAt: d.at,
    createdAt: d.at,
  }));
}

/** The events split into at most `n` parts of whole shipments, of about equal size. */
function partsByShipment(events: readonly StoredEvent[], n: number): StoredEvent[][] {
  if (n <= 1) return [[...events]];
  const byShipment = new Map<string, StoredEvent[]>();
  for (const e of events) {
    const list = byShipment.get(e.shipmentId);
    if (list) list.push(e);
    else byShipment.set(e.shipmentId, [e]);
  }
  const parts: StoredEvent[][] = Array.from({ length: n }, () => []);
  // Largest shipments first, each to the smallest part so far.
  for (const list of [...byShipment.values()].sort((a, b) => b.length - a.length))
    parts.reduce((a, b) => (b.length < a.length ? b : a)).push(...list);
  return parts.filter((p) => p.length > 0);
}

/** The INSERT of events whose eventID is new, returning (event_id, shipment_id) of those stored. */
export function insertEventsSql(events: readonly StoredEvent[], receivedAt: Date): SQL {
  // One JSON parameter for the whole batch: far less work per row, for the ORM and the
  // database, than a parameter per column per row.
  const rows = JSON.stringify(
    events.map((e) => ({
      event_id: e.eventID,
      shipment_id: e.shipmentId,
      event_type: e.eventType,
      event_classifier_code: e.eventClassifierCode,
      event_type_code: e.eventTypeCode,
      event_date_time: new Date(e.eventDateTime).toISOString(),
      event_created_date_time: new Date(e.eventCreatedDateTime).toISOString(),
      un_location_code: e.unLocationCode,
      facility_type_code: e.facilityTypeCode,
      equipment_reference: e.equipmentReference,
      mode_of_transport: e.modeOfTransport,
      posted_by: e.postedBy,
      document: e.document ?? null,
      retracted_event_id: e.retractedEventID ?? null,
    })),
  );
  const insert = sql`
    insert into ${trackingEvents} (event_id, shipment_id, event_type, event_classifier_code,
      event_type_code, event_date_time, event_created_date_time, un_location_code,
      facility_type_code, equipment_reference, mode_of_transport, posted_by, document,
      retracted_event_id, received_at)
    select x.*, ${receivedAt.toISOString()}::timestamptz
    from jsonb_to_recordset(${rows}::jsonb) as x(event_id text, shipment_id text,
      event_type text, event_classifier_code text, event_type_code text,
      event_date_time timestamptz, event_created_date_time timestamptz,
      un_location_code text, facility_type_code text, equipment_reference text,
      mode_of_transport text, posted_by text, document jsonb, retracted_event_id text)
    on conflict (event_id) do nothing
    returning event_id, shipment_id`;
  return insert;
}

/** The events stored and their shipments marked for a refresh, in one statement. */
export function insertAndMarkSql(events: readonly StoredEvent[], receivedAt: Date): SQL {
  return sql`with ins as (${insertEventsSql(events, receivedAt)}), marked as (update ${shipments} set stale_at = ${receivedAt.toISOString()}::timestamptz where id in (select shipment_id from ins) and ${NEEDS_MARK}) select event_id from ins`;
}

/** The shipments an organisation may read (src/app/shipment-access.ts), as a condition. */
function readableBy(a: ShipmentAccess) {
  if (a.admin) return undefined;
  return or(
    eq(shipments.organisationId, a.organisationId),
    a.serviceIds.length > 0 ? arrayOverlaps(shipments.serviceIds, [...a.serviceIds]) : undefined,
    a.countries.length > 0 ? arrayOverlaps(shipments.countries, [...a.countries]) : undefined,
  );
}

/** The columns event matching needs: not the itinerary, progress or alerts. */
const REF = {
  id: shipments.id,
  organisationId: shipments.organisationId,
  bookingId: shipments.bookingId,
  equipment: shipments.equipment,
  serviceIds: shipments.serviceIds,
  countries: shipments.countries,
  createdAt: shipments.createdAt,
  status: shipments.status,
};

function toRef(r: {
  id: string;
  organisationId: string;
  bookingId: string | null;
  equipment: unknown;
  serviceIds: string[];
  countries: string[];
  createdAt: Date;
  status: string;
}): ShipmentRef {
  const { status, ...rest } = r;
  return {
    ...rest,
    equipment: r.equipment as Shipment['equipment'],
    arrived: status === 'ARRIVED',
  };
}

function toShipment(r: ShipmentRow): Shipment {
  return {
    id: r.id,
    organisationId: r.organisationId,
    bookingId: r.bookingId,
    reference: r.reference,
    equipment: r.equipment as Shipment['equipment'],
    rides: r.rides as ItineraryRide[],
    serviceIds: r.serviceIds,
    countries: r.countries,
    promisedArrival: r.promisedArrival,
    progress: r.progress as Progress,
    etaP50: r.etaP50,
    etaP90: r.etaP90,
    alerts: r.alerts as ShipmentAlert[],
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function toEvent(r: EventRow): StoredEvent {
  return {
    eventID: r.eventId,
    shipmentId: r.shipmentId,
    eventType: r.eventType as EventType,
    eventClassifierCode: r.eventClassifierCode as EventClassifier,
    eventTypeCode: r.eventTypeCode,
    eventDateTime: r.eventDateTime.getTime(),
    eventCreatedDateTime: r.eventCreatedDateTime.getTime(),
    unLocationCode: r.unLocationCode,
    facilityTypeCode: r.facilityTypeCode,
    equipmentReference: r.equipmentReference,
    modeOfTransport: r.modeOfTransport,
    postedBy: r.postedBy,
    document: (r.document as DcsaDocument | null) ?? null,
    retractedEventID: r.retractedEventId,
  };
}
