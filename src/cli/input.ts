import { CliExit, EXIT_FAILED, type CommandContext } from './context.ts';

/** Reads a file with `read`; when it cannot, one line and exit 1. */
export async function readOrExit<T>(
  ctx: CommandContext,
  file: string,
  read: (path: string) => Promise<T>,
): Promise<T> {
  try {
    return await read(file);
  } catch (e) {
    ctx.io.err(`error: cannot read ${file}: ${(e as Error).message}`);
    throw new CliExit(EXIT_FAILED);
  }
}

/** Reads and parses a JSON file; a problem is one line and exit 2 (unreadable: exit 1). */
export async function readJson(ctx: CommandContext, file: string): Promise<unknown> {
  const text = await readOrExit(ctx, file, ctx.io.readText);
  try {
    return JSON.parse(text);
  } catch {
    return ctx.usage(`${file}: not JSON`);
  }
}

/** Checks a value against a schema; the first problem is one line naming the field, exit 2. */
export function check<T>(
  ctx: CommandContext,
  file: string,
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  return ctx.usage(`${file}: ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
}
