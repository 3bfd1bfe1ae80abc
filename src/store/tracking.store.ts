import {
  and,
  arrayOverlaps,
  asc,
  desc,
  eq,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  or,
  sql,
} from 'drizzle-orm';
import type {
  EventFilter,
  NewDelivery,
  Shipment,
  ShipmentAlert,
  StoredEvent,
  TrackingStore,
} from '../app/ports.ts';
import type { EventClassifier, EventType } from '../core/tracking/events.ts';
import type { ItineraryRide, Progress } from '../core/tracking/progress.ts';
import type { Tx } from './capacity.store.ts';
import type { Db } from './database.ts';
import { shipmentEquipment, shipments, trackingEvents, webhookDeliveries } from './schema.ts';

type ShipmentRow = typeof shipments.$inferSelect;
type EventRow = typeof trackingEvents.$inferSelect;

export class PgTrackingStore implements TrackingStore {
  constructor(private readonly db: Db) {}

  async createShipment(s: Shipment): Promise<void> {
    await this.db.transaction(async (tx: Tx) => {
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
    });
  }

  async findShipment(id: string): Promise<Shipment | undefined> {
    const [row] = await this.db.select().from(shipments).where(eq(shipments.id, id));
    return row ? toShipment(row) : undefined;
  }

  async findShipments(ids: readonly string[]): Promise<Shipment[]> {
    if (ids.length === 0) return [];
    return (
      await this.db
        .select()
        .from(shipments)
        .where(inArray(shipments.id, [...ids]))
    ).map(toShipment);
  }

  async listShipments(scope: {
    organisationId: string;
    serviceIds: readonly string[];
    countries: readonly string[];
  }): Promise<Shipment[]> {
    const rows = await this.db
      .select()
      .from(shipments)
      .where(
        or(
          eq(shipments.organisationId, scope.organisationId),
          scope.serviceIds.length > 0
            ? arrayOverlaps(shipments.serviceIds, [...scope.serviceIds])
            : undefined,
          scope.countries.length > 0
            ? arrayOverlaps(shipments.countries, [...scope.countries])
            : undefined,
        ),
      )
      .orderBy(desc(shipments.createdAt))
      .limit(500);
    return rows.map(toShipment);
  }

  async shipmentsByEquipment(references: readonly string[]): Promise<Shipment[]> {
    if (references.length === 0) return [];
    const rows = await this.db
      .select({ s: shipments })
      .from(shipmentEquipment)
      .innerJoin(shipments, eq(shipments.id, shipmentEquipment.shipmentId))
      .where(inArray(shipmentEquipment.equipmentReference, [...references]))
      .orderBy(desc(shipments.createdAt));
    return rows.map((r) => toShipment(r.s));
  }

  async shipmentsByBooking(bookingIds: readonly string[]): Promise<Shipment[]> {
    if (bookingIds.length === 0) return [];
    return (
      await this.db
        .select()
        .from(shipments)
        .where(inArray(shipments.bookingId, [...bookingIds]))
        .orderBy(desc(shipments.createdAt))
    ).map(toShipment);
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
    const values = events.map((e) => ({
      eventId: e.eventID,
      shipmentId: e.shipmentId,
      eventType: e.eventType,
      eventClassifierCode: e.eventClassifierCode,
      eventTypeCode: e.eventTypeCode,
      eventDateTime: new Date(e.eventDateTime),
      eventCreatedDateTime: new Date(e.eventCreatedDateTime),
      unLocationCode: e.unLocationCode,
      facilityTypeCode: e.facilityTypeCode,
      equipmentReference: e.equipmentReference,
      modeOfTransport: e.modeOfTransport,
      postedBy: e.postedBy,
      receivedAt,
    }));
    return this.db.transaction(async (tx: Tx) => {
      const stored = new Set(
        (
          await tx
            .insert(trackingEvents)
            .values(values)
            .onConflictDoNothing()
            .returning({ eventId: trackingEvents.eventId })
        ).map((r) => r.eventId),
      );
      const fresh = events.filter((e) => stored.has(e.eventID));
      const deliveries = options.deliveriesFor?.(fresh) ?? [];
      if (deliveries.length > 0)
        await tx.insert(webhookDeliveries).values(
          deliveries.map((d) => ({
            id: d.id,
            subscriptionId: d.subscriptionId,
            body: d.body,
            eventCount: d.eventCount,
            state: 'pending',
            nextAttemptAt: d.at,
            createdAt: d.at,
          })),
        );
      if (options.markStale && fresh.length > 0)
        await tx
          .update(shipments)
          .set({ staleAt: receivedAt })
          .where(inArray(shipments.id, [...new Set(fresh.map((e) => e.shipmentId))]));
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
    id: string,
    change: Pick<Shipment, 'progress' | 'etaP50' | 'etaP90' | 'alerts'>,
    staleAt: Date,
    at: Date,
  ): Promise<void> {
    await this.db
      .update(shipments)
      .set({
        status: change.progress.status,
        progress: change.progress,
        etaP50: change.etaP50,
        etaP90: change.etaP90,
        alerts: change.alerts,
        updatedAt: at,
        refreshingUntil: null,
        // Events that came in during the refresh leave it marked.
        staleAt: sql`case when ${shipments.staleAt} <= ${staleAt.toISOString()}::timestamptz then null else ${shipments.staleAt} end`,
      })
      .where(eq(shipments.id, id));
  }

  async eventsOf(shipmentIds: readonly string[], actualOnly = false): Promise<StoredEvent[]> {
    if (shipmentIds.length === 0) return [];
    return (
      await this.db
        .select()
        .from(trackingEvents)
        .where(
          and(
            inArray(trackingEvents.shipmentId, [...shipmentIds]),
            actualOnly ? eq(trackingEvents.eventClassifierCode, 'ACT') : undefined,
          ),
        )
    ).map(toEvent);
  }

  async listEvents(f: EventFilter): Promise<StoredEvent[]> {
    if (f.shipmentIds.length === 0) return [];
    const created = trackingEvents.eventCreatedDateTime;
    const rows = await this.db
      .select()
      .from(trackingEvents)
      .where(
        and(
          inArray(trackingEvents.shipmentId, [...f.shipmentIds]),
          f.equipmentReference !== undefined
            ? eq(trackingEvents.equipmentReference, f.equipmentReference)
            : undefined,
          f.eventTypes !== undefined
            ? inArray(trackingEvents.eventType, [...f.eventTypes])
            : undefined,
          f.unLocationCode !== undefined
            ? eq(trackingEvents.unLocationCode, f.unLocationCode)
            : undefined,
          f.createdFrom
            ? (f.createdFrom.inclusive ? gte : gt)(created, new Date(f.createdFrom.at))
            : undefined,
          f.createdTo
            ? (f.createdTo.inclusive ? lte : lt)(created, new Date(f.createdTo.at))
            : undefined,
          f.after
            ? sql`(${created}, ${trackingEvents.eventId}) > (${new Date(f.after.at).toISOString()}::timestamptz, ${f.after.eventId})`
            : undefined,
        ),
      )
      .orderBy(asc(created), asc(trackingEvents.eventId))
      .limit(f.limit);
    return rows.map(toEvent);
  }

  async updateTracking(
    id: string,
    change: Pick<Shipment, 'progress' | 'etaP50' | 'etaP90' | 'alerts'>,
    at: Date,
  ): Promise<void> {
    await this.db
      .update(shipments)
      .set({
        status: change.progress.status,
        progress: change.progress,
        etaP50: change.etaP50,
        etaP90: change.etaP90,
        alerts: change.alerts,
        updatedAt: at,
      })
      .where(eq(shipments.id, id));
  }
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
  };
}
