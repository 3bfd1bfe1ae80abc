import {
  ETIR_ERRORS,
  ETIR_REQUESTS,
  readEtirMessage,
  responseMessage,
  type EtirError,
  type EtirErrorCode,
  type EtirInbound,
} from '../core/customs/etir/messages.ts';
import type { SegmentAction } from '../core/customs/lifecycle.ts';
import type { Actor } from './actor.ts';
import { applyToSegment } from './customs.ts';
import type { CustomsDeps } from './customs-deps.ts';
import { officeIndex } from './customs-itinerary.ts';
import { routeFor } from './customs-outbound.ts';
import type { InboundResult, SystemLink } from './customs-system-ports.ts';
import {
  MAX_INBOUND_BYTES,
  SYSTEM_NAMES,
  systemCaller,
  systemDecision,
} from './customs-systems.ts';
import { AppError, type AppErrorType } from './errors.ts';
import type { CustomsSegment } from './customs-ports.ts';

/**
 * Messages from the eTIR international system (docs/customs-systems.md#etir): the answers to the
 * holder's advance data (E10, E12) and the TIR operation as the customs along the itinerary
 * record it, relayed by the international system (I7 record declaration, I9 start, I11
 * terminate, I13 discharge, I15 notify customs). Each is checked as the specification's
 * validations do and applied to its segment as an officer's action would be, the audit naming
 * the system; a request is answered with its response message (I8, I10, I12, I14, I16). An error
 * carries the code of code list 99 and its pointer; a message id seen before is answered as the
 * first time and not applied again (the eTIR rule on duplicate messages, error 299 when the id
 * comes with other content).
 */
export async function receiveEtirMessage(
  deps: CustomsDeps,
  actor: Actor,
  xml: string,
): Promise<{ result: InboundResult; duplicate: boolean }> {
  const org = await systemCaller(deps, actor);
  const read = readEtirMessage(xml, MAX_INBOUND_BYTES);
  if (!read.ok) throw etirError('invalid_data', read.errors);
  const m = read.message;
  const sha = deps.secrets.hash(xml);
  const earlier = async () => {
    const seen = await deps.systems.findInbound('etir', org.country, m.header.messageId);
    if (!seen) return undefined;
    if (seen.bodySha256 !== sha)
      throw etirError('conflict', [{ code: '299', pointer: `${m.type}/MessageID` }]);
    return { result: seen.result, duplicate: true };
  };
  const before = await earlier();
  if (before) return before;

  const link = await linkOf(deps, m, org.country);
  const route = routeFor(
    await deps.systems.routes(),
    link.office,
    await officeIndex(deps),
    link.country,
  );
  if (route?.system !== 'etir')
    throw new AppError('conflict', `${link.country} customs do not decide through eTIR`);
  const departure = (await deps.systems.linksOf(link.declarationId)).find(
    (l) => l.system === 'etir',
  );
  let result: InboundResult | undefined;
  try {
    await applyToSegment(deps, link.declarationId, link.country, `${org.id}/etir`, org.id, (d) => {
      const s = d.segments.find((x) => x.seq === link.segmentSeq)!;
      const plan = planOf(m, s, departure);
      const response =
        m.type in ETIR_REQUESTS
          ? responseMessage(
              ETIR_REQUESTS[m.type as keyof typeof ETIR_REQUESTS],
              {
                messageId: deps.secrets.id('msg').slice(0, 35),
                sender: route.sender,
                recipient: m.header.sender,
                preparedAt: deps.clock.now(),
                correlationId: m.header.messageId,
              },
              [],
            )
          : undefined;
      result = {
        messageType: m.type,
        messageId: m.header.messageId,
        declarationId: d.id,
        country: link.country,
        state: s.state,
        applied: [...(plan.record ? [plan.record] : []), ...plan.actions.map((a) => a.type)],
        ...(response ? { response } : {}),
      };
      return {
        action: plan.actions,
        record: plan.record,
        detail: {
          system: SYSTEM_NAMES.etir,
          messageType: m.type,
          messageId: m.header.messageId,
          sender: m.header.sender,
          preparedAt: m.header.preparedAt,
          ...plan.detail,
        },
        systems: {
          links: plan.link ? [plan.link] : [],
          inbound: {
            system: 'etir',
            country: org.country,
            messageId: m.header.messageId,
            messageType: m.type,
            declarationId: d.id,
            receivedAt: deps.clock.now(),
            bodySha256: sha,
            result,
          },
        },
      };
    });
  } catch (e) {
    // The same message delivered twice at once: the second finds the first's record.
    const raced = await earlier();
    if (raced) return raced;
    throw e;
  }
  const after = await deps.customs.find(link.declarationId);
  const state = after!.segments.find((x) => x.seq === link.segmentSeq)!.state;
  return { result: { ...result!, state }, duplicate: false };
}

/** The segment a message is about: by the answered message (E10, E12) or the guarantee. */
async function linkOf(deps: CustomsDeps, m: EtirInbound, country: string): Promise<SystemLink> {
  if ('errors' in m) {
    const sent = await deps.systems.findOutbound(country, m.header.correlationId ?? '');
    const link = sent
      ? (await deps.systems.linksOf(sent.declarationId)).find(
          (l) => l.segmentSeq === sent.segmentSeq && l.system === 'etir',
        )
      : undefined;
    if (!link) throw etirError('not_found', [{ code: '307', pointer: `${m.type}/CorrelationID` }]);
    return link;
  }
  const link = await deps.systems.findLink('etir', {
    lrn: m.guaranteeReference,
    country: m.office.slice(0, 2),
  });
  if (!link || link.country !== country)
    throw etirError('not_found', [
      {
        code: m.type === 'I7' ? '307' : '301',
        pointer: `${m.type}/Declaration/Guarantee/ReferenceID`,
      },
    ]);
  return link;
}

type Plan = {
  actions: SegmentAction[];
  record?: string;
  detail: object;
  link?: SystemLink;
};

/** What a message means for the segment, or the error of code list 99 it is answered with. */
function planOf(m: EtirInbound, s: CustomsSegment, departure: SystemLink | undefined): Plan {
  const refuse = (code: EtirErrorCode): never => {
    throw etirError('conflict', [{ code, pointer: m.type }]);
  };
  const started = ['released', 'exited', 'discharged'].includes(s.state);
  if (s.state === 'invalidated' || s.state === 'refused') refuse('200');
  switch (m.type) {
    case 'E10':
    case 'E12':
      return {
        actions: [],
        record: m.errors.length === 0 ? 'etir_advance_data_accepted' : 'etir_advance_data_rejected',
        detail: { correlationId: m.header.correlationId, errors: m.errors },
      };
    case 'I7':
      return {
        actions: [],
        record: 'etir_declaration_recorded',
        detail: { office: m.office, declarationReference: m.declarationReference },
        link: departure ? { ...departure, mrn: m.declarationReference } : undefined,
      } as Plan;
    case 'I15':
      return { actions: [], record: 'etir_customs_notified', detail: { office: m.office } };
    case 'I9': {
      if (!departure?.mrn) refuse('220');
      if (started) refuse('210');
      const assess: SegmentAction[] =
        s.state === 'accepted' ? [{ type: 'assess', decision: systemDecision('green') }] : [];
      return {
        actions: [...assess, { type: 'arrive' }, { type: 'release' }],
        detail: { office: m.office, sequence: m.sequence, seals: m.seals },
      };
    }
    case 'I11':
      if (!started) refuse('213');
      if (s.state !== 'released') refuse('211');
      return {
        actions: [{ type: 'exit' }],
        detail: { office: m.office, sequence: m.sequence, seals: m.seals },
      };
    case 'I13':
      if (!started) refuse('213');
      if (s.state === 'discharged') refuse('212');
      if (s.state !== 'exited') refuse('200');
      return {
        actions: [{ type: 'discharge' }],
        detail: { office: m.office, sequence: m.sequence },
      };
  }
}

/** An error answered with the codes of code list 99, each naming its field (the pointer). */
function etirError(type: AppErrorType, errors: readonly EtirError[]): AppError {
  const first = errors[0]!;
  return new AppError(
    type,
    `eTIR error ${first.code} (${ETIR_ERRORS[first.code]}) at ${first.pointer}`,
    errors.map((e) => ({ path: e.pointer, message: `${e.code} ${ETIR_ERRORS[e.code]}` })),
  );
}
