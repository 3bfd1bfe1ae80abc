import type { z } from 'zod';
import type { shipmentSchema } from '../../../api/tracking.ts';
import { Link, useLocation } from '../../app/router.tsx';
import { CopyId, Loading, Problem, Time } from '../../components/common.tsx';
import {
  ListToolbar,
  useListTools,
  type ListColumn,
  type SortOption,
} from '../../components/list-tools.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { placeShortName } from '../../i18n/place-names.ts';
import { useApi } from '../../lib/use-api.ts';
import { CorridorMap } from '../map/CorridorMap.tsx';
import { useNetwork } from '../map/network.ts';
import { Subscriptions } from './Subscriptions.tsx';

type Shipment = z.infer<typeof shipmentSchema>;

/** How often an open shipment asks for news: events and the ETA move without a reload. */
const LIVE_MS = 5000;

export default function ShipmentsPage() {
  const { path } = useLocation();
  const id = path.split('/')[2];
  return id ? <ShipmentDetail id={id} /> : <ShipmentList />;
}

const STATUSES = ['PLANNED', 'AT_NODE', 'ON_RIDE', 'ARRIVED'] as const;

/** A shipment by its own reference, else its containers and journey: "MSKU1234565 · Qingdao → Baku". */
function shipmentTitle(s: Shipment, short: (id: string) => string): string {
  const from = s.itinerary[0]?.stops[0]?.nodeId;
  const to = s.itinerary.at(-1)?.stops.at(-1)?.nodeId;
  const journey = from && to ? `${short(from)} → ${short(to)}` : '';
  const boxes = s.containers.map((c) => c.equipmentReference).join(', ');
  return [s.reference, boxes, journey].filter(Boolean).join(' · ');
}

function ShipmentList() {
  const { t, dateTime, language } = useI18n();
  const network = useNetwork();
  const { data, error } = useApi<{ shipments: Shipment[]; total: number }>(
    '/v1/shipments',
    LIVE_MS,
  );
  const name = (id: string) => network?.byId.get(id)?.name ?? id;
  const short = (id: string) => {
    const node = network?.byId.get(id);
    return node ? placeShortName(language, node) : id;
  };
  const shipments = data?.shipments ?? [];
  const destination = (s: Shipment) => s.itinerary.at(-1)?.stops.at(-1)?.nodeId ?? '';
  const zone = (s: Shipment) => network?.byId.get(destination(s))?.timeZone;
  const columns: ListColumn<Shipment>[] = [
    { label: t('shipments.shipment'), text: (s) => shipmentTitle(s, short) },
    { label: t('shipments.status'), text: (s) => t(`status.${s.status}` as MessageKey) },
    { label: t('shipments.position'), text: (s) => name(s.position.nodeId) },
    { label: 'ETA P50', text: (s) => (s.eta ? dateTime(s.eta.p50, zone(s)) : '') },
    { label: 'ETA P90', text: (s) => (s.eta ? dateTime(s.eta.p90, zone(s)) : '') },
    { label: t('bookings.reference'), text: (s) => s.id },
  ];
  const time = (iso: string | undefined) => (iso ? Date.parse(iso) : Infinity);
  const sorts: SortOption<Shipment>[] = [
    {
      key: 'new',
      label: t('list.newest'),
      compare: (a, b) => time(b.createdAt) - time(a.createdAt),
    },
    {
      key: 'eta',
      label: t('shipments.sortEta'),
      compare: (a, b) => time(a.eta?.p50) - time(b.eta?.p50),
    },
  ];
  const filter = {
    label: t('shipments.status'),
    options: STATUSES.map((x) => ({ value: x, label: t(`status.${x}` as MessageKey) })),
    valueOf: (s: Shipment) => s.status,
  };
  const tools = useListTools({ rows: shipments, columns, sorts, filter });
  return (
    <section>
      <h1>{t('nav.shipments')}</h1>
      <Problem error={error} />
      <Loading when={data}>
        {shipments.length === 0 ? (
          <p>{t('shipments.empty')}</p>
        ) : (
          <>
            <ListToolbar
              name={t('nav.shipments')}
              tools={tools}
              total={data?.total ?? shipments.length}
              columns={columns}
              sorts={sorts}
              filter={filter}
            />
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('nav.shipments')}>
              <table>
                <caption>{t('nav.shipments')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('shipments.shipment')}</th>
                    <th scope="col">{t('shipments.status')}</th>
                    <th scope="col">{t('shipments.position')}</th>
                    <th scope="col">{t('shipments.eta')}</th>
                  </tr>
                </thead>
                <tbody>
                  {tools.shown.map((s) => (
                    <tr key={s.id} data-testid="shipment-row">
                      <th scope="row">
                        <Link to={`/shipments/${s.id}`} title={s.id}>
                          {shipmentTitle(s, short)}
                        </Link>
                      </th>
                      <td>{t(`status.${s.status}` as MessageKey)}</td>
                      <td>{name(s.position.nodeId)}</td>
                      <td>
                        {s.eta ? (
                          <>
                            <Time iso={s.eta.p50} zone={zone(s)} /> –{' '}
                            <Time iso={s.eta.p90} zone={zone(s)} />
                          </>
                        ) : (
                          t('common.none')
                        )}
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

/** Event codes (DCSA) a person reads in words; others by their code. */
const EVENT_WORDS = [
  'ARRI',
  'DEPA',
  'LOAD',
  'DISC',
  'GTIN',
  'GTOT',
  'STUF',
  'STRP',
  'INSP',
  'CUSS',
  'CUSI',
  'CUSR',
  'CROS',
];

/**
 * Each stop of the shipment's rides with its planned time and what happened there (the first
 * actual event at the place), side by side, and the difference in hours: late or early.
 */
function PlannedActual({ shipment: s }: { shipment: Shipment }) {
  const { t, number, language } = useI18n();
  const network = useNetwork();
  const rows = s.itinerary.flatMap((r) =>
    r.stops.map((st, i) => {
      const planned = i === 0 ? st.plannedDeparture : (st.plannedArrival ?? st.plannedDeparture);
      const wanted = i === 0 ? 'DEPA' : 'ARRI';
      const actual = s.events
        .filter(
          (e) =>
            e.eventClassifierCode === 'ACT' &&
            e.eventLocation?.UNLocationCode === st.UNLocationCode &&
            (e.transportEventTypeCode ?? e.equipmentEventTypeCode) === wanted,
        )
        .sort((a, b) => a.eventDateTime.localeCompare(b.eventDateTime))[0];
      return { key: `${r.rideIndex}-${i}`, nodeId: st.nodeId, planned, actual, wanted };
    }),
  );
  return (
    <div
      className="table-wrap"
      tabIndex={0}
      role="region"
      aria-label={t('shipments.plannedActual')}
    >
      <table data-testid="planned-actual">
        <caption>{t('shipments.plannedActual')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('shipments.stop')}</th>
            <th scope="col">{t('shipments.planned')}</th>
            <th scope="col">{t('shipments.actual')}</th>
            <th scope="col">{t('shipments.difference')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const zone = network?.byId.get(row.nodeId)?.timeZone;
            const hours =
              row.planned && row.actual
                ? (Date.parse(row.actual.eventDateTime) - Date.parse(row.planned)) / 3_600_000
                : null;
            return (
              <tr key={row.key}>
                <th scope="row">
                  <span title={network?.byId.get(row.nodeId)?.name}>
                    {placeShortName(
                      language,
                      network?.byId.get(row.nodeId) ?? { name: row.nodeId, aliases: [] },
                    )}
                  </span>{' '}
                  · {t(row.wanted === 'DEPA' ? 'event.DEPA' : 'event.ARRI')}
                </th>
                <td>
                  <Time iso={row.planned} zone={zone} />
                </td>
                <td>
                  {row.actual ? (
                    <Time iso={row.actual.eventDateTime} zone={zone} />
                  ) : (
                    t('shipments.notYet')
                  )}
                </td>
                <td data-testid="difference">
                  {hours === null
                    ? t('common.none')
                    : Math.abs(hours) < 1
                      ? t('shipments.onTime')
                      : hours > 0
                        ? t('shipments.late', { hours: number(hours, 1) })
                        : t('shipments.early', { hours: number(-hours, 1) })}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function ShipmentDetail({ id }: { id: string }) {
  const { t, language } = useI18n();
  const eventWords = (code: string) =>
    EVENT_WORDS.includes(code) ? t(`event.${code}` as MessageKey) : code;
  const network = useNetwork();
  const { data: s, error } = useApi<Shipment>(`/v1/shipments/${id}`, LIVE_MS);
  const name = (n: string) => network?.byId.get(n)?.name ?? n;
  const zoneAt = (locode: string | undefined) =>
    network?.nodes.find((n) => n.unLocode === locode)?.timeZone;
  const dest = s?.itinerary.at(-1)?.stops.at(-1)?.nodeId ?? '';
  const destZone = network?.byId.get(dest)?.timeZone;
  return (
    <section>
      <p>
        <Link to="/shipments">← {t('nav.shipments')}</Link>
      </p>
      <Problem error={error} />
      <Loading when={s}>
        {s && (
          <>
            <h1>
              {shipmentTitle(s, (n) => {
                const node = network?.byId.get(n);
                return node ? placeShortName(language, node) : name(n);
              })}{' '}
              · <span data-testid="shipment-status">{t(`status.${s.status}` as MessageKey)}</span>
            </h1>
            <p className="muted" aria-live="polite">
              {t('shipments.live')} · <CopyId id={s.id} />
            </p>
            <dl className="facts">
              <dt>{t('shipments.position')}</dt>
              <dd>
                {name(s.position.nodeId)}
                {s.position.nextNodeId && ` → ${name(s.position.nextNodeId)}`}
              </dd>
              <dt>{t('shipments.eta')}</dt>
              <dd data-testid="shipment-eta">
                {s.eta ? (
                  <>
                    <Time iso={s.eta.p50} zone={destZone} /> –{' '}
                    <Time iso={s.eta.p90} zone={destZone} />
                  </>
                ) : (
                  t('common.none')
                )}
              </dd>
              <dt>{t('shipments.promisedP90')}</dt>
              <dd>
                <Time iso={s.promisedArrival} zone={destZone} />
              </dd>
            </dl>
            {s.alerts.length > 0 && (
              <div role="alert" className="notice">
                <h2>{t('shipments.alerts')}</h2>
                <ul>
                  {s.alerts.map((a, i) => (
                    <li key={i}>
                      <Time iso={a.at} /> {a.message}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <div className="results">
              <div>
                <h2>{t('shipments.plannedActual')}</h2>
                <PlannedActual shipment={s} />
                <h2>{t('shipments.timeline')}</h2>
                <ol className="timeline" data-testid="timeline">
                  {[...s.events]
                    .sort((a, b) => a.eventDateTime.localeCompare(b.eventDateTime))
                    .map((e) => {
                      const code =
                        e.transportEventTypeCode ??
                        e.equipmentEventTypeCode ??
                        e.shipmentEventTypeCode ??
                        '';
                      const node = network?.nodes.find(
                        (n) => n.unLocode === e.eventLocation?.UNLocationCode,
                      );
                      return (
                        <li key={e.eventID} className={`event ${e.eventClassifierCode}`}>
                          <strong title={code}>{eventWords(code)}</strong> ·{' '}
                          {t(`classifier.${e.eventClassifierCode}` as MessageKey)} ·{' '}
                          {node
                            ? placeShortName(language, node)
                            : (e.eventLocation?.UNLocationCode ?? '')}{' '}
                          {e.equipmentReference ?? ''} ·{' '}
                          <Time
                            iso={e.eventDateTime}
                            zone={zoneAt(e.eventLocation?.UNLocationCode)}
                          />
                        </li>
                      );
                    })}
                </ol>
              </div>
              <CorridorMap
                route={{
                  legs: s.itinerary.map((r) => ({
                    from: r.stops[0]!.nodeId,
                    to: r.stops.at(-1)!.nodeId,
                    mode: 'rail',
                  })),
                }}
                position={s.position.nodeId}
              />
            </div>
            <Subscriptions shipmentId={s.id} />
          </>
        )}
      </Loading>
    </section>
  );
}
