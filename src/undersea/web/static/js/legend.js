// The map's legend: what the cables' colours, the cut, the route, the hubs and the
// countries' fill mean.

import { hasCut } from "./cut.js";
import { metricLabel } from "./hubs.js";
import { $, COARSE, map, state } from "./main.js";
import { CABLE_HUES, CAPACITY_STOPS, PALETTE, SEVERITY_COLOURS, viridis } from "./map.js";
import { escapeHtml, fmt } from "./table.js";

export function renderLegend() {
  const el = $("#legend");
  const groups = [];
  const mode = state.colourBy;
  if (mode === "year") {
    const [a, b] = map.yearRange;
    const stops = [0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => viridis(t)).join(",");
    groups.push(`<div class="group"><h2>Cables by ready-for-service year</h2><div class="ramp" style="background:linear-gradient(90deg,${stops})"></div><div class="ramp-labels"><span>${a}</span><span>${b}</span></div></div>`);
  } else if (mode === "capacity") {
    const items = CAPACITY_STOPS.map(([v, c], i) => {
      const next = CAPACITY_STOPS[i + 1];
      return `<div class="item"><span class="sw" style="border-color:${c}"></span>${next ? `${v}–${next[0]}` : `≥ ${v}`} Tbit/s</div>`;
    }).join("");
    groups.push(`<div class="group"><h2>Cables by design capacity (modelled)</h2>${items}</div>`);
  } else if (mode === "cable") {
    const sw = CABLE_HUES.slice(0, 8).map((c) => `<span class="sw short" style="border-color:${c}"></span>`).join("");
    groups.push(`<div class="group"><h2>Cables</h2><div class="item">${sw}</div><div class="item muted">one colour per cable (hover for its name)</div></div>`);
  } else {
    groups.push(`<div class="group"><h2>Cables</h2><div class="item"><span class="sw" style="border-color:${PALETTE.inService}"></span>In service</div>${state.planned ? `<div class="item"><span class="sw" style="border-color:${PALETTE.planned}"></span>Planned</div>` : ""}</div>`);
  }
  const extra = [];
  if (hasCut()) extra.push(`<div class="item"><span class="sw dash" style="border-color:${PALETTE.cut}"></span>Cut</div>`);
  if (state.routeResult) extra.push(`<div class="item"><span class="sw" style="border-color:${PALETTE.route}"></span>Route</div>`);
  if (map.selected.length) extra.push(`<div class="item"><span class="sw" style="border-color:${PALETTE.selected}"></span>Selected</div>`);
  extra.push(`<div class="item"><span class="dot"></span>Landing point</div>`);
  groups.push(`<div class="group">${extra.join("")}</div>`);
  if (map.hubs.length) {
    const max = map.hubMax;
    // a count (cables, countries) is drawn for whole counts: no circle for "1.6 cables"
    const whole = map.hubs.every((h) => Number.isInteger(h.value));
    const marks = [...new Set([max, max / 4, max / 16].map((v) => (whole ? Math.round(v) : v)))].filter((v) => v > 0);
    const circles = marks
      .map((v) => {
        const r = map.hubRadius(v);
        return `<span class="hub-mark"><svg width="${2 * r + 2}" height="${2 * r + 2}" aria-hidden="true"><circle cx="${r + 1}" cy="${r + 1}" r="${r}" fill="rgba(204,121,167,.45)" stroke="#7a3b63"/></svg>${fmt(v)}</span>`;
      })
      .join("");
    groups.push(`<div class="group"><h2>Hubs by ${escapeHtml(metricLabel().replace(/_/g, " "))} (area ∝ value)</h2><div class="hub-scale">${circles}</div></div>`);
  }
  if (state.fillMode === "cut") {
    const items = ["isolated", "severe", "degraded"]
      .map((s) => `<div class="item"><span class="box" style="background:${SEVERITY_COLOURS[s]}"></span>${s}</div>`)
      .join("");
    groups.push(`<div class="group"><h2>Impact</h2>${items}</div>`);
  } else if (state.fillMode === "risk") {
    const items = [["isolated", "≥ 50%"], ["severe", "≥ 10%"], ["degraded", "≥ 1%"]]
      .map(([s, label]) => `<div class="item"><span class="box" style="background:${SEVERITY_COLOURS[s]}"></span>${label}</div>`)
      .join("");
    groups.push(`<div class="group"><h2>P(severe or worse)</h2>${items}</div>`);
  }
  if (!map.countries.length) groups.push(`<div class="group muted">No country shapes in this data set.</div>`);
  el.innerHTML = `<details ${COARSE ? "" : "open"}><summary>Legend</summary>${groups.join("")}</details>`;
}
