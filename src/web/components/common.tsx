import { useState, type ReactNode } from 'react';
import type { MessageKey } from '../i18n/en.ts';
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

/** What to do next after a refusal with this HTTP status (0: no answer from the server). */
function nextStep(status: number): MessageKey {
  if (status === 0) return 'problem.offline';
  if (status === 401) return 'problem.signIn';
  if (status === 403) return 'problem.forbidden';
  if (status === 404) return 'problem.notFound';
  if (status === 409) return 'problem.conflict';
  if (status === 413) return 'problem.tooLarge';
  if (status === 429) return 'problem.wait';
  if (status >= 500) return 'problem.server';
  return 'problem.fields';
}

/** `body.consignments[0].goodsItems[1].description` as "consignments 1 › goods items 2 › description". */
function fieldName(path: string): string {
  return path
    .replace(/^(body|query|params|headers)\.?/, '')
    .replace(/\.(\d+)(?=\.|$)/g, '[$1]')
    .split('.')
    .filter(Boolean)
    .map((part) =>
      part
        .replace(/\[(\d+)\]/g, (_, n: string) => ` ${Number(n) + 1}`)
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .toLowerCase(),
    )
    .join(' › ');
}

/**
 * An error in words: what the platform said, each field it named (by a readable name, once), and
 * what to do next.
 */
export function Problem({ error }: { error: Error | null }) {
  const { t } = useI18n();
  if (!error) return null;
  const fields = error instanceof ApiError ? error.fields : [];
  const status = error instanceof ApiError ? error.status : 0;
  // The detail often repeats the fields' messages: each is said once, by its field.
  const repeated = fields.length > 0 && fields.every((f) => error.message.includes(f.message));
  return (
    <div role="alert" className="error">
      {!repeated && <p>{error.message}</p>}
      {fields.length > 0 && (
        <ul>
          {fields.map((f, i) => (
            <li key={i}>
              {fieldName(f.path) ? <strong>{fieldName(f.path)}</strong> : null}
              {fieldName(f.path) ? ': ' : ''}
              {f.message}
            </li>
          ))}
        </ul>
      )}
      <p>{t(nextStep(status))}</p>
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
