import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findSeaPath,
  openStraits,
  rasteriseLand,
  STRAITS,
} from '../../src/core/network/sea-lanes.ts';
import { landPolygons } from '../support/land.ts';

/**
 * src/web/features/map/sea-lanes.json holds the path over water of each sea and ferry link of
 * the reference network, found once here rather than in the browser (about a second of search
 * per ocean route). It must equal what the sea-lane search gives for data/; `npm run
 * sea-lanes:update` rewrites it. A link whose id ends in `--cape` is the voyage round the Cape
 * of Good Hope: the Suez Canal is closed to it.
 */
const FILE = join(import.meta.dirname, '../../src/web/features/map/sea-lanes.json');
const DATA = join(import.meta.dirname, '../../data');

interface Place {
  id: string;
  lat: number;
  lon: number;
}
interface Link {
  id: string;
  from: string;
  to: string;
  mode: string;
}

function seaLanes(): Record<string, [number, number][]> {
  const { nodes } = JSON.parse(readFileSync(join(DATA, 'nodes.json'), 'utf8')) as {
    nodes: Place[];
  };
  const { links } = JSON.parse(readFileSync(join(DATA, 'links.json'), 'utf8')) as {
    links: Link[];
  };
  const at = new Map(nodes.map((n) => [n.id, [n.lon, n.lat] as const]));
  const land = rasteriseLand(landPolygons(), 0.25);
  const open = openStraits(land, STRAITS);
  const noSuez = openStraits(
    land,
    STRAITS.filter((s) => s.name !== 'Suez'),
  );
  const out: Record<string, [number, number][]> = {};
  for (const link of links.filter((l) => l.mode === 'sea' || l.mode === 'ferry')) {
    const r = findSeaPath(
      link.id.endsWith('--cape') ? noSuez : open,
      at.get(link.from)!,
      at.get(link.to)!,
    );
    if (!('path' in r)) throw new Error(`${link.id}: no sea path (${r.error.code})`);
    out[link.id] = r.path.map(([lon, lat]) => [
      Math.round(lon * 100) / 100,
      Math.round(lat * 100) / 100,
    ]);
  }
  return out;
}

describe('src/web/features/map/sea-lanes.json', () => {
  it('is the path over water of every sea and ferry link of the reference network', () => {
    const found = `${JSON.stringify(seaLanes())}\n`;
    if (process.env.UPDATE_SEA_LANES === '1') writeFileSync(FILE, found);
    expect(
      readFileSync(FILE, 'utf8'),
      'run `npm run sea-lanes:update` and commit src/web/features/map/sea-lanes.json',
    ).toBe(found);
  });
});
