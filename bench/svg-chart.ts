// A grouped bar chart as a self-contained SVG document: one group of bars per category
// (e.g. a benchmark program), one bar per series (e.g. a configuration), a legend, axis
// labels and a linear or base-10 logarithmic value axis. A pure function of its input
// (no DOM, no dependencies), so the benchmarks can write their charts next to their JSON.

export interface BarSeries {
  name: string;
  /** One value per group; null (or, on a log axis, a value <= 0) draws no bar. */
  values: (number | null)[];
  /** CSS colour; a built-in palette is used when absent. */
  color?: string;
}

export interface BarChartData {
  title: string;
  /** Group labels along the category axis ("\n" starts a second line). */
  groups: string[];
  series: BarSeries[];
  /** Value-axis label (include the unit). */
  yLabel: string;
  /** Category-axis label. */
  xLabel?: string;
  /** Base-10 logarithmic value axis (default false). */
  log?: boolean;
  /** Small print under the chart. */
  note?: string;
  width?: number;
  height?: number;
}

/** Colour-blind-friendly palette (Okabe & Ito). */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Short tick text: 1, 20, 300, 4k, 50k, 1.5M, 0.01 ... */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  const trim = (x: number) => String(Number(x.toPrecision(3)));
  if (a >= 1e9) return `${trim(v / 1e9)}G`;
  if (a >= 1e6) return `${trim(v / 1e6)}M`;
  if (a >= 1e4) return `${trim(v / 1e3)}k`;
  return trim(v);
}

interface Scale {
  /** Value -> 0..1 along the axis (clamped). */
  pos(v: number): number;
  ticks: { value: number; major: boolean }[];
}

function logScale(values: number[]): Scale {
  const lo = Math.floor(Math.log10(Math.min(...values)));
  let hi = Math.ceil(Math.log10(Math.max(...values)));
  if (hi === lo) hi = lo + 1;
  const ticks: Scale['ticks'] = [];
  for (let e = lo; e <= hi; e++) {
    ticks.push({ value: 10 ** e, major: true });
    if (e < hi && hi - lo <= 4) for (const m of [2, 5]) ticks.push({ value: m * 10 ** e, major: false });
  }
  return {
    pos: (v) => Math.min(1, Math.max(0, (Math.log10(v) - lo) / (hi - lo))),
    ticks,
  };
}

function linearScale(values: number[]): Scale {
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  const rough = span / 5;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= rough)!;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step || step;
  const ticks: Scale['ticks'] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push({ value: Number(v.toPrecision(12)), major: true });
  return { pos: (v) => Math.min(1, Math.max(0, (v - lo) / (hi - lo))), ticks };
}

const f1 = (x: number) => (Math.round(x * 10) / 10).toString();

/** The chart as an SVG document (a string starting with "<svg"). */
export function groupedBarChart(data: BarChartData): string {
  const width = data.width ?? 960;
  const height = data.height ?? 480;
  const log = data.log ?? false;
  const { groups, series } = data;
  const drawable = (v: number | null): v is number => v !== null && Number.isFinite(v) && (!log || v > 0);
  const values = series.flatMap((s) => s.values.filter(drawable));
  const scale = values.length === 0 ? linearScale([1]) : log ? logScale(values) : linearScale(values);

  // Layout: title on top, legend on the right, value axis on the left, labels below.
  const legendWidth = Math.min(220, 40 + 8 * Math.max(0, ...series.map((s) => s.name.length)));
  const labelLines = Math.max(1, ...groups.map((g) => g.split('\n').length));
  const m = { top: 48, right: legendWidth + 16, bottom: (data.note ? 86 : 68) + 14 * (labelLines - 1), left: 76 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const y = (v: number) => m.top + plotH * (1 - scale.pos(v));
  const base = log ? m.top + plotH : y(0);
  const groupW = plotW / Math.max(1, groups.length);
  const barW = (groupW * 0.8) / Math.max(1, series.length);
  const colorOf = (i: number) => series[i].color ?? PALETTE[i % PALETTE.length];

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${width / 2}" y="26" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(data.title)}</text>`);

  // Grid and value-axis ticks.
  for (const t of scale.ticks) {
    const ty = f1(y(t.value));
    out.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${ty}" y2="${ty}" stroke="${t.major ? '#cccccc' : '#eeeeee'}" stroke-width="1"/>`);
    if (t.major || scale.ticks.length <= 16) {
      out.push(`<text x="${m.left - 6}" y="${ty}" dy="0.35em" text-anchor="end" fill="${t.major ? '#000' : '#666'}">${escapeXml(formatTick(t.value))}</text>`);
    }
  }

  // Bars, with the value above each bar.
  groups.forEach((g, gi) => {
    const gx = m.left + gi * groupW + groupW * 0.1;
    series.forEach((s, si) => {
      const v = s.values[gi];
      const x = gx + si * barW;
      if (!drawable(v)) {
        out.push(`<text x="${f1(x + barW / 2)}" y="${f1(base - 4)}" text-anchor="middle" font-size="9" fill="#999">n/a</text>`);
        return;
      }
      const top = Math.min(y(v), base);
      const h = Math.max(Math.abs(base - y(v)), 0.5);
      out.push(`<rect x="${f1(x)}" y="${f1(top)}" width="${f1(Math.max(barW - 1, 1))}" height="${f1(h)}" fill="${colorOf(si)}">` +
        `<title>${escapeXml(`${g} / ${s.name}: ${v.toPrecision(4)}`)}</title></rect>`);
      if (barW >= 14) {
        out.push(`<text x="${f1(x + barW / 2)}" y="${f1(top - 3)}" text-anchor="middle" font-size="8" fill="#333">${escapeXml(formatTick(Number(v.toPrecision(3))))}</text>`);
      }
    });
    const cx = f1(m.left + (gi + 0.5) * groupW);
    const lines = g.split('\n').map((l, li) => `<tspan x="${cx}" dy="${li === 0 ? 0 : 14}">${escapeXml(l)}</tspan>`).join('');
    out.push(`<text x="${cx}" y="${m.top + plotH + 18}" text-anchor="middle">${lines}</text>`);
  });

  // Axes and their labels.
  out.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + plotH}" stroke="#000"/>`);
  out.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${f1(base)}" y2="${f1(base)}" stroke="#000"/>`);
  const yl = `${data.yLabel}${log ? ' (log scale)' : ''}`;
  out.push(`<text transform="translate(18 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yl)}</text>`);
  if (data.xLabel) {
    out.push(`<text x="${m.left + plotW / 2}" y="${m.top + plotH + 40 + 14 * (labelLines - 1)}" text-anchor="middle">${escapeXml(data.xLabel)}</text>`);
  }
  if (data.note) {
    out.push(`<text x="${m.left}" y="${height - 12}" font-size="10" fill="#555">${escapeXml(data.note)}</text>`);
  }

  // Legend.
  const lx = width - m.right + 16;
  series.forEach((s, si) => {
    const ly = m.top + 8 + si * 20;
    out.push(`<rect x="${lx}" y="${ly}" width="14" height="14" fill="${colorOf(si)}"/>`);
    out.push(`<text x="${lx + 20}" y="${ly + 7}" dy="0.35em">${escapeXml(s.name)}</text>`);
  });

  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
