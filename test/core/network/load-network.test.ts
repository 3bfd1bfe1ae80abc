import { describe, expect, it } from 'vitest';
import { formatNetworkError, loadNetwork } from '../../../src/core/network/load-network.ts';
import { corrupt, dataFiles } from '../../support/network-files.ts';

type Rec = Record<string, unknown>;
const files = dataFiles();

function errorsOf(input: Record<string, string | undefined>): string[] {
  const result = loadNetwork(input);
  return result.ok ? [] : result.errors.map(formatNetworkError);
}

/** Index of the record with `id` in a parsed data file. */
function indexOf(json: Record<string, unknown[]>, key: string, id: string): number {
  const i = (json[key] as Rec[]).findIndex((r) => r.id === id);
  if (i < 0) throw new Error(`${id} not in ${key}`);
  return i;
}

describe('loadNetwork on the reference corridor', () => {
  it('loads data/ without a single error', () => {
    expect(errorsOf(files)).toEqual([]);
  });

  it('covers the Middle Corridor and the corridors it is compared with', () => {
    const result = loadNetwork(files);
    if (!result.ok) throw new Error('invalid');
    const { nodes, services } = result.network;
    for (const id of [
      'CN_QINGDAO_PORT',
      'CN_SCODA_MTC',
      'CN_LIANYUNGANG',
      'CN_XIAN_ITL',
      'KZ_AKTAU_PORT',
      'KZ_KURYK_PORT',
      'TM_TURKMENBASHI_PORT',
      'AZ_BAKU_PORT_ALAT',
      'AZ_ALAT_FEZ',
      'AZ_BAKU',
      'GE_TBILISI',
      'GE_POTI_PORT',
      'GE_BATUMI_PORT',
      'GE_AKHALKALAKI',
      'TR_KARS',
      'TR_ISTANBUL',
      'DE_DUISBURG',
      'NL_ROTTERDAM',
    ])
      expect(nodes.has(id), id).toBe(true);
    expect(services.get('SVC_NORTHERN_XIAN_DUISBURG')?.stops.at(-1)?.nodeId).toBe('DE_DUISBURG');
    expect(services.get('SVC_SUEZ_QINGDAO_ROTTERDAM')?.mode).toBe('sea');
    expect(services.get('SVC_SOUTHERN_CN_KZ_TM_IR')?.stops.map((s) => s.nodeId)).toContain(
      'TM_ETREK',
    );
    expect(services.get('SVC_ASCO_RAIL_FERRY_AKTAU_ALAT')?.sailsWhenFull).toBe(true);
  });

  it('resolves the path of a service through its via nodes, with distance and times', () => {
    const result = loadNetwork(files);
    if (!result.ok) throw new Error('invalid');
    const xianBaku = result.network.services.get('SVC_XIAN_BAKU_BLOCK')!;
    const aktau = xianBaku.stops.find((s) => s.nodeId === 'KZ_AKTAU_PORT')!;
    expect(aktau.viaNodeIds).toEqual(['KZ_ALMATY', 'KZ_BEYNEU']);
    expect(aktau.distanceKm).toBe(355 + 2500 + 400);
    // The Caspian hop of a multimodal train runs on the rail ferry, not the feeder route.
    const alat = xianBaku.stops.find((s) => s.nodeId === 'AZ_BAKU_PORT_ALAT')!;
    expect(alat.links.map((l) => l.mode)).toEqual(['ferry']);
    // 11 days Xi'an-Baku (reference.md §3.2): the timetable lands within a day of it.
    expect(xianBaku.stops.at(-1)!.arrivalOffsetHours).toBeCloseTo(264, -1);
  });
});

describe('loadNetwork reports every problem in corrupted copies', () => {
  it('reports a link to an unknown node', () => {
    const bad = corrupt(files, 'links.json', (j) => {
      (j.links![2] as Rec).to = 'KZ_NOWHERE';
    });
    expect(errorsOf(bad)).toContain('links.json: links[2].to: unknown node "KZ_NOWHERE"');
  });

  it('reports a negative distance', () => {
    const bad = corrupt(files, 'links.json', (j) => {
      (j.links![5] as Rec).distanceKm = -12;
    });
    expect(errorsOf(bad)).toContain('links.json: links[5].distanceKm: distance must be positive');
  });

  it('reports a P90 below the P50', () => {
    const bad = corrupt(files, 'dwell.json', (j) => {
      Object.assign(j.dwellModels![0] as Rec, { p50Hours: 12, p90Hours: 3 });
    });
    expect(errorsOf(bad)).toContain(
      'dwell.json: dwellModels[0].p90Hours: P90 (3 h) is below P50 (12 h)',
    );
  });

  it('reports a service stop that no link reaches', () => {
    let i = 0;
    const bad = corrupt(files, 'services.json', (j) => {
      i = indexOf(j, 'services', 'SVC_FEEDER_AKTAU_ALAT');
      // Aktau to Tbilisi by sea: no such link.
      ((j.services![i] as Rec).stops as Rec[])[1]!.node = 'GE_TBILISI';
    });
    expect(errorsOf(bad)).toContain(
      `services.json: services[${i}].stops[1].node: GE_TBILISI is off the network for this service: no sea link from KZ_AKTAU_PORT`,
    );
  });

  it('reports a via node that breaks the path', () => {
    let i = 0;
    const bad = corrupt(files, 'services.json', (j) => {
      i = indexOf(j, 'services', 'SVC_XIAN_BAKU_BLOCK');
      ((j.services![i] as Rec).stops as Rec[])[3]!.via = ['KZ_ALMATY', 'GE_POTI_PORT'];
    });
    expect(errorsOf(bad)).toContain(
      `services.json: services[${i}].stops[3].via[1]: GE_POTI_PORT is off the network for this service: no rail/road/ferry/sea link from KZ_ALMATY`,
    );
  });

  it('reports a missing source and an estimate that does not say how', () => {
    const bad = corrupt(files, 'nodes.json', (j) => {
      delete (j.nodes![0] as Rec).source;
      (j.nodes![1] as Rec).source = 'estimate:';
    });
    const errors = errorsOf(bad);
    expect(errors).toContain(
      'nodes.json: nodes[0].source: source is required: a citation or "estimate: how"',
    );
    expect(errors).toContain(
      'nodes.json: nodes[1].source: an estimate must say how it was made: "estimate: <how>"',
    );
  });

  it('reports duplicate ids', () => {
    const bad = corrupt(files, 'services.json', (j) => {
      j.services!.push(structuredClone(j.services![0]));
    });
    const n = (JSON.parse(files['services.json']!) as { services: unknown[] }).services.length;
    expect(errorsOf(bad)).toContain(
      `services.json: services[${n}].id: duplicate id "SVC_QINGDAO_PORT_SCODA_SHUTTLE" (first at services[0])`,
    );
  });

  it('reports every problem at once, across files, not only the first', () => {
    let bad = corrupt(files, 'links.json', (j) => {
      (j.links![2] as Rec).to = 'KZ_NOWHERE';
      (j.links![5] as Rec).distanceKm = -1;
    });
    bad = corrupt(bad, 'dwell.json', (j) => {
      Object.assign(j.dwellModels![0] as Rec, { p50Hours: 12, p90Hours: 3 });
    });
    bad = corrupt(bad, 'nodes.json', (j) => {
      (j.nodes![3] as Rec).timeZone = 'Asia/Atlantis';
      (j.nodes![4] as Rec).country = 'XX';
      j.nodes!.push(structuredClone(j.nodes![0]));
    });
    const errors = errorsOf(bad);
    expect(errors.length).toBeGreaterThanOrEqual(6);
    expect(errors).toEqual(
      expect.arrayContaining([
        'links.json: links[2].to: unknown node "KZ_NOWHERE"',
        'links.json: links[5].distanceKm: distance must be positive',
        'dwell.json: dwellModels[0].p90Hours: P90 (3 h) is below P50 (12 h)',
        'nodes.json: nodes[3].timeZone: "Asia/Atlantis" is not an IANA time zone',
        'nodes.json: nodes[4].country: "XX" is not an ISO 3166-1 country',
      ]),
    );
    expect(errors.some((e) => e.startsWith('nodes.json: nodes[37].id: duplicate id'))).toBe(true);
  });

  it('reports an operation without a dwell model and an unknown emission factor', () => {
    let i = 0;
    const bad = corrupt(files, 'services.json', (j) => {
      i = indexOf(j, 'services', 'SVC_FEEDER_AKTAU_ALAT');
      const s = j.services![i] as Rec;
      ((s.stops as Rec[])[1] as Rec).operations = ['gauge_change'];
      s.emissionFactorId = 'sea_rowing_boat';
    });
    expect(errorsOf(bad)).toEqual(
      expect.arrayContaining([
        `services.json: services[${i}].stops[1].operations: no dwell model for gauge_change at AZ_BAKU_PORT_ALAT in dwell.json`,
        `services.json: services[${i}].emissionFactorId: unknown emission factor "sea_rowing_boat"`,
      ]),
    );
  });

  it('reports tariff sections off the route, a missing container line and an infrastructure charge above the rate', () => {
    let i = 0;
    const bad = corrupt(files, 'services.json', (j) => {
      i = indexOf(j, 'services', 'SVC_NORTHERN_XIAN_DUISBURG');
      const sections = ((j.services![i] as Rec).tariff as Rec).sections as Rec[];
      sections[1]!.from = 'AZ_BAKU';
      delete (sections[2]!.byContainerType as Rec)['22G1'];
      ((sections[0]!.byContainerType as Rec)['42G1'] as Rec).infrastructurePerKmUsd = 9;
    });
    expect(errorsOf(bad)).toEqual(
      expect.arrayContaining([
        `services.json: services[${i}].tariff.sections[1].from: AZ_BAKU is not a stop at or after the previous section's end`,
        `services.json: services[${i}].tariff.sections[2].byContainerType: no line for 22G1, which the service takes`,
        `services.json: services[${i}].tariff: 42G1 in section 0: the infrastructure charge per km is more than the whole rate per km`,
      ]),
    );
  });

  it('reports a rail link without a gauge and a UN/LOCODE of another country', () => {
    const bad = corrupt(files, 'links.json', (j) => {
      delete (j.links![0] as Rec).gaugeMm;
    });
    const worse = corrupt(bad, 'nodes.json', (j) => {
      (j.nodes![0] as Rec).unLocode = 'KZAAU';
    });
    expect(errorsOf(worse)).toEqual(
      expect.arrayContaining([
        'links.json: links[0]: a rail link has either gaugeMm or gaugeBreak',
        "nodes.json: nodes[0].unLocode: KZAAU is not in the node's country CN",
      ]),
    );
  });

  it('reports a missing file and a file that is not JSON', () => {
    const errors = errorsOf({ ...files, 'dwell.json': undefined, 'links.json': '{ "links": [' });
    expect(errors).toContain('dwell.json: $: file is missing');
    expect(errors.some((e) => e.startsWith('links.json: $: not valid JSON'))).toBe(true);
  });
});
