import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../../src/web/lib/api.ts';

/** The requests the page sent, each answered when the test says so. */
function fakeFetch() {
  const sent: { method: string; key: string | undefined; answer: (res: Response) => void }[] = [];
  const fail: ((e: Error) => void)[] = [];
  vi.stubGlobal('fetch', (_path: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    return new Promise<Response>((resolve, reject) => {
      sent.push({ method: init.method!, key: headers['idempotency-key'], answer: resolve });
      fail.push(reject);
    });
  });
  return { sent, fail };
}

const created = () => new Response(JSON.stringify({ id: 'bkg_1' }), { status: 201 });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the web API client', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('sends one request, with an Idempotency-Key, when an action is pressed twice', async () => {
    const { sent } = fakeFetch();
    const first = api('POST', '/v1/bookings', { planId: 'p', itineraryId: 'i1' });
    const second = api('POST', '/v1/bookings', { planId: 'p', itineraryId: 'i1' });
    await tick();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    sent[0]!.answer(created());
    expect(await first).toEqual({ id: 'bkg_1' });
    expect(await second).toEqual({ id: 'bkg_1' });
  });

  it('reuses the key when the action is retried after the answer was lost', async () => {
    const { sent, fail } = fakeFetch();
    const body = { bookingId: 'bkg_1', containers: [{ equipmentReference: 'MSKU0000018' }] };
    const first = api('POST', '/v1/shipments', body);
    await tick();
    fail[0]!(new TypeError('Failed to fetch'));
    await expect(first).rejects.toThrow('Failed to fetch');
    const retry = api('POST', '/v1/shipments', body);
    await tick();
    expect(sent.map((s) => s.key)).toEqual([sent[0]!.key, sent[0]!.key]);
    sent[1]!.answer(created());
    await retry;
  });

  it('takes a new key for the next action once the server has answered', async () => {
    const { sent } = fakeFetch();
    const body = { containers: '2x40HC' };
    const first = api('POST', '/v1/bookings/bkg_1/amend', body);
    await tick();
    sent[0]!.answer(
      new Response(JSON.stringify({ detail: 'no capacity', errors: [] }), { status: 409 }),
    );
    await expect(first).rejects.toBeInstanceOf(ApiError);
    const again = api('POST', '/v1/bookings/bkg_1/amend', body);
    const other = api('DELETE', '/v3/event-subscriptions/s1');
    await tick();
    expect(new Set(sent.map((s) => s.key)).size).toBe(3);
    sent[1]!.answer(created());
    sent[2]!.answer(new Response(null, { status: 204 }));
    await Promise.all([again, other]);
  });

  it('sends no key with a GET', async () => {
    const { sent } = fakeFetch();
    const read = api('GET', '/v1/bookings');
    await tick();
    expect(sent[0]!.key).toBeUndefined();
    sent[0]!.answer(new Response(JSON.stringify({ bookings: [] }), { status: 200 }));
    await read;
  });
});
