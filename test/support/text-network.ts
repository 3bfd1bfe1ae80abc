import { loadNetwork } from '../../src/core/network/load-network.ts';
import type { Network } from '../../src/core/network/network.ts';

/**
 * A network written as text, one record per line, run through the real loader:
 *
 *   node A KZ [kind] [zone]            id, country, kind (city), zone (UTC)
 *   link A B rail 100 [hours]          from, to, mode, km
 *   dwell B border_crossing 2 6        node, operation, P50 h, P90 h
 *   capacity B gauge_change 2 1        node, operation, trains a day, background trains a day
 *   factor rail 30                     mode, g CO2e per tonne-km (default for the mode)
 *   service S1 rail daily 08:00 cap 50 tariff 100+1 [sails] [refuses hazardous] : A 2h/1h[border_crossing] B 3h C
 *
 * Patterns: `daily HH:MM`, `weekly Mon,Thu HH:MM`, `every 24h from 2026-12-01T00:00`. In the stop
 * list, `3h/1h[op,op] C` reaches C 3 h after the previous departure and stands there 1 h doing the
 * operations.
 * The tariff `F+K` is US$ F per ride plus US$ K per km for every container type.
 */
export function textNetwork(text: string): Network {
  const nodes: object[] = [];
  const links: object[] = [];
  const dwellModels: object[] = [];
  const services: object[] = [];
  const borderCapacities: object[] = [];
  const factors = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [kind, ...w] = line.split(/\s+/);
    if (kind === 'node') {
      nodes.push({
        id: w[0],
        name: w[0],
        country: w[1],
        unLocode: null,
        kind: w[2] ?? 'city',
        lat: 0,
        lon: 0,
        timeZone: w[3] ?? 'UTC',
        source: 'test',
      });
    } else if (kind === 'link') {
      const mode = w[2]!;
      links.push({
        id: `${w[0]}-${w[1]}-${mode}`,
        from: w[0],
        to: w[1],
        mode,
        distanceKm: Number(w[3]),
        typicalHours: Number(w[4] ?? 1),
        ...(mode === 'rail' ? { gaugeMm: 1520 } : {}),
        source: 'test',
      });
    } else if (kind === 'dwell') {
      dwellModels.push({
        id: `${w[0]}:${w[1]}`,
        node: w[0],
        operation: w[1],
        p50Hours: Number(w[2]),
        p90Hours: Number(w[3]),
        source: 'test',
      });
    } else if (kind === 'capacity') {
      borderCapacities.push({
        id: `${w[0]}:${w[1]}`,
        node: w[0],
        operation: w[1],
        trainsPerDay: Number(w[2]),
        backgroundTrainsPerDay: Number(w[3] ?? 0),
        source: 'test',
      });
    } else if (kind === 'factor') {
      factors.set(w[0]!, Number(w[1]));
    } else if (kind === 'service') {
      services.push(serviceFrom(line));
    } else {
      throw new Error(`cannot read "${line}"`);
    }
  }
  for (const mode of ['rail', 'road', 'ferry', 'sea'])
    if (!factors.has(mode)) factors.set(mode, 10);
  const emissionFactors = [...factors].map(([mode, g]) => ({
    id: `${mode}_test`,
    mode,
    default: true,
    gCo2ePerTonneKm: g,
    basis: 'WTW',
    source: 'test',
  }));
  const result = loadNetwork({
    'nodes.json': JSON.stringify({ nodes }),
    'links.json': JSON.stringify({ links }),
    'services.json': JSON.stringify({ services }),
    'dwell.json': JSON.stringify({ dwellModels }),
    'emission-factors.json': JSON.stringify({ emissionFactors }),
    'border-capacity.json': JSON.stringify({ borderCapacities }),
  });
  if (!result.ok)
    throw new Error(result.errors.map((e) => `${e.file}: ${e.path}: ${e.message}`).join('\n'));
  return result.network;
}

function serviceFrom(line: string): object {
  const [head, route] = splitOnce(line);
  const w = head.trim().split(/\s+/).slice(1);
  const [id, mode, patternKind] = w as [string, string, string];
  let i = 3;
  let pattern: object;
  if (patternKind === 'daily') {
    pattern = {
      weekly: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].map((weekday) => ({
        weekday,
        time: w[i],
      })),
    };
    i += 1;
  } else if (patternKind === 'weekly') {
    pattern = { weekly: w[i]!.split(',').map((weekday) => ({ weekday, time: w[i + 1] })) };
    i += 2;
  } else {
    pattern = { everyHours: Number(w[i]!.replace('h', '')), anchor: w[i + 2] };
    i += 3;
  }
  const opts = w.slice(i).join(' ');
  const cap = Number(/cap (\d+)/.exec(opts)?.[1] ?? 100);
  const [fixed, perKm] = (/tariff ([\d.]+)\+([\d.]+)/.exec(opts)?.slice(1) ?? ['0', '0']).map(
    Number,
  ) as [number, number];
  const refuses = /refuses (\w+)/.exec(opts)?.[1];
  const tariffLine = { fixedUsd: fixed, perKmUsd: perKm };
  const stops = [];
  const tokens = route.trim().split(/\s+/);
  stops.push({ node: tokens[0] });
  for (let k = 1; k < tokens.length; k += 2) {
    const m = /^([\d.]+)h(?:\/([\d.]+)h)?(?:\[([\w,]+)\])?$/.exec(tokens[k]!);
    if (!m) throw new Error(`bad stop time ${tokens[k]}`);
    stops.push({
      node: tokens[k + 1],
      runHours: Number(m[1]),
      ...(m[2] ? { dwellHours: Number(m[2]) } : {}),
      ...(m[3] ? { operations: m[3].split(',') } : {}),
    });
  }
  if (/sails/.test(opts)) (stops[0] as { operations?: string[] }).operations = ['ferry_waiting'];
  return {
    id,
    name: id,
    operator: `${id} operator`,
    mode,
    stops,
    pattern,
    sailsWhenFull: /sails/.test(opts),
    capacityTeu: cap,
    refusesCargo: refuses ? [refuses] : [],
    tariff: {
      currency: 'USD',
      byContainerType: Object.fromEntries(
        ['22G1', '42G1', '45G1', 'L5G1', '22R1', '45R1'].map((t) => [t, tariffLine]),
      ),
    },
    validFrom: '2026-01-01',
    source: 'test',
  };
}

/** Splits "head : route" where the head itself contains a date-time with colons. */
function splitOnce(line: string): [string, string] {
  const at = line.lastIndexOf(' : ');
  return [line.slice(0, at), line.slice(at + 3)];
}
