/**
 * The one-stop service desk's fixed, extensible lists: the services an organisation offers
 * (the SCODA service centre's and the Alat FEZ's offer, issue 9) and the languages it works in
 * (ISO 639-1).
 */

export const SERVICE_KINDS = [
  'freight_forwarding',
  'customs_brokerage',
  'warehousing',
  'consolidation',
  'free_zone_residency',
  'cargo_insurance',
  'trade_finance',
  'certification_inspection',
  'translation',
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export const SERVICE_NAMES: Record<ServiceKind, string> = {
  freight_forwarding: 'freight forwarding',
  customs_brokerage: 'customs brokerage',
  warehousing: 'warehousing',
  consolidation: 'consolidation',
  free_zone_residency: 'free-zone residency',
  cargo_insurance: 'cargo insurance',
  trade_finance: 'trade finance',
  certification_inspection: 'certification and inspection',
  translation: 'translation',
};

/** Languages of the corridor and its trading partners (ISO 639-1). */
export const LANGUAGES = [
  'en',
  'zh',
  'ru',
  'az',
  'kk',
  'ka',
  'tr',
  'uz',
  'ky',
  'tk',
  'fa',
  'de',
] as const;
export type Language = (typeof LANGUAGES)[number];
