import { isPlatformAdmin, type Actor } from './actor.ts';
import type { Organisation } from './account-ports.ts';
import type { CustomsDeps } from './customs-deps.ts';
import { AppError } from './errors.ts';
import type { CustomsDeclaration } from './ports.ts';

/**
 * Reading customs declarations: who may see which, as which kind of party (the trader, the
 * customs of a country on it, a carrier of its shipment), and who acted, as the audit names them.
 */

export type DeclarationView =
  | { kind: 'trader'; declaration: CustomsDeclaration }
  | { kind: 'customs'; declaration: CustomsDeclaration; country: string }
  | { kind: 'carrier'; declaration: CustomsDeclaration };

/** A declaration as the caller may see it, or not_found. */
export async function getDeclaration(
  deps: CustomsDeps,
  actor: Actor,
  id: string,
): Promise<DeclarationView> {
  const d = await deps.customs.find(id);
  const view = d ? await viewOf(deps, actor, d) : undefined;
  if (!view) throw new AppError('not_found', `no declaration ${id}`);
  return view;
}

/** The declarations the caller may see, newest first. */
export async function listDeclarations(
  deps: CustomsDeps,
  actor: Actor,
): Promise<DeclarationView[]> {
  if (isPlatformAdmin(actor))
    return (await deps.customs.list({ limit: 500 })).map((declaration) => ({
      kind: 'trader',
      declaration,
    }));
  const org = await deps.organisations.find(actor.organisationId);
  if (!org) return [];
  let found: CustomsDeclaration[];
  if (org.kind === 'customs')
    found = await deps.customs.list({ countries: [org.country], limit: 500 });
  else if (org.kind === 'carrier') {
    const shipments = (
      await deps.tracking.listShipments({
        organisationId: org.id,
        admin: false,
        serviceIds: org.services,
        countries: [],
      })
    )
      .filter((s) => s.serviceIds.some((x) => org.services.includes(x)))
      .map((s) => s.id);
    found =
      shipments.length > 0 ? await deps.customs.list({ shipmentIds: shipments, limit: 500 }) : [];
  } else found = await deps.customs.list({ organisationId: org.id, limit: 500 });
  const views = await Promise.all(found.map((d) => viewOf(deps, actor, d, org)));
  return views.filter((v): v is DeclarationView => v !== undefined);
}

/** The declaration as this caller may see it, or undefined when it may not. */
export async function viewOf(
  deps: CustomsDeps,
  actor: Actor,
  d: CustomsDeclaration,
  known?: Organisation,
): Promise<DeclarationView | undefined> {
  if (isPlatformAdmin(actor) || d.organisationId === actor.organisationId)
    return { kind: 'trader', declaration: d };
  const org = known ?? (await deps.organisations.find(actor.organisationId));
  if (!org) return undefined;
  if (org.kind === 'customs' && d.segments.some((s) => s.country === org.country))
    return { kind: 'customs', declaration: d, country: org.country };
  if (org.kind === 'carrier' && d.shipmentId) {
    const shipment = await deps.tracking.findShipment(d.shipmentId);
    if (shipment && shipment.serviceIds.some((x) => org.services.includes(x)))
      return { kind: 'carrier', declaration: d };
  }
  return undefined;
}

/** The declaration, when the caller is the trader who lodged it (or a platform admin). */
export async function ownDeclaration(
  deps: CustomsDeps,
  actor: Actor,
  id: string,
): Promise<CustomsDeclaration> {
  const d = await deps.customs.find(id);
  if (!d) throw new AppError('not_found', `no declaration ${id}`);
  if (d.organisationId !== actor.organisationId && !isPlatformAdmin(actor)) {
    if (await viewOf(deps, actor, d))
      throw new AppError('forbidden', 'only the trader who lodged it may do this');
    throw new AppError('not_found', `no declaration ${id}`);
  }
  return d;
}

/** Who acted, as the audit log names them: organisation/user. */
export function actorName(actor: Actor): string {
  return `${actor.organisationId}/${actor.id}`;
}
