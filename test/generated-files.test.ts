import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');

describe('generated files are up to date', () => {
  it('the committed migrations match the Drizzle schema', async () => {
    // Generate into a copy of drizzle/: a schema change without its migration adds a file there.
    // drizzle-kit wants a path relative to the project: use a scratch folder under reports/.
    mkdirSync(join(ROOT, 'reports'), { recursive: true });
    const out = relative(ROOT, mkdtempSync(join(ROOT, 'reports', 'migrations-')));
    cpSync(join(ROOT, 'drizzle'), join(ROOT, out), { recursive: true });
    const before = readdirSync(join(ROOT, out)).sort();
    try {
      const r = await exec(
        join(ROOT, 'node_modules/.bin/drizzle-kit'),
        ['generate', '--dialect', 'postgresql', '--schema', './src/store/*schema.ts', '--out', out],
        { cwd: ROOT },
      );
      expect(r.stdout).toContain('No schema changes');
      expect(readdirSync(join(ROOT, out)).sort()).toEqual(before);
    } finally {
      rmSync(join(ROOT, out), { recursive: true, force: true });
    }
  });

  it('the committed client types match docs/openapi.json', async () => {
    mkdirSync(join(ROOT, 'reports'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, 'reports', 'client-'));
    try {
      await exec(
        join(ROOT, 'node_modules/.bin/openapi-typescript'),
        ['docs/openapi.json', '--output', join(dir, 'schema.d.ts')],
        { cwd: ROOT },
      );
      expect(
        readFileSync(join(ROOT, 'src/client/schema.d.ts'), 'utf8'),
        'run `npm run openapi:update` and commit src/client/schema.d.ts',
      ).toBe(readFileSync(join(dir, 'schema.d.ts'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
