/**
 * The XML the NCTS messages are written in, as a tree of elements (NCTS messages carry no mixed
 * content: an element holds either text or elements). Written with the five predefined escapes;
 * read by a deliberately small parser that accepts only what NCTS messages use: one XML
 * declaration, elements with attributes, text, comments and CDATA sections, the predefined and
 * numeric character references. A document type declaration (and so any entity of its own,
 * external or not) or a processing instruction is refused, so that reading a message never
 * fetches, expands or includes anything. Pure.
 */

export interface XmlElement {
  /** The qualified name as written (e.g. `ncts:CC015C` or `LRN`). */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's text (trimmed), for an element without child elements; '' otherwise. */
  text: string;
}

/** An element with text, or with children (the children given in order, undefined left out). */
export function el(
  name: string,
  content: string | number | readonly (XmlElement | undefined | false)[],
  attributes: Record<string, string> = {},
): XmlElement {
  if (typeof content === 'string' || typeof content === 'number')
    return { name, attributes, children: [], text: String(content) };
  return {
    name,
    attributes,
    children: content.filter((c): c is XmlElement => Boolean(c)),
    text: '',
  };
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The document: an XML declaration (UTF-8) and the element, indented by two spaces. Pure. */
export function renderXml(root: XmlElement): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const walk = (e: XmlElement, depth: number) => {
    const pad = '  '.repeat(depth);
    const attrs = Object.entries(e.attributes)
      .map(([k, v]) => ` ${k}="${escape(v)}"`)
      .join('');
    if (e.children.length === 0) {
      out.push(`${pad}<${e.name}${attrs}>${escape(e.text)}</${e.name}>`);
      return;
    }
    out.push(`${pad}<${e.name}${attrs}>`);
    for (const c of e.children) walk(c, depth + 1);
    out.push(`${pad}</${e.name}>`);
  };
  walk(root, 0);
  return `${out.join('\n')}\n`;
}

export type XmlRead = { ok: true; root: XmlElement } | { ok: false; problem: string };

const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Deepest nesting read (NCTS messages nest about 8 deep). */
const MAX_DEPTH = 32;

/** The element tree of a document, or the first reason it is not well-formed. Pure. */
export function parseXml(source: string): XmlRead {
  let i = 0;
  const fail = (why: string): XmlRead => {
    const line = source.slice(0, i).split('\n').length;
    return { ok: false, problem: `${why} (line ${line})` };
  };
  const decode = (raw: string): string | undefined => {
    if (/&(?!(#x[0-9A-Fa-f]+|#\d+|\w+);)/.test(raw)) return undefined;
    let bad = false;
    const text = raw.replace(/&(#x[0-9A-Fa-f]+|#\d+|\w+);/g, (m, ref: string) => {
      if (ref.startsWith('#')) {
        const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (code > 0x10ffff || code === 0) bad = true;
        return bad ? m : String.fromCodePoint(code);
      }
      const known = PREDEFINED[ref];
      if (known === undefined) bad = true;
      return known ?? m;
    });
    return bad ? undefined : text;
  };
  const skipMisc = (): string | undefined => {
    for (;;) {
      while (i < source.length && /\s/.test(source[i]!)) i++;
      if (source.startsWith('<!--', i)) {
        const end = source.indexOf('-->', i + 4);
        if (end < 0) return 'a comment is not closed';
        i = end + 3;
      } else if (source.startsWith('<!DOCTYPE', i) || source.startsWith('<!ENTITY', i))
        return 'a document type declaration is not accepted (no DTD, no entities)';
      else if (source.startsWith('<?', i)) return 'a processing instruction is not accepted';
      else return undefined;
    }
  };
  if (source.charCodeAt(0) === 0xfeff) i = 1;
  if (source.startsWith('<?xml', i)) {
    const end = source.indexOf('?>', i);
    if (end < 0) return fail('the XML declaration is not closed');
    const decl = source.slice(i, end);
    const enc = /encoding\s*=\s*["']([^"']+)["']/.exec(decl)?.[1];
    if (enc && enc.toUpperCase() !== 'UTF-8') return fail(`encoding ${enc} is not UTF-8`);
    i = end + 2;
  }
  const before = skipMisc();
  if (before) return fail(before);
  if (source[i] !== '<') return fail('the document does not start with an element');

  const parseElement = (depth: number): XmlElement | string => {
    if (depth > MAX_DEPTH) return `elements nest deeper than ${MAX_DEPTH}`;
    i++; // <
    const name = NAME.exec(source.slice(i, i + 200))?.[0];
    if (!name) return 'an element name is expected';
    i += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      while (/\s/.test(source[i] ?? '')) i++;
      if (source.startsWith('/>', i)) {
        i += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (source[i] === '>') {
        i++;
        break;
      }
      const attr = NAME.exec(source.slice(i, i + 200))?.[0];
      if (!attr) return `a malformed attribute in <${name}>`;
      i += attr.length;
      const m = /^\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(source.slice(i));
      if (!m) return `attribute ${attr} of <${name}> has no quoted value`;
      const value = decode(m[2] ?? m[3] ?? '');
      if (value === undefined) return `attribute ${attr} of <${name}> has an unknown entity`;
      if (attr in attributes) return `attribute ${attr} of <${name}> is given twice`;
      attributes[attr] = value;
      i += m[0].length;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (i >= source.length) return `<${name}> is not closed`;
      if (source.startsWith('</', i)) {
        i += 2;
        const closing = NAME.exec(source.slice(i, i + 200))?.[0];
        if (closing !== name) return `</${closing ?? '?'}> closes <${name}>`;
        i += closing.length;
        while (/\s/.test(source[i] ?? '')) i++;
        if (source[i] !== '>') return `</${name}> is not closed`;
        i++;
        return { name, attributes, children, text: children.length > 0 ? '' : text.trim() };
      }
      if (source.startsWith('<!--', i)) {
        const end = source.indexOf('-->', i + 4);
        if (end < 0) return 'a comment is not closed';
        i = end + 3;
      } else if (source.startsWith('<![CDATA[', i)) {
        const end = source.indexOf(']]>', i + 9);
        if (end < 0) return 'a CDATA section is not closed';
        text += source.slice(i + 9, end);
        i = end + 3;
      } else if (source.startsWith('<!', i) || source.startsWith('<?', i)) {
        return 'a declaration or processing instruction inside an element is not accepted';
      } else if (source[i] === '<') {
        const child = parseElement(depth + 1);
        if (typeof child === 'string') return child;
        children.push(child);
      } else {
        const end = source.indexOf('<', i);
        const raw = source.slice(i, end < 0 ? source.length : end);
        const decoded = decode(raw);
        if (decoded === undefined) return `an unknown or malformed entity in <${name}>`;
        if (children.length > 0 && decoded.trim() !== '')
          return `<${name}> mixes text and elements`;
        text += decoded;
        i += raw.length;
      }
    }
  };
  const root = parseElement(0);
  if (typeof root === 'string') return fail(root);
  const after = skipMisc();
  if (after) return fail(after);
  if (i < source.length) return fail('content after the root element');
  return { ok: true, root };
}

/** The local part of a qualified name (`ncts:CC028C` → `CC028C`). Pure. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}
