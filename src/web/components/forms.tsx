import { useI18n } from '../i18n/i18n.tsx';

/** A trading party as the forms ask for it: name, country, and optionally an id and address. */
export interface PartyInput {
  name: string;
  country: string;
  identificationNumber: string;
  address: string;
}

export const emptyParty = (): PartyInput => ({
  name: '',
  country: '',
  identificationNumber: '',
  address: '',
});

/** The party without its empty optional fields, as the API takes it. */
export function partyBody(p: PartyInput, withAddress: boolean) {
  return {
    name: p.name,
    country: p.country.trim().toUpperCase(),
    ...(p.identificationNumber.trim() ? { identificationNumber: p.identificationNumber } : {}),
    ...(withAddress && p.address.trim() ? { address: p.address } : {}),
  };
}

/** A number typed in a field, or null when it is not one (the server then names the field). */
export const numberOf = (s: string): number | null =>
  s.trim() === '' || !Number.isFinite(Number(s)) ? null : Number(s);

/** A party's fields in a fieldset with its legend. */
export function PartyFields({
  legend,
  value,
  onChange,
  withAddress = false,
}: {
  legend: string;
  value: PartyInput;
  onChange: (p: PartyInput) => void;
  withAddress?: boolean;
}) {
  const { t } = useI18n();
  const set = (k: keyof PartyInput) => (e: { target: { value: string } }) =>
    onChange({ ...value, [k]: e.target.value });
  return (
    <fieldset className="form-grid">
      <legend>{legend}</legend>
      <label>
        {t('form.name')}
        <input value={value.name} onChange={set('name')} required />
      </label>
      <label>
        {t('form.country')}
        <input
          value={value.country}
          onChange={set('country')}
          required
          maxLength={2}
          placeholder="CN"
        />
      </label>
      <label>
        {t('form.identification')}
        <input value={value.identificationNumber} onChange={set('identificationNumber')} />
      </label>
      {withAddress && (
        <label>
          {t('form.address')}
          <input value={value.address} onChange={set('address')} />
        </label>
      )}
    </fieldset>
  );
}
