import { geoBounds, geoContains } from 'd3-geo';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  alongGreatCircle,
  findSeaPath,
  greatCircleKm,
  openStraits,
  pathLengthKm,
  rasteriseLand,
  STRAITS,
  type LandGrid,
  type LonLat,
} from '../../../src/core/network/sea-lanes.ts';
import { landFeatures, landPolygons } from '../../support/land.ts';

const QINGDAO: LonLat = [120.32, 36.05];
const ROTTERDAM: LonLat = [4.5, 51.92];
const AKTAU: LonLat = [51.15, 43.65];
const KURYK: LonLat = [51.65, 43.2];
const TURKMENBASHI: LonLat = [53.03, 40.0];
const ALAT: LonLat = [49.41, 39.95];
const POTI: LonLat = [41.655, 42.155];
const BATUMI: LonLat = [41.645, 41.65];
const CONSTANTA: LonLat = [28.65, 44.17];
const BURGAS: LonLat = [27.48, 42.49];
const BOSPORUS: LonLat = [29.05, 41.1];

let grid: LandGrid;
/** The countries with their bounding boxes, to test a point against only those around it. */
let land: { feature: GeoJSON.Feature; box: [[number, number], [number, number]] }[];
beforeAll(() => {
  land = landFeatures().map((feature) => ({ feature, box: geoBounds(feature) }));
  grid = openStraits(rasteriseLand(landPolygons(), 0.25), STRAITS);
});

function pathOf(from: LonLat, to: LonLat, g = grid): LonLat[] {
  const r = findSeaPath(g, from, to);
  if (!('path' in r)) throw new Error(`no sea path: ${r.error.code}`);
  return r.path;
}

/** Points every `stepKm` along the path's great circles. */
function sampled(path: readonly LonLat[], stepKm = 10): LonLat[] {
  return path.slice(1).flatMap((b, k) => {
    const a = path[k]!;
    const n = Math.max(1, Math.ceil(greatCircleKm(a, b) / stepKm));
    return Array.from({ length: n }, (_, s) => alongGreatCircle(a, b, s / n));
  });
}

const fairwayPoints = STRAITS.flatMap((s) => sampled(s.fairway, 5));
/**
 * Points of the path over land in Natural Earth 1:110m, the data the map draws: the canal and
 * straits narrower than that data shows (within 30 km of a fairway) and the last 40 km into a
 * port (ports sit a little inland at that scale) are left out.
 */
function overLand(path: readonly LonLat[]): LonLat[] {
  const [from, to] = [path[0]!, path.at(-1)!];
  return sampled(path).filter(
    (p) =>
      greatCircleKm(p, from) > 40 &&
      greatCircleKm(p, to) > 40 &&
      !fairwayPoints.some((f) => greatCircleKm(p, f) < 30) &&
      land.some(
        ({ feature, box: [[w, s], [e, n]] }) =>
          p[1] >= s &&
          p[1] <= n &&
          (w > e || (p[0] >= w && p[0] <= e)) &&
          geoContains(feature, [...p]),
      ),
  );
}

const passes = (path: readonly LonLat[], at: LonLat, withinKm: number) =>
  sampled(path).some((p) => greatCircleKm(p, at) < withinKm);

describe('sea lanes over the land the map draws', () => {
  it('takes Qingdao to Rotterdam over water, through Malacca, Bab-el-Mandeb, Suez, Gibraltar and Dover', () => {
    const path = pathOf(QINGDAO, ROTTERDAM);
    expect(overLand(path)).toEqual([]);
    expect(passes(path, [103.8, 1.2], 60), 'Singapore Strait').toBe(true);
    expect(passes(path, [43.4, 12.6], 40), 'Bab-el-Mandeb').toBe(true);
    expect(passes(path, [32.35, 30.6], 20), 'Suez Canal').toBe(true);
    expect(passes(path, [-5.6, 35.95], 30), 'Strait of Gibraltar').toBe(true);
    expect(passes(path, [1.45, 51.0], 30), 'Strait of Dover').toBe(true);
    // reference.md: Qingdao -> Rotterdam via Suez ~20,400 km (Shanghai-Rotterdam 10,600 nm [S101]
    // + ~400 nm estimate).
    expect(pathLengthKm(path)).toBeGreaterThan(20_400 * 0.9);
    expect(pathLengthKm(path)).toBeLessThan(20_400 * 1.1);
  });

  it('goes round the Cape when Suez is closed, about as far as the published Cape route', () => {
    const noSuez = openStraits(
      rasteriseLand(landPolygons(), 0.25),
      STRAITS.filter((s) => s.name !== 'Suez'),
    );
    const path = pathOf(QINGDAO, ROTTERDAM, noSuez);
    expect(overLand(path)).toEqual([]);
    expect(passes(path, [32.35, 30.6], 300)).toBe(false);
    expect(Math.min(...path.map((p) => p[1]))).toBeLessThan(-34);
    // reference.md: Qingdao -> Rotterdam via the Cape ~26,300 km (13,800 nm [S101] + ~400 nm).
    expect(pathLengthKm(path)).toBeGreaterThan(26_300 * 0.9);
    expect(pathLengthKm(path)).toBeLessThan(26_300 * 1.1);
  });

  it('keeps the Caspian crossings in the Caspian', () => {
    for (const from of [AKTAU, KURYK, TURKMENBASHI]) {
      const path = pathOf(from, ALAT);
      expect(overLand(path)).toEqual([]);
      for (const [lon, lat] of sampled(path)) {
        expect(lon).toBeGreaterThan(46.5);
        expect(lon).toBeLessThan(55);
        expect(lat).toBeGreaterThan(36.5);
        expect(lat).toBeLessThan(47.2);
      }
      // Within a third of the great-circle distance: no detour round the sea.
      expect(pathLengthKm(path)).toBeLessThan(greatCircleKm(from, ALAT) * 1.35);
    }
  });

  it('keeps the Black Sea ferries away from the Bosporus, which only a voyage beyond needs', () => {
    for (const [from, to] of [
      [POTI, CONSTANTA],
      [BATUMI, CONSTANTA],
      [POTI, BURGAS],
    ] as const) {
      const path = pathOf(from, to);
      expect(overLand(path)).toEqual([]);
      expect(passes(path, BOSPORUS, 80)).toBe(false);
    }
    // Poti to Piraeus leaves the Black Sea by the Bosporus and the Dardanelles.
    const piraeus = pathOf(POTI, [23.6, 37.94]);
    expect(passes(piraeus, BOSPORUS, 20)).toBe(true);
    expect(overLand(piraeus)).toEqual([]);
  });

  it('finds no path between seas that do not meet', () => {
    expect(findSeaPath(grid, AKTAU, CONSTANTA)).toEqual({ error: { code: 'not_connected' } });
  });
});
