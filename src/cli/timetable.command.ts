import { Option, type Command } from 'commander';
import { generateTimetable, type Trip } from '../core/network/timetable.ts';
import { timetableView } from '../app/network-views.ts';
import type { Network } from '../core/network/network.ts';
import { localTime } from './format.ts';
import { parseDate, parseIntIn, type CommandContext } from './context.ts';

/** The longest window one command generates: ten years of service days. */
const MAX_DAYS = 3660;

interface TimetableOptions {
  from?: string;
  days: number;
  service?: string[];
  json?: boolean;
  data?: string;
}

export function registerTimetableCommand(program: Command, ctx: CommandContext): void {
  program
    .command('timetable')
    .description('departures of every service (or some) with stop times and capacity')
    .addOption(
      new Option('--from <date>', 'first service day, YYYY-MM-DD (default: today, UTC)').argParser(
        parseDate,
      ),
    )
    .addOption(
      new Option('--days <n>', `number of service days, 1-${MAX_DAYS}`)
        .argParser(parseIntIn(1, MAX_DAYS))
        .default(7),
    )
    .option('--service <id...>', 'only these services (ids from `corridor network show`)')
    .option('--json', 'print JSON: times in UTC, each stop with its IANA time zone')
    .option('--data <dir>', 'network data folder (default: the bundled data/)')
    .addHelpText(
      'after',
      '\nA service day is the local date at the service origin. Tables show local times.\n\nExamples:\n  corridor timetable --days 14\n  corridor timetable --from "$(date -d \'next monday\' +%F)" --days 365 --json\n  corridor timetable --service SVC_FEEDER_AKTAU_ALAT --days 7',
    )
    .action(async (opts: TimetableOptions) => {
      const network = await ctx.network(opts.data);
      for (const id of opts.service ?? []) {
        if (!network.services.has(id))
          ctx.usage(`--service: unknown service "${id}" (see \`corridor network show\`)`);
      }
      const from = opts.from ?? ctx.io.clock.now().toISOString().slice(0, 10);
      if (opts.json) {
        ctx.io.out(JSON.stringify(timetableView(network, from, opts.days, opts.service)));
        return;
      }
      const trips = generateTimetable(network, {
        from,
        days: opts.days,
        ...(opts.service ? { serviceIds: opts.service } : {}),
      });
      ctx.io.out(render(network, from, opts.days, trips));
    });
}

function render(network: Network, from: string, days: number, trips: readonly Trip[]): string {
  const lines = [`${trips.length} departures on ${days} service day(s) from ${from} (local times)`];
  for (const t of trips) {
    const s = network.services.get(t.serviceId)!;
    lines.push(
      '',
      `${t.id}  ${s.name}  ${t.capacityTeu} TEU${s.sailsWhenFull ? ', sails when full' : ''}`,
    );
    const width = Math.max(...t.stopTimes.map((st) => st.nodeId.length));
    for (const st of t.stopTimes) {
      const zone = network.nodes.get(st.nodeId)!.timeZone;
      const arr = st.arrival === null ? '' : `arr ${localTime(st.arrival, zone)}`;
      const dep = st.departure === null ? '' : `dep ${localTime(st.departure, zone)}`;
      lines.push(`  ${st.nodeId.padEnd(width)}  ${arr.padEnd(30)}${dep}`.trimEnd());
    }
  }
  return lines.join('\n');
}
