import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import {
  PROFILE_LANGUAGES,
  SERVICE_KINDS,
  type matchSchema,
  type searchAnswerSchema,
  type serviceRequestSchema,
} from '../../../api/directory.ts';
import { useSignedIn } from '../../app/session.tsx';
import { Loading, Problem, Time } from '../../components/common.tsx';
import { downloadCsv, toCsv } from '../../components/list-tools.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { api } from '../../lib/api.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useNetwork } from '../map/network.ts';

type SearchAnswer = z.infer<typeof searchAnswerSchema>;
type Profile = SearchAnswer['results'][number];
type ServiceRequest = z.infer<typeof serviceRequestSchema>;
type Match = z.infer<typeof matchSchema>;

/** The day `days` from today in the browser's own time zone, as YYYY-MM-DD. */
function dayFromToday(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** A node's name, its id while the network loads. */
function useNodeName(): (id: string) => string {
  const network = useNetwork();
  return (id) => network?.byId.get(id)?.name ?? id;
}

export default function DirectoryPage() {
  const { t, language, locale } = useI18n();
  const languageName = (code: string) =>
    new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  const session = useSignedIn();
  const [q, setQ] = useState('');
  const [service, setService] = useState('');
  const [country, setCountry] = useState('');
  const [hs, setHs] = useState('');
  const [spoken, setSpoken] = useState('');
  const [verified, setVerified] = useState(false);
  const [query, setQuery] = useState('');
  const { data, error } = useApi<SearchAnswer>(`/v1/directory?limit=50${query}`);
  const requests = useApi<{ requests: ServiceRequest[] }>('/v1/service-requests');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const params = new URLSearchParams();
    if (q.trim()) params.set('q', q.trim());
    if (service) params.set('service', service);
    if (country.trim()) params.set('country', country.trim().toUpperCase());
    if (hs.trim()) params.set('hs', hs.trim());
    if (spoken) params.set('language', spoken);
    if (verified) params.set('verified', 'true');
    const text = params.toString();
    setQuery(text ? `&${text}` : '');
  };
  const exportCsv = (profiles: readonly Profile[]) =>
    downloadCsv(
      'directory.csv',
      toCsv([
        [
          t('directory.name'),
          t('directory.kind'),
          t('directory.country'),
          t('directory.service'),
          t('directory.verified'),
        ],
        ...profiles.map((p) => [
          p.name,
          t(`orgKind.${p.kind}` as MessageKey),
          p.country,
          p.services.map((x) => t(`service.${x}` as MessageKey)).join('; '),
          p.verified ? t('directory.verified') : '',
        ]),
      ]),
    );
  return (
    <section>
      <h1>{t('directory.title')}</h1>
      <form role="search" onSubmit={submit} className="inline">
        <label>
          {t('directory.search')}{' '}
          <input
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            data-testid="directory-q"
          />
        </label>
        <label>
          {t('directory.service')}
          <select value={service} onChange={(e) => setService(e.target.value)}>
            <option value="">{t('list.all')}</option>
            {SERVICE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`service.${k}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('directory.countryServed')}
          <input
            value={country}
            onChange={(e) => setCountry(e.target.value)}
            placeholder="AZ, GE, KZ…"
            maxLength={2}
            size={4}
          />
        </label>
        <label>
          {t('directory.hs')}
          <input
            value={hs}
            onChange={(e) => setHs(e.target.value)}
            inputMode="numeric"
            pattern="[0-9]{2,10}"
            size={10}
          />
        </label>
        <label>
          {t('directory.language')}
          <select value={spoken} onChange={(e) => setSpoken(e.target.value)}>
            <option value="">{t('list.all')}</option>
            {PROFILE_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {languageName(l)}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={verified}
            onChange={(e) => setVerified(e.target.checked)}
          />
          {t('directory.verifiedOnly')}
        </label>
        <button type="submit">{t('directory.search')}</button>
      </form>
      <Problem error={error} />
      <Loading when={data}>
        {data && (
          <>
            <div className="list-tools">
              <p role="status">{t('directory.results', { count: data.total })}</p>
              <button
                type="button"
                onClick={() => exportCsv(data.results)}
                disabled={data.results.length === 0}
              >
                {t('list.csv')}
              </button>
            </div>
            <ul className="cards grid">
              {data.results.map((p) => (
                <li key={p.organisationId} className="card" data-testid="directory-result">
                  <h2>
                    {p.name}{' '}
                    {p.verified && <span className="badge">{t('directory.verified')}</span>}
                  </h2>
                  <p className="muted">
                    {t(`orgKind.${p.kind}` as MessageKey)} · {p.country} ·{' '}
                    {p.services.map((x) => t(`service.${x}` as MessageKey)).join(', ')}
                  </p>
                  <p>
                    {p.descriptions[language] ??
                      p.descriptions.en ??
                      Object.values(p.descriptions)[0]}
                  </p>
                  {p.contact && (
                    <p className="muted" data-testid="directory-contact">
                      {t('directory.contact')}: {Object.values(p.contact).join(' · ')}
                    </p>
                  )}
                  {p.organisationId !== session.organisation.id && p.services.length > 0 && (
                    <RequestForm profile={p} onSent={requests.reload} />
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </Loading>
      <h2>{t('directory.requests')}</h2>
      <Problem error={requests.error} />
      <Loading when={requests.data}>
        <ul className="queue">
          {(requests.data?.requests ?? []).map((r) => (
            <RequestItem key={r.id} request={r} onChange={requests.reload} />
          ))}
        </ul>
      </Loading>
      <Matches />
    </section>
  );
}

function RequestForm({ profile, onSent }: { profile: Profile; onSent: () => void }) {
  const { t } = useI18n();
  const name = useNodeName();
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState(false);
  const [service, setService] = useState(profile.services[0]!);
  const [nodeId, setNodeId] = useState(profile.nodes[0] ?? '');
  const [wantedFrom, setWantedFrom] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const sending = useAction();
  if (!open)
    return (
      <>
        {sent && (
          <p role="status" className="ok">
            {t('directory.requestSent', { provider: profile.name })}
          </p>
        )}
        <button type="button" onClick={() => (setOpen(true), setSent(false))}>
          {t('directory.request')}
        </button>
      </>
    );
  const send = (e: FormEvent) => {
    e.preventDefault();
    void sending.run(() =>
      api('POST', '/v1/service-requests', {
        providerId: profile.organisationId,
        service,
        ...(nodeId ? { nodeId } : {}),
        ...(wantedFrom ? { wantedFrom } : {}),
        description,
      })
        .then(() => {
          setOpen(false);
          setSent(true);
          setDescription('');
          setError(null);
          onSent();
        })
        .catch((err: unknown) => setError(err as Error)),
    );
  };
  return (
    <form
      onSubmit={send}
      className="stack"
      aria-label={t('directory.requestTo', { provider: profile.name })}
    >
      <label>
        {t('directory.service')}
        <select value={service} onChange={(e) => setService(e.target.value)}>
          {profile.services.map((s) => (
            <option key={s} value={s}>
              {t(`service.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      {profile.nodes.length > 0 && (
        <label>
          {t('directory.place')}
          <select value={nodeId} onChange={(e) => setNodeId(e.target.value)}>
            {profile.nodes.map((n) => (
              <option key={n} value={n}>
                {name(n)}
              </option>
            ))}
            <option value="">{t('directory.anyPlace')}</option>
          </select>
        </label>
      )}
      <label>
        {t('directory.wantedFrom')}
        <input
          type="date"
          value={wantedFrom}
          min={dayFromToday(0)}
          onChange={(e) => setWantedFrom(e.target.value)}
        />
      </label>
      <label>
        {t('directory.need')}
        <textarea
          rows={3}
          required
          maxLength={2000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <Problem error={error} />
      <p className="actions">
        <button type="submit" className="primary" disabled={sending.pending}>
          {t('directory.send')}
        </button>{' '}
        <button type="button" onClick={() => setOpen(false)}>
          {t('directory.cancel')}
        </button>
      </p>
    </form>
  );
}

function RequestItem({ request: r, onChange }: { request: ServiceRequest; onChange: () => void }) {
  const { t, locale } = useI18n();
  const session = useSignedIn();
  const name = useNodeName();
  const [price, setPrice] = useState(1000);
  const [validUntil, setValidUntil] = useState(() => dayFromToday(14));
  const [terms, setTerms] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const provider = r.providerId === session.organisation.id;
  const { pending, run } = useAction();
  const act = (body: unknown) =>
    run(() =>
      api('POST', `/v1/service-requests/${r.id}/actions`, body)
        .then(() => (setError(null), onChange()))
        .catch((e: unknown) => setError(e as Error)),
    );
  const offer = (e: FormEvent) => {
    e.preventDefault();
    void act({
      type: 'offer',
      price,
      currency: 'USD',
      // Valid to the end of the day chosen, in the provider's time zone.
      validUntil: new Date(`${validUntil}T23:59:59`).toISOString(),
      terms,
    });
  };
  const amount = (price: number, currency: string) =>
    new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: 0,
      maximumFractionDigits: 2,
    }).format(price);
  return (
    <li className="card" data-testid="service-request" data-state={r.state}>
      <h3>
        {r.requesterName} → {r.providerName} · {t(`service.${r.service}` as MessageKey)} ·{' '}
        <span className="state">{t(`requestState.${r.state}`)}</span>
      </h3>
      <p className="muted">
        {[
          r.nodeId && `${t('directory.place')}: ${name(r.nodeId)}`,
          r.wantedFrom && `${t('directory.wantedFrom')}: ${r.wantedFrom}`,
        ]
          .filter(Boolean)
          .join(' · ')}
        {r.nodeId || r.wantedFrom ? ' · ' : ''}
        {t('directory.sentAt')} <Time iso={r.createdAt} />
      </p>
      <p>{r.description}</p>
      {r.offer && (
        <p data-testid="request-offer">
          {t('directory.offer')}: {amount(r.offer.price, r.offer.currency)} · {r.offer.terms} ·{' '}
          {t('directory.validUntil')} <Time iso={r.offer.validUntil} />
        </p>
      )}
      {r.state === 'accepted' && <PartnerContact id={provider ? r.requesterId : r.providerId} />}
      <Problem error={error} />
      <div className="actions">
        {provider && r.state === 'requested' && (
          <form
            onSubmit={offer}
            className="inline"
            aria-label={t('directory.offerTo', { requester: r.requesterName })}
          >
            <label>
              {t('directory.price')}
              <input
                type="number"
                min={1}
                step="any"
                value={price}
                onChange={(e) => setPrice(Number(e.target.value))}
              />
            </label>
            <label>
              {t('directory.validUntil')}
              <input
                type="date"
                required
                min={dayFromToday(0)}
                value={validUntil}
                onChange={(e) => setValidUntil(e.target.value)}
              />
            </label>
            <label>
              {t('directory.terms')}
              <input required value={terms} onChange={(e) => setTerms(e.target.value)} />
            </label>
            <button type="submit" className="primary" disabled={pending}>
              {t('directory.makeOffer')}
            </button>
          </form>
        )}
        {!provider && r.state === 'offered' && (
          <>
            <button
              type="button"
              className="primary"
              disabled={pending}
              onClick={() => void act({ type: 'accept' })}
            >
              {t('directory.accept')}
            </button>
            <ConfirmButton
              label={t('directory.decline')}
              question={t('confirm.declineOffer', { provider: r.providerName })}
              yes={t('confirm.declineOfferYes')}
              disabled={pending}
              onConfirm={() => void act({ type: 'decline' })}
            />
          </>
        )}
        {!provider && (r.state === 'requested' || r.state === 'offered') && (
          <ConfirmButton
            label={t('directory.withdraw')}
            question={t('confirm.withdraw', { provider: r.providerName })}
            yes={t('confirm.withdrawYes')}
            disabled={pending}
            onConfirm={() => void act({ type: 'withdraw' })}
          />
        )}
      </div>
    </li>
  );
}

/** The other party's contact details, which an accepted request lets each side see. */
function PartnerContact({ id }: { id: string }) {
  const { t } = useI18n();
  const { data } = useApi<{ contact: Record<string, string> | null }>(
    `/v1/organisations/${encodeURIComponent(id)}/profile`,
  );
  if (!data?.contact || Object.keys(data.contact).length === 0) return null;
  return (
    <p data-testid="request-contact">
      {t('directory.contact')}: {Object.values(data.contact).join(' · ')}
    </p>
  );
}

function Matches() {
  const { t, number, money } = useI18n();
  const { data } = useApi<{ matches: Match[] }>('/v1/trade-matches');
  if (!data || data.matches.length === 0) return null;
  return (
    <>
      <h2>{t('directory.matches')}</h2>
      <ul className="cards grid">
        {data.matches.slice(0, 12).map((m) => (
          <li key={`${m.exporter.id}-${m.importer.id}`} className="card">
            <h3>
              {m.exporter.organisationName} → {m.importer.organisationName}
            </h3>
            <p>
              HS {m.exporter.hsCode} · {m.exporter.description} ·{' '}
              {number(m.exporter.tonnesPerMonth)} t
            </p>
            <p className="muted">
              {t('planner.days', {
                p50: Math.round(m.route.transitDaysP50 * 10) / 10,
                p90: Math.round(m.route.transitDaysP90 * 10) / 10,
              })}{' '}
              · {money(m.route.costUsdPer40ft)} / 40&apos; · {number(m.route.co2eKgPer40ft)} kg CO2e
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
