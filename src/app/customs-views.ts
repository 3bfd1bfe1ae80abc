import { DEFAULT_PAGE, keysetPage, type Page, type PageRequest } from './paging.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import type { Organisation } from './account-ports.ts';
import type { CustomsDeps } from './customs-deps.ts';
import { AppError } from './errors.ts';
import type { CustomsDeclaration } from './customs-ports.ts';

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

/**
 * The declarations the caller may see, newest first, a page at a time with the total of its
 * scope (a page may hold fewer than `limit` when some of a carrier's scope is not its to see;
 * the next cursor still follows on).
 */
export async function listDeclarations(
  deps: CustomsDeps,
  actor: Actor,
  page: PageRequest = { limit: DEFAULT_PAGE },
): Promise<Page<DeclarationView>> {
  const key = (v: DeclarationView) => ({ at: v.declaration.createdAt, id: v.declaration.id });
  const read = async (scope: Parameters<CustomsDeps['customs']['count']>[0]) => {
    const [found, total] = await Promise.all([
      deps.customs.list({
        ...scope,
        limit: page.limit + 1,
        ...(page.after ? { after: page.after } : {}),
      }),
      deps.customs.count(scope),
    ]);
    return { found, total };
  };
  if (isPlatformAdmin(actor)) {
    const { found, total } = await read({});
    return keysetPage(
      found.map((declaration) => ({ kind: 'trader' as const, declaration })),
      page,
      key,
      total,
    );
  }
  const org = await deps.organisations.find(actor.organisationId);
  if (!org) return { items: [], nextCursor: null, total: 0 };
  let scope: Parameters<CustomsDeps['customs']['count']>[0];
  if (org.kind === 'customs') scope = { countries: [org.country] };
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
    if (shipments.length === 0) return { items: [], nextCursor: null, total: 0 };
    scope = { shipmentIds: shipments };
  } else scope = { organisationId: org.id };
  const { found, total } = await read(scope);
  // Whether there is a next page is decided on what was read, before the views are filtered.
  const paged = keysetPage(found, page, (d) => ({ at: d.createdAt, id: d.id }), total);
  const views = await Promise.all(paged.items.map((d) => viewOf(deps, actor, d, org)));
  return { ...paged, items: views.filter((v): v is DeclarationView => v !== undefined) };
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
