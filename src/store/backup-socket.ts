import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join, resolve } from 'node:path';

/**
 * Backups of the embedded database while it serves. The server holds the data directory (two
 * processes on it corrupt it), so `corridor backup` asks the server for the copy: over a Unix
 * socket in the data directory, `corridor.sock`, readable and writable by its owner only. Whoever
 * may connect to it may read the data directory anyway; nothing else is offered on it, and it
 * is not reachable over the network.
 *
 * The protocol is HTTP on the socket: `GET /backup` answers 200 with the backup (the same gzipped
 * tar `corridor backup` writes of a stopped database), or 500 with a one-line reason.
 */
const SOCKET = 'corridor.sock';

/** Unix socket paths are limited to 107 bytes on Linux (104 on macOS). */
const MAX_SOCKET_PATH = 103;

export function backupSocketPath(dataDir: string): string {
  return join(resolve(dataDir), SOCKET);
}

export interface BackupSocket {
  close(): Promise<void>;
}

/**
 * Answers backup requests on the data directory's socket with `snapshot()`, one at a time.
 * Called by the process that holds the directory's lock, so a socket file already there was
 * left by a process that ended: it is replaced. Resolves with undefined and the reason when the
 * socket cannot be made (the path is too long, say): the server serves on without it.
 */
export async function serveBackups(
  dataDir: string,
  snapshot: () => Promise<Uint8Array>,
  log: { info(msg: string): void; error(msg: string): void },
): Promise<{ socket: BackupSocket } | { socket: undefined; reason: string }> {
  const path = backupSocketPath(dataDir);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH)
    return {
      socket: undefined,
      reason: `the path ${path} is too long for a Unix socket (${MAX_SOCKET_PATH} bytes at most)`,
    };
  rmSync(path, { force: true });
  let running: Promise<unknown> = Promise.resolve();
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/backup') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /backup is answered here');
      return;
    }
    const t = performance.now();
    const copy = running.then(snapshot);
    running = copy.catch(() => undefined);
    copy.then(
      (bytes) => {
        log.info(`backup: ${bytes.length} bytes copied in ${Math.round(performance.now() - t)} ms`);
        res
          .writeHead(200, {
            'content-type': 'application/gzip',
            'content-length': String(bytes.length),
          })
          .end(bytes);
      },
      (e: unknown) => {
        log.error(`backup failed: ${(e as Error).message}`);
        res.writeHead(500, { 'content-type': 'text/plain' }).end((e as Error).message);
      },
    );
  });
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      // Owner only, from the first moment the socket exists.
      const umask = process.umask(0o177);
      try {
        server.listen(path, () => ok());
      } finally {
        process.umask(umask);
      }
    });
  } catch (e) {
    return { socket: undefined, reason: (e as Error).message };
  }
  chmodSync(path, 0o600);
  return {
    socket: {
      close: () =>
        new Promise<void>((ok) => {
          server.close(() => {
            rmSync(path, { force: true });
            ok();
          });
          server.closeAllConnections();
        }),
    },
  };
}

/** A refusal or failure of the running server's backup, or no server answering. */
export class BackupThroughServerError extends Error {}

/**
 * Asks the server running on the data directory for a backup. Throws BackupThroughServerError
 * when no server answers on its socket, or the server could not make the copy.
 */
export function backupThroughServer(dataDir: string, timeoutMs = 600_000): Promise<Uint8Array> {
  const socketPath = backupSocketPath(dataDir);
  if (!existsSync(socketPath))
    return Promise.reject(
      new BackupThroughServerError(
        `the data directory ${resolve(dataDir)} is in use by a process that offers no backup socket (${socketPath}); stop it and run corridor backup again`,
      ),
    );
  return new Promise((ok, fail) => {
    const req = request({ socketPath, path: '/backup', method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => fail(new BackupThroughServerError(e.message)));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode === 200 && body.length === Number(res.headers['content-length']))
          ok(new Uint8Array(body));
        else
          fail(
            new BackupThroughServerError(
              `the running server could not make the backup: ${res.statusCode === 200 ? 'the copy arrived incomplete' : body.toString('utf8').trim()}`,
            ),
          );
      });
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`no backup within ${Math.round(timeoutMs / 1000)} s`)),
    );
    req.on('error', (e) =>
      fail(
        new BackupThroughServerError(
          `the data directory ${resolve(dataDir)} is in use, and no server answers on ${socketPath}: ${e.message}`,
        ),
      ),
    );
    req.end();
  });
}
