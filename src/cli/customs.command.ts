import { Option, type Command } from 'commander';
import { auditHeadSchema, declarationBodySchema, segmentActionSchema } from '../api/customs.ts';
import type { AuditAnchor } from '../app/customs-audit.ts';
import { ruleSetSchema } from '../core/customs/risk.ts';
import { call, serverOption, type ServerOptions } from './client.command.ts';
import { CliExit, EXIT_FAILED, type CommandContext } from './context.ts';
import { check, readJson } from './input.ts';
import { table } from './format.ts';

interface SegmentJson {
  country: string;
  office: string;
  regime: string;
  state: string;
  lane: string | null;
  etaAt: string | null;
}
interface DeclarationJson {
  id: string;
  mrn: string;
  state: string;
  guaranteeState?: string;
  segments: SegmentJson[];
}

function render(d: DeclarationJson): string {
  return [
    `${d.mrn}  ${d.id}  ${d.state}${d.guaranteeState ? `  guarantee ${d.guaranteeState}` : ''}`,
    table(
      ['country', 'office', 'regime', 'state', 'lane', 'ETA'],
      d.segments.map((s) => [
        s.country,
        s.office,
        s.regime,
        s.state,
        s.lane ?? '-',
        s.etaAt ?? '-',
      ]),
    ),
  ].join('\n');
}

export function registerCustomsCommands(program: Command, ctx: CommandContext): void {
  const customs = program
    .command('customs')
    .description('customs transit declarations (from the platform)');

  customs
    .command('declare')
    .description('lodge a transit declaration from a JSON file; prints its MRN and segments')
    .argument('<file>', 'the declaration as JSON (see POST /v1/customs/declarations)')
    .addOption(serverOption())
    .option('--json', 'print the JSON of the API')
    .addHelpText(
      'after',
      '\nExample:\n  CORRIDOR_API_KEY=ck_... corridor customs declare declaration.json',
    )
    .action(async (file: string, opts: ServerOptions) => {
      const body = check(ctx, file, declarationBodySchema, await readJson(ctx, file));
      const d = (await call(
        ctx,
        opts,
        'POST',
        '/v1/customs/declarations',
        body,
      )) as DeclarationJson;
      ctx.io.out(opts.json ? JSON.stringify(d, null, 2) : render(d));
    });

  customs
    .command('queue')
    .description("an office's open segments, by when the box is expected")
    .requiredOption('--office <code>', 'office code, e.g. KZAAU001')
    .addOption(serverOption())
    .option('--json', 'print the JSON of the API')
    .action(async (opts: ServerOptions & { office: string }) => {
      if (!/^[A-Z]{2}[A-Z2-9]{3}\d{3}$/.test(opts.office))
        ctx.usage(
          `--office: ${opts.office} is not an office code (UN/LOCODE and 3 digits, e.g. KZAAU001)`,
        );
      const res = (await call(ctx, opts, 'GET', `/v1/customs/queue?office=${opts.office}`)) as {
        declarations: DeclarationJson[];
      };
      if (opts.json) {
        ctx.io.out(JSON.stringify(res, null, 2));
        return;
      }
      const country = opts.office.slice(0, 2);
      ctx.io.out(
        table(
          ['MRN', 'declaration', 'ETA', 'state', 'lane'],
          res.declarations.map((d) => {
            const s = d.segments.find((x) => x.country === country)!;
            return [d.mrn, d.id, s.etaAt ?? '-', s.state, s.lane ?? '-'];
          }),
        ),
      );
    });

  customs
    .command('decide')
    .description("an officer's action on their country's segment of a declaration")
    .argument('<declaration>', 'declaration id (dcl_...)')
    .requiredOption('--country <cc>', 'the segment country, e.g. KZ')
    .addOption(
      new Option('--action <action>', 'what to do')
        .choices([
          'assess',
          'arrive',
          'request_documents',
          'record_inspection',
          'release',
          'hold',
          'refuse',
          'exit',
          'discharge',
        ])
        .makeOptionMandatory(),
    )
    .option('--note <text>', 'the reason (hold, refuse) or the documents asked for')
    .addOption(new Option('--kind <kind>', 'inspection kind').choices(['scan', 'physical']))
    .option('--seals-broken', 'the seals were not intact')
    .option('--discrepancy <text...>', 'what the inspection found')
    .addOption(serverOption())
    .option('--json', 'print the JSON of the API')
    .addHelpText(
      'after',
      '\nExample:\n  corridor customs decide dcl_123 --country KZ --action release',
    )
    .action(
      async (
        id: string,
        opts: ServerOptions & {
          country: string;
          action: string;
          note?: string;
          kind?: string;
          sealsBroken?: boolean;
          discrepancy?: string[];
        },
      ) => {
        const body = {
          type: opts.action,
          ...(opts.note !== undefined ? { note: opts.note } : {}),
          ...(opts.action === 'record_inspection'
            ? {
                kind: opts.kind,
                sealsIntact: !opts.sealsBroken,
                discrepancies: opts.discrepancy ?? [],
              }
            : {}),
        };
        const parsed = segmentActionSchema.safeParse(body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const field = String(issue.path[0] ?? 'action');
          ctx.usage(`--${field === 'sealsIntact' ? 'seals-broken' : field}: ${issue.message}`);
        }
        const d = (await call(
          ctx,
          opts,
          'POST',
          `/v1/customs/declarations/${encodeURIComponent(id)}/segments/${encodeURIComponent(opts.country)}/actions`,
          body,
        )) as DeclarationJson;
        ctx.io.out(opts.json ? JSON.stringify(d, null, 2) : render(d));
      },
    );

  const rules = customs.command('rules').description('selectivity rule sets');
  rules
    .command('test')
    .description(
      "check a rule set file and back-test it on the platform against the scope's past declarations",
    )
    .argument('<file>', 'the rule set as JSON')
    .requiredOption('--scope <scope>', 'a country (KZ) or an office (KZAAU001)')
    .addOption(serverOption())
    .option('--json', 'print the JSON of the API')
    .action(async (file: string, opts: ServerOptions & { scope: string }) => {
      const set = check(ctx, file, ruleSetSchema, await readJson(ctx, file));
      const r = (await call(
        ctx,
        opts,
        'POST',
        `/v1/customs/rule-sets/${encodeURIComponent(opts.scope)}/backtest`,
        set,
      )) as {
        declarations: number;
        lanes: Record<string, number>;
        rules: { ruleId: string; lane: string; hits: number; selected: number; hitRate: number }[];
        random: number;
        topUp: number;
      };
      if (opts.json) {
        ctx.io.out(JSON.stringify(r, null, 2));
        return;
      }
      const pct = (n: number) =>
        r.declarations === 0 ? '-' : `${((n / r.declarations) * 100).toFixed(1)} %`;
      ctx.io.out(`${r.declarations} past declarations of ${opts.scope}`);
      ctx.io.out(
        table(
          ['lane', 'declarations', 'share'],
          Object.entries(r.lanes).map(([l, n]) => [l, String(n), pct(n)]),
        ),
      );
      ctx.io.out(
        table(
          ['rule', 'lane', 'hits', 'selected', 'hit rate'],
          r.rules.map((x) => [
            x.ruleId,
            x.lane,
            String(x.hits),
            String(x.selected),
            `${(x.hitRate * 100).toFixed(1)} %`,
          ]),
        ),
      );
      ctx.io.out(`random selections ${r.random}, top-ups ${r.topUp}`);
    });
  rules
    .command('publish')
    .description(
      'publish a rule set file as the next version of a country or office (customs administrators)',
    )
    .argument('<file>', 'the rule set as JSON')
    .requiredOption('--scope <scope>', 'a country (KZ) or an office (KZAAU001)')
    .addOption(serverOption())
    .action(async (file: string, opts: ServerOptions & { scope: string }) => {
      const set = check(ctx, file, ruleSetSchema, await readJson(ctx, file));
      const r = (await call(
        ctx,
        opts,
        'PUT',
        `/v1/customs/rule-sets/${encodeURIComponent(opts.scope)}`,
        set,
      )) as {
        version: number;
      };
      ctx.io.out(`published ${opts.scope} rule set version ${r.version}`);
    });

  const audit = program
    .command('audit')
    .description('the customs audit log (on the database of DATABASE_URL or CORRIDOR_DATA_DIR)');
  audit
    .command('verify')
    .description(
      'prove the hash chain of the customs audit log up to its head record and every signed head, or name the first broken record',
    )
    .option(
      '--anchor <file...>',
      'a signed head saved from GET /v1/customs/audit/head: the log must still hold its record',
    )
    .action(async (opts: { anchor?: string[] }) => {
      const saved: AuditAnchor[] = [];
      for (const file of opts.anchor ?? []) {
        const a = check(ctx, file, auditHeadSchema, await readJson(ctx, file));
        saved.push({ ...a, signedAt: new Date(a.signedAt) });
      }
      const log = await ctx.io.auditLog();
      try {
        const r = await log.verify(saved);
        if (r.ok) ctx.io.out(`audit chain verified: ${r.records} records, last hash ${r.lastHash}`);
        else {
          ctx.io.err(`error: audit chain broken at record ${r.brokenSeq}: ${r.reason}`);
          throw new CliExit(EXIT_FAILED);
        }
      } finally {
        await log.close();
      }
    });
  audit
    .command('heads')
    .description('the signed heads of the customs audit log, one a day (UTC)')
    .action(async () => {
      const log = await ctx.io.auditLog();
      try {
        const anchors = await log.anchors();
        if (anchors.length === 0) ctx.io.out('no signed head yet');
        else
          ctx.io.out(
            table(
              ['day', 'record', 'hash', 'signed at', 'key'],
              anchors.map((a) => [a.day, String(a.seq), a.hash, a.signedAt.toISOString(), a.keyId]),
            ),
          );
      } finally {
        await log.close();
      }
    });
}
