import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { ApiError } from '../lib/api.ts';

/** An instant shown in a place's time zone, with UTC on hover. */
export function Time({ iso, zone }: { iso: string | null | undefined; zone?: string | undefined }) {
  const { t, dateTime } = useI18n();
  if (!iso) return <>{t('common.none')}</>;
  const utc = new Date(iso).toISOString().replace('T', ' ').slice(0, 16);
  return (
    <time dateTime={iso} title={t('common.utcHint', { time: utc })}>
      {dateTime(iso, zone)}
    </time>
  );
}

/** An error in words, with each field the platform named and why. */
export function Problem({ error }: { error: Error | null }) {
  const { t } = useI18n();
  if (!error) return null;
  const fields = error instanceof ApiError ? error.fields : [];
  return (
    <div role="alert" className="error">
      <p>{t('common.error', { reason: error.message })}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f, i) => (
            <li key={i}>
              {f.path}: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Lane colours, AA contrast on white and under white text. */
export const LANE_COLOURS: Record<string, string> = {
  green: '#1b6e35',
  yellow: '#7a5f00',
  blue: '#0b4f94',
  red: '#a0001c',
};

export function Loading({ when, children }: { when: unknown; children: ReactNode }) {
  const { t } = useI18n();
  return when === null || when === undefined ? (
    <p className="loading">{t('common.loading')}</p>
  ) : (
    <>{children}</>
  );
}

/**
 * P50..P90 as a bar on a shared scale from `min` to `max` days: the solid part up to P50, the
 * lighter part to P90.
 */
export function RangeBar({
  p50,
  p90,
  max,
  label,
}: {
  p50: number;
  p90: number;
  max: number;
  label: string;
}) {
  const w = (x: number) => `${Math.max(0, Math.min(100, (x / max) * 100))}%`;
  return (
    <div className="range" role="img" aria-label={label} title={label}>
      <div className="range-p90" style={{ width: w(p90) }} />
      <div className="range-p50" style={{ width: w(p50) }} />
    </div>
  );
}

export function Lane({ lane }: { lane: string | null }) {
  const { t } = useI18n();
  if (!lane) return <>{t('common.none')}</>;
  return <span className={`lane lane-${lane}`}>{t(`lane.${lane}` as 'lane.green')}</span>;
}

/** An entity's id, not shown: on hover, and copied by a click (for support and the API). */
export function CopyId({ id }: { id: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="link copy-id"
      title={id}
      data-id={id}
      onClick={() =>
        void navigator.clipboard
          ?.writeText(id)
          .then(() => setCopied(true))
          .catch(() => setCopied(false))
      }
    >
      {copied ? t('common.copied') : t('common.copyReference')}
    </button>
  );
}
