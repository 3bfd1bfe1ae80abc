import { arrivalNotificationMessage } from '../core/customs/ncts/arrival-notification.ts';
import { isPlatformAdmin, type Actor } from './actor.ts';
import { actorName, viewOf } from './customs-views.ts';
import { applyToSegment } from './customs.ts';
import type { CustomsDeps } from './customs-deps.ts';
import { officeIndex } from './customs-itinerary.ts';
import { routeFor } from './customs-outbound.ts';
import { SYSTEM_NAMES } from './customs-systems.ts';
import { AppError } from './errors.ts';
import type { CustomsDeclaration } from './customs-ports.ts';

/**
 * The trader's arrival notice for a segment decided in NCTS: when the goods have arrived at the
 * office of destination, the arrival notification (CC007C) is written to the outbox with the
 * segment's end (CROS), in one transaction; the office then releases the goods (CC025C in) and
 * the segment is discharged. A second notice of the same arrival sends nothing more.
 */
export async function notifyArrival(
  deps: CustomsDeps,
  actor: Actor,
  id: string,
  country: string,
): Promise<{ declaration: CustomsDeclaration; messageId: string | null }> {
  const d = await deps.customs.find(id);
  if (!d || (d.organisationId !== actor.organisationId && !isPlatformAdmin(actor))) {
    if (d && (await viewOf(deps, actor, d)))
      throw new AppError('forbidden', 'only the trader who lodged it notifies the arrival');
    throw new AppError('not_found', `no declaration ${id}`);
  }
  const segment = d.segments.find((s) => s.country === country);
  if (!segment)
    throw new AppError('not_found', `the declaration has no segment in ${country}`, [
      { path: 'params.country', message: 'not a country of the declaration' },
    ]);
  const link = (await deps.systems.linksOf(id)).find(
    (l) => l.segmentSeq === segment.seq && l.system === 'ncts',
  );
  if (!link)
    throw new AppError(
      'conflict',
      `the ${country} segment is not decided in NCTS: its arrival is recorded on the desk`,
    );
  if (segment.state === 'exited' || segment.state === 'discharged')
    return { declaration: d, messageId: null };
  if (!link.mrn)
    throw new AppError('conflict', 'NCTS has not allocated the movement an MRN yet (CC028C)');
  if (segment.state !== 'released')
    throw new AppError(
      'conflict',
      `the goods arrive after their release for transit; the segment is ${segment.state}`,
    );
  const route = routeFor(
    await deps.systems.routes(),
    link.office,
    await officeIndex(deps),
    country,
  );
  if (route?.system !== 'ncts')
    throw new AppError('conflict', `${country} customs decide on the desk, not in NCTS`);
  const now = deps.clock.now();
  const messageId = deps.secrets.id('msg').slice(0, 35);
  const office = segment.exitOffice ?? segment.office;
  const declaration = await applyToSegment(
    deps,
    id,
    country,
    actorName(actor),
    actor.organisationId,
    (current) => ({
      action: { type: 'exit' },
      detail: { system: SYSTEM_NAMES.ncts, messageType: 'CC007C', messageId, office },
      // A notice that raced another finds the segment ended already: nothing more is sent.
      systems:
        current.segments.find((s) => s.seq === segment.seq)?.state !== 'released'
          ? {}
          : {
              outbox: [
                {
                  id: messageId,
                  system: 'ncts',
                  country,
                  office,
                  declarationId: id,
                  segmentSeq: segment.seq,
                  messageType: 'CC007C',
                  body: arrivalNotificationMessage(
                    {
                      messageIdentification: messageId,
                      messageSender: route.sender,
                      messageRecipient: route.recipient,
                      preparedAt: now,
                    },
                    {
                      mrn: link.mrn!,
                      arrivedAt: now,
                      office,
                      traderIdentificationNumber: current.data.holder.identificationNumber,
                    },
                  ),
                  endpointUrl: route.endpointUrl,
                  createdAt: now,
                },
              ],
            },
    }),
  );
  return { declaration, messageId };
}
