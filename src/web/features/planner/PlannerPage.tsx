import { useState, type FormEvent } from 'react';
import type { Itinerary, PlanResponse } from '../../../api/plan.ts';
import { navigate, useLocation } from '../../app/router.tsx';
import { useSignedIn } from '../../app/session.tsx';
import { Problem, RangeBar, Time } from '../../components/common.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { api, ApiError } from '../../lib/api.ts';
import { useAction } from '../../lib/use-action.ts';
import { CorridorMap } from '../map/CorridorMap.tsx';
import { useNetwork } from '../map/network.ts';

const TYPES = ['40HC', '20GP', '40GP', '45HC', '20RF', '40RF'] as const;

type Plan = PlanResponse & { planId: string | null };

/** Today in the browser's own time zone, as YYYY-MM-DD: the planner plans from now on it. */
function today(): string {
  const d = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** A booking refused, and the itinerary it was for. */
interface BookingRefusal {
  itineraryId: string;
  error: Error;
}

export default function PlannerPage() {
  const { t, money, number } = useI18n();
  const session = useSignedIn();
  const network = useNetwork();
  // "Plan again" from a booking opens on its journey.
  const { query } = useLocation();
  const [from, setFrom] = useState(query.get('from') ?? 'Qingdao');
  const [to, setTo] = useState(query.get('to') ?? 'Baku');
  const [date, setDate] = useState(today);
  const [count, setCount] = useState(1);
  const [type, setType] = useState<(typeof TYPES)[number]>('40HC');
  const [compare, setCompare] = useState(false);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [refusal, setRefusal] = useState<BookingRefusal | null>(null);
  const mayBook = ['shipper', 'forwarder', 'platform'].includes(session.organisation.kind);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setRefusal(null);
    api<Plan>('POST', '/v1/plans', {
      from,
      to,
      // Ready today: from now, wherever the origin's day stands (it may be tomorrow there).
      ...(date === today() ? {} : { depart: date }),
      containers: `${count}x${type}`,
      compare,
    })
      .then((p) => {
        setPlan(p);
        setChosen(p.itineraries[0]?.id ?? null);
      })
      .catch((err: unknown) => setError(err as Error))
      .finally(() => setBusy(false));
  };
  const booking = useAction();
  const book = (it: Itinerary) => {
    const planId = plan?.planId;
    if (!planId) return;
    void booking.run(() => {
      setRefusal(null);
      return api<{ id: string }>('POST', '/v1/bookings', { planId, itineraryId: it.id })
        .then((b) => navigate(`/bookings/${b.id}`))
        .catch((err: unknown) => setRefusal({ itineraryId: it.id, error: err as Error }));
    });
  };
  /** Why a booking of the itinerary was refused: per ride, with its places, in words. */
  const refusalLines = (it: Itinerary, err: Error): string[] => {
    const rides = it.legs.filter((l) => l.kind === 'ride');
    const fields = err instanceof ApiError ? err.fields : [];
    const lines = fields.map((f) => {
      const m = /^body\.rides\[(\d+)\](\.\w+)?$/.exec(f.path);
      const ride = m ? rides[Number(m[1])] : undefined;
      if (!m || !ride) return f.message;
      const status = (err as ApiError).status;
      const reason =
        status === 409 && !m[2]
          ? t('planner.noCarrier')
          : status === 400 && m[2] === '.tripId'
            ? t('planner.departed')
            : f.message;
      return t('planner.bookRide', {
        n: Number(m[1]) + 1,
        from: name(ride.from),
        to: name(ride.to),
        reason,
      });
    });
    return lines.length > 0 ? lines : [err.message];
  };
  const name = (id: string) => network?.byId.get(id)?.name ?? id;
  const zoneOf = (id: string) => network?.byId.get(id)?.timeZone;
  const itineraries = plan?.itineraries ?? [];
  const max = Math.max(1, ...itineraries.map((i) => i.transitDaysP90));
  const selected = itineraries.find((i) => i.id === chosen);
  const last = (it: Itinerary) => it.legs.filter((l) => l.kind === 'ride').at(-1);

  return (
    <section>
      <h1>{t('planner.title')}</h1>
      <form className="planner-form card" onSubmit={submit}>
        <datalist id="places">
          {network?.nodes.map((n) => (
            <option key={n.id} value={n.name}>
              {[n.unLocode, n.country, ...n.aliases.slice(0, 2)].filter(Boolean).join(' · ')}
            </option>
          ))}
        </datalist>
        <label>
          {t('planner.from')}
          <input
            list="places"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            placeholder={t('planner.placeHint')}
            required
            data-testid="plan-from"
          />
        </label>
        <label>
          {t('planner.to')}
          <input
            list="places"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            placeholder={t('planner.placeHint')}
            required
            data-testid="plan-to"
          />
        </label>
        <label>
          {t('planner.date')}
          <input
            type="date"
            value={date}
            min={today()}
            onChange={(e) => setDate(e.target.value)}
            required
          />
        </label>
        <fieldset>
          <legend>{t('planner.containers')}</legend>
          <label>
            {t('planner.count')}
            <input
              type="number"
              min={1}
              max={500}
              value={count}
              onChange={(e) => setCount(Number(e.target.value))}
            />
          </label>
          <label>
            {t('planner.type')}
            <select value={type} onChange={(e) => setType(e.target.value as typeof type)}>
              {TYPES.map((x) => (
                <option key={x}>{x}</option>
              ))}
            </select>
          </label>
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} />
          {t('planner.compare')}
        </label>
        <button type="submit" disabled={busy} data-testid="plan-submit">
          {busy ? t('planner.searching') : t('planner.submit')}
        </button>
      </form>
      <Problem error={error} />
      {plan && itineraries.length === 0 && (
        <p role="status">
          {t('planner.none', { reason: plan.errors.map((e) => e.message).join('; ') })}
        </p>
      )}
      {itineraries.length > 0 && (
        <>
          <p role="status">{t('planner.results', { count: itineraries.length })}</p>
          <div className="results">
            <ol className="cards" aria-label={t('planner.results', { count: itineraries.length })}>
              {itineraries.map((it) => (
                <li
                  key={it.id}
                  className={`card itinerary${it.id === chosen ? ' chosen' : ''}`}
                  data-testid="itinerary"
                >
                  <h2>
                    {t(`corridor.${it.corridor}` as MessageKey)} ·{' '}
                    {t('planner.days', {
                      p50: number(it.transitDaysP50, 1),
                      p90: number(it.transitDaysP90, 1),
                    })}
                  </h2>
                  <RangeBar
                    p50={it.transitDaysP50}
                    p90={it.transitDaysP90}
                    max={max}
                    label={`${t('planner.transit')}: ${t('planner.days', { p50: number(it.transitDaysP50, 1), p90: number(it.transitDaysP90, 1) })}`}
                  />
                  <dl className="facts">
                    <dt>{t('planner.cost')}</dt>
                    <dd>{money(it.costUsd)}</dd>
                    <dt>{t('planner.co2e')}</dt>
                    <dd>{number(it.co2eKg)} kg</dd>
                    <dt>{t('planner.transfers')}</dt>
                    <dd>{it.transfers}</dd>
                    <dt>{t('planner.arrival')}</dt>
                    <dd>
                      <Time iso={it.arrivalP50} zone={zoneOf(last(it)?.to ?? '')} />
                    </dd>
                  </dl>
                  <details>
                    <summary>{t('planner.legs')}</summary>
                    <ol className="legs">
                      {it.legs.map((l, i) =>
                        l.kind === 'ride' ? (
                          <li key={i}>
                            {name(l.from)} → {name(l.to)} · {t(`mode.${l.mode}` as MessageKey)} ·{' '}
                            {l.operator} · <Time iso={l.departure} zone={zoneOf(l.from)} />
                          </li>
                        ) : (
                          <li key={i} className="dwell">
                            {name(l.node)}: {t(`operation.${l.operation}`)} {number(l.p50Hours)}–
                            {number(l.p90Hours)} h
                          </li>
                        ),
                      )}
                    </ol>
                  </details>
                  <div className="actions">
                    <button type="button" onClick={() => setChosen(it.id)}>
                      {t('planner.showOnMap')}
                    </button>
                    {mayBook && plan?.planId && (
                      <button
                        type="button"
                        className="primary"
                        disabled={booking.pending}
                        onClick={() => book(it)}
                      >
                        {t('planner.book')}
                      </button>
                    )}
                  </div>
                  {refusal?.itineraryId === it.id && (
                    <div role="alert" className="error" data-testid="booking-refusal">
                      <p>{t('planner.bookFailed')}</p>
                      <ul>
                        {refusalLines(it, refusal.error).map((line, i) => (
                          <li key={i}>{line}</li>
                        ))}
                      </ul>
                      <p>{t('planner.bookAgain')}</p>
                    </div>
                  )}
                </li>
              ))}
            </ol>
            <CorridorMap
              route={
                selected && {
                  legs: selected.legs.flatMap((l) =>
                    l.kind === 'ride' ? [{ from: l.from, to: l.to, mode: l.mode }] : [],
                  ),
                }
              }
            />
          </div>
          <div className="table-wrap" tabIndex={0}>
            <table>
              <caption>{t('planner.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('planner.corridor')}</th>
                  <th scope="col">{t('planner.transit')}</th>
                  <th scope="col">{t('planner.cost')}</th>
                  <th scope="col">{t('planner.co2e')}</th>
                  <th scope="col">{t('planner.transfers')}</th>
                  <th scope="col">{t('planner.borders')}</th>
                  <th scope="col">{t('planner.regimes')}</th>
                  <th scope="col">{t('planner.documents')}</th>
                </tr>
              </thead>
              <tbody>
                {itineraries.map((it) => (
                  <tr key={it.id}>
                    <th scope="row">{t(`corridor.${it.corridor}` as MessageKey)}</th>
                    <td>
                      {t('planner.days', {
                        p50: number(it.transitDaysP50, 1),
                        p90: number(it.transitDaysP90, 1),
                      })}
                    </td>
                    <td>{money(it.costUsd)}</td>
                    <td>{number(it.co2eKg)} kg</td>
                    <td>{it.transfers}</td>
                    <td>{it.borders.map((b) => `${b.from}→${b.to}`).join(', ')}</td>
                    <td>{[...new Set(it.regimes.map((r) => r.customsRegime))].join(', ')}</td>
                    <td>{it.documents.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
