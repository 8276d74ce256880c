// The Route tab: the route of least delay between two places, drawn on the map.

import { get } from "./api.js";
import { addLink, bindAdd, chipsHtml, onChipRemove, resolveCable } from "./chips.js";
import { renderLegend } from "./legend.js";
import { $, map, state } from "./main.js";
import { escapeHtml, fmt } from "./table.js";
import { writeUrl } from "./url.js";

export function bindRoute() {
  $("#route-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runRoute();
  });
  bindAdd("#route-cable", "#route-cable-add", async () => (await addCable($("#route-cable").value)) && rerun());
  bindAdd("#route-land", "#route-land-add", () => addLand($("#route-land").value) && rerun());
  for (const [chips, list] of [["#route-cable-chips", "routeCables"], ["#route-land-chips", "routeLand"]]) {
    onChipRemove(chips, (i) => {
      state[list].splice(Number(i), 1);
      renderFails();
      rerun();
    });
  }
  // "avoid" beside a leg of a shown route: route again without that cable or land link
  $("#route-result").addEventListener("click", (e) => {
    const b = e.target.closest("button[data-avoid], button[data-avoid-cable]");
    if (!b) return;
    if (b.dataset.avoidCable) pushCable(b.dataset.avoidCable, b.dataset.label);
    else addLand(b.dataset.avoid, b.dataset.label);
    rerun();
  });
  $("#route-clear").addEventListener("click", () => {
    state.routeCables = [];
    state.routeLand = [];
    $("#route-cable").value = "";
    $("#route-land").value = "";
    renderFails();
    state.routeResult = null;
    map.setRoute(null);
    $("#route-result").innerHTML = "";
    renderLegend();
    writeUrl();
  });
}

// A cable to fail, typed: resolved as the Cut tab's cable field resolves it (WACS, seamewe
// 5); false, with the resolver's message in the panel, for an unknown one or none typed
async function addCable(text) {
  const name = text.trim();
  if (!name) return false;
  try {
    const c = await resolveCable(name);
    pushCable(c.id, c.name);
  } catch (err) {
    showNoRoute(`<p class="error">${escapeHtml(err.message)}</p>`);
    return false;
  }
  $("#route-cable").value = "";
  return true;
}

function pushCable(id, label) {
  if (!state.routeCables.some((c) => c.id === id)) state.routeCables.push({ id, label });
  renderFails();
}

// A land link to fail (chips.addLink); false when there is none
function addLand(text, label = text) {
  if (!addLink(state.routeLand, text, label)) return false;
  $("#route-land").value = "";
  renderFails();
  return true;
}

// the failed cables and land links as chips, each with its × (data-chip: its index)
export function renderFails() {
  const chips = (list) => chipsHtml(list.map(({ label }, i) => [i, label]));
  $("#route-cable-chips").innerHTML = chips(state.routeCables);
  $("#route-land-chips").innerHTML = chips(state.routeLand);
}

// no route drawn: the one before is not the answer to what is asked now
function showNoRoute(html) {
  state.routeResult = null;
  map.setRoute(null);
  $("#route-result").innerHTML = html;
  renderLegend();
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
  // typed but not added: meant all the same (a cable no name matches stops here)
  if ($("#route-cable").value.trim() && !(await addCable($("#route-cable").value))) return;
  addLand($("#route-land").value);
  const from = $("#route-from").value.trim(), to = $("#route-to").value.trim();
  const out = $("#route-result");
  if (!from || !to) return;
  out.innerHTML = `<p class="muted">Finding the route…</p>`;
  try {
    const without = state.routeCables.map((c) => c.id), land = state.routeLand.map((l) => l.text);
    const res = await get("route", { from, to, alternatives: $("#route-alt").value, without, without_land: land, year: state.year, planned: state.planned });
    if (res.outcome !== "route") {
      showNoRoute(`<p class="error" data-outcome="no_route">No route: ${escapeHtml(res.reason)}</p>`);
      return;
    }
    if (res.reason) {  // a route with a reason: both ends are one place, nothing to draw
      showNoRoute(`<p class="muted" data-outcome="same_place">${escapeHtml(res.reason)}</p>`);
      return;
    }
    state.routeResult = res;
    nameLand(res.routes[0].avoided_land_links);
    drawRoute(0);
    writeUrl();
    out.innerHTML = res.routes.map((r, i) => routeHtml(r, i)).join("");
    out.querySelectorAll("button[data-route]").forEach((b) => b.addEventListener("click", () => drawRoute(parseInt(b.dataset.route, 10))));
  } catch (err) {
    showNoRoute(`<p class="error">${escapeHtml(err.message)}</p>`);
  }
}

function drawRoute(i) {
  const r = state.routeResult.routes[i];
  const lines = unwrapLines(r.geometry.features);
  map.setRoute(lines.map((coords) => ({ coords, rank: 0 })));
  if (map.route) map.fitBounds(map.route.bbox, 70);
  renderLegend();
}

// As the CLI's "avoids:" line and its note: the note (an avoided cable that is not in
// service in this view changes nothing) is the server's sentence, Route.avoid_note
function avoids(r) {
  const all = [...r.avoided_cables, ...(r.avoided_land_links || []).map((x) => `land ${x}`)];
  const note = r.avoid_note ? ` ${r.avoid_note}.` : "";
  return all.length ? ` Avoids ${escapeHtml(all.join(", "))}.${escapeHtml(note)}` : "";
}

// The chips named as the server named the links it failed (one name each, in order), so a
// link typed or shared as ids reads as its places
function nameLand(names) {
  if (names.length !== state.routeLand.length) return;
  state.routeLand.forEach((l, i) => (l.label = names[i]));
  renderFails();
}

// A cable leg, or a land leg between two network places, can be failed ("access" legs join
// a country or a point to the network: not a land link of its own)
function avoidButton(h) {
  if (h.kind === "segment") {
    return ` <button type="button" class="link" data-avoid-cable="${escapeHtml(h.cable_id)}" data-label="${escapeHtml(h.cable)}" title="Find the route again without this cable" aria-label="Avoid the cable ${escapeHtml(h.cable)}">avoid</button>`;
  }
  if (h.kind !== "land" || h.link === "access") return "";
  const label = `${h.from} – ${h.to}`;
  return ` <button type="button" class="link" data-avoid="${escapeHtml(`${h.from_id};${h.to_id}`)}" data-label="${escapeHtml(label)}" title="Find the route again without this land link" aria-label="Avoid the land link ${escapeHtml(label)}">avoid</button>`;
}

// As the CLI's first lines: the calibrated estimate's interval and the physical floor
function interval(r) {
  if (r.latency === "physical" || r.rtt_low_ms == null) return "";
  const level = Math.round(100 * ((r.assumptions || {}).interval_level || 0.8));
  return `<p class="muted" data-testid="rtt-interval">${fmt(r.rtt_low_ms, 0)}–${fmt(r.rtt_high_ms, 0)} ms (${level} % interval); physical ${fmt(r.rtt_floor_ms, 1)} ms.</p>`;
}

// How each end's name was read, as the CLI's place lines ("Lagos → Lagos, NG (also: ...)")
function placeNotes(r) {
  const notes = [r.from_place, r.to_place].filter((p) => p && p.note).map((p) => `${p.name}: ${p.note}`);
  return notes.length ? `<p class="muted" data-testid="place-notes">${escapeHtml(notes.join(" · "))}</p>` : "";
}

function routeHtml(r, i) {
  const hops = r.hops
    .map((h) => `<li>${h.kind === "segment" ? `<b>${escapeHtml(h.cable)}</b>` : `<span class="muted">${escapeHtml(h.link)} link</span>`} ${escapeHtml(h.from)} → ${escapeHtml(h.to)} <span class="muted">${fmt(h.km)} km</span>${avoidButton(h)}</li>`)
    .join("");
  return `<div class="${i ? "alt" : ""}" data-route-rank="${i}">
    <h3>${i ? `Alternative ${i}` : "Fastest route"}: ${escapeHtml(r.from)} → ${escapeHtml(r.to)}</h3>
    <div class="kpis"><div class="kpi"><b data-testid="rtt">${fmt(r.rtt_ms, 1)}</b><span>ms RTT</span></div>
    <div class="kpi"><b>${r.hop_count}</b><span>hops</span></div>
    <div class="kpi"><b>${fmt(r.fibre_km)}</b><span>km of fibre</span></div></div>
    ${interval(r)}<p class="muted">Great-circle floor ${fmt(r.great_circle_rtt_ms, 1)} ms RTT over ${fmt(r.great_circle_km)} km.${avoids(r)}</p>
    ${i ? "" : placeNotes(r)}<ol class="hops">${hops}</ol>
    ${i || state.routeResult.routes.length > 1 ? `<button type="button" data-route="${i}">Show on map</button>` : ""}</div>`;
}

