import {
  canonicalJson,
  checkEnd,
  GENESIS_HASH,
  verifyChain,
  type AuditRecord,
  type ChainCheck,
  type Checkpoint,
} from '../core/customs/audit-chain.ts';
import type { IsoDate } from '../core/shared/units.ts';
import { AppError } from './errors.ts';
import type { DocumentSigner, SignatureVerifier } from './document-ports.ts';
import type { Clock, Secrets } from './ports.ts';

/**
 * The customs audit log's end, anchored outside the log: the head record the appends keep names
 * the last record, and each day the head is signed with the platform's document key. A deleted
 * tail no longer reaches the head record; a tail rewritten together with the head record no
 * longer matches the head signed before.
 */

/** The head of the audit chain as signed on a day (UTC): the latest signing of that day. */
export interface AuditAnchor {
  day: IsoDate;
  seq: number;
  hash: string;
  signedAt: Date;
  keyId: string;
  /** Ed25519 over `anchorText(anchor)`, base64url. */
  signature: string;
}

/** The audit log as the store keeps it. */
export interface CustomsAuditLog {
  /** Audit records in sequence order from `afterSeq`, at most `limit`. */
  records(afterSeq: number, limit: number): Promise<AuditRecord[]>;
  /** The record with this sequence number, if it is there. */
  record(seq: number): Promise<AuditRecord | undefined>;
  /** The head record: the last record's seq and hash as the appends left them; none before the first. */
  head(): Promise<{ seq: number; hash: string } | undefined>;
  /** The signed heads, oldest day first. */
  anchors(): Promise<AuditAnchor[]>;
  /** Stores the day's signed head, replacing an earlier one of that day with a lower seq. */
  saveAnchor(anchor: AuditAnchor): Promise<void>;
}

export interface AuditDeps {
  audit: CustomsAuditLog;
  secrets: Secrets;
  clock: Clock;
  signer: DocumentSigner;
  verifier: SignatureVerifier;
}

/** The exact text a head's signature covers: canonical JSON of its day, seq, hash and time. */
export function anchorText(a: Pick<AuditAnchor, 'day' | 'seq' | 'hash' | 'signedAt'>): string {
  return canonicalJson({
    kind: 'corridor-customs-audit-head',
    day: a.day,
    seq: a.seq,
    hash: a.hash,
    signedAt: a.signedAt.toISOString(),
  });
}

/**
 * Signs the current head as the day's anchor, when the log still extends the last head signed
 * (the record it named is there with its hash); the anchor in force when the head has not moved.
 * Undefined while the log is empty. A log that no longer extends the last signed head is not
 * signed: conflict, and `corridor audit verify` names the place.
 */
export async function signAuditHead(deps: AuditDeps): Promise<AuditAnchor | undefined> {
  const head = await deps.audit.head();
  if (!head) return undefined;
  const last = (await deps.audit.anchors()).at(-1);
  if (last) {
    const named = await deps.audit.record(last.seq);
    if (head.seq < last.seq || named?.hash !== last.hash)
      throw new AppError(
        'conflict',
        `the audit log no longer holds record ${last.seq} as signed on ${last.day}: run corridor audit verify`,
      );
  }
  const signedAt = deps.clock.now();
  const day = signedAt.toISOString().slice(0, 10);
  if (last && last.day === day && last.seq === head.seq) return last;
  const unsigned = { day, seq: head.seq, hash: head.hash, signedAt };
  const anchor = { ...unsigned, ...(await deps.signer.sign(anchorText(unsigned))) };
  await deps.audit.saveAnchor(anchor);
  return anchor;
}

/**
 * Checks the whole audit chain page by page, then its end against the head record and every
 * signed head (stored ones and `extra`, e.g. saved from GET /v1/customs/audit/head); names the
 * first record that does not hold. A signed head whose signature fails breaks at its record.
 */
export async function verifyAudit(
  deps: Pick<AuditDeps, 'audit' | 'secrets' | 'verifier'>,
  extra: readonly AuditAnchor[] = [],
): Promise<ChainCheck> {
  const head = await deps.audit.head();
  const checkpoints: Checkpoint[] = head ? [{ ...head, by: 'the head record' }] : [];
  for (const a of [...(await deps.audit.anchors()), ...extra]) {
    const by = `the head signed on ${a.day}`;
    const valid = await deps.verifier.verify(a.keyId, anchorText(a), a.signature);
    if (valid !== true)
      return {
        ok: false,
        records: 0,
        brokenSeq: a.seq,
        reason:
          valid === 'unknown_key'
            ? `${by} is signed with a key the platform does not know (${a.keyId})`
            : `${by} does not carry a valid signature`,
      };
    checkpoints.push({ seq: a.seq, hash: a.hash, by });
  }
  let start = { seq: 0, hash: GENESIS_HASH };
  let total = 0;
  for (;;) {
    const page = await deps.audit.records(start.seq, 5000);
    if (page.length === 0)
      return checkEnd(
        { ok: true, records: total, lastSeq: start.seq, lastHash: start.hash },
        head,
        checkpoints,
      );
    const check = verifyChain(page, (t) => deps.secrets.hash(t), start, checkpoints);
    if (!check.ok) return { ...check, records: total + check.records };
    total += check.records;
    start = { seq: check.lastSeq, hash: check.lastHash };
  }
}
