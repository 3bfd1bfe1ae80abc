import { Option, type Command } from 'commander';
import { LANGUAGES, SERVICE_KINDS } from '../core/directory/catalogue.ts';
import { call, serverOption, type ServerOptions } from './client.command.ts';
import { parseIntIn, type CommandContext } from './context.ts';
import { table } from './format.ts';

interface ProfileJson {
  organisationId: string;
  name: string;
  country: string;
  verified: boolean;
  services: string[];
  nodes: string[];
  languages: string[];
  rank: number;
}

export function registerDirectoryCommands(program: Command, ctx: CommandContext): void {
  const directory = program
    .command('directory')
    .description('the one-stop service desk: find organisations on the corridor');

  directory
    .command('search')
    .description('search profiles by service, country, node, HS code, language and free text')
    .argument('[text...]', 'free text over names and descriptions')
    .addOption(new Option('--service <kind>', 'a service offered').choices(SERVICE_KINDS))
    .option('--country <cc>', 'a country it works in (ISO 3166-1 alpha-2)')
    .option('--node <id>', 'a corridor node it works at, e.g. AZ_ALAT_FEZ')
    .option('--hs <code>', 'HS code or its first digits it exports or imports')
    .addOption(new Option('--language <code>', 'a language it works in').choices(LANGUAGES))
    .option('--verified', 'only verified organisations')
    .option('--limit <n>', 'results per page (1-50)', parseIntIn(1, 50), 20)
    .option('--offset <n>', 'skip this many', parseIntIn(0, 10_000), 0)
    .addOption(serverOption())
    .option('--json', 'print the JSON of the API')
    .addHelpText(
      'after',
      '\nExamples:\n  corridor directory search warehousing --node AZ_ALAT_FEZ\n  corridor directory search --hs 0802 --country AZ --language zh',
    )
    .action(
      async (
        words: string[],
        opts: ServerOptions & {
          service?: string;
          country?: string;
          node?: string;
          hs?: string;
          language?: string;
          verified?: boolean;
          limit: number;
          offset: number;
        },
      ) => {
        const query = new URLSearchParams();
        if (words.length > 0) query.set('q', words.join(' '));
        for (const key of ['service', 'country', 'node', 'hs', 'language'] as const) {
          const v = opts[key];
          if (v !== undefined) query.set(key, v);
        }
        if (opts.verified) query.set('verified', 'true');
        query.set('limit', String(opts.limit));
        query.set('offset', String(opts.offset));
        const page = (await call(ctx, opts, 'GET', `/v1/directory?${query.toString()}`)) as {
          total: number;
          next: number | null;
          results: ProfileJson[];
        };
        if (opts.json) {
          ctx.io.out(JSON.stringify(page, null, 2));
          return;
        }
        ctx.io.out(
          table(
            ['organisation', 'name', 'country', 'verified', 'services', 'languages'],
            page.results.map((p) => [
              p.organisationId,
              p.name,
              p.country,
              p.verified ? 'yes' : '-',
              p.services.join(', '),
              p.languages.join(' '),
            ]),
          ),
        );
        ctx.io.out(
          `${page.total} found${page.next !== null ? `; next page: --offset ${page.next}` : ''}`,
        );
      },
    );
}
