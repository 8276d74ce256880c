// The Risk tab: Monte Carlo runs as background jobs, with progress and cancellation.

import { del, get, post } from "./api.js";
import { renderLegend } from "./legend.js";
import { $, map, state } from "./main.js";
import { SEVERITY_COLOURS } from "./map.js";
import { escapeHtml, fmt, pct, renderTable } from "./table.js";

const RISK_PARAMS = {
  length_proportional: ["rate_per_1000km", "Faults per 1,000 km per scenario", 0.05],
  correlated: ["radius_km", "Event radius (km)", 300],
  repeater: ["p", "Failure probability per repeater", 0.001],
};

// Tokens of the jobs this browser started: only they can cancel them; kept in localStorage
// so a reload still lists (and can cancel) a running job.
const TOKENS = "undersea.jobTokens";

function tokens() {
  try {
    return JSON.parse(localStorage.getItem(TOKENS) || "{}");
  } catch {
    return {};
  }
}

function saveToken(id, token) {
  const t = tokens();
  t[id] = token;
  localStorage.setItem(TOKENS, JSON.stringify(t));
}

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
  $("#risk-jobs").addEventListener("click", (e) => {
    const b = e.target.closest("button");
    if (!b) return;
    if (b.dataset.cancel) cancelJob(b.dataset.cancel);
    else if (b.dataset.show) showJob(b.dataset.show);
  });
  refreshJobs();
}

async function cancelJob(id) {
  const token = tokens()[id];
  try {
    await del(`risk/${encodeURIComponent(id)}`, { "X-Job-Token": token || "" });
  } catch (err) {
    $("#risk-result").innerHTML = `<p class="error">${escapeHtml(err.message)}</p>`;
  }
  refreshJobs();
}

async function showJob(id) {
  try {
    const job = await get(`risk/${encodeURIComponent(id)}`);
    if (job.state === "done") showRisk(job.result);
  } catch (err) {
    $("#risk-result").innerHTML = `<p class="error">${escapeHtml(err.message)}</p>`;
  }
}

const STATE_LABEL = { queued: "queued", running: "running", done: "done", failed: "failed", cancelled: "cancelled" };
let jobsTimer = 0;
// The server's jobs, newest first; polled while any is queued or running.
export async function refreshJobs() {
  clearTimeout(jobsTimer);
  let jobs;
  try {
    jobs = await get("risk");
  } catch {
    jobsTimer = setTimeout(refreshJobs, 3000);
    return;
  }
  const mine = tokens();
  const list = $("#risk-jobs");
  list.innerHTML = jobs.length
    ? jobs
        .map((j) => {
          const active = j.state === "queued" || j.state === "running";
          const p = Math.round(100 * j.progress);
          const h = j.params?.hazard?.model || "";
          const own = Boolean(mine[j.id]);
          return `<li data-job="${escapeHtml(j.id)}" data-state="${j.state}">
            <span class="job-state ${j.state}">${STATE_LABEL[j.state]}${active ? ` ${p}%` : ""}</span>
            <span class="job-what">${escapeHtml(h.replace(/_/g, " "))} · ${fmt(j.params?.n_scenarios ?? 0, 0)} scenarios${own ? "" : ` <span class="muted">(another browser)</span>`}</span>
            ${active && own ? `<button type="button" data-cancel="${escapeHtml(j.id)}">Cancel</button>` : ""}
            ${j.state === "done" ? `<button type="button" data-show="${escapeHtml(j.id)}">Show</button>` : ""}
          </li>`;
        })
        .join("")
    : `<li class="muted">No jobs yet.</li>`;
  const active = jobs.filter((j) => j.state === "queued" || j.state === "running");
  const limit = state.info?.limits?.max_active_jobs ?? 4;
  $("#risk-run").disabled = active.length >= limit;
  $("#risk-run").title = active.length >= limit ? `${active.length} jobs are running (limit ${limit}): cancel one of yours below, or wait` : "";
  // the run this page follows: its progress bar and, once done, its result
  const followed = state.riskJob && jobs.find((j) => j.id === state.riskJob);
  const bar = $("#risk-progress");
  if (followed) {
    const p = Math.round(100 * followed.progress);
    bar.hidden = !(followed.state === "queued" || followed.state === "running");
    bar.firstElementChild.style.width = `${p}%`;
    bar.setAttribute("aria-valuenow", String(p));
    if (bar.hidden) {
      state.riskJob = null;
      const out = $("#risk-result");
      if (followed.state === "failed") out.innerHTML = `<p class="error">The run failed: ${escapeHtml(followed.error)}</p>`;
      else if (followed.state === "cancelled") out.innerHTML = `<p class="muted">Cancelled after ${followed.done.toLocaleString("en-US")} scenarios.</p>`;
      else showJob(followed.id);
    }
  } else bar.hidden = true;
  if (active.length) jobsTimer = setTimeout(refreshJobs, 500);
}

async function runRisk() {
  const model = $("#risk-model").value;
  const [param] = RISK_PARAMS[model];
  const hazard = { model, [param]: Number($("#risk-param").value) };
  const body = { hazard, n_scenarios: Number($("#risk-n").value), seed: Number($("#risk-seed").value), year: state.year, include_planned: state.planned };
  const out = $("#risk-result");
  try {
    const job = await post("risk", body);
    saveToken(job.id, job.token);
    state.riskJob = job.id;
    out.innerHTML = `<p class="muted">Running ${body.n_scenarios.toLocaleString("en-US")} scenarios…</p>`;
  } catch (err) {
    out.innerHTML = `<p class="error">${escapeHtml(err.message)}</p>`;
  }
  refreshJobs();
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

