import type { ORGANISATION_KIND_VALUES, ROLE_VALUES } from '../api/accounts.ts';

/**
 * What the account use cases need from storage: organisations, their users, sessions, API keys
 * and the admin audit log. The store folder implements them on PostgreSQL/PGlite.
 */

export type OrganisationKind = (typeof ORGANISATION_KIND_VALUES)[number];
export type Role = (typeof ROLE_VALUES)[number];

export interface CustomsOffice {
  /** UN/LOCODE + 3 digits, e.g. AZBAK001 (the 8-character form of NCTS office codes). */
  code: string;
  name: string;
  nodeId: string | null;
}

export interface Organisation {
  id: string;
  name: string;
  kind: OrganisationKind;
  country: string;
  /** A carrier's policy: rides booked on its services are confirmed at once. */
  autoConfirm: boolean;
  createdAt: Date;
  /** For carriers: ids of the services they operate. */
  services: string[];
  /** For customs: their offices. */
  customsOffices: CustomsOffice[];
}

export interface User {
  id: string;
  organisationId: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
}

export interface ApiKey {
  id: string;
  organisationId: string;
  name: string;
  prefix: string;
  role: Role;
  /**
   * The user who stands behind the key (a key issued with a key has that key's user); null: the
   * operator's tools. A key works only while this user is not disabled; removing the user
   * revokes its keys.
   */
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface OrganisationStore {
  create(org: Organisation): Promise<void>;
  find(id: string): Promise<Organisation | undefined>;
  list(): Promise<Organisation[]>;
  count(): Promise<number>;
  setAutoConfirm(id: string, autoConfirm: boolean): Promise<void>;
  /** Of these services, those operated by a carrier that confirms automatically, with that carrier. */
  autoConfirming(serviceIds: readonly string[]): Promise<Map<string, string>>;
  /** Of these services, those some carrier on the platform operates (empty: none is). */
  operated(serviceIds: readonly string[]): Promise<Set<string>>;
}

export interface UserStore {
  /**
   * Fails with a conflict when a user of the same organisation has the e-mail (any case); the
   * same address in other organisations is no hindrance.
   */
  create(user: User, passwordHash: string): Promise<void>;
  /** The users, of any organisations, with this e-mail (any case), oldest first. */
  listByEmail(email: string): Promise<{ user: User; passwordHash: string }[]>;
  find(id: string): Promise<User | undefined>;
  listByOrganisation(organisationId: string): Promise<User[]>;
  /** Replaces the user's password hash. */
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
  /**
   * Disables or enables the user. Disabling the last active admin of its organisation changes
   * nothing and gives false: the check and the change hold the organisation's lock, so two
   * admins disabling each other at once cannot both succeed.
   */
  setDisabled(id: string, disabled: boolean): Promise<boolean>;
  /**
   * Deletes the user and its sessions and revokes at `at` the API keys it stands behind, in one
   * transaction; undefined, and nothing changed, for the last active admin of its organisation
   * (as setDisabled).
   */
  delete(id: string, at: Date): Promise<{ keysRevoked: number } | undefined>;
}

/** A live browser session, named by the first 16 hex digits of its token's hash. */
export interface SessionInfo {
  id: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface SessionStore {
  create(session: {
    tokenHash: string;
    userId: string;
    csrfToken: string;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<void>;
  /** The live session with this token hash at `now`, with its user. */
  find(
    tokenHash: string,
    now: Date,
  ): Promise<{ userId: string; csrfToken: string; expiresAt: Date } | undefined>;
  delete(tokenHash: string): Promise<void>;
  /** The user's sessions live at `now`, oldest first. */
  listByUser(userId: string, now: Date): Promise<SessionInfo[]>;
  /** Ends the user's sessions (only the one with this id when given); how many ended. */
  deleteByUser(userId: string, sessionId?: string): Promise<number>;
}

export interface ApiKeyStore {
  create(key: ApiKey, keyHash: string): Promise<void>;
  /**
   * The unrevoked key with this hash whose user (createdBy) is active or null, and the kind of
   * its organisation.
   */
  findActive(
    keyHash: string,
  ): Promise<(ApiKey & { organisationKind: OrganisationKind }) | undefined>;
  listByOrganisation(organisationId: string): Promise<ApiKey[]>;
  /** Revokes a key of the organisation; false when there is none with that id. */
  revoke(organisationId: string, id: string, at: Date): Promise<boolean>;
  touch(id: string, at: Date): Promise<void>;
}

export interface Stores {
  organisations: OrganisationStore;
  users: UserStore;
  sessions: SessionStore;
  apiKeys: ApiKeyStore;
  adminAudit: AdminAuditStore;
}

/** One administrative change: who (null: the operator's tools), what, on which organisation. */
export interface AdminAuditEntry {
  id: string;
  at: Date;
  actorId: string | null;
  actorOrganisationId: string | null;
  action:
    | 'organisation.create'
    | 'user.create'
    | 'user.reset_password'
    | 'user.disable'
    | 'user.enable'
    | 'user.remove'
    | 'user.end_sessions'
    | 'api_key.create'
    | 'api_key.revoke'
    | 'organisation.auto_confirm';
  organisationId: string;
  target: string;
  /** What changed, without secrets. */
  detail: Record<string, unknown>;
}

export interface AdminAuditStore {
  record(entry: AdminAuditEntry): Promise<void>;
  /** Newest first; one organisation's or all. */
  list(filter: { organisationId?: string | undefined; limit: number }): Promise<AdminAuditEntry[]>;
}
