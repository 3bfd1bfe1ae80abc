import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { NETWORK_FILES } from '../core/network/schema.ts';
import {
  applyChanges,
  scenarioFileSchema,
  scenarioSchema,
  type Scenario,
} from '../core/simulation/scenario.ts';

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

/** The scenarios shipped in data/scenarios, file name -> parsed and checked scenario. */
export async function readShippedScenarios(): Promise<Map<string, Scenario>> {
  const dir = join(DEFAULT_NETWORK_DIR, 'scenarios');
  const out = new Map<string, Scenario>();
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  const files = new Map<string, unknown>();
  for (const n of names) files.set(n, JSON.parse(await readFile(join(dir, n), 'utf8')));
  // Whole scenarios first, then those built on them.
  for (const [n, json] of files) {
    const whole = scenarioSchema.safeParse(json);
    if (whole.success) out.set(n, whole.data);
  }
  for (const [n, json] of files) {
    if (out.has(n)) continue;
    const f = scenarioFileSchema.safeParse(json);
    if (!f.success || !('base' in f.data)) throw new Error(`data/scenarios/${n}: not a scenario`);
    const base = out.get(f.data.base);
    const applied = base && applyChanges(base, f.data.name, f.data.changes);
    if (!applied?.ok) throw new Error(`data/scenarios/${n}: its base or changes do not fit`);
    out.set(n, applied.scenario);
  }
  return out;
}
