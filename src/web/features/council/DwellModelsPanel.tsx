import { useState } from 'react';
import type { z } from 'zod';
import type { dwellModelsSchema } from '../../../api/dwell-models.ts';
import { Loading, Problem } from '../../components/common.tsx';
import {
  ListToolbar,
  useListTools,
  type ListColumn,
  type SortOption,
} from '../../components/list-tools.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { placeShortName } from '../../i18n/place-names.ts';
import { api } from '../../lib/api.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useNetwork } from '../map/network.ts';

type Models = z.infer<typeof dwellModelsSchema>;
type Model = Models['models'][number];

/**
 * The dwell models the planner, the ETA and the simulation use, learnt from the stands entitled
 * publishers reported, each beside the reference it started from: how many stands moved it, how
 * far, whether it left the reference's range, and who contributed. The council (and platform
 * admins, the only others who open this page) refit, freeze and unfreeze.
 */
export function DwellModelsPanel() {
  const { t, number, locale, dateTime, language } = useI18n();
  const network = useNetwork();
  const [month, setMonth] = useState<number | null>(null);
  const { data, error, reload } = useApi<Models>('/v1/models/dwell');
  const acting = useAction();
  const [actionError, setActionError] = useState<Error | null>(null);
  const shownMonth = month ?? data?.monthInForce ?? 0;
  const monthName = (m: number) =>
    m === 0
      ? t('models.wholeYear')
      : new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }).format(
          new Date(Date.UTC(2026, m - 1, 15)),
        );
  const place = (id: string) => {
    const node = network?.byId.get(id);
    return node ? placeShortName(language, node) : id;
  };
  const operation = (op: string) => t(`operation.${op}` as MessageKey) || op;
  const hours = (p: { p50Hours: number; p90Hours: number } | null) =>
    p ? `${number(p.p50Hours, 1)} / ${number(p.p90Hours, 1)} h` : '—';
  const drift = (m: Model) =>
    m.drift === 'slower'
      ? t('models.slower')
      : m.drift === 'faster'
        ? t('models.faster')
        : t('models.withinRange');
  const rows = (data?.models ?? []).filter((m) => m.month === shownMonth);
  const columns: ListColumn<Model>[] = [
    { label: t('council.where'), text: (m) => place(m.nodeId) },
    { label: t('models.operation'), text: (m) => operation(m.operation) },
    { label: t('models.reference'), text: (m) => hours(m.reference) },
    { label: t('models.observed'), text: (m) => hours(m.observed) },
    { label: t('models.inForce'), text: (m) => hours(m.frozen ?? m.inForce) },
    { label: t('models.samples'), text: (m) => String(m.samples) },
    {
      label: t('models.weight'),
      text: (m) => `${number(m.observationWeight * 100)} %`,
    },
    { label: t('models.drift'), text: drift },
    {
      label: t('models.frozen'),
      text: (m) => (m.frozen ? t('models.frozenYes') : t('models.frozenNo')),
    },
  ];
  const sorts: SortOption<Model>[] = [
    {
      key: 'shift',
      label: t('models.byShift'),
      compare: (a, b) => shift(b) - shift(a),
    },
    { key: 'samples', label: t('models.samples'), compare: (a, b) => b.samples - a.samples },
    {
      key: 'place',
      label: t('council.where'),
      compare: (a, b) => a.nodeId.localeCompare(b.nodeId),
    },
  ];
  const filter = {
    label: t('models.drift'),
    options: [
      { value: 'slower', label: t('models.slower') },
      { value: 'faster', label: t('models.faster') },
      { value: 'none', label: t('models.withinRange') },
    ],
    valueOf: (m: Model) => m.drift ?? 'none',
  };
  const tools = useListTools({ rows, columns, sorts, filter });

  const act = (method: string, path: string) =>
    void acting.run(() =>
      api(method, path)
        .then(() => (setActionError(null), reload()))
        .catch((e: unknown) => setActionError(e as Error)),
    );
  const freezePath = (m: Model) =>
    `/v1/models/dwell/${encodeURIComponent(m.nodeId)}/${m.operation}/freeze`;

  return (
    <section className="card" aria-labelledby="dwell-models-title" data-testid="dwell-models">
      <h2 id="dwell-models-title">{t('models.title')}</h2>
      <Problem error={error ?? actionError} />
      <Loading when={data}>
        {data && (
          <>
            <p data-testid="dwell-models-summary">
              {data.version === null
                ? t('models.none')
                : t('models.summary', {
                    version: data.version,
                    samples: data.samples,
                    shipments: data.shipments,
                    fitted: data.fittedAt ? dateTime(data.fittedAt) : '—',
                  })}
            </p>
            <div className="inline">
              <label>
                {t('models.month')}
                <select
                  value={shownMonth}
                  onChange={(e) => setMonth(Number(e.target.value))}
                  data-testid="dwell-models-month"
                >
                  {Array.from({ length: 13 }, (_, m) => (
                    <option key={m} value={m}>
                      {monthName(m)}
                      {m === data.monthInForce ? ` (${t('models.now')})` : ''}
                    </option>
                  ))}
                </select>
              </label>
              {
                <button
                  type="button"
                  disabled={acting.pending}
                  onClick={() => act('POST', '/v1/models/dwell/refit')}
                  data-testid="dwell-models-refit"
                >
                  {t('models.refit')}
                </button>
              }
            </div>
            <ListToolbar
              name={t('models.title')}
              tools={tools}
              total={rows.length}
              columns={columns}
              sorts={sorts}
              filter={filter}
            />
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('models.title')}>
              <table data-testid="dwell-models-table">
                <caption>{t('models.caption', { month: monthName(shownMonth) })}</caption>
                <thead>
                  <tr>
                    {columns.map((c) => (
                      <th key={c.label} scope="col">
                        {c.label}
                      </th>
                    ))}
                    <th scope="col">{t('models.contributions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {tools.shown.map((m) => (
                    <tr
                      key={`${m.nodeId} ${m.operation}`}
                      className={m.drift ? 'drift' : undefined}
                    >
                      {columns.map((c) => (
                        <td key={c.label}>{c.text(m)}</td>
                      ))}
                      {
                        <td>
                          <Contributions model={m} />
                          {m.frozen ? (
                            <button
                              type="button"
                              disabled={acting.pending}
                              onClick={() => act('DELETE', freezePath(m))}
                            >
                              {t('models.unfreeze')}
                            </button>
                          ) : (
                            <button
                              type="button"
                              disabled={acting.pending}
                              onClick={() => act('PUT', freezePath(m))}
                            >
                              {t('models.freeze')}
                            </button>
                          )}
                        </td>
                      }
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Loading>
    </section>
  );
}

/** How far the model in force moved from the reference, on the log scale of its P50. */
function shift(m: Model): number {
  const now = m.frozen ?? m.inForce;
  return Math.abs(Math.log(Math.max(now.p50Hours, 0.01) / Math.max(m.reference.p50Hours, 0.01)));
}

function Contributions({ model }: { model: Model }) {
  const { t, number } = useI18n();
  const rows = model.contributions ?? [];
  if (rows.length === 0) return <span className="muted">{t('models.noContributions')} </span>;
  return (
    <details>
      <summary>{t('models.contributors', { count: rows.length })}</summary>
      <ul>
        {rows.map((c) => (
          <li key={c.organisationId} title={c.organisationId}>
            {c.organisationName}: {c.samples} ({number(c.share * 100)} %, {t('models.trafficShare')}{' '}
            {number(c.trafficShare * 100)} %)
            {c.capped ? ` — ${t('models.capped')}` : ''}
          </li>
        ))}
      </ul>
    </details>
  );
}
