import { PgCustomsSystemStore } from '../store/customs-outbox.store.ts';
import { fileURLToPath } from 'node:url';
import { readJobFigures } from '../store/job-metrics.ts';
import { LiveNetwork } from '../app/live-network.ts';
import { refitDwellModels, type DwellModelDeps } from '../app/dwell-models.ts';
import { PgDwellModelStore } from '../store/dwell-model.store.ts';
import { PgServiceVersionStore } from '../store/service-version.store.ts';
import { PgRateCounter } from '../store/rate-limit.store.ts';
import { PgSignInFailures } from '../store/sign-in.store.ts';
import { SIGN_IN_POLICY, type SignInDeps } from '../app/authenticate.ts';
import { demoSignInLines, seedDemo } from '../app/seed-demo.ts';
import type { AccountDeps } from '../app/actor.ts';
import { formatNetworkError, loadNetwork } from '../core/network/load-network.ts';
import { pgStores } from '../store/account.store.ts';
import { PgCapacityLedger } from '../store/capacity.store.ts';
import { PgDcsaBookingRequestStore } from '../store/dcsa-booking.store.ts';
import { PgBookingStore, PgIdempotencyStore, PgPlanStore } from '../store/booking.store.ts';
import { expireBookings, type BookingDeps } from '../app/bookings.ts';
import { expireAmendments } from '../app/booking-amendments.ts';
import { purgePlans } from '../app/plans.ts';
import { PgTrackingStore } from '../store/tracking.store.ts';
import { PgSubscriptionStore } from '../store/subscription.store.ts';
import { deliverDue, type SubscriptionDeps } from '../app/subscriptions.ts';
import { refreshShipments } from '../app/tracking.ts';
import { assessBeforeArrival } from '../app/customs.ts';
import type { CustomsDeps } from '../app/customs-deps.ts';
import { deliverOutbox } from '../app/customs-systems.ts';
import { PgCustomsStore } from '../store/customs.store.ts';
import { PgCustomsAuditLog } from '../store/customs-audit.store.ts';
import { signAuditHead, type AuditDeps } from '../app/customs-audit.ts';
import type { DocumentDeps } from '../app/documents.ts';
import { PgDocumentStore } from '../store/document.store.ts';
import { PgDirectoryStore } from '../store/directory.store.ts';
import { PgSimulationStore } from '../store/simulation.store.ts';
import { parseSigningKey, PgDocumentSigner } from '../store/document-signing.ts';
import { PgPartyKeys } from '../store/party-keys.store.ts';
import { pdfSignatureChecker } from '../store/pki/pdf-signature-check.ts';
import { sha256Digest } from '../store/document-verification.ts';
import { readFileSync } from 'node:fs';
import { callbackGuard, httpNotifier, parseAllowlist } from './webhooks.ts';

/** How often held bookings are checked for expiry. */
const EXPIRY_CHECK_MS = 30_000;
/**
 * Shipments refreshed per tick: a burst of events is acknowledged first, their positions and
 * ETAs follow within seconds, without long pauses in answering requests.
 */
const REFRESH_PER_TICK = 100;
/** How often customs segments are checked for pre-arrival assessment. */
const PRE_ARRIVAL_CHECK_MS = 30_000;
/** How often the customs audit head is signed (the day's anchor follows the head). */
const AUDIT_ANCHOR_MS = 10 * 60_000;
/** How often simulations are checked for a server that went silent, and how long is silent. */
const SIMULATION_CHECK_MS = 30_000;
const SIMULATION_SILENCE_MS = 60_000;
/** How often the dwell models are fitted again from the actual events. */
const DWELL_REFIT_MS = 3_600_000;
/**
 * How often the network in force is looked at besides its wake-ups (a publication or a new
 * dwell-model version wakes every process at once): a new day brings versions into force and a
 * new planner, and a wake-up lost while the listening connection was down is caught up.
 */
const NETWORK_CHECK_MS = 30_000;
/** Connections a large batch of events is written over at once, on PostgreSQL. */
const PARALLEL_EVENT_WRITES = 2;
/** How often due webhook deliveries and shipments to refresh are looked for. */
const DELIVERY_CHECK_MS = 1_000;
import { DataDirLockedError, openDatabase } from '../store/database.ts';
import { serveBackups, type BackupSocket } from '../store/backup-socket.ts';
import { databaseTargetFromEnv } from '../store/database-config.ts';
import { WAKE_CHANNELS, type WakeChannel } from '../store/wake-ups.ts';
import {
  DEFAULT_NETWORK_DIR,
  readNetworkFiles,
  readShippedScenarios,
} from '../store/network-files.ts';
import { argon2Hasher, cryptoSecrets, systemClock } from '../store/security.ts';
import { buildApp } from './app.ts';
import { jobMetrics } from './metrics.ts';
import { Registry } from 'prom-client';
import type { FastifyBaseLogger } from 'fastify';
import { randomUUID } from 'node:crypto';
import { parseServerConfig } from './config.ts';
import type { App } from './context.ts';

export interface ServeOptions {
  port?: number | undefined;
  host?: string | undefined;
  demo: boolean;
  networkDir?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface RunningServer {
  app: App;
  url: string;
  /** Stops accepting, finishes in-flight requests, closes the database. */
  stop(): Promise<void>;
}

/**
 * Composition root of the server: configuration, network, database, stores, planner, app.
 * Returns undefined after printing why when it cannot start (bad configuration, bad data, the
 * data directory in use).
 */
export async function startServer(options: ServeOptions): Promise<RunningServer | undefined> {
  const config = parseServerConfig(options.env, options);
  const db = databaseTargetFromEnv(options.env);
  const errors = [...(config.ok ? [] : config.errors), ...db.errors];
  if (!config.ok || errors.length > 0) {
    for (const e of errors) options.err(`error: ${e}`);
    return undefined;
  }
  const networkFiles = await readNetworkFiles(options.networkDir ?? DEFAULT_NETWORK_DIR);
  const loaded = loadNetwork(networkFiles);
  if (!loaded.ok) {
    for (const e of loaded.errors) options.err(formatNetworkError(e));
    return undefined;
  }
  let signingKey;
  if (config.config.signingKeyFile) {
    let pem: string;
    try {
      pem = readFileSync(config.config.signingKeyFile, 'utf8');
    } catch (e) {
      options.err(`error: CORRIDOR_SIGNING_KEY_FILE: cannot read: ${(e as Error).message}`);
      return undefined;
    }
    const parsed = parseSigningKey(pem);
    if (!parsed.ok) {
      options.err(`error: CORRIDOR_SIGNING_KEY_FILE: ${parsed.problem}`);
      return undefined;
    }
    signingKey = parsed.key;
  }
  let database;
  try {
    database = await openDatabase(db.target);
  } catch (e) {
    if (e instanceof DataDirLockedError) {
      options.err(`error: ${e.message}`);
      return undefined;
    }
    options.err(`error: cannot open the database: ${(e as Error).message}`);
    return undefined;
  }
  const serviceVersionStore = new PgServiceVersionStore(database.db);
  const dwellModelStore = new PgDwellModelStore(database.db);
  const rateCounter = new PgRateCounter(database.db);
  const signIn: SignInDeps = {
    failures: new PgSignInFailures(database.db),
    policy: { ...SIGN_IN_POLICY, sourceFailures: config.config.loginPerMinute },
  };
  let live: LiveNetwork;
  try {
    live = await LiveNetwork.open(
      networkFiles,
      loaded.network,
      serviceVersionStore,
      systemClock,
      {},
      undefined,
      dwellModelStore,
    );
  } catch (e) {
    options.err(`error: ${(e as Error).message}`);
    await database.close();
    return undefined;
  }
  const accounts: AccountDeps = {
    stores: pgStores(database.db),
    clock: systemClock,
    secrets: cryptoSecrets,
    hasher: argon2Hasher,
    get network() {
      return live.network;
    },
  };
  const capacity = new PgCapacityLedger(database.db);
  const subscriptionStore = new PgSubscriptionStore(database.db);
  const bookings: BookingDeps = {
    subscriptions: subscriptionStore,
    get network() {
      return live.network;
    },
    bookings: new PgBookingStore(database.db),
    dcsaRequests: new PgDcsaBookingRequestStore(database.db),
    ledger: capacity,
    plans: new PgPlanStore(database.db),
    organisations: accounts.stores.organisations,
    clock: systemClock,
    secrets: cryptoSecrets,
    holdMinutes: config.config.holdMinutes,
  };
  const allow = parseAllowlist(config.config.webhookAllow);
  const subscriptions: SubscriptionDeps = {
    subscriptions: subscriptionStore,
    organisations: accounts.stores.organisations,
    guard: callbackGuard(allow),
    notifier: httpNotifier(allow),
    clock: systemClock,
    secrets: cryptoSecrets,
    retryBaseMs: config.config.webhookRetrySeconds * 1000,
  };
  const tracking = {
    get network() {
      return live.network;
    },
    get model() {
      return live.planner.model;
    },
    tracking: new PgTrackingStore(
      database.db,
      database.kind === 'postgres' ? PARALLEL_EVENT_WRITES : 1,
    ),
    bookings: bookings.bookings,
    organisations: accounts.stores.organisations,
    clock: systemClock,
    secrets: cryptoSecrets,
    subscriptions: subscriptionStore,
  };
  const customs: CustomsDeps = {
    get network() {
      return live.network;
    },
    customs: new PgCustomsStore(database.db),
    tracking: tracking.tracking,
    organisations: accounts.stores.organisations,
    clock: systemClock,
    secrets: cryptoSecrets,
    bookings: bookings.bookings,
    plans: bookings.plans,
    subscriptions: subscriptionStore,
    preArrivalHours: config.config.preArrivalHours,
    systems: new PgCustomsSystemStore(database.db),
    documents: new PgDocumentStore(database.db),
  };
  let publicUrl = config.config.publicUrl ?? `http://localhost:${config.config.port}`;
  const signer = new PgDocumentSigner(database.db, signingKey);
  const audit: AuditDeps = {
    audit: new PgCustomsAuditLog(database.db),
    secrets: cryptoSecrets,
    clock: systemClock,
    signer,
    verifier: signer,
  };
  const documents: DocumentDeps = {
    get network() {
      return live.network;
    },
    documents: new PgDocumentStore(database.db),
    tracking: tracking.tracking,
    bookings: bookings.bookings,
    customs: customs.customs,
    organisations: accounts.stores.organisations,
    clock: systemClock,
    secrets: cryptoSecrets,
    digest: sha256Digest,
    signer,
    verifier: signer,
    partyKeys: new PgPartyKeys(database.db, systemClock, config.config.keySecret),
    pdfSignatures: pdfSignatureChecker,
    // pdfkit loads with the server, not with every CLI command; the fonts on the first document.
    renderer: new (await import('../store/pdf-renderer.ts')).PdfRenderer(),
    publicUrl: () => publicUrl,
  };
  const directory = {
    get network() {
      return live.network;
    },
    directory: new PgDirectoryStore(database.db),
    organisations: accounts.stores.organisations,
    subscriptions: subscriptionStore,
    get planner() {
      return live.planner;
    },
    clock: systemClock,
    secrets: cryptoSecrets,
  };
  // The demo's organisations, and its traffic made through the use cases wired above.
  const seeded = options.demo
    ? await seedDemo(accounts, directory.directory, { bookings, tracking, customs, directory })
    : { created: false, credentials: [] };
  const simulationStore = new PgSimulationStore(database.db);
  const simulations = {
    simulations: simulationStore,
    bases: await readShippedScenarios(),
    clock: systemClock,
    secrets: cryptoSecrets,
    pause: () => new Promise<void>((resolve) => setImmediate(resolve)),
    dwell: { models: dwellModelStore, reference: loaded.network },
  };
  const dwellModels: DwellModelDeps = {
    models: dwellModelStore,
    tracking: tracking.tracking,
    organisations: accounts.stores.organisations,
    reference: loaded.network,
    clock: systemClock,
    secrets: cryptoSecrets,
  };
  const metricsRegistry = new Registry();
  const recordJob = jobMetrics(metricsRegistry);
  const app = await buildApp({
    metricsRegistry,
    documents,
    directory,
    simulations,
    subscriptions,
    tracking,
    customs,
    audit,
    accounts,
    signIn,
    get network() {
      return live.network;
    },
    get planner() {
      return live.planner;
    },
    capacity,
    bookings,
    schedules: {
      live,
      versions: serviceVersionStore,
      bookings: bookings.bookings,
      tracking: tracking.tracking,
      clock: systemClock,
      secrets: cryptoSecrets,
    },
    dwellModels,
    idempotency: new PgIdempotencyStore(database.db),
    database,
    today: () => systemClock.now().toISOString().slice(0, 10),
    rateLimits: {
      loginPerMinute: config.config.loginPerMinute,
      writePerMinute: config.config.writePerMinute,
    },
    rateCounter,
    secureCookies: config.config.secureCookies,
    bodyLimitBytes: config.config.bodyLimitBytes,
    logLevel: config.config.logLevel,
    webRoot: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    jobs: () => readJobFigures(database.db, systemClock.now()),
    trustProxy: config.config.trustProxy,
  });
  try {
    await app.listen({ port: config.config.port, host: config.config.host });
  } catch (e) {
    options.err(
      `error: cannot listen on ${config.config.host}:${config.config.port}: ${(e as Error).message}`,
    );
    await app.close();
    await database.close();
    return undefined;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.config.port;
  const shownHost = ['127.0.0.1', '0.0.0.0', '::'].includes(config.config.host)
    ? 'localhost'
    : config.config.host;
  const url = `http://${shownHost}:${port}`;
  publicUrl = config.config.publicUrl ?? url;
  options.out(`Corridor is serving ${url}  (API docs ${url}/docs, OpenAPI ${url}/openapi.json)`);
  options.out(
    database.kind === 'postgres'
      ? 'Database: PostgreSQL (DATABASE_URL)'
      : `Database: embedded PGlite in ${(db.target as { dataDir: string }).dataDir}`,
  );
  // The embedded database is backed up through this process while it serves (corridor backup).
  let backups: BackupSocket | undefined;
  if (db.target.kind === 'pglite' && database.snapshot) {
    const log = app.log.child({ job: 'backup' });
    const served = await serveBackups(db.target.dataDir, database.snapshot, {
      info: (m) => log.info(m),
      error: (m) => log.error(m),
    });
    backups = served.socket;
    if (!served.socket)
      options.err(
        `warning: corridor backup cannot reach this server, stop it to back up: ${served.reason}`,
      );
  }
  if (seeded.created) {
    options.out('');
    for (const line of demoSignInLines(publicUrl, seeded.credentials)) options.out(line);
    options.out('');
  } else if (options.demo) {
    options.out(`Open ${publicUrl} in a browser.`);
    options.out(
      'Demo data is already in this database; its passwords were printed when it was created.',
    );
    options.out(
      'A lost password: `corridor admin reset-password EMAIL` prints a new one (with the embedded database, stop the server first).',
    );
  }
  let stopped = false;
  const listening: Promise<() => Promise<void>>[] = [];
  /**
   * A background job run every `ms`, one run at a time in this process, and at once on each
   * NOTIFY on `wakeOn` (a wake-up during a run runs it once more after): each run has a job id
   * in its log lines, and its outcome and time go to /metrics (corridor_job_*).
   */
  const every = (
    job: string,
    ms: number,
    run: (log: FastifyBaseLogger) => Promise<unknown>,
    wakeOn?: WakeChannel,
  ) => {
    let busy = false;
    let again = false;
    const tick = () => {
      if (stopped || busy) return;
      busy = true;
      const log = app.log.child({ job, jobId: randomUUID() });
      const t = performance.now();
      run(log)
        .then(
          () => recordJob(job, 'ok', (performance.now() - t) / 1000),
          (e: unknown) => {
            recordJob(job, 'failed', (performance.now() - t) / 1000);
            log.error({ err: e }, `${job} failed`);
          },
        )
        .finally(() => {
          busy = false;
          if (again) {
            again = false;
            tick();
          }
        });
    };
    if (wakeOn)
      listening.push(
        database.listen(wakeOn, () => {
          if (busy) again = true;
          else tick();
        }),
      );
    return setInterval(tick, ms);
  };
  const timers = [
    // Holds that ran out give their capacity back; plans past their day and ended rate-limit
    // windows go.
    every(
      'hold-expiry',
      EXPIRY_CHECK_MS,
      async () => (await expireBookings(bookings)) + (await expireAmendments(bookings)),
    ),
    every('plan-purge', EXPIRY_CHECK_MS, () => purgePlans(bookings)),
    every('rate-limit-purge', EXPIRY_CHECK_MS, () => rateCounter.purgeExpired()),
    every('sign-in-purge', EXPIRY_CHECK_MS, () =>
      signIn.failures.purge(systemClock.now(), SIGN_IN_POLICY.accountWindowMs),
    ),
    // Webhook deliveries that are due, and shipments whose position and ETA await new events.
    every('webhook-delivery', DELIVERY_CHECK_MS, () => deliverDue(subscriptions)),
    // Messages to the customs systems that take them by post (the outbox), retried until taken.
    every('customs-outbox', DELIVERY_CHECK_MS, () =>
      deliverOutbox({
        systems: customs.systems,
        notifier: subscriptions.notifier,
        guard: subscriptions.guard,
        clock: systemClock,
      }),
    ),
    every('shipment-refresh', DELIVERY_CHECK_MS, () =>
      refreshShipments(tracking, undefined, REFRESH_PER_TICK),
    ),
    // Pre-arrival processing: customs segments whose box is now expected within the horizon.
    every('pre-arrival', PRE_ARRIVAL_CHECK_MS, () => assessBeforeArrival(customs)),
    // The customs audit log's head, signed with the document key: the day's anchor.
    every('audit-anchor', AUDIT_ANCHOR_MS, () => signAuditHead(audit)),
    // A simulation runs in the server that started it: one whose server went silent has failed.
    every('simulation-watch', SIMULATION_CHECK_MS, () => {
      const now = systemClock.now();
      return simulationStore.failRunning(
        'the server running it stopped before it finished',
        now,
        new Date(now.getTime() - SIMULATION_SILENCE_MS),
      );
    }),
    // The dwell models fitted again from the actual events; the network picks a new version up.
    every('dwell-refit', DWELL_REFIT_MS, async (log) => {
      const saved = await refitDwellModels(dwellModels);
      if (saved) log.info(`dwell models: version ${saved.version} from ${saved.samples} stands`);
    }),
    // Services published through any server, or come into force today.
    every(
      'network-refresh',
      NETWORK_CHECK_MS,
      async (log) => {
        if (await live.refresh()) log.info('network: published services now in force');
      },
      WAKE_CHANNELS.network,
    ),
  ];
  const unlisten = await Promise.all(listening);
  let stopping: Promise<void> | undefined;
  return {
    app,
    url,
    stop: () =>
      (stopping ??= (async () => {
        stopped = true;
        for (const t of timers) clearInterval(t);
        for (const stop of unlisten) await stop();
        await backups?.close();
        await app.close();
        await database.close();
      })()),
  };
}
