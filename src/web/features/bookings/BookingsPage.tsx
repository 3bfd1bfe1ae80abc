import { useEffect, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { bookingSchema } from '../../../api/bookings.ts';
import type { utilisationResponseSchema } from '../../../api/capacity.ts';
import { Link, navigate, useLocation } from '../../app/router.tsx';
import { useSignedIn } from '../../app/session.tsx';
import { CopyId, Loading, Problem, Time } from '../../components/common.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import {
  ListToolbar,
  useListTools,
  type ListColumn,
  type SortOption,
} from '../../components/list-tools.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { placeShortName } from '../../i18n/place-names.ts';
import { answer, api, ApiError, client } from '../../lib/api.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useNetwork } from '../map/network.ts';
import { BookingDeclaration } from './DeclarationForm.tsx';

type Booking = z.infer<typeof bookingSchema>;
type Utilisation = z.infer<typeof utilisationResponseSchema>;

/** Minutes and seconds left until an instant, ticking every second. */
function Countdown({ until }: { until: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Date.parse(until) - now);
  const m = Math.floor(left / 60_000);
  const s = Math.floor((left % 60_000) / 1000);
  return <span className="countdown">{`${m}:${String(s).padStart(2, '0')}`}</span>;
}

export default function BookingsPage() {
  const { path } = useLocation();
  const id = path.split('/')[2];
  // A page per booking: another booking's page starts afresh, not from the last one's answer.
  return id ? <BookingDetail key={id} id={id} /> : <BookingList />;
}

const STATES = [
  'RECEIVED',
  'PENDING_UPDATE',
  'CONFIRMED',
  'DECLINED',
  'REJECTED',
  'CANCELLED',
  'COMPLETED',
] as const;

/** The day a trip leaves, from its id (`SERVICE@YYYY-MM-DDTHHMM`). */
export function departureDay(tripId: string): string | undefined {
  return /@(\d{4}-\d\d-\d\d)T/.exec(tripId)?.[1];
}

/** A booking by what it moves where: "Qingdao → Baku · 2×40HC". */
function bookingTitle(b: Booking, short: (id: string) => string): string {
  const from = b.rides[0]?.fromNodeId;
  const to = b.rides.at(-1)?.toNodeId;
  const journey = from && to ? `${short(from)} → ${short(to)}` : '';
  const boxes = b.containers.map((c) => `${c.count}×${c.type}`).join(', ');
  return [journey, boxes].filter(Boolean).join(' · ');
}

function BookingList() {
  const { t, number, dateTime, language } = useI18n();
  const session = useSignedIn();
  const { data, error } = useApi<{ bookings: Booking[]; total: number }>('/v1/bookings');
  const carrier = session.organisation.kind === 'carrier';
  const network = useNetwork();
  const short = (id: string) => {
    const node = network?.byId.get(id);
    return node ? placeShortName(language, node) : id;
  };
  const bookings = data?.bookings ?? [];
  const toDecide = bookings
    .map((b) => ({ b, what: toDecideOf(b) }))
    .filter((x): x is { b: Booking; what: DecisionKind } => x.what !== null);
  const rides = (b: Booking) =>
    b.rides.map((r) => `${short(r.fromNodeId)} → ${short(r.toNodeId)}`).join(', ');
  const columns: ListColumn<Booking>[] = [
    { label: t('bookings.booking'), text: (b) => bookingTitle(b, short) },
    { label: t('bookings.state'), text: (b) => t(`bookingState.${b.state}`) },
    { label: t('bookings.teu'), text: (b) => String(b.teu) },
    { label: t('bookings.rides'), text: rides },
    {
      label: t('bookings.promised'),
      text: (b) => (b.promise ? dateTime(b.promise.arrivalP50) : ''),
    },
    { label: t('bookings.created'), text: (b) => dateTime(b.createdAt) },
    { label: t('bookings.reference'), text: (b) => b.id },
  ];
  const time = (iso: string | undefined) => (iso ? Date.parse(iso) : Infinity);
  const sorts: SortOption<Booking>[] = [
    {
      key: 'new',
      label: t('list.newest'),
      compare: (a, b) => time(b.createdAt) - time(a.createdAt),
    },
    {
      key: 'old',
      label: t('list.oldest'),
      compare: (a, b) => time(a.createdAt) - time(b.createdAt),
    },
    {
      key: 'arrival',
      label: t('bookings.sortArrival'),
      compare: (a, b) => time(a.promise?.arrivalP50) - time(b.promise?.arrivalP50),
    },
  ];
  const filter = {
    label: t('bookings.state'),
    options: STATES.map((s) => ({ value: s, label: t(`bookingState.${s}`) })),
    valueOf: (b: Booking) => b.state,
  };
  const tools = useListTools({ rows: bookings, columns, sorts, filter });
  return (
    <section>
      <h1>{t('bookings.title')}</h1>
      <Problem error={error} />
      <Loading when={data}>
        {carrier && (
          <>
            <h2>{t('bookings.queue')}</h2>
            <ul className="list" data-testid="carrier-queue">
              {toDecide.map(({ b, what }) => (
                <li key={b.id} data-decide={what}>
                  <Link to={`/bookings/${b.id}`} title={b.id}>
                    {bookingTitle(b, short)}
                  </Link>{' '}
                  · <span className="tag">{t(`bookings.decide.${what}`)}</span> ·{' '}
                  {number(what === 'amendment' ? b.amendment!.teu : b.teu)} TEU ·{' '}
                  {(what === 'amendment' ? b.amendment!.rides : b.rides)
                    .map((r) => `${short(r.fromNodeId)} → ${short(r.toNodeId)}`)
                    .join(', ')}
                </li>
              ))}
            </ul>
            <CapacityView />
          </>
        )}
        {bookings.length === 0 ? (
          <p>{t('bookings.empty')}</p>
        ) : (
          <>
            <ListToolbar
              name={t('bookings.title')}
              tools={tools}
              total={data?.total ?? bookings.length}
              columns={columns}
              sorts={sorts}
              filter={filter}
            />
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('bookings.title')}>
              <table data-testid="bookings-table">
                <caption>{t('bookings.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('bookings.booking')}</th>
                    <th scope="col">{t('bookings.state')}</th>
                    <th scope="col">{t('bookings.teu')}</th>
                    <th scope="col">{t('bookings.rides')}</th>
                    <th scope="col">{t('bookings.promised')}</th>
                    <th scope="col">{t('bookings.created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {tools.shown.map((b) => (
                    <tr key={b.id} data-testid="booking-row">
                      <th scope="row">
                        <Link to={`/bookings/${b.id}`} title={b.id}>
                          {bookingTitle(b, short)}
                        </Link>
                      </th>
                      <td>
                        <span className={`state state-${b.state}`}>
                          {t(`bookingState.${b.state}`)}
                        </span>
                        <SubStates booking={b} />
                        {b.attention.length > 0 && (
                          <>
                            {' '}
                            <span className="attention" data-testid="needs-attention">
                              {t('bookings.needsAttention')}
                            </span>
                            <br />
                            <small>{b.attention.join('; ')}</small>
                          </>
                        )}
                      </td>
                      <td>{number(b.teu)}</td>
                      <td>{rides(b)}</td>
                      <td>
                        {b.promise ? (
                          <Time
                            iso={b.promise.arrivalP50}
                            zone={network?.byId.get(b.rides.at(-1)?.toNodeId ?? '')?.timeZone}
                          />
                        ) : (
                          t('common.none')
                        )}
                      </td>
                      <td>
                        <Time iso={b.createdAt} />
                      </td>
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

type DecisionKind = 'booking' | 'amendment' | 'cancellation';

/**
 * What a carrier has to decide on a booking (it sees its own rides only): a new booking's ride, a
 * waiting amendment's ride or a cancellation asked of a confirmed booking; null when nothing.
 */
function toDecideOf(b: Booking): DecisionKind | null {
  if (
    (b.state === 'RECEIVED' || b.state === 'UPDATE_RECEIVED') &&
    b.rides.some((r) => r.state === 'REQUESTED')
  )
    return 'booking';
  if (
    b.amendment?.status === 'AMENDMENT_RECEIVED' &&
    b.amendment.rides.some((r) => r.state === 'REQUESTED')
  )
    return 'amendment';
  if (
    b.cancellation?.status === 'CANCELLATION_RECEIVED' &&
    b.cancellation.rides.some((r) => r.state === 'REQUESTED')
  )
    return 'cancellation';
  return null;
}

/** The amendment's and the cancellation request's status beside the booking's, in words. */
function SubStates({ booking }: { booking: Booking }) {
  const { t } = useI18n();
  return (
    <>
      {booking.amendment && (
        <>
          {' '}
          <span
            className={`state state-${booking.amendment.status}`}
            data-testid="amendment-status"
            data-state={booking.amendment.status}
          >
            {t(`amendmentStatus.${booking.amendment.status}`)}
          </span>
        </>
      )}
      {booking.cancellation && (
        <>
          {' '}
          <span
            className={`state state-${booking.cancellation.status}`}
            data-testid="cancellation-status"
            data-state={booking.cancellation.status}
          >
            {t(`cancellationStatus.${booking.cancellation.status}`)}
          </span>
        </>
      )}
    </>
  );
}

/** A carrier's slots: held and confirmed TEU against capacity per service, next two weeks. */
function CapacityView() {
  const { t, number } = useI18n();
  const { data } = useApi<Utilisation>('/v1/utilisation?days=14');
  if (!data) return null;
  return (
    <div
      className="table-wrap"
      tabIndex={0}
      role="region"
      aria-label={t('capacity.title', { from: data.from, days: data.days })}
    >
      <table>
        <caption>{t('capacity.title', { from: data.from, days: data.days })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('capacity.service')}</th>
            <th scope="col">{t('capacity.departures')}</th>
            <th scope="col">TEU</th>
            <th scope="col">{t('capacity.held')}</th>
            <th scope="col">{t('capacity.confirmed')}</th>
            <th scope="col">{t('capacity.utilisation')}</th>
          </tr>
        </thead>
        <tbody>
          {data.services.map((s) => (
            <tr key={s.serviceId}>
              <th scope="row">{s.name}</th>
              <td>{s.departures}</td>
              <td>{number(s.capacityTeu)}</td>
              <td>{number(s.heldTeu)}</td>
              <td>{number(s.confirmedTeu)}</td>
              <td>
                <meter min={0} max={1} value={s.utilisation} aria-label={s.name} />{' '}
                {number(s.utilisation * 100)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BookingDetail({ id }: { id: string }) {
  const { t, number, money, date, language } = useI18n();
  const session = useSignedIn();
  const network = useNetwork();
  const { data: booking, error, reload } = useApi<Booking>(`/v1/bookings/${id}`);
  const [actionError, setActionError] = useState<Error | null>(null);
  const [numbers, setNumbers] = useState('');
  const [amendment, setAmendment] = useState('');
  const [changeReason, setChangeReason] = useState('');
  const { pending, run } = useAction();
  const act = (method: string, path: string, body?: unknown) =>
    run(() =>
      api(method, path, body)
        .then(() => (setActionError(null), reload()))
        .catch((e: unknown) => setActionError(e as Error)),
    );
  const name = (n: string) => network?.byId.get(n)?.name ?? n;
  const short = (n: string) => {
    const node = network?.byId.get(n);
    return node ? placeShortName(language, node) : n;
  };
  const own = booking?.organisationId === session.organisation.id;
  const carrierServices = new Set(session.organisation.services);
  const live =
    booking &&
    ['RECEIVED', 'PENDING_UPDATE', 'UPDATE_RECEIVED', 'CONFIRMED', 'PENDING_AMENDMENT'].includes(
      booking.state,
    );
  const confirmed = booking?.state === 'CONFIRMED' || booking?.state === 'PENDING_AMENDMENT';
  /** The carrier's own ride it asks from: for an update before confirmation, an amendment after. */
  const askRide = booking?.rides.find((r) => carrierServices.has(r.serviceId));
  const ask =
    booking && askRide && (booking.state === 'RECEIVED' || booking.state === 'UPDATE_RECEIVED')
      ? ('request-update' as const)
      : booking?.state === 'CONFIRMED' &&
          askRide &&
          booking.cancellation?.status !== 'CANCELLATION_RECEIVED'
        ? ('request-amendment' as const)
        : null;
  const startTracking = (e: FormEvent) => {
    e.preventDefault();
    const containers = numbers
      .split(/\s+/)
      .filter(Boolean)
      .map((n) => ({ equipmentReference: n.toUpperCase() }));
    void run(() =>
      answer(client.POST('/v1/shipments', { body: { bookingId: id, containers } }))
        .then((s) => navigate(`/shipments/${s.id}`))
        .catch((err: unknown) => setActionError(taken(err as Error))),
    );
  };
  /** A container already in a shipment under way, said in the page's language. */
  const taken = (err: Error): Error => {
    if (!(err instanceof ApiError) || err.status !== 409) return err;
    const i = err.fields
      .map((f) => /^body\.containers\[(\d+)\]/.exec(f.path)?.[1])
      .find((x) => x !== undefined);
    const container = i === undefined ? undefined : numbers.split(/\s+/).filter(Boolean)[Number(i)];
    return container
      ? new Error(t('bookings.containerTaken', { container: container.toUpperCase() }))
      : err;
  };
  return (
    <section>
      <p>
        <Link to="/bookings">← {t('bookings.title')}</Link>
      </p>
      <Problem error={error ?? actionError} />
      <Loading when={booking}>
        {booking && (
          <article className="card">
            <h1>
              {bookingTitle(booking, short)}{' '}
              <span
                className={`state state-${booking.state}`}
                data-testid="booking-state"
                data-state={booking.state}
              >
                {t(`bookingState.${booking.state}`)}
              </span>
              <SubStates booking={booking} />
            </h1>
            <p className="muted">
              <CopyId id={booking.id} />
            </p>
            {booking.attention.length > 0 && (
              <div className="notice" data-testid="booking-attention">
                <h2>{t('bookings.needsAttention')}</h2>
                <ul>
                  {booking.attention.map((a, i) => (
                    <li key={i}>{a}</li>
                  ))}
                </ul>
                {own && (
                  <p>
                    {t('bookings.attentionHint')} <PlanAgain booking={booking} />
                  </p>
                )}
              </div>
            )}
            {booking.reason && (
              <p data-testid="booking-reason">{t('bookings.reason', { reason: booking.reason })}</p>
            )}
            {own && (booking.state === 'REJECTED' || booking.state === 'DECLINED') && (
              <Rebook booking={booking} />
            )}
            {(booking.state === 'RECEIVED' || booking.state === 'UPDATE_RECEIVED') && (
              <p>
                {t('bookings.holdEnds', { time: '' })}
                <Countdown until={booking.holdExpiresAt} />
              </p>
            )}
            {booking.promise && (
              <p>
                {t('bookings.promise', {
                  p50: date(booking.promise.arrivalP50),
                  p90: date(booking.promise.arrivalP90),
                })}{' '}
                · {money(booking.promise.costUsd)} · {number(booking.promise.co2eKg)} kg CO2e
              </p>
            )}
            <p>
              {booking.containers.map((c) => `${c.count}× ${c.type}`).join(', ')} ·{' '}
              {number(booking.teu)} TEU
            </p>
            {booking.notices
              .filter((n) => !booking.attention.includes(n))
              .map((n, i) => (
                <p key={i} className="notice">
                  {n}
                </p>
              ))}
            <h2>{t('bookings.rides')}</h2>
            <ol className="list">
              {booking.rides.map((r) => (
                <li key={r.rideIndex} data-testid="booking-ride">
                  {name(r.fromNodeId)} → {name(r.toNodeId)} ·{' '}
                  <span title={r.tripId}>
                    {network?.services.get(r.serviceId)?.name ?? r.serviceId}
                    {departureDay(r.tripId) && ` · ${date(departureDay(r.tripId)!)}`}
                  </span>{' '}
                  · <span className={`state state-${r.state}`}>{t(`bookingState.${r.state}`)}</span>
                  {r.state === 'REQUESTED' &&
                    // Decided while its carriers decide; PENDING_UPDATE waits for its party's update.
                    (booking.state === 'RECEIVED' || booking.state === 'UPDATE_RECEIVED') &&
                    carrierServices.has(r.serviceId) && (
                      <span className="actions">
                        <button
                          type="button"
                          className="primary"
                          disabled={pending}
                          onClick={() =>
                            void act('POST', `/v1/bookings/${id}/rides/${r.rideIndex}/confirm`)
                          }
                        >
                          {t('bookings.confirm')}
                        </button>
                        <ConfirmButton
                          label={t('bookings.decline')}
                          question={t('confirm.decline', {
                            n: r.rideIndex + 1,
                            from: name(r.fromNodeId),
                            to: name(r.toNodeId),
                          })}
                          yes={t('confirm.declineYes')}
                          disabled={pending}
                          onConfirm={() =>
                            void act('POST', `/v1/bookings/${id}/rides/${r.rideIndex}/decline`)
                          }
                        />
                      </span>
                    )}
                  {r.state === 'CONFIRMED' &&
                    booking.state === 'CONFIRMED' &&
                    carrierServices.has(r.serviceId) && (
                      <span className="actions">
                        <ConfirmButton
                          label={t('bookings.complete')}
                          question={t('confirm.complete', {
                            n: r.rideIndex + 1,
                            from: name(r.fromNodeId),
                            to: name(r.toNodeId),
                          })}
                          yes={t('confirm.completeYes')}
                          disabled={pending}
                          onConfirm={() =>
                            void act('POST', `/v1/bookings/${id}/rides/${r.rideIndex}/complete`)
                          }
                        />
                      </span>
                    )}
                  {r.completedAt && (
                    <>
                      {' '}
                      · {t('bookings.completedAt')} <Time iso={r.completedAt} />
                    </>
                  )}
                </li>
              ))}
            </ol>
            {booking.amendment && (
              <AmendmentView
                booking={booking}
                own={own}
                carrierServices={carrierServices}
                pending={pending}
                act={act}
              />
            )}
            {ask && askRide && (
              <form
                className="inline"
                data-testid="ask-change"
                onSubmit={(e) => {
                  e.preventDefault();
                  void act('POST', `/v1/bookings/${id}/rides/${askRide.rideIndex}/${ask}`, {
                    reason: changeReason,
                  });
                }}
              >
                <label>
                  {t('bookings.askChangeReason')}
                  <input
                    value={changeReason}
                    onChange={(e) => setChangeReason(e.target.value)}
                    required
                  />
                </label>
                <button type="submit" disabled={pending}>
                  {t(ask === 'request-update' ? 'bookings.askUpdate' : 'bookings.askAmendment')}
                </button>
              </form>
            )}
            {booking.cancellation && (
              <CancellationView
                booking={booking}
                carrierServices={carrierServices}
                pending={pending}
                act={act}
              />
            )}
            {own && booking.state === 'CONFIRMED' && (
              <form onSubmit={startTracking} className="stack">
                <label>
                  {t('bookings.containerNumbers')}
                  <textarea
                    rows={3}
                    value={numbers}
                    onChange={(e) => setNumbers(e.target.value)}
                    required
                  />
                </label>
                <button type="submit" className="primary" disabled={pending}>
                  {t('bookings.createShipment')}
                </button>
              </form>
            )}
            {own && (booking.state === 'CONFIRMED' || booking.state === 'COMPLETED') && (
              <BookingDeclaration bookingId={id} />
            )}
            {own && live && (
              <form
                className="inline"
                onSubmit={(e) => {
                  e.preventDefault();
                  void act('POST', `/v1/bookings/${id}/amend`, { containers: amendment });
                }}
              >
                <label>
                  {t('bookings.amend')}
                  <input
                    value={amendment}
                    onChange={(e) => setAmendment(e.target.value)}
                    required
                    placeholder="2x40HC"
                    aria-describedby="amend-hint"
                  />
                  <small id="amend-hint" className="muted">
                    {t('bookings.amendHint')}
                  </small>
                </label>
                <button type="submit" disabled={pending}>
                  {t('bookings.amendSubmit')}
                </button>
              </form>
            )}
            {own && live && !confirmed && (
              <p>
                <ConfirmButton
                  label={t('bookings.cancel')}
                  question={t('confirm.cancelBooking', { id })}
                  yes={t('confirm.cancelBookingYes')}
                  disabled={pending}
                  onConfirm={() => void act('POST', `/v1/bookings/${id}/cancel`)}
                />
              </p>
            )}
            {own && confirmed && booking.cancellation?.status !== 'CANCELLATION_RECEIVED' && (
              <p>
                <ConfirmButton
                  label={t('bookings.askCancel')}
                  question={t('confirm.askCancellation', { id })}
                  yes={t('confirm.askCancellationYes')}
                  disabled={pending}
                  onConfirm={() => void act('POST', `/v1/bookings/${id}/cancel`)}
                />
              </p>
            )}
          </article>
        )}
      </Loading>
    </section>
  );
}

type Act = (method: string, path: string, body?: unknown) => Promise<unknown>;

/**
 * The amendment of a confirmed booking: what it asks, its status, and for each ride its carrier's
 * decision; the ride's carrier confirms or declines it, the booking party may withdraw it.
 */
function AmendmentView({
  booking,
  own,
  carrierServices,
  pending,
  act,
}: {
  booking: Booking;
  own: boolean;
  carrierServices: ReadonlySet<string>;
  pending: boolean;
  act: Act;
}) {
  const { t, number } = useI18n();
  const network = useNetwork();
  const name = (n: string) => network?.byId.get(n)?.name ?? n;
  const a = booking.amendment!;
  const waiting = a.status === 'AMENDMENT_RECEIVED';
  return (
    <div className="card stack" data-testid="booking-amendment">
      <h2>
        {t('bookings.amendment')}{' '}
        <span className={`state state-${a.status}`}>{t(`amendmentStatus.${a.status}`)}</span>
      </h2>
      {waiting && <p>{t('bookings.amendmentWaits')}</p>}
      <p>
        {a.containers.map((c) => `${c.count}× ${c.type}`).join(', ')} · {number(a.teu)} TEU
      </p>
      {a.reason && <p>{t('bookings.reason', { reason: a.reason })}</p>}
      <ol className="list">
        {a.rides.map((r) => (
          <li key={r.rideIndex} data-testid="amendment-ride">
            {name(r.fromNodeId)} → {name(r.toNodeId)} · {r.tripId} ·{' '}
            <span className={`state state-${r.state}`}>{t(`bookingState.${r.state}`)}</span>
            {waiting && r.state === 'REQUESTED' && carrierServices.has(r.serviceId) && (
              <span className="actions">
                <button
                  type="button"
                  className="primary"
                  disabled={pending}
                  onClick={() =>
                    void act(
                      'POST',
                      `/v1/bookings/${booking.id}/rides/${r.rideIndex}/amendment/confirm`,
                    )
                  }
                >
                  {t('bookings.confirmAmendment')}
                </button>
                <ConfirmButton
                  label={t('bookings.declineAmendment')}
                  question={t('confirm.declineAmendment', { id: booking.id })}
                  yes={t('confirm.declineAmendmentYes')}
                  disabled={pending}
                  onConfirm={() =>
                    void act(
                      'POST',
                      `/v1/bookings/${booking.id}/rides/${r.rideIndex}/amendment/decline`,
                    )
                  }
                />
              </span>
            )}
          </li>
        ))}
      </ol>
      {own && waiting && (
        <p>
          <button
            type="button"
            disabled={pending}
            onClick={() => void act('POST', `/v1/bookings/${booking.id}/amendment/cancel`)}
          >
            {t('bookings.withdrawAmendment')}
          </button>
        </p>
      )}
    </div>
  );
}

/** A cancellation asked of a confirmed booking: its status; each ride's carrier decides it. */
function CancellationView({
  booking,
  carrierServices,
  pending,
  act,
}: {
  booking: Booking;
  carrierServices: ReadonlySet<string>;
  pending: boolean;
  act: Act;
}) {
  const { t } = useI18n();
  const c = booking.cancellation!;
  const waiting = c.status === 'CANCELLATION_RECEIVED';
  return (
    <div className="card stack" data-testid="booking-cancellation">
      <h2>
        {t('bookings.cancellation')}{' '}
        <span className={`state state-${c.status}`}>{t(`cancellationStatus.${c.status}`)}</span>
      </h2>
      {waiting && <p>{t('bookings.cancellationWaits')}</p>}
      {c.reason && <p>{t('bookings.reason', { reason: c.reason })}</p>}
      {waiting &&
        c.rides
          .filter((r) => r.state === 'REQUESTED' && carrierServices.has(r.serviceId))
          .map((r) => (
            <p key={r.rideIndex} className="actions">
              <button
                type="button"
                className="primary"
                disabled={pending}
                onClick={() =>
                  void act(
                    'POST',
                    `/v1/bookings/${booking.id}/rides/${r.rideIndex}/cancellation/confirm`,
                  )
                }
              >
                {t('bookings.confirmCancellation')}
              </button>{' '}
              <button
                type="button"
                disabled={pending}
                onClick={() =>
                  void act(
                    'POST',
                    `/v1/bookings/${booking.id}/rides/${r.rideIndex}/cancellation/decline`,
                  )
                }
              >
                {t('bookings.declineCancellation')}
              </button>
            </p>
          ))}
    </div>
  );
}

/**
 * A booking whose hold expired or that a carrier declined: the same rides booked again (while
 * they have not left), or a fresh plan for the same journey.
 */
function Rebook({ booking }: { booking: Booking }) {
  const { t } = useI18n();
  const [error, setError] = useState<Error | null>(null);
  const { pending, run } = useAction();
  const rebook = () =>
    void run(() =>
      api<{ id: string }>('POST', '/v1/bookings', {
        rides: booking.rides.map((r) => ({ tripId: r.tripId, from: r.fromNodeId, to: r.toNodeId })),
        containers: booking.containers.map((c) => ({
          type: c.type,
          count: c.count,
          grossKg: c.grossKg,
        })),
        hazardous: booking.hazardous,
      })
        .then((b) => (setError(null), navigate(`/bookings/${b.id}`)))
        .catch((e: unknown) => setError(e as Error)),
    );
  return (
    <div className="card stack" data-testid="rebook">
      <p>{t('bookings.rebookIntro')}</p>
      <p className="actions">
        <button type="button" className="primary" disabled={pending} onClick={rebook}>
          {t('bookings.rebook')}
        </button>{' '}
        <PlanAgain booking={booking} />
      </p>
      <Problem error={error} />
    </div>
  );
}

/** The planner on the booking's journey, from its first boarding to its last stop. */
function PlanAgain({ booking }: { booking: Booking }) {
  const { t } = useI18n();
  const network = useNetwork();
  const place = (n: string | undefined) => (n ? (network?.byId.get(n)?.name ?? n) : '');
  const to = `/planner?${new URLSearchParams({
    from: place(booking.rides[0]?.fromNodeId),
    to: place(booking.rides.at(-1)?.toNodeId),
  }).toString()}`;
  return <Link to={to}>{t('bookings.planAgain')}</Link>;
}
