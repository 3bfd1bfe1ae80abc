import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitDwellModels } from '../../src/core/learning/dwell-fit.ts';
import { simulate } from '../../src/core/simulation/corridor.ts';
import { summarise } from '../../src/core/simulation/runs.ts';
import {
  apiKeyCaller,
  callersOf,
  organisationWithPeople,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';

/** What-if simulations over HTTP: started in the background, followed, summed up. */
let server: TestServer;
let council: Caller;
let otherCouncil: Caller;
let shipper: Caller;

beforeAll(async () => {
  server = await testServer();
  council = await apiKeyCaller(server, { name: 'Council', kind: 'coordinator', country: 'KZ' });
  otherCouncil = await apiKeyCaller(server, { name: 'Other', kind: 'coordinator', country: 'AZ' });
  shipper = await apiKeyCaller(server, { name: 'Shipper', kind: 'shipper', country: 'CN' });
});
afterAll(() => server.close());

const call = (method: 'GET' | 'POST', url: string, who: Caller, payload?: unknown) =>
  server.app.inject({
    method,
    url,
    headers: who.headers,
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });

interface SimulationJson {
  id: string;
  state: string;
  progress: number;
  error: string | null;
  result: {
    summary: Record<string, { mean: number; ci95: number }>;
    series: Record<string, number[]>;
  } | null;
}

async function finished(id: string): Promise<{ final: SimulationJson; progress: number[] }> {
  const progress: number[] = [];
  for (let i = 0; i < 600; i++) {
    const res = await call('GET', `/v1/simulations/${id}`, council);
    const s = res.json<SimulationJson>();
    progress.push(s.progress);
    if (s.state !== 'running') return { final: s, progress };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('still running');
}

describe('simulations', () => {
  it('run a shipped scenario in the background, with progress, to the same summary as the engine', async () => {
    const list = await call('GET', '/v1/simulations/scenarios', council);
    const files = list.json<{ scenarios: { file: string }[] }>().scenarios.map((s) => s.file);
    expect(files).toEqual(expect.arrayContaining(['base.json', 'seventh-feeder.json']));

    const res = await call('POST', '/v1/simulations', council, {
      scenario: {
        name: 'base again',
        base: 'base.json',
        changes: [{ op: 'scale_demand', factor: 1 }],
      },
      days: 90,
      seed: 5,
      runs: 2,
    });
    expect(res.statusCode, res.body).toBe(202);
    const started = res.json<SimulationJson>();
    expect(res.headers.location).toBe(`/v1/simulations/${started.id}`);
    expect(started.state).toBe('running');
    const { final, progress } = await finished(started.id);
    expect(final.state, final.error ?? '').toBe('done');
    expect(final.progress).toBe(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);

    const base = server.simulations.bases.get('base.json')!;
    const expected = summarise([
      simulate(base, { days: 90, seed: 5 }),
      simulate(base, { days: 90, seed: 6 }),
    ]);
    const key = "China (Xi'an) → Baku: transit P50 days";
    expect(final.result!.summary[key]!.mean).toBeCloseTo(expected.get(key)!.mean, 9);
    expect(final.result!.series.CASPIAN_FEEDERS).toHaveLength(90);
  });

  it('refuse a scenario that does not fit, naming where', async () => {
    const bad = await call('POST', '/v1/simulations', council, {
      scenario: {
        name: 'x',
        base: 'base.json',
        changes: [{ op: 'add_vessels', resource: 'KHORGOS', count: 1 }],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      errors: [
        {
          path: 'body.scenario.changes.0.resource',
          message: 'KHORGOS is a terminal, not a vessel',
        },
      ],
    });
    const unknown = await call('POST', '/v1/simulations', council, {
      scenario: { name: 'x', base: 'mars.json', changes: [{ op: 'scale_demand', factor: 2 }] },
    });
    expect(unknown.json()).toMatchObject({ errors: [{ path: 'body.scenario.base' }] });
    const whole = await call('POST', '/v1/simulations', council, {
      scenario: { name: 'x', resources: {}, demand: [] },
    });
    expect(whole.statusCode).toBe(400);
    expect(whole.json<{ errors: { path: string }[] }>().errors[0]!.path).toMatch(
      /^body\.scenario\./,
    );
  });

  it("are for the council and the platform's admins; each organisation sees its own", async () => {
    const platform = await organisationWithPeople(server, {
      name: 'Platform',
      kind: 'platform',
      country: 'AZ',
    });
    const [platformAdmin, platformMember] = await callersOf(server, platform);
    expect([platformAdmin!.role, platformMember!.role]).toEqual(['admin', 'member']);
    const start = (who: Caller) =>
      call('POST', '/v1/simulations', who, {
        scenario: { name: 'x', base: 'base.json', changes: [{ op: 'scale_demand', factor: 2 }] },
        days: 30,
        runs: 1,
      });
    for (const who of [shipper, platformMember!]) {
      const refused = await start(who);
      expect([refused.statusCode, refused.json<{ detail: string }>().detail], who.label).toEqual([
        403,
        "simulations are for the coordinating council and the platform's admins",
      ]);
    }
    expect((await start(platformAdmin!)).statusCode).toBe(202);
    const mine = await call('GET', '/v1/simulations', council);
    const id = mine.json<{ simulations: { id: string }[] }>().simulations[0]!.id;
    expect((await call('GET', `/v1/simulations/${id}`, otherCouncil)).statusCode).toBe(404);
    expect((await call('GET', `/v1/simulations/${id}`, shipper)).statusCode).toBe(404);
  });
});

describe('corridor KPIs', () => {
  it('show the council the whole corridor and an organisation only its own shipments', async () => {
    const other = await apiKeyCaller(server, {
      name: 'Other shipper',
      kind: 'shipper',
      country: 'CN',
    });
    const rides = [
      { tripId: 'SVC_XIAN_BAKU_BLOCK@2026-12-04T1200', from: 'CN_XIAN_ITL', to: 'KZ_AKTAU_PORT' },
    ];
    const ship = async (
      who: Caller,
      containers: { equipmentReference: string; ISOEquipmentCode: string }[],
    ) => {
      const res = await call('POST', '/v1/shipments', who, { rides, containers });
      expect(res.statusCode, res.body).toBe(201);
    };
    await ship(shipper, [
      { equipmentReference: 'MSKU1234565', ISOEquipmentCode: '45G1' },
      { equipmentReference: 'TGHU8765436', ISOEquipmentCode: '42G1' },
    ]);
    await ship(other, [{ equipmentReference: 'CSQU3054383', ISOEquipmentCode: '22G1' }]);
    const kpis = async (who: Caller) => {
      const res = await call('GET', '/v1/analytics/kpis?from=2026-11-01&to=2026-12-31', who);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{
        scope: string;
        volumes: { week: string; segment: string; teu: number }[];
      }>();
    };
    const segment = 'CN_XIAN_ITL → KZ_AKTAU_PORT';
    expect(await kpis(council)).toMatchObject({
      scope: 'corridor',
      volumes: [{ week: '2026-W49', segment, teu: 5 }],
    });
    expect(await kpis(shipper)).toMatchObject({
      scope: 'organisation',
      volumes: [{ segment, teu: 4 }],
    });
    expect((await kpis(other)).volumes).toEqual([{ week: '2026-W49', segment, teu: 1 }]);
    // The WCO release times and lane shares come to the council, not to a shipper.
    const whole = await call('GET', '/v1/analytics/kpis?from=2026-11-01&to=2026-12-31', council);
    expect(Array.isArray(whole.json<{ customs: { rows: unknown } }>().customs.rows)).toBe(true);
    expect(whole.json()).toMatchObject({
      carecReference: { railTimeToCrossHours: 40.6, costToCrossUsd: 215 },
    });
    const own = await call('GET', '/v1/analytics/kpis?from=2026-11-01&to=2026-12-31', shipper);
    expect(own.json()).toMatchObject({ customs: null });
    const filtered = async (query: string) => {
      const res = await call(
        'GET',
        `/v1/analytics/kpis?from=2026-11-01&to=2026-12-31&${query}`,
        council,
      );
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ volumes: { teu: number }[] }>().volumes;
    };
    expect(await filtered('corridor=middle')).toEqual([{ week: '2026-W49', segment, teu: 5 }]);
    expect(await filtered('corridor=northern')).toEqual([]);
    expect(await filtered('node=CN_KHORGOS')).toEqual([{ week: '2026-W49', segment, teu: 5 }]);
    expect(await filtered('node=GE_POTI_PORT')).toEqual([]);
    expect(await filtered('operator=ktz%20express')).toEqual([
      { week: '2026-W49', segment, teu: 5 },
    ]);
    expect(await filtered('operator=Georgian')).toEqual([]);
    const bad = await call('GET', '/v1/analytics/kpis?from=2026-13-01&to=2026-12-31', council);
    expect(bad.json()).toMatchObject({ errors: [{ path: 'query.from' }] });
    const noNode = await call(
      'GET',
      '/v1/analytics/kpis?from=2026-11-01&to=2026-12-31&node=XX_NOWHERE',
      council,
    );
    expect(noNode.statusCode).toBe(400);
    expect(noNode.json()).toMatchObject({ errors: [{ path: 'query.node' }] });
    const badCorridor = await call(
      'GET',
      '/v1/analytics/kpis?from=2026-11-01&to=2026-12-31&corridor=arctic',
      council,
    );
    expect(badCorridor.json()).toMatchObject({ errors: [{ path: 'query.corridor' }] });
  });
});

describe('simulations with the dwell models learnt on the platform', () => {
  it('run the terminals of the places learnt at the model in force, name its version, and keep the reference when told', async () => {
    // A learnt Aktau port handling three times the reference's (P50 14 h, P90 30 h).
    const ref = { nodeId: 'KZ_AKTAU_PORT', operation: 'port_handling', p50Hours: 14, p90Hours: 30 };
    const at = Date.parse('2026-10-01T00:00:00Z');
    const samples = Array.from({ length: 400 }, (_, i) => ({
      nodeId: ref.nodeId,
      operation: ref.operation,
      at: at + i * 3_600_000,
      hours: 42 * Math.exp(0.4 * Math.sin(i)),
      contributors: ['org_port'],
    }));
    const saved = await server.simulations.dwell!.models.save(
      {
        fittedAt: new Date(at),
        samples: samples.length,
        shipments: samples.length,
        period: { from: new Date(at), to: new Date(samples.at(-1)!.at) },
        models: fitDwellModels([ref], samples, { now: at }),
        linkSamples: 0,
        links: [],
      },
      () => [],
    );
    const run = async (dwell?: 'reference') => {
      const res = await call('POST', '/v1/simulations', council, {
        scenario: {
          name: 'base',
          base: 'base.json',
          ...(dwell ? { dwell } : {}),
          changes: [{ op: 'scale_demand', factor: 1 }],
        },
        days: 120,
        seed: 3,
        runs: 2,
      });
      expect(res.statusCode, res.body).toBe(202);
      const { final } = await finished(res.json<SimulationJson>().id);
      expect(final.state, final.error ?? '').toBe('done');
      return final.result as NonNullable<SimulationJson['result']> & {
        dwellModelVersion: number | null;
        dwellModels: { resource: string; p50Hours: number; p90Hours: number }[];
      };
    };
    const learnt = await run();
    const reference = await run('reference');
    expect(learnt.dwellModelVersion).toBe(saved!.version);
    expect(reference.dwellModelVersion).toBeNull();
    expect(reference.dwellModels).toEqual([]);
    // Only Aktau was learnt: Khorgos and Baku keep the scenario's times.
    expect(learnt.dwellModels.map((d) => d.resource)).toEqual(['AKTAU_PORT']);
    expect(learnt.dwellModels[0]!.p50Hours).toBeGreaterThan(35);
    const s = (r: typeof learnt, key: string) => r.summary[key]!.mean;
    expect(s(learnt, 'AKTAU_PORT: mean at resource')).toBeGreaterThan(
      2 * s(reference, 'AKTAU_PORT: mean at resource'),
    );
    const transit = "China (Xi'an) → Baku: transit P50 days";
    expect(s(learnt, transit)).toBeGreaterThan(s(reference, transit) + 0.5);
  });
});
