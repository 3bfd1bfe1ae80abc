import {
  fitDwellModels,
  modelInForce,
  monthOf,
  type FittedDwell,
} from '../core/learning/dwell-fit.ts';
import {
  dwellSamples,
  trafficShares,
  type ObservedShipment,
  type Publisher,
} from '../core/learning/samples.ts';
import { dwellReferences } from '../core/learning/in-force.ts';
import {
  fitLinkModels,
  linkSamples,
  linkTrafficShares,
  type FittedLink,
} from '../core/learning/link-fit.ts';
import { dwellKey, type Network, type Operation } from '../core/network/network.ts';
import type { OrganisationStore } from './account-ports.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import type { DwellModelStore, DwellModelVersion, FrozenDwellModel } from './dwell-model-ports.ts';
import { AppError } from './errors.ts';
import type { Clock, NewNotification, Secrets } from './ports.ts';
import type { TrackingStore } from './shipments.ts';

/**
 * The observed dwell models: a job refits them from the shipments' actual events (only those
 * their publishers are entitled to post) into a new version, and alerts the coordinating council
 * when a place's model leaves the reference's range; everyone reads the models, the council and
 * platform admins also who contributed what, and freeze or unfreeze a place's model. The
 * estimator: src/core/learning/README.md.
 */

export interface DwellModelDeps {
  models: DwellModelStore;
  tracking: TrackingStore;
  organisations: OrganisationStore;
  /** The reference network: its dwell models are the priors. */
  reference: Network;
  clock: Clock;
  secrets: Secrets;
}

/** Shipments read for one refit: the newest ones. */
const MAX_SHIPMENTS = 20_000;

const MONTHS = [
  'the whole year',
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * Fits the models again from every shipment's actual events and saves them as a new version;
 * undefined (nothing saved) when no stand was observed or the samples are those of the latest
 * version. Each model that newly left the reference's range alerts the council.
 */
export async function refitDwellModels(
  deps: DwellModelDeps,
): Promise<DwellModelVersion | undefined> {
  const now = deps.clock.now();
  const list = await deps.tracking.listShipments(
    { organisationId: '', admin: true, serviceIds: [], countries: [] },
    MAX_SHIPMENTS,
  );
  const events = await deps.tracking.eventsOf(
    list.map((s) => s.id),
    true,
  );
  const byShipment = new Map<string, ObservedShipment['events'][number][]>();
  for (const e of events) {
    const list = byShipment.get(e.shipmentId) ?? [];
    list.push({
      eventType: e.eventType,
      code: e.eventTypeCode,
      at: e.eventDateTime,
      location: e.unLocationCode,
      postedBy: e.postedBy,
    });
    byShipment.set(e.shipmentId, list);
  }
  const shipments = list.map((s) => ({ rides: s.rides, events: byShipment.get(s.id) ?? [] }));
  const orgs = await deps.organisations.list();
  const publishers = new Map<string, Publisher>(
    orgs.map((o) => [o.id, { id: o.id, kind: o.kind, services: o.services, country: o.country }]),
  );
  const samples = dwellSamples(deps.reference, shipments, publishers);
  const runs = linkSamples(deps.reference, shipments, publishers);
  if (samples.length === 0 && runs.length === 0) return undefined;
  const times = [...samples.map((s) => s.at), ...runs.map((s) => s.at)];
  const period = { from: new Date(Math.min(...times)), to: new Date(Math.max(...times)) };
  const latest = await deps.models.latest();
  if (
    latest &&
    latest.samples === samples.length &&
    latest.linkSamples === runs.length &&
    latest.period?.from.getTime() === period.from.getTime() &&
    latest.period.to.getTime() === period.to.getTime()
  )
    return undefined;
  const models = fitDwellModels(dwellReferences(deps.reference), samples, {
    now: now.getTime(),
    trafficShare: trafficShares(deps.reference, shipments, publishers),
  });
  const links = fitLinkModels(deps.reference, runs, {
    now: now.getTime(),
    trafficShare: linkTrafficShares(deps.reference, shipments, publishers),
  });
  const council = orgs.filter((o) => o.kind === 'coordinator');
  const drifted = models.filter((m) => {
    if (m.drift === null) return false;
    const before = latest?.models.find(
      (x) => x.nodeId === m.nodeId && x.operation === m.operation && x.month === m.month,
    );
    return before?.drift !== m.drift;
  });
  return deps.models.save(
    {
      fittedAt: now,
      samples: samples.length,
      shipments: list.length,
      period,
      models,
      linkSamples: runs.length,
      links,
    },
    (version) =>
      drifted.flatMap((m): NewNotification[] =>
        council.map((o) => ({
          id: deps.secrets.id('ntf'),
          organisationId: o.id,
          kind: 'dwell_drift',
          requestId: null,
          text: driftText(m, version),
          createdAt: now,
        })),
      ),
  );
}

/** The council's alert for a model that left the reference's range. */
export function driftText(m: FittedDwell, version: number): string {
  const place = `${m.operation.replace('_', ' ')} at ${m.nodeId} (${MONTHS[m.month]})`;
  return `Dwell ${m.drift}: ${place} observed at P50 ${m.observed!.p50Hours} h, P90 ${m.observed!.p90Hours} h over ${m.samples} stands, outside the reference's P50 ${m.reference.p50Hours} h, P90 ${m.reference.p90Hours} h (dwell model version ${version}).`;
}

/** May see who contributed what, and freeze models. */
export function mayGovern(actor: Actor): boolean {
  return actor.organisationKind === 'coordinator' || isPlatformAdmin(actor);
}

export interface DwellModelView {
  version: number | null;
  fittedAt: Date | null;
  samples: number;
  shipments: number;
  period: { from: Date; to: Date } | null;
  /** The month whose models the planner uses now (1–12). */
  monthInForce: number;
  models: (Omit<FittedDwell, 'contributions'> & {
    contributions?: (FittedDwell['contributions'][number] & { organisationName: string })[];
    frozen: FrozenDwellModel | null;
  })[];
  /** Running-time samples the latest version counted. */
  linkSamples: number;
  /** The running times learnt per link (contributions for the council and admins only). */
  links: (Omit<FittedLink, 'contributions'> & { contributions?: FittedLink['contributions'] })[];
}

/**
 * The latest version's models (whole-year and per month), filtered by place, operation and
 * month; with contributions for the council and platform admins only.
 */
export async function readDwellModels(
  deps: DwellModelDeps,
  actor: Actor,
  filter: { node?: string | undefined; operation?: string | undefined; month?: number | undefined },
): Promise<DwellModelView> {
  const [latest, frozen] = await Promise.all([deps.models.latest(), deps.models.frozen()]);
  const governs = mayGovern(actor);
  const names = governs
    ? new Map((await deps.organisations.list()).map((o) => [o.id, o.name]))
    : new Map<string, string>();
  const fitted =
    latest?.models ??
    [...deps.reference.dwellModels.values()].map(
      (d) =>
        fitDwellModels(
          [{ nodeId: d.node, operation: d.operation, p50Hours: d.p50Hours, p90Hours: d.p90Hours }],
          [],
          { now: 0 },
        )[0]!,
    );
  const models = fitted
    .filter(
      (m) =>
        (filter.node === undefined || m.nodeId === filter.node) &&
        (filter.operation === undefined || m.operation === filter.operation) &&
        (filter.month === undefined || m.month === filter.month),
    )
    .map(({ contributions, ...m }) => ({
      ...m,
      ...(governs
        ? {
            contributions: contributions.map((c) => ({
              ...c,
              organisationName: names.get(c.organisationId) ?? c.organisationId,
            })),
          }
        : {}),
      frozen: frozen.find((f) => f.nodeId === m.nodeId && f.operation === m.operation) ?? null,
    }));
  return {
    version: latest?.version ?? null,
    fittedAt: latest?.fittedAt ?? null,
    samples: latest?.samples ?? 0,
    shipments: latest?.shipments ?? 0,
    period: latest?.period ?? null,
    monthInForce: monthOf(deps.clock.now().getTime()),
    models,
    linkSamples: latest?.linkSamples ?? 0,
    links: (latest?.links ?? [])
      .filter((l) => filter.node === undefined || l.from === filter.node || l.to === filter.node)
      .map(({ contributions, ...l }) => ({ ...l, ...(governs ? { contributions } : {}) })),
  };
}

/**
 * Freezes a place's model at the values in force now (or at the values given): refits no
 * longer change what the planner uses there until it is unfrozen. Council and platform admins.
 */
export async function freezeDwellModel(
  deps: DwellModelDeps,
  actor: Actor,
  nodeId: string,
  operation: string,
  values?: { p50Hours: number; p90Hours: number },
): Promise<FrozenDwellModel> {
  if (!mayGovern(actor))
    throw new AppError(
      'forbidden',
      'only the coordinating council and platform admins freeze dwell models',
    );
  const ref = deps.reference.dwellModels.get(dwellKey(nodeId, operation as Operation));
  if (!ref)
    throw new AppError('not_found', `no dwell model for ${operation} at ${nodeId}`, [
      { path: 'params.nodeId', message: `${nodeId} has no ${operation} model in data/dwell.json` },
    ]);
  if (values && values.p90Hours < values.p50Hours)
    throw new AppError('invalid_data', 'P90 cannot be below P50', [
      { path: 'body.p90Hours', message: 'must be at least p50Hours' },
    ]);
  const latest = await deps.models.latest();
  const now = deps.clock.now();
  const m = latest
    ? modelInForce(latest.models, nodeId, operation, monthOf(now.getTime()))
    : undefined;
  const frozen: FrozenDwellModel = {
    nodeId,
    operation,
    p50Hours: values?.p50Hours ?? m?.inForce.p50Hours ?? ref.p50Hours,
    p90Hours: values?.p90Hours ?? m?.inForce.p90Hours ?? ref.p90Hours,
    version: latest?.version ?? null,
    frozenBy: actor.id,
    frozenAt: now,
  };
  await deps.models.freeze(frozen);
  return frozen;
}

export async function unfreezeDwellModel(
  deps: DwellModelDeps,
  actor: Actor,
  nodeId: string,
  operation: string,
): Promise<void> {
  if (!mayGovern(actor))
    throw new AppError(
      'forbidden',
      'only the coordinating council and platform admins unfreeze dwell models',
    );
  if (!(await deps.models.unfreeze(nodeId, operation)))
    throw new AppError('not_found', `the ${operation} model at ${nodeId} is not frozen`);
}
