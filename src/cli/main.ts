import cluster from 'node:cluster';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { DEFAULT_NETWORK_DIR, readNetworkFiles } from '../store/network-files.ts';
import { systemClock } from '../store/security.ts';
import { pemVerifier, sha256Digest } from '../store/document-verification.ts';
import { pdfSignatureChecker } from '../store/pki/pdf-signature-check.ts';
import { CliExit, EXIT_FAILED } from './context.ts';
import { runCli } from './program.ts';

// Composition root of the CLI: real output streams, the file system, the clock, the database
// for the admin commands, and the HTTP server for `corridor serve`. The database, the server, the
// document signer and their libraries load in the commands that use them, so that the others
// (`corridor plan`, `--version`) start in a fraction of a second.
const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

/** The database of DATABASE_URL or CORRIDOR_DATA_DIR; a problem is one line and exit 1. */
async function open() {
  const { databaseTargetFromEnv } = await import('../store/database-config.ts');
  const { openDatabase, DataDirLockedError } = await import('../store/database.ts');
  const { target, errors } = databaseTargetFromEnv(process.env);
  for (const e of errors) err(`error: ${e}`);
  if (errors.length > 0) throw new CliExit(EXIT_FAILED);
  try {
    return await openDatabase(target);
  } catch (e) {
    err(
      `error: ${e instanceof DataDirLockedError ? e.message : `cannot open the database: ${(e as Error).message}`}`,
    );
    throw new CliExit(EXIT_FAILED);
  }
}

/**
 * The primary of `corridor serve --workers N`: migrates once, forks N workers that share the
 * port (each runs `corridor serve` on the same PostgreSQL), starts a worker again when one dies,
 * and on SIGTERM or SIGINT stops them all and waits for them.
 */
async function runWorkers(workers: number): Promise<boolean> {
  const { databaseTargetFromEnv } = await import('../store/database-config.ts');
  const { target, errors } = databaseTargetFromEnv(process.env);
  for (const e of errors) err(`error: ${e}`);
  if (errors.length > 0) return false;
  if (target.kind !== 'postgres') {
    err(
      'error: --workers needs PostgreSQL (DATABASE_URL): the embedded database serves one process',
    );
    return false;
  }
  const database = await open();
  await database.close();
  let stopping = false;
  const start = () => {
    if (!stopping) cluster.fork();
  };
  const restarts = new Set<NodeJS.Timeout>();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    err(`worker ${worker.process.pid} ended (${signal ?? code}); starting another`);
    const timer = setTimeout(() => {
      restarts.delete(timer);
      start();
    }, 1000);
    restarts.add(timer);
  });
  for (let i = 0; i < workers; i++) start();
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  stopping = true;
  for (const t of restarts) clearTimeout(t);
  err(`stopping ${workers} workers`);
  const alive = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
  await Promise.all(
    alive.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.once('exit', () => resolve());
          w.process.kill('SIGTERM');
        }),
    ),
  );
  return true;
}

/** The embedded database's directory; PostgreSQL has its own tools. */
async function embeddedDir(): Promise<string> {
  const { databaseTargetFromEnv } = await import('../store/database-config.ts');
  const { target, errors } = databaseTargetFromEnv(process.env);
  for (const e of errors) err(`error: ${e}`);
  if (errors.length > 0) throw new CliExit(EXIT_FAILED);
  if (target.kind !== 'pglite') {
    err('error: DATABASE_URL is set: back up PostgreSQL with pg_dump (docs/operations.md)');
    throw new CliExit(EXIT_FAILED);
  }
  return target.dataDir;
}

/** A failed backup or restore: one line, exit 1. */
function operationFailed(e: unknown): never {
  err(`error: ${(e as Error).message}`);
  throw new CliExit(EXIT_FAILED);
}

const code = await runCli(process.argv.slice(2), {
  out,
  err,
  readNetworkFiles,
  defaultNetworkDir: DEFAULT_NETWORK_DIR,
  clock: systemClock,
  env: process.env,
  http: (url, init) => fetch(url, init),
  readText: (path) => readFile(path, 'utf8'),
  readBytes: async (path) => new Uint8Array(await readFile(path)),
  writeBytes: (path, bytes) => writeFile(path, bytes),
  documentVerifier: (pems) => {
    const v = pemVerifier(pems);
    return v.ok
      ? { ok: true, digest: sha256Digest, verifier: v.verifier, pdfSignatures: pdfSignatureChecker }
      : v;
  },
  progress: (text) => {
    if (process.stderr.isTTY) process.stderr.write(`\r${text}\u001b[K`);
  },
  serve: async (options) =>
    (await import('../http/main.ts')).startServer({ ...options, env: process.env, out, err }),
  serveWorkers: ({ workers }) => runWorkers(workers),
  isPrimary: () => cluster.isPrimary,
  shutdownSignal: () =>
    new Promise((resolve) => {
      process.once('SIGTERM', () => resolve());
      process.once('SIGINT', () => resolve());
    }),
  database: {
    migrate: async () => {
      const database = await open();
      await database.close();
      const { committedMigrations } = await import('../store/database.ts');
      return { kind: database.kind, migrations: committedMigrations() };
    },
    backup: async (file) => {
      const dir = await embeddedDir();
      const { backupDataDir, DataDirLockedError } = await import('../store/database.ts');
      const { backupThroughServer } = await import('../store/backup-socket.ts');
      // A server holding the directory makes the copy itself, between transactions.
      const bytes = await backupDataDir(dir)
        .catch((e: unknown) => {
          if (e instanceof DataDirLockedError) return backupThroughServer(dir);
          throw e;
        })
        .catch(operationFailed);
      // Whole or not at all: a backup cut off half-way is never left under its name.
      const partial = `${file}.partial`;
      await writeFile(partial, bytes)
        .then(() => rename(partial, file))
        .catch(operationFailed);
      return bytes.length;
    },
    restore: async (file, replace) => {
      const dir = await embeddedDir();
      const { restoreDataDir } = await import('../store/database.ts');
      const bytes = new Uint8Array(await readFile(file).catch(operationFailed));
      return restoreDataDir(dir, bytes, replace).catch(operationFailed);
    },
  },
  auditLog: async () => {
    const { verifyAudit } = await import('../app/customs-audit.ts');
    const { PgCustomsAuditLog } = await import('../store/customs-audit.store.ts');
    const { PgDocumentSigner } = await import('../store/document-signing.ts');
    const { cryptoSecrets } = await import('../store/security.ts');
    const database = await open();
    const audit = new PgCustomsAuditLog(database.db);
    const verifier = new PgDocumentSigner(database.db);
    return {
      verify: (saved) => verifyAudit({ audit, secrets: cryptoSecrets, verifier }, saved),
      anchors: () => audit.anchors(),
      close: () => database.close(),
    };
  },
  accounts: async (network) => {
    const { pgStores } = await import('../store/account.store.ts');
    const { argon2Hasher, cryptoSecrets } = await import('../store/security.ts');
    const database = await open();
    {
      return {
        deps: {
          stores: pgStores(database.db),
          clock: systemClock,
          secrets: cryptoSecrets,
          hasher: argon2Hasher,
          network,
        },
        close: () => database.close(),
      };
    }
  },
});
process.exitCode = code;
// A worker of `serve --workers` has a channel to its primary that would keep it alive.
if (cluster.isWorker) process.disconnect();
