/**
 * `npm run bench` (customs): risk assessments per second in-process, with a realistic rule set
 * against a rule set without criteria (random selection and top-up only) as the baseline; then
 * declaration submissions per second through the API on PostgreSQL (autocannon, 20
 * connections), against GET /readyz on the same server in the same run.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import {
  assessRisk,
  countDecision,
  NO_COUNTS,
  ruleSetSchema,
  type LaneCounts,
  type RiskFacts,
  type RuleSet,
} from '../src/core/customs/risk.ts';
import { seededRng, type Rng } from '../src/core/shared/rng.ts';
import { ADMIN_URL, apiKeyOf, BIN, databaseUrl, rssMb, serve, sql } from './support.ts';

const ASSESSMENTS = Number(process.env.BENCH_ASSESSMENTS ?? 200_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);

const COUNTRIES = ['CN', 'KZ', 'AZ', 'GE', 'TR', 'VN', 'IN', 'DE', 'UZ', 'TM'];
const HS = [
  '851712',
  '847130',
  '940360',
  '870323',
  '610910',
  '392690',
  '730890',
  '080810',
  '300490',
  '271019',
];
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;

/** A rule set of the size an administration keeps: 60 criteria of every kind, 2,000 AEOs. */
function realisticRules(rng: Rng): RuleSet {
  const rules = Array.from({ length: 60 }, (_, i) => {
    const kind = i % 6;
    const when =
      kind === 0
        ? { hsPrefixes: [pick(rng, HS).slice(0, 4), pick(rng, HS).slice(0, 6)] }
        : kind === 1
          ? { origins: [pick(rng, COUNTRIES)], hsPrefixes: [pick(rng, HS).slice(0, 2)] }
          : kind === 2
            ? {
                valuePerKg: {
                  currency: 'USD',
                  hsPrefix: pick(rng, HS).slice(0, 4),
                  min: 5 + i,
                  max: 500,
                },
              }
            : kind === 3
              ? { consignors: Array.from({ length: 50 }, (_, k) => `Consignor ${i * 50 + k}`) }
              : kind === 4
                ? { routeCountries: [pick(rng, COUNTRIES)], sealsMissing: true as const }
                : { pastFindingsAtLeast: 1 + (i % 3) };
    return {
      id: `r${i}`,
      description: `rule ${i}`,
      lane: pick(rng, ['red', 'yellow', 'blue'] as const),
      probability: 0.02 + rng.next() * 0.2,
      share: i % 4 === 0,
      when,
    };
  });
  return ruleSetSchema.parse({
    randomRate: 0.02,
    expectedRates: { red: 0.03, yellow: 0.08, blue: 0.02 },
    aeo: { operators: Array.from({ length: 2000 }, (_, k) => `AEO${k}`) },
    rules,
  });
}

function factsOf(rng: Rng): RiskFacts {
  const items = Array.from({ length: 1 + Math.floor(rng.next() * 5) }, () => ({
    hsCode: pick(rng, HS),
    origin: pick(rng, COUNTRIES),
    netMassKg: 100 + rng.next() * 20_000,
    value: 1000 + rng.next() * 500_000,
    currency: 'USD',
  }));
  return {
    holderId:
      rng.next() < 0.2
        ? `AEO${Math.floor(rng.next() * 2000)}`
        : `CN${Math.floor(rng.next() * 1e9)}`,
    consignors: [`Consignor ${Math.floor(rng.next() * 5000)}`],
    items,
    routeCountries: ['CN', 'KZ', 'AZ', pick(rng, ['GE', 'TR'])],
    offices: ['CNHRS001', 'KZAAU001', 'AZBAK001'],
    sealsMissing: rng.next() < 0.05,
    pastFindings: rng.next() < 0.1 ? Math.floor(rng.next() * 4) : 0,
    sharedFindings: rng.next() < 0.05 ? 1 : 0,
  };
}

function assessAll(rules: RuleSet, facts: readonly RiskFacts[]) {
  let counts: LaneCounts = NO_COUNTS;
  let hits = 0;
  const t0 = performance.now();
  for (let i = 0; i < facts.length; i++) {
    const d = assessRisk(rules, facts[i]!, counts, i * 2654435761);
    counts = countDecision(counts, d.lane);
    hits += d.hits.length;
  }
  const ms = performance.now() - t0;
  return { perS: facts.length / (ms / 1000), counts, hitsPer: hits / facts.length };
}

const rng = seededRng(77);
const rules = realisticRules(rng);
const facts = Array.from({ length: ASSESSMENTS }, () => factsOf(rng));
const baselineRules = ruleSetSchema.parse({
  randomRate: 0.02,
  expectedRates: { red: 0.03, yellow: 0.08, blue: 0.02 },
});
assessAll(rules, facts.slice(0, 20_000)); // warm-up
const heapBefore = process.memoryUsage().heapUsed;
const baseline = assessAll(baselineRules, facts);
const real = assessAll(rules, facts);
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
const share = (c: LaneCounts, l: keyof LaneCounts) =>
  `${((c[l] / ASSESSMENTS) * 100).toFixed(1)} %`;
console.log(
  `\nRisk assessment in-process: ${ASSESSMENTS.toLocaleString('en')} declarations' facts (1-5 goods items each, 20 % AEO holders), lane counts carried over; Node ${process.version}`,
);
console.log(
  '| rule set | assessments/s | rule hits per declaration | green | yellow | blue | red |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [name, r] of [
  ['baseline: no criteria (random rate and top-up only)', baseline],
  ['60 rules of every kind, 2,000 AEOs', real],
] as const)
  console.log(
    `| ${name} | ${r.perS.toFixed(0)} | ${r.hitsPer.toFixed(2)} | ${share(r.counts, 'green')} | ${share(r.counts, 'yellow')} | ${share(r.counts, 'blue')} | ${share(r.counts, 'red')} |`,
  );
console.log(`\nheap growth over both runs (facts kept in memory): ${heapMb.toFixed(1)} MB`);

// ---------------------------------------------------------------------------------------------
// Submissions through the API on PostgreSQL

const DB = 'corridor_bench_customs';
const dbUrl = databaseUrl(DB);
const env = {
  ...process.env,
  DATABASE_URL: dbUrl,
  LOG_LEVEL: 'warn',
  CORRIDOR_WRITE_PER_MINUTE: '1000000',
};

await sql(ADMIN_URL, `drop database if exists "${DB}" with (force)`);
await sql(ADMIN_URL, `create database "${DB}"`);
const shipperKey = await apiKeyOf(env, [
  '--name',
  'Bench Exporter',
  '--kind',
  'shipper',
  '--country',
  'CN',
]);
const cnKey = await apiKeyOf(env, [
  '--name',
  'CN customs',
  '--kind',
  'customs',
  '--country',
  'CN',
  '--office',
  'CNHRS001=Khorgos customs',
]);
await apiKeyOf(env, [
  '--name',
  'KZ customs',
  '--kind',
  'customs',
  '--country',
  'KZ',
  '--office',
  'KZAAU001=Aktau port customs',
]);

const { server, url } = await serve(env);
const serverRssMb = () => rssMb(server.pid);

try {
  // China's rule set, as published by its administrators (the same one as in-process).
  const published = await fetch(`${url}/v1/customs/rule-sets/CN`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${cnKey}` },
    body: JSON.stringify(rules),
  });
  if (!published.ok) throw new Error(`rule set: ${published.status} ${await published.text()}`);
  let n = 0;
  const declaration = (lrn: string) =>
    JSON.stringify({
      lrn,
      holder: {
        name: 'Bench Exporter',
        identificationNumber: `CN${lrn.replace(/\D/g, '')}`,
        country: 'CN',
      },
      guarantee: { reference: 'GRN1', amount: 50_000, currency: 'USD' },
      consignments: [
        {
          consignor: { name: `Consignor ${n % 5000}`, country: 'CN' },
          consignee: { name: 'Baku Trading LLC', country: 'AZ' },
          goodsItems: [
            {
              hsCode: HS[n % HS.length],
              description: 'goods',
              packages: { count: 10, kind: 'CT' },
              grossMassKg: 1200,
              netMassKg: 1000,
              value: 20_000 + (n % 100) * 1000,
              currency: 'USD',
              countryOfOrigin: 'CN',
            },
          ],
        },
      ],
      containers: [{ equipmentReference: 'CSQU3054383', seals: ['S1'] }],
      itinerary: [
        { country: 'CN', regime: 'export', office: 'CNHRS001' },
        { country: 'KZ', regime: 'eaeu_transit', office: 'KZAAU001' },
      ],
    });
  const run = (requests: autocannon.Request[]) =>
    autocannon({ url, connections: 20, duration: DURATION, requests });
  await autocannon({
    url,
    connections: 20,
    duration: 3,
    requests: [{ method: 'GET', path: '/readyz' }],
  });
  const base = await run([{ method: 'GET', path: '/readyz' }]);
  const baseRss = serverRssMb();
  const lodged = await run([
    {
      method: 'POST',
      path: '/v1/customs/declarations',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shipperKey}` },
      setupRequest: (req) => ({ ...req, body: declaration(`B${++n}`) }),
    },
  ]);
  const lodgedRss = serverRssMb();
  const [counts] = await sql<{ declarations: string; assessed: string; audit: string }>(
    dbUrl,
    `select (select count(*) from customs_declarations) as declarations, (select count(*) from customs_segments where lane is not null) as assessed, (select count(*) from customs_audit) as audit`,
  );
  const verify = await promisify(execFile)(process.execPath, [BIN, 'audit', 'verify'], { env });
  console.log(
    `\nDeclaration submissions on PostgreSQL: autocannon, 20 connections, ${DURATION} s; each lodges a CN→KZ declaration (one goods item, one container) and is risk-assessed for both countries in the request (China under the 60-rule set above), with its audit records; Node ${process.version}`,
  );
  console.log('| scenario | req/s | p50 ms | p99 ms | 2xx | non-2xx | server RSS MB after |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| baseline: GET /readyz (one database round trip) | ${base.requests.average.toFixed(0)} | ${base.latency.p50} | ${base.latency.p99} | ${base['2xx']} | ${base.non2xx} | ${baseRss} |`,
  );
  console.log(
    `| POST /v1/customs/declarations | ${lodged.requests.average.toFixed(0)} | ${lodged.latency.p50} | ${lodged.latency.p99} | ${lodged['2xx']} | ${lodged.non2xx} | ${lodgedRss} |`,
  );
  console.log(
    `\nafter the run: ${counts!.declarations} declarations, ${counts!.assessed} segments assessed, ${counts!.audit} audit records; ${verify.stdout.trim()}`,
  );
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  await sql(ADMIN_URL, `drop database if exists "${DB}" with (force)`);
}
