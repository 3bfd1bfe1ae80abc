/**
 * Trade matchmaking: exporters list products, importers list needs; a pair matches when the
 * goods share an HS heading (the first four digits), the exporter's markets admit the
 * importer's country and the importer's sources admit the exporter's, and the two are different
 * organisations. Pairs are ranked by how much of the smaller volume the other covers, the more
 * specific HS match first. Whether a route exists is asked of the planner by the use case. Pure.
 */

export interface Listing {
  id: string;
  organisationId: string;
  kind: 'export' | 'import';
  hsCode: string;
  description: string;
  /** Country of origin (export) or of destination (import). */
  country: string;
  /** The corridor node goods leave from (export) or go to (import). */
  nodeId: string;
  /** Tonnes a month. */
  tonnesPerMonth: number;
  /** Export: countries sold to; import: countries bought from. Empty: any. */
  partnerCountries: string[];
}

export interface Match<L extends Listing = Listing> {
  exporter: L;
  importer: L;
  /** Shared leading HS digits: 4 (heading), 6 (subheading) or more. */
  hsDigits: number;
  /** The smaller volume over the larger, 0..1. */
  volumeFit: number;
  score: number;
}

function sharedDigits(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

export function matchListings<L extends Listing>(
  exports: readonly L[],
  imports: readonly L[],
): Match<L>[] {
  const out: Match<L>[] = [];
  for (const e of exports)
    for (const i of imports) {
      if (e.organisationId === i.organisationId) continue;
      const hsDigits = sharedDigits(e.hsCode, i.hsCode);
      if (hsDigits < 4) continue;
      if (e.partnerCountries.length > 0 && !e.partnerCountries.includes(i.country)) continue;
      if (i.partnerCountries.length > 0 && !i.partnerCountries.includes(e.country)) continue;
      const volumeFit =
        Math.min(e.tonnesPerMonth, i.tonnesPerMonth) / Math.max(e.tonnesPerMonth, i.tonnesPerMonth);
      out.push({
        exporter: e,
        importer: i,
        hsDigits,
        volumeFit,
        score: Math.round((Math.min(hsDigits, 10) / 10 + volumeFit) * 500) / 1000,
      });
    }
  return out.sort(
    (a, b) =>
      b.score - a.score ||
      a.exporter.id.localeCompare(b.exporter.id) ||
      a.importer.id.localeCompare(b.importer.id),
  );
}
