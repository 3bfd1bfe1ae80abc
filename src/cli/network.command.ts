import type { Command } from 'commander';
import type { Network } from '../core/network/network.ts';
import { networkView } from '../app/network-views.ts';
import { describePattern, table } from './format.ts';
import { parseDate, type CommandContext } from './context.ts';
import { call, serverOption, type ServerOptions } from './client.command.ts';
import { readJson, readOrExit } from './input.ts';

export function registerNetworkCommands(program: Command, ctx: CommandContext): void {
  const network = program
    .command('network')
    .description('the reference corridor: nodes, links, services, dwell models, emission factors');

  network
    .command('validate')
    .description('check the network data files and report every problem')
    .argument(
      '[dir]',
      'folder with nodes.json, links.json, services.json, dwell.json, emission-factors.json',
    )
    .addHelpText(
      'after',
      '\nExits 0 with a one-line summary, or 1 listing every problem as `file: json.path: message`.\n\nExample:\n  corridor network validate data/',
    )
    .action(async (dir: string | undefined) => {
      const n = await ctx.network(dir);
      ctx.io.out(`${dir ?? 'data/'}: valid: ${summary(n)}`);
    });

  network
    .command('show')
    .description('print the nodes, links and services')
    .option('--json', 'print the network as JSON')
    .option('--data <dir>', 'network data folder (default: the bundled data/)')
    .addHelpText('after', '\nExamples:\n  corridor network show\n  corridor network show --json')
    .action(async (opts: { json?: boolean; data?: string }) => {
      const n = await ctx.network(opts.data);
      ctx.io.out(opts.json ? JSON.stringify(networkView(n), null, 2) : render(n));
    });

  network
    .command('publish')
    .description("publish new versions of your organisation's services, or new services (carriers)")
    .argument('<file>', 'services as JSON ({ "services": [...] } as in services.json) or as CSV')
    .requiredOption('--effective-from <date>', 'the day (UTC) the versions take effect', parseDate)
    .option('--dry-run', 'check everything, publish nothing')
    .addOption(serverOption())
    .addHelpText(
      'after',
      '\nThe CSV layout is in docs/api.md ("Publishing services"). Uses CORRIDOR_API_KEY.\n\nExamples:\n  corridor network publish feeder.json --effective-from "$(date -d \'next monday\' +%F)"\n  corridor network publish roro.csv --effective-from "$(date -d \'next monday\' +%F)" --dry-run',
    )
    .action(
      async (file: string, opts: ServerOptions & { effectiveFrom: string; dryRun?: boolean }) => {
        const effectiveFrom = opts.effectiveFrom;
        const dryRun = opts.dryRun === true;
        let result: PublicationJson;
        if (file.toLowerCase().endsWith('.csv')) {
          const csv = await readOrExit(ctx, file, ctx.io.readText);
          result = (await call(
            ctx,
            opts,
            'POST',
            `/v1/network/services/csv?effectiveFrom=${effectiveFrom}${dryRun ? '&dryRun=true' : ''}`,
            csv,
            'text/csv',
          )) as PublicationJson;
        } else {
          const json = await readJson(ctx, file);
          const services = Array.isArray(json)
            ? json
            : (json as { services?: unknown } | null)?.services;
          if (!Array.isArray(services))
            return ctx.usage(`${file}: expected { "services": [...] } or a list of services`);
          result = (await call(ctx, opts, 'POST', '/v1/network/services', {
            effectiveFrom,
            services,
            dryRun,
          })) as PublicationJson;
        }
        for (const s of result.services)
          ctx.io.out(
            dryRun
              ? `valid: ${s.serviceId}${s.isNew ? ' (new)' : ''}`
              : `published ${s.serviceId} version ${s.version}${s.isNew ? ' (new)' : ''}, in force from ${result.effectiveFrom}`,
          );
        for (const b of result.flaggedBookings)
          ctx.io.out(
            `${dryRun ? 'would flag ' : ''}booking ${b.bookingId}: ${b.notices.join('; ')}`,
          );
      },
    );
}

interface PublicationJson {
  effectiveFrom: string;
  services: { serviceId: string; version: number | null; isNew: boolean }[];
  flaggedBookings: { bookingId: string; notices: string[] }[];
}

function summary(n: Network): string {
  return [
    `${n.nodes.size} nodes`,
    `${n.links.length} links`,
    `${n.services.size} services`,
    `${n.dwellModels.size} dwell models`,
    `${n.emissionFactors.size} emission factors`,
  ].join(', ');
}

function render(n: Network): string {
  const nodes = table(
    ['NODE', 'KIND', 'CTRY', 'LOCODE', 'TIME ZONE', 'NAME'],
    [...n.nodes.values()].map((x) => [
      x.id,
      x.kind,
      x.country,
      x.unLocode ?? '-',
      x.timeZone,
      x.name,
    ]),
    60,
  );
  const links = table(
    ['FROM', 'TO', 'MODE', 'KM', 'HOURS', 'GAUGE'],
    n.links.map((l) => [
      l.from,
      l.to,
      l.mode,
      String(l.distanceKm),
      String(l.typicalHours),
      l.gaugeMm
        ? `${l.gaugeMm} mm`
        : l.gaugeBreak
          ? `${l.gaugeBreak.fromMm}/${l.gaugeBreak.toMm} at ${l.gaugeBreak.at}`
          : '-',
    ]),
  );
  const services = table(
    ['SERVICE', 'MODE', 'ROUTE', 'KM', 'HOURS', 'DEPARTURES', 'TEU', 'REFUSES'],
    [...n.services.values()].map((s) => {
      const last = s.stops.at(-1)!;
      return [
        s.id,
        s.mode + (s.sailsWhenFull ? ' (sails when full)' : ''),
        s.stops.map((st) => st.nodeId).join(' > '),
        String(s.distanceKm),
        String(last.arrivalOffsetHours),
        describePattern(s),
        String(s.capacityTeu),
        s.refusesCargo.join(' ') || '-',
      ];
    }),
    90,
  );
  const dwell = table(
    ['NODE', 'OPERATION', 'P50 H', 'P90 H'],
    [...n.dwellModels.values()].map((d) => [
      d.node,
      d.operation,
      String(d.p50Hours),
      String(d.p90Hours),
    ]),
  );
  const factors = table(
    ['FACTOR', 'MODE', 'DEFAULT', 'G CO2E/TKM'],
    [...n.emissionFactors.values()].map((f) => [
      f.id,
      f.mode,
      f.default ? 'yes' : '',
      String(f.gCo2ePerTonneKm),
    ]),
  );
  return [
    `Corridor reference network: ${summary(n)}`,
    `Every record carries its source; see data/*.json and \`corridor network show --json\`.`,
    '',
    'NODES',
    nodes,
    '',
    'LINKS (usable in both directions)',
    links,
    '',
    'SERVICES',
    services,
    '',
    'DWELL MODELS',
    dwell,
    '',
    'EMISSION FACTORS',
    factors,
  ].join('\n');
}
