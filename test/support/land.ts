import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Polygon } from '../../src/core/network/sea-lanes.ts';

/** The land the web map draws: Natural Earth countries at 1:110m from world-atlas, as GeoJSON. */
export function landFeatures(): GeoJSON.Feature[] {
  const file = createRequire(import.meta.url).resolve('world-atlas/countries-110m.json');
  const topo = JSON.parse(readFileSync(file, 'utf8')) as Topology<{
    countries: GeometryCollection;
  }>;
  return (feature(topo, topo.objects.countries) as GeoJSON.FeatureCollection).features;
}

/** The same land as polygons (outer ring, then holes). */
export function landPolygons(): Polygon[] {
  return landFeatures().flatMap((f) =>
    f.geometry.type === 'Polygon'
      ? [f.geometry.coordinates as unknown as Polygon]
      : f.geometry.type === 'MultiPolygon'
        ? (f.geometry.coordinates as unknown as Polygon[])
        : [],
  );
}
