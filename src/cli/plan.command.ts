import { Option, type Command } from 'commander';
import { createPlanner, DEFAULT_MAX_RESULTS, DEFAULT_SEED } from '../app/plan-route.ts';
import {
  PLAN_INPUT_ERROR_CODES,
  type Itinerary,
  type PlanError,
  type PlanResponse,
} from '../api/plan.ts';
import type { Network } from '../core/network/network.ts';
import { placeLabel } from '../core/network/places.ts';
import { localTime, table } from './format.ts';
import { EXIT_FAILED, EXIT_USAGE, CliExit, parseIntIn, type CommandContext } from './context.ts';

interface PlanOptions {
  from: string;
  to: string;
  depart?: string;
  arriveBy?: string;
  containers: string;
  hazardous?: boolean;
  compare?: boolean;
  seed: number;
  max: number;
  json?: boolean;
  data?: string;
}

export function registerPlanCommand(program: Command, ctx: CommandContext): void {
  program
    .command('plan')
    .description(
      'door-to-door itineraries with P50/P90 arrival, cost, CO2e, borders, regimes and documents',
    )
    .requiredOption('--from <place>', 'origin: node id, UN/LOCODE or name (e.g. Qingdao, CNTAO)')
    .requiredOption('--to <place>', 'destination (e.g. Baku, "baku port", AZBAK)')
    .option(
      '--depart <date>',
      'ready at the origin from this date (YYYY-MM-DD, local) or ISO time; default now; up to twelve months ahead',
    )
    .option('--arrive-by <date>', 'arrive by the end of this date (YYYY-MM-DD, local) or ISO time')
    .option(
      '--containers <spec>',
      'containers: COUNTxTYPE[:GROSSKG],... with 20GP 40GP 40HC 45HC 20RF 40RF',
      '1x40HC',
    )
    .option('--hazardous', 'the cargo is dangerous goods')
    .option('--compare', 'the best itinerary of each corridor (middle, northern, southern, sea)')
    .addOption(
      new Option('--seed <n>', 'seed of the reliability simulation')
        .argParser(parseIntIn(0, 2 ** 31 - 1))
        .default(DEFAULT_SEED),
    )
    .addOption(
      new Option('--max <n>', 'most itineraries shown')
        .argParser(parseIntIn(1, 50))
        .default(DEFAULT_MAX_RESULTS),
    )
    .option('--json', 'print the planning JSON (the same as the HTTP API), see docs/plan-api.md')
    .option('--data <dir>', 'network data folder (default: the bundled data/)')
    .addHelpText(
      'after',
      '\nThe planner answers for departures from now to twelve months ahead; a day that has passed is refused.\n\nExamples:\n  corridor plan --from Qingdao --to Baku --containers 2x40HC\n  corridor plan --from Xian --to Duisburg --depart "$(date -d \'next monday\' +%F)" --compare\n  corridor plan --from Qingdao --to Poti --arrive-by "$(date -d \'+6 weeks\' +%F)" --containers 1x20GP:14000 --json',
    )
    .action(async (opts: PlanOptions) => {
      const network = await ctx.network(opts.data);
      const planner = createPlanner(network, ctx.io.clock);
      const response = planner.plan({
        from: opts.from,
        to: opts.to,
        depart: opts.depart,
        arriveBy: opts.arriveBy,
        containers: opts.containers,
        hazardous: opts.hazardous ?? false,
        compare: opts.compare ?? false,
        seed: opts.seed,
        maxResults: opts.max,
      });
      if (opts.json) ctx.io.out(JSON.stringify(response, null, 2));
      if (response.errors.length > 0) {
        const input = response.errors.some((e) => PLAN_INPUT_ERROR_CODES.has(e.code));
        if (!opts.json) ctx.io.err(`error: ${response.errors.map(describeError).join('; ')}`);
        throw new CliExit(input ? EXIT_USAGE : EXIT_FAILED);
      }
      if (!opts.json) ctx.io.out(render(network, response));
    });
}

function describeError(e: PlanError): string {
  return e.field
    ? `--${e.field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${e.message}`
    : e.message;
}

function render(network: Network, r: PlanResponse): string {
  const node = (id: string) => network.nodes.get(id)!;
  const name = (id: string) => `${placeLabel(node(id))} (${id})`;
  const cargo = r.request.containers.map((c) => `${c.count}x${c.type}`).join(', ');
  const tonnes = r.request.containers.reduce((s, c) => s + c.count * c.grossKg, 0) / 1000;
  const out = [
    `${name(r.request.from)} → ${name(r.request.to)}: ${cargo} (${tonnes.toFixed(1)} t gross)${r.request.hazardous ? ', hazardous' : ''}`,
    `${r.itineraries.length} itinerar${r.itineraries.length === 1 ? 'y' : 'ies'}${r.request.compare ? ', best of each corridor' : ''}; P50/P90 from ${'a seeded simulation'} (seed ${r.request.seed})`,
  ];
  r.itineraries.forEach((it, i) => out.push('', ...renderItinerary(network, it, i + 1)));
  return out.join('\n');
}

function renderItinerary(network: Network, it: Itinerary, n: number): string[] {
  const zone = (id: string) => network.nodes.get(id)!.timeZone;
  const at = (iso: string, id: string) => localTime(Date.parse(iso), zone(id));
  const first = it.legs.find((l) => l.kind === 'ride')!;
  const last = it.legs.findLast((l) => l.kind === 'ride')!;
  const lines = [
    `${n}. ${it.corridor.toUpperCase()}  ${it.transitDaysP50} days P50, ${it.transitDaysP90} days P90  ·  US$ ${usd(it.costUsd)}  ·  ${(it.co2eKg / 1000).toFixed(1)} t CO2e  ·  ${it.transfers} transfer${it.transfers === 1 ? '' : 's'}  [${it.id}]`,
    `   departs ${at(it.departure, first.from)}; arrives ${at(it.arrivalP50, last.to)} (P50), ${at(it.arrivalP90, last.to)} (P90); plan ${at(it.plannedArrival, last.to)}`,
  ];
  const rows = it.legs.map((l) =>
    l.kind === 'ride'
      ? [
          l.mode,
          `${l.from} → ${l.to}`,
          l.serviceId,
          at(l.departure, l.from),
          at(l.arrival, l.to),
          `${Math.round(l.distanceKm)} km`,
          `US$ ${usd(l.costUsd)}`,
          `${Math.round(l.co2eKg)} kg`,
        ]
      : [
          '  wait',
          `${l.node} ${l.operation.replace('_', ' ')}`,
          '',
          `P50 ${l.p50Hours} h`,
          `P90 ${l.p90Hours} h`,
          '',
          '',
          '',
        ],
  );
  lines.push(
    ...table(
      ['LEG', 'WHERE', 'SERVICE', 'DEPARTS / P50', 'ARRIVES / P90', 'DISTANCE', 'COST', 'CO2E'],
      rows,
      70,
    )
      .split('\n')
      .map((l) => `   ${l}`),
  );
  if (it.borders.length)
    lines.push(`   borders: ${it.borders.map((b) => `${b.from}→${b.to} at ${b.node}`).join(', ')}`);
  if (it.gaugeChanges.length)
    lines.push(
      `   gauge changes: ${it.gaugeChanges.map((g) => `${g.fromMm}→${g.toMm} mm at ${g.node}`).join(', ')}`,
    );
  lines.push(
    `   regimes: ${it.regimes.map((s) => `${s.countries.join('→')} ${s.customsRegime.replace(/_/g, ' ')} (${s.transportDocument}) ${s.from}→${s.to}`).join('; ')}`,
    `   documents: ${it.documents.join(', ')}`,
  );
  return lines;
}

function usd(x: number): string {
  return x.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 0 });
}
