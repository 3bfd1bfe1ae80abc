import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The Node.js versions package.json promises and the ones every installed package asks for
 * agree: `npm install` on the oldest release of each supported line warns of no engine
 * (EBADENGINE). The ranges are read with the subset of npm's semver rules the lock file uses:
 * `||`, comparators joined by spaces, `^`, `~`, `>=`, `>`, `<=`, `<`, `=`, and x-ranges (`20`,
 * `10.x`, `6.*`, `*`).
 */

const ROOT = join(import.meta.dirname, '../..');
const read = <T>(file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as T;

type Version = [number, number, number];

const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** One comparator as bounds: lower inclusive, upper exclusive (undefined: none). */
function bounds(op: string, text: string): { lower?: Version; upper?: Version } {
  const parts = text.split('.').filter((p) => p !== 'x' && p !== 'X' && p !== '*');
  const [M = 0, m = 0, p = 0] = parts.map(Number);
  const v: Version = [M, m, p];
  /** The first version after every version the partial names (`20` → 21.0.0). */
  const next = (): Version | undefined =>
    parts.length === 0
      ? undefined
      : parts.length === 1
        ? [M + 1, 0, 0]
        : parts.length === 2
          ? [M, m + 1, 0]
          : [M, m, p + 1];
  switch (op) {
    case '>=':
      return { lower: v };
    case '>':
      return { lower: next() ?? v };
    case '<':
      return { upper: v };
    case '<=':
      return next() ? { upper: next()! } : {};
    case '^':
      return {
        lower: v,
        upper:
          M > 0 || parts.length < 2
            ? [M + 1, 0, 0]
            : m > 0 || parts.length < 3
              ? [0, m + 1, 0]
              : [0, 0, p + 1],
      };
    case '~':
      return { lower: v, upper: parts.length < 2 ? [M + 1, 0, 0] : [M, m + 1, 0] };
    default:
      // `=` or none: the version, or every version of a partial.
      return parts.length === 0 ? {} : { lower: v, upper: next()! };
  }
}

/** Whether `version` satisfies the npm range `range`. */
function satisfies(version: string, range: string): boolean {
  const v = version.split('.').map(Number) as Version;
  return range.split('||').some((set) => {
    const comparators = [
      ...set.matchAll(/(>=|<=|>|<|=|\^|~)?\s*v?(\*|[0-9xX*]+(?:\.[0-9xX*]+){0,2})/g),
    ];
    return comparators.every(([, op = '', text]) => {
      const { lower, upper } = bounds(op, text!);
      return (!lower || compare(v, lower) >= 0) && (!upper || compare(v, upper) < 0);
    });
  });
}

/** The first release of each line the range allows (`^20.19.0 || >=24` → 20.19.0, 24.0.0). */
function firstReleases(range: string): string[] {
  return range.split('||').map((set) => {
    const m = /(?:\^|>=)\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(set);
    if (!m) throw new Error(`no lower bound in "${set}"`);
    return `${m[1]}.${m[2] ?? 0}.${m[3] ?? 0}`;
  });
}

describe('the Node.js versions the platform supports', () => {
  const manifest = read<{ engines: { node: string } }>('package.json');
  const lock = read<{
    packages: Record<string, { version?: string; optional?: boolean; engines?: unknown }>;
  }>('package-lock.json');

  it('reads ranges as npm does', () => {
    const cases: [string, string, boolean][] = [
      ['20.19.0', '>=22', false],
      ['22.0.0', '>=22', true],
      ['20.19.0', '^20.19.0 || >=22.12.0', true],
      ['22.11.0', '^20.19.0 || >=22.12.0', false],
      ['23.0.0', '^20.19.0 || ^22.13.0 || >=24', false],
      ['20.19.0', '^18.18.0 || ^20.9.0 || >=21.1.0', true],
      ['21.0.0', '^18.18.0 || ^20.9.0 || >=21.1.0', false],
      ['20.0.0', '>=16 || 14 >=14.17', true],
      ['14.16.0', '>=16 || 14 >=14.17', false],
      ['20.19.0', '10.* || >= 12.*', true],
      ['11.0.0', '10.* || >= 12.*', false],
      ['22.13.0', '^20.12||^22.13||>=24.0', true],
      ['20.19.0', '>= 0.8.0', true],
      ['20.19.0', '*', true],
      ['24.0.0', '^20.0.0 || ^22.0.0 || >=24.0.0', true],
    ];
    for (const [version, range, expected] of cases)
      expect({ version, range, ok: satisfies(version, range) }).toEqual({
        version,
        range,
        ok: expected,
      });
  });

  it('are accepted by every package npm installs, on the first release of each line', () => {
    const releases = firstReleases(manifest.engines.node);
    expect(releases).toEqual(['20.19.0', '22.13.0', '24.0.0']);
    for (const release of releases) {
      expect(satisfies(release, manifest.engines.node)).toBe(true);
      const refusing = Object.entries(lock.packages)
        // The platform's own entry (""), and packages npm skips where they do not fit.
        .filter(([path, p]) => path !== '' && !p.optional)
        .map(([path, p]) => {
          const engines = p.engines as { node?: unknown } | string[] | undefined;
          const node = Array.isArray(engines) ? undefined : engines?.node;
          return { name: path.replace(/^.*node_modules\//, ''), version: p.version, node };
        })
        .filter(
          (p): p is { name: string; version: string; node: string } => typeof p.node === 'string',
        )
        .filter((p) => !satisfies(release, p.node))
        .map((p) => `${p.name}@${p.version} wants node ${p.node}`);
      expect({ release, refusing }).toEqual({ release, refusing: [] });
    }
  });

  it('include the Node.js of the container image', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const image = /^FROM node:(\d+)/m.exec(dockerfile)?.[1];
    expect(image).toBeDefined();
    expect(firstReleases(manifest.engines.node).map((r) => r.split('.')[0])).toContain(image);
  });
});
