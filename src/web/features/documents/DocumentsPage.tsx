import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { verificationSchema } from '../../../api/documents.ts';
import type { shipmentSchema } from '../../../api/tracking.ts';
import { Loading, Problem, Time } from '../../components/common.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { api, upload } from '../../lib/api.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { ParticularsForm } from './ParticularsForm.tsx';

type Verification = z.infer<typeof verificationSchema>;

interface ShipmentDocuments {
  shipmentId: string;
  documents: {
    kind: string;
    section: number;
    title: string;
    status: 'issued' | 'missing' | 'not_ready';
    reason: string | null;
    document: { id: string; number: string; version: number; issuedAt: string; pdf: string } | null;
  }[];
  missing: string[];
}

export default function DocumentsPage() {
  const { t } = useI18n();
  const { data, error } = useApi<{ shipments: z.infer<typeof shipmentSchema>[] }>('/v1/shipments');
  const [shipment, setShipment] = useState('');
  const chosen = shipment || data?.shipments[0]?.id || '';
  return (
    <section>
      <h1>{t('documents.title')}</h1>
      <Problem error={error} />
      <Loading when={data}>
        {data && data.shipments.length > 0 && (
          <label>
            {t('documents.shipment')}{' '}
            <select value={chosen} onChange={(e) => setShipment(e.target.value)}>
              {data.shipments.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.id} · {s.containers.map((c) => c.equipmentReference).join(', ')}
                </option>
              ))}
            </select>
          </label>
        )}
        {chosen && <ShipmentDocumentList id={chosen} />}
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
              <strong>{d.title}</strong> · {t(`documentStatus.${d.status}`)}
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
