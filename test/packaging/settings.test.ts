import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseServerConfig } from '../../src/http/config.ts';

const ROOT = join(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The `NAME=value` lines of .env.example, commented out (`# NAME=...`) or not. */
function envExample(): { set: Map<string, string>; named: Set<string> } {
  const set = new Map<string, string>();
  const named = new Set<string>();
  for (const line of read('.env.example').split('\n')) {
    const m = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m) continue;
    named.add(m[2]!);
    if (!m[1]) set.set(m[2]!, m[3]!);
  }
  return { set, named };
}

describe('the settings a self-hosting operator reads', () => {
  it('.env.example names every server setting, and its values start the server', () => {
    const { set, named } = envExample();
    for (const name of [...Object.keys(DEFAULTS), 'DATABASE_URL', 'CORRIDOR_DATA_DIR'])
      expect(named, name).toContain(name);
    const parsed = parseServerConfig(Object.fromEntries(set), {});
    expect(parsed).toMatchObject({ ok: true });
    // The values it sets are the defaults: copying it changes nothing.
    const defaults = parseServerConfig({}, {});
    expect(parsed).toEqual(defaults);
  });

  it('docs/operations.md lists every server setting', () => {
    const table = read('docs/operations.md').split('## Settings')[1]!.split('\n## ')[0]!;
    for (const name of Object.keys(DEFAULTS)) expect(table, name).toContain(`\`${name}\``);
  });

  it('compose.yaml runs the platform on PostgreSQL with volumes and health checks', () => {
    const compose = parse(read('compose.yaml')) as {
      services: Record<string, { healthcheck?: unknown; environment?: Record<string, string> }>;
      volumes: Record<string, unknown>;
    };
    expect(Object.keys(compose.services).sort()).toEqual(['db', 'platform']);
    expect(compose.services.platform!.environment!.DATABASE_URL).toMatch(
      /^postgres:\/\/.*@db:5432\//,
    );
    for (const s of Object.values(compose.services)) expect(s.healthcheck).toBeDefined();
    expect(Object.keys(compose.volumes)).toContain('db-data');
  });

  it('the image serves what the package builds, with a health check on /readyz', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toContain('npm ci');
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/readyz/);
    expect(dockerfile).toContain('ENTRYPOINT ["node", "bin/corridor.js"]');
    expect(read('LICENSE')).toContain('Apache License');
    expect((JSON.parse(read('package.json')) as { license: string }).license).toBe('Apache-2.0');
  });
});
