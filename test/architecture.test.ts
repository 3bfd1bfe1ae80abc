import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');

/** A scratch tree with the project's dependency rules and the given source files. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-deps-'));
  copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  copyFileSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function depcruise(dir: string): Promise<{ code: number; output: string }> {
  try {
    const r = await exec(DEPCRUISE, ['--config', '.dependency-cruiser.cjs', 'src'], { cwd: dir });
    return { code: 0, output: r.stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, output: err.stdout + err.stderr };
  }
}

const CLEAN = {
  'src/core/network/model.ts':
    "import { hours } from '../shared/units.ts';\nexport const x = hours;\n",
  'src/core/shared/units.ts': 'export const hours = 1;\n',
  'src/cli/main.ts': "import { x } from '../core/network/model.ts';\nexport const y = x;\n",
};

describe('dependency rules (npm run deps:check)', () => {
  it('pass on a tree that follows them', async () => {
    const r = await depcruise(tree(CLEAN));
    expect(r.output).toContain('no dependency violations');
    expect(r.code).toBe(0);
  });

  it("fail on a planted import 'node:fs' in core", async () => {
    const r = await depcruise(
      tree({
        ...CLEAN,
        'src/core/network/planted.ts':
          "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
      }),
    );
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(
      /core-is-pure-no-node-builtins: src\/core\/network\/planted\.ts → (node:)?fs/,
    );
  });

  it('fail when core imports from outside core', async () => {
    const r = await depcruise(
      tree({
        ...CLEAN,
        'src/core/network/planted.ts':
          "import { y } from '../../cli/main.ts';\nexport const z = y;\n",
      }),
    );
    expect(r.code).not.toBe(0);
    expect(r.output).toContain(
      'core-imports-only-core: src/core/network/planted.ts → src/cli/main.ts',
    );
  });

  it('fail on an import cycle', async () => {
    const r = await depcruise(
      tree({
        'src/core/a.ts': "import { b } from './b.ts';\nexport const a = b;\n",
        'src/core/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
      }),
    );
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('no-circular');
  });
});

describe('core purity (npm run lint)', () => {
  const eslint = new ESLint({ cwd: ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });
  const lint = async (code: string, filePath: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
    return result!.messages.map((m) => m.ruleId);
  };

  it('rejects process.env, Date.now() and Math.random() in core', async () => {
    const rules = await lint(
      'export const a = process.env.X;\nexport const b = Date.now();\nexport const c = Math.random();\n',
      'src/core/network/planted.ts',
    );
    expect(rules).toEqual([
      'no-restricted-globals',
      'no-restricted-properties',
      'no-restricted-properties',
    ]);
  });

  it('allows them in a composition root', async () => {
    expect(
      await lint('export const a = process.env.X ?? String(Date.now());\n', 'src/cli/planted.ts'),
    ).toEqual([]);
  });
});
