import type { z } from 'zod';
import type { shipmentSchema } from '../../../api/tracking.ts';
import { Link, useLocation } from '../../app/router.tsx';
import { Loading, Problem, Time } from '../../components/common.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { useI18n } from '../../i18n/i18n.tsx';
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

function ShipmentList() {
  const { t } = useI18n();
  const network = useNetwork();
  const { data, error } = useApi<{ shipments: Shipment[] }>('/v1/shipments', LIVE_MS);
  const name = (id: string) => network?.byId.get(id)?.name ?? id;
  const shipments = data?.shipments ?? [];
  return (
    <section>
      <h1>{t('nav.shipments')}</h1>
      <Problem error={error} />
      <Loading when={data}>
        {shipments.length === 0 ? (
          <p>{t('shipments.empty')}</p>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table>
              <caption>{t('nav.shipments')}</caption>
              <thead>
                <tr>
                  <th scope="col">ID</th>
                  <th scope="col">{t('shipments.status')}</th>
                  <th scope="col">{t('shipments.position')}</th>
                  <th scope="col">{t('shipments.eta')}</th>
                </tr>
              </thead>
              <tbody>
                {shipments.map((s) => {
                  const dest = s.itinerary.at(-1)?.stops.at(-1)?.nodeId ?? '';
                  const zone = network?.byId.get(dest)?.timeZone;
                  return (
                    <tr key={s.id}>
                      <th scope="row">
                        <Link to={`/shipments/${s.id}`}>{s.id}</Link>
                        <div className="muted">
                          {s.containers.map((c) => c.equipmentReference).join(', ')}
                        </div>
                      </th>
                      <td>{t(`status.${s.status}` as MessageKey)}</td>
                      <td>{name(s.position.nodeId)}</td>
                      <td>
                        {s.eta ? (
                          <>
                            <Time iso={s.eta.p50} zone={zone} /> –{' '}
                            <Time iso={s.eta.p90} zone={zone} />
                          </>
                        ) : (
                          t('common.none')
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Loading>
    </section>
  );
}

function ShipmentDetail({ id }: { id: string }) {
  const { t } = useI18n();
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
              {s.id} ·{' '}
              <span data-testid="shipment-status">{t(`status.${s.status}` as MessageKey)}</span>
            </h1>
            <p className="muted" aria-live="polite">
              {t('shipments.live')} · {s.containers.map((c) => c.equipmentReference).join(', ')}
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
              <dt>{t('shipments.promised')}</dt>
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
                <h2>{t('shipments.timeline')}</h2>
                <ol className="timeline" data-testid="timeline">
                  {s.itinerary.flatMap((r) =>
                    r.stops.map((st, i) => (
                      <li key={`${r.rideIndex}-${i}`} className="planned">
                        {name(st.nodeId)} ·{' '}
                        <Time
                          iso={st.plannedDeparture ?? st.plannedArrival}
                          zone={network?.byId.get(st.nodeId)?.timeZone}
                        />
                      </li>
                    )),
                  )}
                  {[...s.events]
                    .sort((a, b) => a.eventDateTime.localeCompare(b.eventDateTime))
                    .map((e) => (
                      <li key={e.eventID} className={`event ${e.eventClassifierCode}`}>
                        <strong>
                          {e.transportEventTypeCode ??
                            e.equipmentEventTypeCode ??
                            e.shipmentEventTypeCode}
                        </strong>{' '}
                        {e.eventClassifierCode} · {e.eventLocation?.UNLocationCode ?? ''}{' '}
                        {e.equipmentReference ?? ''} ·{' '}
                        <Time
                          iso={e.eventDateTime}
                          zone={zoneAt(e.eventLocation?.UNLocationCode)}
                        />
                      </li>
                    ))}
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
