import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { NETWORK_FILES } from '../core/network/schema.ts';

/** The data/ folder shipped with the package: the reference corridor. */
export const DEFAULT_NETWORK_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

/**
 * Reads the network data files of `dir` as text, file name -> contents. A file that does not
 * exist maps to undefined (loadNetwork reports it); any other read failure is thrown.
 */
export async function readNetworkFiles(dir: string): Promise<Record<string, string | undefined>> {
  const entries = await Promise.all(
    Object.keys(NETWORK_FILES).map(async (name) => {
      try {
        return [name, await readFile(join(dir, name), 'utf8')] as const;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [name, undefined] as const;
        throw e;
      }
    }),
  );
  return Object.fromEntries(entries);
}
