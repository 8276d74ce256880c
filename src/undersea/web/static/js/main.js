// undersea web map: wires the API to the map and the side panel.

import { get, post } from "./api.js";
import { bindHubs, loadHubs, metricLabel, showHub } from "./hubs.js";
import { bindImpactModel, renderImpact, syncModelForm } from "./impact.js";
import { CABLE_HUES, CAPACITY_STOPS, MapView, PALETTE, SEVERITY_COLOURS, viridis } from "./map.js";
import { bindRisk } from "./risk.js";
import { bindRoute, renderFails, runRoute, sharedCables } from "./route.js";
import { escapeHtml, fmt, pct } from "./table.js";

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
  cut: { cables: [], circle: null, bbox: null, chokepoint: "", incident: "" },
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
let incidentYears = new Map();
let layerRequest = 0;

// ------------------------------------------------------------------ start
const COARSE = window.matchMedia?.("(pointer: coarse)").matches || false;

async function start() {
  map = new MapView($("#map"), {
    onClick: mapClick,
    onHover: showTooltip,
    onCircle: (circle) => {
      setTool(null);
      state.cut = { ...emptyCut(), cables: state.cut.cables, circle };
      syncCutForm();
      runCut();
    },
    onBox: (bbox) => {
      setTool(null);
      state.cut = { ...emptyCut(), cables: state.cut.cables, bbox };
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
  fillSelect($("#cut-chokepoint"), chokepoints.map((c) => [c.id, c.name]));
  fillSelect($("#cut-incident"), incidents.map((i) => [i.id, `${i.date.slice(0, 7)} · ${i.name}`]));
  incidentYears = new Map(incidents.map((i) => [i.id, parseInt(i.date.slice(0, 4), 10)]));
  fillPlaces();
  addExamples(chokepoints, incidents);
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
    $("#hub-metric-desc").textContent = f.hub_metrics[metricLabel()] || "";
  }
  $("#risk-n").max = String(info.limits.max_scenarios);
}

function fillSelect(select, pairs, keepFirst = true) {
  if (!keepFirst) select.innerHTML = "";
  for (const [value, label] of pairs) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    select.append(o);
  }
}

// One-click examples in the Cut pane (only those this data set has).
function addExamples(chokepoints, incidents) {
  const box = $("#cut-examples");
  const items = [];
  const inc = incidents.find((i) => i.id === "2024-03-abidjan") || incidents[incidents.length - 1];
  if (inc) items.push([`${inc.name}`, { incident: inc.id }]);
  const red = chokepoints.find((c) => c.id === "bab-el-mandeb");
  if (red) items.push(["Red Sea (Bab-el-Mandeb)", { chokepoint: red.id }]);
  const luzon = chokepoints.find((c) => c.id === "luzon-strait");
  if (luzon) items.push(["Luzon Strait", { chokepoint: luzon.id }]);
  for (const [label, cut] of items) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", async () => {
      state.cut = { ...emptyCut(), ...cut };
      syncCutForm();
      runCut({ zoom: true, note: await asOfIncident() });
    });
    box.append(b);
  }
  box.hidden = items.length === 0;
}

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

async function loadLayers() {
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
  if (!had) return;
  const inView = new Set(state.cables.map((c) => c.id));
  const gone = state.cut.cables.filter((id) => !inView.has(id)).map((id) => names.get(id) || id);
  state.cut.cables = state.cut.cables.filter((id) => inView.has(id));
  const when = `${state.year}${state.planned ? " (with planned cables)" : ""}`;
  if (!hasCut()) {
    clearCut();
    syncCutForm();
    showCutMessage(`Cut cleared: ${gone.join(", ")} ${gone.length > 1 ? "were" : "was"} not in service in ${when}.`);
    return;
  }
  const note = gone.length ? ` ${gone.join(", ")} left out (not in service).` : "";
  await runCut({ quiet: true, note: `Recomputed for ${when}.${note}` });
}

function setStatus(text) {
  $("#status").textContent = text;
}

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

function setProjection(kind) {
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
    const later = row?.severity_rerouted ? `<div class="sub">after rerouting: ${escapeHtml(row.severity_rerouted)} · lost ${pct(row.lost_share_rerouted)}</div>` : "";
    html = `<b>${escapeHtml(h.country.name)}</b>${row ? `<div class="sub">${escapeHtml(row.severity)} · lost ${pct(row.lost_share)} · cables ${row.cables_before}→${row.cables_after}</div>${later}` : ""}`;
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
    runCut();
    if (COARSE) $("#cut-result").scrollIntoView({ block: "nearest" });
    return;
  }
  if (hit.hub) {
    if (state.hubsLoaded) {
      state.selectTab("hubs");
      showHub(hit.hub.id);
    } else {
      state.selectedHub = hit.hub.id; // the first ranking shows it (one request, not two)
      state.selectTab("hubs");
    }
  } else if (hit.landing) showLanding(hit.landing.id);
  else if (hit.metro) showPlace(metroItem(hit.metro));
  else if (hit.cable) showCable(hit.cable.cable_id, { zoom: false });
  else if (hit.country && state.cutResult) highlightImpactRow(hit.country.iso3);
}

// ------------------------------------------------------------------ details card, search
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

async function showCable(id, { zoom = true } = {}) {
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

async function showLanding(id) {
  const l = state.landing.find((x) => x.id === id);
  if (l) map.markPlace({ type: "Feature", geometry: { type: "Point", coordinates: [l.lon, l.lat] }, properties: { name: l.name } });
  state.selection = { kind: "landing", id };
  writeUrl();
  try {
    const d = await get(`landing-points/${encodeURIComponent(id)}`);
    const lp = d.landing_point || d;
    const cables = d.cables || [];
    map.setSelected(cables.map((c) => c.id));
    renderLegend();
    const card = detailsCard(`<h2 data-testid="card-title">${escapeHtml(lp.name || id)}</h2>
      <p class="muted">landing point · ${escapeHtml(lp.country || lp.iso2 || "")}</p>
      <details open><summary>${cables.length} cables land here</summary><ul class="compact">${cables.map((c) => `<li><button type="button" class="link" data-cable="${escapeHtml(c.id)}">${escapeHtml(c.name)}</button> <span class="muted">RFS ${c.rfs_year ?? "?"}</span></li>`).join("")}</ul></details>
      <div class="actions"><button type="button" class="primary" data-act="cut">✂ Cut all ${cables.length} cables</button>${state.info.features.route ? `<button type="button" data-act="from">Route from here</button>` : ""}</div>`);
    card.querySelectorAll("[data-cable]").forEach((b) => b.addEventListener("click", () => showCable(b.dataset.cable)));
    card.querySelector('[data-act="cut"]').addEventListener("click", () => {
      state.cut = { ...emptyCut(), cables: cables.map((c) => c.id) };
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

function metroItem(m) {
  return { kind: "metro", kindLabel: "metro", name: m.name, id: m.metro_id, metroId: m.metro_id, sub: m.iso2, lon: m.lon ?? m.geometry?.coordinates[0], lat: m.lat, routeName: `${m.name}, ${m.iso2}` };
}

function showPlace(item) {
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
  card.querySelector('[data-act="hub"]')?.addEventListener("click", () => {
    if (state.hubsLoaded) {
      state.selectTab("hubs");
      showHub(item.metroId);
    } else {
      state.selectedHub = item.metroId;
      state.selectTab("hubs");
    }
  });
}

function searchIndex() {
  const items = [];
  for (const c of state.cables) items.push({ kind: "cable", kindLabel: "cable", name: c.name, id: c.id, sub: c.rfs_year ? `RFS ${c.rfs_year}` : "" });
  for (const c of state.countries) {
    if (!c.name) continue;
    items.push({ kind: "country", kindLabel: "country", name: c.name, id: c.iso3, sub: c.iso2, routeName: c.name });
  }
  for (const m of state.metros) items.push(metroItem(m));
  for (const l of state.landing) items.push({ kind: "landing", kindLabel: "landing point", name: l.name, id: l.id, sub: l.iso2, lon: l.lon, lat: l.lat });
  return items;
}

// case and accents aside: "cote" finds Côte d'Ivoire
function folded(text) {
  return String(text).normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
}

// The search entries a name resolves to as every command resolves it (GET /api/search,
// as a place and as a cable); with `suggest`, those of its close matches when it is unknown.
// An unknown name is an answer there, not an error: a keystroke logs nothing.
async function resolveSearch(text, suggest) {
  const index = searchIndex();
  // ids: country:GB, metro:lagos-ng, a cable's or a landing point's own (a point: none)
  const entry = (r) =>
    r.kind === "country"
      ? index.find((i) => i.kind === "country" && `country:${i.sub}` === r.id)
      : index.find((i) => i.kind === r.kind && i.id === r.id.replace(/^metro:/, ""));
  let res;
  try {
    res = await get("search", { name: text, year: state.year, planned: state.planned });
  } catch {
    return [];
  }
  const found = res.found.map(entry);
  if (suggest) {
    const close = new Set(res.matches.map(folded));
    found.push(...index.filter((i) => close.has(folded(i.name)) || close.has(folded(i.id))));
  }
  return found.filter(Boolean);
}

function bindSearch() {
  const input = $("#search");
  const list = $("#search-results");
  let results = [];
  let active = -1;
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const choose = (item) => {
    close();
    input.value = item.name;
    if (item.kind === "cable") showCable(item.id);
    else if (item.kind === "landing") {
      map.centerOn(item.lon, item.lat, 4);
      showLanding(item.id); // the card a click on it shows: its cables, cut them all
    } else showPlace(item);
  };
  const paint = () => {
    list.innerHTML = results
      .map((r, i) => `<li role="option" id="sr-${i}" aria-selected="${i === active}"><span>${escapeHtml(r.name)}</span><span class="kind">${escapeHtml(r.kindLabel)}${r.sub ? ` · ${escapeHtml(r.sub)}` : ""}</span></li>`)
      .join("");
    list.hidden = !results.length;
    input.setAttribute("aria-expanded", String(results.length > 0));
    if (active >= 0) input.setAttribute("aria-activedescendant", `sr-${active}`);
  };
  // after the local matches, the names every command takes (UK, Ivory Coast, seamewe 5),
  // and for a typo the resolver's close matches
  let asked = 0;
  let pending = null;
  const refine = async (typed, local) => {
    const found = await resolveSearch(typed, local === 0);
    if (input.value.trim() !== typed || !found.length || active >= 0) return;
    const key = (i) => `${i.kind}:${i.id}`;
    const first = new Set(found.map(key));
    const rest = results.filter((i) => !first.has(key(i)));
    results = [...new Map(found.map((i) => [key(i), i])).values(), ...rest].slice(0, 10);
    paint();
  };
  input.addEventListener("input", () => {
    const typed = input.value.trim();
    const q = folded(typed);
    active = -1;
    clearTimeout(asked);
    pending = null;
    if (q.length < 2) {
      results = [];
      paint();
      return;
    }
    const scored = [];
    for (const item of searchIndex()) {
      const at = folded(item.name).indexOf(q);
      if (at < 0 && folded(item.id) !== q) continue;
      const kindRank = { country: 0, metro: 1, cable: 2, landing: 3 }[item.kind];
      scored.push([at === 0 ? 0 : at < 0 ? 0 : 1, kindRank, item.name.length, item]);
    }
    scored.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    results = scored.slice(0, 10).map((s) => s[3]);
    paint();
    const local = results.length;
    pending = () => refine(typed, local);
    asked = setTimeout(() => (pending = pending?.()), 250);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" && results.length) {
      e.preventDefault();
      active = (active + 1) % results.length;
      paint();
    } else if (e.key === "ArrowUp" && results.length) {
      e.preventDefault();
      active = (active - 1 + results.length) % results.length;
      paint();
    } else if (e.key === "Enter") {
      e.preventDefault();
      clearTimeout(asked); // Enter before the server answered: wait for its answer
      Promise.resolve(typeof pending === "function" ? pending() : pending).then(() => {
        pending = null;
        const pick = results[active >= 0 ? active : 0];
        if (pick) choose(pick);
      });
    } else if (e.key === "Escape") close();
  });
  list.addEventListener("mousedown", (e) => {
    const li = e.target.closest("li");
    if (li) {
      e.preventDefault();
      choose(results[parseInt(li.id.slice(3), 10)]);
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  $("#search-form").addEventListener("submit", (e) => e.preventDefault());
}

// ------------------------------------------------------------------ cut
function emptyCut() {
  return { cables: [], circle: null, bbox: null, chokepoint: "", incident: "" };
}

function hasCut() {
  const c = state.cut;
  return Boolean(c.cables.length > 0 || c.circle || c.bbox || c.chokepoint || c.incident);
}

function cableName(id) {
  return state.cables.find((c) => c.id === id)?.name || id;
}

function syncCutForm() {
  $("#cut-chokepoint").value = state.cut.chokepoint || "";
  $("#cut-incident").value = state.cut.incident || "";
  const c = state.cut.circle;
  $("#cut-lat").value = c ? c.lat.toFixed(2) : "";
  $("#cut-lon").value = c ? c.lon.toFixed(2) : "";
  $("#cut-radius").value = c ? String(c.radius_km) : "";
  renderChips();
}

function renderChips() {
  const chips = [];
  for (const id of state.cut.cables) chips.push([`cable:${id}`, cableName(id)]);
  if (state.cut.circle) chips.push(["circle", `${fmt(state.cut.circle.radius_km)} km circle`]);
  if (state.cut.bbox) chips.push(["bbox", "box"]);
  if (state.cut.chokepoint) chips.push(["chokepoint", $("#cut-chokepoint").selectedOptions[0]?.textContent || state.cut.chokepoint]);
  if (state.cut.incident) chips.push(["incident", $("#cut-incident").selectedOptions[0]?.textContent || state.cut.incident]);
  $("#cut-chips").innerHTML = chips
    .map(([key, label]) => `<span class="chip">${escapeHtml(label)}<button type="button" data-key="${escapeHtml(key)}" aria-label="Remove ${escapeHtml(label)}">×</button></span>`)
    .join("");
}

function bindCut() {
  $("#cut-chips").addEventListener("click", (e) => {
    const key = e.target.closest("button")?.dataset.key;
    if (!key) return;
    if (key.startsWith("cable:")) state.cut.cables = state.cut.cables.filter((c) => c !== key.slice(6));
    else state.cut[key] = key === "circle" || key === "bbox" ? null : "";
    syncCutForm();
    hasCut() ? runCut() : clearCut();
  });
  // a typed cable as every command resolves it (WACS, seamewe 5); false, with the
  // resolver's message, for an unknown one
  const addCable = async () => {
    const name = $("#cut-cable").value.trim();
    if (!name) return true;
    try {
      const { id } = await get("resolve", { name, kind: "cable", year: state.year, planned: state.planned });
      if (!state.cut.cables.includes(id)) state.cut.cables.push(id);
    } catch (err) {
      showCutMessage(err.message, true);
      return false;
    }
    $("#cut-cable").value = "";
    renderChips();
    return true;
  };
  $("#cut-cable-add").addEventListener("click", addCable);
  $("#cut-cable").addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      addCable();
    }
  });
  $("#cut-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!(await addCable())) return;
    const circle = ["#cut-lat", "#cut-lon", "#cut-radius"].map((f) => $(f).value);
    if (circle.some((v) => v === "") && circle.some((v) => v !== "")) {
      showCutMessage("An area needs its lat, lon and radius (km): fill in all three, or none.", true);
      return;
    }
    const [lat, lon, r] = circle;
    state.cut.chokepoint = $("#cut-chokepoint").value;
    state.cut.incident = $("#cut-incident").value;
    state.cut.circle = lat !== "" ? { lat: Number(lat), lon: Number(lon), radius_km: Number(r) } : null;
    renderChips();
    hasCut() ? runCut({ zoom: true, note: await asOfIncident() }) : showCutMessage("Choose something to cut first.");
  });
  bindImpactModel(() => (hasCut() ? runCut() : writeUrl()));
  $("#cut-clear").addEventListener("click", () => {
    state.cut = emptyCut();
    $("#cut-cable").value = "";
    syncCutForm();
    clearCut();
  });
}

// A chosen incident is replayed as `undersea incident run` replays it: the map moves to
// the network of the incident's year (the year slider then asks "what if today?").
async function asOfIncident() {
  const year = incidentYears.get(state.cut.incident);
  const slider = $("#year");
  if (!year || year === state.year || year < Number(slider.min) || year > Number(slider.max)) return "";
  state.year = year;
  slider.value = String(year);
  $("#year-out").textContent = String(year);
  slider.setAttribute("aria-valuetext", String(year));
  writeUrl();
  await loadLayers();
  if (state.routeResult) runRoute();
  return `Replayed on the network of ${year}, the incident's year: move the year to replay it on another.`;
}

function clearCut() {
  state.cutResult = null;
  map.setCut([]);
  map.setRegion(null);
  if (state.fillMode === "cut") {
    map.setCountryFill(new Map());
    state.fillMode = null;
  }
  $("#cut-result").innerHTML = "";
  renderLegend();
  writeUrl();
}

function showCutMessage(text, error = false) {
  $("#cut-result").innerHTML = `<p class="${error ? "error" : "muted"}">${escapeHtml(text)}</p>`;
}

let cutTicket = 0;
async function runCut({ quiet = false, zoom = false, note = "" } = {}) {
  renderChips();
  writeUrl();
  const c = state.cut;
  const body = { year: state.year, include_planned: state.planned, impact: state.impact };
  if (state.impact === "capacity") body.rerouting = state.rerouting;
  if (c.cables.length) body.cables = c.cables;
  if (c.circle) body.circle = c.circle;
  if (c.bbox) body.bbox = c.bbox;
  if (c.chokepoint) body.chokepoint = c.chokepoint;
  if (c.incident) body.incident = c.incident;
  const ticket = ++cutTicket;
  if (!quiet) showCutMessage("Computing the impact…");
  try {
    const res = await post("cut", body);
    if (ticket !== cutTicket) return;
    state.cutResult = res;
    showCutResult(res, note);
    if (zoom) zoomToCut();
  } catch (err) {
    if (ticket !== cutTicket) return;
    // a stale cut must not stay drawn next to the error
    state.cutResult = null;
    map.setCut([]);
    if (state.fillMode === "cut") {
      map.setCountryFill(new Map());
      state.fillMode = null;
    }
    showCutMessage(err.message, true);
  }
}

function showCutResult(res, note = "") {
  const sc = res.scenario;
  map.setCut(sc.failed_segments);
  map.setRegion(sc.region);
  const fill = new Map();
  for (const r of res.impact) if (SEVERITY_COLOURS[r.severity]) fill.set(r.iso3, SEVERITY_COLOURS[r.severity]);
  map.setCountryFill(fill);
  state.fillMode = "cut";
  renderLegend();
  renderImpact($("#cut-result"), res, {
    note,
    onRowClick: (iso3) => {
      map.fitBounds(map.boundsOfCountry(iso3), 80);
      highlightImpactRow(iso3);
    },
  });
}

function zoomToCut() {
  const b = map.boundsOfSegments(map.cutSegments);
  const r = map.region?.bbox;
  const box = b && r ? [Math.min(b[0], r[0]), Math.min(b[1], r[1]), Math.max(b[2], r[2]), Math.max(b[3], r[3])] : b || r;
  if (!box) return;
  const pad = 22; // degrees around the cut, so its countries show
  map.fitBounds([box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad], 30);
}

// ------------------------------------------------------------------ the URL carries the view
// #year=2020&planned=1&colour=year&view=globe&sel=cable:wacs&cut=cables:wacs,sat-3|choke:malacca
//  |inc:2024-03-abidjan|circle:lon,lat,km|box:w,s,e,n&impact=connectivity&rerouting=joint
//  &route=Lagos;Marseille&without=ace,wacs&land=Brest, FR;Marseille|metro:lagos-ng;lagos-nigeria
function readUrl() {
  const q = new URLSearchParams(location.hash.slice(1));
  const num = (v) => (v === null || v === "" ? null : Number(v));
  const cut = emptyCut();
  for (const part of (q.get("cut") || "").split("|").filter(Boolean)) {
    const [kind, value = ""] = part.split(/:(.*)/s);
    if (kind === "cables") cut.cables = value.split(",").filter(Boolean);
    else if (kind === "choke") cut.chokepoint = value;
    else if (kind === "inc") cut.incident = value;
    else if (kind === "circle") {
      const [lon, lat, km] = value.split(",").map(Number);
      if ([lon, lat, km].every(Number.isFinite)) cut.circle = { lon, lat, radius_km: km };
    } else if (kind === "box") {
      const [west, south, east, north] = value.split(",").map(Number);
      if ([west, south, east, north].every(Number.isFinite)) cut.bbox = { west, south, east, north };
    }
  }
  const sel = q.get("sel");
  const [selKind, selId] = sel ? sel.split(/:(.*)/s) : [null, null];
  const route = (q.get("route") || "").split(";");
  return {
    year: num(q.get("year")),
    planned: q.get("planned") === "1",
    colour: ["status", "year", "cable", "capacity"].includes(q.get("colour")) ? q.get("colour") : null,
    view: q.get("view") === "globe" ? "globe" : "mercator",
    selection: selKind && selId ? { kind: selKind, id: selId } : null,
    cut,
    impact: q.get("impact") === "connectivity" ? "connectivity" : "capacity",
    rerouting: q.get("rerouting") === "joint" ? "joint" : "independent",
    route: route.length === 2 && route[0] && route[1] ? route : null,
    without: (q.get("without") || "").split(",").filter(Boolean),
    land: (q.get("land") || "").split("|").filter(Boolean),
  };
}

let applyingUrl = false;
export function writeUrl() {
  if (applyingUrl || !state.info) return;
  const q = new URLSearchParams();
  q.set("year", String(state.year));
  if (state.planned) q.set("planned", "1");
  if (state.colourBy !== "status") q.set("colour", state.colourBy);
  if (map.projection === "globe") q.set("view", "globe");
  if (state.selection) q.set("sel", `${state.selection.kind}:${state.selection.id}`);
  const c = state.cut;
  const parts = [];
  if (c.cables.length) parts.push(`cables:${c.cables.join(",")}`);
  if (c.chokepoint) parts.push(`choke:${c.chokepoint}`);
  if (c.incident) parts.push(`inc:${c.incident}`);
  if (c.circle) parts.push(`circle:${[c.circle.lon.toFixed(3), c.circle.lat.toFixed(3), c.circle.radius_km].join(",")}`);
  if (c.bbox) parts.push(`box:${[c.bbox.west, c.bbox.south, c.bbox.east, c.bbox.north].map((v) => v.toFixed(3)).join(",")}`);
  if (parts.length) q.set("cut", parts.join("|"));
  if (state.impact !== "capacity") q.set("impact", state.impact);
  if (state.rerouting !== "independent") q.set("rerouting", state.rerouting);
  const from = $("#route-from").value.trim(), to = $("#route-to").value.trim();
  if (state.routeResult && from && to) q.set("route", `${from};${to}`);
  if (state.routeResult && state.routeCables.length) q.set("without", state.routeCables.map((c) => c.id).join(","));
  if (state.routeResult && state.routeLand.length) q.set("land", state.routeLand.map((l) => l.text).join("|"));
  history.replaceState(null, "", `#${q.toString()}`);
}

async function applyUrl(w) {
  applyingUrl = true;
  try {
    map.setColourBy(state.colourBy);
    renderLegend();
    if (w.view === "globe") setProjection("globe");
    const sel = w.selection;
    if (sel?.kind === "cable") await showCable(sel.id);
    else if (sel?.kind === "landing") await showLanding(sel.id);
    else if (sel) {
      const item = searchIndex().find((i) => i.kind === sel.kind && i.id === sel.id);
      if (item) showPlace(item);
    }
    if (w.route) {
      $("#route-from").value = w.route[0];
      $("#route-to").value = w.route[1];
      state.routeCables = await sharedCables(w.without);
      state.routeLand = w.land.map((text) => ({ text, label: text }));
      renderFails();
      state.selectTab("route");
      await runRoute();
    }
    state.cut = w.cut;
    state.impact = w.impact;
    state.rerouting = w.rerouting;
    syncModelForm();
    if (hasCut()) {
      syncCutForm();
      state.selectTab("cut");
      await runCut({ zoom: !sel && !w.route });
    }
  } finally {
    applyingUrl = false;
  }
  writeUrl();
}

function highlightImpactRow(iso3) {
  const table = $("#impact-table");
  if (!table) return;
  for (const tr of table.querySelectorAll("tbody tr")) tr.classList.toggle("active", tr.dataset.row === iso3);
  table.querySelector(`tbody tr[data-row="${CSS.escape(iso3)}"]`)?.scrollIntoView({ block: "nearest" });
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
