import { describe, expect, it } from 'vitest';
import { readSeal, sealBytes, sealMessage, type Seal } from '../../../src/core/documents/seal.ts';

const seal: Seal = {
  v: 1,
  id: 'doc_0123456789abcdef0123',
  kid: '0123456789abcdef',
  sha256: 'a'.repeat(64),
  contentHash: 'b'.repeat(64),
  signature: 'x'.repeat(86),
};
const pdf = new TextEncoder().encode('%PDF-1.3\n...\n%%EOF\n');
const sealed = (tail: Uint8Array = sealBytes(seal)) => {
  const out = new Uint8Array(pdf.length + tail.length);
  out.set(pdf);
  out.set(tail, pdf.length);
  return out;
};

describe('the seal line', () => {
  it('splits a sealed file into the bytes it covers and the seal', () => {
    const read = readSeal(sealed());
    expect(read).toEqual({ ok: true, body: pdf, seal });
  });

  it('signs the document, the key, the file hash and the content hash', () => {
    expect(sealMessage(seal)).toBe(
      `corridor-document-seal/1\n${seal.id}\n${seal.kid}\n${seal.sha256}\n${seal.contentHash}`,
    );
  });

  it('says when there is no seal or it is damaged', () => {
    expect(readSeal(pdf)).toEqual({ ok: false, problem: 'no Corridor seal in the file' });
    const text = new TextDecoder().decode(sealBytes(seal));
    const damaged = (s: string) => readSeal(sealed(new TextEncoder().encode(s)));
    expect(damaged(text.replace('"v":1', '"v":3'))).toEqual({
      ok: false,
      problem: 'the seal is damaged: v is not valid',
    });
    expect(damaged(text.replace('}', ''))).toEqual({
      ok: false,
      problem: 'the seal is damaged: not JSON',
    });
    expect(damaged(`${text}trailing`)).toMatchObject({ ok: false });
  });

  it('refuses anything after the seal and a seal not in its exact text', () => {
    const text = new TextDecoder().decode(sealBytes(seal));
    const damaged = (s: string) => readSeal(sealed(new TextEncoder().encode(s)));
    for (const after of [' ', '\n', '\r\n', '\t \n'])
      expect(damaged(`${text}${after}`)).toEqual({
        ok: false,
        problem: 'bytes were added after the seal',
      });
    const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
    const respaced = JSON.stringify(JSON.parse(json), null, 1).replaceAll('\n', '');
    expect(damaged(text.replace(json, respaced))).toEqual({
      ok: false,
      problem: 'the seal is damaged: its text is not as sealed',
    });
    const { id, ...rest } = seal;
    const reordered = JSON.stringify({ ...rest, id });
    expect(reordered).not.toBe(json);
    expect(damaged(text.replace(json, reordered))).toMatchObject({ ok: false });
    // Without the final newline it is not the line written either.
    expect(damaged(text.slice(0, -1))).toMatchObject({ ok: false });
    // The exact line still reads, whatever order the seal's fields were given in.
    const { signature, ...others } = seal;
    const shuffled: Seal = { signature, ...others };
    expect(readSeal(sealed(sealBytes(shuffled)))).toEqual({ ok: true, body: pdf, seal });
  });
});
