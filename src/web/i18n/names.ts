import type { MessageKey } from './en.ts';
import type { I18n } from './i18n.tsx';

/**
 * Documents by name in the user's language: those a route needs (a plan's `requiredDocuments`),
 * and those the platform issues (a shipment's document list, by kind and form).
 */

/** "export declaration (CN)" in the user's language. */
export function neededDocumentName(
  t: I18n['t'],
  d: { kind: string; countries: readonly string[] },
): string {
  const name = t(`document.${d.kind}` as MessageKey) || d.kind;
  return d.countries.length ? `${name} (${d.countries.join('/')})` : name;
}

const RAIL_NOTES: Record<string, string> = {
  SMGS: 'smgs_note',
  'CIM/SMGS': 'cim_smgs_note',
  CIM: 'cim_note',
};

/** An issued document's kind, by its form where it has one (the CIM/SMGS common note…). */
export function issuedDocumentName(
  t: I18n['t'],
  d: { kind: string; variant?: string | null | undefined },
): string {
  const kind = d.kind === 'cmr' ? 'cmr_note' : ((d.variant && RAIL_NOTES[d.variant]) ?? d.kind);
  return t(`document.${kind}` as MessageKey) || d.kind;
}
