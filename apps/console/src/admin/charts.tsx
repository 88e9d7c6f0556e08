/**
 * Small charts of the figures page, plain SVG: no chart library, every chart also a table for
 * screen readers (the SVG is `aria-hidden`), colours from the stylesheet (`.series-*`), text in
 * HTML around the SVG so it never stretches with the viewBox.
 */

export interface Series {
  key: string;
  label: string;
  values: number[];
}

/** Horizontal bars, one per row, scaled to the largest value. */
export function BarList({
  rows,
  caption,
  format = String,
}: {
  rows: { key: string; label: string; value: number }[];
  caption: string;
  format?: (n: number) => string;
}) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <table className="bar-list">
      <caption className="sr-only">{caption}</caption>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.label}</th>
            <td className="bar-cell">
              <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <rect className="bar-track" x="0" y="0" width="100" height="10" rx="2" />
                <rect
                  className={`series-${row.key}`}
                  x="0"
                  y="0"
                  width={row.value === 0 ? 0 : Math.max(1.5, (row.value / max) * 100)}
                  height="10"
                  rx="2"
                />
              </svg>
            </td>
            <td className="bar-value">{format(row.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One column per day, the series stacked; the first and last day and the peak said in text. */
export function DayColumns({
  days,
  series,
  caption,
  dayLabel,
}: {
  days: string[];
  series: Series[];
  caption: string;
  dayLabel: string;
}) {
  const totals = days.map((_, i) => series.reduce((n, s) => n + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const step = 10;
  const width = days.length * step;
  return (
    <figure className="day-columns">
      <div className="chart-frame">
        <span className="chart-max">{max}</span>
        <svg viewBox={`0 0 ${width} 100`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
          <line className="chart-axis" x1="0" y1="100" x2={width} y2="100" />
          {days.map((day, i) => {
            let top = 100;
            return (
              <g key={day}>
                {series.map((s) => {
                  const v = s.values[i] ?? 0;
                  const h = (v / max) * 100;
                  top -= h;
                  return v > 0 ? (
                    <rect
                      key={s.key}
                      className={`series-${s.key}`}
                      x={i * step + 1.5}
                      y={top}
                      width={step - 3}
                      height={h}
                    />
                  ) : null;
                })}
              </g>
            );
          })}
        </svg>
      </div>
      <div className="chart-days" aria-hidden="true">
        <span>{days[0]?.slice(5)}</span>
        <span>{days[days.length - 1]?.slice(5)}</span>
      </div>
      <figcaption>
        <Legend series={series} />
      </figcaption>
      <div className="sr-only">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{dayLabel}</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((day, i) => (
              <tr key={day}>
                <th scope="row">{day}</th>
                {series.map((s) => (
                  <td key={s.key}>{s.values[i] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/** One horizontal bar split into the series' shares (webhook deliveries of a program). */
export function ShareBar({
  parts,
  label,
}: {
  parts: { key: string; label: string; value: number }[];
  label: string;
}) {
  const total = parts.reduce((n, p) => n + p.value, 0);
  let x = 0;
  return (
    <div className="share-bar">
      <div className="share-head">
        <span className="share-label">{label}</span>
        <span className="share-parts">
          {parts
            .filter((p) => p.value > 0)
            .map((p) => `${p.label} ${p.value}`)
            .join(' · ')}
        </span>
      </div>
      <svg viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        <rect className="bar-track" x="0" y="0" width="100" height="8" rx="2" />
        {total > 0
          ? parts.map((p) => {
              const w = (p.value / total) * 100;
              const rect =
                w > 0 ? (
                  <rect key={p.key} className={`series-${p.key}`} x={x} y="0" width={w} height="8" />
                ) : null;
              x += w;
              return rect;
            })
          : null}
      </svg>
    </div>
  );
}

export function Legend({ series }: { series: { key: string; label: string }[] }) {
  return (
    <ul className="legend" aria-hidden="true">
      {series.map((s) => (
        <li key={s.key}>
          <span className={`swatch series-bg-${s.key}`} />
          {s.label}
        </li>
      ))}
    </ul>
  );
}
