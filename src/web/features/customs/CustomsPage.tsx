import { useState } from 'react';
import type { z } from 'zod';
import type { declarationSchema, releaseTimesSchema } from '../../../api/customs.ts';
import { useSignedIn } from '../../app/session.tsx';
import { Lane, LANE_COLOURS, Loading, Problem, Time } from '../../components/common.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { api } from '../../lib/api.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { BarChart } from '../../components/charts.tsx';
import { RuleSetPanel } from './RuleSetPanel.tsx';

type Declaration = z.infer<typeof declarationSchema>;
type Segment = Declaration['segments'][number];
type ReleaseTimes = z.infer<typeof releaseTimesSchema>;

interface Decision {
  lane: string;
  by: string;
  aeo: boolean;
  hits: { ruleId: string; lane: string; probability: number; selected: boolean }[];
  random: { rate: number; selected: boolean };
}

const LANE_ORDER = ['red', 'yellow', 'blue', 'green'];

/** Why a segment is in its lane, from its recorded risk decision. */
function reasons(s: Segment, t: ReturnType<typeof useI18n>['t']): string {
  const d = s.decision as Decision | undefined;
  if (!d) return '';
  const hits = d.hits.filter((h) => h.selected).map((h) => `${h.ruleId} → ${h.lane}`);
  const parts = [...hits];
  if (d.by === 'random') parts.push(t('customs.random', { rate: Math.round(d.random.rate * 100) }));
  if (d.by === 'top-up') parts.push(t('customs.topUp'));
  if (d.aeo) parts.push(t('customs.aeo'));
  if (parts.length === 0) parts.push(t('customs.noRule'));
  return parts.join('; ');
}

export default function CustomsPage() {
  const { t } = useI18n();
  const session = useSignedIn();
  const offices = session.organisation.customsOffices;
  const [office, setOffice] = useState(offices[0]?.code ?? '');
  const { data, error, reload } = useApi<{ declarations: Declaration[] }>(
    office ? `/v1/customs/queue?office=${office}` : null,
    10_000,
  );
  const [actionError, setActionError] = useState<Error | null>(null);
  const country = session.organisation.country;
  const { pending, run } = useAction();
  const act = (id: string, body: unknown) =>
    run(() =>
      api('POST', `/v1/customs/declarations/${id}/segments/${country}/actions`, body)
        .then(() => (setActionError(null), reload()))
        .catch((e: unknown) => setActionError(e as Error)),
    );
  const rows = (data?.declarations ?? [])
    .map((d) => ({ d, s: d.segments.find((x) => x.office === office) ?? d.segments[0]! }))
    .sort((a, b) => (a.s.etaAt ?? '').localeCompare(b.s.etaAt ?? ''));
  return (
    <section>
      <h1>{t('customs.title')}</h1>
      <label>
        {t('customs.office')}{' '}
        <select value={office} onChange={(e) => setOffice(e.target.value)}>
          {offices.map((o) => (
            <option key={o.code} value={o.code}>
              {o.code} · {o.name}
            </option>
          ))}
        </select>
      </label>
      <Problem error={error ?? actionError} />
      <h2>{t('customs.queue')}</h2>
      <Loading when={data}>
        {rows.length === 0 ? (
          <p>{t('customs.empty')}</p>
        ) : (
          <ul className="queue" data-testid="customs-queue">
            {rows.map(({ d, s }) => (
              <li
                key={d.id}
                className={`card lane-border-${s.lane ?? 'none'}`}
                data-testid="queue-item"
                data-mrn={d.mrn}
              >
                <h3>
                  {d.mrn} · <Lane lane={s.lane} /> ·{' '}
                  <span className="state" data-state={s.state}>
                    {t(`segmentState.${s.state}`)}
                  </span>
                </h3>
                <p>
                  ETA <Time iso={s.etaAt} /> · {s.regime}
                </p>
                <p>
                  <strong>{t('customs.reasons')}:</strong> {reasons(s, t)}
                </p>
                {s.note && <p className="notice">{s.note}</p>}
                <DeclarationDetail data={d.declaration as DeclarationData | undefined} />
                <SegmentActions
                  segment={s}
                  mrn={d.mrn}
                  busy={pending}
                  onAct={(body) => act(d.id, body)}
                />
              </li>
            ))}
          </ul>
        )}
      </Loading>
      <ReleaseTimesTable country={country} />
      <RuleSetPanel country={country} admin={session.user.role === 'admin'} />
    </section>
  );
}

interface DeclarationData {
  holder: { name: string; identificationNumber: string; country: string };
  guarantee: { reference: string; amount: number; currency: string };
  consignments: {
    consignor: { name: string; country: string };
    consignee: { name: string; country: string };
    goodsItems: {
      hsCode: string;
      description: string;
      grossMassKg: number;
      value?: number;
      currency?: string;
      countryOfOrigin?: string;
    }[];
  }[];
  containers?: { equipmentReference: string; seals: string[] }[];
  documents?: { type: string; reference: string }[];
}

/** What was declared: holder, guarantee, parties, goods, containers and seals, documents. */
function DeclarationDetail({ data }: { data: DeclarationData | undefined }) {
  const { t, number } = useI18n();
  if (!data) return null;
  return (
    <details>
      <summary>{t('customs.declaration')}</summary>
      <dl className="facts">
        <dt>{t('customs.guarantee')}</dt>
        <dd>
          {data.holder.name} ({data.holder.identificationNumber}) · {data.guarantee.reference} ·{' '}
          {number(data.guarantee.amount)} {data.guarantee.currency}
        </dd>
        {data.consignments.map((c, i) => (
          <div key={i} className="contents">
            <dt>{t('customs.parties')}</dt>
            <dd>
              {c.consignor.name} ({c.consignor.country}) → {c.consignee.name} ({c.consignee.country}
              )
            </dd>
            <dt>{t('customs.goods')}</dt>
            <dd>
              <ul>
                {c.goodsItems.map((g, j) => (
                  <li key={j}>
                    HS {g.hsCode} · {g.description} · {number(g.grossMassKg)} kg
                    {g.value !== undefined && ` · ${number(g.value)} ${g.currency ?? ''}`}
                    {g.countryOfOrigin && ` · ${g.countryOfOrigin}`}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        ))}
        {data.containers && data.containers.length > 0 && (
          <>
            <dt>{t('customs.seals')}</dt>
            <dd>
              {data.containers
                .map((c) => `${c.equipmentReference}: ${c.seals.join(', ') || '—'}`)
                .join('; ')}
            </dd>
          </>
        )}
        {data.documents && data.documents.length > 0 && (
          <>
            <dt>{t('nav.documents')}</dt>
            <dd>{data.documents.map((x) => `${x.type} ${x.reference}`).join(', ')}</dd>
          </>
        )}
      </dl>
    </details>
  );
}

function SegmentActions({
  segment,
  mrn,
  busy,
  onAct,
}: {
  segment: Segment;
  mrn: string;
  /** An action of the desk is on its way: the buttons wait for it. */
  busy: boolean;
  onAct: (body: unknown) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [sealsIntact, setSealsIntact] = useState(true);
  const state = segment.state;
  const open = !['released', 'exited', 'discharged', 'refused', 'invalidated'].includes(state);
  if (!open) return null;
  const inspectionDue = segment.lane === 'red' || segment.lane === 'yellow';
  const inspected = (segment.inspections ?? []).length > 0;
  return (
    <div className="actions">
      {state === 'accepted' && (
        <button type="button" disabled={busy} onClick={() => void onAct({ type: 'assess' })}>
          {t('customs.assess')}
        </button>
      )}
      {segment.arrivedAt === null && state !== 'accepted' && (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void onAct({ type: 'arrive' })}
        >
          {t('customs.arrive')}
        </button>
      )}
      {segment.arrivedAt !== null && (!inspectionDue || inspected) && state !== 'accepted' && (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void onAct({ type: 'release' })}
        >
          {t('customs.release')}
        </button>
      )}
      {segment.arrivedAt !== null && inspectionDue && !inspected && (
        <>
          <label className="check">
            <input
              type="checkbox"
              checked={sealsIntact}
              onChange={(e) => setSealsIntact(e.target.checked)}
            />
            {t('customs.sealsIntact')}
          </label>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() =>
              void onAct({
                type: 'record_inspection',
                kind: segment.lane === 'red' ? 'physical' : 'scan',
                sealsIntact,
                discrepancies: [],
              })
            }
          >
            {t('customs.inspect')}
          </button>
        </>
      )}
      <label>
        {t('customs.note')}
        <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
      </label>
      <button
        type="button"
        disabled={busy || !note.trim()}
        onClick={() => void onAct({ type: 'request_documents', note })}
      >
        {t('customs.requestDocs')}
      </button>
      <ConfirmButton
        label={t('customs.hold')}
        question={t('confirm.hold', { mrn })}
        yes={t('confirm.holdYes')}
        disabled={busy || !note.trim()}
        onConfirm={() => void onAct({ type: 'hold', note })}
      />
    </div>
  );
}

function ReleaseTimesTable({ country }: { country: string }) {
  const { t, number } = useI18n();
  const { data } = useApi<ReleaseTimes>(`/v1/customs/release-times?country=${country}`);
  if (!data || data.rows.length === 0) return null;
  const rows = [...data.rows].sort(
    (a, b) =>
      a.office.localeCompare(b.office) || LANE_ORDER.indexOf(a.lane) - LANE_ORDER.indexOf(b.lane),
  );
  return (
    <div className="table-wrap" tabIndex={0}>
      <BarChart
        title={t('customs.releaseChart')}
        unit=" h"
        rows={rows
          .filter((r) => r.lane !== 'all' && r.arrivalToRelease.p50Hours !== null)
          .map((r) => ({
            label: `${r.office} ${t(`lane.${r.lane}` as 'lane.green')}`,
            value: r.arrivalToRelease.p50Hours!,
            colour: LANE_COLOURS[r.lane],
          }))}
      />
      <table>
        <caption>{t('customs.releaseTimes')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('customs.office')}</th>
            <th scope="col">{t('customs.lane')}</th>
            <th scope="col">n</th>
            <th scope="col">%</th>
            <th scope="col">P50 h</th>
            <th scope="col">P90 h</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.office}-${r.lane}`}>
              <th scope="row">{r.office}</th>
              <td>{r.lane === 'all' ? '∑' : <Lane lane={r.lane} />}</td>
              <td>{r.segments}</td>
              <td>{number(r.share * 100)}</td>
              <td>{r.arrivalToRelease.p50Hours ?? '—'}</td>
              <td>{r.arrivalToRelease.p90Hours ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
