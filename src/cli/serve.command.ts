import { Option, type Command } from 'commander';
import { CliExit, EXIT_FAILED, parseIntIn, type CommandContext } from './context.ts';

export function registerServeCommand(program: Command, ctx: CommandContext): void {
  program
    .command('serve')
    .description('run the platform: HTTP API, OpenAPI at /openapi.json, Swagger UI at /docs')
    .addOption(
      new Option('--port <n>', 'port (default PORT or 8080)').argParser(parseIntIn(0, 65535)),
    )
    .option('--host <host>', 'address to listen on (default HOST or 127.0.0.1)')
    .option(
      '--demo',
      'create the demo organisations and users on first start and print their passwords once',
    )
    .option('--data <dir>', 'network data folder (default: the bundled data/)')
    .addOption(
      new Option(
        '--workers <n>',
        'server processes sharing the port, on one PostgreSQL (DATABASE_URL); default 1',
      ).argParser(parseIntIn(1, 64)),
    )
    .addHelpText(
      'after',
      '\nThe database is PGlite in CORRIDOR_DATA_DIR (default ./.corridor), or PostgreSQL when\nDATABASE_URL=postgres://... is set. Stops cleanly on SIGTERM or Ctrl-C.\n\nExamples:\n  corridor serve --demo\n  DATABASE_URL=postgres://postgres@127.0.0.1:5432/corridor corridor serve --port 8080 --host 0.0.0.0',
    )
    .action(
      async (opts: {
        port?: number;
        host?: string;
        demo?: boolean;
        data?: string;
        workers?: number;
      }) => {
        if ((opts.workers ?? 1) > 1 && ctx.io.isPrimary()) {
          if (!(await ctx.io.serveWorkers({ workers: opts.workers! })))
            throw new CliExit(EXIT_FAILED);
          return;
        }
        const server = await ctx.io.serve({
          port: opts.port,
          host: opts.host,
          demo: opts.demo ?? false,
          networkDir: opts.data,
        });
        if (!server) throw new CliExit(EXIT_FAILED);
        await ctx.io.shutdownSignal();
        ctx.io.err('stopping: finishing requests in flight, closing the database');
        await server.stop();
      },
    );
}
