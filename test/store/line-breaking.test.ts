import { describe, expect, it } from 'vitest';
import { valueLines } from '../../src/store/pdf-renderer.ts';

/**
 * Chinese consignee names and addresses as they are written on SMGS notes from Qingdao and
 * Xi'an, set in boxes of many widths: lines break where UAX #14 allows, so no line starts with
 * a closing mark (，。）：、) and nothing is lost.
 */
const TEXTS = [
  '青岛胶州多式联运有限公司（中国—上合组织地方经贸合作示范区），山东省青岛市胶州市上合大道1号。',
  '西安国际港务区陆港大厦，收货人：陕西长安号国际物流有限公司；联系人：王先生，电话：029-83600000。',
  '中铁集装箱运输有限责任公司西安分公司（西安国际港站），陕西省西安市灞桥区港务大道。',
  '山东高速齐鲁号欧亚班列运营有限公司，青岛市黄岛区前湾港路（董家口港区）、保税港区。',
];
const CLOSING = /^[，。）：、；！？」』】]/u;

describe('Chinese line breaking (UAX #14)', () => {
  it('never starts a line with a closing mark, and keeps every character', () => {
    let lines = 0;
    for (const text of TEXTS)
      for (let width = 40; width <= 260; width += 7) {
        const set = valueLines(text, width);
        lines += set.length;
        for (const line of set)
          expect(line, `${width} pt: ${set.join(' | ')}`).not.toMatch(CLOSING);
        expect(set.join('')).toBe(text);
      }
    expect(lines).toBeGreaterThan(500);
  });

  it('still breaks between ideographs where the rules allow it', () => {
    const set = valueLines(TEXTS[0]!, 60);
    expect(set.length).toBeGreaterThan(5);
    expect(set.every((l) => l.length <= 12)).toBe(true);
  });
});
