import { useState } from 'react';
import type { Itinerary, PlanError } from '../../../api/plan.ts';
import { navigate, useLocation } from '../../app/router.tsx';
import { useSignedIn } from '../../app/session.tsx';
import { Problem, Time } from '../../components/common.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { answer, ApiError, client } from '../../lib/api.ts';
import { useAction } from '../../lib/use-action.ts';
import { CorridorMap } from '../map/CorridorMap.tsx';
import { useNetwork } from '../map/network.ts';
import { documentNames, ItineraryCard, placeNames, useDays } from './ItineraryCard.tsx';
import { daysFrom, routePlaces, SORTS, sortItineraries, type SortKey } from './itinerary-facts.ts';
import { emptyForm, planBody, PlannerForm } from './PlannerForm.tsx';
import {
  bookable,
  keepRecentPlan,
  recentPlans,
  type Plan,
  type PlanForm,
  type RecentPlan,
} from './recent-plans.ts';

/** A booking refused, and the itinerary it was for. */
interface BookingRefusal {
  itineraryId: string;
  error: Error;
}

export default function PlannerPage() {
  const { t, money, number, dateTime, language } = useI18n();
  const session = useSignedIn();
  const userId = session.user.id;
  const network = useNetwork();
  // "Plan again" from a booking opens on its journey; otherwise on the last plan made here.
  const { query } = useLocation();
  const asked = query.get('from') !== null || query.get('to') !== null;
  const [recent, setRecent] = useState<RecentPlan[]>(() => recentPlans(userId));
  const last = asked ? undefined : recent[0];
  const [form, setForm] = useState<PlanForm>(
    () => last?.form ?? emptyForm(query.get('from') ?? 'Qingdao', query.get('to') ?? 'Baku'),
  );
  const [formKey, setFormKey] = useState(0);
  const [plan, setPlan] = useState<Plan | null>(last?.plan ?? null);
  const [chosen, setChosen] = useState<string | null>(last?.plan.itineraries[0]?.id ?? null);
  const [sort, setSort] = useState<SortKey>('p50');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [planErrors, setPlanErrors] = useState<PlanError[]>([]);
  const [refusal, setRefusal] = useState<BookingRefusal | null>(null);
  const mayBook = ['shipper', 'forwarder', 'platform'].includes(session.organisation.kind);
  const days = useDays();

  const submit = (next: PlanForm) => {
    setForm(next);
    setBusy(true);
    setError(null);
    setPlanErrors([]);
    setRefusal(null);
    answer(client.POST('/v1/plans', { body: planBody(next) }))
      .then((p) => {
        setPlan(p);
        setChosen(p.itineraries[0]?.id ?? null);
        if (p.itineraries.length > 0)
          setRecent(
            keepRecentPlan(userId, { form: next, plan: p, madeAt: new Date().toISOString() }),
          );
      })
      .catch((err: unknown) => {
        const named =
          err instanceof ApiError && Array.isArray(err.problem.planErrors)
            ? (err.problem.planErrors as PlanError[])
            : [];
        // Errors the form can place next to their field are shown there only.
        if (named.length > 0 && named.every((e) => e.field)) setPlanErrors(named);
        else setError(err as Error);
        setPlan(null);
      })
      .finally(() => setBusy(false));
  };
  const reopen = (r: RecentPlan) => {
    setForm(r.form);
    setFormKey((k) => k + 1);
    setPlan(r.plan);
    setChosen(r.plan.itineraries[0]?.id ?? null);
    setError(null);
    setPlanErrors([]);
    setRefusal(null);
  };
  const booking = useAction();
  const book = (it: Itinerary) => {
    const planId = plan?.planId;
    if (!planId) return;
    void booking.run(() => {
      setRefusal(null);
      return answer(client.POST('/v1/bookings', { body: { planId, itineraryId: it.id } }))
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
  const places = placeNames(network, language);
  const name = places.name;
  const itineraries = sortItineraries(plan?.itineraries ?? [], sort);
  const ready = plan?.request.depart ?? '';
  // One days axis for every card, from the ready date to the latest P90, in whole 5 days.
  const max = Math.max(
    5,
    Math.ceil(Math.max(...itineraries.map((i) => daysFrom(ready, i.arrivalP90))) / 5) * 5,
  );
  const selected = itineraries.find((i) => i.id === chosen);
  const mayBookPlan = plan !== null && bookable(plan, Date.now());

  return (
    <section>
      <h1>{t('planner.title')}</h1>
      <PlannerForm
        key={formKey}
        initial={form}
        network={network}
        busy={busy}
        errors={planErrors}
        onSubmit={submit}
      />
      {recent.length > 0 && (
        <details className="recent-plans">
          <summary>{t('planner.recent', { count: recent.length })}</summary>
          <ul>
            {recent.map((r) => (
              <li key={r.madeAt}>
                <button type="button" className="link" onClick={() => reopen(r)}>
                  {r.form.from} → {r.form.to} ·{' '}
                  {r.form.groups.map((g) => `${g.count}×${g.type}`).join(', ')} ·{' '}
                  {dateTime(r.madeAt)}
                </button>{' '}
                <span className="muted">
                  {bookable(r.plan, Date.now())
                    ? t('planner.bookableUntil', { time: dateTime(r.plan.planExpiresAt!) })
                    : t('planner.expired')}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
      <Problem error={error} />
      {plan && itineraries.length === 0 && (
        <p role="status">
          {t('planner.none', { reason: plan.errors.map((e) => e.message).join('; ') })}
        </p>
      )}
      {itineraries.length > 0 && (
        <>
          <div className="results-head">
            <p role="status">{t('planner.results', { count: itineraries.length })}</p>
            <label>
              {t('planner.sortBy')}
              <select
                value={sort}
                onChange={(e) => setSort(e.target.value as SortKey)}
                data-testid="plan-sort"
              >
                {SORTS.map((k) => (
                  <option key={k} value={k}>
                    {t(`planner.sort.${k}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <p className="legend" aria-hidden="true">
              <span className="swatch range-p50" /> {t('planner.legendP50')}{' '}
              <span className="swatch range-p90" /> {t('planner.legendP90')}
            </p>
            {plan?.planExpiresAt && (
              <p className="muted" data-testid="plan-validity">
                {mayBookPlan
                  ? t('planner.bookableUntil', { time: dateTime(plan.planExpiresAt) })
                  : t('planner.expired')}
              </p>
            )}
          </div>
          <div className="results">
            <ol className="cards" aria-label={t('planner.results', { count: itineraries.length })}>
              {itineraries.map((it) => (
                <ItineraryCard
                  key={it.id}
                  it={it}
                  ready={ready}
                  maxDays={max}
                  network={network}
                  chosen={it.id === chosen}
                  actions={
                    <>
                      <div className="actions">
                        <button
                          type="button"
                          onClick={() => {
                            setChosen(it.id);
                            // The map may be scrolled away (on a phone it is below the cards).
                            document
                              .querySelector('[data-testid="corridor-map"]')
                              ?.scrollIntoView({ block: 'nearest' });
                          }}
                        >
                          {t('planner.showOnMap')}
                        </button>
                        {mayBook && mayBookPlan && (
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
                    </>
                  }
                />
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
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('planner.table')}>
            <table>
              <caption>{t('planner.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('planner.corridor')}</th>
                  <th scope="col">{t('planner.transitFromReady')}</th>
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
                    <th scope="row">
                      {t(`corridor.${it.corridor}` as MessageKey)}
                      {routePlaces(it, places).length > 0 &&
                        ` · ${t('planner.via', { places: routePlaces(it, places).join(', ') })}`}
                    </th>
                    <td>
                      {days(daysFrom(ready, it.arrivalP50), daysFrom(ready, it.arrivalP90))}
                      <br />
                      <Time
                        iso={it.arrivalP50}
                        zone={places.zone(
                          it.legs.filter((l) => l.kind === 'ride').at(-1)?.to ?? '',
                        )}
                      />
                    </td>
                    <td>{money(it.costUsd)}</td>
                    <td>{number(it.co2eKg)} kg</td>
                    <td>{it.transfers}</td>
                    <td>
                      {it.borders
                        .map((b) => `${places.short(b.node)} (${b.from}→${b.to})`)
                        .join(', ')}
                    </td>
                    <td>
                      {[
                        ...new Set(
                          it.regimes.map((r) => t(`regime.${r.customsRegime}` as MessageKey)),
                        ),
                      ].join(', ')}
                    </td>
                    <td>{documentNames(t, it)}</td>
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
