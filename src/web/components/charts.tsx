import { useI18n } from '../i18n/i18n.tsx';

/**
 * Small accessible SVG charts: each has a title, its numbers in words for screen readers, and an
 * empty state in words when there is nothing to draw.
 */

export function BarChart({
  title,
  rows,
  unit = '',
  format = (x) => String(Math.round(x * 10) / 10),
}: {
  title: string;
  /** `ci`: the half-width of the 95 % confidence interval, drawn as a whisker. */
  rows: { label: string; value: number; colour?: string | undefined; ci?: number | undefined }[];
  unit?: string;
  format?: (x: number) => string;
}) {
  const { t } = useI18n();
  if (rows.length === 0 || rows.every((r) => r.value === 0))
    return (
      <figure className="chart empty">
        <figcaption>{title}</figcaption>
        <p className="muted">{t('chart.empty')}</p>
      </figure>
    );
  const max = Math.max(1, ...rows.map((r) => r.value + (r.ci ?? 0)));
  const rowH = 22;
  const W = 520;
  const labelW = 200;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${rows.length * rowH + 4}`} role="img" aria-label={title}>
        {rows.map((r, i) => (
          <g key={r.label} transform={`translate(0 ${i * rowH})`}>
            <text x={labelW - 6} y={15} textAnchor="end" className="axis">
              {r.label.length > 30 ? `${r.label.slice(0, 29)}…` : r.label}
            </text>
            <rect
              x={labelW}
              y={3}
              height={rowH - 6}
              width={Math.max(1, ((W - labelW - 70) * r.value) / max)}
              fill={r.colour ?? '#0b5cad'}
            />
            {r.ci !== undefined && r.ci > 0 && (
              <line
                x1={labelW + ((W - labelW - 70) * (r.value - r.ci)) / max}
                x2={labelW + ((W - labelW - 70) * (r.value + r.ci)) / max}
                y1={rowH / 2}
                y2={rowH / 2}
                stroke="#1f2933"
                strokeWidth={1.5}
              />
            )}
            <text
              x={labelW + ((W - labelW - 70) * (r.value + (r.ci ?? 0))) / max + 4}
              y={15}
              className="axis"
            >
              {format(r.value)}
              {unit}
              {r.ci !== undefined && r.ci > 0 && ` ± ${format(r.ci)}`}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

/** Lines over days, one per series, on a shared y scale. */
export function LineChart({
  title,
  series,
  max: sharedMax,
  days,
}: {
  title: string;
  series: { label: string; values: number[]; colour: string }[];
  /** The y scale's top, shared by charts shown side by side; else this chart's own highest. */
  max?: number;
  /** Days the values span (one value per equal step): labels the time axis. */
  days?: number;
}) {
  const { t } = useI18n();
  const W = 640;
  const H = 200;
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const max = sharedMax ?? Math.max(1, ...series.flatMap((s) => s.values));
  if (series.every((s) => s.values.every((v) => v === 0)))
    return (
      <figure className="chart empty">
        <figcaption>{title}</figcaption>
        <p className="muted">{t('chart.empty')}</p>
      </figure>
    );
  const plotW = W - 170;
  const x = (i: number) => 40 + (plotW * i) / (n - 1);
  const y = (v: number) => H - 20 - ((H - 30) * v) / max;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        <line x1={40} y1={H - 20} x2={40 + plotW} y2={H - 20} className="grid" />
        <text x={36} y={y(max) + 4} textAnchor="end" className="axis">
          {Math.round(max)}
        </text>
        <text x={36} y={H - 16} textAnchor="end" className="axis">
          0
        </text>
        {days !== undefined &&
          [0, 0.25, 0.5, 0.75, 1].map((f) => (
            <text
              key={f}
              x={40 + plotW * f}
              y={H - 4}
              textAnchor="middle"
              className="axis"
              data-testid="time-tick"
            >
              {t('chart.day', { day: Math.round(days * f) })}
            </text>
          ))}
        {series.map((s) => (
          <polyline
            key={s.label}
            fill="none"
            stroke={s.colour}
            strokeWidth={1.5}
            points={s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
          />
        ))}
        {/* Each line's name beside its end, nudged apart where ends meet. */}
        {series
          .map((s) => ({ s, end: y(s.values.at(-1) ?? 0) }))
          .sort((a, b) => a.end - b.end)
          .reduce<{ s: (typeof series)[number]; at: number }[]>((placed, { s, end }) => {
            const prev = placed.at(-1)?.at ?? -Infinity;
            placed.push({ s, at: Math.max(end, prev + 12) });
            return placed;
          }, [])
          .map(({ s, at }) => (
            <text
              key={s.label}
              x={40 + plotW + 6}
              y={at + 4}
              className="axis"
              fill={s.colour}
              data-testid="line-label"
            >
              {s.label.length > 24 ? `${s.label.slice(0, 23)}…` : s.label}
            </text>
          ))}
      </svg>
    </figure>
  );
}
