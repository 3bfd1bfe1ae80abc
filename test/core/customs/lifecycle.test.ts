import { describe, expect, it } from 'vitest';
import {
  amendable,
  guaranteeReleased,
  lodgedSegment,
  transition,
  undoDecision,
  type SegmentAction,
  type SegmentStatus,
} from '../../../src/core/customs/lifecycle.ts';
import { NO_COUNTS, type Lane, type RiskDecision } from '../../../src/core/customs/risk.ts';

const decision = (lane: Lane): RiskDecision => ({
  lane,
  by: lane === 'green' ? 'none' : 'rule',
  aeo: false,
  hits: [],
  random: { rate: 0, draw: 0.5, selected: false },
  topUp: { lane: null, counts: NO_COUNTS },
  seed: 1,
});

/** Applies actions in turn (one hour apart), failing the test on a refusal; returns the events. */
function walk(actions: SegmentAction[], start: SegmentStatus = lodgedSegment(0)) {
  let s = start;
  const events: string[] = [];
  actions.forEach((a, i) => {
    const r = transition(s, a, (i + 1) * 3_600_000);
    if (!r.ok) throw new Error(r.reason);
    s = r.status;
    events.push(...r.events);
  });
  return { status: s, events };
}

describe('a country segment of a transit declaration', () => {
  it('green, assessed before arrival: released on arrival, then exits and is discharged', () => {
    const { status, events } = walk([
      { type: 'assess', decision: decision('green') },
      { type: 'arrive' },
      { type: 'exit' },
      { type: 'discharge' },
    ]);
    expect(status.state).toBe('discharged');
    expect(status.releasedAt).toBe(2 * 3_600_000);
    expect(events).toEqual(['CUSR', 'CROS']);
  });

  it('green, assessed after arrival: released at once', () => {
    const { status, events } = walk([
      { type: 'arrive' },
      { type: 'assess', decision: decision('green') },
    ]);
    expect(status.state).toBe('released');
    expect(events).toEqual(['CUSR']);
  });

  it('red: selected for inspection, released only after a physical inspection is recorded', () => {
    const { status, events } = walk([
      { type: 'assess', decision: decision('red') },
      { type: 'arrive' },
      {
        type: 'record_inspection',
        inspection: { kind: 'scan', sealsIntact: true, discrepancies: [] },
      },
    ]);
    expect(status.state).toBe('assessed');
    const early = transition(status, { type: 'release' }, 0);
    expect(early).toEqual({
      ok: false,
      reason:
        'cannot release: the segment is assessed; a red-lane box is released after a physical inspection is recorded',
    });
    const done = walk(
      [
        {
          type: 'record_inspection',
          inspection: {
            kind: 'physical',
            sealsIntact: false,
            discrepancies: ['12 cartons more than declared'],
          },
        },
        { type: 'release' },
      ],
      status,
    );
    expect(done.status.state).toBe('released');
    expect(
      done.status.inspections.map((i) => [i.kind, i.sealsIntact, i.discrepancies.length]),
    ).toEqual([
      ['scan', true, 0],
      ['physical', false, 1],
    ]);
    expect([...events, ...done.events]).toEqual(['CUSI', 'CUSS', 'CUSR']);
  });

  it('yellow: documents requested, provided by the trader, then released', () => {
    const { status } = walk([
      { type: 'assess', decision: decision('yellow') },
      { type: 'arrive' },
      { type: 'request_documents', note: 'the commercial invoice' },
    ]);
    expect(status).toMatchObject({ state: 'documents_requested', note: 'the commercial invoice' });
    expect(transition(status, { type: 'release' }, 0).ok).toBe(false);
    expect(transition(status, { type: 'check_documents' }, 0)).toEqual({
      ok: false,
      reason:
        'cannot check documents: the segment is documents requested; the trader has not yet provided the documents asked for',
    });
    const provided = walk([{ type: 'provide_documents' }], status).status;
    // Provided is not checked: the officer records the documentary check before the release.
    expect(transition(provided, { type: 'release' }, 0)).toEqual({
      ok: false,
      reason:
        'cannot release: the segment is assessed; a yellow-lane box is released after its documents are recorded as checked',
    });
    const done = walk([{ type: 'check_documents' }, { type: 'release' }], provided);
    expect(done.status).toMatchObject({ state: 'released', note: null });
    expect(done.status.documentsCheckedAt).not.toBeNull();
  });

  it('yellow: not released on arrival, nor before the documents are checked', () => {
    const arrived = walk([{ type: 'assess', decision: decision('yellow') }, { type: 'arrive' }]);
    expect(arrived.status.state).toBe('assessed');
    expect(arrived.events).toEqual([]);
    expect(transition(arrived.status, { type: 'release' }, 0).ok).toBe(false);
    const done = walk([{ type: 'check_documents' }, { type: 'release' }], arrived.status);
    expect(done.status.state).toBe('released');
    expect(done.events).toEqual(['CUSR']);
  });

  it('an officer takes a decision back within a minute, not later and not for another', () => {
    const before = walk([{ type: 'assess', decision: decision('green') }]).status;
    const after = walk([{ type: 'arrive' }], before).status;
    expect(after.state).toBe('released');
    const last = { action: 'arrive' as const, at: 1_000, by: 'org/a', before };
    expect(undoDecision(after, last, 'org/a', 61_000)).toMatchObject({ ok: true, status: before });
    expect(undoDecision(after, last, 'org/a', 61_001)).toEqual({
      ok: false,
      reason: 'cannot undo: the arrive was recorded more than a minute ago',
    });
    expect(undoDecision(after, last, 'org/b', 2_000).ok).toBe(false);
    expect(undoDecision(after, null, 'org/a', 2_000).ok).toBe(false);
  });

  it('held with a reason, then released; or refused', () => {
    const held = walk([
      { type: 'assess', decision: decision('yellow') },
      { type: 'arrive' },
      { type: 'hold', note: 'licence to be checked' },
    ]).status;
    expect(held).toMatchObject({ state: 'held', note: 'licence to be checked' });
    expect(walk([{ type: 'check_documents' }, { type: 'release' }], held).status.state).toBe(
      'released',
    );
    expect(walk([{ type: 'refuse', note: 'no licence' }], held).status).toMatchObject({
      state: 'refused',
      note: 'no licence',
    });
  });

  it('is idempotent: the same action twice changes nothing the second time', () => {
    const released = walk([
      { type: 'arrive' },
      { type: 'assess', decision: decision('green') },
    ]).status;
    for (const a of [
      { type: 'release' },
      { type: 'arrive' },
      { type: 'assess', decision: decision('red') },
    ] as SegmentAction[]) {
      const again = transition(released, a, 99);
      expect(again).toEqual({ ok: true, changed: false, status: released, events: [] });
    }
  });

  it('refuses actions out of order, saying why', () => {
    const lodged = lodgedSegment(0);
    expect(transition(lodged, { type: 'exit' }, 1)).toEqual({
      ok: false,
      reason: 'cannot exit: the segment is accepted; it is not released',
    });
    expect(transition(lodged, { type: 'release' }, 1).ok).toBe(false);
    expect(transition(lodged, { type: 'discharge' }, 1).ok).toBe(false);
    const assessed = walk([{ type: 'assess', decision: decision('yellow') }]).status;
    expect(transition(assessed, { type: 'release' }, 1)).toEqual({
      ok: false,
      reason: 'cannot release: the segment is assessed; the box has not arrived',
    });
  });

  it('releases the guarantee when every segment is discharged; amendable until a release', () => {
    expect(guaranteeReleased(['discharged', 'discharged'])).toBe(true);
    expect(guaranteeReleased(['discharged', 'exited'])).toBe(false);
    expect(guaranteeReleased(['invalidated', 'invalidated'])).toBe(true);
    expect(amendable(['accepted', 'assessed', 'held'])).toBe(true);
    expect(amendable(['released', 'accepted'])).toBe(false);
  });
});
