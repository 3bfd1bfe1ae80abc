import type { EpochMs } from '../core/shared/units.ts';
import type { PageKey } from './paging.ts';
import type { DeclarationBody } from '../api/customs.ts';
import type { AuditRecord } from '../core/customs/audit-chain.ts';
import type { LastDecision, SegmentStatus } from '../core/customs/lifecycle.ts';
import type { TimedSegment } from '../core/customs/release-times.ts';
import type { Lane, LaneCounts, RuleSet } from '../core/customs/risk.ts';
import type { SystemWrites } from './customs-system-ports.ts';
import type { NewDelivery, StoredEvent } from './shipments.ts';

/**
 * What customs declarations need from their store: the declarations and their country segments,
 * the audit log, the rule sets, and what the risk engine and the office desks read.
 */

/** One country segment of a declaration as stored. */
export interface CustomsSegment extends SegmentStatus {
  seq: number;
  country: string;
  regime: string;
  office: string;
  exitOffice: string | null;
  entryNodeId: string | null;
  aeo: boolean;
  /** Rule hits this country shares with the countries further along the route. */
  shared: SharedFinding[];
  /** When the box is expected at the segment's office (for the queue and pre-arrival work). */
  etaAt: EpochMs | null;
  /** The officer's last decision, kept to undo it within a minute; null when none. */
  lastDecision: LastDecision | null;
}

export interface SharedFinding {
  country: string;
  ruleId: string;
  lane: string;
  at: EpochMs;
}

export interface CustomsDeclaration {
  id: string;
  mrn: string;
  lrn: string;
  organisationId: string;
  shipmentId: string | null;
  holderId: string;
  data: DeclarationBody;
  version: number;
  state: 'open' | 'invalidated' | 'discharged';
  guaranteeState: 'held' | 'released';
  segments: CustomsSegment[];
  createdAt: Date;
  updatedAt: Date;
}

/** An entry for the audit chain; sequence and hashes are the store's. */
export interface AuditEntry {
  at: Date;
  actor: string;
  declarationId: string;
  country: string | null;
  action: string;
  detail: unknown;
}

/** A rule set version with the lane counts of the decisions made under it. */
export interface StoredRuleSet {
  scope: string;
  version: number;
  rules: RuleSet;
  counts: LaneCounts;
  createdBy: string;
  createdAt: Date;
}

/** What an update of a declaration writes, in the transaction that read it. */
export interface DeclarationChange<T> {
  result: T;
  /** The declaration as it is to be; undefined when nothing changes. */
  declaration?: CustomsDeclaration | undefined;
  audit: AuditEntry[];
  /** Tracking events the change means for the shipment's containers. */
  events: StoredEvent[];
  /** Webhook deliveries of those events, queued in the same transaction. */
  deliveries?: NewDelivery[];
  /** A risk decision to count under its rule set version. */
  counted?: { scope: string; version: number; lane: Lane }[];
  /** Messages to and from customs systems, and segment links (app/customs-systems.ts). */
  systems?: SystemWrites | undefined;
}

/**
 * What a risk assessment reads. The lane counts are read, not locked: two assessments at once
 * may both top a lane up, which the next ones even out; each decision records the counts it
 * used, so it replays all the same.
 */
export interface RiskReads {
  /** The current rule set of the first of these scopes that has one. */
  ruleSet(scopes: readonly string[]): Promise<StoredRuleSet | undefined>;
  /** The holder's past inspections that found a discrepancy. */
  pastFindings(holderId: string): Promise<number>;
}

/** An officer's decision as the audit log recorded it, with the declaration's MRN. */
export interface OfficeDecision {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  detail: unknown;
  declarationId: string;
  mrn: string;
}

/** A customs office with its administration's country and organisation. */
export interface OfficeInfo {
  code: string;
  country: string;
  nodeId: string | null;
  organisationId: string;
}

export interface CustomsStore {
  /**
   * Stores a new declaration with what its lodging decided, in one transaction; false (and
   * nothing stored) when the organisation has used its LRN already.
   */
  create(
    d: CustomsDeclaration,
    change: Omit<DeclarationChange<void>, 'result' | 'declaration'>,
  ): Promise<boolean>;
  /** Every customs office on the platform. */
  offices(): Promise<OfficeInfo[]>;
  find(id: string): Promise<CustomsDeclaration | undefined>;
  /** The shipment a declaration is for, if any. */
  shipmentOf(id: string): Promise<string | null>;
  findByLrn(organisationId: string, lrn: string): Promise<CustomsDeclaration | undefined>;
  /** Declarations of the organisation, crossing these countries or for these shipments, newest first. */
  list(scope: {
    organisationId?: string;
    countries?: readonly string[];
    shipmentIds?: readonly string[];
    limit: number;
    /** After this one (newest first by creation, then id descending). */
    after?: PageKey;
  }): Promise<CustomsDeclaration[]>;
  /** How many declarations `list` has in this scope. */
  count(scope: {
    organisationId?: string;
    countries?: readonly string[];
    shipmentIds?: readonly string[];
  }): Promise<number>;
  /**
   * Reads the declaration locked, lets `change` decide, and writes what it returns (declaration,
   * audit entries, tracking events, lane counts) in the same transaction.
   */
  update<T>(
    id: string,
    change: (
      d: CustomsDeclaration,
      tx: RiskReads,
    ) => DeclarationChange<T> | Promise<DeclarationChange<T>>,
  ): Promise<T>;
  /** How many open segments wait at each office of this country. */
  openSegmentsByOffice(country: string): Promise<Map<string, number>>;
  /** Open segments at this office, by ETA (unknown last). */
  queue(office: string, limit: number, offset?: number): Promise<CustomsDeclaration[]>;
  /** How many open segments wait at this office. */
  queueSize(office: string): Promise<number>;
  /** Open declarations for shipments with a segment still to assess (for their ETAs). */
  awaitingAssessment(limit: number): Promise<CustomsDeclaration[]>;
  /** Ids of declarations with a segment still to assess whose ETA is before `before`. */
  dueForAssessment(before: Date, limit: number): Promise<string[]>;
  currentRuleSet(scope: string): Promise<StoredRuleSet | undefined>;
  /** Risk reads outside a transaction. */
  reads: RiskReads;
  ruleSetVersion(scope: string, version: number): Promise<StoredRuleSet | undefined>;
  /** Publishes a new version of a scope's rule set; returns it. */
  publishRuleSet(
    scope: string,
    rules: RuleSet,
    createdBy: string,
    at: Date,
  ): Promise<StoredRuleSet>;
  /** Segments of these countries lodged in the period, for release-time figures. */
  timedSegments(filter: {
    countries?: readonly string[] | undefined;
    from?: Date | undefined;
    to?: Date | undefined;
  }): Promise<TimedSegment[]>;
  /**
   * The officer decisions (and undos) recorded since `since` on segments handled at this office,
   * newest first.
   */
  decisionsAt(office: string, since: Date, limit: number): Promise<OfficeDecision[]>;
  /** The audit records of one declaration, in sequence order. */
  auditRecordsOf(declarationId: string): Promise<AuditRecord[]>;
}
