import { kpis, type KpiShipment, type Kpis } from '../core/analytics/kpis.ts';
import type { Network } from '../core/network/network.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import type { Shipment, TrackingStore } from './ports.ts';
import { accessOfActor } from './tracking.ts';
import type { OrganisationStore } from './ports.ts';

/**
 * Live corridor KPIs from the platform's shipments and their actual events. The coordinating
 * council and platform admins see the corridor as a whole (aggregates only: no shipment, no
 * organisation); every other organisation the same figures over its own shipments only.
 */

export interface AnalyticsDeps {
  network: Network;
  tracking: TrackingStore;
  organisations: OrganisationStore;
}

/** Shipments read for one answer: the newest ones. */
const MAX_SHIPMENTS = 20_000;

const teuOf = (iso: string | null) => (iso?.startsWith('2') ? 1 : 2);

export async function corridorKpis(
  deps: AnalyticsDeps,
  actor: Actor,
  period: { from: Date; to: Date },
): Promise<Kpis & { scope: 'corridor' | 'organisation'; shipmentsRead: number }> {
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
  for (const e of events)
    if (e.eventType === 'TRANSPORT')
      byShipment.set(e.shipmentId, [
        ...(byShipment.get(e.shipmentId) ?? []),
        { code: e.eventTypeCode, at: e.eventDateTime, location: e.unLocationCode },
      ]);
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
        rides: s.rides.map((r) => ({
          from: r.stops[0]!,
          to: r.stops.at(-1)!,
          plannedDeparture: r.plannedDepartures[0] ?? null,
        })),
        promisedArrival: s.promisedArrival?.getTime() ?? null,
        events: byShipment.get(s.id) ?? [],
      },
    ];
  });
  return {
    scope: whole ? 'corridor' : 'organisation',
    shipmentsRead: list.length,
    ...kpis(input, { from: period.from.getTime(), to: period.to.getTime() }),
  };
}
