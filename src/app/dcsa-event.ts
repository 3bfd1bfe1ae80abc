import type { StoredEvent } from './shipments.ts';

/** An event in DCSA Track & Trace 2.2 flat form, as the read API and notifications give it. */
export function dcsaEvent(e: StoredEvent) {
  const codeField = {
    TRANSPORT: 'transportEventTypeCode',
    EQUIPMENT: 'equipmentEventTypeCode',
    SHIPMENT: 'shipmentEventTypeCode',
  }[e.eventType];
  return {
    eventID: e.eventID,
    eventCreatedDateTime: new Date(e.eventCreatedDateTime).toISOString(),
    eventDateTime: new Date(e.eventDateTime).toISOString(),
    eventType: e.eventType,
    eventClassifierCode: e.eventClassifierCode,
    [codeField]: e.eventTypeCode,
    equipmentReference: e.equipmentReference,
    eventLocation: e.unLocationCode
      ? { UNLocationCode: e.unLocationCode, facilityTypeCode: e.facilityTypeCode }
      : null,
    modeOfTransport: e.modeOfTransport,
    shipmentID: e.shipmentId,
  };
}
