import type { Command } from 'commander';
import type { CommandContext } from './context.ts';

/**
 * Operators' commands on the platform database: apply the migrations on their own, and back up
 * or restore the embedded database (PostgreSQL has pg_dump and pg_restore; docs/operations.md).
 */
export function registerOperationsCommands(program: Command, ctx: CommandContext): void {
  program
    .command('migrate')
    .description(
      'apply the committed migrations to the database of DATABASE_URL or CORRIDOR_DATA_DIR, then stop',
    )
    .addHelpText(
      'after',
      '\nExample:\n  DATABASE_URL=postgres://corridor@db/corridor corridor migrate',
    )
    .action(async () => {
      const r = await ctx.io.database.migrate();
      ctx.io.out(`${r.kind}: ${r.migrations} migrations applied`);
    });

  program
    .command('backup')
    .argument('<file>', 'where to write the backup (.tar.gz)')
    .description('write a consistent copy of the embedded database (CORRIDOR_DATA_DIR) to FILE')
    .addHelpText(
      'after',
      '\nWhile a server runs on the directory, it makes the copy between transactions (through the\nsocket corridor.sock in the directory); it goes on serving. For PostgreSQL use pg_dump\n(docs/operations.md).\n\nExample:\n  corridor backup corridor-$(date +%F).tar.gz',
    )
    .action(async (file: string) => {
      const bytes = await ctx.io.database.backup(file);
      ctx.io.out(`backup written: ${file} (${bytes} bytes)`);
    });

  program
    .command('restore')
    .argument('<file>', 'a backup made by corridor backup')
    .option('--force', 'replace the database already in CORRIDOR_DATA_DIR')
    .description('put a backup into the embedded database directory (CORRIDOR_DATA_DIR)')
    .addHelpText('after', '\nExample:\n  corridor restore corridor-backup.tar.gz --force')
    .action(async (file: string, options: { force?: boolean }) => {
      const r = await ctx.io.database.restore(file, options.force === true);
      ctx.io.out(`restored ${file}: ${r.migrations} migrations applied`);
    });
}
