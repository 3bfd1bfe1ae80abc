import { resolvePlace } from '../core/network/places.ts';
import type { AccountDeps, Actor } from './actor.ts';
import { createOrganisation, createUser } from './manage-accounts.ts';
import type { DirectoryStore } from './ports.ts';
import type { OrganisationKind, Role } from './account-ports.ts';
import { seedActivity, type ActivityDeps, type DemoMember } from './demo/activity.ts';
import { DEMO_ORGANISATIONS } from './demo/organisations.ts';
import { seedRequests } from './demo/requests.ts';

/** One demo sign-in, printed once at first start and never stored in clear. */
export interface DemoCredential {
  organisation: string;
  kind: OrganisationKind;
  email: string;
  role: Role;
  password: string;
}

/** How first start groups the demo accounts, in this order: by kind, customs officers apart. */
const SIGN_IN_GROUPS: { title: string; has: (c: DemoCredential) => boolean }[] = [
  { title: 'Shippers', has: (c) => c.kind === 'shipper' },
  { title: 'Forwarders', has: (c) => c.kind === 'forwarder' },
  { title: 'Carriers', has: (c) => c.kind === 'carrier' },
  { title: 'Customs officers', has: (c) => c.kind === 'customs' && c.role === 'officer' },
  { title: 'Council', has: (c) => c.kind === 'coordinator' },
  { title: 'FEZ providers', has: (c) => c.kind === 'service_provider' },
  { title: 'Terminals', has: (c) => c.kind === 'terminal' },
  { title: 'Customs administrators', has: (c) => c.kind === 'customs' && c.role !== 'officer' },
  { title: 'Platform operator', has: (c) => c.kind === 'platform' },
];

/**
 * What first start prints for the demo, line by line: the address to open, the accounts by
 * organisation kind (e-mail, password, organisation), and how to get a new password.
 */
export function demoSignInLines(url: string, credentials: readonly DemoCredential[]): string[] {
  const width = Math.max(...credentials.map((c) => c.email.length));
  const pass = Math.max(...credentials.map((c) => c.password.length));
  const lines = [
    `Open ${url} in a browser and sign in with one of these demo accounts.`,
    'Their passwords are shown this once and stored only as argon2id hashes.',
  ];
  for (const g of SIGN_IN_GROUPS) {
    const members = credentials.filter(g.has);
    if (members.length === 0) continue;
    lines.push('', g.title);
    for (const c of members)
      lines.push(`  ${c.email.padEnd(width)}  ${c.password.padEnd(pass)}  ${c.organisation}`);
  }
  lines.push(
    '',
    'A lost password: `corridor admin reset-password EMAIL` prints a new one (with the embedded',
    'database, stop the server first).',
  );
  return lines;
}

/**
 * Creates the demo organisations and one admin per organisation (and an officer per customs
 * administration) when the database has no organisation yet, their directory profiles, and,
 * with `activity`, the corridor's traffic of the past weeks up to the clock's now (shipments,
 * their events, customs decisions, service requests: demo/activity.ts). A database that has
 * organisations is left as it is. Passwords are generated; the returned credentials are the
 * only place they appear.
 */
export async function seedDemo(
  deps: AccountDeps,
  directory?: DirectoryStore,
  activity?: ActivityDeps,
): Promise<{ created: boolean; credentials: DemoCredential[] }> {
  if ((await deps.stores.organisations.count()) > 0) return { created: false, credentials: [] };
  const credentials: DemoCredential[] = [];
  const members = new Map<string, DemoMember>();
  for (const d of DEMO_ORGANISATIONS) {
    const { domain, officers, profile, listings, ...input } = d;
    const org = await createOrganisation(deps, undefined, input);
    if (directory && profile) {
      await directory.upsertProfile({
        organisationId: org.id,
        exportsHs: [],
        importsHs: [],
        ...profile,
        descriptions: profile.descriptions,
        contact: { email: `contact@${domain}.example` },
        updatedAt: deps.clock.now(),
      });
      for (const l of listings ?? []) {
        const place = resolvePlace(deps.network, l.place);
        if (!place.ok) throw new Error(`demo listing: no place ${l.place}`);
        await directory.addListing({
          ...l,
          id: deps.secrets.id('lst'),
          organisationId: org.id,
          country: place.node.country,
          nodeId: place.node.id,
          createdAt: deps.clock.now(),
        });
      }
    }
    const people: { local: string; name: string; role: Role }[] = [
      { local: 'admin', name: `${org.name} admin`, role: 'admin' },
    ];
    if (officers) people.push({ local: 'officer', name: `${org.name} officer`, role: 'officer' });
    const actors: Partial<Record<Role, Actor>> = {};
    for (const p of people) {
      const email = `${p.local}@${domain}.example`;
      const { user, password } = await createUser(deps, undefined, org.id, {
        email,
        name: p.name,
        role: p.role,
      });
      actors[p.role] = {
        via: 'session',
        id: user.id,
        name: p.name,
        organisationId: org.id,
        organisationKind: org.kind,
        role: p.role,
      };
      credentials.push({
        organisation: org.name,
        kind: org.kind,
        email,
        role: p.role,
        password: password!,
      });
    }
    members.set(org.name, {
      organisation: org,
      admin: actors.admin!,
      ...(actors.officer ? { officer: actors.officer } : {}),
    });
  }
  if (activity) {
    await seedActivity(activity, members);
    await seedRequests(activity.directory, members);
  }
  return { created: true, credentials };
}
