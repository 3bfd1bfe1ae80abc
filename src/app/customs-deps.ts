import type { OrganisationStore } from './account-ports.ts';
import type { BookingStore } from './bookings.ts';
import type { CustomsSystemStore } from './customs-system-ports.ts';
import type { DocumentStore } from './document-ports.ts';
import type { Network } from '../core/network/network.ts';
import type { Clock, PlanStore, Secrets, SubscriptionStore } from './ports.ts';
import type { CustomsStore } from './customs-ports.ts';
import type { TrackingStore } from './shipments.ts';

/** What the customs use cases need (app/customs*.ts): the stores, the clock, the network. */
export interface CustomsDeps {
  network: Network;
  customs: CustomsStore;
  tracking: TrackingStore;
  organisations: OrganisationStore;
  clock: Clock;
  secrets: Secrets;
  /** Bookings and plans, to fill a declaration's itinerary from. */
  bookings: BookingStore;
  plans: PlanStore;
  /** Subscribers get the customs events of the shipments they may see, as any other events. */
  subscriptions: SubscriptionStore;
  /** Segments are assessed when the box is expected at their office within this many hours. */
  preArrivalHours: number;
  /** The shipment's issued consignment notes, named in the declaration data sent to systems. */
  documents: Pick<DocumentStore, 'current'>;
  /** Which administrations decide in a customs system, and the messages to and from them. */
  systems: CustomsSystemStore;
}
