import { parse } from 'csv-parse/sync';
import type { FieldError } from './errors.ts';

/**
 * Services as CSV, one row per stop, in the layout of docs/api.md ("Publishing services"):
 *
 *   service_id,name,operator,mode,corridor,valid_from,valid_to,departures,capacity_teu,
 *   sails_when_full,refuses_cargo,tariff,source,node,via,run_hours,dwell_hours,operations
 *
 * The rows of one service follow each other, its stops in order; the service's columns are read
 * from its first row (later rows may repeat them or leave them empty). Lists are separated by
 * `;`. `departures` is `Mon 09:00;Thu 21:30` (weekly) or `every 24h from 2026-01-05T09:00`;
 * `tariff` is `42G1=1200+0.45;22G1=800+0.3` (fixed USD + USD per km per container type).
 */
export const SERVICE_CSV_COLUMNS = [
  'service_id',
  'name',
  'operator',
  'mode',
  'corridor',
  'valid_from',
  'valid_to',
  'departures',
  'capacity_teu',
  'sails_when_full',
  'refuses_cargo',
  'tariff',
  'source',
  'node',
  'via',
  'run_hours',
  'dwell_hours',
  'operations',
] as const;

type Column = (typeof SERVICE_CSV_COLUMNS)[number];
type Row = Record<Column, string>;

/** Which column of the CSV a path inside a service record comes from. */
const COLUMN_OF: Record<string, Column> = {
  id: 'service_id',
  name: 'name',
  operator: 'operator',
  mode: 'mode',
  corridor: 'corridor',
  validFrom: 'valid_from',
  validTo: 'valid_to',
  pattern: 'departures',
  capacityTeu: 'capacity_teu',
  sailsWhenFull: 'sails_when_full',
  refusesCargo: 'refuses_cargo',
  tariff: 'tariff',
  source: 'source',
  node: 'node',
  via: 'via',
  runHours: 'run_hours',
  dwellHours: 'dwell_hours',
  operations: 'operations',
};

export interface ParsedCsv {
  /** Service records in the shape of services.json, not yet checked. */
  services: unknown[];
  /** `row N, column C` for a path inside the service at `index` (rows counted from the header, 1). */
  locate(index: number, path: string): string;
}

const list = (s: string) =>
  s
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean);

/** A number where the cell holds one, the text otherwise (the record check names it). */
const num = (s: string): number | string =>
  s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s;

/**
 * Reads the CSV into service records; problems of the CSV itself (columns, quoting, a cell that
 * cannot be read) are returned with their row and column, everything else is left to the record
 * check, whose paths `locate` turns into rows and columns.
 */
export function parseServicesCsv(
  text: string,
  field: string,
): { ok: true; csv: ParsedCsv } | { ok: false; errors: FieldError[] } {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (e) {
    return {
      ok: false,
      errors: [{ path: field, message: `not readable CSV: ${(e as Error).message}` }],
    };
  }
  const header = rows[0]?.map((h) => h.toLowerCase());
  if (!header) return { ok: false, errors: [{ path: field, message: 'the CSV is empty' }] };
  const errors: FieldError[] = [];
  const missing = SERVICE_CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0)
    errors.push({ path: `${field}, row 1`, message: `missing columns: ${missing.join(', ')}` });
  const unknown = header.filter((h) => !(SERVICE_CSV_COLUMNS as readonly string[]).includes(h));
  if (unknown.length > 0)
    errors.push({ path: `${field}, row 1`, message: `unknown columns: ${unknown.join(', ')}` });
  if (errors.length > 0) return { ok: false, errors };
  const services: unknown[] = [];
  /** Per service: the CSV row of its first line and of each stop. */
  const rowsOf: { first: number; stops: number[] }[] = [];
  let current: { id: string; record: Record<string, unknown>; stops: unknown[] } | undefined;
  rows.slice(1).forEach((cells, i) => {
    const rowNo = i + 2;
    if (cells.length !== header.length) {
      errors.push({
        path: `${field}, row ${rowNo}`,
        message: `${cells.length} cells where the header has ${header.length}`,
      });
      return;
    }
    const row = Object.fromEntries(header.map((h, k) => [h, cells[k] ?? ''])) as Row;
    const id = row.service_id;
    if (id === '') {
      errors.push({ path: `${field}, row ${rowNo}, column service_id`, message: 'required' });
      return;
    }
    if (!current || current.id !== id) {
      if (rowsOf.some((_, k) => (services[k] as { id: string }).id === id)) {
        errors.push({
          path: `${field}, row ${rowNo}, column service_id`,
          message: `the rows of service ${id} must follow each other`,
        });
        return;
      }
      const pattern = readPattern(row.departures);
      const tariff = readTariff(row.tariff);
      if (typeof tariff === 'string')
        errors.push({ path: `${field}, row ${rowNo}, column tariff`, message: tariff });
      current = {
        id,
        stops: [],
        record: {
          id,
          name: row.name,
          operator: row.operator,
          mode: row.mode,
          ...(row.corridor ? { corridor: row.corridor } : {}),
          validFrom: row.valid_from,
          ...(row.valid_to ? { validTo: row.valid_to } : {}),
          pattern,
          capacityTeu: num(row.capacity_teu),
          sailsWhenFull: /^(true|yes|1)$/i.test(row.sails_when_full)
            ? true
            : /^(false|no|0|)$/i.test(row.sails_when_full)
              ? false
              : row.sails_when_full,
          refusesCargo: list(row.refuses_cargo),
          tariff: { currency: 'USD', byContainerType: typeof tariff === 'string' ? {} : tariff },
          source: row.source,
        },
      };
      current.record.stops = current.stops;
      services.push(current.record);
      rowsOf.push({ first: rowNo, stops: [] });
    }
    rowsOf.at(-1)!.stops.push(rowNo);
    current.stops.push({
      node: row.node,
      ...(row.via ? { via: list(row.via) } : {}),
      ...(row.run_hours ? { runHours: num(row.run_hours) } : {}),
      ...(row.dwell_hours ? { dwellHours: num(row.dwell_hours) } : {}),
      ...(row.operations ? { operations: list(row.operations) } : {}),
    });
  });
  if (errors.length > 0) return { ok: false, errors };
  if (services.length === 0)
    return { ok: false, errors: [{ path: field, message: 'no services in the CSV' }] };
  return {
    ok: true,
    csv: {
      services,
      locate(index, path) {
        const at = rowsOf[index];
        if (!at) return field;
        const stop = /^stops\[(\d+)\]\.?(\w*)/.exec(path);
        if (stop) {
          const row = at.stops[Number(stop[1])] ?? at.first;
          const column = COLUMN_OF[stop[2] ?? ''];
          return `${field}, row ${row}${column ? `, column ${column}` : ''}`;
        }
        const column = COLUMN_OF[path.split(/[.[]/)[0] ?? ''];
        return `${field}, row ${at.first}${column ? `, column ${column}` : ''}`;
      },
    },
  };
}

const WEEKLY = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat)\s+(\d{1,2}:\d{2})$/i;
const EVERY = /^every\s+(\d+(?:\.\d+)?)\s*h\s+from\s+(\S+)$/i;

/** `Mon 09:00;Thu 21:30` or `every 24h from 2026-01-05T09:00`; the text itself when neither. */
function readPattern(text: string): unknown {
  const every = EVERY.exec(text.trim());
  if (every) return { everyHours: Number(every[1]), anchor: every[2] };
  const parts = list(text).map((p) => WEEKLY.exec(p));
  if (parts.length > 0 && parts.every(Boolean))
    return {
      weekly: parts.map((m) => ({
        weekday: m![1]![0]!.toUpperCase() + m![1]!.slice(1).toLowerCase(),
        time: m![2]!.padStart(5, '0'),
      })),
    };
  return text;
}

/** `42G1=1200+0.45;22G1=800+0.3` → { 42G1: { fixedUsd, perKmUsd } }, or what is wrong. */
function readTariff(text: string): Record<string, { fixedUsd: number; perKmUsd: number }> | string {
  const out: Record<string, { fixedUsd: number; perKmUsd: number }> = {};
  for (const part of list(text)) {
    const m = /^([A-Z0-9]{4})\s*=\s*(\d+(?:\.\d+)?)\s*\+\s*(\d+(?:\.\d+)?)$/.exec(part);
    if (!m) return `"${part}" is not TYPE=FIXED+PERKM, e.g. 42G1=1200+0.45`;
    out[m[1]!] = { fixedUsd: Number(m[2]), perKmUsd: Number(m[3]) };
  }
  return out;
}
