// The Hubs tab: metros ranked by a metric, hub circles on the map, rank history.

import { get } from "./api.js";
import { rankChart } from "./chart.js";
import { renderLegend } from "./legend.js";
import { $, map, state } from "./main.js";
import { escapeHtml, fmt, renderTable } from "./table.js";

export function metricLabel() {
  const sel = $("#hub-metric");
  return sel.selectedOptions[0]?.value || state.info?.features.hub_metric_default || "international";
}

export function bindHubs() {
  $("#hub-metric").addEventListener("change", () => {
    $("#hub-metric-desc").textContent = state.info.features.hub_metrics?.[metricLabel()] || "";
    loadHubs();
  });
  $("#hub-show").addEventListener("change", paintHubs);
}

let hubTicket = 0;
export async function loadHubs() {
  if (!state.info?.features.hubs) return;
  const ticket = ++hubTicket;
  const out = $("#hubs-result");
  out.innerHTML = `<p class="muted">Ranking metros…</p>`;
  try {
    const rows = await get("hubs", { metric: metricLabel(), year: state.year, planned: state.planned, top: 100 });
    if (ticket !== hubTicket) return;
    state.hubRows = rows;
    out.innerHTML = `<h3>Top metros by ${escapeHtml(metricLabel())} in ${state.year}</h3>`;
    renderTable(out, {
      id: "hubs-table",
      caption: "Hub ranking",
      columns: [
        { key: "rank", label: "#", num: true },
        { key: "name", label: "Metro", format: (v, r) => `${escapeHtml(v)} <span class="muted">${escapeHtml(r.iso2)}</span>` },
        { key: "value", label: metricLabel(), num: true, format: (v) => fmt(v) },
      ],
      rows,
      sortKey: "rank",
      sortDir: "asc",
      maxRows: 100,
      rowId: (r) => r.metro_id,
      onRowClick: (id) => showHub(id),
    });
    paintHubs();
    if (state.selectedHub) showHub(state.selectedHub);
  } catch (err) {
    out.innerHTML = `<p class="error">${escapeHtml(err.message)}</p>`;
  }
}

function paintHubs() {
  const on = $("#hub-show").checked;
  map.setHubs(on ? state.hubRows.filter((r) => r.value > 0 && r.lon != null).map((r) => ({ id: r.metro_id, label: `${r.name}, ${r.iso2}`, lon: r.lon, lat: r.lat, value: r.value, rank: r.rank })) : []);
  renderLegend();
}

// A hub picked on the map or in a card: its profile in the Hubs tab (the tab's first
// ranking shows it when the tab was never opened: one request, not two)
export function openHub(id) {
  if (state.hubsLoaded) {
    state.selectTab("hubs");
    showHub(id);
  } else {
    state.selectedHub = id;
    state.selectTab("hubs");
  }
}

export async function showHub(id) {
  state.selectedHub = id;
  const out = $("#hub-profile");
  const row = state.hubRows.find((r) => r.metro_id === id);
  const metric = metricLabel();
  out.innerHTML = `<p class="muted">Loading ${escapeHtml(row?.name || id)}…${metric === "betweenness" ? " (the first betweenness history takes a while)" : ""}</p>`;
  for (const tr of document.querySelectorAll("#hubs-table tbody tr")) tr.classList.toggle("active", tr.dataset.row === id);
  if (row) map.centerOn(row.lon, row.lat, 6);
  try {
    const step = metric === "betweenness" ? 3 : 1;
    const hist = state.info.features.hub_history
      ? await get(`hubs/${encodeURIComponent(id)}/history`, { metric, planned: state.planned, step })
      : null;
    if (state.selectedHub !== id) return;
    const name = hist ? `${hist.metro.name}, ${hist.metro.iso2}` : row ? `${row.name}, ${row.iso2}` : id;
    let html = `<div class="card" style="margin:0"><h2>${escapeHtml(name)}</h2>`;
    const ranked = hist?.points.find((p) => p.year === state.year)?.ranked;
    if (row) html += `<p>Rank <b>${row.rank ?? "–"}</b>${ranked ? ` of ${fmt(ranked, 0)}` : ""} metros by ${escapeHtml(metric.replace(/_/g, " "))} in ${state.year} (${fmt(row.value)}) · ${fmt(row.cables, 0)} cables · ${fmt(row.countries, 0)} countries reached</p>`;
    if (hist) {
      const points = hist.points.map((p) => ({ year: p.year, rank: p.value > 0 ? p.rank : null, value: p.value }));
      html += `<p class="muted">Rank by ${escapeHtml(metric.replace(/_/g, " "))}, ${points[0].year}–${points[points.length - 1].year}${step > 1 ? `, every ${step} years` : ""}:</p>`;
      html += rankChart(points, { title: `Rank of ${name} by ${metric}` });
    }
    html += `<div class="actions">${state.info.features.route ? `<button type="button" data-act="from">Route from here</button>` : ""}<button type="button" data-act="profile">Cables and countries</button></div><div class="profile"></div></div>`;
    out.innerHTML = html;
    out.querySelector('[data-act="from"]')?.addEventListener("click", () => {
      $("#route-from").value = name;
      state.selectTab("route");
      $("#route-to").focus();
    });
    out.querySelector('[data-act="profile"]').addEventListener("click", (e) => showProfile(id, e.target));
  } catch (err) {
    out.innerHTML = `<p class="error">${escapeHtml(err.message)}</p>`;
  }
}

async function showProfile(id, button) {
  const box = $("#hub-profile .profile");
  button.disabled = true;
  box.innerHTML = `<p class="muted">Gathering every metric for every year (slow the first time)…</p>`;
  try {
    const p = await get(`hubs/${encodeURIComponent(id)}/profile`, { planned: state.planned });
    const cables = [...p.cables].sort((a, b) => (b.rfs_year ?? 0) - (a.rfs_year ?? 0));
    const live = cables.filter((c) => !c.is_planned);
    box.innerHTML = `<p>${p.landing_points.length} landing points · ${live.length} cables (${cables.length - live.length} planned) · ${p.countries.length} countries reached</p>
      <p class="muted">Newest cables: ${escapeHtml(live.slice(0, 6).map((c) => `${c.name} (${c.rfs_year ?? "?"})`).join(", "))}</p>
      <p class="muted">Reaches most: ${escapeHtml(p.countries.slice(0, 6).map((c) => `${c.country} (${c.cables})`).join(", "))}</p>`;
  } catch (err) {
    box.innerHTML = `<p class="error">${escapeHtml(err.message)}</p>`;
    button.disabled = false;
  }
}

