import type { PublishedVersion } from '../core/network/service-versions.ts';
import type { ServiceRecord } from '../core/network/schema.ts';
import type { NewNotification } from './ports.ts';

/** The ports of published services (schedules): their versions, and the bookings they flag. */

/** One version of a service as its carrier published it. */
export interface StoredServiceVersion extends PublishedVersion {
  organisationId: string;
  publishedBy: string;
  publishedAt: Date;
  /** Orders publications across services. */
  seq: number;
}

/** A leg of a departure on which more is booked than a new version's capacity. */
export interface OverbookedLeg {
  tripId: string;
  legIndex: number;
  capacityTeu: number;
  bookedTeu: number;
}

export interface ServiceVersionStore {
  /** Changes whenever a version is published: the number of versions and the highest seq. */
  stamp(): Promise<string>;
  /** Every published version, in publication order. */
  all(): Promise<StoredServiceVersion[]>;
  versionsOf(serviceId: string): Promise<StoredServiceVersion[]>;
  /** The organisations operating each of these services that any does (a service may have several). */
  operators(serviceIds: readonly string[]): Promise<Map<string, string[]>>;
  /**
   * In one transaction, one publication at a time: the new versions, numbered after the highest
   * of each service (the reference data counting as version 1); new services given to the
   * organisation; the capacity of departures from the effective date set to the new one, never
   * below what is booked. Returns what was written and the legs booked beyond the new capacity.
   */
  publish(input: {
    organisationId: string;
    publishedBy: string;
    effectiveFrom: string;
    records: readonly ServiceRecord[];
    referenceIds: ReadonlySet<string>;
    at: Date;
  }): Promise<{ versions: StoredServiceVersion[]; overbooked: OverbookedLeg[] }>;
  /**
   * The legs of departures of these services from the effective date on which more is booked
   * than the record's capacity: what publishing them would leave overbooked. Reads only.
   */
  overbooked(input: {
    effectiveFrom: string;
    records: readonly ServiceRecord[];
  }): Promise<OverbookedLeg[]>;
  /**
   * Adds a notice to each booking, also as a reason it needs its party's attention, and the
   * notifications of their organisations, in one commit.
   */
  flag(
    notices: readonly { bookingId: string; notice: string }[],
    notifications: readonly NewNotification[],
    at: Date,
  ): Promise<void>;
}
