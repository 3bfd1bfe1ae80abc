import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import LineBreaker from 'linebreak';
import QRCode from 'qrcode';
import type { DocumentRenderer } from '../app/document-ports.ts';
import { printedTime } from '../core/documents/forms.ts';
import type { Block, DocumentLayout, Label, Stamp } from '../core/documents/layout.ts';
import { addSignatureField } from './pki/pades.ts';

/**
 * Draws document layouts as A4 PDFs with pdfkit. Fonts are bundled npm packages: DejaVu Sans
 * Condensed for Latin, Cyrillic (Russian, Kazakh, Azerbaijani) and Georgian, and Noto Sans SC
 * for Chinese; each character is set in the first font that has it, and only the glyphs used
 * are embedded, with their Unicode mapping, so text can be searched and copied. Lines are
 * broken here (where UAX #14 allows), so boxes and table rows are
 * measured before they are drawn and never split across pages.
 */

const require = createRequire(import.meta.url);

type Font = fontkit.Font;

interface Fonts {
  regular: Font;
  bold: Font;
  cjk: Font;
}

let loaded: Fonts | undefined;

type GlyphRun = ReturnType<Font['layout']>;

/**
 * A font whose shaped runs are kept across documents: pdfkit shapes every word it draws
 * (OpenType lookups, most of a document's time), and forms repeat their labels. Kerning only,
 * no ligatures (FEATURES). pdfkit scales a run's positions in place, so each caller gets its own
 * copies of them.
 */
function withRunCache(font: Font): Font {
  const runs = new Map<string, GlyphRun>();
  const shaped = Object.create(font) as Font;
  shaped.layout = (text: string) => {
    let run = runs.get(text);
    if (!run) {
      run = font.layout(text, FEATURES);
      if (runs.size > 20_000) runs.clear();
      runs.set(text, run);
    }
    const positions = run.positions.map((p) => ({ ...p }));
    return {
      glyphs: run.glyphs,
      positions,
      get advanceWidth() {
        return positions.reduce((n, p) => n + p.xAdvance, 0);
      },
    } as unknown as GlyphRun;
  };
  return shaped;
}

function loadFont(path: string): Font {
  const font = fontkit.create(readFileSync(path)) as Font;
  // fontkit keeps the first glyph object it makes for a glyph id, with the characters it was
  // made for, and pdfkit maps glyphs back to text with those. A glyph first made as a part of
  // another (Cyrillic а is drawn with Latin a) would have none, and its text would be lost from
  // every later document: make each glyph from its character first (a few ms, a few MB).
  // Where characters share a glyph, the common one wins: a letter or a unified ideograph of the
  // basic block over an extension, a radical or a compatibility form.
  const rank = (cp: number) =>
    (cp >= 0x2e80 && cp <= 0x2fdf) || (cp >= 0xf900 && cp <= 0xfaff) || cp >= 0x20000
      ? 2
      : cp >= 0x3400 && cp <= 0x4dbf
        ? 1
        : 0;
  const chars = [...font.characterSet].sort((a, b) => rank(a) - rank(b) || a - b);
  for (const cp of chars) font.glyphForCodePoint(cp);
  return withRunCache(font);
}

/** The fonts, read and parsed once per process. */
function fonts(): Fonts {
  loaded ??= {
    regular: loadFont(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf')),
    bold: loadFont(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf')),
    cjk: loadFont(
      require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
    ),
  };
  return loaded;
}

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 36;
const FOOTER = 34;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const GAP = 8;
const PAD = 4;
const BORDER = '#8a8a8a';
const SHADE = '#ececec';
const MUTED = '#4a4a4a';
const SIZE = { value: 8.5, label: 6.5, heading: 7.5, title: 14, titleRu: 11, footer: 6.5 };
const LINE = 1.25;
/** Where the baseline sits below the top of a line, in ems (DejaVu's ascent). */
const ASCENT = 0.93;

type Face = 'regular' | 'bold';
interface Run {
  text: string;
  font: 'regular' | 'bold' | 'cjk';
  width: number;
}
type Line = Run[];

/** Kerning, no ligatures: every glyph stands for one character, for search and copy. */
const FEATURES = { liga: false, clig: false, dlig: false, calt: false } as unknown as string[];

/**
 * The text cut where Unicode's line breaking rules (UAX #14) allow a break, each piece with the
 * spaces after it: between Chinese characters, but never before a closing mark such as ，。）：
 * or after an opening one.
 */
export function breakOpportunities(text: string): string[] {
  if (text === '') return [''];
  const pieces: string[] = [];
  const breaker = new LineBreaker(text);
  let last = 0;
  for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
    pieces.push(text.slice(last, bk.position));
    last = bk.position;
  }
  if (last < text.length) pieces.push(text.slice(last));
  return pieces;
}

/** Text measured and broken into lines by one set of fonts. */
class Typesetter {
  private readonly widths = new Map<string, number>();

  constructor(private readonly f: Fonts) {}

  private fontFor(ch: string, face: Face): Run['font'] {
    const cp = ch.codePointAt(0)!;
    const primary = face === 'bold' ? this.f.bold : this.f.regular;
    return primary.hasGlyphForCodePoint(cp) || !this.f.cjk.hasGlyphForCodePoint(cp) ? face : 'cjk';
  }

  width(text: string, font: Run['font'], size: number): number {
    const key = `${font}\u0000${size}\u0000${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      const f = this.f[font];
      w = (f.layout(text, FEATURES).advanceWidth / f.unitsPerEm) * size;
      if (this.widths.size > 50_000) this.widths.clear();
      this.widths.set(key, w);
    }
    return w;
  }

  /** Runs of one font each. */
  private runs(text: string, face: Face, size: number): Run[] {
    const out: Run[] = [];
    for (const ch of text) {
      const font = this.fontFor(ch, face);
      const last = out.at(-1);
      if (last && last.font === font) last.text += ch;
      else out.push({ text: ch, font, width: 0 });
    }
    for (const r of out) r.width = this.width(r.text, r.font, size);
    return out;
  }

  /** Breaks text into lines no wider than `width`; `\n` starts a new line. */
  lines(text: string, face: Face, size: number, width: number): Line[] {
    const lines: Line[] = [];
    for (const paragraph of text.split('\n')) {
      const tokens = breakOpportunities(paragraph);
      let line = '';
      let lineWidth = 0;
      const flush = () => {
        lines.push(this.runs(line.trimEnd(), face, size));
        line = '';
        lineWidth = 0;
      };
      for (const token of tokens) {
        const w = this.measure(token, face, size);
        if (lineWidth + this.measure(token.trimEnd(), face, size) <= width || line === '') {
          if (line === '' && this.measure(token.trimEnd(), face, size) > width) {
            // A word wider than the line: break it between characters.
            for (const ch of token) {
              const cw = this.measure(ch, face, size);
              if (lineWidth + cw > width && line !== '') flush();
              line += ch;
              lineWidth += cw;
            }
            continue;
          }
          line += token;
          lineWidth += w;
        } else {
          flush();
          if (!/^\s+$/.test(token)) {
            line = token;
            lineWidth = w;
          }
        }
      }
      flush();
    }
    return lines;
  }

  private measure(text: string, face: Face, size: number): number {
    if (text === '') return 0;
    let w = 0;
    for (const r of this.runs(text, face, size)) w += r.width;
    return w;
  }
}

type Doc = InstanceType<typeof PDFDocument>;

class Page {
  y = MARGIN;
  constructor(
    readonly doc: Doc,
    readonly t: Typesetter,
  ) {}

  get bottom(): number {
    return PAGE.height - MARGIN - FOOTER;
  }

  newPage(): void {
    this.doc.addPage({ size: 'A4', margin: 0 });
    this.y = MARGIN;
  }

  ensure(height: number): void {
    if (this.y + height > this.bottom && this.y > MARGIN) this.newPage();
  }

  drawLines(lines: Line[], x: number, y: number, size: number, colour = '#000000'): void {
    const doc = this.doc;
    doc.fillColor(colour).fontSize(size);
    lines.forEach((line, i) => {
      let cx = x;
      for (const run of line) {
        // On one baseline, whatever the font's own ascent.
        if (run.text !== '')
          doc.font(run.font).text(run.text, cx, y + i * size * LINE + size * ASCENT, {
            lineBreak: false,
            baseline: 'alphabetic',
          });
        cx += run.width;
      }
    });
  }
}

const labelText = (l: Label) => `${l.en} / ${l.ru}${l.zh ? ` / ${l.zh}` : ''}`;

/** A box's title bar height, for a title of so many lines. */
const barHeight = (lines: number) => lines * SIZE.heading * LINE + 2 * PAD - 2;

interface Measured {
  height: number;
  draw: (x: number, y: number, height: number) => void;
}

function measureFields(
  page: Page,
  block: Extract<Block, { type: 'fields' | 'text' }>,
  width: number,
): Measured {
  const t = page.t;
  const inner = width - 2 * PAD;
  const title = t.lines(labelText(block.title), 'bold', SIZE.heading, inner);
  const items =
    block.type === 'fields'
      ? block.fields.map((f) => ({
          label: t.lines(labelText(f.label), 'regular', SIZE.label, inner),
          value: t.lines(f.value, 'regular', SIZE.value, inner),
        }))
      : block.paragraphs.map((p) => ({
          label: [],
          value: t.lines(p, 'regular', SIZE.value, inner),
        }));
  const bar = barHeight(title.length);
  let height = bar + PAD;
  for (const it of items)
    height += it.label.length * SIZE.label * LINE + it.value.length * SIZE.value * LINE + 3;
  height += PAD;
  return {
    height,
    draw: (x, y, h) => {
      const doc = page.doc;
      doc.rect(x, y, width, bar).fill(SHADE);
      doc.lineWidth(0.6).rect(x, y, width, h).stroke(BORDER);
      page.drawLines(title, x + PAD, y + PAD - 1, SIZE.heading);
      let cy = y + bar + PAD;
      for (const it of items) {
        page.drawLines(it.label, x + PAD, cy, SIZE.label, MUTED);
        cy += it.label.length * SIZE.label * LINE;
        page.drawLines(it.value, x + PAD, cy, SIZE.value);
        cy += it.value.length * SIZE.value * LINE + 3;
      }
    },
  };
}

function drawTable(page: Page, block: Extract<Block, { type: 'table' }>): void {
  const t = page.t;
  const doc = page.doc;
  const total = block.columns.reduce((n, c) => n + c.weight, 0);
  const widths = block.columns.map((c) => (c.weight / total) * CONTENT_WIDTH);
  const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const cellLines = (cells: readonly string[], face: Face, size: number) =>
    cells.map((c, i) => t.lines(c, face, size, widths[i]! - 2 * PAD));
  const rowHeight = (lines: Line[][], size: number) =>
    Math.max(...lines.map((l) => l.length)) * size * LINE + 2 * PAD - 1;
  const header = block.columns.map((c, i) => [
    ...t.lines(c.label.en, 'bold', SIZE.label, widths[i]! - 2 * PAD),
    ...t.lines(c.label.ru, 'regular', SIZE.label, widths[i]! - 2 * PAD),
    ...(c.label.zh ? t.lines(c.label.zh, 'regular', SIZE.label, widths[i]! - 2 * PAD) : []),
  ]);
  const headerHeight = rowHeight(header, SIZE.label);
  const rows = (block.rows.length > 0 ? block.rows : [[block.empty]]).map((r) => {
    const cells = block.columns.map((_, i) => r[i] ?? '');
    const lines = cellLines(cells, 'regular', SIZE.value);
    return { lines, height: rowHeight(lines, SIZE.value) };
  });

  const drawHead = (continued: boolean) => {
    const title = t.lines(
      `${labelText(block.title)}${continued ? ' (continued / продолжение)' : ''}`,
      'bold',
      SIZE.heading,
      CONTENT_WIDTH - 2 * PAD,
    );
    const bar = barHeight(title.length);
    doc.rect(MARGIN, page.y, CONTENT_WIDTH, bar).fill(SHADE);
    doc.lineWidth(0.6).rect(MARGIN, page.y, CONTENT_WIDTH, bar).stroke(BORDER);
    page.drawLines(title, MARGIN + PAD, page.y + PAD - 1, SIZE.heading);
    page.y += bar;
    header.forEach((lines, i) => {
      doc.lineWidth(0.4).rect(xs[i]!, page.y, widths[i]!, headerHeight).stroke(BORDER);
      page.drawLines(lines, xs[i]! + PAD, page.y + PAD, SIZE.label, MUTED);
    });
    page.y += headerHeight;
  };

  const titleHeight = barHeight(1);
  page.ensure(titleHeight + headerHeight + (rows[0]?.height ?? 0));
  drawHead(false);
  for (const row of rows) {
    if (page.y + row.height > page.bottom) {
      page.newPage();
      drawHead(true);
    }
    row.lines.forEach((lines, i) => {
      doc.lineWidth(0.4).rect(xs[i]!, page.y, widths[i]!, row.height).stroke(BORDER);
      const right = block.columns[i]!.align === 'right';
      const lineWidth = (l: Line) => l.reduce((n, r) => n + r.width, 0);
      if (right)
        lines.forEach((l, k) =>
          page.drawLines(
            [l],
            xs[i]! + widths[i]! - PAD - lineWidth(l),
            page.y + PAD + k * SIZE.value * LINE,
            SIZE.value,
          ),
        );
      else page.drawLines(lines, xs[i]! + PAD, page.y + PAD, SIZE.value);
    });
    page.y += row.height;
  }
  page.y += GAP;
}

const QR_SIZE = 64;

function drawQr(doc: Doc, value: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(value, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / (n + 2);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (qr.modules.get(r, c)) doc.rect(x + (c + 1) * cell, y + (r + 1) * cell, cell, cell);
  doc.fill('#000000');
}

function drawHeader(page: Page, layout: DocumentLayout, stamp: Stamp): void {
  const doc = page.doc;
  const t = page.t;
  const codes = [
    { label: { en: 'Verify', ru: 'Проверить' }, value: stamp.verifyUrl },
    ...layout.codes,
  ];
  const codesWidth = codes.length * (QR_SIZE + 10);
  const textWidth = CONTENT_WIDTH - codesWidth;
  codes.forEach((c, i) => {
    const x = PAGE.width - MARGIN - (i + 1) * (QR_SIZE + 10) + 10;
    drawQr(doc, c.value, x, MARGIN, QR_SIZE);
    page.drawLines(
      t.lines(labelText(c.label), 'regular', SIZE.label, QR_SIZE + 8),
      x,
      MARGIN + QR_SIZE + 1,
      SIZE.label,
      MUTED,
    );
  });
  let y = MARGIN;
  const title = t.lines(layout.title.en, 'bold', SIZE.title, textWidth);
  page.drawLines(title, MARGIN, y, SIZE.title);
  y += title.length * SIZE.title * LINE;
  const ru = t.lines(
    layout.title.zh ? `${layout.title.ru} · ${layout.title.zh}` : layout.title.ru,
    'regular',
    SIZE.titleRu,
    textWidth,
  );
  page.drawLines(ru, MARGIN, y, SIZE.titleRu, MUTED);
  y += ru.length * SIZE.titleRu * LINE + 2;
  const sub = t.lines(layout.subtitle, 'regular', SIZE.value, textWidth);
  page.drawLines(sub, MARGIN, y, SIZE.value);
  y += sub.length * SIZE.value * LINE + 2;
  const meta = t.lines(
    `No. / № ${layout.number}    Issued / Выдан ${printedTime(layout.issuedAt)}`,
    'bold',
    SIZE.value,
    textWidth,
  );
  page.drawLines(meta, MARGIN, y, SIZE.value);
  y += meta.length * SIZE.value * LINE;
  page.y = Math.max(y, MARGIN + QR_SIZE + 10) + GAP;
}

function drawFooters(doc: Doc, t: Typesetter, layout: DocumentLayout, stamp: Stamp): void {
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const y = PAGE.height - MARGIN - FOOTER + 8;
    doc
      .lineWidth(0.5)
      .moveTo(MARGIN, y)
      .lineTo(PAGE.width - MARGIN, y)
      .stroke(BORDER);
    const page = new Page(doc, t);
    const pageText = `Page / Стр. ${i + 1} / ${range.count}`;
    const pageWidth = t.width(pageText, 'regular', SIZE.footer);
    const lines = t.lines(
      `${layout.number} · Signed by / Подписано: ${stamp.signature.name} (${stamp.signature.role.en} / ${stamp.signature.role.ru}), PAdES · Content SHA-256 / Хеш содержания: ${stamp.contentHash} · Sealed by Corridor, Ed25519 key / Печать Corridor, ключ ${stamp.keyId} · Verify / Проверка: ${stamp.verifyUrl}`,
      'regular',
      SIZE.footer,
      CONTENT_WIDTH - pageWidth - 12,
    );
    page.drawLines(lines, MARGIN, y + 4, SIZE.footer, MUTED);
    page.drawLines(
      [[{ text: pageText, font: 'regular', width: pageWidth }]],
      PAGE.width - MARGIN - pageWidth,
      y + 4,
      SIZE.footer,
      MUTED,
    );
  }
}

/** The pdfkit renderer: one layout for every kind of document. */
export class PdfRenderer implements DocumentRenderer {
  /** Made with the fonts on the first document, not when the server starts. */
  private typesetter: Typesetter | undefined;

  render(layout: DocumentLayout, stamp: Stamp): Promise<Uint8Array> {
    const f = fonts();
    const typesetter = (this.typesetter ??= new Typesetter(f));
    // pdfkit takes parsed fontkit fonts; its types name only files and buffers.
    const asSource = (font: Font) => font as unknown as Buffer;
    const doc = new PDFDocument({
      size: 'A4',
      // No built-in font: pdfkit would parse Helvetica's metrics for every document.
      font: null as unknown as string,
      margin: 0,
      bufferPages: true,
      compress: process.env.PDF_DEBUG ? false : true,
      autoFirstPage: true,
      info: {
        Title: `${layout.title.en} ${layout.number}`,
        Author: 'Corridor',
        Subject: layout.subtitle,
        Keywords: `${stamp.documentId} ${stamp.contentHash}`,
        CreationDate: new Date(layout.issuedAt),
      },
    });
    doc.registerFont('regular', asSource(f.regular));
    doc.registerFont('bold', asSource(f.bold));
    doc.registerFont('cjk', asSource(f.cjk));
    const chunks: Buffer[] = [];
    const done = new Promise<Uint8Array>((resolve, reject) => {
      doc.on('data', (c: Buffer) => chunks.push(c));
      doc.on('end', () => {
        const b = Buffer.concat(chunks);
        resolve(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
      });
      doc.on('error', reject);
    });
    const page = new Page(doc, typesetter);
    drawHeader(page, layout, stamp);
    const blocks = layout.blocks;
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i]!;
      if (b.type === 'page_break') {
        page.newPage();
        continue;
      }
      if (b.type === 'table') {
        drawTable(page, b);
        continue;
      }
      const next = blocks[i + 1];
      if (
        b.width === 'half' &&
        next &&
        next.type !== 'table' &&
        next.type !== 'page_break' &&
        next.width === 'half'
      ) {
        const w = (CONTENT_WIDTH - GAP) / 2;
        const left = measureFields(page, b, w);
        const right = measureFields(page, next, w);
        const h = Math.max(left.height, right.height);
        page.ensure(h);
        left.draw(MARGIN, page.y, h);
        right.draw(MARGIN + w + GAP, page.y, h);
        page.y += h + GAP;
        i++;
        continue;
      }
      const m = measureFields(
        page,
        b,
        b.width === 'half' ? (CONTENT_WIDTH - GAP) / 2 : CONTENT_WIDTH,
      );
      page.ensure(m.height);
      m.draw(MARGIN, page.y, m.height);
      page.y += m.height + GAP;
    }
    drawFooters(doc, typesetter, layout, stamp);
    doc.switchToPage(0);
    addSignatureField(doc, {
      name: stamp.signature.name,
      reason: `${stamp.signature.role.en} / ${stamp.signature.role.ru}: ${layout.title.en} ${layout.number}`,
      location: stamp.signature.location,
      signedAt: new Date(stamp.signature.signedAt),
      capacity: stamp.signature.capacity,
    });
    doc.end();
    return done;
  }
}

/** The lines a value is set in, in the regular face at a size, within a width (points). */
export function valueLines(text: string, width: number, size = SIZE.value): string[] {
  return new Typesetter(fonts())
    .lines(text, 'regular', size, width)
    .map((line) => line.map((r) => r.text).join(''));
}
