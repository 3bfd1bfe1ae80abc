import { InvalidArgumentError } from 'commander';
import { isIsoDate } from '../core/shared/time-zone.ts';
import type { Network } from '../core/network/network.ts';
import type { AccountDeps } from '../app/actor.ts';
import type { Digest, PdfSignatureChecker, SignatureVerifier } from '../app/document-ports.ts';
import type { Clock } from '../app/ports.ts';
import type { ChainCheck } from '../core/customs/audit-chain.ts';
import type { AuditAnchor } from '../app/customs-audit.ts';
import type { IsoDate } from '../core/shared/units.ts';

/** What the CLI needs from the outside world; main.ts provides the real ones. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Raw text of the network data files in a folder (see store/network-files.ts). */
  readNetworkFiles: (dir: string) => Promise<Record<string, string | undefined>>;
  defaultNetworkDir: string;
  /** The clock in force: today (UTC) for timetables, now for plans. */
  clock: Clock;
  /** Starts the HTTP server; undefined when it could not start (the reason is printed). */
  serve: (options: {
    port?: number | undefined;
    host?: string | undefined;
    demo: boolean;
    networkDir?: string | undefined;
  }) => Promise<{ stop(): Promise<void> } | undefined>;
  /**
   * Runs `workers` server processes on one port (PostgreSQL only) until asked to stop; false
   * when they could not start (the reason is printed). In a worker process this is never called.
   */
  serveWorkers: (options: { workers: number }) => Promise<boolean>;
  /** False in a worker process started by serveWorkers. */
  isPrimary: () => boolean;
  /** Resolves when the process is asked to stop (SIGTERM, SIGINT). */
  shutdownSignal: () => Promise<void>;
  /** The environment (CORRIDOR_API_KEY, CORRIDOR_SERVER for the client commands). */
  env: Readonly<Record<string, string | undefined>>;
  /** HTTP requests to the platform. */
  http: (url: string, init: RequestInit) => Promise<Response>;
  /** Reads a text file (UTF-8). */
  readText: (path: string) => Promise<string>;
  /** Reads and writes binary files (documents). */
  readBytes: (path: string) => Promise<Uint8Array>;
  writeBytes: (path: string, bytes: Uint8Array) => Promise<void>;
  /** Checks document seals with these public keys (PEM), offline; or why the keys are unusable. */
  documentVerifier: (
    pems: readonly string[],
  ) =>
    | { ok: true; digest: Digest; verifier: SignatureVerifier; pdfSignatures: PdfSignatureChecker }
    | { ok: false; problem: string };
  /** Shows progress on one line of the terminal (nothing when output is not a terminal). */
  progress: (text: string) => void;
  /** Opens the customs audit log of the database for `corridor audit verify` and `heads`. */
  auditLog: () => Promise<{
    /** Checks the chain, its head record, its signed heads and these saved ones. */
    verify: (saved: readonly AuditAnchor[]) => Promise<ChainCheck>;
    /** The signed heads kept in the database, oldest day first. */
    anchors: () => Promise<AuditAnchor[]>;
    close: () => Promise<void>;
  }>;
  /** The operator's database operations (`corridor migrate`, `backup`, `restore`). */
  database: {
    migrate: () => Promise<{ kind: string; migrations: number }>;
    /** Writes the embedded database's backup to the file; returns its size in bytes. */
    backup: (file: string) => Promise<number>;
    restore: (file: string, replace: boolean) => Promise<{ migrations: number }>;
  };
  /** Opens the database for the admin commands. */
  accounts: (network: Network) => Promise<{ deps: AccountDeps; close: () => Promise<void> }>;
}

/** Exit codes: 0 success, 1 the data or the operation failed, 2 bad usage (flag or value). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Thrown by commands to stop with an exit code after printing their own message. */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Shared steps of the commands. */
export interface CommandContext {
  io: CliIo;
  /** Loads and checks the network in `dir`; prints every error and exits 1 when it is invalid. */
  network: (dir: string | undefined) => Promise<Network>;
  /** Prints `error: message` and exits 2. */
  usage: (message: string) => never;
}

/** Option parser for a YYYY-MM-DD date. */
export function parseDate(value: string): IsoDate {
  if (!isIsoDate(value))
    throw new InvalidArgumentError('expected a date YYYY-MM-DD, e.g. 2026-12-01');
  return value;
}

/** Option parser for an integer between min and max inclusive. */
export function parseIntIn(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return Number(value);
  };
}
