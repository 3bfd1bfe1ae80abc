// @ts-check
// Builds what the package runs: the CLI and server compiled from src/ into dist/cli (esbuild, one
// file per entry with lazily loaded chunks), the typed API client for integrators into
// dist/client (`corridor/client`: ESM JavaScript and its declarations), and the web app into
// dist/web (vite). Each part is built only when its sources changed since the last build.
// `npm install` runs it (`prepare`), `npm start` runs it before serving.
//
//   node build.js          all parts, each when stale
//   node build.js --cli    the CLI and the client only, when stale
//   node build.js --force  all parts, stale or not
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(fileURLToPath(import.meta.url));
const CLI_DIR = join(ROOT, 'dist/cli');
/** Written last by a CLI build: when it started and the source files it compiled. */
const CLI_INPUTS = join(CLI_DIR, 'inputs.json');
/** Written by the web build (src/web/vite.config.ts): a hash of each source file it bundled. */
const WEB_INPUTS = join(ROOT, 'dist/web-inputs.json');

const args = new Set(process.argv.slice(2));
const force = args.has('--force');

/** True when dist/cli is missing or a file it was compiled from changed after its build began. */
function cliStale() {
  if (!existsSync(CLI_INPUTS) || !existsSync(join(CLI_DIR, 'main.js'))) return true;
  try {
    const { builtAtMs, inputs } = JSON.parse(readFileSync(CLI_INPUTS, 'utf8'));
    return inputs.some((/** @type {string} */ f) => statSync(join(ROOT, f)).mtimeMs > builtAtMs);
  } catch {
    return true;
  }
}

async function buildCli() {
  const { build } = await import('esbuild');
  const builtAtMs = Date.now();
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: 'src/cli/main.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Packages stay in node_modules and load when a command needs them.
    packages: 'external',
    // Chunks sit beside main.js so that paths relative to a module (data/, drizzle/, dist/web)
    // resolve from dist/cli as they do from src/<folder>.
    chunkNames: '[name]-[hash]',
    outdir: CLI_DIR,
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  mkdirSync(CLI_DIR, { recursive: true });
  const written = new Set();
  // Chunks first and main.js last, so that a process starting meanwhile finds a whole build or
  // the previous one (whose inputs.json then says stale).
  const files = [...result.outputFiles].sort(
    (a, b) => Number(a.path.endsWith('main.js')) - Number(b.path.endsWith('main.js')),
  );
  for (const f of files) {
    writeAtomically(f.path, f.contents);
    written.add(f.path);
  }
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
  writeAtomically(CLI_INPUTS, JSON.stringify({ builtAtMs, inputs }));
  written.add(CLI_INPUTS);
  // Chunks of earlier builds go once no running process can still be loading them.
  for (const name of readdirSync(CLI_DIR)) {
    const path = join(CLI_DIR, name);
    if (!written.has(path) && statSync(path).mtimeMs < builtAtMs - 10 * 60_000) rmSync(path);
  }
  console.log(`built dist/cli from ${inputs.length} files in ${Date.now() - builtAtMs} ms`);
}

const CLIENT_SRC = join(ROOT, 'src/client');
const CLIENT_DIR = join(ROOT, 'dist/client');

/** True when dist/client is missing or older than a file of src/client. */
function clientStale() {
  const built = join(CLIENT_DIR, 'client.js');
  if (!existsSync(built)) return true;
  const builtAtMs = statSync(built).mtimeMs;
  return readdirSync(CLIENT_SRC).some((f) => statSync(join(CLIENT_SRC, f)).mtimeMs > builtAtMs);
}

/**
 * dist/client: client.js (ESM, for Node and browsers, openapi-fetch left as an import),
 * client.d.ts and the generated schema.d.ts it refers to.
 */
async function buildClient() {
  const startedMs = Date.now();
  const { build } = await import('esbuild');
  const ts = (await import('typescript')).default;
  const source = join(CLIENT_SRC, 'client.ts');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [source],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    packages: 'external',
    write: false,
    logLevel: 'warning',
  });
  const declarations = ts.transpileDeclaration(readFileSync(source, 'utf8'), {
    fileName: source,
    compilerOptions: { module: ts.ModuleKind.NodeNext, target: ts.ScriptTarget.ES2022 },
    reportDiagnostics: true,
  });
  if (declarations.diagnostics?.length)
    throw new Error(ts.formatDiagnostics(declarations.diagnostics, ts.createCompilerHost({})));
  mkdirSync(CLIENT_DIR, { recursive: true });
  writeAtomically(join(CLIENT_DIR, 'schema.d.ts'), readFileSync(join(CLIENT_SRC, 'schema.d.ts')));
  writeAtomically(join(CLIENT_DIR, 'client.d.ts'), declarations.outputText);
  // Last: its time says when the build was made (clientStale).
  writeAtomically(join(CLIENT_DIR, 'client.js'), result.outputFiles[0]?.contents ?? '');
  console.log(`built dist/client in ${Date.now() - startedMs} ms`);
}

/** @param {string} path @param {string | Uint8Array} contents */
function writeAtomically(path, contents) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

/** True when dist/web is missing or a file it was bundled from (or the lockfile) changed. */
function webStale() {
  if (!existsSync(WEB_INPUTS)) return true;
  try {
    /** @type {Record<string, string>} */
    const inputs = JSON.parse(readFileSync(WEB_INPUTS, 'utf8'));
    return Object.entries(inputs).some(([f, hash]) => hashOf(join(ROOT, f)) !== hash);
  } catch {
    return true;
  }
}

/** @param {string} path */
function hashOf(path) {
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : '';
}

function buildWeb() {
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', 'src/web/vite.config.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

if (force || cliStale()) await buildCli();
if (force || clientStale()) await buildClient();
if (!args.has('--cli') && (force || webStale())) buildWeb();
