import { PgCustomsSystemStore } from '../../src/store/customs-outbox.store.ts';
import { createPlanner, type Planner } from '../../src/app/plan-route.ts';
import type { AccountDeps } from '../../src/app/actor.ts';
import {
  createApiKey,
  createOrganisation,
  createUser,
  type NewOrganisation,
} from '../../src/app/manage-accounts.ts';
import type { Organisation, Role } from '../../src/app/account-ports.ts';
import { buildApp } from '../../src/http/app.ts';
import type { App, RateLimits } from '../../src/http/context.ts';
import { pgStores } from '../../src/store/account.store.ts';
import { PgCapacityLedger } from '../../src/store/capacity.store.ts';
import { PgDcsaBookingRequestStore } from '../../src/store/dcsa-booking.store.ts';
import { PgBookingStore, PgIdempotencyStore, PgPlanStore } from '../../src/store/booking.store.ts';
import { DEFAULT_HOLD_MINUTES, type BookingDeps } from '../../src/app/bookings.ts';
import type { Clock } from '../../src/app/ports.ts';
import type { Database } from '../../src/store/database.ts';
import { argon2Hasher, cryptoSecrets } from '../../src/store/security.ts';
import { testDatabase } from './database.ts';
import { PgTrackingStore } from '../../src/store/tracking.store.ts';
import type { TrackingDeps } from '../../src/app/tracking.ts';
import { PRE_ARRIVAL_HOURS } from '../../src/app/customs.ts';
import type { CustomsDeps } from '../../src/app/customs-deps.ts';
import { PgCustomsStore } from '../../src/store/customs.store.ts';
import { PgSignInFailures } from '../../src/store/sign-in.store.ts';
import { SIGN_IN_POLICY, type SignInDeps } from '../../src/app/authenticate.ts';
import { PgCustomsAuditLog } from '../../src/store/customs-audit.store.ts';
import type { AuditDeps } from '../../src/app/customs-audit.ts';
import type { SubscriptionDeps } from '../../src/app/subscriptions.ts';
import { PgSubscriptionStore } from '../../src/store/subscription.store.ts';
import { callbackGuard, httpNotifier, parseAllowlist } from '../../src/http/webhooks.ts';
import { dataFiles, referenceNetwork } from './network-files.ts';
import type { DocumentDeps } from '../../src/app/documents.ts';
import { PgDocumentStore } from '../../src/store/document.store.ts';
import { PgDocumentSigner } from '../../src/store/document-signing.ts';
import { sha256Digest } from '../../src/store/document-verification.ts';
import { PdfRenderer } from '../../src/store/pdf-renderer.ts';
import { PgPartyKeys } from '../../src/store/party-keys.store.ts';
import { pdfSignatureChecker } from '../../src/store/pki/pdf-signature-check.ts';
import type { DirectoryDeps } from '../../src/app/directory.ts';
import { PgDirectoryStore } from '../../src/store/directory.store.ts';
import type { SimulationDeps } from '../../src/app/simulations.ts';
import { PgSimulationStore } from '../../src/store/simulation.store.ts';
import { readShippedScenarios } from '../../src/store/network-files.ts';
import { LiveNetwork } from '../../src/app/live-network.ts';
import { PgDwellModelStore } from '../../src/store/dwell-model.store.ts';
import { PgServiceVersionStore } from '../../src/store/service-version.store.ts';
import { readJobFigures } from '../../src/store/job-metrics.ts';
import { manualClock } from './clock.ts';

export { manualClock } from './clock.ts';

let planner: Planner | undefined;

export interface TestServer {
  app: App;
  bookings: BookingDeps;
  tracking: TrackingDeps;
  customs: CustomsDeps;
  audit: AuditDeps;
  documents: DocumentDeps;
  directory: DirectoryDeps;
  simulations: SimulationDeps;
  subscriptions: SubscriptionDeps;
  database: Database;
  accounts: AccountDeps;
  live: LiveNetwork;
  close(): Promise<void>;
}

/** The real app on a fresh test database (PGlite or PostgreSQL, per the test project). */
export async function testServer(
  rateLimits: RateLimits = { loginPerMinute: 10_000, writePerMinute: 1_000_000 },
  // A fixed instant before the December departures the tests book.
  clock: Clock = manualClock(),
  options: { webRoot?: string } = {},
): Promise<TestServer> {
  const database = await testDatabase();
  const network = referenceNetwork();
  if (planner?.period.from !== clock.now().toISOString().slice(0, 10))
    planner = createPlanner(network, clock, { draws: 200 });
  const serviceVersionStore = new PgServiceVersionStore(database.db);
  const dwellModelStore = new PgDwellModelStore(database.db);
  const live = await LiveNetwork.open(
    dataFiles(),
    network,
    serviceVersionStore,
    clock,
    { draws: 200 },
    planner,
    dwellModelStore,
  );
  const accounts: AccountDeps = {
    stores: pgStores(database.db),
    clock,
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
    clock,
    secrets: cryptoSecrets,
    holdMinutes: DEFAULT_HOLD_MINUTES,
  };
  // Tests call back receivers on this machine: loopback is allowed here, as an operator may.
  const allow = parseAllowlist('127.0.0.1,::1');
  const subscriptions: SubscriptionDeps = {
    subscriptions: subscriptionStore,
    organisations: accounts.stores.organisations,
    guard: callbackGuard(allow),
    notifier: httpNotifier(allow),
    clock,
    secrets: cryptoSecrets,
  };
  const tracking: TrackingDeps = {
    subscriptions: subscriptionStore,
    get network() {
      return live.network;
    },
    get model() {
      return live.planner.model;
    },
    // As the server does: large batches over two connections on PostgreSQL.
    tracking: new PgTrackingStore(database.db, database.kind === 'postgres' ? 2 : 1),
    bookings: bookings.bookings,
    organisations: accounts.stores.organisations,
    clock,
    secrets: cryptoSecrets,
  };
  const customs: CustomsDeps = {
    get network() {
      return live.network;
    },
    customs: new PgCustomsStore(database.db),
    tracking: tracking.tracking,
    organisations: accounts.stores.organisations,
    clock,
    secrets: cryptoSecrets,
    bookings: bookings.bookings,
    plans: bookings.plans,
    subscriptions: subscriptionStore,
    preArrivalHours: PRE_ARRIVAL_HOURS,
    systems: new PgCustomsSystemStore(database.db),
    documents: new PgDocumentStore(database.db),
  };
  const signer = new PgDocumentSigner(database.db);
  const signIn: SignInDeps = {
    failures: new PgSignInFailures(database.db),
    policy: { ...SIGN_IN_POLICY, sourceFailures: rateLimits.loginPerMinute },
  };
  const audit: AuditDeps = {
    audit: new PgCustomsAuditLog(database.db),
    secrets: cryptoSecrets,
    clock,
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
    clock,
    secrets: cryptoSecrets,
    digest: sha256Digest,
    signer,
    verifier: signer,
    partyKeys: new PgPartyKeys(database.db, clock),
    pdfSignatures: pdfSignatureChecker,
    renderer: new PdfRenderer(),
    publicUrl: () => 'https://corridor.test',
  };
  const directory: DirectoryDeps = {
    get network() {
      return live.network;
    },
    directory: new PgDirectoryStore(database.db),
    organisations: accounts.stores.organisations,
    subscriptions: subscriptionStore,
    get planner() {
      return live.planner;
    },
    clock,
    secrets: cryptoSecrets,
  };
  const simulations: SimulationDeps = {
    simulations: new PgSimulationStore(database.db),
    bases: await readShippedScenarios(),
    clock,
    secrets: cryptoSecrets,
    pause: () => new Promise<void>((resolve) => setImmediate(resolve)),
    dwell: { models: dwellModelStore, reference: network },
  };
  const app = await buildApp({
    documents,
    directory,
    simulations,
    accounts,
    signIn,
    customs,
    audit,
    get network() {
      return live.network;
    },
    get planner() {
      return live.planner;
    },
    tracking,
    subscriptions,
    capacity,
    bookings,
    schedules: {
      live,
      versions: serviceVersionStore,
      tracking: tracking.tracking,
      bookings: bookings.bookings,
      clock,
      secrets: cryptoSecrets,
    },
    dwellModels: {
      models: dwellModelStore,
      tracking: tracking.tracking,
      organisations: accounts.stores.organisations,
      reference: network,
      clock,
      secrets: cryptoSecrets,
    },
    idempotency: new PgIdempotencyStore(database.db),
    database,
    today: () => clock.now().toISOString().slice(0, 10),
    rateLimits,
    secureCookies: false,
    bodyLimitBytes: 1_048_576,
    logLevel: 'silent',
    webRoot: options.webRoot ?? null,
    jobs: () => readJobFigures(database.db, clock.now()),
  });
  return {
    app,
    live,
    bookings,
    tracking,
    customs,
    audit,
    documents,
    directory,
    simulations,
    subscriptions,
    database,
    accounts,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** A way to call the API as someone: a cookie session (with its CSRF token) or an API key. */
export interface Caller {
  label: string;
  organisation: Organisation;
  role: Role;
  headers: Record<string, string>;
}

/** Registers an organisation with an admin and a member (and an officer for customs). */
export async function organisationWithPeople(
  server: TestServer,
  input: NewOrganisation,
): Promise<{
  organisation: Organisation;
  people: { email: string; password: string; role: Role }[];
}> {
  const organisation = await createOrganisation(server.accounts, undefined, input);
  const roles: Role[] =
    input.kind === 'customs' ? ['admin', 'member', 'officer'] : ['admin', 'member'];
  const people = [];
  for (const role of roles) {
    const email = `${role}.${organisation.id}@test.example`;
    const { password } = await createUser(server.accounts, undefined, organisation.id, {
      email,
      name: `${role} of ${input.name}`,
      role,
    });
    people.push({ email, password: password!, role });
  }
  return { organisation, people };
}

/** Signs in through the API and returns the headers that carry the session and CSRF token. */
export async function signIn(
  app: App,
  email: string,
  password: string,
): Promise<Record<string, string>> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'corridor_session')!;
  return {
    cookie: `corridor_session=${cookie.value}`,
    'x-csrf-token': res.json<{ csrfToken: string }>().csrfToken,
  };
}

/** Every way to call as people of the organisation: each role by session, and an API key. */
export async function callersOf(
  server: TestServer,
  org: Awaited<ReturnType<typeof organisationWithPeople>>,
): Promise<Caller[]> {
  const callers: Caller[] = [];
  for (const p of org.people) {
    callers.push({
      label: `${org.organisation.kind} ${p.role} (session)`,
      organisation: org.organisation,
      role: p.role,
      headers: await signIn(server.app, p.email, p.password),
    });
  }
  const { key } = await createApiKey(server.accounts, undefined, org.organisation.id, {
    name: 'test key',
    role: 'admin',
  });
  callers.push({
    label: `${org.organisation.kind} admin (API key)`,
    organisation: org.organisation,
    role: 'admin',
    headers: { authorization: `Bearer ${key}` },
  });
  return callers;
}

/** The API-key caller (admin role) of a new organisation with its people. */
export async function apiKeyCaller(server: TestServer, input: NewOrganisation): Promise<Caller> {
  return (await callersOf(server, await organisationWithPeople(server, input))).at(-1)!;
}
