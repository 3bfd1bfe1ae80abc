import type { ReactNode } from 'react';
import type { Itinerary } from '../../../api/plan.ts';
import { Time } from '../../components/common.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { useI18n, type I18n } from '../../i18n/i18n.tsx';
import { neededDocumentName } from '../../i18n/names.ts';
import { placeShortName } from '../../i18n/place-names.ts';
import type { MapNetwork } from '../map/network.ts';
import { axisTicks, daysFrom, routePlaces } from './itinerary-facts.ts';

/**
 * Short names of places in the user's language, full names, and time zones, from the network the
 * page loaded.
 */
export function placeNames(network: MapNetwork | null, language: string) {
  const node = (id: string) => network?.byId.get(id);
  return {
    name: (id: string) => node(id)?.name ?? id,
    short: (id: string) => {
      const n = node(id);
      return n ? placeShortName(language, n) : id;
    },
    zone: (id: string) => node(id)?.timeZone,
  };
}

/**
 * The documents an itinerary needs, in the user's language; an itinerary kept from before the
 * plan named them by kind (a recent plan in the browser) keeps its English names.
 */
export function documentNames(t: I18n['t'], it: Itinerary): string {
  const needed = (it as Partial<Itinerary>).requiredDocuments;
  return needed ? needed.map((d) => neededDocumentName(t, d)).join(', ') : it.documents.join(', ');
}

/** A place by its short name, its full name on hover. */
function Place({ id, places }: { id: string; places: ReturnType<typeof placeNames> }) {
  return <span title={places.name(id)}>{places.short(id)}</span>;
}

/** "25.9 days", or "23.1–30.4 days" when P50 and P90 differ as shown. */
export function useDays() {
  const { t } = useI18n();
  return (p50: number, p90: number) => {
    // Rounded to tenths, the message writes them the locale's way with the plural of the noun.
    const a = Math.round(p50 * 10) / 10;
    const b = Math.round(p90 * 10) / 10;
    return a === b ? t('planner.daysOne', { days: a }) : t('planner.days', { p50: a, p90: b });
  };
}

/**
 * Transit from the ready date on a days axis every card shares: the solid part to P50, the
 * lighter part on to P90, with the axis's days beneath.
 */
function TransitBar({
  p50,
  p90,
  max,
  label,
}: {
  p50: number;
  p90: number;
  max: number;
  label: string;
}) {
  const { number } = useI18n();
  const at = (x: number) => `${Math.max(0, Math.min(100, (x / max) * 100))}%`;
  return (
    <div className="transit-bar">
      <div className="range" role="img" aria-label={label} title={label}>
        <div className="range-p90" style={{ width: at(p90) }} />
        <div className="range-p50" style={{ width: at(p50) }} />
      </div>
      <div className="axis" aria-hidden="true" data-testid="transit-axis">
        {axisTicks(max).map((d) => (
          <span key={d} style={{ left: at(d) }}>
            {number(d)}
          </span>
        ))}
      </div>
    </div>
  );
}

/**
 * One itinerary as a shipper compares it: its corridor and the places it goes through, when it
 * leaves and arrives (P50 and P90, in the destination's time zone), transit counted from the day
 * the cargo is ready, cost with the price of each leg, CO2e, customs regimes and documents in
 * words.
 */
export function ItineraryCard({
  it,
  ready,
  maxDays,
  network,
  chosen,
  actions,
}: {
  it: Itinerary;
  /** When the cargo is ready (the plan's `request.depart`), ISO 8601. */
  ready: string;
  maxDays: number;
  network: MapNetwork | null;
  chosen: boolean;
  actions: ReactNode;
}) {
  const { t, money, number, language } = useI18n();
  const places = placeNames(network, language);
  const days = useDays();
  const rides = it.legs.filter((l) => l.kind === 'ride');
  const origin = rides[0]?.from ?? '';
  const destination = rides.at(-1)?.to ?? '';
  const via = routePlaces(it, places);
  const p50 = daysFrom(ready, it.arrivalP50);
  const p90 = daysFrom(ready, it.arrivalP90);
  const transit = days(p50, p90);
  const regimes = it.regimes.map(
    (r) => `${t(`regime.${r.customsRegime}` as MessageKey)} (${r.countries.join('–')})`,
  );
  return (
    <li className={`card itinerary${chosen ? ' chosen' : ''}`} data-testid="itinerary">
      <h2>
        {t(`corridor.${it.corridor}` as MessageKey)}
        {via.length > 0 && (
          <span className="via" data-testid="route-label">
            {' '}
            · {t('planner.via', { places: via.join(', ') })}
          </span>
        )}
      </h2>
      <TransitBar
        p50={p50}
        p90={p90}
        max={maxDays}
        label={`${t('planner.transitFromReady')}: ${transit}`}
      />
      <dl className="facts">
        <dt>{t('planner.transitFromReady')}</dt>
        <dd data-testid="transit">{transit}</dd>
        <dt>{t('planner.departs')}</dt>
        <dd>
          <Time iso={it.departure} zone={places.zone(origin)} />
        </dd>
        <dt>{t('planner.arrivalP50')}</dt>
        <dd data-testid="arrival-p50">
          <Time iso={it.arrivalP50} zone={places.zone(destination)} />
        </dd>
        <dt>{t('planner.arrivalP90')}</dt>
        <dd data-testid="arrival-p90">
          <Time iso={it.arrivalP90} zone={places.zone(destination)} />
        </dd>
        <dt>{t('planner.cost')}</dt>
        <dd data-testid="cost">{money(it.costUsd)}</dd>
        <dt>{t('planner.co2e')}</dt>
        <dd>{number(it.co2eKg)} kg</dd>
        <dt>{t('planner.transfers')}</dt>
        <dd>{it.transfers}</dd>
        <dt>{t('planner.regimes')}</dt>
        <dd data-testid="regimes">{regimes.join(' · ')}</dd>
      </dl>
      <details>
        <summary>{t('planner.legsAndPrices')}</summary>
        <ol className="legs" data-testid="legs">
          {it.legs.map((l, i) =>
            l.kind === 'ride' ? (
              <li key={i}>
                <Place id={l.from} places={places} /> → <Place id={l.to} places={places} /> ·{' '}
                {t(`mode.${l.mode}` as MessageKey)} · {l.operator} ·{' '}
                <Time iso={l.departure} zone={places.zone(l.from)} /> ·{' '}
                <strong>{money(l.costUsd)}</strong>
              </li>
            ) : (
              <li key={i} className="dwell">
                <Place id={l.node} places={places} />: {t(`operation.${l.operation}`)}{' '}
                {number(l.p50Hours) === number(l.p90Hours)
                  ? `${number(l.p50Hours)} h`
                  : `${number(l.p50Hours)}–${number(l.p90Hours)} h`}
              </li>
            ),
          )}
        </ol>
        <p data-testid="documents">
          {t('planner.documents')}: {documentNames(t, it)}
        </p>
      </details>
      {actions}
    </li>
  );
}
