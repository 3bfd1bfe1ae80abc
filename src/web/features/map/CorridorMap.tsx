import { geoConicEqualArea, geoPath, type GeoPermissibleObjects } from 'd3-geo';
import { useEffect, useMemo, useRef, useState, type PointerEvent, type WheelEvent } from 'react';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { MessageKey } from '../../i18n/en.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { placeShortName } from '../../i18n/place-names.ts';
import { loadNetwork, type MapNetwork } from './network.ts';
import seaLanes from './sea-lanes.json';

/**
 * The corridor drawn offline: Natural Earth countries from world-atlas, projected with d3-geo
 * (no tiles, no network), the platform's nodes by kind and links by mode, the services of a node
 * on hover, and a route's legs or a position highlighted. Zoom (buttons, wheel) and pan (drag)
 * move the view; place names appear by zoom level (ports and borders first, every place when
 * close); a route chosen is framed in view. Sea and ferry links follow their sea lanes
 * (sea-lanes.json: paths over water found from the same Natural Earth land, through the straits)
 * instead of a straight line across the land.
 */

/** The part of the drawing in view: its centre and how many times it is enlarged. */
interface View {
  x: number;
  y: number;
  scale: number;
}

const MAX_SCALE = 8;

/** Kinds named from this zoom on: gateways at once, the rest when closer. */
const LABEL_FROM: Record<string, number> = {
  seaport: 1,
  border_crossing: 2,
  dry_port: 2,
  free_economic_zone: 3,
  rail_terminal: 3,
  city: 2,
};

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

const LANES = seaLanes as unknown as Record<string, [number, number][]>;

/**
 * The path over water of a leg by sea between two places, in travel order: the lane of the
 * shortest sea or ferry link of its mode joining them (the link the planner runs), if any.
 */
function seaLaneOf(
  network: MapNetwork,
  leg: { from: string; to: string; mode: string },
): [number, number][] | undefined {
  const link = network.links
    .filter(
      (l) =>
        l.mode === leg.mode &&
        LANES[l.id] &&
        ((l.from === leg.from && l.to === leg.to) || (l.from === leg.to && l.to === leg.from)),
    )
    .sort((a, b) => a.distanceKm - b.distanceKm)[0];
  if (!link) return undefined;
  const lane = LANES[link.id]!;
  return link.from === leg.from ? lane : [...lane].reverse();
}

/** Keeps the view's centre where the drawing still fills the frame. */
function clampView(v: View, height: number): View {
  const halfW = W / 2 / v.scale;
  const halfH = height / 2 / v.scale;
  return {
    scale: v.scale,
    x: Math.min(W - halfW, Math.max(halfW, v.x)),
    y: Math.min(height - halfH, Math.max(halfH, v.y)),
  };
}

export function CorridorMap({
  route,
  position,
  height = H,
}: {
  route?: MapRoute | undefined;
  position?: string | null | undefined;
  height?: number;
}) {
  const { t, language } = useI18n();
  const [view, setView] = useState<View>({ x: W / 2, y: height / 2, scale: 1 });
  const drag = useRef<{ x: number; y: number; view: View } | null>(null);
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
  const routeKey = route?.legs.map((l) => `${l.from}>${l.to}`).join(',') ?? '';
  // A route chosen is framed: its places in view, enlarged at most four times.
  useEffect(() => {
    if (!network || !projection || !route || route.legs.length === 0) return;
    const points = route.legs
      .flatMap((l): [number, number][] => {
        const a = network.byId.get(l.from);
        const b = network.byId.get(l.to);
        return (
          seaLaneOf(network, l) ??
          (a && b
            ? [
                [a.lon, a.lat],
                [b.lon, b.lat],
              ]
            : [])
        );
      })
      .map((p) => projection(p) ?? [W / 2, height / 2]);
    const xs = points.map((p) => p[0]!);
    const ys = points.map((p) => p[1]!);
    const x0 = Math.min(...xs);
    const x1 = Math.max(...xs);
    const y0 = Math.min(...ys);
    const y1 = Math.max(...ys);
    const scale = Math.max(
      1,
      Math.min(4, W / Math.max(1, (x1 - x0) * 1.3), height / Math.max(1, (y1 - y0) * 1.3)),
    );
    setView(clampView({ x: (x0 + x1) / 2, y: (y0 + y1) / 2, scale }, height));
    // Framed again only when the route's places change, not on each render.
  }, [routeKey, network, projection, height]);
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
  const k = view.scale;
  const box = [view.x - W / 2 / k, view.y - height / 2 / k, W / k, height / k];
  const zoom = (factor: number, at?: { x: number; y: number }) =>
    setView((v) => {
      const scale = Math.max(1, Math.min(MAX_SCALE, v.scale * factor));
      // Zooming at a point keeps that point where it is on screen.
      const c = at ?? { x: v.x, y: v.y };
      const f = v.scale / scale;
      return clampView({ x: c.x + (v.x - c.x) * f, y: c.y + (v.y - c.y) * f, scale }, height);
    });
  /** The drawing's coordinates under a pointer. */
  const pointAt = (e: { clientX: number; clientY: number; currentTarget: Element }) => {
    const r = e.currentTarget.getBoundingClientRect();
    return {
      x: box[0]! + ((e.clientX - r.left) / r.width) * box[2]!,
      y: box[1]! + ((e.clientY - r.top) / r.height) * box[3]!,
    };
  };
  const onWheel = (e: WheelEvent<SVGSVGElement>) => zoom(e.deltaY < 0 ? 1.25 : 0.8, pointAt(e));
  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    drag.current = { x: e.clientX, y: e.clientY, view };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d) return;
    const r = e.currentTarget.getBoundingClientRect();
    const perPx = box[2]! / r.width;
    setView(
      clampView(
        {
          x: d.view.x - (e.clientX - d.x) * perPx,
          y: d.view.y - (e.clientY - d.y) * perPx,
          scale: d.view.scale,
        },
        height,
      ),
    );
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const labelled = network.nodes.filter((n) => onRoute.has(n.id) || k >= (LABEL_FROM[n.kind] ?? 3));
  return (
    <figure className="map-frame">
      <div className="map-zoom" role="group" aria-label={t('map.zoom')}>
        <button type="button" onClick={() => zoom(2)} disabled={k >= MAX_SCALE}>
          {t('map.zoomIn')}
        </button>
        <button type="button" onClick={() => zoom(0.5)} disabled={k <= 1}>
          {t('map.zoomOut')}
        </button>
        <button
          type="button"
          onClick={() => setView({ x: W / 2, y: height / 2, scale: 1 })}
          disabled={k === 1}
        >
          {t('map.whole')}
        </button>
      </div>
      <svg
        viewBox={box.map((x) => x.toFixed(1)).join(' ')}
        role="img"
        aria-label={t('map.title')}
        className="map"
        data-testid="corridor-map"
        data-scale={k.toFixed(2)}
        onWheel={onWheel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        <rect width={W} height={height} className="sea" />
        <g className="countries">
          {world.map((c, i) => (
            <path
              key={i}
              d={path(c) ?? ''}
              data-country={(c as { properties?: { name?: string } }).properties?.name}
            />
          ))}
        </g>
        <text x={caspian[0]} y={caspian[1]} className="water-label" textAnchor="middle">
          {t('map.caspian')}
        </text>
        <g className="links">
          {network.links.map((l) => {
            const [a, b] = [at(l.from), at(l.to)];
            const style = MODE_STYLE[l.mode] ?? MODE_STYLE.rail!;
            const title = (
              <title>{`${network.byId.get(l.from)?.name} – ${network.byId.get(l.to)?.name}: ${t(`mode.${l.mode}` as MessageKey)}, ${l.distanceKm} km`}</title>
            );
            const lane = LANES[l.id];
            return lane ? (
              <path
                key={l.id}
                d={path({ type: 'LineString', coordinates: lane }) ?? ''}
                data-link={l.id}
                fill="none"
                stroke={style.stroke}
                strokeDasharray={style.dash}
                strokeWidth={1.5}
                vectorEffect="non-scaling-stroke"
              >
                {title}
              </path>
            ) : (
              <line
                key={l.id}
                x1={a[0]}
                y1={a[1]}
                x2={b[0]}
                y2={b[1]}
                stroke={style.stroke}
                strokeDasharray={style.dash}
                strokeWidth={1.5}
                vectorEffect="non-scaling-stroke"
              >
                {title}
              </line>
            );
          })}
        </g>
        {route && (
          <g className="route" data-testid="map-route">
            {route.legs.map((l, i) => {
              const [a, b] = [at(l.from), at(l.to)];
              const lane = seaLaneOf(network, l);
              if (lane)
                return (
                  <path
                    key={i}
                    d={path({ type: 'LineString', coordinates: lane }) ?? ''}
                    data-testid="map-sea-leg"
                    vectorEffect="non-scaling-stroke"
                  />
                );
              return (
                <line
                  key={i}
                  x1={a[0]}
                  y1={a[1]}
                  x2={b[0]}
                  y2={b[1]}
                  vectorEffect="non-scaling-stroke"
                />
              );
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
                r={(onRoute.has(n.id) ? 5 : 3.5) / Math.sqrt(k)}
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
        <g className="place-labels" data-testid="place-labels">
          {labelled.map((n) => {
            const [x, y] = at(n.id);
            return (
              <text
                key={n.id}
                x={x! + 6 / k}
                y={y! + 3 / k}
                fontSize={11 / k}
                className="place-label"
              >
                {placeShortName(language, n)}
              </text>
            );
          })}
        </g>
        {position && (
          <circle
            cx={at(position)[0]}
            cy={at(position)[1]}
            r={9 / Math.sqrt(k)}
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
