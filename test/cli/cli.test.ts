import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../support/clock.ts';
import { runCapturing } from '../support/cli.ts';
import { planResponseSchema } from '../../src/api/plan.ts';
import { corrupt, dataFiles } from '../support/network-files.ts';

const exec = promisify(execFile);

/** Runs the CLI in-process with real files and captures what it prints. */
const cli = (...argv: string[]) => runCapturing(argv);

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-net-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('corridor network validate', () => {
  it('exits 0 with a one-line summary on the bundled data', async () => {
    const r = await cli('network', 'validate');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^data\/: valid: 37 nodes, \d+ links, \d+ services, \d+ dwell models, \d+ emission factors$/,
    );
    expect(r.stderr).toBe('');
  });

  it('exits 1 and lists every error, one per line, for a corrupted copy', async () => {
    let files = corrupt(dataFiles(), 'links.json', (j) => {
      (j.links![0] as Record<string, unknown>).to = 'NOWHERE';
    });
    files = corrupt(files, 'dwell.json', (j) => {
      Object.assign(j.dwellModels![1] as object, { p50Hours: 9, p90Hours: 1 });
    });
    const dir = dirWith(files);
    const r = await cli('network', 'validate', dir);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toEqual(
      expect.arrayContaining([
        'links.json: links[0].to: unknown node "NOWHERE"',
        'dwell.json: dwellModels[1].p90Hours: P90 (1 h) is below P50 (9 h)',
      ]),
    );
    expect(r.stdout).toBe('');
  });

  it('exits 1 naming each missing file of an empty folder', async () => {
    const r = await cli('network', 'validate', dirWith({}));
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(5);
    expect(r.stderr).toContain('services.json: $: file is missing');
  });
});

describe('corridor network show', () => {
  it('prints readable tables of nodes, links and services', async () => {
    const r = await cli('network', 'show');
    expect(r.code).toBe(0);
    for (const heading of ['NODES', 'LINKS', 'SERVICES', 'DWELL MODELS', 'EMISSION FACTORS'])
      expect(r.stdout).toContain(`\n${heading}`);
    expect(r.stdout).toMatch(/KZ_AKTAU_PORT\s+seaport\s+KZ\s+KZAAU\s+Asia\/Aqtau/);
    expect(r.stdout).toContain('SVC_ASCO_RAIL_FERRY_AKTAU_ALAT  ferry (sails when full)');
  });

  it('prints JSON whose services name the links they run on', async () => {
    const r = await cli('network', 'show', '--json');
    const json = JSON.parse(r.stdout) as {
      nodes: unknown[];
      services: { id: string; stops: { links: string[] }[] }[];
    };
    expect(json.nodes).toHaveLength(37);
    const feeder = json.services.find((s) => s.id === 'SVC_FEEDER_AKTAU_ALAT')!;
    expect(feeder.stops[1]!.links).toEqual(['KZ_AKTAU_PORT--AZ_BAKU_PORT_ALAT--sea']);
  });
});

describe('corridor timetable', () => {
  it('prints departures with local stop times and capacity', async () => {
    const r = await cli(
      'timetable',
      '--from',
      '2026-12-01',
      '--days',
      '1',
      '--service',
      'SVC_XIAN_BAKU_BLOCK',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "SVC_XIAN_BAKU_BLOCK@2026-12-01T1200  Xi'an - Baku trans-Caspian block train  110 TEU",
    );
    expect(r.stdout).toMatch(/CN_XIAN_ITL\s+dep 2026-12-01 12:00 \+08:00/);
    expect(r.stdout).toMatch(/AZ_BAKU\s+arr 2026-12-12 \d\d:\d\d \+04:00/);
  });

  it('defaults to seven days from today', async () => {
    const r = await cli('timetable', '--json');
    const json = JSON.parse(r.stdout) as { from: string; days: number };
    // Today by the CLI's clock.
    expect([json.from, json.days]).toEqual([TEST_NOW.slice(0, 10), 7]);
  });

  it.each([
    [
      ['timetable', '--from', '2026-02-30'],
      /--from <date>.*'2026-02-30' is invalid\. expected a date YYYY-MM-DD/,
    ],
    [
      ['timetable', '--days', 'ten'],
      /--days <n>.*'ten' is invalid\. expected a whole number from 1 to 3660/,
    ],
    [['timetable', '--days', '0'], /expected a whole number from 1 to 3660/],
    [['timetable', '--frm', '2026-12-01'], /unknown option '--frm' \(Did you mean --from\?\)/],
    [['timetable', '--service', 'SVC_NOPE'], /--service: unknown service "SVC_NOPE"/],
    [['network', 'shw'], /unknown command 'shw'/],
  ])('exits 2 with one clear line for %j', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('has --help with an example on every command', async () => {
    for (const argv of [
      ['timetable'],
      ['network', 'validate'],
      ['network', 'show'],
      ['plan'],
      [],
    ]) {
      const r = await cli(...argv, '--help');
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout, argv.join(' ')).toMatch(/Examples?:\n\s+corridor /);
    }
  });
});

describe('corridor plan', () => {
  it('prints a readable table per itinerary', async () => {
    const r = await cli(
      'plan',
      '--from',
      'Qingdao',
      '--to',
      'Baku',
      '--depart',
      '2026-12-01',
      '--containers',
      '2x40HC',
      '--max',
      '3',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Qingdao (CN_QINGDAO_PORT) → Baku (AZ_BAKU): 2x40HC (47.8 t gross)');
    expect(r.stdout).toMatch(
      /^1\. MIDDLE {2}[\d.]+ days P50, [\d.]+ days P90 {2}· {2}US\$ [\d,]+/m,
    );
    expect(r.stdout).toMatch(
      /rail\s+CN_QINGDAO_PORT → CN_SCODA_MTC\s+SVC_QINGDAO_PORT_SCODA_SHUTTLE\s+2026-12-01 06:00 \+08:00/,
    );
    // The Aktau wait of December, the month the container reaches the port.
    expect(r.stdout).toMatch(/wait\s+KZ_AKTAU_PORT ferry waiting\s+P50 115 h\s+P90 188 h/);
    expect(r.stdout).toContain('documents: commercial invoice');
  });

  it('prints the JSON of the API with --json', async () => {
    const r = await cli(
      'plan',
      '--from',
      'Xian',
      '--to',
      'Poti',
      '--depart',
      '2026-12-01',
      '--json',
    );
    const json = planResponseSchema.parse(JSON.parse(r.stdout));
    expect(json.itineraries.length).toBeGreaterThan(0);
    expect(json.request.containers).toEqual([{ type: '40HC', count: 1, grossKg: 23900 }]);
  });

  it('compares corridors with --compare', async () => {
    const r = await cli(
      'plan',
      '--from',
      'Xian',
      '--to',
      'Istanbul',
      '--depart',
      '2026-12-01',
      '--compare',
      '--json',
    );
    const json = planResponseSchema.parse(JSON.parse(r.stdout));
    expect(json.itineraries.map((i) => i.corridor).sort()).toEqual(['middle', 'southern']);
  });

  it('exits 2 with one line naming the field for a bad request', async () => {
    const r = await cli('plan', '--from', 'Aktua', '--to', 'Baku', '--depart', '2026-12-01');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^error: --from: no place called "Aktua"; did you mean Aktau \(KZAAU\)/,
    );
    const cargo = await cli('plan', '--from', 'Xian', '--to', 'Baku', '--containers', '3xBOX');
    expect([cargo.code, cargo.stderr.split('\n').length]).toEqual([2, 1]);
    expect(cargo.stderr).toContain('--containers: unknown container type "BOX"');
  });

  it('exits 1 when nothing connects, still printing the JSON errors with --json', async () => {
    const r = await cli(
      'plan',
      '--from',
      'Urumqi',
      '--to',
      'Baku',
      '--depart',
      '2026-12-01',
      '--json',
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      itineraries: [],
      errors: [{ code: 'no_connection' }],
    });
  });

  it('requires --from and --to', async () => {
    const r = await cli('plan', '--to', 'Baku');
    expect([r.code, r.stderr]).toEqual([
      2,
      "error: required option '--from <place>' not specified",
    ]);
  });
});

describe('the corridor binary', () => {
  it('validates data/ through npx in a checkout', async () => {
    const { stdout } = await exec('npx', ['corridor', 'network', 'validate']);
    expect(stdout).toMatch(/^data\/: valid: /);
  });

  it('prints a full year of timetable as JSON', async () => {
    const { stdout } = await exec(
      'npx',
      ['corridor', 'timetable', '--from', '2026-12-01', '--days', '365', '--json'],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const json = JSON.parse(stdout) as {
      count: number;
      trips: { serviceDate: string; departure: string }[];
    };
    expect(json.trips).toHaveLength(json.count);
    expect(json.count).toBeGreaterThan(2000);
    const dates = json.trips.map((t) => t.serviceDate).sort();
    expect(dates[0]).toBe('2026-12-01');
    expect(dates.at(-1)).toBe('2027-11-30');
    expect(json.trips[0]!.departure).toMatch(/^2026-1\d-\d\dT\d\d:\d\d:00\.000Z$/);
  });

  it('exits 2 on a bad flag', async () => {
    const r = await exec('npx', ['corridor', 'timetable', '--days', '-3']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(r).toMatchObject({ code: 2 });
    expect((r as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
  });
});
