#!/usr/bin/env node
// Runs the compiled CLI (dist/cli, made by `npm install` or `node build.js`). When that build is
// missing, or a source file it was compiled from changed since, runs the TypeScript sources
// through tsx instead (slower to start), so that what runs is always the code in src/.
import { readFileSync, statSync } from 'node:fs';

const BUILT = new URL('../dist/cli/main.js', import.meta.url);

/** @returns {boolean} */
function builtIsFresh() {
  try {
    /** @type {{ builtAtMs: number, inputs: string[] }} */
    const { builtAtMs, inputs } = JSON.parse(
      readFileSync(new URL('../dist/cli/inputs.json', import.meta.url), 'utf8'),
    );
    const root = new URL('../', import.meta.url);
    return inputs.every((f) => statSync(new URL(f, root)).mtimeMs <= builtAtMs);
  } catch {
    return false;
  }
}

if (builtIsFresh()) {
  await import(BUILT.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
