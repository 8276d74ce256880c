// undersea web map: wires the API to the map and the side panel.

import { get, post } from "./api.js";
import { bindHubs, loadHubs, metricLabel, showHub } from "./hubs.js";
import { MapView, PALETTE, SEVERITY_COLOURS, viridis } from "./map.js";
import { bindRisk } from "./risk.js";
import { bindRoute, runRoute } from "./route.js";
import { escapeHtml, fmt, pct, renderTable } from "./table.js";

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
  cut: { cables: [], circle: null, chokepoint: "", incident: "" },
  cutResult: null,
  routeResult: null,
  hubRows: [],
  hubsLoaded: false,
  riskJob: null,
  fillMode: null, // what colours the countries: "cut", "risk" or nothing
};
export let map;
let yearTimer = 0;
let layerRequest = 0;

// ------------------------------------------------------------------ start
async function start() {
  map = new MapView($("#map"), {
    onClick: mapClick,
    onHover: showTooltip,
    onCircle: (circle) => {
      setCircleMode(false);
      state.cut.circle = circle;
      runCut();
    },
  });
  bindControls();
  window.undersea = { map, state }; // for tests and the curious
  try {
    state.info = await get("info");
  } catch (err) {
    setStatus(`Cannot reach the API: ${err.message}`);
    return;
  }
  setupFromInfo();
  const [countries, countryList, metros, chokepoints, incidents] = await Promise.all([
    get("countries.geojson").catch(() => ({ features: [] })),
    get("countries").catch(() => []),
    get("metros").catch(() => []),
    get("chokepoints").catch(() => []),
    get("incidents").catch(() => []),
  ]);
  map.setCountries(countries);
  state.countries = countryList;
  state.metros = metros;
  fillSelect($("#cut-chokepoint"), chokepoints.map((c) => [c.id, c.name]));
  fillSelect($("#cut-incident"), incidents.map((i) => [i.id, `${i.date.slice(0, 7)} · ${i.name}`]));
  fillPlaces();
  addExamples(chokepoints, incidents);
  await loadLayers();
  renderAbout();
  document.body.dataset.ready = "true";
}

function setupFromInfo() {
  const info = state.info;
  const snap = info.summary.snapshot;
  $("#snapshot").textContent = `snapshot ${snap}`;
  const snapYear = parseInt(String(snap).slice(0, 4), 10);
  const lo = info.year_min ?? snapYear, hi = Math.max(info.year_max ?? snapYear, snapYear);
  const slider = $("#year");
  slider.min = String(lo);
  slider.max = String(hi);
  state.year = Math.min(hi, snapYear || hi);
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
    b.addEventListener("click", () => {
      state.cut = { cables: [], circle: null, chokepoint: "", incident: "", ...cut };
      syncCutForm();
      runCut({ zoom: true });
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
async function loadLayers() {
  const ticket = ++layerRequest;
  const params = { year: state.year, planned: state.planned };
  setStatus("Loading…");
  try {
    const [cables, landing] = await Promise.all([get("cables.geojson", params), get("landing-points.geojson", params)]);
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
    if (hasCut()) runCut({ quiet: true });
    if (state.hubsLoaded) loadHubs();
  } catch (err) {
    if (ticket === layerRequest) setStatus(`Could not load the map: ${err.message}`);
  }
}

function setStatus(text) {
  $("#status").textContent = text;
}

export function renderLegend() {
  const el = $("#legend");
  const groups = [];
  if (state.colourBy === "year") {
    const [a, b] = map.yearRange;
    const stops = [0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => viridis(t)).join(",");
    groups.push(`<div class="group"><h2>Ready for service</h2><div class="ramp" style="background:linear-gradient(90deg,${stops})"></div><div class="ramp-labels"><span>${a}</span><span>${b}</span></div></div>`);
  } else {
    groups.push(`<div class="group"><h2>Cables</h2><div class="item"><span class="sw" style="border-color:${PALETTE.inService}"></span>In service</div>${state.planned ? `<div class="item"><span class="sw dash" style="border-color:${PALETTE.planned}"></span>Planned</div>` : ""}</div>`);
  }
  const extra = [];
  if (hasCut()) extra.push(`<div class="item"><span class="sw dash" style="border-color:${PALETTE.cut}"></span>Cut</div>`);
  if (state.routeResult) extra.push(`<div class="item"><span class="sw" style="border-color:${PALETTE.route}"></span>Route</div>`);
  extra.push(`<div class="item"><span class="dot"></span>Landing point</div>`);
  if (map.hubs.length) extra.push(`<div class="item"><span class="box" style="background:rgba(204,121,167,.45);border-radius:50%"></span>Hub (${escapeHtml(metricLabel())})</div>`);
  groups.push(`<div class="group">${extra.join("")}</div>`);
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
  el.innerHTML = groups.join("");
}

// ------------------------------------------------------------------ controls
function bindControls() {
  $("#year").addEventListener("input", (e) => {
    state.year = parseInt(e.target.value, 10);
    $("#year-out").textContent = String(state.year);
    e.target.setAttribute("aria-valuetext", `${state.year}`);
    clearTimeout(yearTimer);
    yearTimer = setTimeout(loadLayers, 120);
  });
  $("#planned").addEventListener("change", (e) => {
    state.planned = e.target.checked;
    loadLayers();
  });
  $("#colour-by").addEventListener("change", (e) => {
    state.colourBy = e.target.value;
    map.setColourBy(state.colourBy);
    renderLegend();
  });
  $("#zoom-in").addEventListener("click", () => map.zoomBy(1.6));
  $("#zoom-out").addEventListener("click", () => map.zoomBy(1 / 1.6));
  $("#zoom-reset").addEventListener("click", () => map.fit());
  $("#tool-circle").addEventListener("click", () => setCircleMode(!map.circleMode));
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && map.circleMode) setCircleMode(false);
  });
  bindTabs();
  bindSearch();
  bindCut();
  bindRoute();
  bindHubs();
  bindRisk();
}

function setCircleMode(on) {
  map.circleMode = on;
  const b = $("#tool-circle");
  b.setAttribute("aria-pressed", String(on));
  b.textContent = on ? "Drag a circle…" : "◯ Cut area";
  $("#map").style.cursor = on ? "crosshair" : "grab";
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
  if (!h || (!h.cable && !h.hub && !h.country && h.kind !== "circle")) {
    tip.hidden = true;
    return;
  }
  let html = "";
  if (h.kind === "circle") html = `Radius <b>${fmt(h.radiusKm, 0)} km</b> · release to cut`;
  else if (h.cable) {
    const cut = map.cutSegments.has(h.cable.segment_id);
    html = `<b>${escapeHtml(h.cable.cable)}</b><div class="sub">RFS ${h.cable.rfs_year ?? "unknown"}${h.cable.is_planned ? " · planned" : ""}${cut ? " · cut" : ""} · segment ${fmt(h.cable.length_km, 0)} km</div><div class="sub">${h.shift ? "Click to add to the cut" : "Click to cut · Shift+click to add"}</div>`;
  } else if (h.hub) html = `<b>${escapeHtml(h.hub.label)}</b><div class="sub">${escapeHtml(metricLabel())}: ${fmt(h.hub.value, 1)} · rank ${h.hub.rank ?? "–"}</div>`;
  else if (h.country) {
    const row = state.cutResult?.impact.find((r) => r.iso3 === h.country.iso3);
    html = `<b>${escapeHtml(h.country.name)}</b>${row ? `<div class="sub">${escapeHtml(row.severity)} · lost ${pct(row.lost_share)} · cables ${row.cables_before}→${row.cables_after}</div>` : ""}`;
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
  if (hit.cable) {
    const id = hit.cable.cable_id;
    if (hit.shift) {
      if (!state.cut.cables.includes(id)) state.cut.cables.push(id);
    } else {
      state.cut = { cables: [id], circle: null, chokepoint: "", incident: "" };
      syncCutForm();
    }
    state.selectTab("cut");
    map.setSelected([]);
    $("#details").hidden = true;
    runCut();
  } else if (hit.hub) {
    state.selectTab("hubs");
    showHub(hit.hub.id);
  } else if (hit.country && state.cutResult) {
    highlightImpactRow(hit.country.iso3);
  }
}

// ------------------------------------------------------------------ details card, search
function detailsCard(html) {
  const card = $("#details");
  card.innerHTML = `<button type="button" class="close" aria-label="Close details">×</button>${html}`;
  card.hidden = false;
  card.querySelector(".close").addEventListener("click", () => {
    card.hidden = true;
    map.setSelected([]);
  });
  return card;
}

async function showCable(id, { zoom = true } = {}) {
  map.setSelected([id]);
  if (zoom) {
    const b = map.boundsOfCable(id);
    if (b) map.fitBounds(b, 60);
  }
  try {
    const c = await get(`cables/${encodeURIComponent(id)}`, { year: state.year, planned: state.planned });
    const countries = [...new Set(c.landing_points.map((l) => l.iso2))].length;
    const card = detailsCard(`<h2>${escapeHtml(c.name)}</h2>
      <p class="muted">RFS ${c.rfs_year ?? "unknown"}${c.is_planned ? " (planned)" : ""} · ${fmt(c.rebuilt_km, 0)} km rebuilt${c.reported_length_km ? ` (${fmt(c.reported_length_km, 0)} km reported)` : ""}</p>
      <p>${c.landing_points.length} landing points in ${countries} countries · ${c.segments.length} segments</p>
      ${c.owners?.length ? `<p class="muted">Owners: ${escapeHtml(c.owners.slice(0, 6).join(", "))}${c.owners.length > 6 ? "…" : ""}</p>` : ""}
      <div class="actions"><button type="button" data-act="cut">Cut this cable</button><button type="button" data-act="add">Add to cut</button></div>`);
    card.querySelector('[data-act="cut"]').addEventListener("click", () => {
      state.cut = { cables: [id], circle: null, chokepoint: "", incident: "" };
      syncCutForm();
      state.selectTab("cut");
      runCut();
    });
    card.querySelector('[data-act="add"]').addEventListener("click", () => {
      if (!state.cut.cables.includes(id)) state.cut.cables.push(id);
      state.selectTab("cut");
      runCut();
    });
  } catch (err) {
    detailsCard(`<p class="error">${escapeHtml(err.message)}</p>`);
  }
}

function showPlace(item) {
  map.setSelected([]);
  if (item.bbox) map.fitBounds(item.bbox, 60);
  else if (item.lon != null) map.centerOn(item.lon, item.lat, 12);
  const routeName = item.routeName || item.name;
  const hubBtn = item.metroId && state.info.features.hubs ? `<button type="button" data-act="hub">Hub profile</button>` : "";
  const card = detailsCard(`<h2>${escapeHtml(item.name)}</h2><p class="muted">${escapeHtml(item.kindLabel)}${item.sub ? ` · ${escapeHtml(item.sub)}` : ""}</p>
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
    state.selectTab("hubs");
    showHub(item.metroId);
  });
}

function searchIndex() {
  const items = [];
  for (const c of state.cables) items.push({ kind: "cable", kindLabel: "cable", name: c.name, id: c.id, sub: c.rfs_year ? `RFS ${c.rfs_year}` : "" });
  for (const c of state.countries) {
    if (!c.name) continue;
    items.push({ kind: "country", kindLabel: "country", name: c.name, id: c.iso3, sub: c.iso2, bbox: map.boundsOfCountry(c.iso3), routeName: c.name });
  }
  for (const m of state.metros) items.push({ kind: "metro", kindLabel: "metro", name: m.name, id: m.metro_id, metroId: m.metro_id, sub: m.iso2, lon: m.lon, lat: m.lat, routeName: `${m.name}, ${m.iso2}` });
  for (const l of state.landing) items.push({ kind: "landing", kindLabel: "landing point", name: l.name, id: l.id, sub: l.iso2, lon: l.lon, lat: l.lat, routeName: l.id });
  return items;
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
    else showPlace(item);
  };
  const paint = () => {
    list.innerHTML = results
      .map((r, i) => `<li role="option" id="sr-${i}" aria-selected="${i === active}"><span>${escapeHtml(r.name)}</span><span class="kind">${escapeHtml(r.kindLabel)}${r.sub ? ` · ${escapeHtml(r.sub)}` : ""}</span></li>`)
      .join("");
    list.hidden = !results.length;
    input.setAttribute("aria-expanded", String(results.length > 0));
    if (active >= 0) input.setAttribute("aria-activedescendant", `sr-${active}`);
  };
  input.addEventListener("input", () => {
    const q = input.value.trim().toLocaleLowerCase();
    active = -1;
    if (q.length < 2) {
      results = [];
      paint();
      return;
    }
    const scored = [];
    for (const item of searchIndex()) {
      const n = item.name.toLocaleLowerCase();
      const at = n.indexOf(q);
      if (at < 0 && item.id.toLocaleLowerCase() !== q) continue;
      const kindRank = { country: 0, metro: 1, cable: 2, landing: 3 }[item.kind];
      scored.push([at === 0 ? 0 : at < 0 ? 0 : 1, kindRank, n.length, item]);
    }
    scored.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    results = scored.slice(0, 10).map((s) => s[3]);
    paint();
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
      const pick = results[active >= 0 ? active : 0];
      if (pick) choose(pick);
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
function hasCut() {
  const c = state.cut;
  return c.cables.length > 0 || c.circle || c.chokepoint || c.incident;
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
  if (state.cut.circle) chips.push(["circle", `${fmt(state.cut.circle.radius_km, 0)} km circle`]);
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
    else state.cut[key] = key === "circle" ? null : "";
    syncCutForm();
    hasCut() ? runCut() : clearCut();
  });
  const addCable = () => {
    const name = $("#cut-cable").value.trim();
    if (!name) return;
    const hit = state.cables.find((c) => c.name.toLowerCase() === name.toLowerCase());
    const id = hit ? hit.id : name;
    if (!state.cut.cables.includes(id)) state.cut.cables.push(id);
    $("#cut-cable").value = "";
    renderChips();
  };
  $("#cut-cable-add").addEventListener("click", addCable);
  $("#cut-cable").addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      addCable();
    }
  });
  $("#cut-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if ($("#cut-cable").value.trim()) addCable();
    state.cut.chokepoint = $("#cut-chokepoint").value;
    state.cut.incident = $("#cut-incident").value;
    const lat = $("#cut-lat").value, lon = $("#cut-lon").value, r = $("#cut-radius").value;
    state.cut.circle = lat !== "" && lon !== "" && r !== "" ? { lat: Number(lat), lon: Number(lon), radius_km: Number(r) } : null;
    renderChips();
    hasCut() ? runCut({ zoom: true }) : showCutMessage("Choose something to cut first.");
  });
  $("#cut-clear").addEventListener("click", () => {
    state.cut = { cables: [], circle: null, chokepoint: "", incident: "" };
    syncCutForm();
    clearCut();
  });
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
}

function showCutMessage(text, error = false) {
  $("#cut-result").innerHTML = `<p class="${error ? "error" : "muted"}">${escapeHtml(text)}</p>`;
}

let cutTicket = 0;
async function runCut({ quiet = false, zoom = false } = {}) {
  renderChips();
  const c = state.cut;
  const body = { year: state.year, include_planned: state.planned };
  if (c.cables.length) body.cables = c.cables;
  if (c.circle) body.circle = c.circle;
  if (c.chokepoint) body.chokepoint = c.chokepoint;
  if (c.incident) body.incident = c.incident;
  const ticket = ++cutTicket;
  if (!quiet) showCutMessage("Computing the impact…");
  try {
    const res = await post("cut", body);
    if (ticket !== cutTicket) return;
    state.cutResult = res;
    showCutResult(res);
    if (zoom) zoomToCut();
  } catch (err) {
    if (ticket !== cutTicket) return;
    showCutMessage(err.message, true);
  }
}

function showCutResult(res) {
  const sc = res.scenario;
  map.setCut(sc.failed_segments);
  map.setRegion(sc.region);
  const fill = new Map();
  for (const r of res.impact) if (SEVERITY_COLOURS[r.severity]) fill.set(r.iso3, SEVERITY_COLOURS[r.severity]);
  map.setCountryFill(fill);
  state.fillMode = "cut";
  renderLegend();
  const affected = res.impact.filter((r) => r.cables_after < r.cables_before || r.lost_share > 0);
  const counts = res.severity_counts;
  const out = $("#cut-result");
  out.innerHTML = `<h3>${escapeHtml(sc.label)}</h3>
    ${sc.note ? `<p class="muted">${escapeHtml(sc.note)}</p>` : ""}
    <div class="kpis"><div class="kpi"><b>${sc.n_failed_segments}</b><span>segments cut</span></div>
    <div class="kpi"><b>${sc.failed_cables.length}</b><span>cables hit</span></div>
    <div class="kpi"><b data-testid="affected">${affected.length}</b><span>countries lose cables</span></div></div>
    <p class="muted">Isolated ${counts.isolated ?? 0} · severe ${counts.severe ?? 0} · degraded ${counts.degraded ?? 0}. Click a column to sort.</p>`;
  const rows = res.impact.filter(
    (r) => r.severity !== "none" || r.cables_after !== r.cables_before || r.lost_share > 0 || (r.rtt_inflation_ms ?? 0) >= 5,
  );
  const sevRank = { isolated: 3, severe: 2, degraded: 1, none: 0 };
  const table = renderTable(out, {
    id: "impact-table",
    caption: "Impact per country",
    columns: [
      { key: "name", label: "Country" },
      { key: "severity", label: "Severity", sortValue: (r) => sevRank[r.severity] * 10 + (r.lost_share || 0), format: (v) => `<span class="sev"><i style="background:${SEVERITY_COLOURS[v] || "#fff"}"></i>${escapeHtml(v)}</span>` },
      { key: "lost_share", label: "Lost", num: true, format: (v) => pct(v) },
      { key: "cables_after", label: "Cables", num: true, format: (v, r) => `${r.cables_before}→${v}` },
      { key: "rtt_inflation_ms", label: "+RTT ms", num: true, format: (v) => (v == null ? "∞" : fmt(v, 1)) },
    ],
    rows: rows.length ? rows : res.impact.slice(0, 20),
    sortKey: "severity",
    sortDir: "desc",
    rowId: (r) => r.iso3 || r.metro_id,
    onRowClick: (iso3) => {
      const b = map.boundsOfCountry(iso3);
      if (b) map.fitBounds(b, 80);
      highlightImpactRow(iso3);
    },
  });
  table.dataset.countries = String(res.impact.length);
  if (!rows.length) out.insertAdjacentHTML("beforeend", `<p class="muted">No country loses capacity.</p>`);
}

function zoomToCut() {
  const b = map.boundsOfSegments(map.cutSegments);
  const r = map.region?.bbox;
  const box = b && r ? [Math.min(b[0], r[0]), Math.min(b[1], r[1]), Math.max(b[2], r[2]), Math.max(b[3], r[3])] : b || r;
  if (!box) return;
  const pad = 22; // degrees around the cut, so its countries show
  map.fitBounds([box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad], 30);
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
    <p>${fmt(s.cables, 0)} cables in service of ${fmt(s.cables_in_snapshot, 0)} (${fmt(s.planned_cables, 0)} planned), ${fmt(s.landing_points, 0)} landing points, ${fmt(s.branching_units, 0)} branching units, ${fmt(s.segments, 0)} segments (${fmt(s.segment_km, 0)} km), ${fmt(s.metros, 0)} metros, ${fmt(s.land_links, 0)} land links.</p>
    <h3>Using the map</h3>
    <p>Drag to pan, scroll or pinch to zoom; with the map focused, arrow keys pan, <kbd>+</kbd>/<kbd>−</kbd> zoom and <kbd>0</kbd> resets. Every action also works from this panel.</p>
    <p>Colours are colour-blind safe (Okabe–Ito for categories, viridis for years, YlOrRd for severity).</p>
    <h3>API</h3>
    <p>The REST API behind this page is documented at <a href="/docs">/docs</a> (OpenAPI: <a href="/openapi.json">/openapi.json</a>). undersea ${escapeHtml(i.version)}.</p>`;
}

start();
