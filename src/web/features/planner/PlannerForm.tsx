import { useState, type FormEvent } from 'react';
import { CONTAINER_CODE_VALUES, type PlanError } from '../../../api/plan.ts';
import type { MessageKey } from '../../i18n/en.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MapNetwork } from '../map/network.ts';
import type { PlanForm } from './recent-plans.ts';
import type { Schema } from '../../../client/client.ts';

/** Today in the browser's own time zone, as YYYY-MM-DD: the planner plans from now on it. */
export function today(): string {
  const d = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** The request POST /v1/plans takes for what the form holds. */
/** A container type the planner knows. */
type ContainerType = Exclude<Schema<'PlanRequestInput'>['containers'], string>[number]['type'];

export function planBody(form: PlanForm): Schema<'PlanRequestInput'> {
  return {
    from: form.from,
    to: form.to,
    // Ready today: from now, wherever the origin's day stands (it may be tomorrow there).
    ...(form.date === today() ? {} : { depart: form.date }),
    ...(form.arriveBy ? { arriveBy: form.arriveBy } : {}),
    containers: form.groups.map((g) => ({
      type: g.type as ContainerType,
      count: g.count,
      ...(g.grossKg ? { grossKg: Number(g.grossKg) } : {}),
    })),
    ...(form.hazardous ? { hazardous: true } : {}),
    compare: form.compare,
  };
}

export function emptyForm(from: string, to: string): PlanForm {
  return {
    from,
    to,
    date: today(),
    arriveBy: '',
    groups: [{ count: 1, type: '40HC', grossKg: '' }],
    hazardous: false,
    compare: false,
  };
}

/**
 * The planner's form: every option the planning API has (places, ready day, arrive-by, container
 * groups of mixed types with their gross mass, hazardous cargo, corridor comparison). Each input
 * error the planner names is shown under its field with what to do, and a suggested place is one
 * click away.
 */
export function PlannerForm({
  initial,
  network,
  busy,
  errors,
  onSubmit,
}: {
  initial: PlanForm;
  network: MapNetwork | null;
  busy: boolean;
  errors: readonly PlanError[];
  onSubmit: (form: PlanForm) => void;
}) {
  const { t } = useI18n();
  const [form, setForm] = useState<PlanForm>(initial);
  const set = (patch: Partial<PlanForm>) => setForm((f) => ({ ...f, ...patch }));
  const setGroup = (i: number, patch: Partial<PlanForm['groups'][number]>) =>
    setForm((f) => ({ ...f, groups: f.groups.map((g, j) => (j === i ? { ...g, ...patch } : g)) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(form);
  };
  const errorOf = (field: string) => errors.find((e) => e.field === field);
  /** The error of a field in words, with what to do, and the places the planner suggests. */
  const fieldError = (field: string, onPick?: (s: string) => void) => {
    const e = errorOf(field);
    if (!e) return null;
    return (
      <span className="field-error" id={`plan-${field}-error`} role="alert">
        {t(`planError.${e.code}` as MessageKey, { message: e.message })}
        {onPick && e.suggestions.length > 0 && (
          <span className="suggestions">
            {t('planner.didYouMean')}{' '}
            {e.suggestions.slice(0, 3).map((s) => (
              <button
                key={s}
                type="button"
                className="link"
                // "Baku port (AZBAK)": the code in brackets names the place exactly.
                onClick={() => onPick(/\(([^()]+)\)$/.exec(s)?.[1] ?? s)}
              >
                {s}
              </button>
            ))}
          </span>
        )}
      </span>
    );
  };
  const invalid = (field: string) =>
    errorOf(field)
      ? { 'aria-invalid': true as const, 'aria-describedby': `plan-${field}-error` }
      : {};

  return (
    <form className="planner-form card" onSubmit={submit} aria-label={t('planner.title')}>
      <datalist id="places">
        {network?.nodes.map((n) => (
          <option key={n.id} value={n.name}>
            {[n.unLocode, n.country, ...n.aliases.slice(0, 2)].filter(Boolean).join(' · ')}
          </option>
        ))}
      </datalist>
      <label>
        {t('planner.from')}
        <input
          list="places"
          value={form.from}
          onChange={(e) => set({ from: e.target.value })}
          placeholder={t('planner.placeHint')}
          required
          data-testid="plan-from"
          {...invalid('from')}
        />
        {fieldError('from', (s) => set({ from: s }))}
      </label>
      <label>
        {t('planner.to')}
        <input
          list="places"
          value={form.to}
          onChange={(e) => set({ to: e.target.value })}
          placeholder={t('planner.placeHint')}
          required
          data-testid="plan-to"
          {...invalid('to')}
        />
        {fieldError('to', (s) => set({ to: s }))}
      </label>
      <label>
        {t('planner.date')}
        <input
          type="date"
          value={form.date}
          min={today()}
          onChange={(e) => set({ date: e.target.value })}
          required
          {...invalid('depart')}
        />
        {fieldError('depart')}
      </label>
      <label>
        {t('planner.arriveBy')}
        <input
          type="date"
          value={form.arriveBy}
          min={form.date}
          onChange={(e) => set({ arriveBy: e.target.value })}
          {...invalid('arriveBy')}
        />
        {fieldError('arriveBy')}
      </label>
      <fieldset className="groups" {...invalid('containers')}>
        <legend>{t('planner.containers')}</legend>
        {form.groups.map((g, i) => (
          <div className="group" key={i} data-testid="container-group">
            <label>
              {t('planner.count')}
              <input
                type="number"
                min={1}
                max={500}
                value={g.count}
                onChange={(e) => setGroup(i, { count: Number(e.target.value) })}
              />
            </label>
            <label>
              {t('planner.type')}
              <select value={g.type} onChange={(e) => setGroup(i, { type: e.target.value })}>
                {CONTAINER_CODE_VALUES.map((x) => (
                  <option key={x}>{x}</option>
                ))}
              </select>
            </label>
            <label>
              {t('planner.grossKg')}
              <input
                type="number"
                min={1000}
                max={36000}
                step={100}
                value={g.grossKg}
                placeholder={t('planner.grossKgHint')}
                onChange={(e) => setGroup(i, { grossKg: e.target.value })}
              />
            </label>
            {form.groups.length > 1 && (
              <button
                type="button"
                onClick={() => set({ groups: form.groups.filter((_, j) => j !== i) })}
              >
                {t('planner.removeGroup')}
              </button>
            )}
          </div>
        ))}
        {form.groups.length < 20 && (
          <button
            type="button"
            onClick={() =>
              set({ groups: [...form.groups, { count: 1, type: '20GP', grossKg: '' }] })
            }
          >
            {t('planner.addGroup')}
          </button>
        )}
        {fieldError('containers')}
      </fieldset>
      <label className="check">
        <input
          type="checkbox"
          checked={form.hazardous}
          onChange={(e) => set({ hazardous: e.target.checked })}
        />
        {t('planner.hazardous')}
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={form.compare}
          onChange={(e) => set({ compare: e.target.checked })}
        />
        {t('planner.compare')}
      </label>
      <button type="submit" disabled={busy} data-testid="plan-submit">
        {busy ? t('planner.searching') : t('planner.submit')}
      </button>
    </form>
  );
}
