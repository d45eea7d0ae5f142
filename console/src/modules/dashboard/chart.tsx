import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MonthRow } from '../../core/types';

export interface ChartSeries {
  key: 'registered' | 'departed' | 'closedStale' | 'verified';
  label: string;
  color: string;
  dash?: number[];
}

/**
 * The monthly flows as lines (uPlot, canvas). The canvas is one image to assistive
 * technology, labelled by `label`; its legend is plain HTML and the figures are also in a
 * table next to it. Colors differ in lightness and dash, not only in hue.
 */
export function MonthlyChart({
  months,
  series,
  monthLabel,
  label,
  formatNumber,
}: {
  months: MonthRow[];
  series: ChartSeries[];
  monthLabel: (month: string) => string;
  label: string;
  formatNumber: (n: number) => string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data: uPlot.AlignedData = [
      months.map((_, i) => i),
      ...series.map((s) => months.map((m) => m[s.key])),
    ];
    const width = () => Math.max(280, Math.floor(el.clientWidth));
    const plot = new uPlot(
      {
        width: width(),
        height: 260,
        legend: { show: false },
        padding: [12, 48, 0, 4],
        cursor: { show: true, drag: { x: false, y: false } },
        scales: {
          x: { time: false },
          y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] },
        },
        axes: [
          {
            stroke: '#333',
            grid: { stroke: '#e3e3e3' },
            values: (_u, splits) =>
              splits.map((i) => (Number.isInteger(i) && months[i] ? monthLabel(months[i].month) : '')),
          },
          {
            stroke: '#333',
            grid: { stroke: '#e3e3e3' },
            values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? formatNumber(v) : '')),
          },
        ],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            dash: s.dash,
            points: { show: true, size: 6, fill: s.color },
          })),
        ],
      },
      data,
      el,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: 260 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [months, series, monthLabel, formatNumber]);
  return (
    <figure class="chart">
      <div class="chart-canvas" ref={box} role="img" aria-label={label} />
      <figcaption>
        <ul class="legend">
          {series.map((s) => (
            <li key={s.key}>
              <svg width="28" height="10" aria-hidden="true" focusable="false">
                <line
                  x1="0"
                  y1="5"
                  x2="28"
                  y2="5"
                  stroke={s.color}
                  stroke-width="3"
                  stroke-dasharray={s.dash?.join(' ')}
                />
              </svg>
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
