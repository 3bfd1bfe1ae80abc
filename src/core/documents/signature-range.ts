/**
 * The byte range of a PDF signature (ISO 32000-1 §12.8.1): the file's bytes but the /Contents
 * hex string that holds the signature. The renderer writes placeholders; `setByteRange` fills
 * in the range for a file that will be `total` bytes long (the seal line after the PDF is
 * inside it), and `byteRangeOf` reads it back and checks that it is the one gap a signature of
 * the whole file leaves. Pure.
 */

export const RANGE_PLACEHOLDER = '**********';
const PLACEHOLDER_TEXT = `/ByteRange [0 /${RANGE_PLACEHOLDER} /${RANGE_PLACEHOLDER} /${RANGE_PLACEHOLDER}]`;

/** Where the signature's hex string starts (its `<`) and ends (after its `>`). */
export interface Gap {
  start: number;
  end: number;
}

// Each byte is one UTF-16 unit in windows-1252 as TextDecoder has it: offsets carry over.
const latin1 = (b: Uint8Array) => new TextDecoder('latin1').decode(b);

function contentsAfter(text: string, from: number): Gap | undefined {
  const open = text.indexOf('/Contents <', from);
  if (open < 0) return undefined;
  const start = open + '/Contents '.length;
  const close = text.indexOf('>', start);
  return close < 0 ? undefined : { start, end: close + 1 };
}

/** Writes the byte range into the placeholder, in place; undefined when there is none. */
export function setByteRange(pdf: Uint8Array, total: number): Gap | undefined {
  const text = latin1(pdf);
  const at = text.lastIndexOf(PLACEHOLDER_TEXT);
  if (at < 0) return undefined;
  // The signature dictionary as pdfkit writes it: /ByteRange, then /Contents.
  const gap = contentsAfter(text, at);
  if (!gap) return undefined;
  const range = `/ByteRange [0 ${gap.start} ${gap.end} ${total - gap.end}]`;
  if (range.length > PLACEHOLDER_TEXT.length) return undefined;
  pdf.set(new TextEncoder().encode(range.padEnd(PLACEHOLDER_TEXT.length, ' ')), at);
  return gap;
}

/**
 * The last signature's gap, when its byte range is [0, start, end, length − end] of this file
 * and the gap is a hex string; else why not.
 */
export function byteRangeOf(
  file: Uint8Array,
): ({ ok: true } & Gap) | { ok: false; problem: string } {
  const text = latin1(file);
  const all = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const m = all.at(-1);
  if (!m) return { ok: false, problem: 'the file has no PDF signature' };
  const [a, b, c, d] = m.slice(1, 5).map(Number) as [number, number, number, number];
  if (a !== 0 || b >= c || c > file.length || file[b] !== 0x3c || file[c - 1] !== 0x3e)
    return { ok: false, problem: 'the PDF signature has a broken byte range' };
  if (c + d !== file.length)
    return { ok: false, problem: 'the PDF signature does not cover the whole file' };
  if (!/^[0-9a-fA-F]*$/.test(text.slice(b + 1, c - 1)))
    return { ok: false, problem: 'the PDF signature has a broken byte range' };
  return { ok: true, start: b, end: c };
}

/** The bytes a signature with this gap covers, in one array. */
export function withoutGap(file: Uint8Array, gap: Gap): Uint8Array {
  const out = new Uint8Array(file.length - (gap.end - gap.start));
  out.set(file.subarray(0, gap.start));
  out.set(file.subarray(gap.end), gap.start);
  return out;
}

/** The signature's DER bytes from its hex string (the zero padding after it dropped). */
export function signatureBytes(file: Uint8Array, gap: Gap): Uint8Array {
  const hex = latin1(file.subarray(gap.start + 1, gap.end - 1));
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
