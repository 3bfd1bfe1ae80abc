/**
 * The ports of the customs-system boundary (app/customs-systems.ts): which system each
 * administration decides in, the outbox of messages to those systems, the inbound messages
 * applied, and the link of each segment to its movement in the national system.
 */

/**
 * Where an administration decides: the platform's own customs desk, NCTS (phase 6) for its
 * Common Transit segments, or eTIR (through the eTIR international system) for its TIR segments.
 */
export type CustomsSystemKind = 'desk' | 'ncts' | 'etir';

/**
 * Which system decides on the segments of a scope: a customs administration's organisation id,
 * one of its office codes (8 characters) or a country (2 letters). The most specific wins:
 * office, then organisation, then country; without any, the desk.
 */
export interface CustomsSystemRoute {
  scope: string;
  system: CustomsSystemKind;
  /** The national application messages go to, as the message header names it, e.g. NTA.GE. */
  recipient: string;
  /** The platform's sender id at that application. */
  sender: string;
  /**
   * Where outbound messages are posted (HTTPS, XML body), retried until a 2xx answer; null when
   * the system's gateway collects them (GET …/outbox, then acknowledge each).
   */
  endpointUrl: string | null;
  updatedAt: Date;
  updatedBy: string;
}

export type OutboxState = 'pending' | 'sending' | 'delivered' | 'acknowledged' | 'failed';

/** A message to a customs system, written in the transaction of the change it reports. */
export interface NewOutboxMessage {
  /** The message identification in the header: unique, at most 35 characters. */
  id: string;
  system: CustomsSystemKind;
  country: string;
  office: string;
  declarationId: string;
  segmentSeq: number;
  messageType: string;
  body: string;
  endpointUrl: string | null;
  createdAt: Date;
}

export interface OutboxMessage extends NewOutboxMessage {
  state: OutboxState;
  attempts: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
}

/** An inbound message as applied, with the answer given (the same answer for a duplicate). */
export interface InboundRecord {
  system: CustomsSystemKind;
  country: string;
  /** The sender's messageIdentification. */
  messageId: string;
  messageType: string;
  declarationId: string | null;
  receivedAt: Date;
  /** SHA-256 of the message text, hex. */
  bodySha256: string;
  result: InboundResult;
}

/** What applying an inbound message did, as answered to the system. */
export interface InboundResult {
  messageType: string;
  messageId: string;
  declarationId: string;
  country: string;
  /** The segment's state after the message. */
  state: string;
  /** What the message did, in the audit log's words (e.g. release, mrn_allocated). */
  applied: string[];
  /** The response message answered to the system, when its protocol has one (eTIR I8 …). */
  response?: string;
}

/** A segment's movement in a national system: the LRN and office sent, the MRN it allocated. */
export interface SystemLink {
  declarationId: string;
  segmentSeq: number;
  system: CustomsSystemKind;
  country: string;
  /** The LRN sent; for eTIR, the guarantee reference (eTIR's key of the TIR transport). */
  lrn: string;
  office: string;
  /** Null until the system allocates it (CC028C); null for eTIR. */
  mrn: string | null;
}

export interface CustomsSystemStore {
  /** Every configured route. */
  routes(): Promise<CustomsSystemRoute[]>;
  /** Creates or replaces the route of its scope. */
  saveRoute(route: CustomsSystemRoute): Promise<void>;
  /** Removes a scope's route (its segments go to the next wider scope, or the desk). */
  deleteRoute(scope: string): Promise<boolean>;
  /** A country's outbound messages, newest first, in these states (all when empty). */
  outbox(
    country: string,
    filter: { states: readonly OutboxState[]; limit: number },
  ): Promise<OutboxMessage[]>;
  /** Marks a collected message as received by the system; undefined when not this country's. */
  acknowledge(country: string, id: string, at: Date): Promise<OutboxMessage | undefined>;
  /** A country's outbound message by its id, if any. */
  findOutbound(country: string, id: string): Promise<OutboxMessage | undefined>;
  /**
   * Takes up to `limit` messages with an endpoint that are due at `now` (pending, or sending but
   * abandoned before `now`), marks them sending until `lockUntil`. Each goes to one caller.
   */
  claimDue(now: Date, lockUntil: Date, limit: number): Promise<OutboxMessage[]>;
  /** Records an attempt: delivered, retried at `retryAt`, or given up (failed). */
  settle(
    id: string,
    outcome:
      | { state: 'delivered'; status: number; at: Date }
      | { state: 'pending' | 'failed'; status: number | null; error: string; retryAt: Date },
  ): Promise<void>;
  /** The inbound message with this id from this country's system, if applied already. */
  findInbound(
    system: CustomsSystemKind,
    country: string,
    messageId: string,
  ): Promise<InboundRecord | undefined>;
  /** The links of a declaration's segments. */
  linksOf(declarationId: string): Promise<SystemLink[]>;
  /**
   * The link with this MRN, or with this LRN at this office, or one with this LRN in this country
   * (of that system).
   */
  findLink(
    system: CustomsSystemKind,
    by: { mrn: string } | { lrn: string; office: string } | { lrn: string; country: string },
  ): Promise<SystemLink | undefined>;
}

/** What a declaration change writes for the customs systems, in its transaction. */
export interface SystemWrites {
  outbox?: NewOutboxMessage[];
  /** Links created or updated (by declaration and segment). */
  links?: SystemLink[];
  /** The inbound message applied (a second one with its id fails the transaction). */
  inbound?: InboundRecord;
}
