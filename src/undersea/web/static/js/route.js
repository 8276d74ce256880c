// The Route tab: the route of least delay between two places, drawn on the map.

import { get } from "./api.js";
import { $, map, renderLegend, state, writeUrl } from "./main.js";
import { escapeHtml, fmt } from "./table.js";

export function bindRoute() {
  $("#route-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runRoute();
  });
  $("#route-clear").addEventListener("click", () => {
    state.routeResult = null;
    map.setRoute(null);
    $("#route-result").innerHTML = "";
    renderLegend();
    writeUrl();
  });
}

// Unwrap longitudes along a route so it never jumps across the map.
function unwrapLines(features) {
  const lines = [];
  let last = null;
  for (const f of features) {
    const pts = f.geometry.coordinates.map((p) => [p[0], p[1]]);
    if (last !== null && pts.length) {
      const shift = Math.round((last - pts[0][0]) / 360) * 360;
      for (const p of pts) p[0] += shift;
    }
    for (let i = 1; i < pts.length; i++) pts[i][0] += Math.round((pts[i - 1][0] - pts[i][0]) / 360) * 360;
    if (pts.length) last = pts[pts.length - 1][0];
    lines.push(pts);
  }
  return lines;
}

export async function runRoute() {
  const from = $("#route-from").value.trim(), to = $("#route-to").value.trim();
  const out = $("#route-result");
  if (!from || !to) return;
  out.innerHTML = `<p class="muted">Finding the route…</p>`;
  try {
    const res = await get("route", { from, to, alternatives: $("#route-alt").value, year: state.year, planned: state.planned });
    if (res.outcome !== "route") {
      state.routeResult = null;
      map.setRoute(null);
      out.innerHTML = `<p class="error" data-outcome="no_route">No route: ${escapeHtml(res.reason)}</p>`;
      renderLegend();
      return;
    }
    if (res.reason) {  // a route with a reason: both ends are one place, nothing to draw
      state.routeResult = null;
      map.setRoute(null);
      out.innerHTML = `<p class="muted" data-outcome="same_place">${escapeHtml(res.reason)}</p>`;
      renderLegend();
      return;
    }
    state.routeResult = res;
    drawRoute(0);
    writeUrl();
    out.innerHTML = res.routes.map((r, i) => routeHtml(r, i)).join("");
    out.querySelectorAll("button[data-route]").forEach((b) => b.addEventListener("click", () => drawRoute(parseInt(b.dataset.route, 10))));
  } catch (err) {
    out.innerHTML = `<p class="error">${escapeHtml(err.message)}</p>`;
  }
}

function drawRoute(i) {
  const r = state.routeResult.routes[i];
  const lines = unwrapLines(r.geometry.features);
  map.setRoute(lines.map((coords) => ({ coords, rank: 0 })));
  if (map.route) map.fitBounds(map.route.bbox, 70);
  renderLegend();
}

function avoids(r) {
  const all = [...r.avoided_cables, ...(r.avoided_land_links || []).map((x) => `land ${x}`)];
  return all.length ? ` Avoids ${escapeHtml(all.join(", "))}.` : "";
}

function routeHtml(r, i) {
  const hops = r.hops
    .map((h) => `<li>${h.kind === "segment" ? `<b>${escapeHtml(h.cable)}</b>` : `<span class="muted">${escapeHtml(h.link)} link</span>`} ${escapeHtml(h.from)} → ${escapeHtml(h.to)} <span class="muted">${fmt(h.km, 0)} km</span></li>`)
    .join("");
  return `<div class="${i ? "alt" : ""}" data-route-rank="${i}">
    <h3>${i ? `Alternative ${i}` : "Fastest route"}: ${escapeHtml(r.from)} → ${escapeHtml(r.to)}</h3>
    <div class="kpis"><div class="kpi"><b data-testid="rtt">${fmt(r.rtt_ms, 1)}</b><span>ms RTT</span></div>
    <div class="kpi"><b>${r.hop_count}</b><span>hops</span></div>
    <div class="kpi"><b>${fmt(r.fibre_km, 0)}</b><span>km of fibre</span></div></div>
    <p class="muted">Great-circle floor ${fmt(r.great_circle_rtt_ms, 1)} ms RTT over ${fmt(r.great_circle_km, 0)} km.${avoids(r)}</p>
    <ol class="hops">${hops}</ol>
    ${i || state.routeResult.routes.length > 1 ? `<button type="button" data-route="${i}">Show on map</button>` : ""}</div>`;
}

