/** Small accessible SVG charts: each has a title and a table of its numbers for screen readers. */

export function BarChart({
  title,
  rows,
  unit = '',
  format = (x) => String(Math.round(x * 10) / 10),
}: {
  title: string;
  rows: { label: string; value: number; colour?: string | undefined }[];
  unit?: string;
  format?: (x: number) => string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.value));
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
            <text x={labelW + ((W - labelW - 70) * r.value) / max + 4} y={15} className="axis">
              {format(r.value)}
              {unit}
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
}: {
  title: string;
  series: { label: string; values: number[]; colour: string }[];
}) {
  const W = 520;
  const H = 180;
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (i: number) => 40 + ((W - 50) * i) / (n - 1);
  const y = (v: number) => H - 20 - ((H - 30) * v) / max;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        <line x1={40} y1={H - 20} x2={W - 10} y2={H - 20} className="grid" />
        <text x={36} y={y(max) + 4} textAnchor="end" className="axis">
          {Math.round(max)}
        </text>
        <text x={36} y={H - 16} textAnchor="end" className="axis">
          0
        </text>
        {series.map((s) => (
          <polyline
            key={s.label}
            fill="none"
            stroke={s.colour}
            strokeWidth={1.5}
            points={s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
          />
        ))}
      </svg>
      <ul className="legend">
        {series.map((s) => (
          <li key={s.label}>
            <svg width="18" height="10" aria-hidden="true">
              <line x1="0" y1="5" x2="18" y2="5" stroke={s.colour} strokeWidth="3" />
            </svg>{' '}
            {s.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}
