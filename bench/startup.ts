/**
 * `npm run bench` (start-up): commands end to end as a user runs them, each run a new process,
 * against baselines in the same run: `node -e 0` (the floor) and the same command run from the
 * TypeScript sources through tsx (how the package started before it was compiled); then
 * `npm start` until /readyz answers 200, on a fresh data directory and on one already created.
 * Wall time p50 and max, and the peak resident memory of each row's processes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT } from './support.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const START_RUNS = Number(process.env.BENCH_START_RUNS ?? 5);
const TSX_MAIN = ['--import', 'tsx', join(ROOT, 'src/cli/main.ts')];
const PLAN = ['plan', '--from', 'Qingdao', '--to', 'Baku', '--json'];

interface Row {
  name: string;
  ms: number[];
  peakRssMb: number;
}

/** Peak resident memory (VmHWM) of the processes in a process group, MB (Linux). */
function groupPeakMb(pgid: number): number {
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      kb = Math.max(kb, Number(hwm ?? 0));
    } catch {
      // The process ended meanwhile.
    }
  }
  return kb / 1024;
}

/** Runs `node args` to its end; wall ms and the child's peak RSS (from /usr/bin/time's view). */
function runOnce(args: readonly string[]): Promise<{ ms: number; rssMb: number }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      const ms = performance.now() - t;
      if (code !== 0) return reject(new Error(`node ${args.join(' ')} exited ${code}: ${err}`));
      const kb = Number(/(\d+)\s*$/.exec(err)?.[1] ?? 0);
      resolve({ ms, rssMb: kb / 1024 });
    });
  });
}

async function command(name: string, args: readonly string[]): Promise<Row> {
  await runOnce(args);
  const ms: number[] = [];
  let peak = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await runOnce(args);
    ms.push(r.ms);
    peak = Math.max(peak, r.rssMb);
  }
  return { name, ms: ms.sort((a, b) => a - b), peakRssMb: peak };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** `npm start` on `dataDir` until GET /readyz is 200; then stops it. Wall ms and peak RSS. */
async function startOnce(dataDir: string): Promise<{ ms: number; rssMb: number }> {
  const port = await freePort();
  const t = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { ...process.env, CORRIDOR_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'ignore',
    detached: true,
  });
  let exited = false;
  child.on('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error('npm start ended before it was ready');
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - t;
  const rssMb = groupPeakMb(child.pid!);
  process.kill(-child.pid!, 'SIGTERM');
  await new Promise((r) => (exited ? r(undefined) : child.once('exit', r)));
  // npm has gone; wait for the server it started to release the data directory.
  for (let i = 0; i < 100 && groupPeakMb(child.pid!) > 0; i++)
    await new Promise((r) => setTimeout(r, 50));
  return { ms, rssMb };
}

const rows: Row[] = [
  await command('baseline: node -e 0 (floor)', ['-e', '0']),
  await command('baseline: corridor --version from the sources through tsx', [
    ...TSX_MAIN,
    '--version',
  ]),
  await command('corridor --version', [BIN, '--version']),
  await command('baseline: corridor plan … --json from the sources through tsx', [
    ...TSX_MAIN,
    ...PLAN,
  ]),
  await command('corridor plan --from Qingdao --to Baku --json', [BIN, ...PLAN]),
];

const dir = mkdtempSync(join(tmpdir(), 'corridor-bench-start-'));
try {
  const first = await startOnce(dir);
  rows.push({
    name: 'npm start to /readyz 200, fresh data directory',
    ms: [first.ms],
    peakRssMb: first.rssMb,
  });
  const ms: number[] = [];
  let peak = 0;
  for (let i = 0; i < START_RUNS; i++) {
    const r = await startOnce(dir);
    ms.push(r.ms);
    peak = Math.max(peak, r.rssMb);
  }
  rows.push({
    name: 'npm start to /readyz 200, data directory already created',
    ms: ms.sort((a, b) => a - b),
    peakRssMb: peak,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `\nStart-up: each command a new process, ${RUNS} runs after one warm-up (npm start: ${START_RUNS} runs, the fresh data directory once); Node ${process.version}`,
);
console.log('| command | p50 s | max s | runs | peak RSS MB |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows)
  console.log(
    `| ${r.name} | ${(r.ms[Math.floor(r.ms.length / 2)]! / 1000).toFixed(2)} | ${(r.ms.at(-1)! / 1000).toFixed(2)} | ${r.ms.length} | ${r.peakRssMb.toFixed(0)} |`,
  );
