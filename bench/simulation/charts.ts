/** Hand-drawn SVG charts for the simulation report (no browser, no chart library). */

const W = 640;
const H = 300;
const M = { left: 60, right: 20, top: 36, bottom: 46 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceStep(range: number, ticks = 5): number {
  if (!(range > 0)) return 1;
  const raw = range / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

function fmt(n: number): string {
  return Math.abs(n) >= 1000 ? `${Math.round(n / 100) / 10}k` : Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function frame(title: string, xLabel: string, yLabel: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>
<text x="${(M.left + W - M.right) / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text>
<text transform="translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>
${body}
</svg>`;
}

function axes(
  xMax: number,
  yMax: number,
  xMin = 0,
): { x: (v: number) => number; y: (v: number) => number; svg: string } {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const xr = xMax - xMin || 1;
  const yStep = niceStep(yMax);
  const yTop = Math.max(yStep, Math.ceil(yMax / yStep) * yStep);
  const x = (v: number) => M.left + ((v - xMin) / xr) * pw;
  const y = (v: number) => M.top + ph - (v / yTop) * ph;
  let svg = `<line x1="${M.left}" y1="${M.top + ph}" x2="${M.left + pw}" y2="${M.top + ph}" stroke="#333"/>
<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}" stroke="#333"/>\n`;
  for (let v = 0; v <= yTop + 1e-9; v += yStep) {
    svg += `<line x1="${M.left}" y1="${y(v)}" x2="${M.left + pw}" y2="${y(v)}" stroke="#eee"/><text x="${M.left - 6}" y="${y(v) + 4}" text-anchor="end">${fmt(v)}</text>\n`;
  }
  const xStep = niceStep(xr, 8);
  for (let v = Math.ceil(xMin / xStep) * xStep; v <= xMax + 1e-9; v += xStep) {
    svg += `<line x1="${x(v)}" y1="${M.top + ph}" x2="${x(v)}" y2="${M.top + ph + 4}" stroke="#333"/><text x="${x(v)}" y="${M.top + ph + 16}" text-anchor="middle">${fmt(v)}</text>\n`;
  }
  return { x, y, svg };
}

/** Histogram of values with `bins` equal bins from 0 (or min) to max; bars labelled by count on hover. */
export function histogramSvg(
  values: number[],
  opts: { title: string; xLabel: string; bins?: number; color?: string; max?: number },
): string {
  const { title, xLabel, bins = 30, color = '#4a7bd0' } = opts;
  if (!values.length)
    return frame(title, xLabel, 'count', `<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no data</text>`);
  const lo = Math.min(0, ...values);
  const hi = opts.max ?? Math.max(...values);
  const width = (hi - lo) / bins || 1;
  const counts = new Array(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]++;
  const { x, y, svg } = axes(lo + bins * width, Math.max(...counts), lo);
  let bars = '';
  counts.forEach((c, i) => {
    const x0 = x(lo + i * width);
    const x1 = x(lo + (i + 1) * width);
    bars += `<rect x="${x0 + 0.5}" y="${y(c)}" width="${Math.max(0.5, x1 - x0 - 1)}" height="${y(0) - y(c)}" fill="${color}"><title>${fmt(lo + i * width)}–${fmt(lo + (i + 1) * width)}: ${c}</title></rect>\n`;
  });
  return frame(title, xLabel, 'count', svg + bars);
}

export interface Series {
  name: string;
  color: string;
  points: Array<[number, number | null]>;
}

/** Line chart of a few series over x (e.g. 10-second buckets); null points break the line. */
export function lineChartSvg(series: Series[], opts: { title: string; xLabel: string; yLabel: string }): string {
  const all = series.flatMap((s) => s.points.filter((p) => p[1] !== null)) as Array<[number, number]>;
  if (!all.length)
    return frame(
      opts.title,
      opts.xLabel,
      opts.yLabel,
      `<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no data</text>`,
    );
  const xMax = Math.max(...all.map((p) => p[0]));
  const xMin = Math.min(...all.map((p) => p[0]));
  const { x, y, svg } = axes(xMax === xMin ? xMin + 1 : xMax, Math.max(...all.map((p) => p[1])), xMin);
  let body = svg;
  series.forEach((s, k) => {
    let d = '';
    let pen = false;
    for (const [px, py] of s.points) {
      if (py === null) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${x(px).toFixed(1)},${y(py).toFixed(1)} `;
      pen = true;
      body += `<circle cx="${x(px).toFixed(1)}" cy="${y(py).toFixed(1)}" r="2.5" fill="${s.color}"><title>${esc(s.name)} @ ${fmt(px)}: ${fmt(py)}</title></circle>\n`;
    }
    body += `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>\n`;
    body += `<rect x="${M.left + 10 + k * 120}" y="${M.top - 12}" width="12" height="4" fill="${s.color}"/><text x="${M.left + 26 + k * 120}" y="${M.top - 7}">${esc(s.name)}</text>\n`;
  });
  return frame(opts.title, opts.xLabel, opts.yLabel, body);
}
