import type { EpochMs } from '../shared/units.ts';

/**
 * A service request between two organisations: the requester asks, the provider answers with an
 * offer (price, currency, validity, terms) or refuses; the requester accepts or declines the
 * offer, or withdraws. The provider may revise its offer while the request is open. Pure.
 *
 *   requested ──offer──▶ offered ──accept──▶ accepted
 *       │                 │  ▲ └──decline──▶ declined
 *       │                 └──┘ offer (revised)
 *       ├──refuse (provider)──▶ refused
 *       └──withdraw (requester, also from offered)──▶ withdrawn
 */

export const REQUEST_STATES = [
  'requested',
  'offered',
  'accepted',
  'declined',
  'refused',
  'withdrawn',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export interface Offer {
  price: number;
  currency: string;
  validUntil: EpochMs;
  terms: string;
  at: EpochMs;
}

export type RequestAction =
  | { type: 'offer'; offer: Omit<Offer, 'at'> }
  | { type: 'refuse'; reason: string }
  | { type: 'accept' }
  | { type: 'decline'; reason?: string | undefined }
  | { type: 'withdraw' };

export type Party = 'requester' | 'provider';

const CLOSED: ReadonlySet<RequestState> = new Set(['accepted', 'declined', 'refused', 'withdrawn']);

export function isClosed(state: RequestState): boolean {
  return CLOSED.has(state);
}

export type Transition =
  | { ok: true; state: RequestState; offer?: Offer }
  | { ok: false; status: 'conflict' | 'forbidden' | 'invalid'; message: string };

/** What an action by one party does to a request in `state` at `now`. Pure. */
export function transition(
  state: RequestState,
  offer: Offer | null,
  action: RequestAction,
  by: Party,
  now: EpochMs,
): Transition {
  const who = (p: Party): Transition | null =>
    by === p
      ? null
      : { ok: false, status: 'forbidden', message: `only the ${p} may ${action.type}` };
  if (isClosed(state))
    return {
      ok: false,
      status: 'conflict',
      message: `the request is ${state}: it takes no ${action.type}`,
    };
  switch (action.type) {
    case 'offer': {
      const refused = who('provider');
      if (refused) return refused;
      if (action.offer.validUntil <= now)
        return { ok: false, status: 'invalid', message: 'validUntil: must be in the future' };
      return { ok: true, state: 'offered', offer: { ...action.offer, at: now } };
    }
    case 'refuse':
      return who('provider') ?? { ok: true, state: 'refused' };
    case 'withdraw':
      return who('requester') ?? { ok: true, state: 'withdrawn' };
    case 'accept':
    case 'decline': {
      const refused = who('requester');
      if (refused) return refused;
      if (state !== 'offered' || !offer)
        return {
          ok: false,
          status: 'conflict',
          message: `there is no offer to ${action.type} yet`,
        };
      if (action.type === 'accept' && offer.validUntil <= now)
        return {
          ok: false,
          status: 'conflict',
          message: `the offer expired at ${new Date(offer.validUntil).toISOString()}`,
        };
      return { ok: true, state: action.type === 'accept' ? 'accepted' : 'declined' };
    }
  }
}
