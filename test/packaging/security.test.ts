import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * SECURITY.md lists the attacks the tests replay, each with the tests that make its requests
 * (`file`: "test name", ...). Every test it names exists under that name in that file, so the
 * list cannot point at a test that was renamed or removed.
 */

const ROOT = join(import.meta.dirname, '../..');

/** The numbered items of the section, each as one line of text. */
function attacks(): string[] {
  const page = readFileSync(join(ROOT, 'SECURITY.md'), 'utf8');
  const section = page.split('## Attacks the tests replay')[1]?.split('\n## ')[0] ?? '';
  return section
    .split(/\n(?=\d+\. )/)
    .filter((item) => /^\d+\. /.test(item))
    .map((item) => item.replace(/\s+/g, ' ').trim());
}

/** The tests an item names: file and test name. */
function testsNamed(item: string): { file: string; name: string }[] {
  return [...item.matchAll(/`(test\/[^`]+?\.test\.ts)`: ((?:"[^"]+"(?:, )?)+)/g)].flatMap(
    ([, file, names]) =>
      [...names!.matchAll(/"([^"]+)"/g)].map(([, name]) => ({ file: file!, name: name! })),
  );
}

describe('SECURITY.md, the attacks the tests replay', () => {
  it('names tests for each of the eight attacks', () => {
    const items = attacks();
    expect(items.map((i) => i.split('.')[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    for (const item of items)
      expect({ item: item.slice(0, 60), tests: testsNamed(item).length > 0 }).toEqual({
        item: item.slice(0, 60),
        tests: true,
      });
  });

  it('names only tests that exist, in the files it gives', () => {
    const named = attacks().flatMap(testsNamed);
    expect(named.length).toBeGreaterThan(20);
    const missing = named.filter(({ file, name }) => {
      const path = join(ROOT, file);
      return !existsSync(path) || !readFileSync(path, 'utf8').includes(name);
    });
    expect(missing).toEqual([]);
  });
});
