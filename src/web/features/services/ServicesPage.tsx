import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { serviceVersionsSchema } from '../../../api/network.ts';
import { useSignedIn } from '../../app/session.tsx';
import { Link } from '../../app/router.tsx';
import { Problem } from '../../components/common.tsx';
import { departureDay } from '../bookings/BookingsPage.tsx';
import { useNetwork } from '../map/network.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { api, ApiError, upload } from '../../lib/api.ts';

type ServiceVersions = z.infer<typeof serviceVersionsSchema>;
type ServiceVersion = ServiceVersions['versions'][number];

interface Publication {
  effectiveFrom: string;
  dryRun: boolean;
  services: { serviceId: string; version: number | null; isNew: boolean }[];
  flaggedBookings: { bookingId: string; notices: string[] }[];
  affectedDepartures: { tripId: string; serviceId: string; change: string; bookingIds: string[] }[];
  rescheduledShipments: string[];
}

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

/**
 * A carrier publishes its services: a JSON file (as services.json) or a CSV file (one row per
 * stop), checked first, then published from a day; the bookings the change affects are listed.
 */
export default function ServicesPage() {
  const { t, date } = useI18n();
  const network = useNetwork();
  /** A service by its name where the network knows it (a new one by its id until published). */
  const service = (id: string) => network?.services.get(id)?.name ?? id;
  const trip = (tripId: string, serviceId: string) => {
    const day = departureDay(tripId);
    return `${service(serviceId)}${day ? ` · ${date(day)}` : ''}`;
  };
  const [file, setFile] = useState<File | null>(null);
  const [effectiveFrom, setEffectiveFrom] = useState(tomorrow);
  const [result, setResult] = useState<Publication | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  /** Publications made on this page: the list of services in force reloads after each. */
  const [published, setPublished] = useState(0);
  /** The file and day last checked: publishing waits until their effects have been shown. */
  const [checked, setChecked] = useState<string | null>(null);
  const current = file ? `${file.name}:${file.size}:${file.lastModified}:${effectiveFrom}` : null;

  const send = async (dryRun: boolean): Promise<Publication> => {
    if (!file) throw new ApiError(400, t('services.noFile'));
    if (file.name.toLowerCase().endsWith('.csv'))
      return upload<Publication>(
        `/v1/network/services/csv?effectiveFrom=${encodeURIComponent(effectiveFrom)}${dryRun ? '&dryRun=true' : ''}`,
        file,
        'text/csv',
      );
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (e) {
      throw new ApiError(400, `JSON: ${(e as Error).message}`);
    }
    const services = Array.isArray(json) ? json : (json as { services?: unknown }).services;
    return api<Publication>('POST', '/v1/network/services', { effectiveFrom, services, dryRun });
  };
  const run = (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    setResult(null);
    send(dryRun)
      .then((r) => {
        setResult(r);
        setChecked(dryRun ? current : null);
        if (!dryRun) setPublished((n) => n + 1);
      })
      .catch((e: unknown) => setError(e as Error))
      .finally(() => setBusy(false));
  };

  return (
    <section>
      <h1>{t('nav.services')}</h1>
      <p className="muted">{t('services.intro')}</p>
      <form className="card" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('services.file')}
          <input
            type="file"
            accept=".json,.csv,application/json,text/csv"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <label>
          {t('services.effectiveFrom')}
          <input
            type="date"
            value={effectiveFrom}
            onChange={(e) => setEffectiveFrom(e.target.value)}
          />
        </label>
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => run(true)}>
            {t('services.check')}
          </button>
          <button
            type="button"
            className="primary"
            disabled={busy || current === null || checked !== current}
            aria-describedby="publish-hint"
            onClick={() => run(false)}
          >
            {t('services.publish')}
          </button>
        </div>
        {(current === null || checked !== current) && (
          <p id="publish-hint" className="muted">
            {t('services.checkFirst')}
          </p>
        )}
      </form>
      <Problem error={error} />
      {result && (
        <div className="card" data-testid="publication" aria-live="polite">
          <h2>{result.dryRun ? t('services.valid') : t('services.published')}</h2>
          <ul>
            {result.services.map((s) => (
              <li key={s.serviceId}>
                <strong title={s.serviceId}>{service(s.serviceId)}</strong>
                {s.version !== null && ` — ${t('services.version', { version: s.version })}`}
                {s.isNew && ` (${t('services.new')})`}
                {!result.dryRun && ` — ${t('services.from', { date: result.effectiveFrom })}`}
              </li>
            ))}
          </ul>
          <h3>{result.dryRun ? t('services.wouldAffect') : t('services.flagged')}</h3>
          {result.flaggedBookings.length === 0 ? (
            <p>{t('services.noneFlagged')}</p>
          ) : (
            <>
              <ul data-testid="affected-bookings">
                {result.flaggedBookings.map((b) => (
                  <li key={b.bookingId}>
                    <Link to={`/bookings/${b.bookingId}`} title={b.bookingId}>
                      {t('bookings.booking')}
                    </Link>
                    : {b.notices.join('; ')}
                  </li>
                ))}
              </ul>
              <h3>{t('services.departures')}</h3>
              <ul data-testid="affected-departures">
                {result.affectedDepartures.map((d) => (
                  <li key={d.tripId}>
                    <strong title={d.tripId}>{trip(d.tripId, d.serviceId)}</strong>: {d.change} ·{' '}
                    {t('services.bookingsOn', { n: d.bookingIds.length })}
                  </li>
                ))}
              </ul>
              {result.dryRun ? (
                <p className="notice">{t('services.publishToApply')}</p>
              ) : (
                <p>{t('services.told', { n: result.rescheduledShipments.length })}</p>
              )}
            </>
          )}
        </div>
      )}
      <YourServices key={published} />
    </section>
  );
}

/** Saves the text as a file of that name, as the browser saves a download. */
function save(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The organisation's services with the version in force of each, and its timetable as a file to
 * download: the starting point of a change, edited and published again above.
 */
function YourServices() {
  const { t } = useI18n();
  const { organisation } = useSignedIn();
  const ids = organisation.services;
  const [inForce, setInForce] = useState<Record<string, ServiceVersion | null>>({});
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    let live = true;
    Promise.all(
      ids.map((id) =>
        api<ServiceVersions>('GET', `/v1/network/services/${encodeURIComponent(id)}/versions`).then(
          (v) => [id, v.versions.find((x) => x.inForce) ?? null] as const,
        ),
      ),
    )
      .then((found) => live && setInForce(Object.fromEntries(found)))
      .catch((e: unknown) => live && setError(e as Error));
    return () => {
      live = false;
    };
  }, [ids]);
  if (ids.length === 0) return null;
  return (
    <section className="card" data-testid="your-services">
      <h2>{t('services.yours')}</h2>
      <p className="muted">{t('services.yoursIntro')}</p>
      <Problem error={error} />
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('services.yours')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('services.service')}</th>
              <th scope="col">{t('services.inForce')}</th>
              <th scope="col">{t('services.fileInForce')}</th>
            </tr>
          </thead>
          <tbody>
            {ids.map((id) => {
              const v = inForce[id];
              return (
                <tr key={id} data-testid="your-service" data-service={id}>
                  <th scope="row" title={id}>
                    {v?.record.name ?? id}
                  </th>
                  <td>
                    {v
                      ? `${t('services.version', { version: v.version })}${v.effectiveFrom ? `, ${t('services.from', { date: v.effectiveFrom })}` : ''}`
                      : t('common.none')}
                  </td>
                  <td>
                    {v && (
                      <button
                        type="button"
                        onClick={() =>
                          save(`${id}.json`, JSON.stringify({ services: [v.record] }, null, 2))
                        }
                      >
                        {t('services.download')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
