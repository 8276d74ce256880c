// undersea web map: wires the API to the map and the side panel.

import { get } from "./api.js";
import { bindCut, emptyCut, hasCut, highlightImpactRow, recut, runCut, setupCut, syncCutForm } from "./cut.js";
import { showCable, showLanding, showPlace, metroItem } from "./details.js";
import { bindHubs, loadHubs, metricLabel, openHub } from "./hubs.js";
import { renderLegend } from "./legend.js";
import { MapView } from "./map.js";
import { bindRisk } from "./risk.js";
import { bindRoute, runRoute } from "./route.js";
import { bindSearch } from "./search.js";
import { escapeHtml, fmt, pct } from "./table.js";
import { applyUrl, readUrl, writeUrl } from "./url.js";

export const $ = (sel) => document.querySelector(sel);

export const state = {
  info: null,
  year: null,
  planned: false,
  colourBy: "status",
  cables: [], // unique cables of the current view: {id, name, rfs_year, is_planned}
  landing: [],
  metros: [],
  countries: [],
  cut: { cables: [], land: [], circle: null, bbox: null, chokepoint: "", incident: "" },
  impact: "capacity", // the impact model of a cut: "capacity" or "connectivity"
  rerouting: "independent", // the capacity model's rerouted horizon: "independent" or "joint"
  mode: "explore",
  selection: null, // what the details card shows: {kind, id}
  cutResult: null,
  routeResult: null,
  routeCables: [], // cables the route fails first: [{id, label}]
  routeLand: [], // land links the route fails first: [{text: "A;B" as the API takes it, label}]
  hubRows: [],
  hubsLoaded: false,
  riskJob: null,
  fillMode: null, // what colours the countries: "cut", "risk" or nothing
};
export let map;
let yearTimer = 0;
let layerRequest = 0;

// ------------------------------------------------------------------ start
export const COARSE = window.matchMedia?.("(pointer: coarse)").matches || false;

async function start() {
  map = new MapView($("#map"), {
    onClick: mapClick,
    onHover: showTooltip,
    onCircle: (circle) => {
      setTool(null);
      state.cut = { ...emptyCut(), cables: state.cut.cables, land: state.cut.land, circle };
      syncCutForm();
      runCut();
    },
    onBox: (bbox) => {
      setTool(null);
      state.cut = { ...emptyCut(), cables: state.cut.cables, land: state.cut.land, bbox };
      syncCutForm();
      runCut();
    },
  });
  bindControls();
  window.undersea = { map, state }; // for tests and the curious
  const wanted = readUrl();
  setProgress(0, 6, "Starting the map…");
  try {
    state.info = await get("info");
  } catch (err) {
    setProgress(null);
    setStatus(`Cannot reach the server: ${err.message}`);
    return;
  }
  setupFromInfo(wanted);
  // every layer at once; the progress bar counts them in
  let done = 0;
  const step = (label) => (value) => {
    setProgress(++done, 6, `Loaded ${label}`);
    return value;
  };
  const soft = (p, fallback, label) => p.then(step(label), () => (step(label)(null), fallback));
  const layers = layerRequests();
  const [countries, countryList, metros, chokepoints, incidents] = await Promise.all([
    soft(get("countries.geojson"), { features: [] }, "countries"),
    soft(get("countries"), [], "country list"),
    soft(get("metros.geojson"), { features: [] }, "metros"),
    soft(get("chokepoints"), [], "chokepoints"),
    soft(get("incidents"), [], "incidents"),
    map.loaded,
  ]);
  map.setCountries(countries);
  map.setMetros(metros);
  state.countries = countryList;
  state.metros = metros.features.map((f) => ({ ...f.properties, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }));
  setupCut(chokepoints, incidents);
  fillPlaces();
  await applyLayers(layers, step("cables"));
  setProgress(null);
  renderAbout();
  await applyUrl(wanted);
  document.body.dataset.ready = "true";
}

function setProgress(done, total, label) {
  const box = $("#loading");
  if (done === null) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const p = Math.round((100 * done) / total);
  box.firstElementChild.style.width = `${p}%`;
  box.setAttribute("aria-valuenow", String(p));
  box.querySelector("span").textContent = label;
}

function setupFromInfo(wanted) {
  const info = state.info;
  const snap = info.summary.snapshot;
  $("#snapshot").textContent = `snapshot ${snap}`;
  const snapYear = parseInt(String(snap).slice(0, 4), 10);
  const lo = info.year_min ?? snapYear, hi = Math.max(info.year_max ?? snapYear, snapYear);
  const slider = $("#year");
  slider.min = String(lo);
  slider.max = String(hi);
  state.year = Math.min(hi, snapYear || hi);
  if (wanted.year && wanted.year >= lo && wanted.year <= hi) state.year = wanted.year;
  state.planned = wanted.planned;
  $("#planned").checked = state.planned;
  if (wanted.colour) {
    state.colourBy = wanted.colour;
    $("#colour-by").value = wanted.colour;
  }
  slider.value = String(state.year);
  $("#year-out").textContent = String(state.year);
  slider.setAttribute("aria-valuetext", `${state.year}`);
  map.setColourBy(state.colourBy, [lo, hi]);
  const f = info.features || {};
  for (const [name, ok] of Object.entries({ route: f.route, hubs: f.hubs, risk: f.risk })) {
    $(`#tab-${name}`).hidden = !ok;
  }
  if (f.hub_metrics) {
    fillSelect($("#hub-metric"), Object.keys(f.hub_metrics).map((k) => [k, k.replace(/_/g, " ")]), false);
    if (f.hub_metric_default in f.hub_metrics) $("#hub-metric").value = f.hub_metric_default;
    $("#hub-metric-desc").textContent = f.hub_metrics[metricLabel()] || "";
  }
  $("#risk-n").max = String(info.limits.max_scenarios);
}

export function fillSelect(select, pairs, keepFirst = true) {
  if (!keepFirst) select.innerHTML = "";
  for (const [value, label] of pairs) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    select.append(o);
  }
}

// One-click examples in the Cut pane (only those this data set has).
function fillPlaces() {
  const names = new Set();
  for (const m of state.metros) names.add(`${m.name}, ${m.iso2}`);
  for (const c of state.countries) if (c.name) names.add(c.name);
  $("#place-names").innerHTML = [...names].sort().map((n) => `<option value="${escapeHtml(n)}">`).join("");
}

// ------------------------------------------------------------------ layers
function layerRequests() {
  const params = { year: state.year, planned: state.planned };
  return Promise.all([get("cables.geojson", params), get("landing-points.geojson", params)]);
}

export async function loadLayers() {
  setStatus("Loading…");
  await applyLayers(layerRequests());
}

async function applyLayers(request, onDone = () => null) {
  const ticket = ++layerRequest;
  try {
    const [cables, landing] = await request;
    onDone();
    if (ticket !== layerRequest) return;
    map.setCables(cables);
    map.setLanding(landing);
    const seen = new Map();
    for (const f of cables.features) {
      const p = f.properties;
      if (!seen.has(p.cable_id)) seen.set(p.cable_id, { id: p.cable_id, name: p.cable, rfs_year: p.rfs_year, is_planned: p.is_planned });
    }
    state.cables = [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
    state.landing = landing.features.map((f) => ({ ...f.properties, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }));
    $("#cable-names").innerHTML = state.cables.map((c) => `<option value="${escapeHtml(c.name)}">`).join("");
    const s = cables.summary;
    const status = $("#status");
    status.dataset.cables = String(s.cables);
    status.dataset.segments = String(s.segments);
    status.dataset.year = String(state.year);
    setStatus(`${s.cables.toLocaleString("en-US")} cables · ${s.segments.toLocaleString("en-US")} segments · ${s.landing_points.toLocaleString("en-US")} landing points · ${state.year}${state.planned ? " incl. planned" : ""}`);
    renderLegend();
    if (state.hubsLoaded) loadHubs();
  } catch (err) {
    if (ticket === layerRequest) setStatus(`Could not load the map: ${err.message}`);
  }
}

// The year or "planned" changed: reload the layers, then recompute the cut on the new
// network (or clear it when what was cut is not in it) and say which.
async function viewChanged() {
  const had = hasCut();
  const names = new Map(state.cables.map((c) => [c.id, c.name])); // the old view's
  writeUrl();
  await loadLayers();
  if (state.routeResult) runRoute();
  if (had) await recut(names);
}

export function setStatus(text) {
  $("#status").textContent = text;
}

// ------------------------------------------------------------------ controls
function bindControls() {
  $("#year").addEventListener("input", (e) => {
    state.year = parseInt(e.target.value, 10);
    $("#year-out").textContent = String(state.year);
    e.target.setAttribute("aria-valuetext", `${state.year}`);
    clearTimeout(yearTimer);
    yearTimer = setTimeout(viewChanged, 150);
  });
  $("#planned").addEventListener("change", (e) => {
    state.planned = e.target.checked;
    viewChanged();
  });
  $("#colour-by").addEventListener("change", (e) => {
    state.colourBy = e.target.value;
    map.setColourBy(state.colourBy);
    renderLegend();
    writeUrl();
  });
  $("#zoom-reset").addEventListener("click", () => map.fit());
  $("#mode-explore").addEventListener("click", () => setMode("explore"));
  $("#mode-cut").addEventListener("click", () => setMode("cut"));
  $("#tool-circle").addEventListener("click", () => setTool(map.tool === "circle" ? null : "circle"));
  $("#tool-box").addEventListener("click", () => setTool(map.tool === "box" ? null : "box"));
  $("#view-flat").addEventListener("click", () => setProjection("mercator"));
  $("#view-globe").addEventListener("click", () => setProjection("globe"));
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && map.tool) setTool(null);
  });
  bindTabs();
  bindSearch();
  bindCut();
  bindRoute();
  bindHubs();
  bindRisk();
  setMode("explore");
}

function setMode(mode) {
  state.mode = mode;
  $("#mode-explore").setAttribute("aria-pressed", String(mode === "explore"));
  $("#mode-cut").setAttribute("aria-pressed", String(mode === "cut"));
  $(".cut-tools").hidden = mode !== "cut";
  document.body.dataset.mode = mode;
  if (mode !== "cut") setTool(null);
  else state.selectTab?.("cut");
  renderHint();
}

function renderHint() {
  const mode = state.mode;
  if (map.tool) {
    $("#mode-hint").textContent = `Drag on the map to draw the ${map.tool}; Esc to stop.`;
    return;
  }
  const tap = COARSE ? "Tap" : "Click";
  const hint =
    mode === "cut"
      ? COARSE
        ? "Cut mode: tap a cable to cut it, long-press to add one more; ◯ or ▭ then drag to cut an area."
        : "Cut mode: click a cable to cut it, Shift+click to add more; ◯ Circle or ▭ Box, then drag, to cut an area."
      : `Explore: ${tap.toLowerCase()} a cable, landing point or metro for its details.`;
  $("#mode-hint").textContent = hint;
  $("#cut-hint").textContent = COARSE
    ? "Switch to ✂ Cut on the map and tap cables (long-press adds one), draw an area with ◯ or ▭, or pick below."
    : "Switch to ✂ Cut on the map and click cables (Shift+click adds), draw an area with ◯ Circle or ▭ Box, or pick below.";
}

function setTool(tool) {
  map.tool = tool;
  for (const t of ["circle", "box"]) $(`#tool-${t}`).setAttribute("aria-pressed", String(tool === t));
  map.map.getCanvas().style.cursor = tool ? "crosshair" : "";
  renderHint();
}

export function setProjection(kind) {
  map.setProjection(kind);
  $("#view-flat").setAttribute("aria-pressed", String(kind === "mercator"));
  $("#view-globe").setAttribute("aria-pressed", String(kind === "globe"));
  writeUrl();
}

function bindTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  const select = (tab) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      $(`#${t.getAttribute("aria-controls")}`).hidden = !on;
    }
    if (tab.id === "tab-hubs" && !state.hubsLoaded) {
      state.hubsLoaded = true;
      loadHubs();
    }
  };
  for (const t of tabs) {
    t.addEventListener("click", () => select(t));
    t.addEventListener("keydown", (e) => {
      const visible = tabs.filter((x) => !x.hidden);
      const i = visible.indexOf(t);
      const next = { ArrowRight: visible[(i + 1) % visible.length], ArrowLeft: visible[(i - 1 + visible.length) % visible.length], Home: visible[0], End: visible[visible.length - 1] }[e.key];
      if (next) {
        e.preventDefault();
        select(next);
        next.focus();
      }
    });
  }
  state.selectTab = (name) => select($(`#tab-${name}`));
}

// ------------------------------------------------------------------ tooltip, clicks
function showTooltip(h) {
  const tip = $("#tooltip");
  if (COARSE || !h || (!h.cable && !h.hub && !h.country && !h.landing && !h.metro && h.kind !== "circle")) {
    tip.hidden = true;
    return;
  }
  let html = "";
  const cutting = state.mode === "cut";
  if (h.kind === "circle") html = `Radius <b>${fmt(h.radiusKm)} km</b> · release to cut`;
  else if (h.hub) html = `<b>${escapeHtml(h.hub.label)}</b><div class="sub">${escapeHtml(metricLabel())}: ${fmt(h.hub.value)} · rank ${h.hub.rank ?? "–"}</div>`;
  else if (h.landing) html = `<b>${escapeHtml(h.landing.name)}</b><div class="sub">landing point · ${escapeHtml(h.landing.country || h.landing.iso2 || "")}</div>`;
  else if (h.metro) html = `<b>${escapeHtml(h.metro.name)}</b><div class="sub">metro · ${escapeHtml(h.metro.iso2 || "")}</div>`;
  else if (h.cable) {
    const cut = map.cutSegments.has(h.cable.segment_id);
    const act = cutting ? (h.shift ? "Click to add to the cut" : "Click to cut · Shift+click to add") : "Click for details";
    html = `<b>${escapeHtml(h.cable.cable)}</b><div class="sub">RFS ${h.cable.rfs_year ?? "unknown"}${h.cable.is_planned ? " · planned" : ""}${cut ? " · cut" : ""} · segment ${fmt(h.cable.length_km)} km</div><div class="sub">${act}</div>`;
  } else if (h.country) {
    const row = state.cutResult?.impact.find((r) => r.iso3 === h.country.iso3);
    const lines = Object.values(state.cutResult?.severity_lines || {});
    const later = row?.severity_rerouted ? `<div class="sub">after rerouting: ${escapeHtml(row.severity_rerouted)} · lost ${pct(row.lost_share_rerouted, 0, lines)}</div>` : "";
    html = `<b>${escapeHtml(h.country.name)}</b>${row ? `<div class="sub">${escapeHtml(row.severity)} · lost ${pct(row.lost_share, 0, lines)} · cables ${row.cables_before}→${row.cables_after}</div>${later}` : ""}`;
  }
  tip.innerHTML = html;
  tip.hidden = false;
  const wrap = $(".map-wrap").getBoundingClientRect();
  const x = Math.min(h.x + 14, wrap.width - tip.offsetWidth - 8);
  const y = h.y + 16 + tip.offsetHeight > wrap.height ? h.y - tip.offsetHeight - 10 : h.y + 16;
  tip.style.left = `${Math.max(4, x)}px`;
  tip.style.top = `${Math.max(4, y)}px`;
}

function mapClick(hit) {
  if (state.mode === "cut") {
    if (!hit.cable) return;
    const id = hit.cable.cable_id;
    if (hit.shift) {
      if (!state.cut.cables.includes(id)) state.cut.cables.push(id);
    } else {
      state.cut = { ...emptyCut(), cables: [id] };
      syncCutForm();
    }
    state.selectTab("cut");
    // on a phone the panel is below the map: once the result is in, scroll to it, its
    // title at the top and the table's first rows under it
    runCut().then(() => COARSE && showResultTop());
    return;
  }
  if (hit.hub) openHub(hit.hub.id);
  else if (hit.landing) showLanding(hit.landing.id);
  else if (hit.metro) showPlace(metroItem(hit.metro));
  else if (hit.cable) showCable(hit.cable.cable_id, { zoom: false });
  else if (hit.country && state.cutResult) highlightImpactRow(hit.country.iso3);
}

// The cut's result from its title down; a head taller than half the screen (notes, many
// land links) gives way to the table, so the first rows show
function showResultTop() {
  const out = $("#cut-result");
  const table = $("#impact-table");
  const head = table ? table.getBoundingClientRect().top - out.getBoundingClientRect().top : 0;
  (head > window.innerHeight / 2 ? table.parentElement : out).scrollIntoView({ block: "start" });
}

// ------------------------------------------------------------------ about
function renderAbout() {
  const i = state.info;
  const p = i.provenance;
  const s = i.summary;
  $("#about").innerHTML = `<h3>Data</h3>
    <p>${escapeHtml(p.source || "")}, snapshot ${escapeHtml(p.snapshot_date)} (API ${escapeHtml(p.version)}).</p>
    <p class="muted">${escapeHtml(p.licence || "")}</p>
    <p>${fmt(s.cables, 0)} cables in service of ${fmt(s.cables_in_snapshot, 0)} (${fmt(s.planned_cables, 0)} planned), ${fmt(s.landing_points, 0)} landing points, ${fmt(s.branching_units, 0)} branching units, ${fmt(s.segments, 0)} segments (${fmt(s.segment_km)} km), ${fmt(s.metros, 0)} metros, ${fmt(s.land_links, 0)} land links.</p>
    <h3>Using the map</h3>
    <p>Drag to pan, scroll or pinch to zoom; with the map focused, arrow keys pan and <kbd>+</kbd>/<kbd>−</kbd> zoom; ⌂ shows the whole world. <b>Explore</b> shows what you click; <b>✂ Cut</b> cuts it. The address bar keeps the view: copy it to share what you see. Every action also works from this panel.</p>
    <p class="muted">Map drawn with MapLibre GL JS (BSD-3-Clause), served by this server from the installed <code>maplibre</code> package; labels drawn in your browser.</p>
    <p>Colours are colour-blind safe (Okabe–Ito for categories, viridis for years, YlOrRd for severity).</p>
    <h3>API</h3>
    <p>The REST API behind this page is documented at <a href="/docs">/docs</a> (OpenAPI: <a href="/openapi.json">/openapi.json</a>). undersea ${escapeHtml(i.version)}.</p>`;
}

start();
