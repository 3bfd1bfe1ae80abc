/**
 * Event ingestion: POST /v1/events in batches of 500 to `corridor serve` (its own process), on
 * PostgreSQL and on PGlite, against a raw multi-row INSERT of the same rows into the same
 * database in the same run. Then the refresh job's rate (position and ETA of the shipments the
 * events moved). Prints a table; never part of the test suite.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlanner } from '../src/app/plan-route.ts';
import { refreshShipments, type TrackingDeps } from '../src/app/tracking.ts';
import { simulateJourney } from '../src/core/eta/journey-simulation.ts';
import { loadNetwork } from '../src/core/network/load-network.ts';
import { NETWORK_FILES } from '../src/core/network/schema.ts';
import { generateTimetable } from '../src/core/network/timetable.ts';
import { seededRng } from '../src/core/shared/rng.ts';
import { checkDigit } from '../src/core/tracking/iso6346.ts';
import { pgStores } from '../src/store/account.store.ts';
import { PgBookingStore } from '../src/store/booking.store.ts';
import { openDatabase, type Database } from '../src/store/database.ts';
import { DEFAULT_NETWORK_DIR } from '../src/store/network-files.ts';
import { cryptoSecrets, systemClock } from '../src/store/security.ts';
import { PgSubscriptionStore } from '../src/store/subscription.store.ts';
import { PgTrackingStore } from '../src/store/tracking.store.ts';
import { ADMIN_URL, apiKeyOf, databaseUrl, rssMb, serve, sql } from './support.ts';

const SHIPMENTS = Number(process.env.BENCH_SHIPMENTS ?? 1000);
const BATCH = 500;

const files = Object.fromEntries(
  Object.keys(NETWORK_FILES).map((f) => [f, readFileSync(join(DEFAULT_NETWORK_DIR, f), 'utf8')]),
);
const loaded = loadNetwork(files);
if (!loaded.ok) throw new Error('data/ does not validate');
const network = loaded.network;
const planner = createPlanner(network, systemClock, { draws: 1 });

interface Row {
  backend: string;
  events: number;
  platformPerS: number;
  rawPerS: number;
  p50Ms: number;
  p99Ms: number;
  refreshPerS: number;
  serverRssMb: string;
}

async function run(backend: 'PostgreSQL' | 'PGlite'): Promise<Row> {
  const dbName = 'corridor_bench_ingest';
  const dbUrl = databaseUrl(dbName);
  const dataDir = mkdtempSync(join(tmpdir(), 'corridor-ingest-'));
  const env = {
    ...process.env,
    LOG_LEVEL: 'warn',
    CORRIDOR_WRITE_PER_MINUTE: '1000000',
    ...(backend === 'PostgreSQL'
      ? { DATABASE_URL: dbUrl }
      : { DATABASE_URL: '', CORRIDOR_DATA_DIR: dataDir }),
  };
  if (backend === 'PostgreSQL') {
    await sql(ADMIN_URL, `drop database if exists "${dbName}" with (force)`);
    await sql(ADMIN_URL, `create database "${dbName}"`);
  }
  const keyFor = (kind: string) =>
    apiKeyOf(env, ['--name', `Bench ${kind}`, '--kind', kind, '--country', 'AZ']);
  const shipperKey = await keyFor('shipper');
  const platformKey = await keyFor('platform');
  const { server, url } = await serve(env, process.env.BENCH_PROFILE ? 'reports/iprof' : undefined);
  const call = async (path: string, key: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };

  // Shipments on the block train and the Caspian feeder, from tomorrow on.
  const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const blocks = generateTimetable(network, {
    from,
    days: 28,
    serviceIds: ['SVC_XIAN_BAKU_BLOCK'],
  });
  const rng = seededRng(3);
  const allEvents: Record<string, unknown>[] = [];
  for (let i = 0; i < SHIPMENTS; i++) {
    const block = blocks[i % blocks.length]!;
    const containers = [0, 1].map((k) => {
      const first10 = `BNCU${String(i * 2 + k).padStart(6, '0')}`;
      return `${first10}${checkDigit(first10)}`;
    });
    const s = (await call('/v1/shipments', shipperKey, {
      rides: [{ tripId: block.id, from: 'CN_XIAN_ITL', to: 'KZ_AKTAU_PORT' }],
      containers: containers.map((equipmentReference) => ({ equipmentReference })),
    })) as {
      itinerary: {
        rideIndex: number;
        tripId: string;
        serviceId: string;
        stops: { nodeId: string; plannedArrival: string | null; plannedDeparture: string | null }[];
      }[];
    };
    const rides = s.itinerary.map((r) => ({
      rideIndex: r.rideIndex,
      tripId: r.tripId,
      serviceId: r.serviceId,
      stops: r.stops.map((x) => x.nodeId),
      plannedDepartures: r.stops.map((x) =>
        x.plannedDeparture ? Date.parse(x.plannedDeparture) : null,
      ),
      plannedArrivals: r.stops.map((x) => (x.plannedArrival ? Date.parse(x.plannedArrival) : null)),
    }));
    // Events stamped in the past so that none is an actual event in the future.
    const steps = simulateJourney(planner.model, rides, rides[0]!.plannedDepartures[0]!, rng) ?? [];
    const shift = steps.length > 0 ? Date.now() - 3_600_000 - steps.at(-1)!.at : 0;
    for (const step of steps) {
      const node = network.nodes.get(step.nodeId)!;
      if (!node.unLocode) continue;
      for (const c of containers) {
        const at = new Date(step.at + shift).toISOString();
        allEvents.push({
          eventID: randomUUID(),
          eventCreatedDateTime: at,
          eventDateTime: at,
          eventType: step.eventType,
          eventClassifierCode: 'ACT',
          [step.eventType === 'TRANSPORT' ? 'transportEventTypeCode' : 'equipmentEventTypeCode']:
            step.code,
          equipmentReference: c,
          eventLocation: { UNLocationCode: node.unLocode },
        });
      }
    }
  }
  allEvents.sort((a, b) => String(a.eventDateTime).localeCompare(String(b.eventDateTime)));

  const latencies: number[] = [];
  let accepted = 0;
  const t0 = performance.now();
  for (let i = 0; i < allEvents.length; i += BATCH) {
    const t = performance.now();
    const answer = await call('/v1/events', platformKey, allEvents.slice(i, i + BATCH));
    latencies.push(performance.now() - t);
    accepted += answer.accepted as number;
  }
  const platformMs = performance.now() - t0;
  if (accepted !== allEvents.length)
    throw new Error(`${allEvents.length - accepted} events were not accepted`);
  const serverRssMb = rssMb(server.pid);
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));

  // The same rows, new ids, as raw multi-row INSERTs into the same table of the same database.
  const database: Database = await openDatabase(
    backend === 'PostgreSQL'
      ? { kind: 'postgres', url: dbUrl, poolSize: 2 }
      : { kind: 'pglite', dataDir },
  );
  const pairs: unknown = await database.db.execute(
    'select shipment_id, equipment_reference from shipment_equipment',
  );
  const shipmentIds = (pairs as { rows: { shipment_id: string; equipment_reference: string }[] })
    .rows;
  const shipmentOf = new Map(shipmentIds.map((r) => [r.equipment_reference, r.shipment_id]));
  const rows = allEvents.map((e) => ({
    eventId: randomUUID(),
    shipmentId: shipmentOf.get(e.equipmentReference as string)!,
    eventType: e.eventType as string,
    eventClassifierCode: 'ACT',
    eventTypeCode: (e.transportEventTypeCode ?? e.equipmentEventTypeCode) as string,
    eventDateTime: new Date(e.eventDateTime as string),
    eventCreatedDateTime: new Date(e.eventCreatedDateTime as string),
    unLocationCode: (e.eventLocation as { UNLocationCode: string }).UNLocationCode,
    facilityTypeCode: null,
    equipmentReference: e.equipmentReference as string,
    modeOfTransport: null,
    postedBy: null,
    receivedAt: new Date(),
  }));
  // Through the driver itself, one parameterised INSERT per batch: no ORM, no checks.
  const client = (
    database.db as unknown as {
      $client: { query(text: string, params: unknown[]): Promise<unknown> };
    }
  ).$client;
  const columns = [
    'event_id',
    'shipment_id',
    'event_type',
    'event_classifier_code',
    'event_type_code',
    'event_date_time',
    'event_created_date_time',
    'un_location_code',
    'facility_type_code',
    'equipment_reference',
    'mode_of_transport',
    'posted_by',
    'received_at',
  ];
  const r0 = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const params: unknown[] = [];
    const tuples = batch.map((r) => {
      const values = [
        r.eventId,
        r.shipmentId,
        r.eventType,
        r.eventClassifierCode,
        r.eventTypeCode,
        r.eventDateTime.toISOString(),
        r.eventCreatedDateTime.toISOString(),
        r.unLocationCode,
        r.facilityTypeCode,
        r.equipmentReference,
        r.modeOfTransport,
        r.postedBy,
        r.receivedAt.toISOString(),
      ];
      const start = params.length;
      params.push(...values);
      return `(${values.map((_, k) => `$${start + k + 1}`).join(',')})`;
    });
    await client.query(
      `insert into tracking_events (${columns.join(',')}) values ${tuples.join(',')}`,
      params,
    );
  }
  const rawMs = performance.now() - r0;

  // The refresh job on the shipments the posted events moved (not yet refreshed by the server).
  const stores = pgStores(database.db);
  const deps: TrackingDeps = {
    network,
    model: createPlanner(network, systemClock).model,
    tracking: new PgTrackingStore(database.db),
    bookings: new PgBookingStore(database.db),
    organisations: stores.organisations,
    clock: systemClock,
    secrets: cryptoSecrets,
    subscriptions: new PgSubscriptionStore(database.db),
  };
  await database.db.execute('update shipments set stale_at = now(), refreshing_until = null');
  const f0 = performance.now();
  let refreshed = 0;
  for (let round = 0; round < SHIPMENTS; round++) {
    const n = await refreshShipments(deps);
    if (n === 0) break;
    refreshed += n;
  }
  const refreshMs = performance.now() - f0;
  await database.close();
  if (backend === 'PostgreSQL')
    await sql(ADMIN_URL, `drop database if exists "${dbName}" with (force)`);

  latencies.sort((a, b) => a - b);
  return {
    backend,
    events: allEvents.length,
    platformPerS: allEvents.length / (platformMs / 1000),
    rawPerS: rows.length / (rawMs / 1000),
    p50Ms: latencies[Math.floor(latencies.length * 0.5)]!,
    p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]!,
    refreshPerS: refreshed / (refreshMs / 1000),
    serverRssMb,
  };
}

const results = process.env.BENCH_ONLY_PG
  ? [await run('PostgreSQL')]
  : [await run('PostgreSQL'), await run('PGlite')];
console.log(
  `\nEvent ingestion: POST /v1/events in batches of ${BATCH} (one client, one batch at a time) to corridor serve in its own process; ${SHIPMENTS} shipments of 2 containers on the Xi'an-Aktau block train, simulated journeys; Node ${process.version}`,
);
console.log(
  '| database | events | baseline: raw multi-row INSERT, events/s | platform, events/s | of raw | batch p50 ms | batch p99 ms | server RSS MB | refresh job, shipments/s |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results)
  console.log(
    `| ${r.backend} | ${r.events} | ${r.rawPerS.toFixed(0)} | ${r.platformPerS.toFixed(0)} | ${((r.platformPerS / r.rawPerS) * 100).toFixed(0)} % | ${r.p50Ms.toFixed(0)} | ${r.p99Ms.toFixed(0)} | ${r.serverRssMb} | ${r.refreshPerS.toFixed(0)} |`,
  );
