import { useState } from 'preact/hooks';
import { chartLayout, formatGap, type ChartMode, type SharedPage } from '../../utils/targeting/shared-pages';
import { useT } from '../I18nContext';
import { formatUtc } from './format';
import { isolate } from '../../utils/i18n/bidi';

/** Colour per user (Codex palette hues, distinguishable in light and dark themes); shapes add a second cue. */
export const USER_COLOURS = ['#36c', '#d73333', '#14866d', '#ac6600', '#6b4ba1', '#0a7c8c', '#b32424', '#5a6b00', '#9b2f80', '#404244'];
const SHAPES = ['circle', 'square', 'diamond'] as const;

function Mark({ x, y, index }: { x: number; y: number; index: number }) {
  const fill = USER_COLOURS[index % USER_COLOURS.length];
  const shape = SHAPES[index % SHAPES.length];
  if (shape === 'square') return <rect x={x - 4} y={y - 4} width={8} height={8} fill={fill} />;
  if (shape === 'diamond') return <path d={`M${x} ${y - 5}L${x + 5} ${y}L${x} ${y + 5}L${x - 5} ${y}Z`} fill={fill} />;
  return <circle cx={x} cy={y} r={4.5} fill={fill} />;
}

/** One row per shared page, one mark per edit, time left to right (the axis is physical time, also in RTL). */
export function TimelineChart({ pages, users, locale, width = 860 }: { pages: SharedPage[]; users: string[]; locale: string; width?: number }) {
  const t = useT();
  const [mode, setMode] = useState<ChartMode>('relative');
  const layout = chartLayout(pages, users, width, mode);
  const axis = (ms: number) => (mode === 'relative' ? (ms ? `+${formatGap(ms)}` : t('kalkan-patrol-chart-first-edit')) : formatUtc(locale, ms));
  const axisY = layout.height - 8;
  return (
    <figure class="kalkan-patrol-chart">
      <label>
        {t('kalkan-patrol-chart-mode')}{' '}
        <select value={mode} onChange={(e) => setMode((e.target as HTMLSelectElement).value === 'calendar' ? 'calendar' : 'relative')} data-testid="patrol-chart-mode">
          <option value="relative">{t('kalkan-patrol-chart-mode-relative')}</option>
          <option value="calendar">{t('kalkan-patrol-chart-mode-calendar')}</option>
        </select>
      </label>
      <svg role="img" aria-labelledby="kalkan-chart-title" width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} dir="ltr" data-testid="patrol-chart">
        <title id="kalkan-chart-title">{t('kalkan-patrol-chart-title', users.map(isolate).join(', '), pages.length)}</title>
        {layout.rows.map((row) => (
          <g key={row.title}>
            <line x1={layout.labelWidth} x2={layout.width - 8} y1={row.y} y2={row.y} class="kalkan-patrol-chart-row" />
            <text x={layout.labelWidth - 8} y={row.y + 4} text-anchor="end" class="kalkan-patrol-chart-label">{row.title.length > 28 ? `${row.title.slice(0, 27)}…` : row.title}</text>
          </g>
        ))}
        {layout.points.map((p) => (
          <g key={`${p.title}-${p.user}-${p.utcMs}-${p.x}`}>
            <title>{`${isolate(p.user)} — ${isolate(p.title)} — ${formatUtc(locale, p.utcMs)}`}</title>
            <Mark x={p.x} y={p.y} index={Math.max(0, p.userIndex)} />
          </g>
        ))}
        <text x={layout.labelWidth} y={axisY} class="kalkan-patrol-chart-axis">{pages.length ? axis(layout.minMs) : ''}</text>
        <text x={layout.width - 8} y={axisY} text-anchor="end" class="kalkan-patrol-chart-axis">{pages.length ? axis(layout.maxMs) : ''}</text>
      </svg>
      <figcaption>
        <ul class="kalkan-patrol-legend">
          {users.map((user, i) => (
            <li key={user}>
              <svg width={12} height={12} viewBox="0 0 12 12" aria-hidden="true"><Mark x={6} y={6} index={i} /></svg> <bdi>{user}</bdi>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
