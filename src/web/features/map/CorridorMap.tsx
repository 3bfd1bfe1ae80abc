import { geoConicEqualArea, geoPath, type GeoPermissibleObjects } from 'd3-geo';
import { useEffect, useMemo, useState } from 'react';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { MessageKey } from '../../i18n/en.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { loadNetwork, type MapNetwork } from './network.ts';

/**
 * The corridor drawn offline: Natural Earth countries from world-atlas, projected with d3-geo
 * (no tiles, no network), the platform's nodes by kind and links by mode, the services of a node
 * on hover, and a route's legs or a position highlighted.
 */

export interface MapRoute {
  /** Node ids in travel order, one polyline per leg. */
  legs: { from: string; to: string; mode: string }[];
}

const W = 960;
const H = 420;

type Countries = GeoPermissibleObjects[];
let countries: Promise<Countries> | undefined;

function loadCountries(): Promise<Countries> {
  countries ??= import('world-atlas/countries-110m.json').then((m) => {
    const topo = (m as { default: unknown }).default as Topology<{
      countries: GeometryCollection;
    }>;
    return (feature(topo, topo.objects.countries) as unknown as { features: Countries }).features;
  });
  return countries;
}

const KIND_COLOURS: Record<string, string> = {
  seaport: '#0b5cad',
  rail_terminal: '#7a3e00',
  border_crossing: '#b00020',
  dry_port: '#6a1b9a',
  free_economic_zone: '#00695c',
  city: '#37474f',
};

const MODE_STYLE: Record<string, { stroke: string; dash?: string }> = {
  rail: { stroke: '#6d4c41' },
  road: { stroke: '#9e9e9e', dash: '2 3' },
  ferry: { stroke: '#1565c0', dash: '6 4' },
  sea: { stroke: '#1565c0', dash: '6 4' },
};

export function CorridorMap({
  route,
  position,
  height = H,
}: {
  route?: MapRoute | undefined;
  position?: string | null | undefined;
  height?: number;
}) {
  const { t } = useI18n();
  const [world, setWorld] = useState<Countries | null>(null);
  const [network, setNetwork] = useState<MapNetwork | null>(null);
  useEffect(() => {
    let live = true;
    void Promise.all([loadCountries(), loadNetwork()]).then(([c, n]) => {
      if (!live) return;
      setWorld(c);
      setNetwork(n);
    });
    return () => {
      live = false;
    };
  }, []);
  const projection = useMemo(() => {
    if (!network) return null;
    // Framed on the corridor from the Black Sea to the Yellow Sea: the Caspian crossing in the
    // middle; places further west (Rotterdam, Duisburg) fall off the edge.
    const points = {
      type: 'MultiPoint' as const,
      coordinates: network.nodes.filter((n) => n.lon >= 27).map((n) => [n.lon, n.lat]),
    };
    return geoConicEqualArea()
      .parallels([38, 50])
      .rotate([-62, 0])
      .fitExtent(
        [
          [20, 20],
          [W - 20, height - 20],
        ],
        points,
      )
      .clipExtent([
        [0, 0],
        [W, height],
      ]);
  }, [network, height]);
  if (!world || !network || !projection)
    return (
      <div className="map-frame" style={{ aspectRatio: `${W} / ${height}` }}>
        <p className="loading">{t('map.loading')}</p>
      </div>
    );
  const path = geoPath(projection).digits(1);
  const at = (id: string) => {
    const n = network.byId.get(id);
    return n ? (projection([n.lon, n.lat]) ?? [0, 0]) : [0, 0];
  };
  const caspian = projection([50.6, 41.6]) ?? [0, 0];
  const onRoute = new Set(route?.legs.flatMap((l) => [l.from, l.to]) ?? []);
  return (
    <figure className="map-frame">
      <svg
        viewBox={`0 0 ${W} ${height}`}
        role="img"
        aria-label={t('map.title')}
        className="map"
        data-testid="corridor-map"
      >
        <rect width={W} height={height} className="sea" />
        <g className="countries">
          {world.map((c, i) => (
            <path key={i} d={path(c) ?? ''} />
          ))}
        </g>
        <text x={caspian[0]} y={caspian[1]} className="water-label" textAnchor="middle">
          {t('map.caspian')}
        </text>
        <g className="links">
          {network.links.map((l) => {
            const [a, b] = [at(l.from), at(l.to)];
            const style = MODE_STYLE[l.mode] ?? MODE_STYLE.rail!;
            return (
              <line
                key={l.id}
                x1={a[0]}
                y1={a[1]}
                x2={b[0]}
                y2={b[1]}
                stroke={style.stroke}
                strokeDasharray={style.dash}
                strokeWidth={1.5}
              >
                <title>{`${network.byId.get(l.from)?.name} – ${network.byId.get(l.to)?.name}: ${t(`mode.${l.mode}` as MessageKey)}, ${l.distanceKm} km`}</title>
              </line>
            );
          })}
        </g>
        {route && (
          <g className="route" data-testid="map-route">
            {route.legs.map((l, i) => {
              const [a, b] = [at(l.from), at(l.to)];
              return <line key={i} x1={a[0]} y1={a[1]} x2={b[0]} y2={b[1]} />;
            })}
          </g>
        )}
        <g className="nodes">
          {network.nodes.map((n) => {
            const [x, y] = at(n.id);
            const services = network.servicesAt.get(n.id) ?? [];
            return (
              <circle
                key={n.id}
                cx={x}
                cy={y}
                r={onRoute.has(n.id) ? 5 : 3.5}
                fill={KIND_COLOURS[n.kind] ?? '#333'}
                className={onRoute.has(n.id) ? 'on-route' : undefined}
              >
                <title>
                  {`${n.name} (${t(`kind.${n.kind}` as MessageKey)}${n.unLocode ? `, ${n.unLocode}` : ''})\n${t('map.services', { list: services.join(', ') || '—' })}`}
                </title>
              </circle>
            );
          })}
        </g>
        {position && (
          <circle
            cx={at(position)[0]}
            cy={at(position)[1]}
            r={9}
            className="position"
            data-testid="map-position"
          />
        )}
      </svg>
      <figcaption className="legend">
        <span className="sr-only">{t('map.legend')}: </span>
        {Object.entries(KIND_COLOURS).map(([kind, colour]) => (
          <span key={kind}>
            <svg width="10" height="10" aria-hidden="true">
              <circle cx="5" cy="5" r="4" fill={colour} />
            </svg>{' '}
            {t(`kind.${kind}` as MessageKey)}
          </span>
        ))}
        {Object.entries(MODE_STYLE)
          .filter(([m]) => m !== 'sea')
          .map(([mode, s]) => (
            <span key={mode}>
              <svg width="18" height="10" aria-hidden="true">
                <line
                  x1="0"
                  y1="5"
                  x2="18"
                  y2="5"
                  stroke={s.stroke}
                  strokeDasharray={s.dash}
                  strokeWidth="2"
                />
              </svg>{' '}
              {t(`mode.${mode}` as MessageKey)}
            </span>
          ))}
      </figcaption>
    </figure>
  );
}
