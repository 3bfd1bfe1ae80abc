import { useState } from 'react';
import type { z } from 'zod';
import type { declarationSchema, releaseTimesSchema } from '../../../api/customs.ts';
import { useSignedIn } from '../../app/session.tsx';
import { Lane, LANE_COLOURS, Loading, Problem, Time } from '../../components/common.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import type { MessageKey } from '../../i18n/en.ts';
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
  hits: {
    ruleId: string;
    description?: string;
    lane: string;
    probability: number;
    selected: boolean;
  }[];
  random: { rate: number; selected: boolean };
}

const LANE_ORDER = ['red', 'yellow', 'blue', 'green'];

/** Why a segment is in its lane, from its recorded risk decision. */
function reasons(s: Segment, t: ReturnType<typeof useI18n>['t']): string {
  const d = s.decision as Decision | undefined;
  if (!d) return '';
  const hits = d.hits
    .filter((h) => h.selected)
    .map((h) => `${h.description ?? h.ruleId} → ${t(`lane.${h.lane}` as 'lane.green')}`);
  const parts = [...hits];
  if (d.by === 'random') parts.push(t('customs.random', { rate: Math.round(d.random.rate * 100) }));
  if (d.by === 'top-up') parts.push(t('customs.topUp'));
  if (d.aeo) parts.push(t('customs.aeo'));
  if (parts.length === 0) parts.push(t('customs.noRule'));
  return parts.join('; ');
}

interface DeskOffice {
  code: string;
  name: string;
  timeZone: string;
  open: number;
}

interface DecidedEntry {
  seq: number;
  at: string;
  action: string;
  mrn: string;
  note: string | null;
  undid: string | null;
}

/** What the officer just did, in words, with the undo it allows until its time is up. */
interface Done {
  text: string;
  mrn: string;
  declarationId: string;
  undoUntil: string | null;
}

export default function CustomsPage() {
  const { t, dateTime } = useI18n();
  const session = useSignedIn();
  const desk = useApi<{ offices: DeskOffice[] }>('/v1/customs/offices');
  const offices = desk.data?.offices ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  // The office with the most work first, until the officer picks another.
  const office = chosen ?? offices[0]?.code ?? '';
  const zone = offices.find((o) => o.code === office)?.timeZone;
  const { data, error, reload } = useApi<{ declarations: Declaration[] }>(
    office ? `/v1/customs/queue?office=${office}` : null,
    10_000,
  );
  const decided = useApi<{ decisions: DecidedEntry[] }>(
    office ? `/v1/customs/decisions?office=${office}` : null,
    10_000,
  );
  const [actionError, setActionError] = useState<Error | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const country = session.organisation.country;
  const { pending, run } = useAction();
  const act = (d: Declaration, body: { type: string }) =>
    run(() =>
      api<Declaration>('POST', `/v1/customs/declarations/${d.id}/segments/${country}/actions`, body)
        .then((after) => {
          setActionError(null);
          const s = after.segments.find((x) => x.country === country);
          const state = s ? t(`segmentState.${s.state}`) : '';
          setDone({
            text: t(`customs.done.${body.type}` as 'customs.done.release', {
              mrn: d.mrn,
              state,
              lane: s?.lane ? t(`lane.${s.lane}` as 'lane.green') : '',
            }),
            mrn: d.mrn,
            declarationId: d.id,
            undoUntil: body.type === 'undo' ? null : (s?.lastDecision?.undoUntil ?? null),
          });
          reload();
          decided.reload();
          desk.reload();
        })
        .catch((e: unknown) => setActionError(e as Error)),
    );
  const rows = (data?.declarations ?? [])
    .map((d) => ({ d, s: d.segments.find((x) => x.office === office) ?? d.segments[0]! }))
    .sort((a, b) => (a.s.etaAt ?? '').localeCompare(b.s.etaAt ?? ''));
  const undo = (x: Done) =>
    act({ id: x.declarationId, mrn: x.mrn } as Declaration, { type: 'undo' });
  return (
    <section>
      <h1>{t('customs.title')}</h1>
      <label>
        {t('customs.office')}{' '}
        <select value={office} onChange={(e) => setChosen(e.target.value)}>
          {offices.map((o) => (
            <option key={o.code} value={o.code}>
              {o.code} · {o.name} ({o.open})
            </option>
          ))}
        </select>
      </label>
      <Problem error={desk.error ?? error ?? actionError} />
      {done && (
        <div role="status" className="notice" data-testid="customs-done">
          <p>{done.text}</p>
          {done.undoUntil && (
            <p>
              {t('customs.undoUntil', { time: dateTime(done.undoUntil, zone) })}{' '}
              <button type="button" disabled={pending} onClick={() => void undo(done)}>
                {t('customs.undo')}
              </button>
            </p>
          )}
        </div>
      )}
      <h2>{t('customs.queue')}</h2>
      <Loading when={data}>
        {rows.length === 0 ? (
          <p>{t('customs.empty')}</p>
        ) : (
          <ul className="queue" data-testid="customs-queue">
            {rows.map(({ d, s }) => (
              <QueueCard
                key={d.id}
                d={d}
                s={s}
                zone={zone}
                busy={pending}
                onAct={(body) => act(d, body)}
              />
            ))}
          </ul>
        )}
      </Loading>
      <DecidedToday entries={decided.data?.decisions} zone={zone} />
      <ReleaseTimesTable country={country} />
      <RuleSetPanel country={country} admin={session.user.role === 'admin'} />
    </section>
  );
}

/** One box at the office: who declared what, in which containers, coming by what and when. */
function QueueCard({
  d,
  s,
  zone,
  busy,
  onAct,
}: {
  d: Declaration;
  s: Segment;
  zone: string | undefined;
  busy: boolean;
  onAct: (body: { type: string }) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const data = d.declaration as DeclarationData | undefined;
  const goods = (data?.consignments ?? []).flatMap((c) => c.goodsItems);
  return (
    <li
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
      <dl className="facts">
        <dt>{t('customs.declarant')}</dt>
        <dd data-testid="declarant">
          {data ? `${data.holder.name} (${data.holder.identificationNumber})` : '—'}
        </dd>
        <dt>{t('customs.goods')}</dt>
        <dd data-testid="goods">
          {goods.map((g) => `${g.description} (HS ${g.hsCode})`).join('; ') || '—'}
        </dd>
        <dt>{t('customs.containers')}</dt>
        <dd data-testid="containers">
          {(data?.containers ?? []).map((c) => c.equipmentReference).join(', ') || '—'}
        </dd>
        <dt>{t('customs.transport')}</dt>
        <dd data-testid="transport">
          {s.meansOfTransport
            ? `${s.meansOfTransport.identification} (${s.meansOfTransport.mode})`
            : '—'}
        </dd>
        <dt>{t('customs.eta')}</dt>
        <dd data-testid="eta">
          <Time iso={s.etaAt} zone={zone} /> · {t(`regime.${s.regime}` as MessageKey)}
        </dd>
        <dt>{t('customs.reasons')}</dt>
        <dd data-testid="reasons">{reasons(s, t)}</dd>
      </dl>
      {s.lane === 'yellow' && !s.documentsCheckedAt && s.state !== 'accepted' && (
        <p className="notice">{t('customs.waitDocs')}</p>
      )}
      {s.note && <p className="notice">{s.note}</p>}
      <DeclarationDetail data={data} />
      <SegmentActions segment={s} mrn={d.mrn} busy={busy} onAct={onAct} />
    </li>
  );
}

/** The office's decisions since its local midnight, newest first. */
function DecidedToday({
  entries,
  zone,
}: {
  entries: DecidedEntry[] | undefined;
  zone: string | undefined;
}) {
  const { t } = useI18n();
  return (
    <section className="card">
      <h2>{t('customs.decidedToday')}</h2>
      {!entries || entries.length === 0 ? (
        <p>{t('customs.noneDecided')}</p>
      ) : (
        <ul data-testid="decided-today">
          {entries.map((e) => (
            <li key={e.seq} data-mrn={e.mrn} data-action={e.action}>
              <Time iso={e.at} zone={zone} /> · {e.mrn} ·{' '}
              {t(`customs.action.${e.action}` as 'customs.action.release')}
              {e.undid && ` (${t(`customs.action.${e.undid}` as 'customs.action.release')})`}
              {e.note && ` · ${e.note}`}
            </li>
          ))}
        </ul>
      )}
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
  onAct: (body: { type: string }) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [sealsIntact, setSealsIntact] = useState(true);
  const state = segment.state;
  const open = !['released', 'exited', 'discharged', 'refused', 'invalidated'].includes(state);
  if (!open) return null;
  const inspectionDue = segment.lane === 'red';
  const inspected = (segment.inspections ?? []).some(
    (i) => (i as { kind?: string }).kind === 'physical',
  );
  const docsDue = segment.lane === 'yellow' && !segment.documentsCheckedAt;
  const assessed = state === 'assessed' || state === 'held';
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
      {docsDue && assessed && (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void onAct({ type: 'check_documents' })}
        >
          {t('customs.checkDocs')}
        </button>
      )}
      {segment.arrivedAt !== null && (!inspectionDue || inspected) && !docsDue && assessed && (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void onAct({ type: 'release' })}
        >
          {t('customs.release')}
        </button>
      )}
      {segment.arrivedAt !== null && inspectionDue && !inspected && assessed && (
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
                kind: 'physical',
                sealsIntact,
                discrepancies: [],
              } as { type: string })
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
        disabled={busy || !note.trim() || !assessed}
        onClick={() => void onAct({ type: 'request_documents', note } as { type: string })}
      >
        {t('customs.requestDocs')}
      </button>
      <ConfirmButton
        label={t('customs.hold')}
        question={t('confirm.hold', { mrn })}
        yes={t('confirm.holdYes')}
        disabled={busy || !note.trim() || state === 'accepted'}
        onConfirm={() => void onAct({ type: 'hold', note } as { type: string })}
      />
      <ConfirmButton
        label={t('customs.refuse')}
        question={t('confirm.refuse', { mrn })}
        yes={t('confirm.refuseYes')}
        disabled={busy || !note.trim()}
        onConfirm={() => void onAct({ type: 'refuse', note } as { type: string })}
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
