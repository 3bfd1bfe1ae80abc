import { DEFAULT_PAGE, keysetPage, type Page, type PageKey, type PageRequest } from './paging.ts';
import { simulation, type SimulationResult } from '../core/simulation/corridor.ts';
import { summarise } from '../core/simulation/runs.ts';
import { applyChanges, scenarioFileSchema, type Scenario } from '../core/simulation/scenario.ts';
import { scenarioWithDwellModels, type ScenarioDwell } from '../core/simulation/dwell-models.ts';
import { dwellKey, type Network, type Operation } from '../core/network/network.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import type { DwellModelStore } from './dwell-model-ports.ts';
import { AppError } from './errors.ts';
import type { Clock, Secrets } from './ports.ts';

/**
 * What-if simulations for the coordinating council, run in the background of the server that
 * received them: the scenario is checked and stored, the runs go on in steps of a simulated
 * month with the server answering requests between steps, and progress and the summary (means
 * with 95 % confidence intervals) are stored for any server to answer.
 */

export interface SimulationRecord {
  id: string;
  organisationId: string;
  scenario: Scenario;
  days: number;
  seed: number;
  runs: number;
  state: 'running' | 'done' | 'failed';
  progress: number;
  result: unknown;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface SimulationStore {
  create(r: SimulationRecord): Promise<void>;
  /** A step done: its progress and the instant, the server's sign of life. */
  progress(id: string, progress: number, at: Date): Promise<void>;
  finish(id: string, outcome: { result: unknown } | { error: string }, at: Date): Promise<void>;
  find(id: string): Promise<SimulationRecord | undefined>;
  /** Newest first (then id descending), after `after`. */
  listOf(organisationId: string, limit: number, after?: PageKey): Promise<SimulationRecord[]>;
  countOf(organisationId: string): Promise<number>;
  /**
   * Marks as failed the simulations still running whose server has given no sign of life since
   * `silentSince` (it stopped or died); returns how many.
   */
  failRunning(reason: string, at: Date, silentSince: Date): Promise<number>;
}

export interface SimulationDeps {
  simulations: SimulationStore;
  /** The scenarios shipped with the platform (data/scenarios), by file name. */
  bases: ReadonlyMap<string, Scenario>;
  clock: Clock;
  secrets: Secrets;
  /** Gives way to other work (the server's requests) between steps. */
  pause: () => Promise<void>;
  /**
   * The dwell models learnt on the platform and the reference network they refine: a
   * scenario's terminals that name their places run at the models in force. Without, the
   * scenario's own process times hold.
   */
  dwell?: { models: DwellModelStore; reference: Network };
}

/**
 * The scenario with the dwell models in force (the latest version's whole-year models, frozen
 * ones as frozen), and the version they come from (null: none learnt, or `dwell: "reference"`).
 */
async function withDwellModels(
  deps: SimulationDeps,
  scenario: Scenario,
): Promise<ScenarioDwell & { version: number | null }> {
  if (!deps.dwell || scenario.dwell === 'reference')
    return { scenario, resources: [], version: null };
  const [latest, frozen] = await Promise.all([
    deps.dwell.models.latest(),
    deps.dwell.models.frozen(),
  ]);
  const reference = deps.dwell.reference;
  const applied = scenarioWithDwellModels(scenario, (nodeId, operation) => {
    const f = frozen.find((x) => x.nodeId === nodeId && x.operation === operation);
    if (f) return { p50Hours: f.p50Hours, p90Hours: f.p90Hours, learnt: true };
    const m = latest?.models.find(
      (x) => x.nodeId === nodeId && x.operation === operation && x.month === 0,
    );
    if (m && m.samples > 0) return { ...m.inForce, learnt: true };
    const ref = reference.dwellModels.get(dwellKey(nodeId, operation as Operation));
    return ref ? { p50Hours: ref.p50Hours, p90Hours: ref.p90Hours, learnt: false } : undefined;
  });
  return {
    ...applied,
    version: applied.resources.length > 0 ? (latest?.version ?? null) : null,
  };
}

/** Simulations are run by the coordinating council (any of its people) and platform admins. */
function requireRunner(actor: Actor): void {
  if (actor.organisationKind !== 'coordinator' && !isPlatformAdmin(actor))
    throw new AppError(
      'forbidden',
      "simulations are for the coordinating council and the platform's admins",
    );
}

/** The scenario of a request: whole, or a base shipped with the platform and changes. */
export function scenarioOf(deps: Pick<SimulationDeps, 'bases'>, body: unknown): Scenario {
  const parsed = scenarioFileSchema.safeParse(body);
  if (!parsed.success) {
    const errors = parsed.error.issues.slice(0, 20).map((i) => ({
      path: ['body', 'scenario', ...i.path.map(String)].join('.'),
      message: i.message,
    }));
    throw new AppError(
      'invalid_data',
      errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      errors,
    );
  }
  const s = parsed.data;
  if (!('base' in s)) return s;
  const base = deps.bases.get(s.base);
  if (!base)
    throw new AppError(
      'invalid_data',
      `body.scenario.base: no scenario ${s.base} (${[...deps.bases.keys()].join(', ')})`,
      [{ path: 'body.scenario.base', message: `no scenario ${s.base}` }],
    );
  const applied = applyChanges(base, s.name, s.changes);
  if (!applied.ok)
    throw new AppError(
      'invalid_data',
      applied.errors.join('; '),
      applied.errors.map((e) => ({
        path: `body.scenario.${e.slice(0, e.indexOf(':'))}`,
        message: e.slice(e.indexOf(':') + 2),
      })),
    );
  return s.dwell ? { ...applied.scenario, dwell: s.dwell } : applied.scenario;
}

export async function startSimulation(
  deps: SimulationDeps,
  actor: Actor,
  body: { scenario: unknown; days: number; seed: number; runs: number },
): Promise<SimulationRecord> {
  requireRunner(actor);
  const dwell = await withDwellModels(deps, scenarioOf(deps, body.scenario));
  const scenario = dwell.scenario;
  const record: SimulationRecord = {
    id: deps.secrets.id('sim'),
    organisationId: actor.organisationId,
    scenario,
    days: body.days,
    seed: body.seed,
    runs: body.runs,
    state: 'running',
    progress: 0,
    result: null,
    error: null,
    createdAt: deps.clock.now(),
    finishedAt: null,
  };
  await deps.simulations.create(record);
  void runInBackground(deps, record, dwell);
  return record;
}

async function runInBackground(
  deps: SimulationDeps,
  r: SimulationRecord,
  dwell: Omit<ScenarioDwell, 'scenario'> & { version: number | null },
): Promise<void> {
  try {
    const runs: SimulationResult[] = [];
    for (let i = 0; i < r.runs; i++) {
      const steps = simulation(r.scenario, { days: r.days, seed: r.seed + i });
      for (;;) {
        const step = steps.next();
        if (step.done) {
          runs.push(step.value);
          break;
        }
        await deps.pause();
        await deps.simulations.progress(
          r.id,
          Math.min(0.999, (i + step.value) / r.runs),
          deps.clock.now(),
        );
      }
    }
    const first = runs[0]!;
    await deps.simulations.finish(
      r.id,
      {
        result: {
          summary: Object.fromEntries(summarise(runs)),
          // One run's queues over time, per resource, for charts.
          series: Object.fromEntries(first.resources.map((x) => [x.id, x.byDay])),
          ods: first.ods.map((o) => ({ from: o.from, to: o.to })),
          resources: first.resources.map((x) => ({ id: x.id, name: x.name, type: x.type })),
          // The dwell-model version the terminals ran at (null: the scenario's own times), and
          // which terminals with what.
          dwellModelVersion: dwell.version,
          dwellModels: dwell.resources,
        },
      },
      deps.clock.now(),
    );
  } catch (e) {
    await deps.simulations
      .finish(r.id, { error: (e as Error).message }, deps.clock.now())
      .catch(() => undefined);
  }
}

export async function getSimulation(
  deps: SimulationDeps,
  actor: Actor,
  id: string,
): Promise<SimulationRecord> {
  const r = await deps.simulations.find(id);
  if (!r || (r.organisationId !== actor.organisationId && !isPlatformAdmin(actor)))
    throw new AppError('not_found', `no simulation ${id}`);
  return r;
}

/** The organisation's simulations, newest first, a page at a time. */
export async function listSimulations(
  deps: SimulationDeps,
  actor: Actor,
  page: PageRequest = { limit: DEFAULT_PAGE },
): Promise<Page<SimulationRecord>> {
  requireRunner(actor);
  const [read, total] = await Promise.all([
    deps.simulations.listOf(actor.organisationId, page.limit + 1, page.after),
    deps.simulations.countOf(actor.organisationId),
  ]);
  return keysetPage(read, page, (r) => ({ at: r.createdAt, id: r.id }), total);
}
