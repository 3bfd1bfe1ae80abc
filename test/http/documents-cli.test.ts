import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/manage-accounts.ts';
import { pdfSignatureChecker } from '../../src/store/pki/pdf-signature-check.ts';
import { pemVerifier, sha256Digest } from '../../src/store/document-verification.ts';
import { runCapturing } from '../support/cli.ts';
import { containerNumber } from '../support/containers.ts';
import { pdfPages } from '../support/pdf.ts';
import { organisationWithPeople, testServer, type TestServer } from '../support/server.ts';

/** `corridor docs ...` against a real server, with real files. */
let server: TestServer;
let url: string;
let dir: string;
let shipmentId: string;
const keys: Record<string, string> = {};

beforeAll(async () => {
  server = await testServer();
  url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  dir = await mkdtemp(join(tmpdir(), 'corridor-docs-'));
  const shipper = await organisationWithPeople(server, {
    name: 'Exporter',
    kind: 'shipper',
    country: 'CN',
  });
  keys.shipper = (
    await createApiKey(server.accounts, undefined, shipper.organisation.id, {
      name: 'cli',
      role: 'admin',
    })
  ).key;
  for (const [country, office, nodeId] of [
    ['CN', 'CNHRS001', 'CN_KHORGOS'],
    ['KZ', 'KZAAU001', 'KZ_AKTAU_PORT'],
    ['AZ', 'AZBAK001', 'AZ_BAKU_PORT_ALAT'],
  ] as const)
    await organisationWithPeople(server, {
      name: `${country} customs`,
      kind: 'customs',
      country,
      customsOffices: [{ code: office, name: office, nodeId }],
    });
  const headers = { authorization: `Bearer ${keys.shipper}` };
  const container = containerNumber('CSQU', 77);
  const shipment = await server.app.inject({
    method: 'POST',
    url: '/v1/shipments',
    headers,
    payload: {
      rides: [
        { tripId: 'SVC_XIAN_BAKU_BLOCK@2026-12-04T1200', from: 'CN_XIAN_ITL', to: 'KZ_AKTAU_PORT' },
        {
          tripId: 'SVC_FEEDER_AKTAU_ALAT@2026-12-14T1800',
          from: 'KZ_AKTAU_PORT',
          to: 'AZ_BAKU_PORT_ALAT',
        },
      ],
      containers: [{ equipmentReference: container }],
    },
  });
  expect(shipment.statusCode, shipment.body).toBe(201);
  shipmentId = shipment.json<{ id: string }>().id;
  const declared = await server.app.inject({
    method: 'POST',
    url: '/v1/customs/declarations',
    headers,
    payload: {
      lrn: 'DOCS-CLI-1',
      shipmentId,
      holder: { name: 'Exporter', identificationNumber: 'CN91610000X', country: 'CN' },
      guarantee: { reference: 'GRN1', amount: 50_000, currency: 'USD' },
      consignments: [
        {
          consignor: { name: '西安电子有限公司', country: 'CN' },
          consignee: { name: 'Бакинская торговая компания', country: 'AZ' },
          goodsItems: [
            {
              hsCode: '940360',
              description: 'Wooden furniture',
              packages: { count: 40, kind: 'PK' },
              grossMassKg: 9000,
              netMassKg: 8500,
              value: 60_000,
              currency: 'USD',
              countryOfOrigin: 'CN',
            },
          ],
        },
      ],
      containers: [{ equipmentReference: container, seals: ['CN123456'] }],
    },
  });
  expect(declared.statusCode, declared.body).toBe(201);
  await writeFile(
    join(dir, 'particulars.json'),
    JSON.stringify({ wagons: [{ number: '318064561000', containers: [container] }] }),
  );
  await writeFile(join(dir, 'bad-particulars.json'), JSON.stringify({ wagons: 'none' }));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const cli = (...argv: string[]) =>
  runCapturing(argv, {
    env: { CORRIDOR_API_KEY: keys.shipper, CORRIDOR_SERVER: url },
    http: (u, init) => fetch(u, init),
    readText: (path) => readFile(join(dir, path), 'utf8'),
    readBytes: async (path) => new Uint8Array(await readFile(join(dir, path))),
    writeBytes: (path, bytes) => writeFile(join(dir, path), bytes),
    documentVerifier: (pems) => {
      const v = pemVerifier(pems);
      return v.ok
        ? {
            ok: true,
            digest: sha256Digest,
            verifier: v.verifier,
            pdfSignatures: pdfSignatureChecker,
          }
        : v;
    },
  });

describe('corridor docs', () => {
  it('lists, issues, downloads and verifies offline and online', async () => {
    const listed = await cli('docs', 'list', shipmentId);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/rail_consignment_note\s+0\s+missing/);
    expect(listed.stdout).toMatch(/transit_accompanying_document\s+0\s+missing/);

    const issued = await cli(
      'docs',
      'issue',
      shipmentId,
      '--kind',
      'rail_consignment_note',
      '--particulars',
      'particulars.json',
    );
    expect(issued.code, issued.stderr).toBe(0);
    const [, number, id] = /^(RCN-\d{8}-[0-9A-Z]{8})\s+(doc_\w+)\s+version 1/.exec(issued.stdout)!;

    const got = await cli('docs', 'get', id!, '-o', 'note.pdf');
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toContain(number);
    const file = new Uint8Array(await readFile(join(dir, 'note.pdf')));
    const text = (await pdfPages(file)).join('\n');
    expect(text).toContain('西安电子有限公司');
    expect(text).toContain('Бакинская торговая компания');
    expect(text).toContain('318064561000');

    const keysOut = await cli('docs', 'keys');
    expect(keysOut.code).toBe(0);
    await writeFile(join(dir, 'keys.pem'), keysOut.stdout);
    const offline = await cli('docs', 'verify', 'note.pdf', '--key', 'keys.pem');
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stdout).toBe(`authentic and unchanged: ${id}`);

    const tampered = file.slice();
    const at = Math.floor(tampered.length / 3);
    tampered[at] = tampered[at]! ^ 0x04;
    await writeFile(join(dir, 'tampered.pdf'), tampered);
    const bad = await cli('docs', 'verify', 'tampered.pdf', '--key', 'keys.pem');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^NOT AUTHENTIC: the file has been changed since it was sealed/);

    // A byte added after the seal, or the seal's JSON re-spaced, is not the file sealed.
    const seal = new TextDecoder().decode(file.subarray(file.lastIndexOf(0x25))).trim();
    expect(seal).toMatch(/^%CORRIDOR-SEAL \{"v":2,/);
    const respaced = seal.replace('%CORRIDOR-SEAL ', '').replaceAll('":', '": ');
    const variants: Record<string, Uint8Array> = {
      'spaced.pdf': new Uint8Array([...file, 0x20]),
      'newline.pdf': new Uint8Array([...file, 0x0a]),
      'respaced.pdf': new Uint8Array([
        ...file.subarray(0, file.length - seal.length - 1),
        ...new TextEncoder().encode(`%CORRIDOR-SEAL ${respaced}\n`),
      ]),
    };
    for (const [name, bytes] of Object.entries(variants)) {
      await writeFile(join(dir, name), bytes);
      for (const keyArgs of [['--key', 'keys.pem'], []]) {
        const r = await cli('docs', 'verify', name, ...keyArgs);
        expect([name, r.code]).toEqual([name, 1]);
        expect(r.stdout).toMatch(/^NOT AUTHENTIC: /);
      }
    }

    const online = await cli('docs', 'verify', 'note.pdf');
    expect(online.code, online.stderr).toBe(0);
    const onlineBad = await cli('docs', 'verify', 'tampered.pdf');
    expect(onlineBad.code).toBe(1);

    const after = await cli('docs', 'list', shipmentId);
    expect(after.stdout).toMatch(new RegExp(`rail_consignment_note\\s+0\\s+issued\\s+${id} v1`));
  });

  it('answers bad usage with one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['docs', 'issue', shipmentId, '--kind', 'invoice'],
        /--kind <kind>' argument 'invoice' is invalid/,
      ],
      [['docs', 'issue', shipmentId, '--kind', 'cmr', '--section', 'x'], /--section/],
      [
        [
          'docs',
          'issue',
          shipmentId,
          '--kind',
          'rail_consignment_note',
          '--particulars',
          'bad-particulars.json',
        ],
        /^error: bad-particulars.json: wagons: /,
      ],
      [
        ['docs', 'issue', shipmentId, '--kind', 'cmr'],
        /this shipment's route needs no CMR consignment note/,
      ],
      [['docs', 'get', 'nope'], /^error: nope is not a document id/],
      [
        ['docs', 'verify', 'particulars.json', '--key', 'particulars.json'],
        /--key: particulars.json holds no public key/,
      ],
    ];
    for (const [argv, message] of cases) {
      const res = await cli(...argv);
      expect(res.code, argv.join(' ')).toBe(2);
      expect(res.stderr.split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(message);
    }
  });
});
