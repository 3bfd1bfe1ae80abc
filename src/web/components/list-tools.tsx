import { useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

/**
 * Search, filter, sort and CSV export over a list the page holds: the words searched are matched
 * against what each row shows (any order, any case); the filter keeps rows of one value; the
 * export is the rows shown, in their order, as the columns read on screen.
 */

export interface ListColumn<T> {
  /** Header of the column in the export. */
  label: string;
  /** The cell as text (what the page shows). */
  text: (row: T) => string;
}

export interface SortOption<T> {
  key: string;
  label: string;
  compare: (a: T, b: T) => number;
}

export interface FilterOption {
  value: string;
  label: string;
}

/** RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled; CRLF lines. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  const field = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

export function downloadCsv(name: string, csv: string) {
  // A byte order mark, so that spreadsheets read the UTF-8 names (Қазақша, 中文) right.
  const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function useListTools<T>({
  rows,
  columns,
  sorts,
  filter,
}: {
  rows: readonly T[];
  columns: readonly ListColumn<T>[];
  sorts: readonly SortOption<T>[];
  filter?: { label: string; options: readonly FilterOption[]; valueOf: (row: T) => string };
}) {
  const [query, setQuery] = useState('');
  const [only, setOnly] = useState('');
  const [sort, setSort] = useState(sorts[0]?.key ?? '');
  const shown = useMemo(() => {
    const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    const compare = sorts.find((s) => s.key === sort)?.compare;
    const kept = rows.filter((r) => {
      if (filter && only && filter.valueOf(r) !== only) return false;
      if (words.length === 0) return true;
      const text = columns
        .map((c) => c.text(r))
        .join(' ')
        .toLocaleLowerCase();
      return words.every((w) => text.includes(w));
    });
    return compare ? [...kept].sort(compare) : kept;
  }, [rows, columns, sorts, filter, query, only, sort]);
  return { shown, query, setQuery, only, setOnly, sort, setSort };
}

/** The toolbar above a list: search, filter, sort, how many shown, and the CSV download. */
export function ListToolbar<T>({
  name,
  tools,
  total,
  columns,
  sorts,
  filter,
}: {
  /** The list's name: the search's label and the file's name. */
  name: string;
  tools: ReturnType<typeof useListTools<T>>;
  total: number;
  columns: readonly ListColumn<T>[];
  sorts: readonly SortOption<T>[];
  filter?: { label: string; options: readonly FilterOption[] };
}) {
  const { t } = useI18n();
  const exportCsv = () =>
    downloadCsv(
      `${name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-')}.csv`,
      toCsv([
        columns.map((c) => c.label),
        ...tools.shown.map((r) => columns.map((c) => c.text(r))),
      ]),
    );
  return (
    <div className="list-tools" role="search" aria-label={name}>
      <label>
        {t('list.search')}
        <input
          type="search"
          value={tools.query}
          onChange={(e) => tools.setQuery(e.target.value)}
          data-testid="list-search"
        />
      </label>
      {filter && (
        <label>
          {filter.label}
          <select value={tools.only} onChange={(e) => tools.setOnly(e.target.value)}>
            <option value="">{t('list.all')}</option>
            {filter.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {sorts.length > 1 && (
        <label>
          {t('list.sortBy')}
          <select value={tools.sort} onChange={(e) => tools.setSort(e.target.value)}>
            {sorts.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <p role="status" className="muted" data-testid="list-count">
        {t('list.shown', { shown: tools.shown.length, total })}
      </p>
      <button type="button" onClick={exportCsv} disabled={tools.shown.length === 0}>
        {t('list.csv')}
      </button>
    </div>
  );
}
