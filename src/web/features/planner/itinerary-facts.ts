import type { Itinerary } from '../../../api/plan.ts';

/**
 * What a planner card says about an itinerary, derived from its own legs and places: the places
 * it goes through, its transit counted from when the cargo is ready, and the orders it is sorted
 * in. Pure: no clock, no network.
 */

/** Places of the Baku–Tbilisi–Kars railway: a route through them goes "via BTK". */
const BTK = new Set(['GE_MARABDA', 'GE_AKHALKALAKI', 'TR_KARS']);

export interface PlaceNames {
  /** A place's short name (its first alias), else its name, else its id. */
  short: (id: string) => string;
}

/**
 * The places that tell one route from another, in route order: where it leaves its first
 * country over land, every port it embarks at (Aktau, Kuryk, Turkmenbashi, Poti…), the
 * Baku–Tbilisi–Kars line as "BTK"; with no sea crossing, every land border. Empty for a route
 * within one country by land.
 */
export function routePlaces(it: Itinerary, names: PlaceNames): string[] {
  const rides = it.legs.filter((l) => l.kind === 'ride');
  const water = rides.filter((r) => r.mode === 'ferry' || r.mode === 'sea');
  const landBorders = it.borders.filter((b) => b.mode !== 'ferry' && b.mode !== 'sea');
  const places: string[] = [];
  const add = (name: string) => {
    if (!places.includes(name)) places.push(name);
  };
  const firstWater = water[0] ? rides.indexOf(water[0]) : rides.length;
  for (const [i, ride] of rides.entries()) {
    const border = landBorders.find((b) => b.node === ride.to);
    // With a sea crossing, only the first land border (leaving the origin's country) is named.
    if (border && (water.length === 0 || (i < firstWater && places.length === 0)))
      add(names.short(border.node));
    const embarks = (ride.mode === 'ferry' || ride.mode === 'sea') && ride.from !== rides[0]!.from;
    if (embarks) add(names.short(ride.from));
    if (BTK.has(ride.to) || BTK.has(ride.from)) add('BTK');
  }
  return places;
}

/** Days from `readyIso` (when the cargo is ready) to `arrivalIso`. */
export function daysFrom(readyIso: string, arrivalIso: string): number {
  return (Date.parse(arrivalIso) - Date.parse(readyIso)) / 86_400_000;
}

export const SORTS = ['p50', 'p90', 'cost', 'co2e'] as const;
export type SortKey = (typeof SORTS)[number];

const KEY: Record<SortKey, (it: Itinerary) => number> = {
  p50: (it) => Date.parse(it.arrivalP50),
  p90: (it) => Date.parse(it.arrivalP90),
  cost: (it) => it.costUsd,
  co2e: (it) => it.co2eKg,
};

/** The itineraries in the order asked (stable: the planner's own order breaks ties). */
export function sortItineraries(list: readonly Itinerary[], by: SortKey): Itinerary[] {
  return [...list].sort((a, b) => KEY[by](a) - KEY[by](b));
}

/** Ticks of a days axis from 0 to `max`: every 5 days up to 40, else every 10. */
export function axisTicks(max: number): number[] {
  const step = max > 40 ? 10 : 5;
  const ticks: number[] = [];
  for (let d = 0; d <= max + 1e-9; d += step) ticks.push(d);
  return ticks;
}
