import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { declarationSchema } from '../../../api/customs.ts';
import { Problem } from '../../components/common.tsx';
import {
  emptyParty,
  numberOf,
  partyBody,
  PartyFields,
  type PartyInput,
} from '../../components/forms.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { api } from '../../lib/api.ts';
import { useAction } from '../../lib/use-action.ts';
import { useApi } from '../../lib/use-api.ts';
import { Link } from '../../app/router.tsx';

export type Declaration = z.infer<typeof declarationSchema>;

interface GoodsInput {
  hsCode: string;
  description: string;
  packages: string;
  packageKind: string;
  grossMassKg: string;
  netMassKg: string;
  value: string;
  currency: string;
  countryOfOrigin: string;
}

const emptyGoods = (): GoodsInput => ({
  hsCode: '',
  description: '',
  packages: '',
  packageKind: 'CT',
  grossMassKg: '',
  netMassKg: '',
  value: '',
  currency: 'USD',
  countryOfOrigin: '',
});

/** What the trader lodged, as the declaration's data holds it (for an amendment). */
interface Lodged {
  lrn?: string;
  holder?: { name: string; identificationNumber: string; country: string };
  guarantee?: { reference: string; amount: number; currency: string };
  consignments?: {
    consignor: { name: string; country: string; identificationNumber?: string };
    consignee: { name: string; country: string; identificationNumber?: string };
    goodsItems: {
      hsCode: string;
      description: string;
      packages: { count: number; kind: string };
      grossMassKg: number;
      netMassKg: number;
      value: number;
      currency: string;
      countryOfOrigin: string;
    }[];
  }[];
  documents?: { type: string; reference: string }[];
}

const partyOf = (p?: { name: string; country: string; identificationNumber?: string }) =>
  p ? { ...emptyParty(), ...p, identificationNumber: p.identificationNumber ?? '' } : emptyParty();

/**
 * The trader lodges the transit declaration of a booking's shipment, or amends the one lodged:
 * holder, guarantee, consignor and consignee, goods items with their HS codes, and the
 * documents it lists. The itinerary and containers come from the shipment.
 */
export function DeclarationForm({
  bookingId,
  shipmentId,
  lodged,
  onDone,
}: {
  bookingId: string;
  shipmentId: string | null;
  lodged: Declaration | null;
  onDone: (d: Declaration) => void;
}) {
  const { t } = useI18n();
  const data = (lodged?.declaration ?? {}) as Lodged;
  const first = data.consignments?.[0];
  const [lrn, setLrn] = useState(data.lrn ?? `LRN-${bookingId.slice(4, 16)}`);
  const [holder, setHolder] = useState<PartyInput>(partyOf(data.holder));
  const [guarantee, setGuarantee] = useState({
    reference: data.guarantee?.reference ?? '',
    amount: data.guarantee ? String(data.guarantee.amount) : '',
    currency: data.guarantee?.currency ?? 'USD',
  });
  const [consignor, setConsignor] = useState<PartyInput>(partyOf(first?.consignor));
  const [consignee, setConsignee] = useState<PartyInput>(partyOf(first?.consignee));
  const [goods, setGoods] = useState<GoodsInput[]>(
    first?.goodsItems.map((g) => ({
      hsCode: g.hsCode,
      description: g.description,
      packages: String(g.packages.count),
      packageKind: g.packages.kind,
      grossMassKg: String(g.grossMassKg),
      netMassKg: String(g.netMassKg),
      value: String(g.value),
      currency: g.currency,
      countryOfOrigin: g.countryOfOrigin,
    })) ?? [emptyGoods()],
  );
  const [documents, setDocuments] = useState(
    data.documents?.length ? data.documents : [{ type: '', reference: '' }],
  );
  const [error, setError] = useState<Error | null>(null);
  const { pending, run } = useAction();

  const setItem = (i: number, k: keyof GoodsInput, v: string) =>
    setGoods(goods.map((g, j) => (j === i ? { ...g, [k]: v } : g)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      lrn,
      ...(shipmentId ? { shipmentId } : { bookingId }),
      holder: {
        name: holder.name,
        identificationNumber: holder.identificationNumber,
        country: holder.country.trim().toUpperCase(),
      },
      guarantee: {
        reference: guarantee.reference,
        amount: numberOf(guarantee.amount),
        currency: guarantee.currency,
      },
      consignments: [
        {
          consignor: partyBody(consignor, false),
          consignee: partyBody(consignee, false),
          goodsItems: goods.map((g) => ({
            hsCode: g.hsCode.replace(/\D/g, ''),
            description: g.description,
            packages: { count: numberOf(g.packages), kind: g.packageKind },
            grossMassKg: numberOf(g.grossMassKg),
            netMassKg: numberOf(g.netMassKg),
            value: numberOf(g.value),
            currency: g.currency,
            countryOfOrigin: g.countryOfOrigin.trim().toUpperCase(),
          })),
        },
      ],
      documents: documents.filter((d) => d.type.trim() || d.reference.trim()),
    };
    void run(() =>
      (lodged
        ? api<Declaration>('PUT', `/v1/customs/declarations/${lodged.id}`, body)
        : api<Declaration>('POST', '/v1/customs/declarations', body)
      )
        .then((d) => (setError(null), onDone(d)))
        .catch((err: unknown) => setError(err as Error)),
    );
  };
  return (
    <form className="stack" onSubmit={submit} data-testid="declaration-form">
      <label>
        {t('declaration.lrn')}
        <input value={lrn} onChange={(e) => setLrn(e.target.value)} required readOnly={!!lodged} />
      </label>
      <PartyFields legend={t('declaration.holder')} value={holder} onChange={setHolder} />
      <fieldset className="form-grid">
        <legend>{t('declaration.guarantee')}</legend>
        <label>
          {t('declaration.guaranteeReference')}
          <input
            value={guarantee.reference}
            onChange={(e) => setGuarantee({ ...guarantee, reference: e.target.value })}
            required
          />
        </label>
        <label>
          {t('declaration.amount')}
          <input
            type="number"
            min={0}
            step="any"
            value={guarantee.amount}
            onChange={(e) => setGuarantee({ ...guarantee, amount: e.target.value })}
            required
          />
        </label>
        <label>
          {t('declaration.currency')}
          <input
            value={guarantee.currency}
            onChange={(e) => setGuarantee({ ...guarantee, currency: e.target.value })}
            maxLength={3}
            required
          />
        </label>
      </fieldset>
      <PartyFields legend={t('declaration.consignor')} value={consignor} onChange={setConsignor} />
      <PartyFields legend={t('declaration.consignee')} value={consignee} onChange={setConsignee} />
      {goods.map((g, i) => (
        <fieldset className="form-grid" key={i} data-testid="goods-item">
          <legend>{t('declaration.goodsItem', { n: i + 1 })}</legend>
          <label>
            {t('declaration.hsCode')}
            <input
              value={g.hsCode}
              onChange={(e) => setItem(i, 'hsCode', e.target.value)}
              required
              inputMode="numeric"
              placeholder="851712"
            />
          </label>
          <label>
            {t('declaration.description')}
            <input
              value={g.description}
              onChange={(e) => setItem(i, 'description', e.target.value)}
              required
            />
          </label>
          <label>
            {t('declaration.packages')}
            <input
              type="number"
              min={1}
              value={g.packages}
              onChange={(e) => setItem(i, 'packages', e.target.value)}
              required
            />
          </label>
          <label>
            {t('declaration.packageKind')}
            <input
              value={g.packageKind}
              onChange={(e) => setItem(i, 'packageKind', e.target.value)}
              maxLength={2}
              required
            />
          </label>
          <label>
            {t('declaration.grossMass')}
            <input
              type="number"
              min={0}
              step="any"
              value={g.grossMassKg}
              onChange={(e) => setItem(i, 'grossMassKg', e.target.value)}
              required
            />
          </label>
          <label>
            {t('declaration.netMass')}
            <input
              type="number"
              min={0}
              step="any"
              value={g.netMassKg}
              onChange={(e) => setItem(i, 'netMassKg', e.target.value)}
              required
            />
          </label>
          <label>
            {t('declaration.value')}
            <input
              type="number"
              min={0}
              step="any"
              value={g.value}
              onChange={(e) => setItem(i, 'value', e.target.value)}
              required
            />
          </label>
          <label>
            {t('declaration.currency')}
            <input
              value={g.currency}
              onChange={(e) => setItem(i, 'currency', e.target.value)}
              maxLength={3}
              required
            />
          </label>
          <label>
            {t('declaration.origin')}
            <input
              value={g.countryOfOrigin}
              onChange={(e) => setItem(i, 'countryOfOrigin', e.target.value)}
              maxLength={2}
              required
            />
          </label>
          {goods.length > 1 && (
            <button type="button" onClick={() => setGoods(goods.filter((_, j) => j !== i))}>
              {t('declaration.removeItem')}
            </button>
          )}
        </fieldset>
      ))}
      <p>
        <button type="button" onClick={() => setGoods([...goods, emptyGoods()])}>
          {t('declaration.addItem')}
        </button>
      </p>
      {documents.map((d, i) => (
        <fieldset className="form-grid" key={i}>
          <legend>{t('declaration.document', { n: i + 1 })}</legend>
          <label>
            {t('declaration.documentType')}
            <input
              value={d.type}
              placeholder="N380"
              onChange={(e) =>
                setDocuments(
                  documents.map((x, j) => (j === i ? { ...x, type: e.target.value } : x)),
                )
              }
            />
          </label>
          <label>
            {t('declaration.documentReference')}
            <input
              value={d.reference}
              onChange={(e) =>
                setDocuments(
                  documents.map((x, j) => (j === i ? { ...x, reference: e.target.value } : x)),
                )
              }
            />
          </label>
        </fieldset>
      ))}
      <p>
        <button
          type="button"
          onClick={() => setDocuments([...documents, { type: '', reference: '' }])}
        >
          {t('declaration.addDocument')}
        </button>
      </p>
      <Problem error={error} />
      <button type="submit" className="primary" disabled={pending}>
        {lodged ? t('declaration.amend') : t('declaration.lodge')}
      </button>
    </form>
  );
}

/**
 * The customs declaration of a booking's shipment: its MRN and each country's state once
 * lodged, with the form to amend it; else the form to lodge it.
 */
export function BookingDeclaration({ bookingId }: { bookingId: string }) {
  const { t } = useI18n();
  const shipments = useApi<{ shipments: { id: string; bookingId: string | null }[] }>(
    '/v1/shipments',
  );
  const declarations = useApi<{ declarations: Declaration[] }>('/v1/customs/declarations');
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState<Declaration | null>(null);
  const shipment = shipments.data?.shipments.find((s) => s.bookingId === bookingId) ?? null;
  const lodged =
    saved ??
    declarations.data?.declarations.find(
      (d) => d.state !== 'invalidated' && shipment !== null && d.shipmentId === shipment.id,
    ) ??
    null;
  if (!shipments.data || !declarations.data) return null;
  return (
    <section className="stack" data-testid="booking-declaration">
      <h2>{t('declaration.title')}</h2>
      {lodged ? (
        <p role="status" data-testid="declaration-status">
          {t('declaration.lodged', { mrn: lodged.mrn })}{' '}
          {lodged.segments.map((s) => `${s.country}: ${t(`segmentState.${s.state}`)}`).join(' · ')}
          {shipment && (
            <>
              {' '}
              ·{' '}
              <Link to={`/documents?shipment=${encodeURIComponent(shipment.id)}`}>
                {t('declaration.documents')}
              </Link>
            </>
          )}
        </p>
      ) : (
        <p className="muted">{shipment ? t('declaration.none') : t('declaration.noShipment')}</p>
      )}
      {!open ? (
        <p>
          <button type="button" onClick={() => setOpen(true)}>
            {lodged ? t('declaration.amendOpen') : t('declaration.lodgeOpen')}
          </button>
        </p>
      ) : (
        <DeclarationForm
          key={lodged?.id ?? 'new'}
          bookingId={bookingId}
          shipmentId={shipment?.id ?? null}
          lodged={lodged}
          onDone={(d) => {
            setSaved(d);
            setOpen(false);
            declarations.reload();
          }}
        />
      )}
    </section>
  );
}
