import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  GENESIS_HASH,
  checkEnd,
  hashedText,
  verifyChain,
  type AuditRecord,
  type Checkpoint,
} from '../../../src/core/customs/audit-chain.ts';
import { makeMrn, mrnProblem } from '../../../src/core/customs/mrn.ts';
import { releaseTimes, spread } from '../../../src/core/customs/release-times.ts';

const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');

describe('MRN', () => {
  it('is 18 characters: year, country, 12 unique, J and a check digit that holds', () => {
    const mrn = makeMrn(2026, 'KZ', '0000ABCD1234');
    expect(mrn).toMatch(/^26KZ0000ABCD1234J\d$/);
    expect(mrnProblem(mrn)).toBeUndefined();
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9A-Z]{12}$/),
        fc.constantFrom('CN', 'KZ', 'AZ', 'GE'),
        (u, c) => {
          expect(mrnProblem(makeMrn(2027, c, u))).toBeUndefined();
        },
      ),
    );
  });

  it('finds a wrong check digit and a wrong shape', () => {
    const mrn = makeMrn(2026, 'AZ', 'X1Y2Z3W4V5U6');
    const wrong = `${mrn.slice(0, 17)}${(Number(mrn[17]) + 1) % 10}`;
    expect(mrnProblem(wrong)).toMatch(/^check character \d does not match \d$/);
    expect(mrnProblem('26AZ123')).toMatch(/^an MRN is 18 characters/);
  });
});

describe('audit hash chain', () => {
  function chain(n: number): AuditRecord[] {
    const out: AuditRecord[] = [];
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= n; seq++) {
      const r = {
        seq,
        at: new Date(Date.UTC(2026, 10, 30, 8, seq)).toISOString(),
        actor: 'org_kz/usr_1',
        declarationId: 'dcl_1',
        country: 'KZ',
        action: seq % 2 ? 'assess' : 'release',
        detail: { lane: 'green', n: seq },
        prevHash: prev,
      };
      prev = sha256(hashedText(r));
      out.push({ ...r, hash: prev });
    }
    return out;
  }

  it('verifies an untouched chain', () => {
    expect(verifyChain(chain(50), sha256)).toEqual({
      ok: true,
      records: 50,
      lastSeq: 50,
      lastHash: chain(50)[49]!.hash,
    });
  });

  it('names the first record changed, removed or out of order', () => {
    const changed = chain(20);
    changed[7] = { ...changed[7]!, detail: { lane: 'red', n: 8 } };
    expect(verifyChain(changed, sha256)).toMatchObject({
      ok: false,
      brokenSeq: 8,
      reason: 'its content does not match its hash',
    });
    const removed = chain(20).filter((r) => r.seq !== 5);
    expect(verifyChain(removed, sha256)).toMatchObject({
      ok: false,
      brokenSeq: 6,
      reason: 'record 5 is missing',
    });
    // A record rewritten with a fresh hash still breaks the link to the next.
    const rehashed = chain(20);
    const r = { ...rehashed[3]!, detail: { lane: 'red' } };
    rehashed[3] = { ...r, hash: sha256(hashedText(r)) };
    expect(verifyChain(rehashed, sha256)).toMatchObject({ ok: false, brokenSeq: 5 });
  });

  it('finds a lost tail by the head record, and a rewritten tail by a signed head', () => {
    const whole = chain(10);
    const head = { seq: 10, hash: whole[9]!.hash };
    const ends = (records: AuditRecord[], h = head, checkpoints: Checkpoint[] = []) => {
      const c = verifyChain(records, sha256, undefined, checkpoints);
      return c.ok ? checkEnd(c, h, checkpoints) : c;
    };
    expect(ends(whole)).toMatchObject({ ok: true, lastSeq: 10 });
    // The last record deleted: the chain itself still holds.
    const truncated = whole.slice(0, 9);
    expect(verifyChain(truncated, sha256).ok).toBe(true);
    expect(ends(truncated)).toMatchObject({
      ok: false,
      brokenSeq: 10,
      reason: 'it is missing: the head record names record 10',
    });
    expect(ends([])).toMatchObject({ ok: false, brokenSeq: 1 });
    // A record added after the head.
    expect(ends(whole, { seq: 9, hash: whole[8]!.hash })).toMatchObject({
      ok: false,
      brokenSeq: 10,
    });
    expect(ends(whole, { seq: 10, hash: GENESIS_HASH })).toMatchObject({
      ok: false,
      brokenSeq: 10,
      reason: 'it does not match the head record',
    });
    // Tail and head rewritten together: only a head signed earlier tells.
    const signed: Checkpoint = {
      seq: 10,
      hash: whole[9]!.hash,
      by: 'the head signed on 2026-11-30',
    };
    const newHead = { seq: 9, hash: whole[8]!.hash };
    expect(ends(truncated, newHead)).toMatchObject({ ok: true });
    expect(ends(truncated, newHead, [signed])).toEqual({
      ok: false,
      records: 9,
      brokenSeq: 10,
      reason: 'it is missing: the head signed on 2026-11-30 names record 10',
    });
    const rewritten = chain(9);
    const last = { ...whole[9]!, detail: { lane: 'red' } };
    rewritten.push({ ...last, hash: sha256(hashedText(last)) });
    expect(ends(rewritten, { seq: 10, hash: rewritten[9]!.hash }, [signed])).toMatchObject({
      ok: false,
      brokenSeq: 10,
      reason: 'it does not match the head signed on 2026-11-30',
    });
  });

  it('hashes one text for one value, whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 1, e: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"e":2,"f":1}]},"b":1}',
    );
  });
});

describe('release times', () => {
  it('gives P50/P90 by nearest rank', () => {
    const h = 3_600_000;
    expect(spread([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((x) => x * h))).toEqual({
      count: 10,
      p50Hours: 5,
      p90Hours: 9,
    });
    expect(spread([])).toEqual({ count: 0, p50Hours: null, p90Hours: null });
  });

  it('per office and lane, with lane shares, and AEO against the others', () => {
    const h = 3_600_000;
    const seg = (office: string, lane: 'green' | 'red', aeo: boolean, releaseAfterH: number) => ({
      office,
      lane,
      aeo,
      lodgedAt: 0,
      arrivedAt: 10 * h,
      assessedAt: h,
      releasedAt: (10 + releaseAfterH) * h,
    });
    const t = releaseTimes([
      seg('KZAAU001', 'green', true, 0.5),
      seg('KZAAU001', 'green', false, 1),
      seg('KZAAU001', 'green', false, 2),
      seg('KZAAU001', 'red', false, 30),
      seg('AZBAK001', 'green', true, 1),
    ]);
    expect(
      t.rows.map((r) => [r.office, r.lane, r.segments, r.share, r.arrivalToRelease.p50Hours]),
    ).toEqual([
      ['AZBAK001', 'all', 1, 1, 1],
      ['AZBAK001', 'green', 1, 1, 1],
      ['KZAAU001', 'all', 4, 1, 1],
      ['KZAAU001', 'green', 3, 0.75, 1],
      ['KZAAU001', 'red', 1, 0.25, 30],
    ]);
    expect(t.rows[2]!.lodgementToDecision).toEqual({ count: 4, p50Hours: 1, p90Hours: 1 });
    expect(t.aeo).toEqual({
      share: 0.4,
      arrivalToRelease: { count: 2, p50Hours: 0.5, p90Hours: 1 },
    });
    expect(t.others.arrivalToRelease).toEqual({ count: 3, p50Hours: 2, p90Hours: 30 });
  });

  it('counts segments still waiting for their lane in the office total, never above 100 %', () => {
    const waiting = {
      office: 'AZBAK001',
      lane: null,
      aeo: false,
      lodgedAt: 0,
      arrivedAt: null,
      assessedAt: null,
      releasedAt: null,
    };
    const green = {
      ...waiting,
      lane: 'green' as const,
      assessedAt: 1,
      arrivedAt: 2,
      releasedAt: 3,
    };
    const t = releaseTimes([waiting, waiting, green]);
    expect(t.rows.map((r) => [r.lane, r.segments, r.share])).toEqual([
      ['all', 3, 1],
      ['green', 1, 1],
    ]);
  });
});
