import type { Km } from '../shared/units.ts';

/**
 * Sea lanes: the path a ship takes between two ports, over water, found on a grid of the world's
 * land. Land polygons (Natural Earth, any resolution) are rasterised onto a longitude/latitude
 * grid; a cell is land when its centre lies inside land or a coastline passes through it, so a
 * line between the centres of two neighbouring water cells never touches land. Straits narrower
 * than the data shows (the Suez Canal, the Bosporus) are cut open along their fairways. A* with
 * great-circle costs finds the shortest water path, which is then pulled straight wherever the
 * great circle between two of its points stays at sea. Pure: no I/O.
 */

/** Longitude and latitude in degrees, in that order (GeoJSON). */
export type LonLat = readonly [number, number];

/** A polygon as GeoJSON gives it: an outer ring, then its holes. */
export type Polygon = readonly (readonly LonLat[])[];

/** A strait kept open: its fairway as a line of points, end to end in open water. */
export interface Strait {
  name: string;
  fairway: readonly LonLat[];
}

/**
 * Straits the corridor's sea routes pass, each fairway from open water to open water. Points
 * read off charts to about 0.1°: estimate: fairway centre lines, not surveyed positions.
 */
export const STRAITS: readonly Strait[] = [
  {
    name: 'Suez',
    fairway: [
      [32.3, 31.6],
      [32.31, 31.25],
      [32.33, 30.6],
      [32.4, 30.3],
      [32.56, 29.93],
      [32.65, 29.5],
      [33.2, 28.6],
      [33.7, 27.9],
      [34.0, 27.5],
    ],
  },
  {
    name: 'Bab-el-Mandeb',
    fairway: [
      [43.0, 13.2],
      [43.4, 12.6],
      [43.6, 12.2],
    ],
  },
  {
    name: 'Malacca',
    fairway: [
      [98.8, 5.6],
      [100.6, 3.2],
      [102.5, 1.6],
      [103.8, 1.2],
      [104.5, 1.3],
    ],
  },
  {
    name: 'Bosporus and Dardanelles',
    fairway: [
      [29.2, 41.4],
      [29.1, 41.15],
      [29.0, 41.0],
      [28.5, 40.85],
      [27.5, 40.65],
      [26.7, 40.4],
      [26.4, 40.1],
      [25.9, 39.9],
    ],
  },
  {
    name: 'Gibraltar',
    fairway: [
      [-6.4, 35.9],
      [-5.6, 35.95],
      [-4.8, 36.0],
    ],
  },
  {
    name: 'Dover',
    fairway: [
      [0.8, 50.6],
      [1.45, 51.0],
      [2.0, 51.3],
    ],
  },
];

/** The Arctic Circle: the default northern limit of sea paths. */
const ARCTIC_CIRCLE_DEG = 66.56;

const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/** Great-circle distance between two points. */
export function greatCircleKm(a: LonLat, b: LonLat): Km {
  const dLat = (b[1] - a[1]) * RAD;
  const dLon = (b[0] - a[0]) * RAD;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The point a fraction `t` of the way from `a` to `b` along the great circle. */
export function alongGreatCircle(a: LonLat, b: LonLat, t: number): LonLat {
  const [l1, p1] = [a[0] * RAD, a[1] * RAD];
  const [l2, p2] = [b[0] * RAD, b[1] * RAD];
  const d = greatCircleKm(a, b) / EARTH_RADIUS_KM;
  if (d < 1e-9) return a;
  const s = Math.sin(d);
  const f = Math.sin((1 - t) * d) / s;
  const g = Math.sin(t * d) / s;
  const x = f * Math.cos(p1) * Math.cos(l1) + g * Math.cos(p2) * Math.cos(l2);
  const y = f * Math.cos(p1) * Math.sin(l1) + g * Math.cos(p2) * Math.sin(l2);
  const z = f * Math.sin(p1) + g * Math.sin(p2);
  return [Math.atan2(y, x) / RAD, Math.atan2(z, Math.hypot(x, y)) / RAD];
}

/** Length of a path of points joined by great circles. */
export function pathLengthKm(path: readonly LonLat[]): Km {
  let km = 0;
  for (let i = 1; i < path.length; i++) km += greatCircleKm(path[i - 1]!, path[i]!);
  return km;
}

/** The world on a grid of `cellDeg`-degree cells, row 0 at the north pole. */
export interface LandGrid {
  cellDeg: number;
  columns: number;
  rows: number;
  /** 1 where the cell is land (or touches it), 0 where it is water. */
  land: Uint8Array;
}

function cellOf(grid: LandGrid, p: LonLat): [number, number] {
  const i = Math.floor((p[0] + 180) / grid.cellDeg);
  const j = Math.floor((90 - p[1]) / grid.cellDeg);
  return [Math.min(grid.columns - 1, Math.max(0, i)), Math.min(grid.rows - 1, Math.max(0, j))];
}

function centreOf(grid: LandGrid, cell: number): LonLat {
  const i = cell % grid.columns;
  const j = Math.floor(cell / grid.columns);
  return [-180 + (i + 0.5) * grid.cellDeg, 90 - (j + 0.5) * grid.cellDeg];
}

/** Points every quarter cell along the straight line (in degrees) from `a` to `b`. */
function* samples(a: LonLat, b: LonLat, stepDeg: number): Generator<LonLat> {
  const n = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / stepDeg));
  for (let k = 0; k <= n; k++)
    yield [a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n];
}

/**
 * Rasterises land polygons: a cell is land when its centre is inside a polygon (even-odd over
 * its rings, so lakes and seas enclosed by land stay water) or one of the rings passes through it.
 */
export function rasteriseLand(polygons: readonly Polygon[], cellDeg: number): LandGrid {
  const columns = Math.round(360 / cellDeg);
  const rows = Math.round(180 / cellDeg);
  const grid: LandGrid = { cellDeg, columns, rows, land: new Uint8Array(columns * rows) };
  for (const polygon of polygons) {
    // A polygon cut at the antimeridian is unwrapped (longitudes made continuous) and drawn at
    // its place and one turn east and west, so that its seam does not read as a coastline.
    const rings = polygon.map((ring) => {
      const out: LonLat[] = [];
      for (const p of ring) {
        const prev = out.at(-1);
        const lon = prev ? p[0] + 360 * Math.round((prev[0] - p[0]) / 360) : p[0];
        out.push([lon, p[1]]);
      }
      return out;
    });
    const wraps = rings.some((r) => r.some((p) => p[0] < -180 || p[0] > 180));
    const edges = (wraps ? [-360, 0, 360] : [0]).flatMap((shift) =>
      rings.flatMap((ring) =>
        ring.slice(1).map(
          (b, k) =>
            [
              [ring[k]![0] + shift, ring[k]![1]],
              [b[0] + shift, b[1]],
            ] as const,
        ),
      ),
    );
    let south = 90;
    let north = -90;
    for (const [a] of edges) {
      south = Math.min(south, a[1]);
      north = Math.max(north, a[1]);
    }
    const j0 = Math.max(0, Math.floor((90 - north) / cellDeg));
    const j1 = Math.min(rows - 1, Math.floor((90 - south) / cellDeg));
    for (let j = j0; j <= j1; j++) {
      const lat = 90 - (j + 0.5) * cellDeg;
      const xs: number[] = [];
      for (const [a, b] of edges)
        if (a[1] <= lat !== b[1] <= lat)
          xs.push(a[0] + ((lat - a[1]) / (b[1] - a[1])) * (b[0] - a[0]));
      xs.sort((x, y) => x - y);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const i0 = Math.max(0, Math.ceil((xs[k]! + 180) / cellDeg - 0.5));
        const i1 = Math.min(columns - 1, Math.floor((xs[k + 1]! + 180) / cellDeg - 0.5));
        for (let i = i0; i <= i1; i++) grid.land[j * columns + i] = 1;
      }
    }
    for (const [a, b] of edges)
      for (const p of samples(a, b, cellDeg / 4)) {
        if (p[0] < -180 || p[0] >= 180) continue;
        const [i, j] = cellOf(grid, p);
        grid.land[j * columns + i] = 1;
      }
  }
  return grid;
}

/**
 * Cuts straits open: every cell along each fairway becomes water, with a side cell where the
 * fairway steps diagonally so that ships need not squeeze between two land corners.
 */
export function openStraits(grid: LandGrid, straits: readonly Strait[]): LandGrid {
  const land = grid.land.slice();
  for (const { fairway } of straits) {
    let last: [number, number] | undefined;
    for (let k = 1; k < fairway.length; k++)
      for (const p of samples(fairway[k - 1]!, fairway[k]!, grid.cellDeg / 4)) {
        const [i, j] = cellOf(grid, p);
        land[j * grid.columns + i] = 0;
        if (last && last[0] !== i && last[1] !== j) land[last[1] * grid.columns + i] = 0;
        last = [i, j];
      }
  }
  return { ...grid, land };
}

/** True when the great circle from `a` to `b` passes only water cells. */
function clearAtSea(grid: LandGrid, a: LonLat, b: LonLat): boolean {
  const km = greatCircleKm(a, b);
  const cellKm = grid.cellDeg * 111.2;
  const n = Math.max(1, Math.ceil(km / (cellKm / 4)));
  for (let k = 0; k <= n; k++) {
    const [i, j] = cellOf(grid, alongGreatCircle(a, b, k / n));
    if (grid.land[j * grid.columns + i]) return false;
  }
  return true;
}

/** The water cell nearest to a point (a port on the coast sits in a land cell), if any is near. */
function nearestWater(grid: LandGrid, p: LonLat, maxCells = 20): number | undefined {
  const [ci, cj] = cellOf(grid, p);
  let best: number | undefined;
  let bestKm = Infinity;
  for (let r = 0; r <= maxCells; r++) {
    for (let j = cj - r; j <= cj + r; j++)
      for (let i = ci - r; i <= ci + r; i++) {
        if (Math.max(Math.abs(i - ci), Math.abs(j - cj)) !== r) continue;
        if (j < 0 || j >= grid.rows || i < 0 || i >= grid.columns) continue;
        const cell = j * grid.columns + i;
        if (grid.land[cell]) continue;
        const km = greatCircleKm(p, centreOf(grid, cell));
        if (km < bestKm) [best, bestKm] = [cell, km];
      }
    // A ring further out is at least r cells away: stop once nothing nearer can be found.
    if (best !== undefined && bestKm < r * grid.cellDeg * 111.2 * Math.cos(p[1] * RAD)) break;
  }
  return best;
}

/** A binary min-heap of cells keyed by their estimated total cost. */
class Queue {
  private cells: number[] = [];
  private keys: number[] = [];
  get size(): number {
    return this.cells.length;
  }
  push(cell: number, key: number): void {
    let k = this.cells.length;
    this.cells.push(cell);
    this.keys.push(key);
    while (k > 0) {
      const up = (k - 1) >> 1;
      if (this.keys[up]! <= key) break;
      this.cells[k] = this.cells[up]!;
      this.keys[k] = this.keys[up]!;
      k = up;
    }
    this.cells[k] = cell;
    this.keys[k] = key;
  }
  pop(): number {
    const top = this.cells[0]!;
    const cell = this.cells.pop()!;
    const key = this.keys.pop()!;
    const n = this.cells.length;
    if (n > 0) {
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        if (l >= n) break;
        const c = l + 1 < n && this.keys[l + 1]! < this.keys[l]! ? l + 1 : l;
        if (this.keys[c]! >= key) break;
        this.cells[k] = this.cells[c]!;
        this.keys[k] = this.keys[c]!;
        k = c;
      }
      this.cells[k] = cell;
      this.keys[k] = key;
    }
    return top;
  }
}

/** Why no sea path was found: a port with no water near it, or seas that do not connect. */
export type SeaPathError = { code: 'no_water_near'; at: LonLat } | { code: 'not_connected' };

/**
 * The shortest path over water from `from` to `to`: the ports themselves at its ends, points at
 * sea between them, joined by great circles. Moves between neighbouring cells (diagonals only
 * where both side cells are water) cost their great-circle length; the estimate to the goal is
 * the great-circle distance, which never overestimates, so the path found is the shortest on
 * the grid. Waters north of `northLimitDeg` are not sailed: the Arctic routes are icebound for
 * most of the year and no liner service runs them.
 */
export function findSeaPath(
  grid: LandGrid,
  from: LonLat,
  to: LonLat,
  northLimitDeg = ARCTIC_CIRCLE_DEG,
): { path: LonLat[] } | { error: SeaPathError } {
  const start = nearestWater(grid, from);
  if (start === undefined) return { error: { code: 'no_water_near', at: from } };
  const goal = nearestWater(grid, to);
  if (goal === undefined) return { error: { code: 'no_water_near', at: to } };
  const { columns, rows, land } = grid;
  const firstRow = Math.ceil((90 - northLimitDeg) / grid.cellDeg);
  const goalAt = centreOf(grid, goal);
  const cost = new Float64Array(columns * rows).fill(Infinity);
  const came = new Int32Array(columns * rows).fill(-1);
  const done = new Uint8Array(columns * rows);
  const queue = new Queue();
  cost[start] = 0;
  queue.push(start, greatCircleKm(centreOf(grid, start), goalAt));
  while (queue.size > 0) {
    const cell = queue.pop();
    if (done[cell]) continue;
    if (cell === goal) break;
    done[cell] = 1;
    const i = cell % columns;
    const j = (cell - i) / columns;
    const here = centreOf(grid, cell);
    for (let dj = -1; dj <= 1; dj++)
      for (let di = -1; di <= 1; di++) {
        if (di === 0 && dj === 0) continue;
        const nj = j + dj;
        if (nj < firstRow || nj >= rows) continue;
        const ni = (i + di + columns) % columns;
        const next = nj * columns + ni;
        if (land[next] || done[next]) continue;
        if (di !== 0 && dj !== 0 && (land[j * columns + ni] || land[nj * columns + i])) continue;
        const there = centreOf(grid, next);
        const g = cost[cell]! + greatCircleKm(here, there);
        if (g >= cost[next]!) continue;
        cost[next] = g;
        came[next] = cell;
        queue.push(next, g + greatCircleKm(there, goalAt));
      }
  }
  if (came[goal] === -1 && goal !== start) return { error: { code: 'not_connected' } };
  const cells: LonLat[] = [];
  for (let c = goal; c !== -1; c = came[c]!) cells.push(centreOf(grid, c));
  cells.reverse();
  return { path: [from, ...pullStraight(grid, cells), to] };
}

/** Drops the points a great circle at sea can skip: from each point, straight to the furthest. */
function pullStraight(grid: LandGrid, cells: readonly LonLat[]): LonLat[] {
  const out: LonLat[] = [cells[0]!];
  let anchor = 0;
  while (anchor < cells.length - 1) {
    let reach = anchor + 1;
    while (reach + 1 < cells.length && clearAtSea(grid, cells[anchor]!, cells[reach + 1]!)) reach++;
    out.push(cells[reach]!);
    anchor = reach;
  }
  return out;
}
