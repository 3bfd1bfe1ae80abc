import type { Organisation } from './account-ports.ts';
import type { Shipment, ShipmentAccess } from './shipments.ts';

/** The access of an organisation (`admin`: it acts as a platform admin). */
export function accessOf(org: Organisation, admin: boolean): ShipmentAccess {
  return {
    organisationId: org.id,
    admin,
    serviceIds: org.kind === 'carrier' ? org.services : [],
    countries: org.kind === 'customs' || org.kind === 'terminal' ? [org.country] : [],
  };
}

/** Whether the organisation serves the shipment: may post its events. Pure. */
export function serves(a: ShipmentAccess, s: Pick<Shipment, 'serviceIds' | 'countries'>): boolean {
  return (
    a.admin ||
    s.serviceIds.some((id) => a.serviceIds.includes(id)) ||
    s.countries.some((c) => a.countries.includes(c))
  );
}

/** Whether the organisation may read the shipment and its events. Pure. */
export function mayRead(
  a: ShipmentAccess,
  s: Pick<Shipment, 'organisationId' | 'serviceIds' | 'countries'>,
): boolean {
  return s.organisationId === a.organisationId || serves(a, s);
}
