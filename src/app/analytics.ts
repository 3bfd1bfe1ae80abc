import {
  CAREC_2022,
  kpis,
  type KpiFilter,
  type KpiShipment,
  type Kpis,
} from '../core/analytics/kpis.ts';
import { routePlaces } from '../core/analytics/route-places.ts';
import type { ReleaseTimes } from '../core/customs/release-times.ts';
import type { Network } from '../core/network/network.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import type { CustomsDeps } from './customs-deps.ts';
import { customsMetrics } from './customs-rules.ts';
import type { OrganisationStore } from './account-ports.ts';
import type { Shipment, TrackingStore } from './shipments.ts';
import type { BookingStore } from './bookings.ts';
import { accessOfActor } from './tracking.ts';

/**
 * Live corridor KPIs from the platform's shipments and their actual events. The coordinating
 * council and platform admins see the corridor as a whole (aggregates only: no shipment, no
 * organisation); every other organisation the same figures over its own shipments only. The
 * WCO release times and lane shares come with them for those who may see them (the council,
 * a customs administration for its country).
 */

export interface AnalyticsDeps {
  network: Network;
  tracking: TrackingStore;
  bookings: BookingStore;
  organisations: OrganisationStore;
  customs: CustomsDeps;
}

/** Shipments read for one answer: the newest ones. */
const MAX_SHIPMENTS = 20_000;

const teuOf = (iso: string | null) => (iso?.startsWith('2') ? 1 : 2);

export interface CorridorKpis extends Kpis {
  scope: 'corridor' | 'organisation';
  shipmentsRead: number;
  carecReference: typeof CAREC_2022;
  /** Release times per office and lane; null where the caller may not see them. */
  customs: ReleaseTimes | null;
}

export async function corridorKpis(
  deps: AnalyticsDeps,
  actor: Actor,
  period: { from: Date; to: Date },
  filter: KpiFilter = {},
): Promise<CorridorKpis> {
  const whole = actor.organisationKind === 'coordinator' || isPlatformAdmin(actor);
  const access = await accessOfActor(deps, actor);
  // Others see their own shipments only, not those they serve.
  const list = whole
    ? await deps.tracking.listShipments({ ...access, admin: true }, MAX_SHIPMENTS)
    : (await deps.tracking.listShipments(access, MAX_SHIPMENTS)).filter(
        (s) => s.organisationId === actor.organisationId,
      );
  const events = await deps.tracking.eventsOf(
    list.map((s) => s.id),
    true,
  );
  const byShipment = new Map<string, KpiShipment['events']>();
  for (const e of events) {
    if (e.eventType !== 'TRANSPORT') continue;
    const event = { code: e.eventTypeCode, at: e.eventDateTime, location: e.unLocationCode };
    const list = byShipment.get(e.shipmentId);
    if (list) list.push(event);
    else byShipment.set(e.shipmentId, [event]);
  }
  const tonnes = new Map(
    (await deps.bookings.findMany(list.flatMap((s) => (s.bookingId ? [s.bookingId] : [])))).map(
      (b) => [b.id, b.containers.reduce((t, c) => t + (c.count * c.grossKg) / 1000, 0)],
    ),
  );
  const place = (nodeId: string) => ({
    nodeId,
    locode: deps.network.nodes.get(nodeId)?.unLocode ?? null,
  });
  const input = list.flatMap((s: Shipment): KpiShipment[] => {
    const first = s.rides[0];
    const last = s.rides.at(-1);
    if (!first || !last) return [];
    return [
      {
        id: s.id,
        teu: s.equipment.reduce((n, e) => n + teuOf(e.isoEquipmentCode), 0),
        origin: place(first.stops[0]!),
        destination: place(last.stops.at(-1)!),
        ...routePlaces(deps.network, s.rides),
        promisedArrival: s.promisedArrival?.getTime() ?? null,
        tonnes: s.bookingId ? (tonnes.get(s.bookingId) ?? null) : null,
        events: byShipment.get(s.id) ?? [],
      },
    ];
  });
  const mayReadCustoms = whole || actor.organisationKind === 'customs';
  return {
    scope: whole ? 'corridor' : 'organisation',
    shipmentsRead: list.length,
    ...kpis(input, { from: period.from.getTime(), to: period.to.getTime() }, filter),
    carecReference: CAREC_2022,
    customs: mayReadCustoms ? await customsMetrics(deps.customs, actor, period) : null,
  };
}
