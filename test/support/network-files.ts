import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNetwork } from '../../src/core/network/load-network.ts';
import type { Network } from '../../src/core/network/network.ts';

export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

const FILE_NAMES = [
  'nodes.json',
  'links.json',
  'services.json',
  'dwell.json',
  'emission-factors.json',
  'border-capacity.json',
] as const;

/** The shipped data files, name -> text. */
export function dataFiles(): Record<string, string> {
  return Object.fromEntries(FILE_NAMES.map((f) => [f, readFileSync(join(DATA_DIR, f), 'utf8')]));
}

/** The shipped network; throws when it does not load. */
export function referenceNetwork(): Network {
  const result = loadNetwork(dataFiles());
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.network;
}

type Json = Record<string, unknown[]>;

/** A copy of the data files with `mutate` applied to the parsed JSON of one file. */
export function corrupt(
  files: Record<string, string>,
  file: (typeof FILE_NAMES)[number],
  mutate: (json: Json) => void,
): Record<string, string> {
  const json = JSON.parse(files[file]!) as Json;
  mutate(json);
  return { ...files, [file]: JSON.stringify(json) };
}
