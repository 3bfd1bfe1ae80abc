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

/** A document a route needs, by kind, with the countries it is for (none for the shipment's own). */
export const NEEDED_DOCUMENT_KINDS = [
  'commercial_invoice',
  'packing_list',
  'certificate_of_origin',
  'smgs_note',
  'cim_smgs_note',
  'cim_note',
  'cmr_note',
  'bill_of_lading',
  'export_declaration',
  'eaeu_transit_declaration',
  'ncts_transit_accompanying_document',
  'tir_carnet_or_etir',
  'transit_declaration',
  'import_declaration',
  'free_zone_entry_declaration',
  'dangerous_goods_declaration',
] as const;
export type NeededDocumentKind = (typeof NEEDED_DOCUMENT_KINDS)[number];
export interface NeededDocument {
  kind: NeededDocumentKind;
  countries: string[];
}

const NOTE_KINDS: Record<TransportDocument, NeededDocumentKind> = {
  SMGS: 'smgs_note',
  'CIM/SMGS': 'cim_smgs_note',
  CIM: 'cim_note',
  CMR: 'cmr_note',
  'bill of lading': 'bill_of_lading',
};

const REGIME_DOCUMENTS: Record<CustomsRegime, NeededDocumentKind | null> = {
  export: 'export_declaration',
  eaeu_transit: 'eaeu_transit_declaration',
  ncts_transit: 'ncts_transit_accompanying_document',
  tir_etir: 'tir_carnet_or_etir',
  national_transit: 'transit_declaration',
  import: 'import_declaration',
  free_zone_entry: 'free_zone_entry_declaration',
  sea_crossing: null,
};

/** The documents a route with these segments needs, by kind, in a stable order. Pure. */
export function documentsNeeded(
  segments: readonly RegimeSegment[],
  options: { hazardous: boolean },
): NeededDocument[] {
  const docs: NeededDocument[] = [
    { kind: 'commercial_invoice', countries: [] },
    { kind: 'packing_list', countries: [] },
    { kind: 'certificate_of_origin', countries: [] },
  ];
  const add = (kind: NeededDocumentKind, countries: string[] = []) => {
    const same = (d: NeededDocument) =>
      d.kind === kind && d.countries.join('/') === countries.join('/');
    if (!docs.some(same)) docs.push({ kind, countries });
  };
  for (const s of segments) add(NOTE_KINDS[s.transportDocument]);
  for (const s of segments) {
    const kind = REGIME_DOCUMENTS[s.customsRegime];
    // One TIR carnet or eTIR declaration covers the whole TIR journey; the FEZ is Alat's alone.
    if (kind)
      add(
        kind,
        kind === 'tir_carnet_or_etir' || kind === 'free_zone_entry_declaration' ? [] : s.countries,
      );
  }
  if (options.hazardous) add('dangerous_goods_declaration');
  return docs;
}

const ENGLISH: Record<NeededDocumentKind, string> = {
  commercial_invoice: 'commercial invoice',
  packing_list: 'packing list',
  certificate_of_origin: 'certificate of origin',
  smgs_note: 'SMGS consignment note',
  cim_smgs_note: 'CIM/SMGS common consignment note',
  cim_note: 'CIM consignment note',
  cmr_note: 'CMR consignment note',
  bill_of_lading: 'bill of lading',
  export_declaration: 'export declaration',
  eaeu_transit_declaration: 'EAEU transit declaration',
  ncts_transit_accompanying_document: 'NCTS transit accompanying document',
  tir_carnet_or_etir: 'TIR carnet or eTIR declaration',
  transit_declaration: 'transit declaration',
  import_declaration: 'import declaration',
  free_zone_entry_declaration: 'Alat FEZ entry declaration',
  dangerous_goods_declaration: 'dangerous goods declaration',
};

/** A needed document's English name, e.g. "export declaration (CN)". */
export function documentName(d: NeededDocument): string {
  return d.countries.length ? `${ENGLISH[d.kind]} (${d.countries.join('/')})` : ENGLISH[d.kind];
}

/** The documents a route with these segments needs, by English name, in a stable order. Pure. */
export function documentsFor(
  segments: readonly RegimeSegment[],
  options: { hazardous: boolean },
): string[] {
  return documentsNeeded(segments, options).map(documentName);
}
