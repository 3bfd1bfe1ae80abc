import { AppError, type FieldError } from './errors.ts';
import {
  isPlatformAdmin,
  requireAdminAccess,
  requireReadAccess,
  type AccountDeps,
  type Actor,
} from './actor.ts';
import type {
  AdminAuditEntry,
  ApiKey,
  CustomsOffice,
  Organisation,
  OrganisationKind,
  Role,
  SessionInfo,
  User,
} from './account-ports.ts';
import { isIsoCountry } from '../core/shared/countries.ts';

export interface NewOrganisation {
  name: string;
  kind: OrganisationKind;
  country: string;
  services?: readonly string[] | undefined;
  customsOffices?:
    readonly { code: string; name: string; nodeId?: string | null | undefined }[] | undefined;
}

/**
 * Registers an organisation (platform admins only, or `undefined` actor for the operator's own
 * tools such as the admin CLI and demo data). Services must exist in the network and are only for
 * carriers; customs offices only for customs, with codes in the organisation's country.
 */
export async function createOrganisation(
  deps: AccountDeps,
  actor: Actor | undefined,
  input: NewOrganisation,
): Promise<Organisation> {
  if (actor && !isPlatformAdmin(actor))
    throw new AppError('forbidden', 'only platform admins register organisations');
  const errors: FieldError[] = [];
  if (!isIsoCountry(input.country))
    errors.push({
      path: 'body.country',
      message: `"${input.country}" is not an ISO 3166-1 country`,
    });
  const services = [...new Set(input.services ?? [])];
  if (services.length > 0 && input.kind !== 'carrier')
    errors.push({ path: 'body.services', message: 'only carriers operate services' });
  services.forEach((id, i) => {
    if (!deps.network.services.has(id))
      errors.push({ path: `body.services[${i}]`, message: `unknown service "${id}"` });
  });
  const offices: CustomsOffice[] = (input.customsOffices ?? []).map((o) => ({
    code: o.code,
    name: o.name,
    nodeId: o.nodeId ?? null,
  }));
  if (offices.length > 0 && input.kind !== 'customs')
    errors.push({
      path: 'body.customsOffices',
      message: 'only customs administrations have customs offices',
    });
  offices.forEach((o, i) => {
    if (!/^[A-Z]{2}[A-Z2-9]{3}\d{3}$/.test(o.code))
      errors.push({
        path: `body.customsOffices[${i}].code`,
        message: 'an office code is a UN/LOCODE and 3 digits, e.g. AZBAK001',
      });
    else if (!o.code.startsWith(input.country))
      errors.push({
        path: `body.customsOffices[${i}].code`,
        message: `${o.code} is not in ${input.country}`,
      });
    if (o.nodeId && !deps.network.nodes.has(o.nodeId))
      errors.push({
        path: `body.customsOffices[${i}].nodeId`,
        message: `unknown node "${o.nodeId}"`,
      });
  });
  if (new Set(offices.map((o) => o.code)).size !== offices.length)
    errors.push({ path: 'body.customsOffices', message: 'office codes repeat' });
  if (errors.length > 0) throw new AppError('invalid_data', errors[0]!.message, errors);
  const org: Organisation = {
    id: deps.secrets.id('org'),
    name: input.name,
    kind: input.kind,
    country: input.country,
    autoConfirm: false,
    createdAt: deps.clock.now(),
    services,
    customsOffices: offices,
  };
  await deps.stores.organisations.create(org);
  await audit(deps, actor, {
    action: 'organisation.create',
    organisationId: org.id,
    target: org.id,
    detail: { name: org.name, kind: org.kind, country: org.country, services, offices },
  });
  return org;
}

/** Records an administrative change (after it is made). */
async function audit(
  deps: AccountDeps,
  actor: Actor | undefined,
  entry: Pick<AdminAuditEntry, 'action' | 'organisationId' | 'target' | 'detail'>,
): Promise<void> {
  await deps.stores.adminAudit.record({
    id: deps.secrets.id('aud'),
    at: deps.clock.now(),
    actorId: actor?.id ?? null,
    actorOrganisationId: actor?.organisationId ?? null,
    ...entry,
  });
}

/**
 * The administrative changes of an organisation (its admins) or of all (platform admins),
 * newest first.
 */
export async function listAdminAudit(
  deps: AccountDeps,
  actor: Actor,
  organisationId: string | undefined,
  limit: number,
): Promise<AdminAuditEntry[]> {
  if (!isPlatformAdmin(actor)) {
    if (organisationId !== undefined && organisationId !== actor.organisationId)
      throw new AppError('not_found', `no organisation ${organisationId}`);
    requireAdminAccess(actor, actor.organisationId);
    organisationId = actor.organisationId;
  }
  return deps.stores.adminAudit.list({ organisationId, limit });
}

/** Platform admins see every organisation; everyone else only their own. */
export async function listOrganisations(deps: AccountDeps, actor: Actor): Promise<Organisation[]> {
  if (isPlatformAdmin(actor)) return deps.stores.organisations.list();
  const own = await deps.stores.organisations.find(actor.organisationId);
  return own ? [own] : [];
}

export async function getOrganisation(
  deps: AccountDeps,
  actor: Actor,
  id: string,
): Promise<Organisation> {
  requireReadAccess(actor, id);
  const org = await deps.stores.organisations.find(id);
  if (!org) throw new AppError('not_found', `no organisation ${id}`);
  return org;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  /** When absent a password is generated and returned once. */
  password?: string | undefined;
}

/** Minimum password length. */
export const MIN_PASSWORD = 12;

/** Adds a user to an organisation (its admins, platform admins, or the operator's tools). */
export async function createUser(
  deps: AccountDeps,
  actor: Actor | undefined,
  organisationId: string,
  input: NewUser,
): Promise<{ user: User; password: string | undefined }> {
  if (actor) requireAdminAccess(actor, organisationId);
  const org = await deps.stores.organisations.find(organisationId);
  if (!org) throw new AppError('not_found', `no organisation ${organisationId}`);
  if (input.role === 'officer' && org.kind !== 'customs')
    throw new AppError('invalid_data', 'only customs administrations have officers', [
      { path: 'body.role', message: 'officer is a customs role' },
    ]);
  if (input.password !== undefined && input.password.length < MIN_PASSWORD)
    throw new AppError('invalid_data', `a password has at least ${MIN_PASSWORD} characters`, [
      { path: 'body.password', message: `at least ${MIN_PASSWORD} characters` },
    ]);
  const password = input.password ?? generatePassword(deps);
  const user: User = {
    id: deps.secrets.id('usr'),
    organisationId,
    email: input.email.trim(),
    name: input.name,
    role: input.role,
    disabled: false,
    createdAt: deps.clock.now(),
  };
  await deps.stores.users.create(user, await deps.hasher.hash(password));
  await audit(deps, actor, {
    action: 'user.create',
    organisationId,
    target: user.id,
    detail: { email: user.email, role: user.role },
  });
  return { user, password: input.password === undefined ? password : undefined };
}

export async function listUsers(
  deps: AccountDeps,
  actor: Actor,
  organisationId: string,
): Promise<User[]> {
  requireReadAccess(actor, organisationId);
  if (!(await deps.stores.organisations.find(organisationId)))
    throw new AppError('not_found', `no organisation ${organisationId}`);
  return deps.stores.users.listByOrganisation(organisationId);
}

/**
 * Gives the user with this e-mail (any case) a new generated password, returned once; for the
 * operator's tools (`corridor admin reset-password`). The old password stops working at once and
 * the user's sessions end. Which user as getUserByEmail says.
 */
export async function resetPassword(
  deps: AccountDeps,
  email: string,
  organisation?: string,
): Promise<{ user: User; password: string }> {
  const user = await getUserByEmail(deps, email, organisation);
  return { user, password: await newPassword(deps, undefined, user) };
}

/**
 * The user with this e-mail (any case), for the operator's tools. An address is unique within an
 * organisation only: when users of several organisations have it, `organisation` (an id, or a
 * name in any case) says whose, and without it the answer is invalid_data on `organisation`
 * naming them. Not found when no user (of that organisation) has the e-mail.
 */
export async function getUserByEmail(
  deps: AccountDeps,
  email: string,
  organisation?: string,
): Promise<User> {
  const wanted = organisation?.trim().toLowerCase();
  const found = await Promise.all(
    (await deps.stores.users.listByEmail(email)).map(async ({ user }) => ({
      user,
      organisation: await deps.stores.organisations.find(user.organisationId),
    })),
  );
  const users = found.filter(
    (f) =>
      wanted === undefined ||
      f.organisation?.id.toLowerCase() === wanted ||
      f.organisation?.name.toLowerCase() === wanted,
  );
  if (users.length === 0)
    throw new AppError(
      'not_found',
      `no user ${organisation === undefined ? '' : `of ${organisation.trim()} `}has the e-mail ${email.trim()}`,
    );
  if (users.length > 1) {
    const names = users.map((f) => `${f.organisation?.name ?? '?'} (${f.user.organisationId})`);
    throw new AppError(
      'invalid_data',
      `users of ${users.length} organisations have the e-mail ${email.trim()}: ${names.join(', ')}; name one by id or name`,
      [
        {
          path: 'body.organisation',
          message: 'several organisations have a user with this e-mail',
        },
      ],
    );
  }
  return users[0]!.user;
}

/**
 * A user of an organisation for its admins and platform admins (or the operator's tools,
 * `undefined` actor). A user of another organisation is not found, as is the organisation when
 * the actor may not see it; a member who is not an admin is forbidden.
 */
async function getManagedUser(
  deps: AccountDeps,
  actor: Actor | undefined,
  organisationId: string,
  userId: string,
): Promise<User> {
  if (actor) requireAdminAccess(actor, organisationId);
  const user = await deps.stores.users.find(userId);
  if (!user || user.organisationId !== organisationId)
    throw new AppError('not_found', `no user ${userId}`);
  return user;
}

/** Refuses to take away the actor's own access: another admin must do it. */
function requireNotSelf(actor: Actor | undefined, user: User, what: string): void {
  if (actor?.via === 'session' && actor.id === user.id)
    throw new AppError('conflict', `you cannot ${what} yourself; ask another admin`);
}

/** An organisation always keeps an active admin, whoever asks. */
function lastAdmin(user: User): AppError {
  return new AppError(
    'conflict',
    `${user.email} is the last active admin of the organisation; add another admin first`,
  );
}

/**
 * Disables (`disabled` true) or enables a user again. A disabled user cannot sign in, its
 * sessions end at once, and the API keys it stands behind stop working until it is enabled.
 */
export async function setUserDisabled(
  deps: AccountDeps,
  actor: Actor | undefined,
  organisationId: string,
  userId: string,
  disabled: boolean,
): Promise<User> {
  const user = await getManagedUser(deps, actor, organisationId, userId);
  if (user.disabled === disabled) return user;
  if (disabled) requireNotSelf(actor, user, 'disable');
  if (!(await deps.stores.users.setDisabled(user.id, disabled))) throw lastAdmin(user);
  const sessionsEnded = disabled ? await deps.stores.sessions.deleteByUser(user.id) : 0;
  await audit(deps, actor, {
    action: disabled ? 'user.disable' : 'user.enable',
    organisationId,
    target: user.id,
    detail: disabled ? { email: user.email, sessionsEnded } : { email: user.email },
  });
  return { ...user, disabled };
}

/**
 * Removes a user: its sessions end and the API keys it stands behind are revoked. Its e-mail
 * address may then be given to a new user.
 */
export async function removeUser(
  deps: AccountDeps,
  actor: Actor | undefined,
  organisationId: string,
  userId: string,
): Promise<void> {
  const user = await getManagedUser(deps, actor, organisationId, userId);
  requireNotSelf(actor, user, 'remove');
  const removed = await deps.stores.users.delete(user.id, deps.clock.now());
  if (!removed) throw lastAdmin(user);
  const { keysRevoked } = removed;
  await audit(deps, actor, {
    action: 'user.remove',
    organisationId,
    target: user.id,
    detail: { email: user.email, role: user.role, keysRevoked },
  });
}

/**
 * Gives a user of an organisation a new generated password, returned once; the old one stops
 * working and the user's sessions end at once.
 */
export async function resetUserPassword(
  deps: AccountDeps,
  actor: Actor,
  organisationId: string,
  userId: string,
): Promise<{ user: User; password: string }> {
  const user = await getManagedUser(deps, actor, organisationId, userId);
  return { user, password: await newPassword(deps, actor, user) };
}

async function newPassword(deps: AccountDeps, actor: Actor | undefined, user: User) {
  const password = generatePassword(deps);
  await deps.stores.users.setPasswordHash(user.id, await deps.hasher.hash(password));
  const sessionsEnded = await deps.stores.sessions.deleteByUser(user.id);
  await audit(deps, actor, {
    action: 'user.reset_password',
    organisationId: user.organisationId,
    target: user.id,
    detail: { email: user.email, sessionsEnded },
  });
  return password;
}

/** A user's live sessions, oldest first (its organisation's admins and platform admins). */
export async function listUserSessions(
  deps: AccountDeps,
  actor: Actor | undefined,
  organisationId: string,
  userId: string,
): Promise<SessionInfo[]> {
  const user = await getManagedUser(deps, actor, organisationId, userId);
  return deps.stores.sessions.listByUser(user.id, deps.clock.now());
}

/**
 * Ends a user's sessions: all, or the one with `sessionId` (not found when the user has no such
 * session). Returns how many ended.
 */
export async function endUserSessions(
  deps: AccountDeps,
  actor: Actor | undefined,
  organisationId: string,
  userId: string,
  sessionId?: string,
): Promise<number> {
  const user = await getManagedUser(deps, actor, organisationId, userId);
  const ended = await deps.stores.sessions.deleteByUser(user.id, sessionId);
  if (sessionId !== undefined && ended === 0)
    throw new AppError('not_found', `no session ${sessionId}`);
  await audit(deps, actor, {
    action: 'user.end_sessions',
    organisationId,
    target: user.id,
    detail: { email: user.email, sessionsEnded: ended, ...(sessionId ? { sessionId } : {}) },
  });
  return ended;
}

/** A readable random password: 20 URL-safe characters (about 120 bits). */
export function generatePassword(deps: AccountDeps): string {
  return deps.secrets.token(15);
}

/**
 * Issues an API key for an organisation. The key is returned once; only its SHA-256 is kept.
 * A key never has more rights than the one who creates it.
 */
export async function createApiKey(
  deps: AccountDeps,
  actor: Actor | undefined,
  organisationId: string,
  input: { name: string; role?: Role | undefined },
): Promise<{ apiKey: ApiKey; key: string }> {
  if (actor) requireAdminAccess(actor, organisationId);
  const org = await deps.stores.organisations.find(organisationId);
  if (!org) throw new AppError('not_found', `no organisation ${organisationId}`);
  const role = input.role ?? 'member';
  if (role === 'officer' && org.kind !== 'customs')
    throw new AppError('invalid_data', 'only customs administrations have officers', [
      { path: 'body.role', message: 'officer is a customs role' },
    ]);
  const key = `ck_${deps.secrets.token(32)}`;
  // The user behind the key: the signed-in user, or the user behind the key that issues it.
  const createdBy =
    actor === undefined
      ? null
      : actor.via === 'session'
        ? actor.id
        : ((await deps.stores.apiKeys.listByOrganisation(actor.organisationId)).find(
            (k) => k.id === actor.id,
          )?.createdBy ?? null);
  const apiKey: ApiKey = {
    id: deps.secrets.id('key'),
    organisationId,
    name: input.name,
    prefix: key.slice(0, 10),
    role,
    createdBy,
    createdAt: deps.clock.now(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await deps.stores.apiKeys.create(apiKey, deps.secrets.hash(key));
  await audit(deps, actor, {
    action: 'api_key.create',
    organisationId,
    target: apiKey.id,
    detail: { name: apiKey.name, role, prefix: apiKey.prefix },
  });
  return { apiKey, key };
}

export async function listApiKeys(
  deps: AccountDeps,
  actor: Actor,
  organisationId: string,
): Promise<ApiKey[]> {
  requireAdminAccess(actor, organisationId);
  return deps.stores.apiKeys.listByOrganisation(organisationId);
}

export async function revokeApiKey(
  deps: AccountDeps,
  actor: Actor,
  organisationId: string,
  keyId: string,
): Promise<void> {
  requireAdminAccess(actor, organisationId);
  if (!(await deps.stores.apiKeys.revoke(organisationId, keyId, deps.clock.now())))
    throw new AppError('not_found', `no API key ${keyId}`);
  await audit(deps, actor, {
    action: 'api_key.revoke',
    organisationId,
    target: keyId,
    detail: {},
  });
}

/** A carrier's admin sets whether rides booked on its services are confirmed at once. */
export async function setAutoConfirm(
  deps: AccountDeps,
  actor: Actor,
  organisationId: string,
  autoConfirm: boolean,
): Promise<Organisation> {
  requireAdminAccess(actor, organisationId);
  const org = await deps.stores.organisations.find(organisationId);
  if (!org) throw new AppError('not_found', `no organisation ${organisationId}`);
  if (org.kind !== 'carrier')
    throw new AppError('invalid_data', 'only carriers confirm bookings', [
      { path: 'body.autoConfirm', message: 'only for carriers' },
    ]);
  await deps.stores.organisations.setAutoConfirm(organisationId, autoConfirm);
  await audit(deps, actor, {
    action: 'organisation.auto_confirm',
    organisationId,
    target: organisationId,
    detail: { from: org.autoConfirm, to: autoConfirm },
  });
  return { ...org, autoConfirm };
}
