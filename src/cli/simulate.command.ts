import type { Command } from 'commander';
import { simulate, type SimulationResult } from '../core/simulation/corridor.ts';
import { compare, summarise, type Estimate } from '../core/simulation/runs.ts';
import {
  applyChanges,
  scenarioFileSchema,
  scenarioSchema,
  type Scenario,
} from '../core/simulation/scenario.ts';
import { parseIntIn, type CommandContext } from './context.ts';
import { table } from './format.ts';
import { readJson } from './input.ts';

/** A scenario file, with its base read and its changes made; a problem is one line and exit 2. */
async function loadScenario(ctx: CommandContext, file: string, depth = 0): Promise<Scenario> {
  const json = await readJson(ctx, file);
  const parsed = scenarioFileSchema.safeParse(json);
  if (!parsed.success) {
    // Name the problem as the whole-scenario schema sees it, or as a change file's.
    const direct = scenarioSchema.safeParse(json);
    const issue = (
      direct.success || (json as { base?: unknown } | null)?.base !== undefined
        ? parsed.error.issues
        : direct.error.issues
    )[0]!;
    const path = issue.path.map(String).join('.') || '(root)';
    return ctx.usage(`${file}: ${path}: ${issue.message}`);
  }
  const s = parsed.data;
  if (!('base' in s)) return s;
  if (depth > 5) return ctx.usage(`${file}: base: bases nest more than 5 deep`);
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  const base = await loadScenario(ctx, s.base.startsWith('/') ? s.base : dir + s.base, depth + 1);
  const applied = applyChanges(base, s.name, s.changes);
  if (!applied.ok) return ctx.usage(`${file}: ${applied.errors[0]}`);
  return applied.scenario;
}

function runAll(
  ctx: CommandContext,
  scenario: Scenario,
  opts: { days: number; seed: number; runs: number },
  label: string,
): SimulationResult[] {
  const out: SimulationResult[] = [];
  for (let i = 0; i < opts.runs; i++) {
    out.push(
      simulate(scenario, {
        days: opts.days,
        seed: opts.seed + i,
        progress: (done) => {
          const share = (i + done) / opts.runs;
          const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
          ctx.io.progress(`${label} [${bar}] run ${i + 1}/${opts.runs}`);
        },
      }),
    );
  }
  ctx.io.progress('');
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const fmt = (e: Estimate, digits = 1) =>
  e.ci95 > 0 ? `${e.mean.toFixed(digits)} ± ${e.ci95.toFixed(digits)}` : e.mean.toFixed(digits);

export function registerSimulateCommand(program: Command, ctx: CommandContext): void {
  program
    .command('simulate')
    .description(
      'simulate the corridor: TEU delivered, transit P50/P90, queues, waits, utilisation and CO2e of a scenario',
    )
    .argument('<scenario>', 'scenario JSON (see data/scenarios/base.json)')
    .option('--days <n>', 'days simulated after the warm-up', parseIntIn(1, 3650), 365)
    .option('--seed <n>', 'seed of the first run', parseIntIn(0, 2 ** 31 - 1), 1)
    .option('--runs <n>', 'runs with seeds seed, seed+1, ...', parseIntIn(1, 200), 1)
    .option('--compare <scenario>', 'a second scenario: B − A per figure, same seeds')
    .option('--json', 'print the results as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  corridor simulate data/scenarios/base.json --runs 20\n  corridor simulate data/scenarios/base.json --compare data/scenarios/seventh-feeder.json --runs 20',
    )
    .action(
      async (
        file: string,
        opts: { days: number; seed: number; runs: number; compare?: string; json?: boolean },
      ) => {
        const a = await loadScenario(ctx, file);
        const b = opts.compare !== undefined ? await loadScenario(ctx, opts.compare) : undefined;
        const runsA = runAll(ctx, a, opts, 'A');
        if (b) {
          const runsB = runAll(ctx, b, opts, 'B');
          const rows = compare(runsA, runsB);
          if (opts.json) {
            ctx.io.out(JSON.stringify({ a: a.name, b: b.name, runs: opts.runs, rows }, null, 2));
            return;
          }
          ctx.io.out(
            `A: ${a.name}\nB: ${b.name}\n${opts.runs} run(s) of ${opts.days} days each, same seeds`,
          );
          ctx.io.out(
            table(
              ['figure', 'A', 'B', 'B − A (95 % CI)'],
              rows.map((r) => [r.figure, fmt(r.a, 2), fmt(r.b, 2), fmt(r.difference, 2)]),
            ),
          );
          return;
        }
        if (opts.json) {
          ctx.io.out(
            JSON.stringify(
              {
                scenario: a.name,
                runs: runsA,
                summary: Object.fromEntries(summarise(runsA)),
              },
              null,
              2,
            ),
          );
          return;
        }
        const s = summarise(runsA);
        const get = (k: string) => s.get(k)!;
        ctx.io.out(
          `${a.name}\n${opts.runs} run(s) of ${opts.days} days each after ${a.warmupDays} days of warm-up`,
        );
        ctx.io.out(
          table(
            ['origin → destination', 'delivered TEU', 'transit P50 days', 'transit P90 days'],
            a.demand.map((d) => {
              const k = `${d.from} → ${d.to}`;
              return [
                k,
                fmt(get(`${k}: delivered TEU`), 0),
                fmt(get(`${k}: transit P50 days`)),
                fmt(get(`${k}: transit P90 days`)),
              ];
            }),
          ),
        );
        ctx.io.out('');
        ctx.io.out(
          table(
            [
              'resource',
              'utilisation',
              'mean wait h',
              'P90 wait h',
              'mean at resource',
              'λW (Little)',
            ],
            runsA[0]!.resources.map((r) => [
              `${r.id} (${r.type})`,
              fmt(get(`${r.id}: utilisation`), 2),
              fmt(get(`${r.id}: mean wait h`)),
              fmt(get(`${r.id}: P90 wait h`)),
              fmt(get(`${r.id}: mean at resource`)),
              r.lambdaW.toFixed(1),
            ]),
          ),
        );
        for (const r of runsA[0]!.resources.filter((x) => x.type === 'vessel'))
          ctx.io.out(
            `\n${r.id}: closed days by month (calendar days, Jan–Dec): ${r.closedDaysByMonth
              .map((_, m) => fmt(get(`${r.id}: closed days ${MONTHS[m]!}`), 1))
              .join(' ')}`,
          );
        ctx.io.out(
          `\nTEU delivered in the period ${fmt(get('throughput TEU'), 0)} (of them set out in it ${fmt(get('created and delivered TEU'), 0)}), CO2e ${fmt(get('CO2e t'), 0)} t`,
        );
      },
    );
}
