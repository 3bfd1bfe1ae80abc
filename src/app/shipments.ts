import type { PageKey } from './paging.ts';
import type { TrackingEvent } from '../core/tracking/events.ts';
import type { ItineraryRide, Progress } from '../core/tracking/progress.ts';

/**
 * What tracking needs from the outside world: shipments, their events and the webhook deliveries
 * queued with them. The store folder implements it on PostgreSQL/PGlite.
 */

/** A shipment's alert, e.g. its P90 arrival passing the date promised at booking. */
export interface ShipmentAlert {
  /** ISO 8601 instant. */
  at: string;
  kind: 'delay' | 'on_time_again' | 'departure_closed' | 'schedule_change';
  message: string;
}

/** Containers moving along an itinerary, kept up to date from their events. */
export interface Shipment {
  id: string;
  organisationId: string;
  bookingId: string | null;
  reference: string | null;
  equipment: { equipmentReference: string; isoEquipmentCode: string | null }[];
  rides: ItineraryRide[];
  /** Services of the rides and countries crossed: who may post events for it. */
  serviceIds: string[];
  countries: string[];
  promisedArrival: Date | null;
  progress: Progress;
  etaP50: Date | null;
  etaP90: Date | null;
  alerts: ShipmentAlert[];
  createdAt: Date;
  updatedAt: Date;
}

/**
 * What an organisation may do with shipments: it reads its own; carriers of a shipment's rides
 * and terminals and customs administrations of the countries it crosses serve it (post its
 * events, read it); platform admins read and serve every shipment.
 */
export interface ShipmentAccess {
  organisationId: string;
  admin: boolean;
  /** For carriers: the services they operate. */
  serviceIds: readonly string[];
  /** For terminals and customs: their country. */
  countries: readonly string[];
}

/** What matching an event to a shipment, and its notifications, need of the shipment. */
export type ShipmentRef = Pick<
  Shipment,
  'id' | 'organisationId' | 'bookingId' | 'equipment' | 'serviceIds' | 'countries' | 'createdAt'
> & { arrived: boolean };

/** A TNT 3.0 event: metadata always; payload unless it retracts another event. */
export interface DcsaDocument {
  metadata: Record<string, unknown>;
  payload?: Record<string, unknown>;
}

/** An event as stored: for one shipment, posted by an organisation or the platform (null). */
export interface StoredEvent extends TrackingEvent {
  shipmentId: string;
  postedBy: string | null;
  /** The event in TNT 3.0 form as received and completed; absent: written from the fields. */
  document?: DcsaDocument | null | undefined;
  /** For a retraction: the event it retracts (which then no longer counts). */
  retractedEventID?: string | null | undefined;
}

/** A bound on an event time (epoch ms): the DCSA operators `:gte`, `:gt`, `:lte`, `:lt`, `:eq`. */
export interface TimeBound {
  op: 'gte' | 'gt' | 'lte' | 'lt' | 'eq';
  at: number;
}

/** Filters of the DCSA read API (TNT 3.0), all of them together (AND). */
export interface EventFilter {
  /**
   * Whose events: one shipment, or every shipment the organisation owns, serves as carrier of
   * these services, or crosses these countries (all of them for platform admins).
   */
  shipments: { shipmentId: string } | ShipmentAccess;
  eventTypes?: readonly string[] | undefined;
  /** Per code filter: events of that type with one of the codes (several filters: AND). */
  typeCodes?: readonly { eventType: string; codes: readonly string[] }[] | undefined;
  /** Documents of these types (documentTypeCode, relatedDocumentReferences[].type). */
  documentTypeCodes?: readonly string[] | undefined;
  /**
   * A document the event names (documentReference, relatedDocumentReferences, TNT 2.2
   * documentReferences), or the platform's shipment or booking id of the event's shipment.
   */
  documentReference?: string | undefined;
  /** The container: equipmentReference, or a reference of type EQ. */
  equipmentReference?: string | undefined;
  /** Fields of the payload's transportCall that must have these values. */
  transportCall?: Readonly<Record<string, string>> | undefined;
  /** The vessel or barge of the transport call. */
  vesselIMONumber?: string | undefined;
  unLocationCode?: string | undefined;
  created?: readonly TimeBound[] | undefined;
  happened?: readonly TimeBound[] | undefined;
  /** Order of (eventCreatedDateTime, eventID); ascending unless said. */
  order?: 'asc' | 'desc' | undefined;
  /** Only events beyond this (eventCreatedDateTime, eventID), in the order. */
  after?: { at: number; eventId: string } | undefined;
  limit: number;
}

export interface TrackingStore {
  /**
   * Stores the shipment unless one of its containers is in another shipment under way (not
   * ARRIVED): a container travels in one shipment at a time across the platform. Checked and
   * stored in one transaction, so of two shipments claiming the same container at once one
   * wins. Returns the containers that are taken (empty: stored).
   */
  createShipment(shipment: Shipment): Promise<{ taken: string[] }>;
  findShipment(id: string): Promise<Shipment | undefined>;
  /** What event matching needs of these shipments. */
  findShipments(ids: readonly string[]): Promise<ShipmentRef[]>;
  /** The shipments the organisation may read, newest first (at most 500). */
  /** Newest first, at most `limit` (500 by default). */
  listShipments(access: ShipmentAccess, limit?: number, after?: PageKey): Promise<Shipment[]>;
  /** How many shipments `listShipments` has for this access. */
  countShipments(access: ShipmentAccess): Promise<number>;
  /** Shipments holding any of these containers, newest first; `equipment` lists only those. */
  shipmentsByEquipment(references: readonly string[]): Promise<ShipmentRef[]>;
  shipmentsByBooking(bookingIds: readonly string[]): Promise<ShipmentRef[]>;
  /**
   * Stores the events whose eventID is new, the webhook deliveries `deliveriesFor` makes of them
   * and the refresh marks of their shipments, in one transaction, committed when this resolves;
   * returns the ids stored (the others were there already).
   */
  insertEvents(
    events: readonly StoredEvent[],
    receivedAt: Date,
    options?: {
      deliveriesFor?: (stored: readonly StoredEvent[]) => NewDelivery[];
      /** Mark the shipments of the stored events for a refresh of position and ETA. */
      markStale?: boolean;
    },
  ): Promise<Set<string>>;
  /**
   * Takes up to `limit` shipments marked for a refresh (of these ids when given) that nobody is
   * refreshing, holding them until `leaseUntil`. Each comes with the mark it had.
   */
  claimStale(
    now: Date,
    leaseUntil: Date,
    limit: number,
    ids?: readonly string[],
  ): Promise<{ shipment: Shipment; staleAt: Date }[]>;
  /**
   * Writes refreshes, all in one statement: progress, ETA, alerts; clears each shipment's mark
   * unless events came in after the `staleAt` it was claimed with (then it stays marked).
   */
  finishRefresh(
    refreshes: readonly {
      id: string;
      change: Pick<Shipment, 'progress' | 'etaP50' | 'etaP90' | 'alerts'>;
      staleAt: Date;
    }[],
    at: Date,
  ): Promise<void>;
  /**
   * Puts a shipment on its rides as a new schedule has them (the same trips, their new times),
   * with the arrival estimated again and its alerts.
   */
  reschedule(
    id: string,
    change: Pick<Shipment, 'rides' | 'etaP50' | 'etaP90' | 'alerts'>,
    at: Date,
  ): Promise<void>;
  /**
   * The events of these shipments that count (only the actual ones with `actualOnly`), any
   * order: neither retractions nor the events they retract.
   */
  eventsOf(shipmentIds: readonly string[], actualOnly?: boolean): Promise<StoredEvent[]>;
  /** Events by the read API's filters, in order of (eventCreatedDateTime, eventID). */
  listEvents(filter: EventFilter): Promise<StoredEvent[]>;
  /** The events with these eventIDs (exactly as given), any order. */
  findEvents(eventIds: readonly string[]): Promise<StoredEvent[]>;
}

/** A delivery to queue with the events that caused it, in the same transaction. */
export interface NewDelivery {
  id: string;
  subscriptionId: string;
  body: string;
  eventCount: number;
  at: Date;
}
