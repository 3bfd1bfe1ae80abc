import { runCli } from '../../src/cli/program.ts';
import type { CliIo } from '../../src/cli/context.ts';
import { fixedClock } from './clock.ts';
import { DEFAULT_NETWORK_DIR, readNetworkFiles } from '../../src/store/network-files.ts';

/**
 * Runs the CLI in-process with the real data files and captures what it prints. Servers, the
 * network and the database are refused unless `io` provides them. The CLI's clock stands at
 * TEST_NOW: what it plans and lists is the same on any day the test runs.
 */
export async function runCapturing(argv: readonly string[], io: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    readNetworkFiles,
    defaultNetworkDir: DEFAULT_NETWORK_DIR,
    clock: fixedClock(),
    env: {},
    http: () => Promise.reject(new Error('no server in this test')),
    readText: () => Promise.reject(new Error('no files in this test')),
    readBytes: () => Promise.reject(new Error('no files in this test')),
    writeBytes: () => Promise.reject(new Error('no files in this test')),
    documentVerifier: () => ({ ok: false, problem: 'no keys in this test' }),
    progress: () => undefined,
    serve: () => Promise.reject(new Error('not started in this test')),
    serveWorkers: () => Promise.reject(new Error('not started in this test')),
    isPrimary: () => true,
    shutdownSignal: () => new Promise(() => undefined),
    accounts: () => Promise.reject(new Error('no database in this test')),
    auditLog: () => Promise.reject(new Error('no database in this test')),
    database: {
      migrate: () => Promise.reject(new Error('no database in this test')),
      backup: () => Promise.reject(new Error('no database in this test')),
      restore: () => Promise.reject(new Error('no database in this test')),
    },
    ...io,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
