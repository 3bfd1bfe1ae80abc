import type { DirectedLink } from '../network/path-facts.ts';
import type { LinkMode, Network } from '../network/network.ts';

/**
 * The transport document and customs regime of each stretch of a route, and the documents the
 * route needs. The rules (reference.md §6, standards.md §1 and §3):
 * - rail in SMGS countries travels on an SMGS consignment note; a rail chain that reaches a country
 *   applying only CIM (Türkiye, the EU beyond Poland) travels on the common CIM/SMGS note; the
 *   Caspian crossing of a rail chain stays on it (2019 agreement on rail-water container traffic
 *   with feeders between Aktau and Baku, [S186]);
 * - road legs travel on a CMR note; a road leg across a border under TIR/eTIR;
 * - other sea legs on a bill of lading;
 * - customs: export at the origin; EAEU transit in Kazakhstan, Belarus, Russia; NCTS (Common
 *   Transit Convention) in Georgia since 1 February 2025, Türkiye and the EU; national transit
 *   elsewhere; import at the destination, or free-zone entry when it is the Alat FEZ.
 */

export type TransportDocument = 'SMGS' | 'CIM/SMGS' | 'CIM' | 'CMR' | 'bill of lading';
export type CustomsRegime =
  | 'export'
  | 'eaeu_transit'
  | 'ncts_transit'
  | 'tir_etir'
  | 'national_transit'
  | 'import'
  | 'free_zone_entry'
  | 'sea_crossing';

/** One stretch of a route under one country's customs (or a sea crossing between two). */
export interface RegimeSegment {
  from: string;
  to: string;
  /** The country whose customs apply; for a sea crossing, the two shores. */
  countries: string[];
  modes: LinkMode[];
  transportDocument: TransportDocument;
  customsRegime: CustomsRegime;
}

const SMGS_ONLY = new Set(['CN', 'KZ', 'KG', 'UZ', 'TJ', 'TM', 'MN', 'RU', 'BY', 'AZ', 'GE']);
const CIM_ONLY = new Set([
  'TR',
  'DE',
  'NL',
  'RO',
  'AT',
  'HU',
  'SK',
  'CZ',
  'SI',
  'IT',
  'BG',
  'FR',
  'BE',
]);
const EAEU = new Set(['KZ', 'BY', 'RU', 'KG', 'AM']);
const NCTS = new Set([
  'GE',
  'TR',
  'DE',
  'NL',
  'RO',
  'PL',
  'AT',
  'HU',
  'SK',
  'CZ',
  'SI',
  'IT',
  'BG',
  'FR',
  'BE',
]);
const FREE_ZONES = new Set(['AZ_ALAT_FEZ']);

/**
 * Regime segments of a path (links in travel order, at least one). A land link across a border
 * belongs to the country entered, so each country's stretch starts at its border. Pure.
 */
export function regimesOf(network: Network, path: readonly DirectedLink[]): RegimeSegment[] {
  const country = (id: string) => network.nodes.get(id)!.country;
  const documents = transportDocuments(network, path);
  const segments: RegimeSegment[] = [];
  path.forEach(({ from, to, link }, i) => {
    const doc = documents[i]!;
    const water = (link.mode === 'sea' || link.mode === 'ferry') && country(from) !== country(to);
    const last = segments.at(-1);
    if (
      !water &&
      last &&
      last.customsRegime !== 'sea_crossing' &&
      last.countries[0] === country(to) &&
      last.transportDocument === doc
    ) {
      last.to = to;
      if (!last.modes.includes(link.mode)) last.modes.push(link.mode);
      return;
    }
    segments.push({
      from,
      to,
      countries: water ? [country(from), country(to)] : [country(to)],
      modes: [link.mode],
      transportDocument: doc,
      customsRegime: water ? 'sea_crossing' : 'national_transit',
    });
  });
  const originCountry = country(path[0]!.from);
  const destination = path.at(-1)!.to;
  const destinationCountry = country(destination);
  const firstAbroad = segments.findIndex((s) => s.countries.some((c) => c !== originCountry));
  const lastAbroad = segments.findLastIndex((s) =>
    s.countries.some((c) => c !== destinationCountry),
  );
  return segments.map((s, i) => {
    if (s.customsRegime === 'sea_crossing') return s;
    const c = s.countries[0]!;
    let regime: CustomsRegime;
    if (firstAbroad === -1)
      regime = FREE_ZONES.has(destination) ? 'free_zone_entry' : 'national_transit';
    else if (i < firstAbroad) regime = 'export';
    else if (i > lastAbroad) regime = FREE_ZONES.has(destination) ? 'free_zone_entry' : 'import';
    else if (s.transportDocument === 'CMR') regime = 'tir_etir';
    else if (EAEU.has(c)) regime = 'eaeu_transit';
    else if (NCTS.has(c)) regime = 'ncts_transit';
    else regime = 'national_transit';
    return { ...s, customsRegime: regime };
  });
}

/** The transport document of each link of the path: one note covers a run of equal documents. Pure. */
export function transportDocuments(
  network: Network,
  path: readonly DirectedLink[],
): TransportDocument[] {
  const country = (id: string) => network.nodes.get(id)!.country;
  const docs: TransportDocument[] = new Array<TransportDocument>(path.length);
  // Rail chains: rail links, with the Caspian crossings between them.
  let i = 0;
  while (i < path.length) {
    const m = path[i]!;
    if (m.link.mode === 'road') {
      docs[i++] = 'CMR';
      continue;
    }
    if (m.link.mode !== 'rail' && !isCaspian(m, country)) {
      docs[i++] = 'bill of lading';
      continue;
    }
    let j = i;
    const countries = new Set<string>();
    while (j < path.length && (path[j]!.link.mode === 'rail' || isCaspian(path[j]!, country))) {
      countries.add(country(path[j]!.from));
      countries.add(country(path[j]!.to));
      j++;
    }
    const smgs = [...countries].some((c) => SMGS_ONLY.has(c));
    const cim = [...countries].some((c) => CIM_ONLY.has(c));
    const doc: TransportDocument = smgs && cim ? 'CIM/SMGS' : cim ? 'CIM' : 'SMGS';
    for (let k = i; k < j; k++) docs[k] = doc;
    i = j;
  }
  return docs;
}

const CASPIAN = new Set(['KZ', 'AZ', 'TM']);

function isCaspian(m: DirectedLink, country: (id: string) => string): boolean {
  return (
    (m.link.mode === 'sea' || m.link.mode === 'ferry') &&
    CASPIAN.has(country(m.from)) &&
    CASPIAN.has(country(m.to))
  );
}

const DOCUMENT_NAMES: Record<TransportDocument, string> = {
  SMGS: 'SMGS consignment note',
  'CIM/SMGS': 'CIM/SMGS common consignment note',
  CIM: 'CIM consignment note',
  CMR: 'CMR consignment note',
  'bill of lading': 'bill of lading',
};

/** The documents a route with these segments needs, in a stable order. Pure. */
export function documentsFor(
  segments: readonly RegimeSegment[],
  options: { hazardous: boolean },
): string[] {
  const docs = ['commercial invoice', 'packing list', 'certificate of origin'];
  const add = (d: string) => {
    if (!docs.includes(d)) docs.push(d);
  };
  for (const s of segments) add(DOCUMENT_NAMES[s.transportDocument]);
  for (const s of segments) {
    const c = s.countries.join('/');
    switch (s.customsRegime) {
      case 'export':
        add(`export declaration (${c})`);
        break;
      case 'eaeu_transit':
        add(`EAEU transit declaration (${c})`);
        break;
      case 'ncts_transit':
        add(`NCTS transit accompanying document (${c})`);
        break;
      case 'tir_etir':
        add('TIR carnet or eTIR declaration');
        break;
      case 'national_transit':
        add(`transit declaration (${c})`);
        break;
      case 'import':
        add(`import declaration (${c})`);
        break;
      case 'free_zone_entry':
        add('Alat FEZ entry declaration');
        break;
      case 'sea_crossing':
        break;
    }
  }
  if (options.hazardous) add('dangerous goods declaration');
  return docs;
}
