// The Risk tab: Monte Carlo runs as background jobs, with progress and cancellation.

import { del, get, post } from "./api.js";
import { $, map, renderLegend, state } from "./main.js";
import { SEVERITY_COLOURS } from "./map.js";
import { escapeHtml, fmt, pct, renderTable } from "./table.js";

const RISK_PARAMS = {
  length_proportional: ["rate_per_1000km", "Faults per 1,000 km per scenario", 0.05],
  correlated: ["radius_km", "Event radius (km)", 300],
  repeater: ["p", "Failure probability per repeater", 0.001],
};

export function bindRisk() {
  $("#risk-model").addEventListener("change", (e) => {
    const [, label, value] = RISK_PARAMS[e.target.value];
    $("#risk-param-label").textContent = label;
    $("#risk-param").value = String(value);
  });
  $("#risk-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runRisk();
  });
  $("#risk-cancel").addEventListener("click", async () => {
    if (state.riskJob) await del(`risk/${state.riskJob}`).catch(() => null);
  });
}

async function runRisk() {
  const model = $("#risk-model").value;
  const [param] = RISK_PARAMS[model];
  const hazard = { model, [param]: Number($("#risk-param").value) };
  const body = { hazard, n_scenarios: Number($("#risk-n").value), seed: Number($("#risk-seed").value), year: state.year, include_planned: state.planned };
  const out = $("#risk-result");
  const bar = $("#risk-progress");
  try {
    const job = await post("risk", body);
    state.riskJob = job.id;
    $("#risk-cancel").disabled = false;
    $("#risk-run").disabled = true;
    bar.hidden = false;
    out.innerHTML = `<p class="muted">Running ${body.n_scenarios.toLocaleString("en-US")} scenarios…</p>`;
    pollRisk(job.id);
  } catch (err) {
    out.innerHTML = `<p class="error">${escapeHtml(err.message)}</p>`;
  }
}

async function pollRisk(id) {
  const out = $("#risk-result");
  const bar = $("#risk-progress");
  let job;
  try {
    job = await get(`risk/${id}`);
  } catch (err) {
    out.innerHTML = `<p class="error">${escapeHtml(err.message)}</p>`;
    return;
  }
  const p = Math.round(100 * job.progress);
  bar.firstElementChild.style.width = `${p}%`;
  bar.setAttribute("aria-valuenow", String(p));
  if (job.state === "queued" || job.state === "running") {
    setTimeout(() => pollRisk(id), 400);
    return;
  }
  $("#risk-cancel").disabled = true;
  $("#risk-run").disabled = false;
  bar.hidden = true;
  state.riskJob = null;
  if (job.state === "failed") out.innerHTML = `<p class="error">The run failed: ${escapeHtml(job.error)}</p>`;
  else if (job.state === "cancelled") out.innerHTML = `<p class="muted">Cancelled after ${job.done.toLocaleString("en-US")} scenarios.</p>`;
  else showRisk(job.result);
}

function showRisk(result) {
  const out = $("#risk-result");
  const rows = (result.countries || []).filter((r) => r.p_severe > 0 || r.expected_lost_share > 0);
  const level = Math.round(100 * (result.confidence || 0.95));
  out.innerHTML = `<h3>Risk over ${fmt(result.n_scenarios, 0)} scenarios</h3>
    <p class="muted">Hazard ${escapeHtml(result.hazard?.model || "")}, seed ${result.seed}. ${rows.length} countries can lose capacity; intervals at ${level}% in the tooltips.</p>`;
  const interval = (lo, hi) => (r) => `${pct(r[lo])}–${pct(r[hi])}`;
  const cell = (key, lo, hi) => (v, r) => `<span title="${level}% interval ${interval(lo, hi)(r)}">${pct(v)}</span>`;
  renderTable(out, {
    id: "risk-table",
    caption: "Risk per country",
    columns: [
      { key: "name", label: "Country" },
      { key: "p_isolated", label: "P(isolated)", num: true, format: cell("p_isolated", "p_isolated_low", "p_isolated_high") },
      { key: "p_severe", label: "P(severe)", num: true, format: cell("p_severe", "p_severe_low", "p_severe_high") },
      { key: "expected_lost_share", label: "E[lost]", num: true, format: cell("expected_lost_share", "lost_share_low", "lost_share_high") },
    ],
    rows,
    sortKey: "p_severe",
    sortDir: "desc",
    maxRows: 200,
    rowId: (r) => r.iso3,
    onRowClick: (iso3) => {
      const b = map.boundsOfCountry(iso3);
      if (b) map.fitBounds(b, 80);
    },
  });
  const fill = new Map();
  for (const r of rows) {
    const v = r.p_severe || 0;
    if (v >= 0.5) fill.set(r.iso3, SEVERITY_COLOURS.isolated);
    else if (v >= 0.1) fill.set(r.iso3, SEVERITY_COLOURS.severe);
    else if (v >= 0.01) fill.set(r.iso3, SEVERITY_COLOURS.degraded);
  }
  map.setCountryFill(fill);
  state.fillMode = "risk";
  renderLegend();
}

