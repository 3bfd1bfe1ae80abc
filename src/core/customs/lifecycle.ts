import type { EpochMs } from '../shared/units.ts';
import type { Lane, RiskDecision } from './risk.ts';

/**
 * One country's segment of a transit declaration, through its customs, after eTIR and NCTS
 * (standards.md §1.1, §1.4): accepted (advance data received) → assessed (a lane) → for yellow,
 * the documents asked for, checked; for red, a physical inspection → released (for transit through the country) → exited (the
 * operation terminated at the exit or destination office) → discharged. Documents requested,
 * held, refused and invalidated on the way. Each action in the state it leads to again changes
 * nothing (the same message twice is one message), and each change says which DCSA equipment
 * events it means for the container: CUSI selected for inspection, CUSS scanned, CUSR released,
 * CROS crossed out of the country. Pure.
 */

export const SEGMENT_STATES = [
  'accepted',
  'assessed',
  'documents_requested',
  'held',
  'released',
  'exited',
  'discharged',
  'refused',
  'invalidated',
] as const;
export type SegmentState = (typeof SEGMENT_STATES)[number];

export interface Inspection {
  kind: 'scan' | 'physical';
  sealsIntact: boolean;
  /** What the officer found that differs from the declaration; empty when nothing. */
  discrepancies: string[];
  at: EpochMs;
}

export interface SegmentTimes {
  /** The box reached the entry (or departure) office. */
  arrivedAt: EpochMs | null;
  /** The declaration (or its last amendment) was lodged. */
  lodgedAt: EpochMs;
  assessedAt: EpochMs | null;
  releasedAt: EpochMs | null;
  exitedAt: EpochMs | null;
  dischargedAt: EpochMs | null;
  /**
   * The officer recorded the documentary check (yellow lane) as done; null again when the
   * trader answers a new request for documents.
   */
  documentsCheckedAt: EpochMs | null;
}

export interface SegmentStatus extends SegmentTimes {
  state: SegmentState;
  lane: Lane | null;
  decision: RiskDecision | null;
  inspections: Inspection[];
  /** Why it is held or refused, or what documents were asked for. */
  note: string | null;
}

export type SegmentAction =
  | { type: 'assess'; decision: RiskDecision }
  | { type: 'arrive' }
  | { type: 'request_documents'; note: string }
  | { type: 'provide_documents' }
  | { type: 'check_documents' }
  | { type: 'record_inspection'; inspection: Omit<Inspection, 'at'> }
  | { type: 'release' }
  | { type: 'hold'; note: string }
  | { type: 'refuse'; note: string }
  | { type: 'exit' }
  | { type: 'discharge' }
  | { type: 'invalidate' };

export type CustomsEventCode = 'CUSI' | 'CUSS' | 'CUSR' | 'CROS';

export type TransitionResult =
  | { ok: true; changed: boolean; status: SegmentStatus; events: CustomsEventCode[] }
  | { ok: false; reason: string };

const OPEN: ReadonlySet<SegmentState> = new Set([
  'accepted',
  'assessed',
  'documents_requested',
  'held',
]);

/** The segment after an action at `now`, or why the action does not apply. Pure. */
export function transition(
  s: SegmentStatus,
  action: SegmentAction,
  now: EpochMs,
): TransitionResult {
  const same = (): TransitionResult => ({ ok: true, changed: false, status: s, events: [] });
  const to = (
    change: Partial<SegmentStatus>,
    events: CustomsEventCode[] = [],
  ): TransitionResult => ({ ok: true, changed: true, status: { ...s, ...change }, events });
  const refuse = (why: string): TransitionResult => ({
    ok: false,
    reason: `cannot ${action.type.replace('_', ' ')}: the segment is ${s.state.replace('_', ' ')}${why ? `; ${why}` : ''}`,
  });
  switch (action.type) {
    case 'assess': {
      if (s.state !== 'accepted') return s.decision ? same() : refuse('');
      const lane = action.decision.lane;
      const assessed = to(
        { state: 'assessed', lane, decision: action.decision, assessedAt: now },
        lane === 'red' ? ['CUSI'] : [],
      );
      // Green and blue lanes are released as soon as the box is there.
      return s.arrivedAt !== null && (lane === 'green' || lane === 'blue')
        ? chain(assessed, { type: 'release' }, now)
        : assessed;
    }
    case 'arrive': {
      if (s.arrivedAt !== null) return same();
      if (!OPEN.has(s.state)) return refuse('');
      const arrived = to({ arrivedAt: now });
      return s.state === 'assessed' && (s.lane === 'green' || s.lane === 'blue')
        ? chain(arrived, { type: 'release' }, now)
        : arrived;
    }
    case 'request_documents':
      if (s.state === 'documents_requested' && s.note === action.note) return same();
      if (s.state !== 'assessed' && s.state !== 'held') return refuse('');
      return to({ state: 'documents_requested', note: action.note, documentsCheckedAt: null });
    case 'provide_documents':
      if (s.state !== 'documents_requested') return refuse('no documents were asked for');
      return to({ state: 'assessed', note: null, documentsCheckedAt: null });
    case 'check_documents':
      if (s.documentsCheckedAt !== null && s.state !== 'documents_requested') return same();
      if (s.state === 'documents_requested')
        return refuse('the trader has not yet provided the documents asked for');
      if (s.state !== 'assessed' && s.state !== 'held') return refuse('');
      return to({ documentsCheckedAt: now });
    case 'record_inspection': {
      if (s.state !== 'assessed' && s.state !== 'held') return refuse('');
      if (s.arrivedAt === null) return refuse('the box has not arrived');
      const inspection: Inspection = { ...action.inspection, at: now };
      return to(
        { inspections: [...s.inspections, inspection] },
        action.inspection.kind === 'scan' ? ['CUSS'] : [],
      );
    }
    case 'release':
      if (s.state === 'released') return same();
      if (s.state !== 'assessed' && s.state !== 'held') return refuse('');
      if (s.arrivedAt === null) return refuse('the box has not arrived');
      if (s.lane === 'red' && !s.inspections.some((i) => i.kind === 'physical'))
        return refuse('a red-lane box is released after a physical inspection is recorded');
      if (s.lane === 'yellow' && s.documentsCheckedAt === null)
        return refuse('a yellow-lane box is released after its documents are recorded as checked');
      return to({ state: 'released', releasedAt: now, note: null }, ['CUSR']);
    case 'hold':
      if (s.state === 'held' && s.note === action.note) return same();
      if (!OPEN.has(s.state) || s.state === 'accepted') return refuse('');
      return to({ state: 'held', note: action.note });
    case 'refuse':
      if (s.state === 'refused') return same();
      if (!OPEN.has(s.state)) return refuse('');
      return to({ state: 'refused', note: action.note });
    case 'exit':
      if (s.state === 'exited') return same();
      if (s.state !== 'released') return refuse('it is not released');
      return to({ state: 'exited', exitedAt: now }, ['CROS']);
    case 'discharge':
      if (s.state === 'discharged') return same();
      if (s.state !== 'exited') return refuse('the operation is not terminated (exit)');
      return to({ state: 'discharged', dischargedAt: now });
    case 'invalidate':
      if (s.state === 'invalidated') return same();
      if (!OPEN.has(s.state)) return refuse('');
      return to({ state: 'invalidated' });
  }
}

function chain(first: TransitionResult, next: SegmentAction, now: EpochMs): TransitionResult {
  if (!first.ok) return first;
  const second = transition(first.status, next, now);
  if (!second.ok || !second.changed) return first;
  return {
    ok: true,
    changed: true,
    status: second.status,
    events: [...first.events, ...second.events],
  };
}

/** A segment as lodged. */
export function lodgedSegment(lodgedAt: EpochMs): SegmentStatus {
  return {
    state: 'accepted',
    lane: null,
    decision: null,
    inspections: [],
    note: null,
    arrivedAt: null,
    lodgedAt,
    assessedAt: null,
    releasedAt: null,
    exitedAt: null,
    dischargedAt: null,
    documentsCheckedAt: null,
  };
}

/** The guarantee is released when every segment is discharged, or none went ahead. Pure. */
export function guaranteeReleased(states: readonly SegmentState[]): boolean {
  return states.every((s) => s === 'discharged' || s === 'invalidated');
}

/** A declaration may be amended or invalidated until any segment is released. Pure. */
export function amendable(states: readonly SegmentState[]): boolean {
  return states.every((s) => OPEN.has(s));
}

/** How long an officer's decision can be taken back by the officer who made it. */
export const UNDO_WINDOW_MS = 60_000;

/** The actions of an officer's day at the desk, as the audit log names them (and `undo`). */
export const OFFICER_DECISIONS: readonly string[] = [
  'arrive',
  'request_documents',
  'check_documents',
  'record_inspection',
  'release',
  'hold',
  'refuse',
  'exit',
  'discharge',
  'undo',
];

/** Officer decisions that can be undone (not exit or discharge: they end the operation). */
export const UNDOABLE: ReadonlySet<SegmentAction['type']> = new Set([
  'arrive',
  'request_documents',
  'check_documents',
  'record_inspection',
  'release',
  'hold',
  'refuse',
]);

/** An officer's last decision on a segment, with the segment as it was before it. */
export interface LastDecision {
  action: SegmentAction['type'];
  at: EpochMs;
  /** Who decided (organisation/user). */
  by: string;
  before: SegmentStatus;
}

/**
 * The segment as it was before the last decision, when `by` made it at most UNDO_WINDOW_MS
 * before `now` (inclusive) and nothing has changed the segment since; else why not. Pure.
 */
export function undoDecision(
  s: SegmentStatus,
  last: LastDecision | null,
  by: string,
  now: EpochMs,
): { ok: true; status: SegmentStatus; undone: LastDecision } | { ok: false; reason: string } {
  if (!last) return { ok: false, reason: 'cannot undo: no decision to undo on this segment' };
  if (last.by !== by)
    return { ok: false, reason: 'cannot undo: the last decision was made by another officer' };
  if (now - last.at > UNDO_WINDOW_MS)
    return {
      ok: false,
      reason: `cannot undo: the ${last.action.replace('_', ' ')} was recorded more than a minute ago`,
    };
  return { ok: true, status: last.before, undone: last };
}

/** The status fields of a segment record (to keep as the state before a decision). Pure. */
export function statusOf(s: SegmentStatus): SegmentStatus {
  return {
    state: s.state,
    lane: s.lane,
    decision: s.decision,
    inspections: s.inspections,
    note: s.note,
    arrivedAt: s.arrivedAt,
    lodgedAt: s.lodgedAt,
    assessedAt: s.assessedAt,
    releasedAt: s.releasedAt,
    exitedAt: s.exitedAt,
    dischargedAt: s.dischargedAt,
    documentsCheckedAt: s.documentsCheckedAt,
  };
}
