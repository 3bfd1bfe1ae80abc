import { AppError } from './errors.ts';
import type { AccountDeps, Actor } from './actor.ts';
import type { Organisation, User } from './account-ports.ts';

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
 * Failed sign-ins counted per key (`account:` and an e-mail address in lower case, known or
 * not; `source:` and a client address), shared by every server process. Only failures count.
 */
export interface SignInFailures {
  /** Until when sign-ins for the key wait at `now`; null when they need not. */
  retryAt(key: string, now: Date): Promise<Date | null>;
  /**
   * Counts a failure at `now` (a count whose first failure is older than `windowMs` starts
   * again at 1) and, when `delayMs(count)` is above 0, makes sign-ins for the key wait until
   * `now` plus that. One statement: failures on several servers at once all count.
   */
  record(
    key: string,
    now: Date,
    windowMs: number,
    delayMs: (failures: number) => number,
  ): Promise<void>;
  /** Forgets the key's failures (a successful sign-in of the account). */
  clear(key: string): Promise<void>;
  /** Forgets counts whose window ended and whose wait is over, before `now`. */
  purge(now: Date, windowMs: number): Promise<void>;
}

/**
 * Sign-in throttling. Per client address: `sourceFailures` failed sign-ins within
 * `sourceWindowMs` make that address wait until the window has passed. Per account: after
 * `accountFreeFailures` failures within `accountWindowMs`, each further failure makes sign-ins
 * for that e-mail address wait `accountFirstDelayMs`, doubled at each failure up to
 * `accountMaxDelayMs`. An attempt during a wait is answered 429 with the time left and is not
 * tried (nor counted); a successful sign-in counts nothing and forgets the account's failures.
 */
export interface SignInPolicy {
  sourceFailures: number;
  sourceWindowMs: number;
  accountFreeFailures: number;
  accountFirstDelayMs: number;
  accountMaxDelayMs: number;
  accountWindowMs: number;
}

export interface SignInDeps {
  failures: SignInFailures;
  policy: SignInPolicy;
}

/** Defaults: 3 free failures per account, then 1 s doubling to at most 1 min, over 15 min. */
export const SIGN_IN_POLICY: Omit<SignInPolicy, 'sourceFailures'> = {
  sourceWindowMs: 60_000,
  accountFreeFailures: 3,
  accountFirstDelayMs: 1000,
  accountMaxDelayMs: 60_000,
  accountWindowMs: 15 * 60_000,
};

/** The wait after an account's `failures`-th failure within its window, in ms. Pure. */
export function accountDelayMs(policy: SignInPolicy, failures: number): number {
  const over = failures - policy.accountFreeFailures;
  if (over <= 0) return 0;
  return Math.min(policy.accountMaxDelayMs, policy.accountFirstDelayMs * 2 ** (over - 1));
}

/**
 * The e-mail address and password are right for users of several organisations (an address is
 * unique within an organisation only): the sign-in names one of these with `organisation`.
 */
export interface OrganisationChoice {
  organisations: Organisation[];
}

/**
 * Signs a user in with e-mail and password from a client address (`source`). An address may
 * belong to users of several organisations: the password is tried against each of them (and
 * against a dummy hash when there is none), so that neither the answer nor its timing tells
 * which e-mails exist; `organisation` (an id, or a name in any case) narrows the users to that
 * organisation's. A wrong e-mail, a wrong password and a wrong organisation give the same answer.
 * When the password is right for users of several organisations, the answer names them (only
 * to one who knows the password) and nobody is signed in. Throttled as `SignInPolicy` says:
 * rate_limited with the seconds to wait while a wait is in force.
 */
export async function login(
  deps: AccountDeps,
  signIn: SignInDeps,
  input: { email: string; password: string; organisation?: string | undefined; source: string },
): Promise<LoginResult | OrganisationChoice> {
  const { email, password } = input;
  const now = deps.clock.now();
  const { policy, failures } = signIn;
  const sourceKey = `source:${input.source}`;
  const accountKey = `account:${email.trim().toLowerCase()}`;
  const sourceWait = await failures.retryAt(sourceKey, now);
  if (sourceWait) throw waitUntil(now, sourceWait, 'from this address');
  const accountWait = await failures.retryAt(accountKey, now);
  if (accountWait) throw waitUntil(now, accountWait, 'for this e-mail address');
  const wanted = input.organisation?.trim().toLowerCase();
  const candidates = (
    await Promise.all(
      (await deps.stores.users.listByEmail(email)).map(async (c) => ({
        ...c,
        organisation: await deps.stores.organisations.find(c.user.organisationId),
      })),
    )
  ).filter(
    (c) =>
      wanted === undefined ||
      c.organisation?.id.toLowerCase() === wanted ||
      c.organisation?.name.toLowerCase() === wanted,
  );
  // One verification per candidate, at least one: the work does not depend on which is right.
  const verified = await Promise.all(
    candidates.length === 0
      ? [deps.hasher.verify(await dummyHash(deps), password).then(() => false)]
      : candidates.map((c) => deps.hasher.verify(c.passwordHash, password)),
  );
  const matches = candidates.filter((c, i) => verified[i] && !c.user.disabled && c.organisation);
  if (matches.length === 0) {
    await failures.record(sourceKey, now, policy.sourceWindowMs, (n) =>
      n >= policy.sourceFailures ? policy.sourceWindowMs : 0,
    );
    await failures.record(accountKey, now, policy.accountWindowMs, (n) =>
      accountDelayMs(policy, n),
    );
    throw new AppError('unauthorized', 'wrong e-mail or password');
  }
  await failures.clear(accountKey);
  if (matches.length > 1) return { organisations: matches.map((m) => m.organisation!) };
  const [{ user, organisation }] = matches as [(typeof matches)[number]];
  const token = deps.secrets.token(32);
  const csrfToken = deps.secrets.token(24);
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
  await deps.stores.sessions.create({
    tokenHash: deps.secrets.hash(token),
    userId: user.id,
    csrfToken,
    createdAt: now,
    expiresAt,
  });
  return { token, csrfToken, expiresAt, user, organisation: organisation! };
}

function waitUntil(now: Date, until: Date, scope: string): AppError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new AppError(
    'rate_limited',
    `too many failed sign-ins ${scope}; try again in ${seconds} s (after ${until.toISOString()})`,
    [],
    seconds,
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
