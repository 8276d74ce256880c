// The Cut tab: what is cut (cables, land links, an area, a chokepoint, an incident), sent
// to POST /api/cut, and its impact on the map and in the panel.

import { post } from "./api.js";
import { addLink, bindAdd, chipsHtml, onChipRemove, resolveCable, sharedCables } from "./chips.js";
import { bindImpactModel, renderImpact } from "./impact.js";
import { renderLegend } from "./legend.js";
import { $, fillSelect, loadLayers, map, state } from "./main.js";
import { SEVERITY_COLOURS } from "./map.js";
import { runRoute } from "./route.js";
import { escapeHtml, fmt } from "./table.js";
import { writeUrl } from "./url.js";

let incidentYears = new Map();
const cableNames = new Map(); // cables named by the resolver: typed, or from a shared address

// The chokepoints and incidents of this data set: in their fields, with one-click examples
export function setupCut(chokepoints, incidents) {
  fillSelect($("#cut-chokepoint"), chokepoints.map((c) => [c.id, c.name]));
  fillSelect($("#cut-incident"), incidents.map((i) => [i.id, `${i.date.slice(0, 7)} · ${i.name}`]));
  incidentYears = new Map(incidents.map((i) => [i.id, parseInt(i.date.slice(0, 4), 10)]));
  addExamples(chokepoints, incidents);
}

function addExamples(chokepoints, incidents) {
  const box = $("#cut-examples");
  const items = [];
  const inc = incidents.find((i) => i.id === "2024-03-abidjan") || incidents[incidents.length - 1];
  if (inc) items.push([`${inc.name}`, { incident: inc.id }]);
  const red = chokepoints.find((c) => c.id === "bab-el-mandeb");
  if (red) items.push([red.name, { chokepoint: red.id }]); // its own name: not all the Red Sea
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

// land: the land links to fail, [{text: "A;B" as the API takes it, label}]
export function emptyCut() {
  return { cables: [], land: [], circle: null, bbox: null, chokepoint: "", incident: "" };
}

export function hasCut() {
  const c = state.cut;
  return Boolean(c.cables.length > 0 || c.land.length > 0 || c.circle || c.bbox || c.chokepoint || c.incident);
}

function cableName(id) {
  return state.cables.find((c) => c.id === id)?.name || cableNames.get(id) || id;
}

// The cut a shared address gives, its cables' chips named even outside the view
// (chips.sharedCables)
export async function restoreCut(cut) {
  const chips = await sharedCables(cut.cables);
  for (const { id, label } of chips) cableNames.set(id, label);
  state.cut = { ...cut, cables: chips.map((c) => c.id) };
}

export function syncCutForm() {
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
  state.cut.land.forEach((l, i) => chips.push([`land:${i}`, l.label]));
  if (state.cut.circle) chips.push(["circle", `${fmt(state.cut.circle.radius_km)} km circle`]);
  if (state.cut.bbox) chips.push(["bbox", "box"]);
  if (state.cut.chokepoint) chips.push(["chokepoint", $("#cut-chokepoint").selectedOptions[0]?.textContent || state.cut.chokepoint]);
  if (state.cut.incident) chips.push(["incident", $("#cut-incident").selectedOptions[0]?.textContent || state.cut.incident]);
  $("#cut-chips").innerHTML = chipsHtml(chips);
}

// A land link typed in its field, as the route panel's (chips.addLink); false when none is
function addLand() {
  if (!addLink(state.cut.land, $("#cut-land").value)) return false;
  $("#cut-land").value = "";
  renderChips();
  return true;
}

export function bindCut() {
  onChipRemove("#cut-chips", (key) => {
    if (key.startsWith("cable:")) state.cut.cables = state.cut.cables.filter((c) => c !== key.slice(6));
    else if (key.startsWith("land:")) state.cut.land.splice(Number(key.slice(5)), 1);
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
      const { id, name: known } = await resolveCable(name);
      cableNames.set(id, known);
      if (!state.cut.cables.includes(id)) state.cut.cables.push(id);
    } catch (err) {
      showCutMessage(err.message, true);
      return false;
    }
    $("#cut-cable").value = "";
    renderChips();
    return true;
  };
  bindAdd("#cut-cable", "#cut-cable-add", addCable);
  bindAdd("#cut-land", "#cut-land-add", addLand);
  $("#cut-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!(await addCable())) return;
    addLand(); // typed but not added: meant all the same
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
    $("#cut-land").value = "";
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

export function clearCut() {
  state.cutResult = null;
  map.setCut([]);
  map.setRegion(null);
  if (state.fillMode === "cut") {
    map.setCountryFill(new Map());
    state.fillMode = null;
  }
  $("#cut-result").innerHTML = "";
  $("#cut-help").open = true; // nothing cut: how to cut
  renderLegend();
  writeUrl();
}

export function showCutMessage(text, error = false) {
  $("#cut-result").innerHTML = `<p class="${error ? "error" : "muted"}">${escapeHtml(text)}</p>`;
}

let cutTicket = 0;
export async function runCut({ quiet = false, zoom = false, note = "" } = {}) {
  renderChips();
  writeUrl();
  const c = state.cut;
  const body = { year: state.year, include_planned: state.planned, impact: state.impact };
  if (state.impact === "capacity") body.rerouting = state.rerouting;
  if (c.cables.length) body.cables = c.cables;
  if (c.land.length) body.land_links = c.land.map((l) => l.text);
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
  // the how-to folds away (its summary stays, to open it again), so the table has the room
  $("#cut-help").open = false;
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

// The cut after the year or "planned" changed (names: the old view's cables): recomputed
// on the new network, or cleared when none of what was cut is in it, saying which
export async function recut(names) {
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

export function highlightImpactRow(iso3) {
  const table = $("#impact-table");
  if (!table) return;
  for (const tr of table.querySelectorAll("tbody tr")) tr.classList.toggle("active", tr.dataset.row === iso3);
  table.querySelector(`tbody tr[data-row="${CSS.escape(iso3)}"]`)?.scrollIntoView({ block: "nearest" });
}
