import { formatDecimal } from '@vitrine/pricing';
import type { KpiBucket } from './tenant-kpis.service';

/** One bar: its axis label (e.g. "3 Mar"), its value, and how the value is written. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Shown in the bar's tooltip; defaults to the value. */
  readonly valueLabel?: string;
}

export interface BarChartOptions {
  /** The chart's accessible name (the SVG's <title>). */
  readonly title: string;
  readonly width?: number;
  readonly height?: number;
  /** Write every n-th axis label only (long series); default: as many as fit. */
  readonly labelEvery?: number;
}

/** Text for SVG/XML content and attribute values: labels come from data (tenant names, dates). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PAD = { top: 16, right: 8, bottom: 28, left: 48 };
const fmt = (n: number) => String(Math.round(n * 100) / 100);

/** The largest value rounded up to 1, 2 or 5 × 10^k, so the axis reads in round numbers. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((m) => m * magnitude >= max) ?? 10;
  return step * magnitude;
}

/**
 * A bar chart as a standalone SVG string, rendered on the server (no script, no external
 * resources): for the admin pages' KPI series. Pure: same input, same bytes. Every text that
 * comes from data is escaped; negative or non-finite values are drawn as zero (KPI series have
 * none, but a chart must not emit NaN coordinates). Accessible: role="img" with a <title>, and
 * each bar carries its label and value as a tooltip.
 */
export function renderBarChart(bars: readonly Bar[], options: BarChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 200;
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const values = bars.map((b) => (Number.isFinite(b.value) && b.value > 0 ? b.value : 0));
  const top = niceMax(Math.max(0, ...values));
  const slot = bars.length ? plotW / bars.length : plotW;
  const barW = Math.max(1, slot * 0.8);
  const every = options.labelEvery ?? Math.max(1, Math.ceil((bars.length * 48) / plotW));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.title)}">`,
    `<title>${escapeXml(options.title)}</title>`,
    // Axis: zero and the top value, a base line.
    `<g class="axis" font-size="10" fill="currentColor">`,
    `<text x="${PAD.left - 4}" y="${PAD.top + plotH}" text-anchor="end" dominant-baseline="middle">0</text>`,
    `<text x="${PAD.left - 4}" y="${PAD.top}" text-anchor="end" dominant-baseline="middle">${escapeXml(fmt(top))}</text>`,
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${PAD.left + plotW}" y2="${PAD.top + plotH}" stroke="currentColor" stroke-width="1"/>`,
    `</g>`,
    `<g class="bars" fill="currentColor">`,
  ];
  bars.forEach((bar, i) => {
    const h = (values[i] / top) * plotH;
    const x = PAD.left + i * slot + (slot - barW) / 2;
    const tip = `${bar.label}: ${bar.valueLabel ?? fmt(values[i])}`;
    parts.push(
      `<rect x="${fmt(x)}" y="${fmt(PAD.top + plotH - h)}" width="${fmt(barW)}" height="${fmt(h)}"><title>${escapeXml(tip)}</title></rect>`,
    );
  });
  parts.push(`</g>`, `<g class="labels" font-size="10" fill="currentColor" text-anchor="middle">`);
  bars.forEach((bar, i) => {
    if (i % every !== 0) return;
    const x = PAD.left + i * slot + slot / 2;
    parts.push(`<text x="${fmt(x)}" y="${height - PAD.bottom / 2}">${escapeXml(bar.label)}</text>`);
  });
  parts.push(`</g>`, `</svg>`);
  return parts.join('');
}

/**
 * The bars of a KPI series: one per local day or week, labelled DD-MM (the bucket's local
 * start date, not its UTC instant), orders as counts or revenue in major units with the amount
 * written exactly as money in the tooltip.
 */
export function kpiSeriesBars(
  series: readonly KpiBucket[],
  metric: 'orders' | 'revenue',
  currency: string,
): Bar[] {
  return series.map((b) => {
    const label = `${b.date.slice(8, 10)}-${b.date.slice(5, 7)}`;
    if (metric === 'orders')
      return { label, value: b.orderCount, valueLabel: String(b.orderCount) };
    const amount = formatDecimal(b.revenueMinor, currency);
    return { label, value: Number(amount), valueLabel: `${currency} ${amount}` };
  });
}
