import type { Place, TransportNote } from '../../src/core/documents/consignment.ts';

const place = (nodeId: string, name: string, code: string | null, country: string): Place => ({
  nodeId,
  name,
  code,
  country,
});
const ALAT = place('AZ_BAKU_PORT_ALAT', 'Baku port (Alat)', 'AZBAK', 'AZ');
const TBILISI = place('GE_TBILISI', 'Tbilisi', 'GETBS', 'GE');
/** A CMR note from Alat to Tbilisi with two goods lines, one container and every box filled. */
export const cmrNote: TransportNote = {
  kind: 'cmr',
  variant: 'CMR',
  section: 2,
  shipmentId: 'shp_1',
  reference: 'PO-2026-77',
  consignor: {
    name: 'Xian Electronics Co & Partners',
    address: '88 Keji Road, Xi’an',
    country: 'CN',
    identificationNumber: 'CN91610000X',
  },
  consignee: {
    name: 'Tbilisi Trading LLC',
    address: null,
    country: 'GE',
    identificationNumber: null,
  },
  departure: ALAT,
  destination: TBILISI,
  borderCrossings: [
    {
      from: place('AZ_GAZAKH', 'Red Bridge (AZ)', null, 'AZ'),
      to: place('GE_RED_BRIDGE', 'Red Bridge (GE)', null, 'GE'),
    },
  ],
  carriers: [
    {
      carrier: 'Alat Free Zone Haulage',
      serviceId: 'SVC_ROAD_ALAT_TBILISI',
      tripId: 'SVC_ROAD_ALAT_TBILISI@2026-12-10T0800',
      from: ALAT,
      to: TBILISI,
      departure: Date.parse('2026-12-10T08:00:00Z'),
      arrival: Date.parse('2026-12-11T06:00:00Z'),
    },
  ],
  wagons: [],
  containers: [
    {
      equipmentReference: 'MSCU1234566',
      isoEquipmentCode: '45G1',
      seals: ['CN778899', 'AZ0001'],
      wagon: null,
    },
  ],
  goods: [
    {
      hsCode: '851712',
      description: 'Mobile phones',
      packages: { count: 400, kind: 'CT' },
      grossMassKg: 4200.5,
      marks: 'XE/TBS 1-400',
    },
    {
      hsCode: '847130',
      description: 'Laptops <15">',
      packages: { count: 20, kind: 'PK' },
      grossMassKg: 300,
      marks: null,
    },
  ],
  hazardous: false,
  consignorDeclarations: ['Goods packed for road transport'],
  attachedDocuments: [{ type: 'N380', reference: 'INV-2026-0042' }],
  charges: [{ carrier: 'Alat Free Zone Haulage', payer: 'consignor', payerCode: null }],
  instructions: 'Keep dry',
  placeOfIssue: 'Alat',
  takenOverAt: Date.parse('2026-12-10T07:30:00Z'),
};
