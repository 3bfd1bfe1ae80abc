import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobFigures } from '../app/ports.ts';

/** Prometheus metrics of one server: requests and latency per route, database pool. */
export function registerMetrics(
  app: FastifyInstance,
  database: {
    pool(): { total: number; idle: number; waiting: number };
    onQuery?: ((listener: (seconds: number) => void) => void) | undefined;
  },
  jobs?: () => Promise<JobFigures>,
  registry: Registry = new Registry(),
): Registry {
  const pool = () => database.pool();
  collectDefaultMetrics({ register: registry });
  if (database.onQuery) {
    const queries = new Histogram({
      name: 'corridor_db_query_duration_seconds',
      help: 'database query time (on PGlite, queries outside transactions)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers: [registry],
    });
    database.onQuery((s) => queries.observe(s));
  }
  const ingested = new Counter({
    name: 'corridor_events_ingested_total',
    help: 'tracking events received, by result (accepted, duplicate, rejected)',
    labelNames: ['result'],
    registers: [registry],
  });
  app.decorate('countEvents', (result: string, n: number) => {
    if (n > 0) ingested.inc({ result }, n);
  });
  const requests = new Counter({
    name: 'corridor_http_requests_total',
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'route', 'status_code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'corridor_http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  for (const [name, field] of [
    ['corridor_db_pool_connections', 'total'],
    ['corridor_db_pool_idle', 'idle'],
    ['corridor_db_pool_waiting', 'waiting'],
  ] as const) {
    new Gauge({
      name,
      help: `database pool: ${field} clients`,
      registers: [registry],
      collect() {
        this.set(pool()[field]);
      },
    });
  }
  if (jobs) {
    // Read once per scrape, shared by the job gauges; a database that does not answer leaves
    // them at their last values (and /readyz says why).
    let last: Promise<JobFigures | undefined> | undefined;
    const figures = () => {
      last ??= jobs()
        .catch(() => undefined)
        .finally(() => setTimeout(() => (last = undefined), 500));
      return last;
    };
    new Gauge({
      name: 'corridor_webhook_deliveries',
      help: 'webhook deliveries by state (pending, sending, delivered, failed)',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const f = await figures();
        if (f) for (const [state, n] of Object.entries(f.webhookDeliveries)) this.set({ state }, n);
      },
    });
    for (const [name, help, field] of [
      [
        'corridor_webhook_oldest_due_seconds',
        'age of the oldest webhook delivery already due',
        'oldestPendingDeliverySeconds',
      ],
      [
        'corridor_shipments_awaiting_refresh',
        'shipments whose position and ETA await the refresh job',
        'shipmentsAwaitingRefresh',
      ],
      ['corridor_simulations_running', 'simulations running', 'simulationsRunning'],
    ] as const)
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          const f = await figures();
          if (f) this.set(f[field]);
        },
      });
  }
  // Children per label set, kept: looking labels up on every request costs more than the count.
  const counters = new Map<string, Counter.Internal>();
  const timers = new Map<string, Histogram.Internal<'method' | 'route'>>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${route}`;
    const status = String(reply.statusCode);
    let counter = counters.get(`${key} ${status}`);
    if (!counter) {
      counter = requests.labels({ method: request.method, route, status_code: status });
      counters.set(`${key} ${status}`, counter);
    }
    let timer = timers.get(key);
    if (!timer) {
      timer = duration.labels({ method: request.method, route });
      timers.set(key, timer);
    }
    counter.inc();
    timer.observe(reply.elapsedTime / 1000);
    done();
  });
  return registry;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Counts tracking events received, by result, for corridor_events_ingested_total. */
    countEvents(result: string, n: number): void;
  }
}

/** Runs of the background jobs: how many, how they ended, how long they took. */
export function jobMetrics(registry: Registry) {
  const runs = new Counter({
    name: 'corridor_job_runs_total',
    help: 'background job runs by job and outcome (ok, failed)',
    labelNames: ['job', 'outcome'],
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'corridor_job_duration_seconds',
    help: 'background job run time by job',
    labelNames: ['job'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  return (job: string, outcome: 'ok' | 'failed', s: number) => {
    runs.inc({ job, outcome });
    seconds.observe({ job }, s);
  };
}
