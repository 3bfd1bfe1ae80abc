import { describe, expect, it } from 'vitest';
import {
  REQUEST_STATES,
  transition,
  type Offer,
  type Party,
  type RequestAction,
  type RequestState,
} from '../../../src/core/directory/service-request.ts';

const NOW = 1_000_000;
const offer: Offer = { price: 100, currency: 'USD', validUntil: NOW + 10, terms: 't', at: NOW - 5 };
const ACTIONS: [RequestAction, Party][] = [
  [
    { type: 'offer', offer: { price: 1, currency: 'USD', validUntil: NOW + 1, terms: 't' } },
    'provider',
  ],
  [{ type: 'refuse', reason: 'r' }, 'provider'],
  [{ type: 'accept' }, 'requester'],
  [{ type: 'decline' }, 'requester'],
  [{ type: 'withdraw' }, 'requester'],
];
const result = (state: RequestState, action: RequestAction, by: Party, o: Offer | null = offer) => {
  const t = transition(state, o, action, by, NOW);
  return t.ok ? t.state : t.status;
};

describe('a service request’s states', () => {
  it('goes where each party’s action takes it while open', () => {
    const table = (['requested', 'offered'] as const).map((s) =>
      ACTIONS.map(([a, by]) => `${a.type}:${result(s, a, by, s === 'offered' ? offer : null)}`),
    );
    expect(table).toEqual([
      [
        'offer:offered',
        'refuse:refused',
        'accept:conflict',
        'decline:conflict',
        'withdraw:withdrawn',
      ],
      [
        'offer:offered',
        'refuse:refused',
        'accept:accepted',
        'decline:declined',
        'withdraw:withdrawn',
      ],
    ]);
  });

  it('takes nothing once closed', () => {
    for (const s of REQUEST_STATES.filter((x) => x !== 'requested' && x !== 'offered'))
      for (const [a, by] of ACTIONS) expect(result(s, a, by), `${s} ${a.type}`).toBe('conflict');
  });

  it('lets each action be done by its party only', () => {
    for (const [a, by] of ACTIONS)
      expect(result('offered', a, by === 'provider' ? 'requester' : 'provider')).toBe('forbidden');
  });

  it('accepts no expired offer, and takes no offer that has expired already', () => {
    const expired = { ...offer, validUntil: NOW };
    const t = transition('offered', expired, { type: 'accept' }, 'requester', NOW);
    expect(t).toEqual({
      ok: false,
      status: 'conflict',
      message: `the offer expired at ${new Date(NOW).toISOString()}`,
    });
    expect(result('offered', { type: 'decline' }, 'requester', expired)).toBe('declined');
    const stale = { type: 'offer' as const, offer: { ...offer, validUntil: NOW } };
    expect(result('requested', stale, 'provider')).toBe('invalid');
  });
});
