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
