import type { CorridorNode, Network } from './network.ts';

/** A node offered when a place is not found. */
export interface PlaceSuggestion {
  nodeId: string;
  /** A short name: the node's first alias, else its name. */
  label: string;
  unLocode: string | null;
}

export type ResolvePlaceResult =
  { ok: true; node: CorridorNode } | { ok: false; suggestions: PlaceSuggestion[] };

/**
 * Finds a node by id, UN/LOCODE, name or alias: case-insensitive, accent-insensitive, ignoring
 * punctuation ("Xian" finds Xi'an, "baku port" the port at Alat, "AZBAK" and "Alat" too). Tries
 * in order: id, primary UN/LOCODE, other UN/LOCODEs, a whole alias or name, then every word of
 * the query starting a word of an alias or name; the first step with a hit wins, and within a step
 * the node listed first in the data. Nothing found: up to three suggestions of similar spelling.
 */
export function resolvePlace(network: Network, query: string): ResolvePlaceResult {
  const index = placeIndex(network);
  const q = normalize(query);
  if (q === '') return { ok: false, suggestions: [] };
  const upper = query.trim().toUpperCase();
  const steps: ((e: IndexEntry) => boolean)[] = [
    (e) => e.node.id === upper,
    (e) => e.node.unLocode === upper,
    (e) => e.node.altUnLocodes.includes(upper),
    (e) => e.names.includes(q),
    (e) => {
      const words = q.split(' ');
      return e.wordLists.some((list) => words.every((w) => list.some((x) => x.startsWith(w))));
    },
  ];
  for (const step of steps) {
    const hit = index.find(step);
    if (hit) return { ok: true, node: hit.node };
  }
  return { ok: false, suggestions: suggest(index, q) };
}

/** Label used when a node is shown to people: its first alias or its name. */
export function placeLabel(node: CorridorNode): string {
  return node.aliases[0] ?? node.name;
}

interface IndexEntry {
  node: CorridorNode;
  /** Normalised name and aliases. */
  names: string[];
  wordLists: string[][];
}

const indexes = new WeakMap<Network, IndexEntry[]>();

function placeIndex(network: Network): IndexEntry[] {
  let index = indexes.get(network);
  if (!index) {
    index = [...network.nodes.values()].map((node) => {
      const names = [node.name, ...node.aliases].map(normalize);
      return { node, names, wordLists: names.map((n) => n.split(' ')) };
    });
    indexes.set(network, index);
  }
  return index;
}

/** Letters that do not decompose into a base letter and an accent. */
const FOLD: Record<string, string> = {
  ł: 'l',
  ə: 'e',
  ı: 'i',
  ß: 'ss',
  ø: 'o',
  đ: 'd',
  æ: 'ae',
  œ: 'oe',
};

/** Lower case, accents and apostrophes removed, other punctuation to spaces, spaces collapsed. */
export function normalize(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[łəıßøđæœ]/g, (c) => FOLD[c] ?? c)
    .replace(/['’`ʼ]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function suggest(index: readonly IndexEntry[], q: string): PlaceSuggestion[] {
  const scored = index
    .map((e) => {
      const candidates = [...e.names, ...e.wordLists.flat()];
      const best = Math.min(
        ...candidates.map((c) => distance(q, c) / Math.max(q.length, c.length)),
      );
      return { e, best };
    })
    .filter((x) => x.best <= 0.45)
    .sort((a, b) => a.best - b.best);
  return scored.slice(0, 3).map(({ e }) => ({
    nodeId: e.node.id,
    label: placeLabel(e.node),
    unLocode: e.node.unLocode,
  }));
}

/** Levenshtein distance (insert, delete, substitute). */
function distance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        prev[j]! + 1,
        cur[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length]!;
}
