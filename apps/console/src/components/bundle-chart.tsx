import type { BundleFigures } from '../api/types.js';
import { useI18n } from '../i18n/i18n-context.js';

const ROW = 34;
const LABEL = 120;
const WIDTH = 520;

/**
 * A bundle's figures per program as a small horizontal bar chart in plain SVG: reservations and
 * cards added side by side, on one scale. The numbers are also written out (and in the table
 * beside it), so the chart is never the only way to read them.
 */
export function BundleChart({ figures }: { figures: BundleFigures }) {
  const { t } = useI18n();
  const max = Math.max(1, ...figures.programs.map((p) => Math.max(p.reservations, p.cardsAdded)));
  const bar = (n: number) => ((WIDTH - LABEL - 40) * n) / max;
  const height = figures.programs.length * ROW + 28;
  return (
    <figure className="bundle-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-label={t('bundles.chart.label')}
        data-testid="bundle-chart"
      >
        {figures.programs.map((p, i) => {
          const y = i * ROW + 4;
          return (
            <g key={p.channelId}>
              <text x={LABEL - 8} y={y + 17} textAnchor="end" className="chart-label">
                {Array.from(p.name).length > 13 ? `${Array.from(p.name).slice(0, 12).join('')}…` : p.name}
              </text>
              <rect x={LABEL} y={y + 2} width={bar(p.reservations)} height={11} className="chart-reserved" />
              <text x={LABEL + bar(p.reservations) + 4} y={y + 12} className="chart-value">
                {p.reservations}
              </text>
              <rect x={LABEL} y={y + 15} width={bar(p.cardsAdded)} height={11} className="chart-added" />
              <text x={LABEL + bar(p.cardsAdded) + 4} y={y + 25} className="chart-value">
                {p.cardsAdded}
              </text>
            </g>
          );
        })}
        <g transform={`translate(${LABEL}, ${height - 14})`}>
          <rect width={10} height={10} className="chart-reserved" />
          <text x={14} y={9} className="chart-value">
            {t('bundles.fig.reservations')}
          </text>
          <rect x={150} width={10} height={10} className="chart-added" />
          <text x={164} y={9} className="chart-value">
            {t('bundles.fig.added')}
          </text>
        </g>
      </svg>
    </figure>
  );
}
