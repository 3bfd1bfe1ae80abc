import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { subscriptionSchema } from '../../../api/tracking.ts';
import { Problem, Time } from '../../components/common.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { answer, client } from '../../lib/api.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';

type Subscription = z.infer<typeof subscriptionSchema>;

/** A fresh 32-byte HMAC key, Base64, made in the browser and shown once. */
function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes));
}

/** Webhook subscriptions to the events of one shipment: list, add (secret shown once), remove. */
export function Subscriptions({ shipmentId }: { shipmentId: string }) {
  const { t } = useI18n();
  const { data, error, reload } = useApi<Subscription[]>('/v3/event-subscriptions');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [actionError, setActionError] = useState<Error | null>(null);
  const { pending, run } = useAction();
  const mine = (data ?? []).filter((s) => s.shipmentID === shipmentId);
  const add = (e: FormEvent) => {
    e.preventDefault();
    void run(() => {
      const key = newSecret();
      return answer(
        client.POST('/v3/event-subscriptions', {
          body: { callbackUrl: url, secret: key, shipmentID: shipmentId },
        }),
      )
        .then(() => {
          setSecret(key);
          setUrl('');
          setActionError(null);
          reload();
        })
        .catch((err: unknown) => setActionError(err as Error));
    });
  };
  const remove = (id: string) =>
    run(() =>
      answer(
        client.DELETE('/v3/event-subscriptions/{subscriptionId}', {
          params: { path: { subscriptionId: id } },
        }),
      )
        .then(reload)
        .catch((err: unknown) => setActionError(err as Error)),
    );
  return (
    <section className="card">
      <h2>{t('subscriptions.title')}</h2>
      <Problem error={error ?? actionError} />
      <ul className="list">
        {mine.map((s) => (
          <li key={s.subscriptionID}>
            {s.callbackUrl} · <Time iso={s.subscriptionCreatedDateTime} />{' '}
            <ConfirmButton
              label={t('subscriptions.remove')}
              question={t('confirm.removeSubscription', { url: s.callbackUrl })}
              yes={t('confirm.removeSubscriptionYes')}
              disabled={pending}
              onConfirm={() => void remove(s.subscriptionID)}
            />
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="inline">
        <label>
          {t('subscriptions.url')}
          <input
            type="url"
            required
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://erp.example.com/dcsa/events"
          />
        </label>
        <button type="submit" disabled={pending}>
          {t('subscriptions.add')}
        </button>
      </form>
      {secret && (
        <p role="status" className="notice">
          {t('subscriptions.secret')} <code>{secret}</code>
        </p>
      )}
    </section>
  );
}
