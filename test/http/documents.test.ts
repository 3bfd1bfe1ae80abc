import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSealedFile } from '../../src/app/documents.ts';
import { createApiKey } from '../../src/app/manage-accounts.ts';
import { pemVerifier, sha256Digest } from '../../src/store/document-verification.ts';
import { pdfSignatureChecker } from '../../src/store/pki/pdf-signature-check.ts';
import { containerNumber } from '../support/containers.ts';
import { hasPdfsig, pdfsig } from '../support/pdfsig.ts';
import { pdfPages } from '../support/pdf.ts';
import { pkcs12Of } from '../support/pkcs12.ts';
import {
  apiKeyCaller,
  manualClock,
  organisationWithPeople,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';

/**
 * Transport and customs documents over HTTP, on PGlite and on PostgreSQL: issued from the
 * shipment's data, read back from the PDF as text, verified online and offline, refused to
 * those who may not see the data they come from.
 */
const clock = manualClock(new Date('2026-11-30T08:00:00Z'));
let server: TestServer;
let shipper: Caller;
let otherShipper: Caller;
let ktz: Caller;
let customsKz: Caller;
let customsGe: Caller;
let serial = 500;

/** Xi'an → Aktau by rail, the feeder to Alat, then by road into the Alat free zone. */
let fezRides: { tripId: string; from: string; to: string }[] = [];
let fezPlan: { planId: string; itineraryId: string } | undefined;

const call = (method: 'GET' | 'POST', url: string, who: Caller | null, payload?: unknown) =>
  server.app.inject({
    method,
    url,
    headers: who?.headers ?? {},
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });

interface DocumentJson {
  id: string;
  kind: string;
  section: number;
  version: number;
  number: string;
  title: string;
  contentHash: string;
  fileSha256: string;
  keyId: string;
  supersededAt: string | null;
  pdf: string;
  verify: string;
}
interface ListJson {
  documents: {
    kind: string;
    section: number;
    title: string;
    status: string;
    reason: string | null;
    document: DocumentJson | null;
  }[];
  others: { name: string; status: string }[];
  missing: string[];
}

beforeAll(async () => {
  server = await testServer(undefined, clock);
  shipper = await apiKeyCaller(server, {
    name: 'Qingdao Exporter',
    kind: 'shipper',
    country: 'CN',
  });
  otherShipper = await apiKeyCaller(server, { name: 'Other', kind: 'shipper', country: 'CN' });
  const plan = await call('POST', '/v1/plans', null, {
    from: 'CN_XIAN_ITL',
    to: 'AZ_ALAT_FEZ',
    depart: '2026-12-02',
    containers: '2x40HC:20000',
  });
  expect(plan.statusCode, plan.body).toBe(200);
  const it = plan.json<{
    planId: string;
    itineraries: {
      id: string;
      legs: { kind: string; tripId: string; from: string; to: string; mode: string }[];
    }[];
  }>();
  const ridesOf = (x: (typeof it.itineraries)[number]) => x.legs.filter((l) => l.kind === 'ride');
  const chosen = it.itineraries.find(
    (x) => ridesOf(x).at(-1)!.mode === 'road' && ridesOf(x).some((l) => l.mode === 'rail'),
  )!;
  expect(chosen, 'an itinerary by rail, water and road').toBeDefined();
  fezRides = ridesOf(chosen).map((r) => ({ tripId: r.tripId, from: r.from, to: r.to }));
  fezPlan = { planId: it.planId, itineraryId: chosen.id };
  // Carriers of every ride confirm at once, so that bookings are confirmed.
  for (const r of fezRides) {
    const serviceId = r.tripId.split('@')[0]!;
    const org = await organisationWithPeople(server, {
      name: `Carrier ${serviceId}`,
      kind: 'carrier',
      country: 'KZ',
      services: [serviceId],
    });
    await server.accounts.stores.organisations.setAutoConfirm(org.organisation.id, true);
    if (r === fezRides[0]) {
      const { key } = await createApiKey(server.accounts, undefined, org.organisation.id, {
        name: 'k',
        role: 'admin',
      });
      ktz = {
        label: 'rail carrier',
        organisation: org.organisation,
        role: 'admin',
        headers: { authorization: `Bearer ${key}` },
      };
    }
  }
  const offices: Record<string, { code: string; name: string; nodeId: string }[]> = {
    CN: [{ code: 'CNHRS001', name: 'Khorgos customs', nodeId: 'CN_KHORGOS' }],
    KZ: [{ code: 'KZAAU001', name: 'Aktau port customs', nodeId: 'KZ_AKTAU_PORT' }],
    AZ: [{ code: 'AZBAK001', name: 'Alat port customs', nodeId: 'AZ_BAKU_PORT_ALAT' }],
    GE: [{ code: 'GEPTI001', name: 'Poti port customs', nodeId: 'GE_POTI_PORT' }],
  };
  for (const [country, customsOffices] of Object.entries(offices)) {
    const org = await organisationWithPeople(server, {
      name: `${country} customs`,
      kind: 'customs',
      country,
      customsOffices,
    });
    const { key } = await createApiKey(server.accounts, undefined, org.organisation.id, {
      name: 'officer',
      role: 'officer',
    });
    const caller = {
      label: `${country} customs`,
      organisation: org.organisation,
      role: 'officer' as const,
      headers: { authorization: `Bearer ${key}` },
    };
    if (country === 'KZ') customsKz = caller;
    if (country === 'GE') customsGe = caller;
  }
});
afterAll(() => server.close());

async function bookedShipment() {
  const booking = await call('POST', '/v1/bookings', shipper, { ...fezPlan });
  expect(booking.statusCode, booking.body).toBe(201);
  expect(booking.json<{ state: string }>().state).toBe('CONFIRMED');
  const containers = [containerNumber('MSKU', serial++), containerNumber('MSKU', serial++)];
  const res = await call('POST', '/v1/shipments', shipper, {
    bookingId: booking.json<{ id: string }>().id,
    containers: containers.map((equipmentReference) => ({
      equipmentReference,
      ISOEquipmentCode: '45G1',
    })),
    reference: 'PO-2026-118',
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json<{ id: string }>().id, containers };
}

const declaration = (shipmentId: string, lrn: string, containers: string[]) => ({
  lrn,
  shipmentId,
  holder: { name: 'Qingdao Exporter', identificationNumber: 'CN91370200X', country: 'CN' },
  guarantee: { reference: 'GRN2026000777', amount: 150_000, currency: 'USD' },
  consignments: [
    {
      consignor: {
        name: '青岛胶州多式联运有限公司',
        country: 'CN',
        identificationNumber: 'CN9137',
      },
      consignee: { name: 'Ələt Ticarət MMC', country: 'AZ' },
      goodsItems: [
        {
          hsCode: '851712',
          description: 'Mobile phones / 手机',
          packages: { count: 400, kind: 'CT' },
          grossMassKg: 4200,
          netMassKg: 4000,
          value: 800_000,
          currency: 'USD',
          countryOfOrigin: 'CN',
        },
      ],
    },
  ],
  containers: containers.map((equipmentReference, i) => ({
    equipmentReference,
    seals: [`CN${700000 + i}`],
  })),
  documents: [{ type: 'commercial invoice', reference: 'INV-2026-0042' }],
});

async function lodge(shipmentId: string, containers: string[]) {
  const res = await call(
    'POST',
    '/v1/customs/declarations',
    shipper,
    declaration(shipmentId, `DOC-${serial++}`, containers),
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ mrn: string }>();
}

async function list(shipmentId: string, who = shipper) {
  const res = await call('GET', `/v1/shipments/${shipmentId}/documents`, who);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<ListJson>();
}

async function issue(shipmentId: string, body: object, expected = 201) {
  const res = await call('POST', `/v1/shipments/${shipmentId}/documents`, shipper, body);
  expect(res.statusCode, res.body).toBe(expected);
  return res.json<DocumentJson>();
}

async function pdfOf(doc: DocumentJson, who = shipper) {
  const res = await call('GET', doc.pdf, who);
  expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  return new Uint8Array(res.rawPayload);
}

/** Rail note particulars with text in the scripts of the route. */
const railParticulars = (containers: string[]) => ({
  wagons: [{ number: '318064561000', containers }],
  consignorDeclarations: [
    'Груз погружен отправителем. 货物由发货人装载。',
    'Жүкті жөнелтуші тиеді. Yük göndərən tərəfindən yüklənib. ტვირთი დატვირთულია გამგზავნის მიერ.',
  ],
  charges: [{ payer: 'Qingdao Exporter', payerCode: '12345678' }],
});

describe('the documents a route needs', () => {
  it('lists a rail note, a CMR for the road leg, the TAD once declared and the booking confirmation', async () => {
    const { id, containers } = await bookedShipment();
    const before = await list(id);
    expect(before.documents.map((d) => [d.kind, d.section, d.status])).toEqual([
      ['booking_confirmation', 0, 'missing'],
      ['rail_consignment_note', 0, 'missing'],
      ['cmr', 1, 'missing'],
      ['transit_accompanying_document', 0, 'not_ready'],
    ]);
    expect(before.documents[1]!.title).toMatch(/^SMGS consignment note, /);
    expect(before.documents[2]!.title).toMatch(/^CMR consignment note, .*→ Alat/);
    expect(before.others.map((o) => o.name)).toContain('commercial invoice');
    expect(before.others.find((o) => o.name === 'commercial invoice')!.status).toBe('missing');

    await lodge(id, containers);
    const after = await list(id);
    expect(after.documents.map((d) => d.status)).toEqual([
      'missing',
      'missing',
      'missing',
      'missing',
    ]);
    expect(after.others.find((o) => o.name === 'commercial invoice')!.status).toBe('provided');

    await issue(id, { kind: 'booking_confirmation' });
    await issue(id, { kind: 'cmr' });
    const later = await list(id);
    expect(later.documents.map((d) => d.status)).toEqual([
      'issued',
      'missing',
      'issued',
      'missing',
    ]);
    expect(later.missing).toContain(later.documents[1]!.title);
  });

  it('refuses a document the route does not need, naming the field', async () => {
    const { id } = await bookedShipment();
    const res = await call('POST', `/v1/shipments/${id}/documents`, shipper, {
      kind: 'cmr',
      section: 0,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ errors: [{ path: 'body.section' }] });
    const tad = await call('POST', `/v1/shipments/${id}/documents`, shipper, {
      kind: 'transit_accompanying_document',
    });
    expect(tad.statusCode).toBe(409);
    expect(tad.json<{ detail: string }>().detail).toMatch(/no customs declaration/);
  });

  it('needs the consignor, consignee and goods when no declaration gives them', async () => {
    const { id } = await bookedShipment();
    const res = await call('POST', `/v1/shipments/${id}/documents`, shipper, {
      kind: 'rail_consignment_note',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual([
      'body.particulars.consignor',
      'body.particulars.consignee',
      'body.particulars.goods',
    ]);
  });

  it('checks wagon numbers and containers', async () => {
    const { id, containers } = await bookedShipment();
    await lodge(id, containers);
    const res = await call('POST', `/v1/shipments/${id}/documents`, shipper, {
      kind: 'rail_consignment_note',
      particulars: {
        wagons: [
          { number: '318064561007', containers: [containers[0]] },
          { number: '31806456', containers: ['MSKU9999997'] },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { path: string; message: string }[] }>().errors).toEqual([
      { path: 'body.particulars.wagons.0.number', message: 'check digit 7 is wrong: 0 expected' },
      { path: 'body.particulars.wagons.1.number', message: 'check digit 6 is wrong: 8 expected' },
      {
        path: 'body.particulars.wagons.1.containers.0',
        message: 'MSKU9999997 is not a container of this shipment',
      },
    ]);
  });
});

describe('the generated PDFs', () => {
  let shipmentId: string;
  let containers: string[];
  let mrn: string;
  let note: DocumentJson;
  let notePages: string[];

  beforeAll(async () => {
    ({ id: shipmentId, containers } = await bookedShipment());
    ({ mrn } = await lodge(shipmentId, containers));
    note = await issue(shipmentId, {
      kind: 'rail_consignment_note',
      particulars: railParticulars(containers),
    });
    notePages = await pdfPages(await pdfOf(note));
  });

  it('prints the SMGS note on two A4 pages with its fields, in Cyrillic, Chinese, Kazakh, Azerbaijani and Georgian', async () => {
    expect(notePages).toHaveLength(2);
    const [one, two] = notePages as [string, string];
    expect(one).toContain('SMGS consignment note');
    expect(one).toContain('Накладная СМГС');
    expect(one).toContain('Отправитель');
    // The SMGS blanks' labels in Chinese beside the Russian.
    expect(one).toContain('国际货协运单');
    expect(one).toContain('发货人');
    expect(one).toContain('国境口岸站');
    expect(one).toContain('青岛胶州多式联运有限公司');
    expect(one).toContain('Ələt Ticarət MMC');
    expect(one).toMatch(/Xi'an International Port Station/);
    expect(one).toContain('CNXIA');
    expect(one).toContain('Пограничные станции переходов');
    expect(one).toContain('851712');
    expect(one).toContain('Mobile phones / 手机');
    expect(one).toContain('货物由发货人装载。');
    expect(one).toContain('Жүкті жөнелтуші тиеді.');
    expect(one).toContain('Yük göndərən tərəfindən yüklənib.');
    expect(one).toContain('ტვირთი დატვირთულია');
    expect(one).toContain(note.number);
    expect(two).toContain('Ведомость вагонов и контейнеров');
    expect(two).toContain('车辆和集装箱清单');
    expect(two).toContain('318064561000');
    for (const c of containers) expect(two).toContain(c);
    expect(two).toContain('CN700000');
    expect(two).toContain(mrn);
    expect(two).toContain('12345678');
    // The seal's particulars on every page.
    for (const page of notePages) {
      expect(page).toContain(note.contentHash);
      expect(page).toContain(`https://corridor.test/v1/documents/${note.id}/verify`);
    }
  });

  it('prints the transit accompanying document with the MRN, the offices and the guarantee', async () => {
    const tad = await issue(shipmentId, { kind: 'transit_accompanying_document' });
    const text = (await pdfPages(await pdfOf(tad))).join('\n');
    expect(text).toContain('Транзитный сопроводительный документ');
    expect(text).toContain(mrn);
    expect(text).toContain('GRN2026000777');
    expect(text).toContain('150000 USD');
    expect(text).toContain('KZAAU001');
    expect(text).toContain('eaeu_transit');
  });

  it('prints the CMR with the convention statement and the booking confirmation with times, price and CO2e', async () => {
    const cmr = (await pdfPages(await pdfOf(await issue(shipmentId, { kind: 'cmr' })))).join('\n');
    expect(cmr).toContain('CMR consignment note');
    expect(cmr).toContain('КДПГ');
    expect(cmr).toMatch(/Alat/);
    const booking = await call('GET', `/v1/shipments/${shipmentId}`, shipper);
    const bookingId = booking.json<{ bookingId: string }>().bookingId;
    const promise = (await call('GET', `/v1/bookings/${bookingId}`, shipper)).json<{
      promise: { arrivalP50: string; arrivalP90: string; costUsd: number };
    }>().promise;
    const bc = (
      await pdfPages(await pdfOf(await issue(shipmentId, { kind: 'booking_confirmation' })))
    ).join('\n');
    expect(bc).toContain('Подтверждение бронирования');
    expect(bc).toContain(bookingId);
    expect(bc).toContain(`${promise.arrivalP50.slice(0, 16).replace('T', ' ')} UTC`);
    expect(bc).toContain(`${promise.arrivalP90.slice(0, 16).replace('T', ' ')} UTC`);
    expect(bc).toContain(`${promise.costUsd.toFixed(2)} USD`);
    expect(bc).toContain('CONFIRMED');
  });

  it('gives the CMR as e-CMR XML and the SMGS note as the e-CIM/SMGS data set beside their PDFs; no other document', async () => {
    // Issued by the test before: the same content answers the same document.
    const cmr = await issue(shipmentId, { kind: 'cmr' }, 200);
    const xml = await call('GET', `/v1/documents/${cmr.id}.xml`, shipper);
    expect(xml.statusCode, xml.body).toBe(200);
    expect(xml.headers['content-type']).toContain('application/xml');
    expect(xml.body).toContain('<ram:TypeCode>730</ram:TypeCode>');
    expect(xml.body).toContain(`<ram:ID>${cmr.number}</ram:ID>`);
    expect(xml.body).toMatch(/Alat/);
    const rail = await call('GET', `/v1/documents/${note.id}.xml`, shipper);
    expect(rail.statusCode).toBe(200);
    expect(rail.body).toContain('<ram:TypeCode>720</ram:TypeCode>');
    expect(rail.body).toContain('青岛胶州多式联运有限公司');
    for (const c of containers) expect(rail.body).toContain(`<ram:ID>${c}</ram:ID>`);
    const bc = await issue(shipmentId, { kind: 'booking_confirmation' }, 200);
    expect((await call('GET', `/v1/documents/${bc.id}.xml`, shipper)).statusCode).toBe(404);
    expect((await call('GET', `/v1/documents/${note.id}.xml`, null)).statusCode).toBe(401);
  });

  it('issues the same content once, and a new version when it changes', async () => {
    const again = await issue(
      shipmentId,
      { kind: 'rail_consignment_note', particulars: railParticulars(containers) },
      200,
    );
    expect(again.id).toBe(note.id);
    const changed = await issue(shipmentId, {
      kind: 'rail_consignment_note',
      particulars: { ...railParticulars(containers), placeOfIssue: 'Xi’an ITLP' },
    });
    expect(changed.version).toBe(note.version + 1);
    expect(changed.id).not.toBe(note.id);
    const old = await call('GET', `/v1/documents/${note.id}/verify`, null);
    expect(old.json()).toMatchObject({ authentic: true, current: false });
    const listed = await list(shipmentId);
    expect(listed.documents.find((d) => d.kind === 'rail_consignment_note')!.document!.id).toBe(
      changed.id,
    );
  });
});

describe('verification', () => {
  let doc: DocumentJson;
  let file: Uint8Array;

  beforeAll(async () => {
    const { id, containers } = await bookedShipment();
    await lodge(id, containers);
    doc = await issue(id, { kind: 'transit_accompanying_document' });
    file = await pdfOf(doc);
  });

  const verifyFile = (bytes: Uint8Array) =>
    server.app.inject({
      method: 'POST',
      url: '/v1/documents/verify',
      headers: { 'content-type': 'application/pdf' },
      payload: Buffer.from(bytes),
    });

  it('answers anyone who scans the code: authentic, current, with the hashes printed on it', async () => {
    const res = await call('GET', `/v1/documents/${doc.id}/verify`, null);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      documentId: doc.id,
      authentic: true,
      current: true,
      unchanged: null,
      problems: [],
      contentHash: doc.contentHash,
      number: doc.number,
    });
    const unknown = await call('GET', '/v1/documents/doc_forged123/verify', null);
    expect(unknown.json()).toMatchObject({
      authentic: false,
      problems: ['no document doc_forged123 was issued by this platform'],
    });
  });

  it('accepts the file as issued and refuses it with any one byte changed', async () => {
    const ok = await verifyFile(file);
    expect(ok.json()).toMatchObject({ authentic: true, unchanged: true, documentId: doc.id });
    const pdfEnd = file.length - 300;
    for (const at of [10, Math.floor(file.length / 2), pdfEnd, file.length - 20]) {
      const changed = file.slice();
      changed[at] = changed[at]! ^ 0x01;
      const res = await verifyFile(changed);
      expect(res.statusCode).toBe(200);
      expect(res.json<{ authentic: boolean }>().authentic, `byte ${at}`).toBe(false);
    }
    const res = await verifyFile(new TextEncoder().encode('%PDF-1.7 not sealed'));
    expect(res.json()).toMatchObject({
      authentic: false,
      problems: ['no Corridor seal in the file'],
    });
  });

  it('takes only a PDF body of at most 20 MB, and answers with problems, never a 5xx', async () => {
    const json = await server.app.inject({
      method: 'POST',
      url: '/v1/documents/verify',
      payload: { pdf: 'x' },
    });
    expect(json.statusCode).toBe(415);
    expect(json.headers['content-type']).toMatch(/^application\/problem\+json/);
    const huge = await verifyFile(new Uint8Array(20 * 1024 * 1024 + 1));
    expect(huge.statusCode).toBe(413);
    const empty = await verifyFile(new Uint8Array(0));
    expect(empty.statusCode).toBeLessThan(500);
  });

  it('checks offline with the public key, and refuses a seal made with another key', async () => {
    const keys = await call('GET', '/v1/documents/keys', null);
    const pems = keys.json<{ keys: { keyId: string; publicKeyPem: string }[] }>().keys;
    expect(pems.map((k) => k.keyId)).toContain(doc.keyId);
    const verifier = pemVerifier(pems.map((k) => k.publicKeyPem));
    if (!verifier.ok) throw new Error(verifier.problem);
    const deps = {
      digest: sha256Digest,
      verifier: verifier.verifier,
      pdfSignatures: pdfSignatureChecker,
    };
    expect(await checkSealedFile(deps, file)).toMatchObject({ authentic: true, unchanged: true });
    const changed = file.slice();
    changed[200] = changed[200]! ^ 0x20;
    expect(await checkSealedFile(deps, changed)).toMatchObject({
      authentic: true,
      unchanged: false,
    });
    // A forger who re-hashes the changed file must sign again without the platform's key.
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' });
    const foreign = pemVerifier([other.toString()]);
    if (!foreign.ok) throw new Error(foreign.problem);
    const check = await checkSealedFile(
      { digest: sha256Digest, verifier: foreign.verifier, pdfSignatures: pdfSignatureChecker },
      file,
    );
    expect(check.authentic).toBe(false);
    expect(check.problems[0]).toMatch(/not a key of the platform/);
  });
});

describe('who sees which document', () => {
  let shipmentId: string;
  const docs: Record<string, DocumentJson> = {};

  beforeAll(async () => {
    const s = await bookedShipment();
    shipmentId = s.id;
    await lodge(s.id, s.containers);
    docs.note = await issue(s.id, {
      kind: 'rail_consignment_note',
      particulars: railParticulars(s.containers),
    });
    docs.tad = await issue(s.id, { kind: 'transit_accompanying_document' });
    docs.booking = await issue(s.id, { kind: 'booking_confirmation' });
  });

  const status = async (who: Caller, doc: DocumentJson) => [
    (await call('GET', `/v1/documents/${doc.id}`, who)).statusCode,
    (await call('GET', doc.pdf, who)).statusCode,
  ];

  it('hides every document of a shipment from another organisation', async () => {
    for (const d of Object.values(docs)) expect(await status(otherShipper, d)).toEqual([404, 404]);
    expect(
      (await call('GET', `/v1/shipments/${shipmentId}/documents`, otherShipper)).statusCode,
    ).toBe(404);
    const issueRes = await call('POST', `/v1/shipments/${shipmentId}/documents`, otherShipper, {
      kind: 'cmr',
    });
    expect(issueRes.statusCode).toBe(404);
  });

  it('shows the carrier the rail note, not the price or the customs declaration; it may not issue', async () => {
    expect(await status(ktz, docs.note!)).toEqual([200, 200]);
    expect(await status(ktz, docs.booking!)).toEqual([404, 404]);
    expect(await status(ktz, docs.tad!)).toEqual([404, 404]);
    const listed = await list(shipmentId, ktz);
    expect(listed.documents.map((d) => d.kind)).toEqual(['rail_consignment_note']);
    expect(listed.others).toEqual([]);
    const res = await call('POST', `/v1/shipments/${shipmentId}/documents`, ktz, { kind: 'cmr' });
    expect(res.statusCode).toBe(403);
  });

  it("shows customs of a country on the itinerary the TAD, not another country's customs", async () => {
    expect(await status(customsKz, docs.tad!)).toEqual([200, 200]);
    expect(await status(customsKz, docs.booking!)).toEqual([404, 404]);
    expect(await status(customsGe, docs.tad!)).toEqual([404, 404]);
    expect(await status(customsGe, docs.note!)).toEqual([404, 404]);
  });
});

describe.skipIf(!hasPdfsig)('signatures of the issuing party, checked by pdfsig', () => {
  let note: Uint8Array;
  let booking: Uint8Array;
  let cmr: Uint8Array;

  beforeAll(async () => {
    const { id, containers } = await bookedShipment();
    await lodge(id, containers);
    const list = (await call('GET', `/v1/shipments/${id}/documents`, shipper)).json<ListJson>();
    const cmrSection = list.documents.find((d) => d.kind === 'cmr')!.section;
    note = await pdfOf(
      await issue(id, { kind: 'rail_consignment_note', particulars: railParticulars(containers) }),
    );
    booking = await pdfOf(await issue(id, { kind: 'booking_confirmation' }));
    cmr = await pdfOf(await issue(id, { kind: 'cmr', section: cmrSection }));
  });

  it('reports each signature valid over the whole file and names the party: carrier, consignor, platform', async () => {
    for (const [file, signer] of [
      [note, ktz.organisation.name],
      [cmr, shipper.organisation.name],
      [booking, 'Corridor'],
    ] as const) {
      const out = await pdfsig(file);
      expect(out).toContain('Signature Validation: Signature is Valid.');
      expect(out).toContain('Total document signed');
      expect(out).toContain('Signature Type: ETSI.CAdES.detached');
      expect(out).toContain(`Signer Certificate Common Name: ${signer}`);
    }
  });

  it('reports a changed byte invalid, and a page appended after signing as not signed', async () => {
    const changed = note.slice();
    changed[changed.length - 10] = changed[changed.length - 10] === 0x41 ? 0x42 : 0x41;
    const out = await pdfsig(changed);
    expect(out).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
    expect(out).not.toContain('Signature is Valid.');
    const appended = Buffer.concat([
      Buffer.from(note),
      Buffer.from(
        '\n9999 0 obj\n<< /Type /Page /MediaBox [0 0 595 842] >>\nendobj\n%%EOF\n',
        'latin1',
      ),
    ]);
    expect(await pdfsig(appended)).toContain('Not total document signed');
    const res = await server.app.inject({
      method: 'POST',
      url: '/v1/documents/verify',
      headers: { 'content-type': 'application/pdf' },
      payload: appended,
    });
    expect(res.json<{ authentic: boolean; unchanged: boolean }>()).toMatchObject({
      unchanged: false,
    });
  });

  it("refuses a note signed with another organisation's certificate as the carrier's", async () => {
    const keys = server.documents.partyKeys;
    const shipperCertificate = await keys.current({
      party: shipper.organisation.id,
      name: shipper.organisation.name,
      role: 'consignor',
      country: 'CN',
    });
    const forged = note.slice();
    await keys.sign(shipperCertificate, forged);
    const out = await pdfsig(forged);
    expect(out).toContain('Signature is Valid.');
    expect(out).toContain(`Common Name: ${shipper.organisation.name}`);
    const res = await server.app.inject({
      method: 'POST',
      url: '/v1/documents/verify',
      headers: { 'content-type': 'application/pdf' },
      payload: Buffer.from(forged),
    });
    const v = res.json<{ authentic: boolean; problems: string[] }>();
    expect(v.authentic).toBe(false);
    expect(v.problems.join('\n')).toContain(`not by ${ktz.organisation.name}`);
  });

  it("refuses to take another organisation's certificate as an organisation's own", async () => {
    const keys = server.documents.partyKeys;
    const p12 = pkcs12Of('Qingdao Jiaozhou Logistics Co., Ltd.', 'secret-pass', clock.now());
    const party = {
      party: shipper.organisation.id,
      name: shipper.organisation.name,
      role: 'consignor' as const,
      country: 'CN',
    };
    const wrong = await keys.upload(party, p12, 'not-the-pass');
    expect(wrong).toMatchObject({ ok: false, field: 'body.password' });
    const other = await keys.upload(party, p12, 'secret-pass');
    expect(other).toMatchObject({ ok: false, field: 'body.pkcs12' });
    expect(!other.ok && other.problem).toMatch(/issued to Qingdao Jiaozhou Logistics/);
    const own = await keys.upload(
      party,
      pkcs12Of(shipper.organisation.name, 'p', clock.now()),
      'p',
    );
    expect(own.ok).toBe(true);
  });
});
