import { Option, type Command } from 'commander';
import { particularsSchema } from '../api/documents.ts';
import { checkSealedFile } from '../app/documents.ts';
import { DOCUMENT_KINDS } from '../core/documents/route.ts';
import { call, serverOption, type ServerOptions } from './client.command.ts';
import { CliExit, EXIT_FAILED, parseIntIn, type CommandContext } from './context.ts';
import { table } from './format.ts';
import { check, readJson, readOrExit } from './input.ts';

interface DocumentJson {
  id: string;
  kind: string;
  section: number;
  version: number;
  number: string;
  title: string;
  contentHash: string;
  keyId: string;
  pdf: string;
  verify: string;
}

interface VerificationJson {
  documentId: string;
  authentic: boolean;
  unchanged: boolean | null;
  current: boolean;
  problems: string[];
  number: string | null;
  title: string | null;
}

function renderDocument(d: DocumentJson): string {
  return [
    `${d.number}  ${d.id}  version ${d.version}`,
    `  ${d.title}`,
    `  content SHA-256 ${d.contentHash}, signed with key ${d.keyId}`,
    `  verify: ${d.verify}`,
  ].join('\n');
}

/** Public keys from a file: PEM blocks, or the JSON of GET /v1/documents/keys. */
function pemsOf(text: string): string[] {
  try {
    const json = JSON.parse(text) as { keys?: { publicKeyPem?: unknown }[] };
    if (Array.isArray(json.keys))
      return json.keys.map((k) => k.publicKeyPem).filter((p): p is string => typeof p === 'string');
  } catch {
    // Not JSON: PEM text.
  }
  return text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
}

export function registerDocumentCommands(program: Command, ctx: CommandContext): void {
  const docs = program
    .command('docs')
    .description('transport and customs documents: list, issue, download, verify');

  docs
    .command('list')
    .description("the documents a shipment's route needs: issued, missing, not ready")
    .argument('<shipment>', 'shipment id (shp_...)')
    .addOption(serverOption())
    .option('--json', 'print the JSON of the API')
    .action(async (shipment: string, opts: ServerOptions) => {
      const res = (await call(
        ctx,
        opts,
        'GET',
        `/v1/shipments/${encodeURIComponent(shipment)}/documents`,
      )) as {
        documents: {
          kind: string;
          section: number;
          title: string;
          status: string;
          reason: string | null;
          document: DocumentJson | null;
        }[];
        others: { name: string; status: string }[];
      };
      if (opts.json) {
        ctx.io.out(JSON.stringify(res, null, 2));
        return;
      }
      ctx.io.out(
        table(
          ['kind', 'section', 'status', 'document', 'title / why not'],
          res.documents.map((d) => [
            d.kind,
            String(d.section),
            d.status,
            d.document ? `${d.document.id} v${d.document.version}` : '-',
            d.reason ? `${d.title}: ${d.reason}` : d.title,
          ]),
        ),
      );
      if (res.others.length > 0) {
        ctx.io.out('');
        ctx.io.out(
          table(
            ['other document', 'status'],
            res.others.map((o) => [o.name, o.status]),
          ),
        );
      }
    });

  docs
    .command('issue')
    .description("issue a shipment's document from its data: signed, sealed, numbered")
    .argument('<shipment>', 'shipment id (shp_...)')
    .addOption(
      new Option('--kind <kind>', 'which document').choices(DOCUMENT_KINDS).makeOptionMandatory(),
    )
    .option('--section <n>', 'which section of the route (see docs list)', parseIntIn(0, 19))
    .option(
      '--particulars <file>',
      'JSON with what only the consignor can say (wagons, seals, declarations, payers; see POST /v1/shipments/{id}/documents)',
    )
    .addOption(serverOption())
    .option('--json', 'print the JSON of the API')
    .addHelpText(
      'after',
      '\nExample:\n  corridor docs issue shp_123 --kind rail_consignment_note --particulars wagons.json',
    )
    .action(
      async (
        shipment: string,
        opts: ServerOptions & { kind: string; section?: number; particulars?: string },
      ) => {
        const particulars =
          opts.particulars === undefined
            ? undefined
            : check(
                ctx,
                opts.particulars,
                particularsSchema,
                await readJson(ctx, opts.particulars),
              );
        const d = (await call(
          ctx,
          opts,
          'POST',
          `/v1/shipments/${encodeURIComponent(shipment)}/documents`,
          {
            kind: opts.kind,
            ...(opts.section !== undefined ? { section: opts.section } : {}),
            ...(particulars ? { particulars } : {}),
          },
        )) as DocumentJson;
        ctx.io.out(opts.json ? JSON.stringify(d, null, 2) : renderDocument(d));
      },
    );

  docs
    .command('get')
    .description('download a document as its sealed PDF')
    .argument('<document>', 'document id (doc_...)')
    .option('-o, --out <file>', 'where to write it (default: its number.pdf)')
    .addOption(serverOption())
    .addHelpText('after', '\nExample:\n  corridor docs get doc_123 -o note.pdf')
    .action(async (id: string, opts: ServerOptions & { out?: string }) => {
      if (!/^doc_[A-Za-z0-9]{1,40}$/.test(id)) ctx.usage(`${id} is not a document id (doc_...)`);
      const d = (await call(ctx, opts, 'GET', `/v1/documents/${id}`)) as DocumentJson;
      const bytes = await download(ctx, opts, d.pdf);
      const file = opts.out ?? `${d.number}.pdf`;
      try {
        await ctx.io.writeBytes(file, bytes);
      } catch (e) {
        ctx.io.err(`error: cannot write ${file}: ${(e as Error).message}`);
        throw new CliExit(EXIT_FAILED);
      }
      ctx.io.out(`${file}  ${d.number}  ${bytes.length} bytes`);
    });

  docs
    .command('keys')
    .description("the platform's public signing keys (PEM), to verify documents offline")
    .addOption(serverOption())
    .addHelpText('after', '\nExample:\n  corridor docs keys > corridor-keys.pem')
    .action(async (opts: ServerOptions) => {
      const res = (await call(ctx, opts, 'GET', '/v1/documents/keys')) as {
        keys: { publicKeyPem: string }[];
      };
      ctx.io.out(res.keys.map((k) => k.publicKeyPem.trim()).join('\n'));
    });

  docs
    .command('verify')
    .description(
      'check a document file: sealed by the platform and unchanged; offline with --key, else by the platform',
    )
    .argument('<file>', 'the PDF')
    .option('--key <file>', 'public keys: PEM, or the JSON of GET /v1/documents/keys (offline)')
    .addOption(serverOption())
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExit status 0 when authentic and unchanged, 1 when not.\n\nExamples:\n  corridor docs verify note.pdf --key corridor-keys.pem\n  corridor docs verify note.pdf --server https://corridor.example.org',
    )
    .action(async (file: string, opts: ServerOptions & { key?: string }) => {
      const bytes = await readOrExit(ctx, file, ctx.io.readBytes);
      let result: {
        authentic: boolean;
        unchanged: boolean | null;
        problems: string[];
        documentId: string;
      };
      if (opts.key !== undefined) {
        const text = await readOrExit(ctx, opts.key, ctx.io.readText);
        const pems = pemsOf(text);
        if (pems.length === 0) ctx.usage(`--key: ${opts.key} holds no public key`);
        const verifier = ctx.io.documentVerifier(pems);
        if (!verifier.ok) ctx.usage(`--key: ${opts.key}: ${verifier.problem}`);
        const check = await checkSealedFile(verifier, bytes);
        result = {
          authentic: check.authentic && check.unchanged,
          unchanged: check.unchanged,
          problems: check.problems,
          documentId: check.seal?.id ?? '',
        };
      } else {
        const v = await verifyOnline(ctx, opts, bytes);
        result = v;
      }
      if (opts.json) ctx.io.out(JSON.stringify(result, null, 2));
      else if (result.authentic && result.unchanged)
        ctx.io.out(`authentic and unchanged: ${result.documentId}`);
      else ctx.io.out(`NOT AUTHENTIC: ${result.problems.join('; ')}`);
      if (!(result.authentic && result.unchanged)) throw new CliExit(EXIT_FAILED);
    });
}

function baseOf(ctx: CommandContext, opts: ServerOptions): string {
  return (opts.server ?? ctx.io.env.CORRIDOR_SERVER ?? 'http://localhost:8080').replace(/\/$/, '');
}

async function download(
  ctx: CommandContext,
  opts: ServerOptions,
  path: string,
): Promise<Uint8Array> {
  const key = ctx.io.env.CORRIDOR_API_KEY;
  const res = await ctx.io
    .http(`${baseOf(ctx, opts)}${path}`, {
      headers: key ? { authorization: `Bearer ${key}` } : {},
    })
    .catch((e: unknown) => {
      ctx.io.err(`error: cannot reach ${baseOf(ctx, opts)}: ${(e as Error).message}`);
      throw new CliExit(EXIT_FAILED);
    });
  if (!res.ok) {
    ctx.io.err(`error: ${res.status} ${res.statusText}`);
    throw new CliExit(EXIT_FAILED);
  }
  return new Uint8Array(await res.arrayBuffer());
}

async function verifyOnline(
  ctx: CommandContext,
  opts: ServerOptions,
  bytes: Uint8Array,
): Promise<VerificationJson> {
  const res = await ctx.io
    .http(`${baseOf(ctx, opts)}/v1/documents/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: bytes,
    })
    .catch((e: unknown) => {
      ctx.io.err(`error: cannot reach ${baseOf(ctx, opts)}: ${(e as Error).message}`);
      throw new CliExit(EXIT_FAILED);
    });
  const json = (await res.json().catch(() => undefined)) as
    (VerificationJson & { detail?: string }) | undefined;
  if (!res.ok || !json) {
    ctx.io.err(`error: ${json?.detail ?? `${res.status} ${res.statusText}`}`);
    throw new CliExit(EXIT_FAILED);
  }
  return json;
}
