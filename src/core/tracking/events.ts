import type { EpochMs } from '../shared/units.ts';

/**
 * Tracking events in DCSA Track & Trace words (TNT 2.2 and 3.0, event domain 3.1): the event's
 * type, whether it happened (ACT), is planned (PLN) or estimated (EST), its code, where and when.
 */

export const EVENT_TYPES = ['TRANSPORT', 'EQUIPMENT', 'SHIPMENT'] as const;
export const EVENT_CLASSIFIERS = ['ACT', 'PLN', 'EST'] as const;
export const TRANSPORT_EVENT_CODES = ['ARRI', 'DEPA'] as const;
export const EQUIPMENT_EVENT_CODES = [
  'LOAD',
  'DISC',
  'GTIN',
  'GTOT',
  'STUF',
  'STRP',
  'PICK',
  'AVPU',
  'DROP',
  'AVDO',
  'INSP',
  'RSEA',
  'RMVD',
  'CUSS',
  'CUSI',
  'CUSR',
  'CROS',
] as const;
export const SHIPMENT_EVENT_CODES = [
  'RECE',
  'DRFT',
  'PENA',
  'PENU',
  'REJE',
  'APPR',
  'ISSU',
  'SURR',
  'SUBM',
  'VOID',
  'CONF',
  'PENC',
  'REQS',
  'CMPL',
  'HOLD',
  'RELS',
  'CANC',
] as const;
/** BORD (TNT 3.0's equipment events) and BOCR (TNT 2.2, the transport call) both mean border. */
export const FACILITY_TYPE_CODES = [
  'BORD',
  'BOCR',
  'CLOC',
  'COFS',
  'OFFD',
  'DEPO',
  'INTE',
  'POTE',
  'BRTH',
  'RAMP',
  'WAYP',
] as const;
export const MODES_OF_TRANSPORT = ['VESSEL', 'RAIL', 'TRUCK', 'BARGE'] as const;

export type EventType = (typeof EVENT_TYPES)[number];
export type EventClassifier = (typeof EVENT_CLASSIFIERS)[number];

/** One tracking event as the platform keeps it (times as epoch ms, UTC). */
export interface TrackingEvent {
  eventID: string;
  eventType: EventType;
  eventClassifierCode: EventClassifier;
  /** transportEventTypeCode, equipmentEventTypeCode or shipmentEventTypeCode. */
  eventTypeCode: string;
  /** When it happened (ACT) or will happen (PLN, EST). */
  eventDateTime: EpochMs;
  /** When its source created it. */
  eventCreatedDateTime: EpochMs;
  unLocationCode: string | null;
  facilityTypeCode: string | null;
  equipmentReference: string | null;
  modeOfTransport: string | null;
}

/**
 * Events in the order they happened: event time, then creation time, then id (so the same set
 * gives the same order whatever order it arrived in). Pure; returns a new array.
 */
export function inEventTime<T extends TrackingEvent>(events: readonly T[]): T[] {
  return [...events].sort(
    (a, b) =>
      a.eventDateTime - b.eventDateTime ||
      a.eventCreatedDateTime - b.eventCreatedDateTime ||
      (a.eventID < b.eventID ? -1 : a.eventID > b.eventID ? 1 : 0),
  );
}
