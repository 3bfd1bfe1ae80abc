import { useState, type FormEvent } from 'react';
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

interface GoodsLine {
  hsCode: string;
  description: string;
  packages: string;
  packageKind: string;
  grossMassKg: string;
  marks: string;
}

const emptyLine = (): GoodsLine => ({
  hsCode: '',
  description: '',
  packages: '',
  packageKind: 'CT',
  grossMassKg: '',
  marks: '',
});

/** What a lodged declaration says of the parties and goods, as its data holds it. */
interface Declared {
  id: string;
  shipmentId: string | null;
  state: string;
  declaration?: {
    consignments?: {
      consignor: { name: string; country: string; identificationNumber?: string };
      consignee: { name: string; country: string; identificationNumber?: string };
      goodsItems: {
        hsCode: string;
        description: string;
        packages: { count: number; kind: string };
        grossMassKg: number;
      }[];
    }[];
  };
}

/** The note's starting particulars: the shipment's declaration's parties and goods, if lodged. */
function startingFrom(declared: Declared | undefined) {
  const c = declared?.declaration?.consignments?.[0];
  const party = (p?: { name: string; country: string; identificationNumber?: string }) =>
    p
      ? { ...emptyParty(), ...p, identificationNumber: p.identificationNumber ?? '' }
      : emptyParty();
  const goods = (c?.goodsItems ?? []).map((g) => ({
    ...emptyLine(),
    hsCode: g.hsCode,
    description: g.description,
    packages: String(g.packages.count),
    packageKind: g.packages.kind,
    grossMassKg: String(g.grossMassKg),
  }));
  return {
    consignor: party(c?.consignor),
    consignee: party(c?.consignee),
    goods: goods.length > 0 ? goods : [emptyLine()],
  };
}

/**
 * What only the consignor can say on a consignment note (rail note or CMR): consignor and
 * consignee with their addresses, the goods with HS codes, the consignor's instructions and the
 * place of issue; the note is issued with them. Without a customs declaration the parties and
 * goods are required; with one the form starts from the declaration's, and what is given here
 * replaces them on this note.
 */
export function ParticularsForm(props: {
  shipmentId: string;
  kind: string;
  section: number;
  onDone: () => void;
}) {
  const { data } = useApi<{ declarations: Declared[] }>('/v1/customs/declarations');
  if (!data) return null;
  const declared = data.declarations.find(
    (d) => d.shipmentId === props.shipmentId && d.state !== 'invalidated',
  );
  return <ParticularsFields {...props} start={startingFrom(declared)} />;
}

function ParticularsFields({
  shipmentId,
  kind,
  section,
  onDone,
  start,
}: {
  shipmentId: string;
  kind: string;
  section: number;
  onDone: () => void;
  start: ReturnType<typeof startingFrom>;
}) {
  const { t } = useI18n();
  const [consignor, setConsignor] = useState<PartyInput>(start.consignor);
  const [consignee, setConsignee] = useState<PartyInput>(start.consignee);
  const [goods, setGoods] = useState<GoodsLine[]>(start.goods);
  const [instructions, setInstructions] = useState('');
  const [placeOfIssue, setPlaceOfIssue] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const { pending, run } = useAction();
  const setLine = (i: number, k: keyof GoodsLine, v: string) =>
    setGoods(goods.map((g, j) => (j === i ? { ...g, [k]: v } : g)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const particulars = {
      consignor: partyBody(consignor, true),
      consignee: partyBody(consignee, true),
      goods: goods.map((g) => ({
        hsCode: g.hsCode.replace(/\D/g, ''),
        description: g.description,
        packages: { count: numberOf(g.packages), kind: g.packageKind },
        grossMassKg: numberOf(g.grossMassKg),
        ...(g.marks.trim() ? { marks: g.marks } : {}),
      })),
      ...(instructions.trim() ? { instructions } : {}),
      ...(placeOfIssue.trim() ? { placeOfIssue } : {}),
    };
    void run(() =>
      api('POST', `/v1/shipments/${shipmentId}/documents`, { kind, section, particulars })
        .then(() => (setError(null), onDone()))
        .catch((err: unknown) => setError(err as Error)),
    );
  };
  return (
    <form className="stack card" onSubmit={submit} data-testid="particulars-form">
      <PartyFields
        legend={t('declaration.consignor')}
        value={consignor}
        onChange={setConsignor}
        withAddress
      />
      <PartyFields
        legend={t('declaration.consignee')}
        value={consignee}
        onChange={setConsignee}
        withAddress
      />
      {goods.map((g, i) => (
        <fieldset className="form-grid" key={i}>
          <legend>{t('declaration.goodsItem', { n: i + 1 })}</legend>
          <label>
            {t('declaration.hsCode')}
            <input
              value={g.hsCode}
              onChange={(e) => setLine(i, 'hsCode', e.target.value)}
              required
              inputMode="numeric"
              placeholder="847989"
            />
          </label>
          <label>
            {t('declaration.description')}
            <input
              value={g.description}
              onChange={(e) => setLine(i, 'description', e.target.value)}
              required
            />
          </label>
          <label>
            {t('declaration.packages')}
            <input
              type="number"
              min={1}
              value={g.packages}
              onChange={(e) => setLine(i, 'packages', e.target.value)}
              required
            />
          </label>
          <label>
            {t('declaration.packageKind')}
            <input
              value={g.packageKind}
              onChange={(e) => setLine(i, 'packageKind', e.target.value)}
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
              onChange={(e) => setLine(i, 'grossMassKg', e.target.value)}
              required
            />
          </label>
          <label>
            {t('particulars.marks')}
            <input value={g.marks} onChange={(e) => setLine(i, 'marks', e.target.value)} />
          </label>
          {goods.length > 1 && (
            <button type="button" onClick={() => setGoods(goods.filter((_, j) => j !== i))}>
              {t('declaration.removeItem')}
            </button>
          )}
        </fieldset>
      ))}
      <p>
        <button type="button" onClick={() => setGoods([...goods, emptyLine()])}>
          {t('declaration.addItem')}
        </button>
      </p>
      <label>
        {t('particulars.instructions')}
        <textarea rows={2} value={instructions} onChange={(e) => setInstructions(e.target.value)} />
      </label>
      <label>
        {t('particulars.placeOfIssue')}
        <input value={placeOfIssue} onChange={(e) => setPlaceOfIssue(e.target.value)} />
      </label>
      <Problem error={error} />
      <button type="submit" className="primary" disabled={pending}>
        {t('particulars.issue')}
      </button>
    </form>
  );
}
