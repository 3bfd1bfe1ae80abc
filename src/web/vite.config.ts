import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { cjkFont, cjkSourceFiles } from './cjk-font.ts';

/** The most initial JavaScript, gzip, the app may load before its first page. */
const INITIAL_JS_LIMIT_KB = 300;

/**
 * Prints the gzip size of the JavaScript loaded at start (the entry chunk and what it imports
 * statically; lazy pages and the map data are not counted) and fails the build above the limit.
 */
function initialJsBudget(): Plugin {
  return {
    name: 'initial-js-budget',
    apply: 'build',
    generateBundle(_, bundle) {
      const chunks = new Map(
        Object.values(bundle)
          .filter((c) => c.type === 'chunk')
          .map((c) => [c.fileName, c]),
      );
      const entry = [...chunks.values()].find((c) => c.isEntry);
      if (!entry) return;
      const seen = new Set<string>();
      const visit = (name: string) => {
        if (seen.has(name)) return;
        seen.add(name);
        for (const dep of chunks.get(name)?.imports ?? []) visit(dep);
      };
      visit(entry.fileName);
      const bytes = [...seen].reduce(
        (sum, name) => sum + gzipSync(chunks.get(name)!.code, { level: 9 }).length,
        0,
      );
      const kb = bytes / 1024;
      this.info(`initial JavaScript: ${kb.toFixed(1)} KB gzip (limit ${INITIAL_JS_LIMIT_KB} KB)`);
      console.log(`initial JavaScript: ${kb.toFixed(1)} KB gzip (limit ${INITIAL_JS_LIMIT_KB} KB)`);
      if (kb > INITIAL_JS_LIMIT_KB)
        this.error(`initial JavaScript over ${INITIAL_JS_LIMIT_KB} KB gzip`);
    },
  };
}

const ROOT = join(import.meta.dirname, '../..');

/**
 * Writes dist/web-inputs.json: a hash of each file of the checkout the build read (and of the
 * lockfile, and of the sources of the Chinese font), so that `node build.js` builds the web app again only when one of them changed.
 */
function buildInputs(): Plugin {
  return {
    name: 'build-inputs',
    apply: 'build',
    writeBundle() {
      const files = [...this.getModuleIds()]
        .map((id) => id.split('?')[0]!)
        .filter((id) => id.startsWith(ROOT) && !id.includes('/node_modules/'))
        .map((id) => relative(ROOT, id));
      const inputs: Record<string, string> = {};
      const config = ['package-lock.json', 'src/web/vite.config.ts', 'src/web/cjk-font.ts'];
      for (const f of [...new Set([...files, ...config, ...cjkSourceFiles(ROOT)])].sort())
        inputs[f] = createHash('sha256')
          .update(readFileSync(join(ROOT, f)))
          .digest('hex');
      writeFileSync(join(ROOT, 'dist/web-inputs.json'), JSON.stringify(inputs, null, 1));
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react(), initialJsBudget(), buildInputs(), cjkFont(ROOT)],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080', '/v3': 'http://127.0.0.1:8080' } },
});
