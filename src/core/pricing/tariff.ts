import { CONTAINER_CODES, type ContainerGroup } from '../shared/cargo.ts';
import type { Km } from '../shared/units.ts';
import type { Service } from '../network/network.ts';

/** One line of a leg's price: one container type at the service's tariff. */
export interface CostLine {
  /** Shipper's container code, e.g. 40HC. */
  container: string;
  /** ISO 6346 size-type the tariff is given for. */
  isoType: string;
  count: number;
  fixedUsd: number;
  perKmUsd: number;
  distanceKm: Km;
  /** count × (fixedUsd + perKmUsd × distanceKm), rounded to cents. */
  amountUsd: number;
}

/** The tariff of a service for a set of containers, summed over them. */
export interface RideTariff {
  /** Charged once per ride, whatever the distance. */
  fixedUsd: number;
  /** Charged per kilometre ridden. */
  usdPerKm: number;
}

/**
 * What a service charges the containers per ride, or undefined when its tariff has no line for
 * one of their types (the service does not take that type). Pure.
 */
export function rideTariff(
  service: Service,
  containers: readonly ContainerGroup[],
): RideTariff | undefined {
  let fixedUsd = 0;
  let usdPerKm = 0;
  for (const c of containers) {
    const line = service.tariff.byContainerType[CONTAINER_CODES[c.code].isoType];
    if (!line) return undefined;
    fixedUsd += c.count * line.fixedUsd;
    usdPerKm += c.count * line.perKmUsd;
  }
  return { fixedUsd, usdPerKm };
}

/**
 * The price of riding `distanceKm` on `service`, line by line. Containers whose type the tariff
 * lacks are left out (rideTariff tells whether the service takes them at all). Pure.
 */
export function legCost(
  service: Service,
  containers: readonly ContainerGroup[],
  distanceKm: Km,
): { totalUsd: number; lines: CostLine[] } {
  const lines: CostLine[] = [];
  for (const c of containers) {
    const isoType = CONTAINER_CODES[c.code].isoType;
    const line = service.tariff.byContainerType[isoType];
    if (!line) continue;
    lines.push({
      container: c.code,
      isoType,
      count: c.count,
      fixedUsd: line.fixedUsd,
      perKmUsd: line.perKmUsd,
      distanceKm,
      amountUsd: cents(c.count * (line.fixedUsd + line.perKmUsd * distanceKm)),
    });
  }
  return { totalUsd: cents(lines.reduce((s, l) => s + l.amountUsd, 0)), lines };
}

function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}
