import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/manage-accounts.ts';
import {
  apiKeyCaller,
  manualClock,
  organisationWithPeople,
  testServer,
  type Caller,
  type TestServer,
} from '../support/server.ts';

/** A CTC segment decided in NCTS, played over HTTP with the demo's kinds of organisations. */
const clock = manualClock(new Date('2026-12-04T00:00:00Z'));
let server: TestServer;
let shipper: Caller;
const officers: Record<string, Caller> = {};
const admins: Record<string, Caller> = {};

beforeAll(async () => {
  server = await testServer(undefined, clock);
  shipper = await apiKeyCaller(server, { name: 'Xian Exporter', kind: 'shipper', country: 'CN' });
  const offices: Record<string, { code: string; name: string; nodeId: string }[]> = {
    CN: [{ code: 'CNHRS001', name: 'Khorgos customs', nodeId: 'CN_KHORGOS' }],
    GE: [
      { code: 'GEPTI001', name: 'Poti port customs', nodeId: 'GE_POTI_PORT' },
      { code: 'GEPTI002', name: 'Poti inland customs', nodeId: 'GE_POTI_PORT' },
    ],
  };
  for (const [country, customsOffices] of Object.entries(offices)) {
    const org = await organisationWithPeople(server, {
      name: `${country} customs`,
      kind: 'customs',
      country,
      customsOffices,
    });
    for (const role of ['officer', 'admin'] as const) {
      const { key } = await createApiKey(server.accounts, undefined, org.organisation.id, {
        name: role,
        role,
      });
      (role === 'officer' ? officers : admins)[country] = {
        label: `${country} customs ${role}`,
        organisation: org.organisation,
        role,
        headers: { authorization: `Bearer ${key}` },
      };
    }
  }
});
afterAll(() => server.close());

const xmlHeader = (type: string, id: string) => `<?xml version="1.0" encoding="UTF-8"?>
<ncts:${type} xmlns:ncts="http://ncts.dgtaxud.ec" PhaseID="NCTS6">
  <messageSender>NTA.GE</messageSender><messageRecipient>CORRIDOR</messageRecipient>
  <preparationDateAndTime>2026-12-04T10:05:00</preparationDateAndTime>
  <messageIdentification>${id}</messageIdentification><messageType>${type}</messageType>`;
const MRN = '26GE000000000012J3';
const messages = {
  CC028C: (lrn: string) => `${xmlHeader('CC028C', 'GE-1')}
  <TransitOperation><LRN>${lrn}</LRN><MRN>${MRN}</MRN><declarationAcceptanceDate>2026-12-04</declarationAcceptanceDate></TransitOperation>
  <CustomsOfficeOfDeparture><referenceNumber>GEPTI001</referenceNumber></CustomsOfficeOfDeparture>
  <HolderOfTheTransitProcedure><identificationNumber>CN91610000X</identificationNumber></HolderOfTheTransitProcedure>
</ncts:CC028C>`,
  CC029C: (lrn: string) => `${xmlHeader('CC029C', 'GE-2')}
  <TransitOperation><LRN>${lrn}</LRN><MRN>${MRN}</MRN><declarationType>T1</declarationType><additionalDeclarationType>A</additionalDeclarationType><declarationAcceptanceDate>2026-12-04</declarationAcceptanceDate><releaseDate>2026-12-04</releaseDate><security>0</security><reducedDatasetIndicator>0</reducedDatasetIndicator><bindingItinerary>0</bindingItinerary></TransitOperation>
  <CustomsOfficeOfDeparture><referenceNumber>GEPTI001</referenceNumber></CustomsOfficeOfDeparture>
</ncts:CC029C>`,
  CC007C: () => `${xmlHeader('CC007C', 'GE-3')}
  <TransitOperation><MRN>${MRN}</MRN><arrivalNotificationDateAndTime>2026-12-05T08:00:00</arrivalNotificationDateAndTime><simplifiedProcedure>0</simplifiedProcedure></TransitOperation>
  <CustomsOfficeOfDestinationActual><referenceNumber>GEPTI002</referenceNumber></CustomsOfficeOfDestinationActual>
</ncts:CC007C>`,
  CC025C: () => `${xmlHeader('CC025C', 'GE-4')}
  <TransitOperation><MRN>${MRN}</MRN><releaseDate>2026-12-05</releaseDate><releaseIndicator>1</releaseIndicator></TransitOperation>
  <CustomsOfficeOfDestinationActual><referenceNumber>GEPTI002</referenceNumber></CustomsOfficeOfDestinationActual>
</ncts:CC025C>`,
};

const post = (xml: string, who = officers.GE!) =>
  server.app.inject({
    method: 'POST',
    url: '/v1/customs/systems/ncts/messages',
    headers: { ...who.headers, 'content-type': 'application/xml' },
    payload: xml,
  });

describe('a CTC segment decided in NCTS', () => {
  it('CC015C out; CC028C, CC029C, CC007C, CC025C in, each applied once; the segment discharged', async () => {
    const route = await server.app.inject({
      method: 'PUT',
      url: '/v1/customs/systems/routes/GE',
      headers: admins.GE!.headers,
      payload: { system: 'ncts', recipient: 'NTA.GE', sender: 'CORRIDOR' },
    });
    expect(route.statusCode, route.body).toBe(200);
    const lrn = 'LRN-NCTS-1';
    const lodged = await server.app.inject({
      method: 'POST',
      url: '/v1/customs/declarations',
      headers: shipper.headers,
      payload: {
        lrn,
        holder: { name: 'Xian Exporter', identificationNumber: 'CN91610000X', country: 'CN' },
        guarantee: { reference: 'GRN2026000001', amount: 120_000, currency: 'USD' },
        consignments: [
          {
            consignor: { name: 'Xian Electronics Co', country: 'CN' },
            consignee: { name: 'Tbilisi Trading LLC', country: 'GE' },
            goodsItems: [
              {
                hsCode: '851712',
                description: 'Mobile phones',
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
        containers: [],
        itinerary: [
          { country: 'CN', regime: 'export', office: 'CNHRS001' },
          { country: 'GE', regime: 'ncts_transit', office: 'GEPTI001', exitOffice: 'GEPTI002' },
        ],
      },
    });
    expect(lodged.statusCode, lodged.body).toBe(201);
    const id = lodged.json<{ id: string }>().id;
    const outbox = await server.app.inject({
      method: 'GET',
      url: '/v1/customs/systems/outbox',
      headers: officers.GE!.headers,
    });
    const out = outbox.json<{ id: string; messageType: string; body: string }[]>();
    expect(out.map((m) => m.messageType)).toEqual(['CC015C']);
    expect(out[0]!.body).toContain(`<LRN>${lrn}</LRN>`);

    const states: string[] = [];
    for (const xml of [
      messages.CC028C(lrn),
      messages.CC029C(lrn),
      messages.CC007C(),
      messages.CC025C(),
    ]) {
      const first = await post(xml);
      expect(first.statusCode, first.body).toBe(201);
      const again = await post(xml);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json<{ duplicate: boolean }>().duplicate).toBe(true);
      states.push(first.json<{ state: string }>().state);
    }
    expect(states).toEqual(['accepted', 'released', 'exited', 'discharged']);
    const d = await server.app.inject({
      method: 'GET',
      url: `/v1/customs/declarations/${id}`,
      headers: shipper.headers,
    });
    const segments = d.json<{ segments: { country: string; state: string }[] }>().segments;
    expect(segments.map((s) => `${s.country}:${s.state}`)).toEqual([
      'CN:assessed',
      'GE:discharged',
    ]);
  });

  it('answers a malformed or schema-invalid message with a problem naming the element', async () => {
    const bad = await post('<ncts:CC025C xmlns:ncts="http://ncts.dgtaxud.ec"><messageSender>x');
    expect(bad.statusCode).toBe(400);
    const missing = await post(messages.CC025C().replace(/<MRN>.*?<\/MRN>/, ''));
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('CC025C/TransitOperation/MRN');
  });
});

/** A declaration to GE decided in NCTS, lodged under its LRN. */
const nctsBody = (lrn: string, description = 'Laptops') => ({
  lrn,
  holder: { name: 'Xian Exporter', identificationNumber: 'CN91610000X', country: 'CN' },
  guarantee: { reference: 'GRN2026000002', amount: 90_000, currency: 'USD' },
  consignments: [
    {
      consignor: { name: 'Xian Electronics Co', country: 'CN' },
      consignee: { name: 'Tbilisi Trading LLC', country: 'GE' },
      goodsItems: [
        {
          hsCode: '847130',
          description,
          packages: { count: 20, kind: 'PK' },
          grossMassKg: 300,
          netMassKg: 280,
          value: 40_000,
          currency: 'USD',
          countryOfOrigin: 'CN',
        },
      ],
    },
  ],
  containers: [{ equipmentReference: 'MSCU1234566', seals: ['CN5566'] }],
  itinerary: [
    { country: 'CN', regime: 'export', office: 'CNHRS001' },
    { country: 'GE', regime: 'ncts_transit', office: 'GEPTI001', exitOffice: 'GEPTI002' },
  ],
});
const lodgeForNcts = async (lrn: string) => {
  const res = await server.app.inject({
    method: 'POST',
    url: '/v1/customs/declarations',
    headers: shipper.headers,
    payload: nctsBody(lrn),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
};

const segmentState = async (id: string) =>
  (
    await server.app.inject({
      method: 'GET',
      url: `/v1/customs/declarations/${id}`,
      headers: shipper.headers,
    })
  )
    .json<{ segments: { country: string; state: string }[] }>()
    .segments.find((s) => s.country === 'GE')!.state;

const auditOf = async (id: string) =>
  (
    (await server.database.db.execute(
      sql`select action, actor, detail from customs_audit where declaration_id = ${id} and country = 'GE' order by seq`,
    )) as unknown as { rows: { action: string; actor: string; detail: Record<string, unknown> }[] }
  ).rows;

/** Amends the declaration (a corrected description): NCTS receives a CC013C carrying the MRN. */
async function amendOnce(id: string) {
  const amended = await server.app.inject({
    method: 'PUT',
    url: `/v1/customs/declarations/${id}`,
    headers: shipper.headers,
    payload: nctsBody('LRN-NCTS-2', 'Laptops, 15 inch'),
  });
  expect(amended.statusCode, amended.body).toBe(200);
  const out = (
    await server.app.inject({
      method: 'GET',
      url: '/v1/customs/systems/outbox',
      headers: officers.GE!.headers,
    })
  ).json<{ messageType: string; declarationId: string; body: string }[]>();
  const cc013 = out.filter((m) => m.declarationId === id && m.messageType === 'CC013C');
  expect(cc013).toHaveLength(1);
  expect(cc013[0]!.body).toContain('<MRN>26GE000000000021J5</MRN>');
  expect(cc013[0]!.body).toContain('Laptops, 15 inch');
}

describe('a controlled CTC segment, its arrival notified by the trader', () => {
  const mrn = '26GE000000000021J5';
  const lrn = 'LRN-NCTS-2';
  const dep = `<CustomsOfficeOfDeparture><referenceNumber>GEPTI001</referenceNumber></CustomsOfficeOfDeparture>`;
  const dest = `<CustomsOfficeOfDestinationActual><referenceNumber>GEPTI002</referenceNumber></CustomsOfficeOfDestinationActual>`;
  const inbound = {
    CC028C: `${xmlHeader('CC028C', 'GE-21')}
  <TransitOperation><LRN>${lrn}</LRN><MRN>${mrn}</MRN><declarationAcceptanceDate>2026-12-04</declarationAcceptanceDate></TransitOperation>
  ${dep}<HolderOfTheTransitProcedure><identificationNumber>CN91610000X</identificationNumber></HolderOfTheTransitProcedure>
</ncts:CC028C>`,
    CC060C: `${xmlHeader('CC060C', 'GE-22')}
  <TransitOperation><LRN>${lrn}</LRN><MRN>${mrn}</MRN><controlNotificationDateAndTime>2026-12-04T11:00:00</controlNotificationDateAndTime><notificationType>0</notificationType></TransitOperation>
  ${dep}<TypeOfControls><sequenceNumber>1</sequenceNumber><type>A</type><text>Seal and X-ray check</text></TypeOfControls>
</ncts:CC060C>`,
    CC029C: `${xmlHeader('CC029C', 'GE-23')}
  <TransitOperation><LRN>${lrn}</LRN><MRN>${mrn}</MRN><declarationType>T1</declarationType><additionalDeclarationType>A</additionalDeclarationType><declarationAcceptanceDate>2026-12-04</declarationAcceptanceDate><releaseDate>2026-12-04</releaseDate><security>0</security><reducedDatasetIndicator>0</reducedDatasetIndicator><bindingItinerary>0</bindingItinerary></TransitOperation>
  ${dep}<ControlResult><code>A1</code><date>2026-12-04</date><controlledBy>GEPTI001</controlledBy><text>Seals intact</text></ControlResult>
</ncts:CC029C>`,
    CC043C: `${xmlHeader('CC043C', 'GE-24')}
  <TransitOperation><MRN>${mrn}</MRN><declarationType>T1</declarationType><security>0</security><reducedDatasetIndicator>0</reducedDatasetIndicator></TransitOperation>
  ${dest}
</ncts:CC043C>`,
    CC044C: `${xmlHeader('CC044C', 'GE-25')}
  <TransitOperation><MRN>${mrn}</MRN></TransitOperation>
  ${dest}<UnloadingRemark><conform>0</conform><unloadingCompletion>1</unloadingCompletion><unloadingDate>2026-12-05</unloadingDate><stateOfSeals>1</stateOfSeals><unloadingRemark>One carton short</unloadingRemark></UnloadingRemark>
</ncts:CC044C>`,
    CC025C: `${xmlHeader('CC025C', 'GE-26')}
  <TransitOperation><MRN>${mrn}</MRN><releaseDate>2026-12-05</releaseDate><releaseIndicator>1</releaseIndicator></TransitOperation>
  ${dest}
</ncts:CC025C>`,
  };
  const arrival = (id: string, who = shipper) =>
    server.app.inject({
      method: 'POST',
      url: `/v1/customs/declarations/${id}/segments/GE/arrival`,
      headers: who.headers,
    });

  it('CC060C puts it in the red lane; CC029C records the control result and releases; the arrival goes out as CC007C once; CC043C, CC044C, CC025C end it', async () => {
    const id = await lodgeForNcts(lrn);
    // Before the movement has an MRN, the arrival cannot be notified.
    const early = await arrival(id);
    expect(early.statusCode, early.body).toBe(409);
    const states: string[] = [];
    for (const type of ['CC028C', 'CC060C', 'CC029C'] as const) {
      if (type === 'CC060C') await amendOnce(id);
      const first = await post(inbound[type]);
      expect(first.statusCode, first.body).toBe(201);
      expect((await post(inbound[type])).json<{ duplicate: boolean }>().duplicate).toBe(true);
      states.push(first.json<{ state: string }>().state);
    }
    expect(states).toEqual(['accepted', 'assessed', 'released']);

    expect((await arrival(id, officers.GE!)).statusCode).toBe(403);
    const notified = await arrival(id);
    expect(notified.statusCode, notified.body).toBe(200);
    const { messageId, state } = notified.json<{ messageId: string; state: string }>();
    expect(state).toBe('exited');
    const again = await arrival(id);
    expect(again.json<{ messageId: string | null }>().messageId).toBeNull();
    const out = (
      await server.app.inject({
        method: 'GET',
        url: '/v1/customs/systems/outbox',
        headers: officers.GE!.headers,
      })
    ).json<{ id: string; messageType: string; declarationId: string; body: string }[]>();
    const cc007 = out.filter((m) => m.declarationId === id && m.messageType === 'CC007C');
    expect(cc007.map((m) => m.id)).toEqual([messageId]);
    expect(cc007[0]!.body).toContain(`<MRN>${mrn}</MRN>`);
    expect(cc007[0]!.body).toContain('<referenceNumber>GEPTI002</referenceNumber>');

    for (const type of ['CC043C', 'CC044C', 'CC025C'] as const) {
      const first = await post(inbound[type]);
      expect(first.statusCode, first.body).toBe(201);
      expect((await post(inbound[type])).statusCode).toBe(200);
    }
    expect(await segmentState(id)).toBe('discharged');
    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual([
      'mrn_allocated',
      'control_decision',
      'assess',
      'arrive',
      'record_inspection',
      'release',
      'exit',
      'unloading_permission',
      'unloading_remarks',
      'discharge',
    ]);
    const control = audit.find((a) => a.action === 'control_decision')!;
    expect(control.detail.controls).toEqual([{ type: 'A', text: 'Seal and X-ray check' }]);
    const remarks = audit.find((a) => a.action === 'unloading_remarks')!;
    expect(remarks.detail).toMatchObject({
      conform: false,
      sealsIntact: true,
      remark: 'One carton short',
    });
    expect(audit.find((a) => a.action === 'exit')!.actor).toContain('/');
  });

  it('CC056C rejecting the declaration refuses the segment; rejecting another request only records it', async () => {
    const id = await lodgeForNcts('LRN-NCTS-3');
    const rejection = (msg: string, type: string) => `${xmlHeader('CC056C', msg)}
  <TransitOperation><LRN>LRN-NCTS-3</LRN><businessRejectionType>${type}</businessRejectionType><rejectionDateAndTime>2026-12-04T10:30:00</rejectionDateAndTime><rejectionCode>12</rejectionCode><rejectionReason>Guarantee not valid</rejectionReason></TransitOperation>
  ${`<CustomsOfficeOfDeparture><referenceNumber>GEPTI001</referenceNumber></CustomsOfficeOfDeparture>`}
  <FunctionalError><errorPointer>/CC015C/Guarantee/GuaranteeReference/GRN</errorPointer><errorCode>12</errorCode><errorReason>G0001</errorReason></FunctionalError>
</ncts:CC056C>`;
    const other = await post(rejection('GE-31', '013'));
    expect(other.statusCode, other.body).toBe(201);
    expect(other.json<{ applied: string[]; state: string }>()).toMatchObject({
      applied: ['rejection'],
      state: 'accepted',
    });
    const refused = await post(rejection('GE-32', '015'));
    expect(refused.statusCode, refused.body).toBe(201);
    expect(refused.json<{ state: string }>().state).toBe('refused');
    expect((await post(rejection('GE-32', '015'))).json<{ duplicate: boolean }>().duplicate).toBe(
      true,
    );
    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(['rejection', 'refuse']);
  });
});
