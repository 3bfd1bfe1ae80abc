import { AppError } from './errors.ts';
import type { Clock, PasswordHasher, Secrets } from './ports.ts';
import type { OrganisationKind, Role, Stores } from './account-ports.ts';
import type { Network } from '../core/network/network.ts';

/** Who is calling: a signed-in user or an API key, always inside one organisation. */
export interface Actor {
  via: 'session' | 'api_key';
  /** The user, or the API key's id. */
  id: string;
  name: string;
  organisationId: string;
  organisationKind: OrganisationKind;
  role: Role;
}

/** What the account use cases need. */
export interface AccountDeps {
  stores: Stores;
  clock: Clock;
  secrets: Secrets;
  hasher: PasswordHasher;
  network: Network;
}

/** The platform operator's admins manage every organisation. */
export function isPlatformAdmin(actor: Actor): boolean {
  return actor.organisationKind === 'platform' && actor.role === 'admin';
}

export function requireActor(actor: Actor | undefined): Actor {
  if (!actor)
    throw new AppError('unauthorized', 'sign in or send an API key (Authorization: Bearer ...)');
  return actor;
}

/**
 * Reading an organisation: its own members and platform admins. Anyone else gets not_found, so
 * that ids of other organisations cannot be probed.
 */
export function requireReadAccess(actor: Actor, organisationId: string): void {
  if (actor.organisationId !== organisationId && !isPlatformAdmin(actor))
    throw new AppError('not_found', `no organisation ${organisationId}`);
}

/** Managing an organisation's users and keys: its admins and platform admins. */
export function requireAdminAccess(actor: Actor, organisationId: string): void {
  requireReadAccess(actor, organisationId);
  if (actor.role !== 'admin' && !isPlatformAdmin(actor))
    throw new AppError('forbidden', 'only an admin of the organisation may do this');
}
