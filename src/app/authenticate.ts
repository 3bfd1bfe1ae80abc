import { AppError } from './errors.ts';
import type { AccountDeps, Actor } from './actor.ts';
import type { Organisation, User } from './ports.ts';

/** How long a browser session lives. */
export const SESSION_HOURS = 12;

export interface LoginResult {
  /** The session token for the cookie; only its hash is stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
  user: User;
  organisation: Organisation;
}

/**
 * The account lockout: this many failed sign-ins for one e-mail address within the window lock
 * it for the lock time, whatever the client address (the per-address rate limit is separate).
 */
export const LOGIN_LOCKOUT = { limit: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/**
 * Signs a user in with e-mail and password. A wrong e-mail and a wrong password give the same
 * answer, and a password is always verified (against a dummy hash when there is no such user), so
 * that timing does not tell which e-mails exist.
 */
export async function login(
  deps: AccountDeps,
  email: string,
  password: string,
): Promise<LoginResult> {
  const now = deps.clock.now();
  const locked = await deps.stores.loginFailures.lockedUntil(email, now);
  if (locked) throw lockedOut(locked);
  const found = await deps.stores.users.findByEmail(email);
  const ok = await deps.hasher.verify(found?.passwordHash ?? (await dummyHash(deps)), password);
  if (!found || !ok || found.user.disabled) {
    const lock = await deps.stores.loginFailures.recordFailure(email, now, LOGIN_LOCKOUT);
    if (lock) throw lockedOut(lock);
    throw new AppError('unauthorized', 'wrong e-mail or password');
  }
  await deps.stores.loginFailures.clear(email);
  const organisation = await deps.stores.organisations.find(found.user.organisationId);
  if (!organisation) throw new AppError('unauthorized', 'wrong e-mail or password');
  const token = deps.secrets.token(32);
  const csrfToken = deps.secrets.token(24);
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
  await deps.stores.sessions.create({
    tokenHash: deps.secrets.hash(token),
    userId: found.user.id,
    csrfToken,
    createdAt: now,
    expiresAt,
  });
  return { token, csrfToken, expiresAt, user: found.user, organisation };
}

function lockedOut(until: Date): AppError {
  return new AppError(
    'rate_limited',
    `too many failed sign-ins for this e-mail address; try again after ${until.toISOString()}`,
  );
}

let dummy: Promise<string> | undefined;
function dummyHash(deps: AccountDeps): Promise<string> {
  dummy ??= deps.hasher.hash(deps.secrets.token(16));
  return dummy;
}

export async function logout(deps: AccountDeps, token: string): Promise<void> {
  await deps.stores.sessions.delete(deps.secrets.hash(token));
}

/** The actor of a session cookie, with the session's CSRF token; undefined when not live. */
export async function sessionActor(
  deps: AccountDeps,
  token: string,
): Promise<
  | { actor: Actor; csrfToken: string; expiresAt: Date; user: User; organisation: Organisation }
  | undefined
> {
  const session = await deps.stores.sessions.find(deps.secrets.hash(token), deps.clock.now());
  if (!session) return undefined;
  const user = await deps.stores.users.find(session.userId);
  if (!user || user.disabled) return undefined;
  const organisation = await deps.stores.organisations.find(user.organisationId);
  if (!organisation) return undefined;
  return {
    actor: {
      via: 'session',
      id: user.id,
      name: user.name,
      organisationId: organisation.id,
      organisationKind: organisation.kind,
      role: user.role,
    },
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
    user,
    organisation,
  };
}

/** The actor of an API key; undefined when unknown or revoked. Records when it was last used. */
export async function apiKeyActor(deps: AccountDeps, key: string): Promise<Actor | undefined> {
  const found = await deps.stores.apiKeys.findActive(deps.secrets.hash(key));
  if (!found) return undefined;
  // Last use is kept to the minute: a busy machine client does not write on every request.
  const now = deps.clock.now();
  if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() >= 60_000)
    await deps.stores.apiKeys.touch(found.id, now);
  return {
    via: 'api_key',
    id: found.id,
    name: found.name,
    organisationId: found.organisationId,
    organisationKind: found.organisationKind,
    role: found.role,
  };
}
