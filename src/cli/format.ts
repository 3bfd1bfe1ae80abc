import { formatLocal } from '../core/shared/time-zone.ts';
import type { EpochMs } from '../core/shared/units.ts';
import type { Service } from '../core/network/network.ts';

/** Renders rows as aligned text columns; cells longer than `max` are cut with an ellipsis. */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  max = 48,
): string {
  const cut = (s: string) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
  const all = [header, ...rows].map((r) => r.map(cut));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

/** A service's departure pattern in words, e.g. "Mon Wed 10:00" or "every 48 h". */
export function describePattern(service: Service): string {
  const p = service.pattern;
  if ('weekly' in p) {
    const byTime = new Map<string, string[]>();
    for (const d of p.weekly) byTime.set(d.time, [...(byTime.get(d.time) ?? []), d.weekday]);
    return [...byTime].map(([time, days]) => `${days.join(' ')} ${time}`).join(', ');
  }
  return `every ${p.everyHours} h from ${p.anchor}`;
}

/** A local time for tables: `2026-12-01 09:00 +08:00`. */
export function localTime(instant: EpochMs | null, zone: string): string {
  if (instant === null) return '';
  const s = formatLocal(instant, zone);
  return `${s.slice(0, 10)} ${s.slice(11, 16)} ${s.slice(16)}`;
}
