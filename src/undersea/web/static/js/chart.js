// A small SVG line chart of rank over years (rank 1 at the top), drawn by hand.

import { escapeHtml } from "./table.js";

export function rankChart(points, { title = "Rank over time", width = 340, height = 190 } = {}) {
  const pts = points.filter((p) => p.rank != null);
  const m = { l: 36, r: 12, t: 14, b: 26 };
  const w = width - m.l - m.r, h = height - m.t - m.b;
  if (!pts.length) return `<p class="muted">No ranked years.</p>`;
  const years = points.map((p) => p.year);
  const x0 = Math.min(...years), x1 = Math.max(...years);
  const worst = Math.max(...pts.map((p) => p.rank));
  const yMax = Math.max(2, niceCeil(worst));
  const sx = (y) => m.l + (x1 === x0 ? w / 2 : ((y - x0) / (x1 - x0)) * w);
  const sy = (r) => m.t + ((r - 1) / (yMax - 1)) * h;
  const ticksY = rankTicks(yMax);
  const ticksX = yearTicks(x0, x1);
  let d = "";
  let pen = false;
  for (const p of points) {
    if (p.rank == null) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${sx(p.year).toFixed(1)},${sy(p.rank).toFixed(1)}`;
    pen = true;
  }
  const grid = ticksY
    .map((r) => `<line class="grid" x1="${m.l}" x2="${m.l + w}" y1="${sy(r)}" y2="${sy(r)}"/><text x="${m.l - 6}" y="${sy(r) + 4}" text-anchor="end">${r}</text>`)
    .join("");
  const xl = ticksX.map((y) => `<text x="${sx(y)}" y="${height - 8}" text-anchor="middle">${y}</text>`).join("");
  const dots = pts
    .map((p) => `<circle cx="${sx(p.year)}" cy="${sy(p.rank)}" r="2.8"><title>${p.year}: rank ${p.rank}${p.value != null ? ` (${escapeHtml(p.value)})` : ""}</title></circle>`)
    .join("");
  const summary = pts.map((p) => `${p.year}: ${p.rank}`).join(", ");
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}: ${escapeHtml(summary)}">
    <title>${escapeHtml(title)}</title>${grid}${xl}<path class="line" d="${d}"/>${dots}</svg>`;
}

function niceCeil(v) {
  for (const s of [2, 3, 5, 10, 15, 20, 25, 50, 100, 200, 500, 1000]) if (v <= s) return s;
  return Math.ceil(v / 1000) * 1000;
}

function rankTicks(max) {
  const step = max <= 5 ? 1 : max <= 10 ? 3 : max <= 25 ? 5 : max <= 50 ? 10 : max <= 100 ? 25 : Math.ceil(max / 4);
  const out = [1];
  for (let r = step; r <= max; r += step) if (r !== 1) out.push(r);
  return out;
}

function yearTicks(a, b) {
  const span = b - a;
  const step = span <= 6 ? 1 : span <= 12 ? 2 : span <= 30 ? 5 : 10;
  const out = [];
  for (let y = Math.ceil(a / step) * step; y <= b; y += step) out.push(y);
  return out.length ? out : [a];
}
