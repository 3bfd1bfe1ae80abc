import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobFigures } from '../app/ports.ts';

/** Prometheus metrics of one server: requests and latency per route, database pool. */
export function registerMetrics(
  app: FastifyInstance,
  pool: () => { total: number; idle: number; waiting: number },
  jobs?: () => Promise<JobFigures>,
): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
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
