import { z } from 'zod';
import { isIsoCountry } from '../shared/countries.ts';
import { isIsoDate, isTimeZone } from '../shared/time-zone.ts';
import {
  NETWORK_FILES,
  type BorderCapacityRecord,
  type DwellModelRecord,
  type EmissionFactorRecord,
  type LinkRecord,
  type NetworkFileName,
  type NodeRecord,
  type ServiceRecord,
} from './schema.ts';
import {
  dwellKey,
  modesOf,
  type BorderCapacity,
  type CorridorNode,
  type Link,
  type LinkMode,
  type Network,
  type Service,
  type ServiceStop,
} from './network.ts';

/** One problem found in the data: which file, where in it (a JSON path), and what is wrong. */
export interface NetworkError {
  file: NetworkFileName;
  /** JSON path inside the file, e.g. `links[3].to`; `$` for the file as a whole. */
  path: string;
  message: string;
}

/** `file: json.path: message`, the form the CLI prints. */
export function formatNetworkError(e: NetworkError): string {
  return `${e.file}: ${e.path}: ${e.message}`;
}

export type LoadNetworkResult =
  { ok: true; network: Network } | { ok: false; errors: readonly NetworkError[] };

/**
 * Parses and cross-checks the reference corridor from the raw text of its data files (file name
 * -> contents; a missing entry is a missing file). Pure. Every problem is reported, not just the
 * first: schema errors per record, unknown references, duplicate ids, P90 below P50, service
 * stops that no link reaches, operations without a dwell model, bad zones, countries and codes.
 */
export function loadNetwork(
  files: Readonly<Record<string, string | undefined>>,
): LoadNetworkResult {
  const errors: NetworkError[] = [];
  const report = (file: NetworkFileName, path: string, message: string) =>
    errors.push({ file, path, message });

  const nodes = readRecords(files, 'nodes.json', report) as Parsed<NodeRecord>[];
  const links = readRecords(files, 'links.json', report) as Parsed<LinkRecord>[];
  const services = readRecords(files, 'services.json', report) as Parsed<ServiceRecord>[];
  const dwells = readRecords(files, 'dwell.json', report) as Parsed<DwellModelRecord>[];
  const factors = readRecords(
    files,
    'emission-factors.json',
    report,
  ) as Parsed<EmissionFactorRecord>[];

  const capacities =
    files['border-capacity.json'] === undefined
      ? []
      : (readRecords(files, 'border-capacity.json', report) as Parsed<BorderCapacityRecord>[]);

  // Ids of every record that names one, valid or not, so a broken record does not also
  // produce "unknown node" errors everywhere it is referenced.
  const nodeIds = checkUnique('nodes.json', 'nodes', nodes, report);
  checkUnique('links.json', 'links', links, report);
  checkUnique('services.json', 'services', services, report);
  checkUnique('dwell.json', 'dwellModels', dwells, report);
  const factorIds = checkUnique('emission-factors.json', 'emissionFactors', factors, report);

  const nodeMap = new Map<string, CorridorNode>();
  for (const { record: n, index } of valid(nodes)) {
    const at = `nodes[${index}]`;
    if (!isIsoCountry(n.country))
      report('nodes.json', `${at}.country`, `"${n.country}" is not an ISO 3166-1 country`);
    for (const [i, code] of [n.unLocode, ...(n.altUnLocodes ?? [])].entries()) {
      if (code && !code.startsWith(n.country)) {
        const field = i === 0 ? 'unLocode' : `altUnLocodes[${i - 1}]`;
        report('nodes.json', `${at}.${field}`, `${code} is not in the node's country ${n.country}`);
      }
    }
    if (!isTimeZone(n.timeZone))
      report('nodes.json', `${at}.timeZone`, `"${n.timeZone}" is not an IANA time zone`);
    if (!nodeMap.has(n.id))
      nodeMap.set(n.id, { ...n, altUnLocodes: n.altUnLocodes ?? [], aliases: n.aliases ?? [] });
  }

  const unknownNode = (file: NetworkFileName, path: string, id: string) => {
    if (!nodeIds.has(id)) {
      report(file, path, `unknown node "${id}"`);
      return true;
    }
    return false;
  };

  const validLinks: Link[] = [];
  const adjacency = new Map<string, Link[]>();
  for (const { record: l, index } of valid(links)) {
    const at = `links[${index}]`;
    const badFrom = unknownNode('links.json', `${at}.from`, l.from);
    const badTo = unknownNode('links.json', `${at}.to`, l.to);
    if (l.from === l.to) report('links.json', `${at}.to`, 'a link must join two different nodes');
    if (l.mode === 'rail') {
      if ((l.gaugeMm === undefined) === (l.gaugeBreak === undefined))
        report('links.json', at, 'a rail link has either gaugeMm or gaugeBreak');
    } else if (l.gaugeMm !== undefined || l.gaugeBreak !== undefined) {
      report('links.json', `${at}.gaugeMm`, `a ${l.mode} link has no gauge`);
    }
    if (l.gaugeBreak && l.gaugeBreak.at !== l.from && l.gaugeBreak.at !== l.to)
      report('links.json', `${at}.gaugeBreak.at`, 'the gauge break must be at one end of the link');
    if (badFrom || badTo) continue;
    validLinks.push(l);
    for (const key of [pairKey(l.from, l.to), pairKey(l.to, l.from)]) {
      const list = adjacency.get(key) ?? [];
      list.push(l);
      adjacency.set(key, list);
    }
  }

  const dwellMap = new Map<string, DwellModelRecord>();
  for (const { record: d, index } of valid(dwells)) {
    const at = `dwellModels[${index}]`;
    unknownNode('dwell.json', `${at}.node`, d.node);
    if (d.p90Hours < d.p50Hours)
      report(
        'dwell.json',
        `${at}.p90Hours`,
        `P90 (${d.p90Hours} h) is below P50 (${d.p50Hours} h)`,
      );
    const key = dwellKey(d.node, d.operation);
    if (dwellMap.has(key))
      report('dwell.json', at, `a second dwell model for ${d.operation} at ${d.node}`);
    else dwellMap.set(key, d);
  }

  const factorMap = new Map<string, EmissionFactorRecord>();
  const defaults: Partial<Record<LinkMode, string>> = {};
  for (const { record: f, index } of valid(factors)) {
    factorMap.set(f.id, f);
    if (!f.default) continue;
    const existing = defaults[f.mode];
    if (existing)
      report(
        'emission-factors.json',
        `emissionFactors[${index}].default`,
        `${f.mode} already has the default factor "${existing}"`,
      );
    else defaults[f.mode] = f.id;
  }
  const linkModes = new Set(validLinks.map((l) => l.mode));
  for (const mode of linkModes) {
    if (!defaults[mode] && factors.length > 0)
      report('emission-factors.json', 'emissionFactors', `no default factor for ${mode} links`);
  }

  const serviceMap = new Map<string, Service>();
  for (const { record: s, index } of valid(services)) {
    const built = buildService(s, `services[${index}]`, {
      nodeIds,
      adjacency,
      dwellMap,
      factorIds,
      factorMap,
      report: (path, message) => report('services.json', path, message),
    });
    if (built && !serviceMap.has(s.id)) serviceMap.set(s.id, built);
  }

  checkUnique('border-capacity.json', 'borderCapacities', capacities, report);
  const borderCapacities: BorderCapacity[] = [];
  for (const { record: c, index } of valid(capacities)) {
    if (!nodeIds.has(c.node))
      report('border-capacity.json', `borderCapacities[${index}].node`, `unknown node ${c.node}`);
    if (c.backgroundTrainsPerDay > c.trainsPerDay)
      report(
        'border-capacity.json',
        `borderCapacities[${index}].backgroundTrainsPerDay`,
        'above trainsPerDay',
      );
    borderCapacities.push({
      id: c.id,
      nodeId: c.node,
      operation: c.operation,
      trainsPerDay: c.trainsPerDay,
      backgroundTrainsPerDay: c.backgroundTrainsPerDay,
      ...(c.from === undefined ? {} : { from: Date.parse(c.from) }),
      ...(c.until === undefined ? {} : { until: Date.parse(c.until) }),
    });
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    network: {
      nodes: nodeMap,
      links: validLinks,
      services: serviceMap,
      dwellModels: dwellMap,
      emissionFactors: factorMap,
      defaultEmissionFactorIds: defaults,
      borderCapacities,
    },
  };
}

interface ServiceContext {
  nodeIds: ReadonlySet<string>;
  adjacency: ReadonlyMap<string, Link[]>;
  dwellMap: ReadonlyMap<string, DwellModelRecord>;
  factorIds: ReadonlySet<string>;
  factorMap: ReadonlyMap<string, EmissionFactorRecord>;
  report: (path: string, message: string) => void;
}

function buildService(s: ServiceRecord, at: string, ctx: ServiceContext): Service | undefined {
  const { report } = ctx;
  const allowed = modesOf(s.mode);
  const stops: ServiceStop[] = [];
  let ok = true;
  let clock = 0;
  s.stops.forEach((stop, i) => {
    const sp = `${at}.stops[${i}]`;
    if (!ctx.nodeIds.has(stop.node)) {
      report(`${sp}.node`, `unknown node "${stop.node}"`);
      ok = false;
      return;
    }
    (stop.via ?? []).forEach((v, j) => {
      if (!ctx.nodeIds.has(v)) {
        report(`${sp}.via[${j}]`, `unknown node "${v}"`);
        ok = false;
      }
    });
    for (const op of stop.operations ?? []) {
      if (!ctx.dwellMap.has(dwellKey(stop.node, op)))
        report(`${sp}.operations`, `no dwell model for ${op} at ${stop.node} in dwell.json`);
    }
    const last = i === s.stops.length - 1;
    if (i === 0) {
      if (stop.via || stop.runHours !== undefined)
        report(sp, 'the first stop has no via nodes or running time');
      stops.push(resolvedStop(stop.node, [], [], 0, stop.dwellHours ?? 0, stop, null, 0));
      clock = stop.dwellHours ?? 0;
      return;
    }
    const prev = s.stops[i - 1]!.node;
    const path = [prev, ...(stop.via ?? []), stop.node];
    const travelled: Link[] = [];
    for (let k = 1; k < path.length; k++) {
      const a = path[k - 1]!;
      const b = path[k]!;
      if (!ctx.nodeIds.has(a) || !ctx.nodeIds.has(b)) return;
      const candidates = (ctx.adjacency.get(pairKey(a, b)) ?? []).filter((l) =>
        allowed.includes(l.mode),
      );
      if (candidates.length === 0) {
        const where = k === path.length - 1 ? `${sp}.node` : `${sp}.via[${k - 1}]`;
        report(
          where,
          `${b} is off the network for this service: no ${allowed.join('/')} link from ${a}`,
        );
        ok = false;
        return;
      }
      // Several links between one pair (a ferry and a feeder route): the shortest is the one run.
      travelled.push(candidates.reduce((x, y) => (y.distanceKm < x.distanceKm ? y : x)));
    }
    const distanceKm = travelled.reduce((sum, l) => sum + l.distanceKm, 0);
    const runHours = stop.runHours ?? travelled.reduce((sum, l) => sum + l.typicalHours, 0);
    const dwellHours = last ? 0 : (stop.dwellHours ?? 0);
    const arrival = clock + runHours;
    stops.push(
      resolvedStop(
        stop.node,
        stop.via ?? [],
        travelled,
        distanceKm,
        dwellHours,
        stop,
        arrival,
        runHours,
      ),
    );
    clock = arrival + dwellHours;
  });
  // The last stop has no departure.
  const final = stops.at(-1);
  if (final && stops.length === s.stops.length) final.departureOffsetHours = null;

  if (s.emissionFactorId !== undefined) {
    const factor = ctx.factorMap.get(s.emissionFactorId);
    if (!ctx.factorIds.has(s.emissionFactorId))
      report(`${at}.emissionFactorId`, `unknown emission factor "${s.emissionFactorId}"`);
    else if (factor && !stops.some((st) => st.links.some((l) => l.mode === factor.mode)))
      report(
        `${at}.emissionFactorId`,
        `"${factor.id}" is for ${factor.mode}, which this service does not use`,
      );
  }
  // Tariff sections: in route order, each from one stop to a later one, with a line for every
  // container type the service takes.
  let cursor = 0;
  const stopNodes = s.stops.map((st) => st.node);
  (s.tariff.sections ?? []).forEach((section, i) => {
    const sp = `${at}.tariff.sections[${i}]`;
    const from = stopNodes.indexOf(section.from, cursor);
    const to = from < 0 ? -1 : stopNodes.indexOf(section.to, from + 1);
    if (from < 0)
      report(`${sp}.from`, `${section.from} is not a stop at or after the previous section's end`);
    else if (to < 0) report(`${sp}.to`, `${section.to} is not a stop after ${section.from}`);
    else cursor = to;
    for (const type of Object.keys(s.tariff.byContainerType))
      if (!(type in section.byContainerType))
        report(`${sp}.byContainerType`, `no line for ${type}, which the service takes`);
  });
  for (const [type, line] of Object.entries({
    ...s.tariff.byContainerType,
    ...Object.fromEntries(
      (s.tariff.sections ?? []).flatMap((sec, i) =>
        Object.entries(sec.byContainerType).map(([t, l]) => [`${t} in section ${i}`, l]),
      ),
    ),
  }))
    if (line && (line.infrastructurePerKmUsd ?? 0) > line.perKmUsd)
      report(
        `${at}.tariff`,
        `${type}: the infrastructure charge per km is more than the whole rate per km`,
      );

  if (
    s.sailsWhenFull &&
    !stops.some((st) => st.links.some((l) => l.mode === 'ferry' || l.mode === 'sea'))
  )
    report(`${at}.sailsWhenFull`, 'only a service with a ferry or sea leg can sail when full');

  if (!isIsoDate(s.validFrom)) report(`${at}.validFrom`, `${s.validFrom} is not a real date`);
  else if (s.validTo !== undefined && !isIsoDate(s.validTo))
    report(`${at}.validTo`, `${s.validTo} is not a real date`);
  else if (s.validTo !== undefined && s.validTo < s.validFrom)
    report(`${at}.validTo`, `ends (${s.validTo}) before it starts (${s.validFrom})`);

  if ('weekly' in s.pattern) {
    const seen = new Set<string>();
    s.pattern.weekly.forEach((d, i) => {
      const key = `${d.weekday} ${d.time}`;
      if (seen.has(key)) report(`${at}.pattern.weekly[${i}]`, `${key} is listed twice`);
      seen.add(key);
    });
  } else if (!isIsoDate(s.pattern.anchor.slice(0, 10))) {
    report(`${at}.pattern.anchor`, `${s.pattern.anchor} is not a real date`);
  }

  if (!ok || stops.length !== s.stops.length) return undefined;
  return { ...s, stops, distanceKm: stops.reduce((sum, st) => sum + st.distanceKm, 0) };
}

function resolvedStop(
  nodeId: string,
  via: readonly string[],
  links: readonly Link[],
  distanceKm: number,
  dwellHours: number,
  stop: ServiceRecord['stops'][number],
  arrival: number | null,
  runHours: number,
): ServiceStop {
  return {
    nodeId,
    viaNodeIds: via,
    links,
    distanceKm,
    runHours,
    dwellHours,
    operations: stop.operations ?? [],
    arrivalOffsetHours: arrival,
    departureOffsetHours: (arrival ?? 0) + dwellHours,
  };
}

function pairKey(a: string, b: string): string {
  return `${a}>${b}`;
}

interface Parsed<T> {
  index: number;
  /** The record's id when it has a string one, even if the record is otherwise invalid. */
  id: string | undefined;
  record: T | undefined;
}

function* valid<T>(items: readonly Parsed<T>[]): Generator<{ record: T; index: number }> {
  for (const p of items) if (p.record !== undefined) yield { record: p.record, index: p.index };
}

function readRecords(
  files: Readonly<Record<string, string | undefined>>,
  file: NetworkFileName,
  report: (file: NetworkFileName, path: string, message: string) => void,
): Parsed<unknown>[] {
  const text = files[file];
  if (text === undefined) {
    report(file, '$', 'file is missing');
    return [];
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    report(file, '$', `not valid JSON: ${(e as Error).message}`);
    return [];
  }
  const { key, record } = NETWORK_FILES[file];
  const top = z.object({ [key]: z.array(z.unknown()) }).safeParse(json);
  if (!top.success) {
    report(file, '$', `expected an object with an array "${key}"`);
    return [];
  }
  const items = (top.data as Record<string, unknown[]>)[key] ?? [];
  return items.map((item, index) => {
    const rawId = (item as { id?: unknown } | null)?.id;
    const id = typeof rawId === 'string' ? rawId : undefined;
    const parsed = (record as z.ZodType).safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        report(file, jsonPath([key, index, ...issue.path]), issue.message);
      return { index, id, record: undefined };
    }
    return { index, id, record: parsed.data };
  });
}

function checkUnique(
  file: NetworkFileName,
  key: string,
  items: readonly Parsed<unknown>[],
  report: (file: NetworkFileName, path: string, message: string) => void,
): Set<string> {
  const seen = new Map<string, number>();
  for (const { id, index } of items) {
    if (id === undefined) continue;
    const first = seen.get(id);
    if (first !== undefined)
      report(file, `${key}[${index}].id`, `duplicate id "${id}" (first at ${key}[${first}])`);
    else seen.set(id, index);
  }
  return new Set(seen.keys());
}

function jsonPath(parts: readonly PropertyKey[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out || '$';
}
