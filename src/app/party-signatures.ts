import type { DocumentContent } from '../core/documents/consignment.ts';
import type { Label } from '../core/documents/layout.ts';
import type { Organisation, OrganisationStore } from './account-ports.ts';
import type { SigningParty } from './document-ports.ts';

/**
 * Who signs a document as the party that issues it, and the organisations' own signing
 * certificates. The consignor signs a CMR; the carrier signs a CIM/SMGS note (the carrier on
 * the platform that operates the service of the note's first carrier part; where none does, the
 * consignor issues it under its own signature); the holder of the procedure signs a transit
 * accompanying document; the platform signs a booking confirmation. The organisation that asks
 * for a document is the consignor and the holder (it is the shipment's).
 */

export const ROLE_LABELS: Record<SigningParty['role'], Label> = {
  consignor: { en: 'Consignor', ru: 'Отправитель' },
  carrier: { en: 'Carrier', ru: 'Перевозчик' },
  holder: { en: 'Holder of the transit procedure', ru: 'Принципал транзита' },
  platform: { en: 'Platform', ru: 'Платформа' },
};

export const PLATFORM_PARTY: SigningParty = {
  party: 'platform',
  name: 'Corridor',
  role: 'platform',
  country: null,
};

const asParty = (o: Organisation, role: SigningParty['role']): SigningParty => ({
  party: o.id,
  name: o.name,
  role,
  country: o.country,
});

export async function signingPartyOf(
  deps: { organisations: OrganisationStore },
  issuer: Organisation,
  content: DocumentContent,
): Promise<SigningParty> {
  switch (content.kind) {
    case 'booking_confirmation':
      return PLATFORM_PARTY;
    case 'transit_accompanying_document':
      return asParty(issuer, 'holder');
    case 'cmr':
      return asParty(issuer, 'consignor');
    case 'rail_consignment_note': {
      const service = content.carriers[0]?.serviceId;
      const carrier =
        service === undefined
          ? undefined
          : (await deps.organisations.list()).find(
              (o) => o.kind === 'carrier' && o.services.includes(service),
            );
      return carrier ? asParty(carrier, 'carrier') : asParty(issuer, 'consignor');
    }
  }
}
