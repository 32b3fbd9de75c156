/** One line of a {@link lineChart}. */
export interface ChartSeries {
  name: string;
  /** Points as [x, y], in increasing x. Non-finite values are skipped. */
  points: Array<[number, number]>;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** Size of the SVG in pixels. Default 640 × 320. */
  width?: number;
  height?: number;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
const MARGIN = { left: 64, right: 16, top: 32, bottom: 44 };

/**
 * Draws `series` as an SVG line chart with axes, about five ticks on each axis at round
 * values, and a legend when there is more than one series. Text is escaped for HTML.
 */
export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 320;
  const points = options.series.flatMap((series) =>
    series.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
  );
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">${escapeHtml(options.title)}</text>`,
  ];
  if (points.length === 0) {
    parts.push(
      `<text x="${width / 2}" y="${height / 2}" text-anchor="middle">no data</text></svg>`,
    );
    return parts.join('');
  }

  const xTicks = niceTicks(
    Math.min(...points.map((p) => p[0])),
    Math.max(...points.map((p) => p[0])),
  );
  const yTicks = niceTicks(
    Math.min(...points.map((p) => p[1])),
    Math.max(...points.map((p) => p[1])),
  );
  const [xMin, xMax] = [xTicks[0]!, xTicks[xTicks.length - 1]!];
  const [yMin, yMax] = [yTicks[0]!, yTicks[yTicks.length - 1]!];
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((x - xMin) / (xMax - xMin || 1)) * plotWidth;
  const sy = (y: number) =>
    MARGIN.top + plotHeight - ((y - yMin) / (yMax - yMin || 1)) * plotHeight;

  for (const tick of xTicks) {
    parts.push(
      `<line x1="${sx(tick)}" y1="${MARGIN.top}" x2="${sx(tick)}" y2="${MARGIN.top + plotHeight}" stroke="#e5e5e5"/>`,
      `<text x="${sx(tick)}" y="${MARGIN.top + plotHeight + 16}" text-anchor="middle">${formatTick(tick)}</text>`,
    );
  }
  for (const tick of yTicks) {
    parts.push(
      `<line x1="${MARGIN.left}" y1="${sy(tick)}" x2="${MARGIN.left + plotWidth}" y2="${sy(tick)}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 6}" y="${sy(tick) + 4}" text-anchor="end">${formatTick(tick)}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#888"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${height - 8}" text-anchor="middle">${escapeHtml(options.xLabel)}</text>`,
    `<text x="14" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 14 ${MARGIN.top + plotHeight / 2})">${escapeHtml(options.yLabel)}</text>`,
  );

  options.series.forEach((series, index) => {
    const color = COLORS[index % COLORS.length]!;
    const valid = series.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    const path = valid.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${path}"/>`);
    if (valid.length === 1) {
      parts.push(
        `<circle cx="${sx(valid[0]![0])}" cy="${sy(valid[0]![1])}" r="3" fill="${color}"/>`,
      );
    }
    if (options.series.length > 1) {
      const y = MARGIN.top + 14 + 16 * index;
      parts.push(
        `<rect x="${MARGIN.left + plotWidth - 150}" y="${y - 9}" width="10" height="10" fill="${color}"/>`,
        `<text x="${MARGIN.left + plotWidth - 134}" y="${y}">${escapeHtml(series.name)}</text>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Returns about five round tick values that cover [min, max]. */
export function niceTicks(min: number, max: number): number[] {
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    return niceTicks(min - pad, max + pad);
  }
  const rough = (max - min) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!;
  const start = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let tick = start; tick <= max + step * 1e-9; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
  }
  if (ticks[ticks.length - 1]! < max) {
    ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  }
  return ticks;
}

function formatTick(value: number): string {
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)
    ? value.toExponential(1)
    : String(Number(value.toPrecision(4)));
}

/** Escapes the characters that HTML and SVG text treat specially. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
