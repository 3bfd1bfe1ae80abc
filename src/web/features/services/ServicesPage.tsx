import { useState } from 'react';
import { Link } from '../../app/router.tsx';
import { Problem } from '../../components/common.tsx';
import { departureDay } from '../bookings/BookingsPage.tsx';
import { useNetwork } from '../map/network.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { api, ApiError, upload } from '../../lib/api.ts';

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
      .then((r) => (setResult(r), setChecked(dryRun ? current : null)))
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
    </section>
  );
}
