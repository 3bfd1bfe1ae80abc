import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { verificationSchema } from '../../../api/documents.ts';
import type { shipmentSchema } from '../../../api/tracking.ts';
import { navigate, useLocation } from '../../app/router.tsx';
import { Loading, Problem, Time } from '../../components/common.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { issuedDocumentName } from '../../i18n/names.ts';
import { api, upload } from '../../lib/api.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { useNetwork } from '../map/network.ts';
import { ParticularsForm } from './ParticularsForm.tsx';

type Verification = z.infer<typeof verificationSchema>;
type Shipment = z.infer<typeof shipmentSchema>;

interface ShipmentDocuments {
  shipmentId: string;
  documents: {
    kind: string;
    section: number;
    title: string;
    variant?: string | null;
    from: string;
    to: string;
    status: 'issued' | 'missing' | 'not_ready';
    reason: string | null;
    document: { id: string; number: string; version: number; issuedAt: string; pdf: string } | null;
  }[];
  missing: string[];
}

/**
 * The documents of one shipment (`?shipment=` names it; the latest otherwise), each issued or
 * saying why not yet, and the check of a document's PDF.
 */
export default function DocumentsPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const network = useNetwork();
  const { data, error } = useApi<{ shipments: Shipment[] }>('/v1/shipments');
  const asked = query.get('shipment');
  const chosen =
    data?.shipments.find((s) => s.id === asked)?.id ?? (asked || data?.shipments[0]?.id || '');
  const name = (id: string | undefined) => (id ? (network?.byId.get(id)?.name ?? id) : '');
  /** A shipment as its owner knows it: its containers and its journey. */
  const label = (s: Shipment) => {
    const from = s.itinerary[0]?.stops[0]?.nodeId;
    const to = s.itinerary.at(-1)?.stops.at(-1)?.nodeId;
    return [
      s.containers.map((c) => c.equipmentReference).join(', '),
      from && to ? `${name(from)} → ${name(to)}` : null,
      s.reference ?? s.bookingId,
    ]
      .filter(Boolean)
      .join(' · ');
  };
  return (
    <section>
      <h1>{t('documents.title')}</h1>
      <Problem error={error} />
      <Loading when={data}>
        {data && data.shipments.length > 0 && (
          <label>
            {t('documents.shipment')}{' '}
            <select
              value={chosen}
              onChange={(e) =>
                navigate(`/documents?shipment=${encodeURIComponent(e.target.value)}`)
              }
              data-testid="documents-shipment"
            >
              {data.shipments.map((s) => (
                <option key={s.id} value={s.id}>
                  {label(s)}
                </option>
              ))}
            </select>
          </label>
        )}
        {chosen && <ShipmentDocumentList key={chosen} id={chosen} />}
      </Loading>
      <Verify />
    </section>
  );
}

/** Consignment notes: the consignor's particulars go on them. */
const NOTES = new Set(['rail_consignment_note', 'cmr']);

function ShipmentDocumentList({ id }: { id: string }) {
  const { t } = useI18n();
  const { data, error, reload } = useApi<ShipmentDocuments>(`/v1/shipments/${id}/documents`);
  const network = useNetwork();
  const placeName = (node: string) => network?.byId.get(node)?.name ?? node;
  const [actionError, setActionError] = useState<Error | null>(null);
  const { pending, run } = useAction();
  /** The consignment note whose particulars are being filled in. */
  const [filling, setFilling] = useState<string | null>(null);
  const issue = (kind: string, section: number) =>
    run(() =>
      api('POST', `/v1/shipments/${id}/documents`, { kind, section })
        .then(() => (setActionError(null), reload()))
        .catch((e: unknown) => setActionError(e as Error)),
    );
  return (
    <>
      <Problem error={error ?? actionError} />
      <Loading when={data}>
        <ul className="list">
          {data?.documents.map((d) => (
            <li
              key={`${d.kind}-${d.section}`}
              data-testid="document-entry"
              data-kind={d.kind}
              data-status={d.status}
            >
              <strong>
                {issuedDocumentName(t, d)}, {placeName(d.from)} → {placeName(d.to)}
              </strong>{' '}
              · {t(`documentStatus.${d.status}`)}
              {d.document && (
                <>
                  {' '}
                  · {d.document.number} v{d.document.version} · <Time iso={d.document.issuedAt} /> ·{' '}
                  <a href={d.document.pdf} download>
                    {t('documents.download')}
                  </a>
                </>
              )}
              {d.status === 'missing' && (
                <button
                  type="button"
                  disabled={pending}
                  onClick={() => void issue(d.kind, d.section)}
                >
                  {t('documents.issue')}
                </button>
              )}
              {NOTES.has(d.kind) && (
                <button
                  type="button"
                  aria-expanded={filling === `${d.kind}-${d.section}`}
                  onClick={() =>
                    setFilling(
                      filling === `${d.kind}-${d.section}` ? null : `${d.kind}-${d.section}`,
                    )
                  }
                >
                  {t('particulars.open')}
                </button>
              )}
              {d.reason && <span className="muted"> · {d.reason}</span>}
              {filling === `${d.kind}-${d.section}` && (
                <ParticularsForm
                  shipmentId={id}
                  kind={d.kind}
                  section={d.section}
                  onDone={() => (setFilling(null), setActionError(null), reload())}
                />
              )}
            </li>
          ))}
        </ul>
      </Loading>
    </>
  );
}

function Verify() {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [answer, setAnswer] = useState<Verification | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    upload<Verification>('/v1/documents/verify', file, 'application/pdf')
      .then((a) => (setAnswer(a), setError(null)))
      .catch((err: unknown) => setError(err as Error));
  };
  return (
    <form onSubmit={submit} className="card stack">
      <h2>{t('documents.verify')}</h2>
      <label>
        {t('documents.file')}
        <input
          type="file"
          accept="application/pdf"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </label>
      <button type="submit" disabled={!file}>
        {t('documents.verify')}
      </button>
      <Problem error={error} />
      {answer && (
        <p role="status" className={answer.authentic && answer.unchanged ? 'ok' : 'error'}>
          {answer.authentic && answer.unchanged
            ? `${t('documents.authentic')}: ${answer.title ?? answer.documentId}`
            : t('documents.notAuthentic', { reason: answer.problems.join('; ') })}
        </p>
      )}
    </form>
  );
}
