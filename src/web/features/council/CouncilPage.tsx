import { useEffect, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { simulationSchema } from '../../../api/simulations.ts';
import { BarChart, LineChart } from '../../components/charts.tsx';
import { LANE_COLOURS, Loading, Problem } from '../../components/common.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { placeShortName } from '../../i18n/place-names.ts';
import { answer, client } from '../../lib/api.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import type { MessageKey } from '../../i18n/en.ts';
import {
  ListToolbar,
  useListTools,
  type ListColumn,
  type SortOption,
} from '../../components/list-tools.tsx';
import { useNetwork } from '../map/network.ts';
import { DwellModelsPanel } from './DwellModelsPanel.tsx';

type Simulation = z.infer<typeof simulationSchema>;

interface Kpis {
  volumes: { week: string; segment: string; teu: number }[];
  transit: { from: string; to: string; shipments: number; p50Days: number; p90Days: number }[];
  dwell: {
    location: string;
    operation: string;
    visits: number;
    p50Hours: number;
    p90Hours: number;
  }[];
  borders: {
    border: string;
    location: string;
    crossings: number;
    p50Hours: number;
    p90Hours: number;
  }[];
  onTime: { shipments: number; onTime: number; share: number | null };
  emissions: { shipments: number; gCo2ePerTeuKm: number | null };
  carecReference: { railTimeToCrossHours: number };
  customs: { rows: { office: string; lane: string; share: number; segments: number }[] } | null;
}

interface SimResult {
  summary: Record<string, { mean: number; ci95: number }>;
  series: Record<string, number[]>;
  resources: { id: string; name: string; type: string }[];
}

/** Scenario colours: the first blue, a compared one neutral grey (neither reads as good or bad). */
const SCENARIO_COLOURS = ['#0b5cad', '#5f6b7a'];
/** Resource lines within one chart. */
const PALETTE = ['#0b5cad', '#1b7f3b', '#6a1b9a', '#8a6d00', '#00695c', '#5f6b7a'];

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export default function CouncilPage() {
  const { t } = useI18n();
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 90 * 86_400_000)));
  const [to, setTo] = useState(() => isoDay(new Date(Date.now() + 90 * 86_400_000)));
  return (
    <section>
      <h1>{t('council.title')}</h1>
      <fieldset className="inline">
        <legend>{t('council.period')}</legend>
        <input
          type="date"
          aria-label="from"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
        <input type="date" aria-label="to" value={to} onChange={(e) => setTo(e.target.value)} />
      </fieldset>
      <KpiPanel from={from} to={to} />
      <DwellModelsPanel />
      <SimulationPanel />
    </section>
  );
}

function KpiPanel({ from, to }: { from: string; to: string }) {
  const { t, number, language } = useI18n();
  const network = useNetwork();
  /** A place by its short name, whether the figures name it by node id or UN/LOCODE. */
  const place = (id: string) => {
    const node = network?.byId.get(id) ?? network?.nodes.find((n) => n.unLocode === id);
    return node ? placeShortName(language, node) : id;
  };
  // Stands in a row at one place come as one figure ("port_handling+ferry_waiting"), each
  // named; an operation the messages do not name yet reads as the platform sends it.
  const operation = (op: string) =>
    op
      .split('+')
      .map((o) => t(`operation.${o}` as MessageKey) || o)
      .join(' + ');
  const { data, error } = useApi<Kpis>(`/v1/analytics/kpis?from=${from}&to=${to}`);
  const weeks = new Map<string, number>();
  for (const v of data?.volumes ?? []) weeks.set(v.week, Math.max(weeks.get(v.week) ?? 0, v.teu));
  const lanes = new Map<string, number>();
  for (const r of data?.customs?.rows ?? [])
    if (r.lane !== 'all') lanes.set(r.lane, (lanes.get(r.lane) ?? 0) + r.segments);
  const laneTotal = [...lanes.values()].reduce((a, b) => a + b, 0);
  return (
    <>
      <Problem error={error} />
      <Loading when={data}>
        {data && (
          <>
            <div className="kpi-cards">
              <div className="card kpi">
                <span>{t('council.onTime')}</span>
                <strong>
                  {data.onTime.share === null ? '—' : `${number(data.onTime.share * 100)} %`}
                </strong>
                <small>n = {data.onTime.shipments}</small>
              </div>
              <div className="card kpi">
                <span>{t('council.transit')} P50</span>
                <strong>{data.transit[0] ? `${number(data.transit[0].p50Days, 1)} d` : '—'}</strong>
                <small>
                  {data.transit.length} {t('council.pairs')}
                </small>
              </div>
              <div className="card kpi">
                <span>{t('council.emissions')}</span>
                <strong>
                  {data.emissions.gCo2ePerTeuKm === null
                    ? '—'
                    : `${number(data.emissions.gCo2ePerTeuKm, 1)} g`}
                </strong>
                <small>n = {data.emissions.shipments}</small>
              </div>
              <div className="card kpi">
                <span>{t('council.borders')}</span>
                <strong>
                  {data.borders[0] ? `${number(data.borders[0].p50Hours, 1)} h` : '—'}
                </strong>
                <small>
                  {t('council.carec', { hours: data.carecReference.railTimeToCrossHours })}
                </small>
              </div>
            </div>
            <div className="charts">
              <BarChart
                format={(x) => number(x)}
                title={t('council.volumes')}
                rows={[...weeks].map(([week, teu]) => ({ label: week, value: teu }))}
              />
              <BarChart
                title={`${t('council.transit')} P90`}
                unit=" d"
                format={(x) => number(x, 1)}
                rows={data.transit.map((x) => ({
                  label: `${place(x.from)} → ${place(x.to)}`,
                  value: x.p90Days,
                }))}
              />
              <BarChart
                title={`${t('council.dwell')} P50`}
                unit=" h"
                format={(x) => number(x, 1)}
                rows={data.dwell.map((x) => ({
                  label: `${place(x.location)}: ${operation(x.operation)}`,
                  value: x.p50Hours,
                }))}
              />
              <BarChart
                title={`${t('council.borders')} P50`}
                unit=" h"
                format={(x) => number(x, 1)}
                rows={data.borders.map((x) => ({
                  label: `${place(x.location)} (${x.border})`,
                  value: x.p50Hours,
                }))}
              />
              {laneTotal > 0 && (
                <BarChart
                  title={t('council.lanes')}
                  unit=" %"
                  rows={[...lanes].map(([lane, n]) => ({
                    label: t(`lane.${lane}` as 'lane.green'),
                    value: (100 * n) / laneTotal,
                    colour: LANE_COLOURS[lane],
                  }))}
                />
              )}
            </div>
            <KpiTable
              rows={[
                ...data.transit.map((x) => ({
                  kind: t('council.transit'),
                  what: `${place(x.from)} → ${place(x.to)}`,
                  n: x.shipments,
                  p50: x.p50Days,
                  p90: x.p90Days,
                  unit: 'd' as const,
                })),
                ...data.dwell.map((x) => ({
                  kind: t('council.dwell'),
                  what: `${place(x.location)}: ${operation(x.operation)}`,
                  n: x.visits,
                  p50: x.p50Hours,
                  p90: x.p90Hours,
                  unit: 'h' as const,
                })),
                ...data.borders.map((x) => ({
                  kind: t('council.borders'),
                  what: `${place(x.location)} (${x.border})`,
                  n: x.crossings,
                  p50: x.p50Hours,
                  p90: x.p90Hours,
                  unit: 'h' as const,
                })),
              ]}
            />
          </>
        )}
      </Loading>
    </>
  );
}

interface KpiRow {
  kind: string;
  what: string;
  n: number;
  p50: number;
  p90: number;
  unit: 'd' | 'h';
}

/** Every KPI figure of the period as one list: searched, filtered by kind, sorted, exported. */
function KpiTable({ rows }: { rows: KpiRow[] }) {
  const { t, number } = useI18n();
  const columns: ListColumn<KpiRow>[] = [
    { label: t('council.kpi'), text: (r) => r.kind },
    { label: t('council.where'), text: (r) => r.what },
    { label: 'n', text: (r) => String(r.n) },
    { label: 'P50', text: (r) => `${number(r.p50, 1)} ${r.unit}` },
    { label: 'P90', text: (r) => `${number(r.p90, 1)} ${r.unit}` },
  ];
  const sorts: SortOption<KpiRow>[] = [
    { key: 'kind', label: t('council.kpi'), compare: () => 0 },
    { key: 'p90', label: 'P90', compare: (a, b) => b.p90 - a.p90 },
    { key: 'n', label: 'n', compare: (a, b) => b.n - a.n },
  ];
  const kinds = [...new Set(rows.map((r) => r.kind))];
  const filter = {
    label: t('council.kpi'),
    options: kinds.map((k) => ({ value: k, label: k })),
    valueOf: (r: KpiRow) => r.kind,
  };
  const tools = useListTools({ rows, columns, sorts, filter });
  if (rows.length === 0) return <p className="muted">{t('chart.empty')}</p>;
  return (
    <section className="card">
      <h2>{t('council.figures')}</h2>
      <ListToolbar
        name={t('council.figures')}
        tools={tools}
        total={rows.length}
        columns={columns}
        sorts={sorts}
        filter={filter}
      />
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('council.figures')}>
        <table data-testid="kpi-table">
          <caption>{t('council.figures')}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.label} scope="col">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {tools.shown.map((r, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c.label}>{c.text(r)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function SimulationPanel() {
  const { t, number } = useI18n();
  const { data: shipped } = useApi<{
    scenarios: ({ file: string; name: string } & Record<string, unknown>)[];
  }>('/v1/simulations/scenarios');
  const [file, setFile] = useState('base.json');
  const [compareWith, setCompareWith] = useState('');
  const [days, setDays] = useState(120);
  const [runs, setRuns] = useState(3);
  const [changes, setChanges] = useState('');
  const [ids, setIds] = useState<string[]>([]);
  const [sims, setSims] = useState<Simulation[]>([]);
  const [error, setError] = useState<Error | null>(null);

  useEffect(() => {
    if (ids.length === 0) return;
    let live = true;
    const poll = async () => {
      const got = await Promise.all(
        ids.map((id) =>
          answer(
            client.GET('/v1/simulations/{simulationId}', {
              params: { path: { simulationId: id } },
            }),
          ),
        ),
      );
      if (!live) return;
      setSims(got);
      if (got.some((s) => s.state === 'running')) setTimeout(() => void poll(), 500);
    };
    void poll().catch((e: unknown) => setError(e as Error));
    return () => {
      live = false;
    };
  }, [ids]);

  // A shipped scenario is sent whole, as the platform serves it.
  const scenarioOf = (f: string) => {
    const { file: _file, ...scenario } = shipped!.scenarios.find((s) => s.file === f)!;
    return scenario;
  };
  const starting = useAction();
  const run = (e: FormEvent) => {
    e.preventDefault();
    if (starting.pending) return;
    setError(null);
    setSims([]);
    const files = compareWith ? [file, compareWith] : [file];
    // The first scenario with the changes typed in, on top of the shipped one.
    const edited = (f: string, i: number) => {
      if (i > 0 || !changes.trim()) return scenarioOf(f);
      return {
        name: `${String(scenarioOf(f).name)} (changed)`,
        base: f,
        changes: JSON.parse(changes) as unknown,
      };
    };
    void starting.run(() =>
      Promise.resolve()
        .then(() =>
          Promise.all(
            files.map((f, i) =>
              answer(
                client.POST('/v1/simulations', {
                  body: { scenario: edited(f, i), days, runs, seed: 1 },
                }),
              ),
            ),
          ),
        )
        .then((started) => setIds(started.map((s) => s.id)))
        .catch((err: unknown) => setError(err as Error)),
    );
  };
  const done = sims.length > 0 && sims.every((s) => s.state === 'done');
  const results = done ? sims.map((s) => s.result as SimResult) : [];
  const figure = (r: SimResult, key: string) => r.summary[key]?.mean ?? 0;
  const ci = (r: SimResult, key: string) => r.summary[key]?.ci95;
  /** "CASPIAN_FEEDERS mean wait h" as "Caspian feeders: mean wait". */
  const keyTitle = (k: string) => {
    const [id] = k.split(' ');
    const named = results[0]?.resources.find((x) => x.id === id);
    return named ? `${named.name}: ${t('council.meanWait')}` : k;
  };
  const queueMax = Math.max(
    1,
    ...results.flatMap((r) =>
      r.resources.filter((x) => x.type !== 'train').flatMap((x) => r.series[x.id] ?? []),
    ),
  );
  const keys = results[0]
    ? Object.keys(results[0].summary).filter((k) =>
        / wait h$|throughput TEU|transit P90 days$/.test(k),
      )
    : [];
  return (
    <section className="card">
      <h2>{t('council.simulation')}</h2>
      <form onSubmit={run} className="planner-form">
        <label>
          {t('council.scenario')}
          <select value={file} onChange={(e) => setFile(e.target.value)} data-testid="sim-scenario">
            {(shipped?.scenarios ?? []).map((s) => (
              <option key={s.file} value={s.file}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('council.compare')}
          <select
            value={compareWith}
            onChange={(e) => setCompareWith(e.target.value)}
            data-testid="sim-compare"
          >
            <option value="">—</option>
            {(shipped?.scenarios ?? []).map((s) => (
              <option key={s.file} value={s.file}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('council.days')}
          <input
            type="number"
            min={1}
            max={3650}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          />
        </label>
        <label>
          {t('council.runs')}
          <input
            type="number"
            min={1}
            max={50}
            value={runs}
            onChange={(e) => setRuns(Number(e.target.value))}
          />
        </label>
        <label className="wide">
          {t('council.changes')}
          <textarea
            rows={3}
            value={changes}
            onChange={(e) => setChanges(e.target.value)}
            placeholder='[{ "op": "add_vessels", "resource": "CASPIAN_FEEDERS", "count": 1 }]'
            aria-describedby="changes-hint"
            spellCheck={false}
            className="code"
            data-testid="sim-changes"
          />
          <small id="changes-hint" className="muted">
            {t('council.changesHint')}
          </small>
        </label>
        <button type="submit" className="primary" data-testid="sim-run" disabled={starting.pending}>
          {t('council.run')}
        </button>
      </form>
      <Problem error={error} />
      {sims.map((s) => (
        <p key={s.id}>
          {s.scenario}: {t('council.progress')}{' '}
          <progress
            max={1}
            value={s.progress}
            aria-label={`${t('council.progress')} ${s.scenario}`}
          />{' '}
          {number(s.progress * 100)} % {s.state === 'failed' && s.error}
        </p>
      ))}
      {done && results[0] && (
        <div className="charts" data-testid="sim-charts">
          <BarChart
            title={t('council.throughput')}
            format={(x) => number(x)}
            rows={sims.map((s, i) => ({
              label: s.scenario,
              value: figure(results[i]!, 'throughput TEU'),
              ci: ci(results[i]!, 'throughput TEU'),
              colour: SCENARIO_COLOURS[i],
            }))}
          />
          {keys
            .filter((k) => k.endsWith('mean wait h'))
            .map((k) => (
              <BarChart
                key={k}
                title={keyTitle(k)}
                unit=" h"
                format={(x) => number(x, 1)}
                rows={sims.map((s, i) => ({
                  label: s.scenario,
                  value: figure(results[i]!, k),
                  ci: ci(results[i]!, k),
                  colour: SCENARIO_COLOURS[i],
                }))}
              />
            ))}
          {sims.map((s, i) => (
            <LineChart
              key={s.id}
              title={`${t('council.queues')}: ${s.scenario}`}
              max={queueMax}
              days={s.days}
              series={results[i]!.resources.filter((r) => r.type !== 'train').map((r, j) => ({
                label: r.name,
                values: results[i]!.series[r.id] ?? [],
                colour: PALETTE[j % PALETTE.length]!,
              }))}
            />
          ))}
        </div>
      )}
    </section>
  );
}
