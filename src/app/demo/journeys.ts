import { simulateJourney, type SimulatedStep } from '../../core/eta/journey-simulation.ts';
import { reportingCode, type Network } from '../../core/network/network.ts';
import type { RoutingModel } from '../../core/routing/api.ts';
import { seededRng, type Rng } from '../../core/shared/rng.ts';
import { MS_PER_HOUR, type EpochMs } from '../../core/shared/units.ts';
import { iso6346CheckDigit } from '../../core/tracking/iso6346.ts';
import type { ItineraryRide } from '../../core/tracking/progress.ts';

/**
 * How the demo's containers travel: one journey per shipment drawn from the planner's
 * reliability model (the journey simulation `corridor track simulate` uses), and the DCSA events
 * its carriers and terminals would have reported up to now.
 */

/** A simulated step and the ride it belongs to (GTIN: the first ride; GTOT: the last). */
export interface RideStep extends SimulatedStep {
  rideIndex: number;
}

/**
 * The journey of a shipment's itinerary from `seed`, the container at the origin six hours
 * before its first planned departure; each step tagged with its ride. Undefined when the model
 * cannot run the itinerary. Pure.
 */
export function journeyOf(
  model: RoutingModel,
  rides: readonly ItineraryRide[],
  seed: number,
): RideStep[] | undefined {
  const ready = rides[0]!.plannedDepartures[0]! - 6 * MS_PER_HOUR;
  const steps = simulateJourney(model, rides, ready, seededRng(seed));
  if (!steps) return undefined;
  let ride = -1;
  return steps.map((s) => {
    if (s.code === 'LOAD') ride++;
    return { ...s, rideIndex: Math.max(0, Math.min(ride, rides.length - 1)) };
  });
}

const FACILITY: Record<string, string> = {
  seaport: 'POTE',
  border_crossing: 'BORD',
  rail_terminal: 'INTE',
  dry_port: 'INTE',
  free_economic_zone: 'DEPO',
  city: 'INTE',
};

/**
 * The flat DCSA events (TNT 2.2) of the steps up to `now` (inclusive) for one container, in
 * time order; places without a UN/LOCODE cannot be named in an event and are left out. Event
 * ids come from `rng`, so the same source gives the same events. Pure.
 */
export function eventsOf(
  network: Network,
  steps: readonly RideStep[],
  equipmentReference: string,
  now: EpochMs,
  rng: Rng,
): { rideIndex: number; event: object }[] {
  const out: { rideIndex: number; event: object }[] = [];
  for (const step of steps) {
    if (step.at > now) break;
    const node = network.nodes.get(step.nodeId)!;
    const code = reportingCode(node);
    if (!code) continue;
    out.push({
      rideIndex: step.rideIndex,
      event: {
        eventID: uuid(rng),
        eventCreatedDateTime: new Date(Math.min(now, step.at + 5 * 60_000)).toISOString(),
        eventDateTime: new Date(step.at).toISOString(),
        eventType: step.eventType,
        eventClassifierCode: 'ACT',
        [step.eventType === 'TRANSPORT' ? 'transportEventTypeCode' : 'equipmentEventTypeCode']:
          step.code,
        equipmentReference,
        eventLocation: { UNLocationCode: code, facilityTypeCode: FACILITY[node.kind] ?? 'INTE' },
      },
    });
  }
  return out;
}

/** A version 4 UUID from the seeded source. */
function uuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng.next() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 3) | 8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The ISO 6346 number of the demo's container `serial` of owner `owner` (e.g. CRDU). Pure. */
export function demoContainer(owner: string, serial: number): string {
  const first10 = `${owner}${String(serial).padStart(6, '0')}`;
  return `${first10}${iso6346CheckDigit(first10)}`;
}
