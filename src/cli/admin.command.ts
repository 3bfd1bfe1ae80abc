import type { Command } from 'commander';
import type { z } from 'zod';
import { newApiKeySchema, newOrganisationSchema, newUserSchema } from '../api/accounts.ts';
import type { AccountDeps } from '../app/actor.ts';
import {
  createApiKey,
  createOrganisation,
  createUser,
  endUserSessions,
  getUserByEmail,
  listUserSessions,
  removeUser,
  resetPassword,
  setUserDisabled,
} from '../app/manage-accounts.ts';
import type { User } from '../app/account-ports.ts';
import { table } from './format.ts';
import type { CommandContext } from './context.ts';

/** Runs an admin action with the database open, closing it whatever happens. */
async function withAccounts(
  ctx: CommandContext,
  data: string | undefined,
  run: (deps: AccountDeps) => Promise<void>,
): Promise<void> {
  const network = await ctx.network(data);
  const { deps, close } = await ctx.io.accounts(network);
  try {
    await run(deps);
  } finally {
    await close();
  }
}

/** Validates flags against the API's schema so the CLI and the API accept the same input. */
function check<T>(ctx: CommandContext, schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  return ctx.usage(`--${String(issue.path[0] ?? 'value')}: ${issue.message}`);
}

/** E-mail addresses are unique within an organisation only. */
const ORGANISATION_HELP =
  "the user's organisation (id or name), needed when users of several organisations have the e-mail";

const collect = (v: string, all: string[] = []) => [...all, v];

export function registerAdminCommands(program: Command, ctx: CommandContext): void {
  const admin = program
    .command('admin')
    .description("operator's tools on the platform database (CORRIDOR_DATA_DIR or DATABASE_URL)")
    .addHelpText(
      'after',
      '\nWith the embedded database, stop the server first: the data directory is locked while it runs.',
    );

  admin
    .command('create-org')
    .description('register an organisation')
    .requiredOption('--name <name>', 'organisation name')
    .requiredOption(
      '--kind <kind>',
      'shipper, forwarder, carrier, terminal, customs, coordinator, service_provider or platform',
    )
    .requiredOption('--country <code>', 'ISO 3166-1 alpha-2 country, e.g. AZ')
    .option('--service <id>', 'a service the carrier operates (repeat)', collect)
    .option(
      '--office <CODE=NAME>',
      'a customs office, e.g. AZBAK001="Alat port customs" (repeat)',
      collect,
    )
    .option('--data <dir>', 'network data folder (default: the bundled data/)')
    .addHelpText(
      'after',
      '\nExample:\n  corridor admin create-org --name "Caspian Forwarding" --kind forwarder --country AZ',
    )
    .action(
      async (opts: {
        name: string;
        kind: string;
        country: string;
        service?: string[];
        office?: string[];
        data?: string;
      }) => {
        const offices = (opts.office ?? []).map((o) => {
          const [code, ...name] = o.split('=');
          return { code: code ?? '', name: name.join('=') || (code ?? '') };
        });
        const input = check(ctx, newOrganisationSchema, {
          name: opts.name,
          kind: opts.kind,
          country: opts.country,
          ...(opts.service ? { services: opts.service } : {}),
          ...(offices.length ? { customsOffices: offices } : {}),
        });
        await withAccounts(ctx, opts.data, async (deps) => {
          const org = await createOrganisation(deps, undefined, input);
          ctx.io.out(`created ${org.id}  ${org.name} (${org.kind}, ${org.country})`);
        });
      },
    );

  admin
    .command('create-user')
    .description('add a user to an organisation; prints a generated password once')
    .requiredOption('--org <id>', 'organisation id (see list-orgs)')
    .requiredOption('--email <email>', 'e-mail, used to sign in')
    .requiredOption('--name <name>', 'full name')
    .option('--role <role>', 'admin, member or officer (customs)', 'member')
    .option('--data <dir>', 'network data folder (default: the bundled data/)')
    .addHelpText(
      'after',
      '\nExample:\n  corridor admin create-user --org org_123 --email ops@example.com --name "Operations" --role admin',
    )
    .action(
      async (opts: { org: string; email: string; name: string; role: string; data?: string }) => {
        const input = check(ctx, newUserSchema, {
          email: opts.email,
          name: opts.name,
          role: opts.role,
        });
        await withAccounts(ctx, opts.data, async (deps) => {
          const { user, password } = await createUser(deps, undefined, opts.org, input);
          ctx.io.out(`created ${user.id}  ${user.email} (${user.role})`);
          ctx.io.out(`password (shown once): ${password}`);
        });
      },
    );

  admin
    .command('reset-password')
    .description('give a user a new generated password, printed once (the old one stops working)')
    .argument('<email>', "the user's sign-in e-mail")
    .option('--organisation <id-or-name>', ORGANISATION_HELP)
    .option('--data <dir>', 'network data folder (default: the bundled data/)')
    .addHelpText('after', '\nExample:\n  corridor admin reset-password admin@ktz-express.example')
    .action(async (email: string, opts: { organisation?: string; data?: string }) => {
      if (!newUserSchema.shape.email.safeParse(email).success)
        ctx.usage(`EMAIL: "${email}" is not an e-mail address`);
      await withAccounts(ctx, opts.data, async (deps) => {
        const { user, password } = await resetPassword(deps, email, opts.organisation);
        ctx.io.out(`new password for ${user.email} (shown once): ${password}`);
      });
    });

  const byEmail = (name: string, description: string, example: string) =>
    admin
      .command(name)
      .description(description)
      .argument('<email>', "the user's sign-in e-mail")
      .option('--organisation <id-or-name>', ORGANISATION_HELP)
      .option('--data <dir>', 'network data folder (default: the bundled data/)')
      .addHelpText('after', `\nExample:\n  corridor admin ${name} ${example}`);
  const run =
    (act: (deps: AccountDeps, user: User) => Promise<void>) =>
    async (email: string, opts: { organisation?: string; data?: string }) => {
      if (!newUserSchema.shape.email.safeParse(email).success)
        ctx.usage(`EMAIL: "${email}" is not an e-mail address`);
      await withAccounts(ctx, opts.data, async (deps) =>
        act(deps, await getUserByEmail(deps, email, opts.organisation)),
      );
    };

  byEmail(
    'disable-user',
    'disable a user: it cannot sign in, its sessions end, the API keys it created stop working',
    'ops@example.com',
  ).action(
    run(async (deps, user) => {
      await setUserDisabled(deps, undefined, user.organisationId, user.id, true);
      ctx.io.out(`disabled ${user.id}  ${user.email}`);
    }),
  );

  byEmail(
    'enable-user',
    'enable a disabled user again (its API keys work again)',
    'ops@example.com',
  ).action(
    run(async (deps, user) => {
      await setUserDisabled(deps, undefined, user.organisationId, user.id, false);
      ctx.io.out(`enabled ${user.id}  ${user.email}`);
    }),
  );

  byEmail(
    'remove-user',
    'remove a user: its sessions end and the API keys it created are revoked',
    'ops@example.com',
  ).action(
    run(async (deps, user) => {
      await removeUser(deps, undefined, user.organisationId, user.id);
      ctx.io.out(`removed ${user.id}  ${user.email}`);
    }),
  );

  byEmail('sessions', "list a user's live sessions", 'ops@example.com').action(
    run(async (deps, user) => {
      const sessions = await listUserSessions(deps, undefined, user.organisationId, user.id);
      for (const s of sessions)
        ctx.io.out(
          `${s.id}  since ${s.createdAt.toISOString()}  until ${s.expiresAt.toISOString()}`,
        );
      if (sessions.length === 0) ctx.io.out(`${user.email} has no live session`);
    }),
  );

  byEmail('end-sessions', "end all of a user's sessions", 'ops@example.com').action(
    run(async (deps, user) => {
      const ended = await endUserSessions(deps, undefined, user.organisationId, user.id);
      ctx.io.out(`ended ${ended} session(s) of ${user.email}`);
    }),
  );

  admin
    .command('create-api-key')
    .description('issue an API key for an organisation; prints the key once')
    .requiredOption('--org <id>', 'organisation id')
    .requiredOption('--name <name>', 'what the key is for')
    .option('--role <role>', 'admin, member or officer (customs)', 'member')
    .option('--data <dir>', 'network data folder (default: the bundled data/)')
    .addHelpText(
      'after',
      '\nExample:\n  corridor admin create-api-key --org org_123 --name "tracking feed"',
    )
    .action(async (opts: { org: string; name: string; role: string; data?: string }) => {
      const input = check(ctx, newApiKeySchema, { name: opts.name, role: opts.role });
      await withAccounts(ctx, opts.data, async (deps) => {
        const { apiKey, key } = await createApiKey(deps, undefined, opts.org, input);
        ctx.io.out(`created ${apiKey.id}  ${apiKey.name} (${apiKey.role})`);
        ctx.io.out(`key (shown once; send as Authorization: Bearer <key>): ${key}`);
      });
    });

  admin
    .command('list-orgs')
    .description('list the organisations')
    .option('--json', 'print JSON')
    .option('--data <dir>', 'network data folder (default: the bundled data/)')
    .addHelpText('after', '\nExample:\n  corridor admin list-orgs')
    .action(async (opts: { json?: boolean; data?: string }) => {
      await withAccounts(ctx, opts.data, async (deps) => {
        const orgs = await deps.stores.organisations.list();
        ctx.io.out(
          opts.json
            ? JSON.stringify(orgs, null, 2)
            : table(
                ['ID', 'KIND', 'CTRY', 'NAME', 'SERVICES / OFFICES'],
                orgs.map((o) => [
                  o.id,
                  o.kind,
                  o.country,
                  o.name,
                  [...o.services, ...o.customsOffices.map((c) => c.code)].join(' ') || '-',
                ]),
                70,
              ),
        );
      });
    });
}
