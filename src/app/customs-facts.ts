import type { RiskFacts } from '../core/customs/risk.ts';
import type { CustomsDeclaration, CustomsSegment } from './customs-ports.ts';

/**
 * What the risk engine sees of a segment: the declaration, the route, what came before (shared
 * findings, and the inspections of the administrations earlier on the route). Pure.
 */
export function factsOf(
  d: CustomsDeclaration,
  s: CustomsSegment,
  segments: readonly CustomsSegment[],
  pastFindings: number,
): RiskFacts {
  const containers = d.data.containers ?? [];
  // What the administrations earlier on the route inspected, for their recognition here.
  const upstream = segments
    .filter((x) => x.seq < s.seq)
    .flatMap((x) =>
      x.inspections.map((i) => ({
        country: x.country,
        kind: i.kind,
        clean: i.sealsIntact && i.discrepancies.length === 0,
      })),
    );
  return {
    holderId: d.holderId,
    consignors: d.data.consignments.map((c) => c.consignor.name),
    items: d.data.consignments.flatMap((c) =>
      c.goodsItems.map((g) => ({
        hsCode: g.hsCode,
        origin: g.countryOfOrigin,
        netMassKg: g.netMassKg,
        value: g.value,
        currency: g.currency,
      })),
    ),
    routeCountries: segments.map((x) => x.country),
    offices: segments.flatMap((x) => (x.exitOffice ? [x.office, x.exitOffice] : [x.office])),
    sealsMissing: containers.some((c) => c.seals.length === 0),
    pastFindings,
    sharedFindings: segments.filter((x) => x.seq < s.seq).reduce((n, x) => n + x.shared.length, 0),
    ...(upstream.length > 0 ? { upstreamInspections: upstream } : {}),
  };
}
