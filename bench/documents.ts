/**
 * `npm run bench` (documents): two-page CIM/SMGS consignment notes per second. In-process: the
 * platform's renderer (measured line breaking, boxes, tables, QR code, every glyph's Unicode
 * map) with the SHA-256 and the Ed25519 seal, against a bare pdfkit baseline in the same run
 * that writes the same strings, with the same embedded fonts, as plain lines on two pages. Then
 * through the API on PostgreSQL: POST /v1/shipments/{id}/documents issuing a new version each
 * time (gather the data, render, sign, store the file), against GET /readyz on the same server.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import PDFDocument from 'pdfkit';
import type { TransportNote } from '../src/core/documents/consignment.ts';
import { layoutOf } from '../src/core/documents/forms.ts';
import type { Block, DocumentLayout } from '../src/core/documents/layout.ts';
import { sealBytes, sealLength, sealMessage } from '../src/core/documents/seal.ts';
import { setByteRange, withoutGap } from '../src/core/documents/signature-range.ts';
import { checkDigit } from '../src/core/tracking/iso6346.ts';
import { PdfRenderer } from '../src/store/pdf-renderer.ts';
import { cadesDetached } from '../src/store/pki/cms.ts';
import { writeSignature } from '../src/store/pki/pades.ts';
import { fingerprintOf, issueCertificate } from '../src/store/pki/x509.ts';
import { ADMIN_URL, apiKeyOf, databaseUrl, rssMb, serve, sql } from './support.ts';

const DOCS = Number(process.env.BENCH_DOCUMENTS ?? 200);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const require = createRequire(import.meta.url);

const place = (name: string, code: string | null, country: string) => ({
  nodeId: name,
  name,
  code,
  country,
});
const day = (d: number) => Date.UTC(2026, 11, d, 12);

/** A CIM/SMGS note Xi'an → Istanbul with two containers on two wagons, in several scripts. */
const note: TransportNote = {
  kind: 'rail_consignment_note',
  variant: 'CIM/SMGS',
  section: 0,
  shipmentId: 'shp_bench',
  reference: 'PO-2026-118',
  consignor: {
    name: '青岛胶州多式联运有限公司',
    address: '山东省青岛市胶州市 中国—上合组织地方经贸合作示范区',
    country: 'CN',
    identificationNumber: 'CN91370200X',
  },
  consignee: {
    name: 'İstanbul Lojistik A.Ş.',
    address: 'Halkalı, Küçükçekmece, İstanbul',
    country: 'TR',
    identificationNumber: 'TR1234567890',
  },
  departure: place("Xi'an International Port Station", 'CNXIA', 'CN'),
  destination: place('Istanbul', 'TRIST', 'TR'),
  borderCrossings: [
    { from: place('Alashankou', 'CNAKA', 'CN'), to: place('Dostyk', 'KZDOS', 'KZ') },
    { from: place('Akhalkalaki', null, 'GE'), to: place('Kars', 'TRKSY', 'TR') },
  ],
  carriers: [
    'China Railway',
    'KTZ Express',
    'ASCO',
    'ADY Express',
    'Georgian Railway',
    'TCDD Taşımacılık',
  ].map((carrier, i) => ({
    carrier,
    serviceId: 'SVC_CHINA_TURKEY_BTK',
    tripId: 'SVC_CHINA_TURKEY_BTK@2026-12-07T1200',
    from: place(`Station ${i}`, null, 'KZ'),
    to: place(`Station ${i + 1}`, null, 'AZ'),
    departure: day(7 + 3 * i),
    arrival: day(9 + 3 * i),
  })),
  wagons: [
    { number: '318064561000', containers: ['MSKU1234565'] },
    { number: '318064561018', containers: ['TGHU8765436'] },
  ],
  containers: [
    {
      equipmentReference: 'MSKU1234565',
      isoEquipmentCode: '45G1',
      seals: ['CN700001', 'KZ310045'],
      wagon: '318064561000',
    },
    {
      equipmentReference: 'TGHU8765436',
      isoEquipmentCode: '45G1',
      seals: ['CN700002'],
      wagon: '318064561018',
    },
  ],
  goods: [
    {
      hsCode: '851712',
      description: 'Mobile phones / Мобильные телефоны / 手机',
      packages: { count: 400, kind: 'CT' },
      grossMassKg: 4200,
      marks: 'XE-1..400',
    },
    {
      hsCode: '847130',
      description: 'Laptops / Ноутбуки / 笔记本电脑',
      packages: { count: 220, kind: 'CT' },
      grossMassKg: 3100,
      marks: 'XE-401..620',
    },
  ],
  hazardous: false,
  consignorDeclarations: [
    'Груз погружен отправителем. 货物由发货人装载。',
    'Жүкті жөнелтуші тиеді. Yük göndərən tərəfindən yüklənib. ტვირთი დატვირთულია გამგზავნის მიერ.',
  ],
  attachedDocuments: [
    { type: 'commercial invoice', reference: 'INV-2026-0042' },
    { type: 'packing list', reference: 'PL-2026-0042' },
    { type: 'transit declaration (MRN)', reference: '26CN0000000000012J3' },
  ],
  charges: ['China Railway', 'KTZ Express', 'ASCO', 'ADY Express', 'Georgian Railway', 'TCDD'].map(
    (carrier) => ({ carrier, payer: 'Qingdao Exporter', payerCode: '12345678' }),
  ),
  instructions: null,
  placeOfIssue: "Xi'an",
  takenOverAt: day(7),
};

const layout = layoutOf(note, { number: 'RCN-20261130-BENCH001', issuedAt: day(1) });
const stamp = {
  documentId: 'doc_bench',
  contentHash: createHash('sha256').update(JSON.stringify(note)).digest('hex'),
  keyId: '0123456789abcdef',
  verifyUrl: 'https://corridor.example.org/v1/documents/doc_bench/verify',
  get signature() {
    return {
      name: 'KTZ Express',
      role: { en: 'Carrier', ru: 'Перевозчик' },
      location: "Xi'an",
      signedAt: day(1),
      capacity: signer.capacity,
    };
  },
};
const { privateKey } = generateKeyPairSync('ed25519');
/** The carrier's certificate, issued by a certification authority of the platform. */
const signer = (() => {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const org = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const span = { notBefore: new Date(day(1)), notAfter: new Date(day(1) + 3 * 365 * 864e5) };
  const authority = issueCertificate({
    subject: { commonName: 'Corridor Document Signing CA', organization: 'Corridor' },
    publicKey: ca.publicKey,
    issuerKey: ca.privateKey,
    ...span,
    ca: true,
  });
  const certificate = issueCertificate({
    subject: { commonName: 'KTZ Express', organization: 'KTZ Express', country: 'KZ' },
    publicKey: org.publicKey,
    issuer: authority,
    issuerKey: ca.privateKey,
    ...span,
    ca: false,
  });
  return {
    key: org.privateKey,
    certificate,
    chain: [authority],
    fingerprint: fingerprintOf(certificate),
    capacity: certificate.raw.length + authority.raw.length + 1536,
  };
})();
const renderer = new PdfRenderer();

/** Every string the layout prints. */
function stringsOf(l: DocumentLayout): string[] {
  const out = [l.title.en, l.title.ru, l.subtitle, l.number];
  const block = (b: Block) => {
    if (b.type === 'page_break') return;
    out.push(`${b.title.en} / ${b.title.ru}`);
    if (b.type === 'fields')
      for (const f of b.fields) out.push(`${f.label.en} / ${f.label.ru}`, ...f.value.split('\n'));
    if (b.type === 'text') out.push(...b.paragraphs);
    if (b.type === 'table') {
      out.push(...b.columns.map((c) => `${c.label.en} / ${c.label.ru}`));
      for (const r of b.rows) out.push(...r);
    }
  };
  l.blocks.forEach(block);
  return out;
}
const strings = stringsOf(layout);
const fontFile = (p: string) => readFileSync(require.resolve(p));
const rawFonts = {
  latin: fontFile('dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf'),
  cjk: fontFile('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
};

/** Baseline: the same strings as plain lines on two A4 pages, same fonts, no layout, no seal. */
function rawPdfkit(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 36 });
  doc.registerFont('latin', rawFonts.latin);
  doc.registerFont('cjk', rawFonts.cjk);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((r) => doc.on('end', () => r(Buffer.concat(chunks))));
  doc.fontSize(8);
  strings.forEach((s, i) => {
    if (i === Math.floor(strings.length / 2)) doc.addPage();
    // eslint-disable-next-line no-control-regex
    doc.font(/[^\u0000-\u2dff]/.test(s) ? 'cjk' : 'latin');
    doc.text(s, 36, 36 + (i % Math.ceil(strings.length / 2)) * 10, { lineBreak: false });
  });
  doc.end();
  return done;
}

/**
 * The platform: layout drawn, sealed (SHA-256 and Ed25519, the signature's hex string left
 * out), then signed by the issuing party (PAdES, ECDSA P-256, CMS with a two-certificate chain).
 */
async function platform(): Promise<Uint8Array> {
  const pdf = await renderer.render(layout, stamp);
  const gap = setByteRange(pdf, pdf.length + sealLength('doc_bench'))!;
  const sha256 = createHash('sha256').update(withoutGap(pdf, gap)).digest('hex');
  const fields = {
    id: 'doc_bench',
    kid: stamp.keyId,
    sha256,
    contentHash: stamp.contentHash,
    signer: signer.fingerprint,
  };
  const signature = sign(null, Buffer.from(sealMessage(fields)), privateKey).toString('base64url');
  const seal = sealBytes({ v: 2, ...fields, signature });
  const out = new Uint8Array(pdf.length + seal.length);
  out.set(pdf);
  out.set(seal, pdf.length);
  const digest = createHash('sha256').update(withoutGap(out, gap)).digest();
  writeSignature(out, gap, cadesDetached(digest, signer));
  return out;
}

const pages = (b: Uint8Array) =>
  (
    Buffer.from(b)
      .toString('latin1')
      .match(/\/Type \/Page\b/g) ?? []
  ).length;

async function measure(name: string, make: () => Promise<Uint8Array>) {
  for (let i = 0; i < 10; i++) await make();
  const times: number[] = [];
  let bytes = 0;
  let pageCount = 0;
  const start = performance.now();
  for (let i = 0; i < DOCS; i++) {
    const t = performance.now();
    const b = await make();
    times.push(performance.now() - t);
    bytes = b.length;
    pageCount = pages(b);
  }
  const total = performance.now() - start;
  times.sort((a, b) => a - b);
  return {
    name,
    perS: (DOCS * 1000) / total,
    p50: times[Math.floor(DOCS / 2)]!,
    p99: times[Math.floor(DOCS * 0.99)]!,
    bytes,
    pageCount,
  };
}

const rssBefore = process.memoryUsage().rss / 2 ** 20;
const base = await measure('baseline: bare pdfkit, same strings and fonts, plain lines', rawPdfkit);
const ours = await measure(
  'platform: CIM/SMGS layout + Ed25519 seal + PAdES (ECDSA P-256)',
  platform,
);
const rssAfter = process.memoryUsage().rss / 2 ** 20;
console.log(
  `\nDocuments in-process: ${DOCS} two-page CIM/SMGS notes each (2 containers on 2 wagons, 6 carrier sections, Latin, Cyrillic, Chinese, Kazakh, Azerbaijani, Georgian text), one after another; Node ${process.version}`,
);
console.log('| scenario | documents/s | p50 ms | p99 ms | pages | bytes |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of [base, ours])
  console.log(
    `| ${r.name} | ${r.perS.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.pageCount} | ${r.bytes} |`,
  );
console.log(
  `\nresident memory ${rssBefore.toFixed(0)} MB before, ${rssAfter.toFixed(0)} MB after (fonts parsed once: DejaVu Sans Condensed and Noto Sans SC, 10 MB)`,
);

// ---------------------------------------------------------------------------------------------
// Through the API on PostgreSQL

const DB = 'corridor_bench_documents';
const dbUrl = databaseUrl(DB);
const env = {
  ...process.env,
  DATABASE_URL: dbUrl,
  LOG_LEVEL: 'warn',
  CORRIDOR_WRITE_PER_MINUTE: '1000000',
};
await sql(ADMIN_URL, `drop database if exists "${DB}" with (force)`);
await sql(ADMIN_URL, `create database "${DB}"`);
const key = await apiKeyOf(env, [
  '--name',
  'Bench Exporter',
  '--kind',
  'shipper',
  '--country',
  'CN',
]);
const { server, url } = await serve(env);
const post = async (path: string, body: unknown) => {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
};
try {
  const depart = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const plan = (await post('/v1/plans', {
    from: 'CN_XIAN_ITL',
    to: 'TR_ISTANBUL',
    depart,
    containers: '2x40HC',
  })) as { itineraries: { legs: { kind: string; tripId: string; from: string; to: string }[] }[] };
  const rides = plan.itineraries[0]!.legs.filter((l) => l.kind === 'ride').map((l) => ({
    tripId: l.tripId,
    from: l.from,
    to: l.to,
  }));
  const SHIPMENTS = 8;
  // A container travels in one shipment at a time: each shipment has two of its own.
  const boxesOf = (i: number) =>
    ['MSKU', 'TGHU'].map((owner, k) => {
      const first10 = `${owner}${String(i * 2 + k).padStart(6, '0')}`;
      return `${first10}${checkDigit(first10)}`;
    });
  const shipments: string[] = [];
  for (let i = 0; i < SHIPMENTS; i++)
    shipments.push(
      (
        (await post('/v1/shipments', {
          rides,
          containers: boxesOf(i).map((equipmentReference) => ({
            equipmentReference,
            ISOEquipmentCode: '45G1',
          })),
        })) as { id: string }
      ).id,
    );
  const particulars = (n: number) => ({
    consignor: { name: note.consignor.name, address: note.consignor.address!, country: 'CN' },
    consignee: { name: note.consignee.name, address: note.consignee.address!, country: 'TR' },
    goods: note.goods.map(({ marks, ...g }) => ({ ...g, marks: marks! })),
    // The containers of the shipment the document is issued for (shipments[n % SHIPMENTS]).
    wagons: note.wagons.map((w, k) => ({ ...w, containers: [boxesOf(n % SHIPMENTS)[k]!] })),
    seals: note.containers.map((c, k) => ({
      equipmentReference: boxesOf(n % SHIPMENTS)[k]!,
      seals: c.seals,
    })),
    consignorDeclarations: note.consignorDeclarations,
    attachedDocuments: note.attachedDocuments,
    placeOfIssue: `Xi'an #${n}`,
  });
  const first = (await post(`/v1/shipments/${shipments[0]}/documents`, {
    kind: 'rail_consignment_note',
    particulars: particulars(0),
  })) as { title: string; pdf: string };
  const sample = new Uint8Array(
    await (
      await fetch(`${url}${first.pdf}`, { headers: { authorization: `Bearer ${key}` } })
    ).arrayBuffer(),
  );
  if (process.env.BENCH_SAMPLE) writeFileSync(process.env.BENCH_SAMPLE, sample);
  const run = (requests: autocannon.Request[]) =>
    autocannon({ url, connections: 4, duration: DURATION, requests });
  await autocannon({
    url,
    connections: 4,
    duration: 2,
    requests: [{ method: 'GET', path: '/readyz' }],
  });
  const ready = await run([{ method: 'GET', path: '/readyz' }]);
  const rssIdle = rssMb(server.pid);
  let n = 1;
  const issued = await run([
    {
      method: 'POST',
      path: `/v1/shipments/${shipments[0]}/documents`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      setupRequest: (req) => {
        const i = n++;
        return {
          ...req,
          path: `/v1/shipments/${shipments[i % SHIPMENTS]}/documents`,
          body: JSON.stringify({ kind: 'rail_consignment_note', particulars: particulars(i) }),
        };
      },
    },
  ]);
  const rssAfterIssue = rssMb(server.pid);
  const [count] = await sql<{ n: string; mb: string }>(
    dbUrl,
    `select count(*) as n, round(sum(bytes) / 1048576.0, 1) as mb from documents`,
  );
  console.log(
    `\nIssuing through the API on PostgreSQL: autocannon, 4 connections, ${DURATION} s; each request issues a new version of "${first.title}" (${pages(sample)} pages, ${sample.length} bytes) for one of ${SHIPMENTS} shipments: reads the shipment, draws, signs and stores the sealed PDF`,
  );
  console.log('| scenario | req/s | p50 ms | p99 ms | 2xx | non-2xx | server RSS MB after |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| baseline: GET /readyz (one database round trip) | ${ready.requests.average.toFixed(0)} | ${ready.latency.p50} | ${ready.latency.p99} | ${ready['2xx']} | ${ready.non2xx} | ${rssIdle} |`,
  );
  console.log(
    `| POST /v1/shipments/{id}/documents (CIM/SMGS) | ${issued.requests.average.toFixed(1)} | ${issued.latency.p50} | ${issued.latency.p99} | ${issued['2xx']} | ${issued.non2xx} | ${rssAfterIssue} |`,
  );
  console.log(`\nstored: ${count!.n} documents, ${count!.mb} MB of PDF`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  await sql(ADMIN_URL, `drop database if exists "${DB}" with (force)`);
}
