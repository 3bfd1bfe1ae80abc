import type PDFDocument from 'pdfkit';
import {
  RANGE_PLACEHOLDER,
  signatureBytes,
  type Gap,
} from '../../core/documents/signature-range.ts';
import { read } from './der.ts';

/**
 * PAdES signatures in the PDFs pdfkit writes (ISO 32000-1 §12.8, ETSI EN 319 142-1): the
 * renderer adds an invisible, locked signature field whose value is a signature dictionary
 * with placeholders for /ByteRange and /Contents (core/documents/signature-range.ts fills in
 * the range); `writeSignature` puts the CMS signature into its hex string.
 */

export interface SignatureField {
  /** Who signs, as the PDF names the signer (/Name), and why (/Reason). */
  name: string;
  reason: string;
  location: string | null;
  signedAt: Date;
  /** Room for the CMS signature, bytes. */
  capacity: number;
}

type Doc = InstanceType<typeof PDFDocument>;
interface Internals {
  ref(data: Record<string, unknown>): { end(): void };
  _root: { data: Record<string, unknown> };
  _acroform: unknown;
  page: { dictionary: unknown; annotations: unknown[] };
}

/** Adds the signature field on the current page. Call before `doc.end()`. */
export function addSignatureField(doc: Doc, field: SignatureField): void {
  const d = doc as unknown as Internals;
  const signature = d.ref({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
    // Plain strings are PDF names: /********** until the range is known.
    ByteRange: [0, RANGE_PLACEHOLDER, RANGE_PLACEHOLDER, RANGE_PLACEHOLDER],
    Contents: Buffer.alloc(field.capacity),
    // String objects are PDF text strings (UTF-16 when not ASCII).
    Name: new String(field.name),
    Reason: new String(field.reason),
    ...(field.location ? { Location: new String(field.location) } : {}),
    M: field.signedAt,
  });
  const widget = d.ref({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [0, 0, 0, 0],
    V: signature,
    T: new String('Signature1'),
    F: 132, // Print, Locked
    P: d.page.dictionary,
  });
  d.page.annotations.push(widget);
  widget.end();
  // pdfkit ends the form with the document, and wants to know the form's fonts.
  d._acroform = { fonts: {}, defaultFont: 'none' };
  d._root.data.AcroForm = d.ref({
    Type: 'AcroForm',
    SigFlags: 3,
    Fields: [widget],
    DR: { Font: {} },
  });
  signature.end();
}

/** Writes the CMS signature into the gap's hex string, in place; throws when it does not fit. */
export function writeSignature(file: Uint8Array, gap: Gap, cms: Buffer): void {
  const hex = cms.toString('hex');
  if (hex.length > gap.end - gap.start - 2)
    throw new Error('the signature does not fit its placeholder');
  file.set(Buffer.from(hex, 'latin1'), gap.start + 1);
}

/** The CMS signature in the gap, without the zero padding after it; throws when damaged. */
export function cmsOf(file: Uint8Array, gap: Gap): Buffer {
  const all = Buffer.from(signatureBytes(file, gap));
  return all.subarray(0, read(all).end);
}
