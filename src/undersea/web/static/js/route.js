// The Route tab: the route of least delay between two places, drawn on the map.

import { get } from "./api.js";
import { $, map, renderLegend, state, writeUrl } from "./main.js";
import { escapeHtml, fmt } from "./table.js";

export function bindRoute() {
  $("#route-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runRoute();
  });
  $("#route-land-add").addEventListener("click", () => addLand($("#route-land").value) && rerun());
  $("#route-land").addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    if (addLand($("#route-land").value)) rerun();
  });
  $("#route-land-chips").addEventListener("click", (e) => {
    const i = e.target.closest("button")?.dataset.land;
    if (i === undefined) return;
    state.routeLand.splice(Number(i), 1);
    renderLand();
    rerun();
  });
  // "avoid" beside a land leg of a shown route: route again without that land link
  $("#route-result").addEventListener("click", (e) => {
    const b = e.target.closest("button[data-avoid]");
    if (b && addLand(b.dataset.avoid, b.dataset.label)) rerun();
  });
  $("#route-clear").addEventListener("click", () => {
    state.routeLand = [];
    $("#route-land").value = "";
    renderLand();
    state.routeResult = null;
    map.setRoute(null);
    $("#route-result").innerHTML = "";
    renderLegend();
    writeUrl();
  });
}

// A land link to fail, as the API takes it ("A;B" or "A,B": the server resolves and checks
// it, and its refusal shows in the result as every other error); false when there is none
function addLand(text, label = text) {
  const link = text.trim();
  if (!link) return false;
  if (!state.routeLand.some((l) => l.text === link)) state.routeLand.push({ text: link, label: label.trim() });
  $("#route-land").value = "";
  renderLand();
  return true;
}

export function renderLand() {
  $("#route-land-chips").innerHTML = state.routeLand
    .map(({ label }, i) => `<span class="chip">${escapeHtml(label)}<button type="button" data-land="${i}" aria-label="Remove ${escapeHtml(label)}">×</button></span>`)
    .join("");
}

function rerun() {
  if ($("#route-from").value.trim() && $("#route-to").value.trim()) runRoute();
  else writeUrl();
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
  addLand($("#route-land").value); // typed but not added: meant all the same
  const from = $("#route-from").value.trim(), to = $("#route-to").value.trim();
  const out = $("#route-result");
  if (!from || !to) return;
  out.innerHTML = `<p class="muted">Finding the route…</p>`;
  try {
    const land = state.routeLand.map((l) => l.text);
    const res = await get("route", { from, to, alternatives: $("#route-alt").value, without_land: land, year: state.year, planned: state.planned });
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
    nameLand(res.routes[0].avoided_land_links);
    drawRoute(0);
    writeUrl();
    out.innerHTML = res.routes.map((r, i) => routeHtml(r, i)).join("");
    out.querySelectorAll("button[data-route]").forEach((b) => b.addEventListener("click", () => drawRoute(parseInt(b.dataset.route, 10))));
  } catch (err) {  // the route drawn before is not the answer to what was asked now
    state.routeResult = null;
    map.setRoute(null);
    out.innerHTML = `<p class="error">${escapeHtml(err.message)}</p>`;
    renderLegend();
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

// The chips named as the server named the links it failed (one name each, in order), so a
// link typed or shared as ids reads as its places
function nameLand(names) {
  if (names.length !== state.routeLand.length) return;
  state.routeLand.forEach((l, i) => (l.label = names[i]));
  renderLand();
}

// A land leg between two network places can be failed ("access" legs join a country or a
// point to the network: not a land link of its own)
function avoidButton(h) {
  if (h.kind !== "land" || h.link === "access") return "";
  const label = `${h.from} – ${h.to}`;
  return ` <button type="button" class="link" data-avoid="${escapeHtml(`${h.from_id};${h.to_id}`)}" data-label="${escapeHtml(label)}" title="Find the route again without this land link" aria-label="Avoid the land link ${escapeHtml(label)}">avoid</button>`;
}

function routeHtml(r, i) {
  const hops = r.hops
    .map((h) => `<li>${h.kind === "segment" ? `<b>${escapeHtml(h.cable)}</b>` : `<span class="muted">${escapeHtml(h.link)} link</span>`} ${escapeHtml(h.from)} → ${escapeHtml(h.to)} <span class="muted">${fmt(h.km, 0)} km</span>${avoidButton(h)}</li>`)
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

