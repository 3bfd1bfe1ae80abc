import { Option, type Command } from 'commander';
import { createPlanner } from '../app/plan-route.ts';
import { simulateJourney } from '../core/eta/journey-simulation.ts';
import { reportingCode, type Network } from '../core/network/network.ts';
import { seededRng, type Rng } from '../core/shared/rng.ts';
import type { ItineraryRide } from '../core/tracking/progress.ts';
import { call, serverOption, type ServerOptions } from './client.command.ts';
import { CliExit, EXIT_FAILED, parseIntIn, type CommandContext } from './context.ts';
import { readOrExit } from './input.ts';

interface ShipmentJson {
  id: string;
  containers: { equipmentReference: string }[];
  itinerary: {
    rideIndex: number;
    tripId: string;
    serviceId: string;
    stops: { nodeId: string; plannedArrival: string | null; plannedDeparture: string | null }[];
  }[];
}

const FACILITY: Record<string, string> = {
  seaport: 'POTE',
  border_crossing: 'BORD',
  rail_terminal: 'INTE',
  dry_port: 'INTE',
  free_economic_zone: 'DEPO',
  city: 'INTE',
};

/** A version 4 UUID from the seeded source, so that the same seed gives the same stream. */
function uuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng.next() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 3) | 8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** DCSA events of one simulated journey for each container of a shipment, in time order. */
export function simulatedEvents(network: Network, shipment: ShipmentJson, seed: number): object[] {
  const rides: ItineraryRide[] = shipment.itinerary.map((r) => ({
    rideIndex: r.rideIndex,
    tripId: r.tripId,
    serviceId: r.serviceId,
    stops: r.stops.map((s) => s.nodeId),
    plannedDepartures: r.stops.map((s) =>
      s.plannedDeparture ? Date.parse(s.plannedDeparture) : null,
    ),
    plannedArrivals: r.stops.map((s) => (s.plannedArrival ? Date.parse(s.plannedArrival) : null)),
  }));
  const ready = rides[0]!.plannedDepartures[0]! - 6 * 3_600_000;
  // The trips around the shipment's own days, whatever today is.
  const model = createPlanner(network, { now: () => new Date(ready) }, { draws: 1 }).model;
  const rng = seededRng(seed);
  const steps = simulateJourney(model, rides, ready, rng);
  if (!steps) return [];
  const events: object[] = [];
  for (const step of steps) {
    const node = network.nodes.get(step.nodeId)!;
    const code = reportingCode(node);
    if (!code) continue; // A place without a UN/LOCODE cannot be named in an event.
    for (const c of shipment.containers) {
      const at = new Date(step.at).toISOString();
      events.push({
        eventID: uuid(rng),
        eventCreatedDateTime: new Date(step.at + 5 * 60_000).toISOString(),
        eventDateTime: at,
        eventType: step.eventType,
        eventClassifierCode: 'ACT',
        [step.eventType === 'TRANSPORT' ? 'transportEventTypeCode' : 'equipmentEventTypeCode']:
          step.code,
        equipmentReference: c.equipmentReference,
        eventLocation: { UNLocationCode: code, facilityTypeCode: FACILITY[node.kind] ?? 'INTE' },
      });
    }
  }
  return events;
}

export function registerTrackingCommands(program: Command, ctx: CommandContext): void {
  const track = program.command('track').description('shipment tracking tools');
  track
    .command('simulate')
    .description(
      "a realistic DCSA event stream (JSON lines) for a shipment's journey, drawn from the reliability model",
    )
    .requiredOption('--shipment <id>', 'shipment id (shp_...)')
    .addOption(
      new Option('--seed <n>', 'random seed: the same seed gives the same stream')
        .argParser(parseIntIn(0, 2 ** 31 - 1))
        .default(1),
    )
    .option('--data <dir>', 'network data folder (default: the bundled data/)')
    .addOption(serverOption())
    .addHelpText(
      'after',
      '\nExample:\n  CORRIDOR_API_KEY=ck_... corridor track simulate --shipment shp_... --seed 7 > events.jsonl',
    )
    .action(async (opts: ServerOptions & { shipment: string; seed: number; data?: string }) => {
      if (!/^shp_[A-Za-z0-9]{1,40}$/.test(opts.shipment))
        ctx.usage(`"${opts.shipment}" is not a shipment id (shp_...)`);
      const shipment = (await call(
        ctx,
        opts,
        'GET',
        `/v1/shipments/${opts.shipment}`,
      )) as ShipmentJson;
      const network = await ctx.network(opts.data);
      for (const e of simulatedEvents(network, shipment, opts.seed)) ctx.io.out(JSON.stringify(e));
    });

  const events = program.command('events').description('DCSA Track & Trace events');
  events
    .command('ingest')
    .description('post the events of a JSON-lines file to the platform in batches')
    .argument('<file>', 'one DCSA event per line (flat, or { metadata, payload })')
    .addOption(
      new Option('--batch <n>', 'events per request, 1-1000')
        .argParser(parseIntIn(1, 1000))
        .default(500),
    )
    .addOption(serverOption())
    .addHelpText(
      'after',
      '\nExample:\n  CORRIDOR_API_KEY=ck_... corridor events ingest events.jsonl --server https://corridor.example.com',
    )
    .action(async (file: string, opts: ServerOptions & { batch: number }) => {
      const text = await readOrExit(ctx, file, ctx.io.readText);
      const items: unknown[] = [];
      const lines = text.split('\n');
      for (const [i, line] of lines.entries()) {
        if (line.trim() === '') continue;
        try {
          items.push(JSON.parse(line));
        } catch {
          ctx.usage(`${file}:${i + 1}: not JSON`);
        }
      }
      const totals = { accepted: 0, duplicates: 0, rejected: 0 };
      const reasons: string[] = [];
      for (let i = 0; i < items.length; i += opts.batch) {
        const answer = (await call(
          ctx,
          opts,
          'POST',
          '/v1/events',
          items.slice(i, i + opts.batch),
        )) as {
          accepted: number;
          duplicates: number;
          rejected: number;
          results: { index: number; status: string; reason: string | null }[];
        };
        totals.accepted += answer.accepted;
        totals.duplicates += answer.duplicates;
        totals.rejected += answer.rejected;
        for (const r of answer.results)
          if (r.status === 'rejected' && reasons.length < 10)
            reasons.push(`  event ${i + r.index + 1}: ${r.reason}`);
        const done = Math.min(i + opts.batch, items.length);
        const width = 30;
        const filled = Math.round((done / items.length) * width);
        ctx.io.progress(
          `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${items.length} events`,
        );
      }
      ctx.io.progress('');
      ctx.io.out(
        `${items.length} events: ${totals.accepted} accepted, ${totals.duplicates} duplicates, ${totals.rejected} rejected`,
      );
      for (const r of reasons) ctx.io.out(r);
      if (totals.rejected > 0) throw new CliExit(EXIT_FAILED);
    });
}
