import type { DwellModelDeps } from '../app/dwell-models.ts';
import type {
  FastifyInstance,
  FastifyBaseLogger,
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import type { AccountDeps } from '../app/actor.ts';
import type { Planner } from '../app/plan-route.ts';
import type { CapacityLedger } from '../app/capacity-ports.ts';
import type { IdempotencyStore, JobFigures, RateCounter } from '../app/ports.ts';
import type { BookingDeps } from '../app/bookings.ts';
import type { TrackingDeps } from '../app/tracking.ts';
import type { CustomsDeps } from '../app/customs-deps.ts';
import type { SignInDeps } from '../app/authenticate.ts';
import type { AuditDeps } from '../app/customs-audit.ts';
import type { DocumentDeps } from '../app/documents.ts';
import type { DirectoryDeps } from '../app/directory.ts';
import type { SimulationDeps } from '../app/simulations.ts';
import type { SubscriptionDeps } from '../app/subscriptions.ts';
import type { Network } from '../core/network/network.ts';
import type { ScheduleDeps } from '../app/schedules.ts';

/** The Fastify instance with the zod type provider. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface RateLimits {
  /** Failed sign-ins per minute per client address before it waits (successes do not count). */
  loginPerMinute: number;
  /** Write requests per minute per API key or client address. */
  writePerMinute: number;
}

/** Everything the routes need; built by main.ts (or a test). */
export interface HttpDeps {
  accounts: AccountDeps;
  /** Sign-in throttling by client address and by account. */
  signIn: SignInDeps;
  network: Network;
  planner: Planner;
  capacity: CapacityLedger;
  bookings: BookingDeps;
  tracking: TrackingDeps;
  customs: CustomsDeps;
  /** The customs audit log's end and its signed heads. */
  audit: AuditDeps;
  documents: DocumentDeps;
  directory: DirectoryDeps;
  simulations: SimulationDeps;
  subscriptions: SubscriptionDeps;
  /** Services published by carriers and the network in force. */
  schedules: ScheduleDeps;
  /** The observed dwell models and their freezes. */
  dwellModels: DwellModelDeps;
  idempotency: IdempotencyStore;
  database: {
    ready(): Promise<boolean>;
    pool(): { total: number; idle: number; waiting: number };
    onQuery?: (listener: (seconds: number) => void) => void;
  };
  /** The registry /metrics serves; a new one when absent. */
  metricsRegistry?: Registry | undefined;
  /** Reverse proxies trusted for the client's address (Fastify's trustProxy); none when undefined. */
  trustProxy?: string | undefined;
  /** The background jobs' figures for /metrics. */
  jobs?: (() => Promise<JobFigures>) | undefined;
  /** Today's date in UTC, YYYY-MM-DD. */
  today(): string;
  rateLimits: RateLimits;
  /** Shared counters for the rate limits; each process counts on its own without. */
  rateCounter?: RateCounter | undefined;
  /** Mark the session cookie Secure (behind TLS). */
  secureCookies: boolean;
  bodyLimitBytes: number;
  logLevel: string;
  /** The built web app (index.html and assets/) served at `/`; null serves the API only. */
  webRoot?: string | null | undefined;
}

export const SESSION_COOKIE = 'corridor_session';
