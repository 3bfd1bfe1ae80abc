import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCapturing } from '../support/cli.ts';

/** `corridor simulate` in-process with the real scenario files. */
const files: Record<string, string> = {
  'bad.json': JSON.stringify({ name: 'bad', resources: {}, demand: [] }),
  'bad-change.json': JSON.stringify({
    name: 'x',
    base: 'data/scenarios/base.json',
    changes: [{ op: 'add_vessels', resource: 'KHORGOS', count: 1 }],
  }),
};
const run = (...argv: string[]) => {
  const progress: string[] = [];
  return runCapturing(argv, {
    readText: (path) =>
      files[path] !== undefined ? Promise.resolve(files[path]) : readFile(path, 'utf8'),
    progress: (t) => progress.push(t),
  }).then((r) => ({ ...r, progress }));
};

describe('corridor simulate', () => {
  it('prints transit times and each resource with confidence intervals over runs, with progress', async () => {
    const r = await run('simulate', 'data/scenarios/base.json', '--days', '120', '--runs', '3');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/China \(Xi'an\) → Baku\s+\d+ ± \d+\s+[\d.]+ ± [\d.]+/);
    expect(r.stdout).toMatch(/CASPIAN_FEEDERS \(vessel\)\s+[\d.]+/);
    expect(r.progress.some((p) => p.includes('run 3/3'))).toBe(true);
  });

  it('compares two scenarios on the same seeds', async () => {
    const r = await run(
      'simulate',
      'data/scenarios/base.json',
      '--compare',
      'data/scenarios/seventh-feeder.json',
      '--days',
      '120',
      '--runs',
      '3',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      rows: { figure: string; difference: { mean: number; ci95: number } }[];
    };
    const wait = out.rows.find((x) => x.figure === 'CASPIAN_FEEDERS: mean wait h')!;
    expect(wait.difference.mean).toBeLessThan(0);
  });

  it('names the problem of a bad scenario in one line, exit 2', async () => {
    for (const [file, message] of [
      ['bad.json', /^error: bad.json: demand: /],
      [
        'bad-change.json',
        /^error: bad-change.json: changes.0.resource: KHORGOS is a terminal, not a vessel$/,
      ],
    ] as const) {
      const r = await run('simulate', file);
      expect(r.code, file).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split('\n')).toHaveLength(1);
    }
  });
});
