// A small line chart as inline SVG, rendered on the server: no client JavaScript, no chart
// library. The picture is described in words for screen readers (title, summary) and its
// figures are one click away in a table.
import { formatTime } from "@/lib/format";

export type ChartSeries = { label: string; values: (number | null)[]; tone: "primary" | "secondary" };

type Props = {
  id: string;
  title: string;
  times: number[];
  from: number;
  to: number;
  /** Points further apart than ~2.5 steps are not joined (nothing was measured between). */
  stepMs: number;
  series: ChartSeries[];
  limit?: { value: number; label: string } | undefined;
  format: (value: number) => string;
};

const W = 400;
const H = 160;
const PAD = { left: 60, right: 6, top: 10, bottom: 20 };
const TABLE_ROWS = 24;
const ANCHORS = ["start", "middle", "end"] as const;

/** A round axis maximum at or above `value`: 1, 2, 2.5 or 5 times a power of ten. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 2.5, 5, 10].find((step) => step * power >= value) ?? 10) * power;
}

/** SVG path of one series, broken where values are missing or too far apart in time. */
export function linePath(
  times: number[],
  values: (number | null)[],
  x: (t: number) => number,
  y: (v: number) => number,
  maxGapMs: number,
): string {
  let path = "";
  let previous: number | null = null;
  times.forEach((t, i) => {
    const v = values[i];
    if (v === null || v === undefined) {
      previous = null;
      return;
    }
    const join = previous !== null && t - previous <= maxGapMs;
    path += `${join ? "L" : "M"}${x(t).toFixed(1)} ${y(v).toFixed(1)}`;
    previous = t;
  });
  return path;
}

function summarise(series: ChartSeries, format: (v: number) => string): string {
  const present = series.values.filter((v): v is number => v !== null);
  if (present.length === 0) return `${series.label}: no data`;
  return `${series.label}: latest ${format(present.at(-1)!)}, peak ${format(Math.max(...present))}`;
}

export function LineChart({ id, title, times, from, to, stepMs, series, limit, format }: Props) {
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const top = niceCeiling(Math.max(limit?.value ?? 0, ...values) * 1.05);
  const x = (t: number) => PAD.left + ((t - from) / Math.max(1, to - from)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);
  const summary = [...series.map((s) => summarise(s, format)), limit && `${limit.label} ${format(limit.value)}`]
    .filter(Boolean)
    .join("; ");
  const every = Math.max(1, Math.ceil(times.length / TABLE_ROWS));
  const rows = times.map((t, i) => ({ t, i })).filter(({ i }) => i % every === 0 || i === times.length - 1);

  return (
    <figure className="load-chart">
      <figcaption id={`${id}-title`}>
        <strong>{title}</strong>
        <span className="load-chart-summary">{summary}.</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title`}>
        {[0, 0.5, 1].map((f) => (
          <g key={f} className="load-grid">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(top * f)} y2={y(top * f)} />
            <text x={PAD.left - 6} y={y(top * f) + 4} textAnchor="end">
              {format(top * f)}
            </text>
          </g>
        ))}
        {[from, (from + to) / 2, to].map((t, i) => (
          <text key={t} className="load-axis" x={x(t)} y={H - 6} textAnchor={ANCHORS[i]}>
            {formatTime(t, to - from)}
          </text>
        ))}
        {limit && (
          <g className="load-limit">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(limit.value)} y2={y(limit.value)} />
            <text x={W - PAD.right - 4} y={y(limit.value) - 4} textAnchor="end">
              {limit.label}
            </text>
          </g>
        )}
        {series.map((s) => (
          <path key={s.label} className={`load-line load-line-${s.tone}`} d={linePath(times, s.values, x, y, stepMs * 2.5)} />
        ))}
      </svg>
      {series.length > 1 && (
        <ul className="load-legend">
          {series.map((s) => (
            <li key={s.label} className={`load-legend-${s.tone}`}>
              {s.label}
            </li>
          ))}
        </ul>
      )}
      {times.length > 0 && (
        <details>
          <summary>Figures: {title}</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                {series.map((s) => (
                  <th key={s.label} scope="col">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map(({ t, i }) => (
                <tr key={t}>
                  <th scope="row">{formatTime(t, to - from)}</th>
                  {series.map((s) => {
                    const v = s.values[i];
                    return <td key={s.label}>{v === null || v === undefined ? "–" : format(v)}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </figure>
  );
}
