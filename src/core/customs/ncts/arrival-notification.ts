import {
  headerElements,
  nctsDateTime,
  NCTS_NAMESPACE,
  type NctsHeader,
} from './declaration-data.ts';
import { el, renderXml } from './xml.ts';

/**
 * The arrival notification (CC007C, XSD 60.4.16) the trader at destination sends when the goods
 * of a movement have arrived: the MRN, the time of arrival, the office of destination actual and
 * the goods' location at it (type A designated location, identified by the customs office,
 * qualifier V). Normal procedure (simplifiedProcedure 0). Pure.
 */
export interface ArrivalNotificationInput {
  mrn: string;
  arrivedAt: Date;
  /** The office of destination actual, e.g. GEPTI002. */
  office: string;
  /** The trader at destination's identification number (EORI, TIN), at most 17 characters. */
  traderIdentificationNumber: string;
}

export function arrivalNotificationMessage(
  header: NctsHeader,
  a: ArrivalNotificationInput,
): string {
  return renderXml(
    el(
      'ncts:CC007C',
      [
        ...headerElements(header, 'CC007C'),
        el('TransitOperation', [
          el('MRN', a.mrn),
          el('arrivalNotificationDateAndTime', nctsDateTime(a.arrivedAt)),
          el('simplifiedProcedure', '0'),
        ]),
        el('CustomsOfficeOfDestinationActual', [el('referenceNumber', a.office)]),
        el('TraderAtDestination', [el('identificationNumber', a.traderIdentificationNumber)]),
        el('Consignment', [
          el('LocationOfGoods', [
            el('typeOfLocation', 'A'),
            el('qualifierOfIdentification', 'V'),
            el('CustomsOffice', [el('referenceNumber', a.office)]),
          ]),
        ]),
      ],
      { 'xmlns:ncts': NCTS_NAMESPACE, PhaseID: 'NCTS6' },
    ),
  );
}
