/**
 * The customs audit log as a hash chain: each record holds the hash of the one before it, and
 * its own hash covers that and its content, so changing, removing or reordering a record breaks
 * every hash after it. The hash function comes in from outside (core does no I/O and no crypto of
 * its own). Pure.
 */

export interface AuditRecord {
  seq: number;
  /** ISO 8601 time of the action. */
  at: string;
  /** The organisation and person or key that acted; `system` for the platform's own. */
  actor: string;
  declarationId: string;
  /** The country segment acted on; null for the whole declaration. */
  country: string | null;
  action: string;
  /** What the action decided or recorded (a risk decision keeps its inputs for replay). */
  detail: unknown;
  prevHash: string;
  hash: string;
}

/** The hash of the chain's start. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: one text for one value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The text a record's hash is computed over: the previous hash and the content. */
export function hashedText(r: Omit<AuditRecord, 'hash'>): string {
  return canonicalJson({
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    declarationId: r.declarationId,
    country: r.country,
    action: r.action,
    detail: r.detail,
    prevHash: r.prevHash,
  });
}

export type ChainCheck =
  | { ok: true; records: number; lastSeq: number; lastHash: string }
  | { ok: false; records: number; brokenSeq: number; reason: string };

/**
 * A record's sequence number and hash as something outside the chain states them: the head
 * record the appends keep, or a head signed with the platform's key.
 */
export interface Checkpoint {
  seq: number;
  hash: string;
  /** Who states it, for the reason of a failure ("the head record"). */
  by: string;
}

/**
 * Checks records in sequence order; names the first that does not hold. A record a checkpoint
 * names must carry the checkpoint's hash. Pure.
 */
export function verifyChain(
  records: Iterable<AuditRecord>,
  sha256: (text: string) => string,
  start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
  checkpoints: readonly Checkpoint[] = [],
): ChainCheck {
  const bySeq = new Map<number, Checkpoint[]>();
  for (const c of checkpoints) bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
  let prev = start.hash;
  let expectedSeq = start.seq + 1;
  let n = 0;
  for (const r of records) {
    n++;
    if (r.seq !== expectedSeq)
      return {
        ok: false,
        records: n,
        brokenSeq: r.seq,
        reason: `record ${expectedSeq} is missing`,
      };
    if (r.prevHash !== prev)
      return {
        ok: false,
        records: n,
        brokenSeq: r.seq,
        reason: 'it does not hold the hash of the record before it',
      };
    if (sha256(hashedText(r)) !== r.hash)
      return {
        ok: false,
        records: n,
        brokenSeq: r.seq,
        reason: 'its content does not match its hash',
      };
    const differs = bySeq.get(r.seq)?.find((c) => c.hash !== r.hash);
    if (differs)
      return { ok: false, records: n, brokenSeq: r.seq, reason: `it does not match ${differs.by}` };
    prev = r.hash;
    expectedSeq++;
  }
  return { ok: true, records: n, lastSeq: expectedSeq - 1, lastHash: prev };
}

/**
 * Compares the end of a whole chain that verified with the head record and with the
 * checkpoints: a chain shorter than either lost its tail, one longer than the head record has
 * records the appends never made. `head` is undefined when there is no head record. Pure.
 */
export function checkEnd(
  chain: Extract<ChainCheck, { ok: true }>,
  head: { seq: number; hash: string } | undefined,
  checkpoints: readonly Checkpoint[] = [],
): ChainCheck {
  const broken = (brokenSeq: number, reason: string): ChainCheck => ({
    ok: false,
    records: chain.records,
    brokenSeq,
    reason,
  });
  const next = chain.lastSeq + 1;
  if (!head)
    return chain.records === 0 ? chain : broken(chain.lastSeq, 'the head record is missing');
  if (head.seq > chain.lastSeq)
    return broken(next, `it is missing: the head record names record ${head.seq}`);
  if (head.seq < chain.lastSeq)
    return broken(head.seq + 1, `it is past the last record the head record names (${head.seq})`);
  if (head.hash !== chain.lastHash)
    return broken(chain.lastSeq, 'it does not match the head record');
  const beyond = checkpoints.find((c) => c.seq > chain.lastSeq);
  if (beyond) return broken(next, `it is missing: ${beyond.by} names record ${beyond.seq}`);
  return chain;
}
