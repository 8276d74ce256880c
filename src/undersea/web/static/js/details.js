// The details card: a cable, a landing point or a place (metro, country), with the
// actions it offers (cut, route from or to it, its hub profile).

import { get } from "./api.js";
import { emptyCut, runCut, syncCutForm } from "./cut.js";
import { openHub } from "./hubs.js";
import { renderLegend } from "./legend.js";
import { $, COARSE, map, state } from "./main.js";
import { runRoute } from "./route.js";
import { escapeHtml, fmt } from "./table.js";
import { writeUrl } from "./url.js";

function detailsCard(html) {
  const card = $("#details");
  card.innerHTML = `<button type="button" class="close" aria-label="Close details">×</button>${html}`;
  card.hidden = false;
  card.querySelector(".close").addEventListener("click", () => {
    card.hidden = true;
    unselect();
  });
  if (COARSE) card.scrollIntoView({ block: "nearest" });
  return card;
}

export async function showCable(id, { zoom = true } = {}) {
  map.setSelected([id]);
  map.markPlace(null);
  state.selection = { kind: "cable", id };
  writeUrl();
  renderLegend();
  if (zoom) map.fitBounds(map.boundsOfCable(id), 60);
  try {
    const c = await get(`cables/${encodeURIComponent(id)}`, { year: state.year, planned: state.planned });
    const countries = [...new Set(c.landing_points.map((l) => l.iso2))].length;
    const landings = c.landing_points.map((l) => `<li><button type="button" class="link" data-lp="${escapeHtml(l.id)}">${escapeHtml(l.name)}</button> <span class="muted">${escapeHtml(l.iso2 || "")}</span></li>`).join("");
    const segs = c.segments.map((g) => `<li>${escapeHtml(g.segment_id)} <span class="muted">${fmt(g.length_km)} km${g.inferred ? " · inferred" : ""}</span></li>`).join("");
    const card = detailsCard(`<h2 data-testid="card-title">${escapeHtml(c.name)}</h2>
      <p class="muted">cable · RFS ${c.rfs_year ?? "unknown"}${c.is_planned ? " (planned)" : ""} · ${fmt(c.rebuilt_km)} km rebuilt${c.reported_length_km ? ` (${fmt(c.reported_length_km)} km reported)` : ""}</p>
      ${c.owners?.length ? `<p>Owners: ${escapeHtml(c.owners.slice(0, 8).join(", "))}${c.owners.length > 8 ? ` and ${c.owners.length - 8} more` : ""}</p>` : ""}
      <details open><summary>${c.landing_points.length} landing points in ${countries} countries</summary><ul class="compact">${landings}</ul></details>
      <details><summary>${c.segments.length} segments</summary><ul class="compact">${segs}</ul></details>
      <div class="actions"><button type="button" class="primary" data-act="cut">✂ Cut this cable</button><button type="button" data-act="add">Add to the cut</button></div>`);
    card.querySelector('[data-act="cut"]').addEventListener("click", () => {
      state.cut = { ...emptyCut(), cables: [id] };
      syncCutForm();
      state.selectTab("cut");
      runCut();
    });
    card.querySelector('[data-act="add"]').addEventListener("click", () => {
      if (!state.cut.cables.includes(id)) state.cut.cables.push(id);
      state.selectTab("cut");
      runCut();
    });
    card.querySelectorAll("[data-lp]").forEach((b) => b.addEventListener("click", () => showLanding(b.dataset.lp)));
  } catch (err) {
    unselect(); // an unknown cable (a stale shared address): nothing is selected
    detailsCard(`<p class="error">${escapeHtml(err.message)}</p>`);
  }
}

function unselect() {
  map.setSelected([]);
  map.markPlace(null);
  state.selection = null;
  writeUrl();
  renderLegend();
}

export async function showLanding(id) {
  const l = state.landing.find((x) => x.id === id);
  if (l) map.markPlace({ type: "Feature", geometry: { type: "Point", coordinates: [l.lon, l.lat] }, properties: { name: l.name } });
  state.selection = { kind: "landing", id };
  writeUrl();
  try {
    const d = await get(`landing-points/${encodeURIComponent(id)}`);
    const lp = d.landing_point || d;
    const cables = d.cables || [];
    // what the view has in service: a planned cable only with "planned", none after the year
    const live = cables.filter((c) => (state.planned || !c.is_planned)
      && (c.rfs_year == null || state.year == null || c.rfs_year <= state.year));
    const out = cables.length - live.length;
    map.setSelected(cables.map((c) => c.id));
    renderLegend();
    const card = detailsCard(`<h2 data-testid="card-title">${escapeHtml(lp.name || id)}</h2>
      <p class="muted">landing point · ${escapeHtml(lp.country || lp.iso2 || "")}</p>
      <details open><summary>${cables.length} cables land here</summary><ul class="compact">${cables.map((c) => `<li><button type="button" class="link" data-cable="${escapeHtml(c.id)}">${escapeHtml(c.name)}</button> <span class="muted">RFS ${c.rfs_year ?? "?"}${c.is_planned ? " (planned)" : ""}${live.includes(c) ? "" : " · not in service in this view"}</span></li>`).join("")}</ul></details>
      <div class="actions"><button type="button" class="primary" data-act="cut"${live.length ? "" : " disabled"}>✂ Cut ${live.length === 1 ? "its 1 cable" : `all ${live.length} cables`}${out ? ` in service (${out} not)` : ""}</button>${state.info.features.route ? `<button type="button" data-act="from">Route from here</button>` : ""}</div>`);
    card.querySelectorAll("[data-cable]").forEach((b) => b.addEventListener("click", () => showCable(b.dataset.cable)));
    card.querySelector('[data-act="cut"]').addEventListener("click", () => {
      state.cut = { ...emptyCut(), cables: live.map((c) => c.id) };
      syncCutForm();
      state.selectTab("cut");
      runCut();
    });
    card.querySelector('[data-act="from"]')?.addEventListener("click", () => {
      $("#route-from").value = lp.name || id; // the name every command resolves, as a reader reads it
      state.selectTab("route");
      $("#route-to").focus();
    });
  } catch (err) {
    unselect();
    detailsCard(`<p class="error">${escapeHtml(err.message)}</p>`);
  }
}

export function metroItem(m) {
  return { kind: "metro", kindLabel: "metro", name: m.name, id: m.metro_id, metroId: m.metro_id, sub: m.iso2, lon: m.lon ?? m.geometry?.coordinates[0], lat: m.lat, routeName: `${m.name}, ${m.iso2}` };
}

export function showPlace(item) {
  map.setSelected([]);
  renderLegend();
  state.selection = { kind: item.kind, id: item.id };
  writeUrl();
  if (item.kind === "country") {
    const f = map.countryFeature(item.id);
    map.markPlace(f ? { type: "Feature", geometry: f.geometry, properties: { name: item.name } } : null);
    map.fitBounds(map.boundsOfCountry(item.id), 40);
  } else if (item.lon != null) {
    if (item.lat == null) {
      const m = state.metros.find((x) => x.metro_id === item.id);
      if (m) Object.assign(item, { lon: m.lon, lat: m.lat });
    }
    map.markPlace({ type: "Feature", geometry: { type: "Point", coordinates: [item.lon, item.lat] }, properties: { name: item.name } });
    map.centerOn(item.lon, item.lat, 4);
  }
  const routeName = item.routeName || item.name;
  const hubBtn = item.metroId && state.info.features.hubs ? `<button type="button" data-act="hub">Hub profile</button>` : "";
  const card = detailsCard(`<h2 data-testid="card-title">${escapeHtml(item.name)}</h2><p class="muted">${escapeHtml(item.kindLabel)}${item.sub ? ` · ${escapeHtml(item.sub)}` : ""}</p>
    <div class="actions">${state.info.features.route ? `<button type="button" data-act="from">Route from here</button><button type="button" data-act="to">Route to here</button>` : ""}${hubBtn}</div>`);
  card.querySelector('[data-act="from"]')?.addEventListener("click", () => {
    $("#route-from").value = routeName;
    state.selectTab("route");
    $("#route-to").focus();
  });
  card.querySelector('[data-act="to"]')?.addEventListener("click", () => {
    $("#route-to").value = routeName;
    state.selectTab("route");
    $("#route-from").value ? runRoute() : $("#route-from").focus();
  });
  card.querySelector('[data-act="hub"]')?.addEventListener("click", () => openHub(item.metroId));
}
