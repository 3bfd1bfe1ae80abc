import { Option, type Command } from 'commander';
import {
  CliExit,
  EXIT_FAILED,
  EXIT_USAGE,
  parseDate,
  parseIntIn,
  type CommandContext,
} from './context.ts';
import { table } from './format.ts';

/** Default address of the platform for the client commands. */
const DEFAULT_SERVER = 'http://localhost:8080';

export interface ServerOptions {
  server?: string;
  json?: boolean;
}

/**
 * Calls the platform's API as the organisation of CORRIDOR_API_KEY. A problem answer becomes one
 * `error:` line: exit 2 when the request was wrong (400, 422), 1 otherwise (refused, not found).
 */
export async function call(
  ctx: CommandContext,
  opts: ServerOptions,
  method: string,
  path: string,
  body?: unknown,
  /** Sent as is when not JSON (a CSV file). */
  contentType = 'application/json',
): Promise<unknown> {
  const key = ctx.io.env.CORRIDOR_API_KEY;
  const base = (opts.server ?? ctx.io.env.CORRIDOR_SERVER ?? DEFAULT_SERVER).replace(/\/$/, '');
  let res: Response;
  try {
    res = await ctx.io.http(`${base}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': contentType } : {}),
      },
      ...(body !== undefined
        ? {
            body:
              contentType !== 'application/json' && typeof body === 'string'
                ? body
                : JSON.stringify(body),
          }
        : {}),
    });
  } catch (e) {
    ctx.io.err(`error: cannot reach ${base}: ${(e as Error).message}`);
    throw new CliExit(EXIT_FAILED);
  }
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const detail =
      (json as { detail?: string } | undefined)?.detail ?? `${res.status} ${res.statusText}`;
    ctx.io.err(`error: ${detail}`);
    throw new CliExit(res.status === 400 || res.status === 422 ? EXIT_USAGE : EXIT_FAILED);
  }
  return json;
}

export const serverOption = () =>
  new Option('--server <url>', `platform address (default CORRIDOR_SERVER or ${DEFAULT_SERVER})`);

interface BookingJson {
  id: string;
  state: string;
  amendment?: { status: string; teu: number } | null;
  cancellation?: { status: string } | null;
  teu: number;
  holdExpiresAt: string;
  reason: string | null;
  rides: {
    rideIndex: number;
    tripId: string;
    fromNodeId: string;
    toNodeId: string;
    state: string;
  }[];
}

function renderBooking(b: BookingJson): string {
  return [
    `${b.id}  ${b.state}  ${b.teu} TEU${b.state === 'RECEIVED' ? `  held until ${b.holdExpiresAt}` : ''}${b.reason ? `  (${b.reason})` : ''}`,
    ...(b.amendment ? [`  amendment ${b.amendment.status}  ${b.amendment.teu} TEU`] : []),
    ...(b.cancellation ? [`  cancellation ${b.cancellation.status}`] : []),
    ...b.rides.map(
      (r) => `  ${r.rideIndex}. ${r.tripId}  ${r.fromNodeId} → ${r.toNodeId}  ${r.state}`,
    ),
  ].join('\n');
}

export function registerClientCommands(program: Command, ctx: CommandContext): void {
  program
    .command('departures')
    .description(
      'capacity, held, confirmed and available TEU per departure and leg of a service (from the platform)',
    )
    .requiredOption('--service <id>', 'service id')
    .addOption(
      new Option('--from <date>', 'first service day, YYYY-MM-DD (default today)').argParser(
        parseDate,
      ),
    )
    .addOption(
      new Option('--days <n>', 'service days, 1-31').argParser(parseIntIn(1, 31)).default(7),
    )
    .addOption(serverOption())
    .option('--json', 'print the JSON of the API')
    .addHelpText(
      'after',
      '\nExample:\n  corridor departures --service SVC_FEEDER_AKTAU_ALAT --days 7',
    )
    .action(async (opts: ServerOptions & { service: string; from?: string; days: number }) => {
      const q = new URLSearchParams({
        service: opts.service,
        days: String(opts.days),
        ...(opts.from ? { from: opts.from } : {}),
      });
      const res = (await call(ctx, opts, 'GET', `/v1/departures?${q.toString()}`)) as {
        departures: {
          tripId: string;
          legs: {
            from: string;
            to: string;
            capacityTeu: number;
            heldTeu: number;
            confirmedTeu: number;
            availableTeu: number;
            closed: boolean;
          }[];
        }[];
      };
      if (opts.json) return ctx.io.out(JSON.stringify(res, null, 2));
      ctx.io.out(
        table(
          ['TRIP', 'LEG', 'CAPACITY', 'HELD', 'CONFIRMED', 'AVAILABLE'],
          res.departures.flatMap((d) =>
            d.legs.map((l) => [
              d.tripId,
              `${l.from} → ${l.to}`,
              String(l.capacityTeu),
              String(l.heldTeu),
              String(l.confirmedTeu),
              l.closed ? 'closed' : String(l.availableTeu),
            ]),
          ),
          70,
        ),
      );
    });

  const collect = (v: string, all: string[] = []) => [...all, v];
  program
    .command('book')
    .description(
      'book every ride of an itinerary at once (as the organisation of CORRIDOR_API_KEY)',
    )
    .option(
      '--ride <TRIP:FROM:TO>',
      'a ride: trip id, boarding and alighting node (repeat for each ride)',
      collect,
    )
    .option('--plan <id>', 'a plan id from POST /v1/plans (with --itinerary), instead of --ride')
    .option('--itinerary <id>', "the itinerary's id in that plan")
    .option(
      '--containers <spec>',
      "COUNTxTYPE[:GROSSKG],... e.g. 2x40HC (required with --ride; the plan's by default)",
    )
    .option('--hazardous', 'the cargo is dangerous goods')
    .addOption(serverOption())
    .option('--json', 'print the JSON of the API')
    .addHelpText(
      'after',
      '\nThe rides are the ride legs of a plan (`corridor plan --json`: tripId, from, to), or a plan kept by the platform for a day (its planId and an itinerary id).\n\nExamples:\n  CORRIDOR_API_KEY=ck_... corridor book --ride SVC_FEEDER_AKTAU_ALAT@2026-12-01T1800:KZ_AKTAU_PORT:AZ_BAKU_PORT_ALAT --containers 2x40HC\n  CORRIDOR_API_KEY=ck_... corridor book --plan pln_... --itinerary it_...',
    )
    .action(
      async (
        opts: ServerOptions & {
          ride?: string[];
          plan?: string;
          itinerary?: string;
          containers?: string;
          hazardous?: boolean;
        },
      ) => {
        const byPlan = opts.plan !== undefined || opts.itinerary !== undefined;
        if (byPlan && opts.ride) ctx.usage('give --ride or --plan with --itinerary, not both');
        if (byPlan && (opts.plan === undefined || opts.itinerary === undefined))
          ctx.usage('--plan and --itinerary go together');
        if (!byPlan && !opts.ride)
          ctx.usage('give --ride (with --containers) or --plan and --itinerary');
        if (!byPlan && opts.containers === undefined)
          ctx.usage('--containers is required with --ride');
        const rides = opts.ride?.map((r) => {
          const parts = r.split(':');
          if (parts.length !== 3 || parts.some((p) => p === ''))
            ctx.usage(`--ride: "${r}" is not TRIP:FROM:TO`);
          return { tripId: parts[0]!, from: parts[1]!, to: parts[2]! };
        });
        const b = (await call(ctx, opts, 'POST', '/v1/bookings', {
          ...(rides ? { rides } : { planId: opts.plan, itineraryId: opts.itinerary }),
          ...(opts.containers !== undefined ? { containers: opts.containers } : {}),
          ...(opts.hazardous ? { hazardous: true } : {}),
        })) as BookingJson;
        ctx.io.out(opts.json ? JSON.stringify(b, null, 2) : renderBooking(b));
      },
    );

  const bookings = program
    .command('bookings')
    .description("the organisation's bookings on the platform");
  bookings
    .command('list')
    .description('list bookings')
    .addOption(serverOption())
    .option('--json', 'print the JSON of the API')
    .addHelpText('after', '\nExample:\n  CORRIDOR_API_KEY=ck_... corridor bookings list')
    .action(async (opts: ServerOptions) => {
      const res = (await call(ctx, opts, 'GET', '/v1/bookings')) as { bookings: BookingJson[] };
      ctx.io.out(
        opts.json
          ? JSON.stringify(res, null, 2)
          : res.bookings.map(renderBooking).join('\n') || 'no bookings',
      );
    });
  for (const [name, method, suffix, what] of [
    ['show', 'GET', '', 'show one booking'],
    [
      'cancel',
      'POST',
      '/cancel',
      'cancel a booking: at once before confirmation (its capacity goes back); a confirmed one is asked of its carriers (CANCELLATION_RECEIVED)',
    ],
  ] as const) {
    bookings
      .command(name)
      .description(what)
      .argument('<id>', 'booking id')
      .addOption(serverOption())
      .option('--json', 'print the JSON of the API')
      .addHelpText(
        'after',
        `\nExample:\n  CORRIDOR_API_KEY=ck_... corridor bookings ${name} bkg_...`,
      )
      .action(async (id: string, opts: ServerOptions) => {
        if (!/^bkg_[A-Za-z0-9]{1,40}$/.test(id)) ctx.usage(`"${id}" is not a booking id (bkg_...)`);
        const b = (await call(ctx, opts, method, `/v1/bookings/${id}${suffix}`)) as BookingJson;
        ctx.io.out(opts.json ? JSON.stringify(b, null, 2) : renderBooking(b));
      });
  }
}
