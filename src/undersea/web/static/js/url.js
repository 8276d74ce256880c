// The address carries the view: read it at the start, write it on every change, apply it
// once the map is loaded.

import { emptyCut, hasCut, restoreCut, runCut, syncCutForm } from "./cut.js";
import { showCable, showLanding, showPlace } from "./details.js";
import { syncModelForm } from "./impact.js";
import { renderLegend } from "./legend.js";
import { sharedCables } from "./chips.js";
import { $, map, setProjection, state } from "./main.js";
import { renderFails, runRoute } from "./route.js";
import { searchIndex } from "./search.js";

// #year=2020&planned=1&colour=year&view=globe&sel=cable:wacs&cut=cables:wacs,sat-3|choke:malacca
//  |land:Brest, FR;Marseille|inc:2024-03-abidjan|circle:lon,lat,km|box:w,s,e,n&impact=connectivity&rerouting=joint
//  &route=Lagos;Marseille&without=ace,wacs&land=Brest, FR;Marseille|metro:lagos-ng;lagos-nigeria
export function readUrl() {
  const q = new URLSearchParams(location.hash.slice(1));
  const num = (v) => (v === null || v === "" ? null : Number(v));
  const cut = emptyCut();
  for (const part of (q.get("cut") || "").split("|").filter(Boolean)) {
    const [kind, value = ""] = part.split(/:(.*)/s);
    if (kind === "cables") cut.cables = value.split(",").filter(Boolean);
    else if (kind === "land" && value) cut.land.push({ text: value, label: value });
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
  for (const l of c.land) parts.push(`land:${l.text}`);
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

export async function applyUrl(w) {
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
    await restoreCut(w.cut);
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
