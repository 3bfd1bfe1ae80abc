import type { EpochMs } from '../shared/units.ts';

/**
 * What a document shows, independent of how it is drawn: bilingual labels (English and Russian,
 * the working languages of the CIM/SMGS, CMR and transit forms) and the data as entered, in any
 * script. A renderer draws every kind with one layout: a header, blocks in reading order, and a
 * footer with the seal's particulars on every page.
 */

/**
 * A label in the forms' working languages: English and Russian, and Chinese on the SMGS forms
 * (whose working languages are Chinese and Russian, as the official blanks print them).
 */
export interface Label {
  en: string;
  ru: string;
  zh?: string;
}

export interface Field {
  label: Label;
  value: string;
}

export type Block =
  /** Labelled values in a box; half-width boxes are set side by side in pairs. */
  | { type: 'fields'; title: Label; width: 'full' | 'half'; fields: Field[] }
  /** A table; rows that do not fit continue on the next page under the same header. */
  | {
      type: 'table';
      title: Label;
      columns: { label: Label; weight: number; align?: 'right' }[];
      rows: string[][];
      /** Shown as the only row when there are none. */
      empty: string;
    }
  /** Paragraphs under a title. */
  | { type: 'text'; title: Label; width: 'full' | 'half'; paragraphs: string[] }
  /** The next block starts a new page. */
  | { type: 'page_break' };

/** A value printed as a QR code in the header beside the verification code (e.g. the MRN). */
export interface Code {
  label: Label;
  value: string;
}

export interface DocumentLayout {
  title: Label;
  /** Under the title: what the document is for (e.g. the section of the route it covers). */
  subtitle: string;
  /** The document's number as printed. */
  number: string;
  issuedAt: EpochMs;
  codes: Code[];
  blocks: Block[];
}

/** What the platform prints on every page: where to verify, and what the seal covers. */
export interface Stamp {
  documentId: string;
  contentHash: string;
  keyId: string;
  verifyUrl: string;
  /** The issuing party's PAdES signature the file gets. */
  signature: {
    /** The signer as its certificate names it. */
    name: string;
    /** In which capacity it signs (consignor, carrier, …). */
    role: Label;
    location: string | null;
    signedAt: EpochMs;
    /** Room for the signature, bytes. */
    capacity: number;
  };
}
