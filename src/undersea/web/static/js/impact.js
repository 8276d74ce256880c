// The Cut tab's impact model (capacity or connectivity, and the capacity model's
// rerouting mode) and the impact of a cut: what produced it, the counts and the table.

import { $, state } from "./main.js";
import { SEVERITY_COLOURS } from "./map.js";
import { escapeHtml, fmt, pct, renderTable } from "./table.js";

const HINTS = {
  independent: "Rerouted horizon: each country alone on the surviving network (an upper bound when neighbours compete).",
  joint: "Rerouted horizon: every country at once, sharing the surviving cables and land links max-min fairly (slower).",
  connectivity: "Cables lost and capacity proxy only: no demand, no rerouting.",
};

// the model controls show state.impact and state.rerouting; rerouting only means
// something to the capacity model
export function syncModelForm() {
  const capacity = state.impact === "capacity";
  $("#cut-impact").value = state.impact;
  $("#cut-rerouting").value = state.rerouting;
  $("#cut-rerouting").disabled = !capacity;
  $("#cut-model-hint").textContent = HINTS[capacity ? state.rerouting : "connectivity"];
}

export function bindImpactModel(onChange) {
  const changed = () => {
    state.impact = $("#cut-impact").value;
    state.rerouting = $("#cut-rerouting").value;
    syncModelForm();
    onChange();
  };
  $("#cut-impact").addEventListener("change", changed);
  $("#cut-rerouting").addEventListener("change", changed);
  syncModelForm();
}

// what produced a result, as the server answered it: "capacity model · rerouting: joint"
function modelLabel(res) {
  return res.model === "capacity" ? `capacity model · rerouting: ${res.rerouting}` : `${res.model} model (cable count)`;
}

const GBPS = (v) => (v == null ? "–" : v >= 1000 ? `${fmt(v / 1000)} Tbit/s` : `${fmt(v)} Gbit/s`);
// delivered of demanded, in the demand's unit, as the CLI shows it: "109 of 296 Gbit/s"
const OF = (v, demand) => {
  if (v == null || demand == null) return GBPS(v);
  const [k, unit] = demand >= 1000 ? [1000, "Tbit/s"] : [1, "Gbit/s"];
  return `${fmt(v / k)} of ${fmt(demand / k)} ${unit}`;
};
// delivered of demanded, marked `*` as the CLI marks it when the demand is a fallback's
const delivered = (v, r) => {
  const why = r.demand_fallback ? ` · demand from a fallback rule (${r.demand_source})` : "";
  return `<span title="before the cut: ${GBPS(r.delivered_before_gbps)}${escapeHtml(why)}">${OF(v, r.demand_gbps)}${r.demand_fallback ? "*" : ""}</span>`;
};
// the delay a cut adds, as the CLI's `RTT +ms` reads it: infinite ("∞", the CLI's "no
// route") where the core was in reach before the cut and is not after, unknown ("–") where
// it was out of reach before too (JSON has no infinity: both are served as null)
const rttAdded = (r) => r.rtt_inflation_ms ?? (r.rtt_before_ms != null && r.rtt_after_ms == null ? Infinity : null);
const SEV_RANK = { isolated: 3, severe: 2, degraded: 1, none: 0 };
const sev = (v) => (v == null ? "–" : `<span class="sev"><i style="background:${SEVERITY_COLOURS[v] || "#fff"}"></i>${escapeHtml(v)}</span>`);
const tally = (n) => `isolated ${n.isolated ?? 0} · severe ${n.severe ?? 0} · degraded ${n.degraded ?? 0}`;

function columnsOf(res) {
  const has = (key) => res.impact.some((r) => r[key] != null);
  const lines = Object.values(res.severity_lines || {}); // a share under one reads as under it
  const share = (v) => (v == null ? "–" : pct(v, 0, lines));
  const rank = (s, lost) => (r) => (SEV_RANK[r[s]] ?? -1) * 10 + (r[lost] || 0);
  const name = { key: "name", label: res.impact[0]?.iso3 !== undefined ? "Country" : "Metro" };
  // a replay: what was reported for the row's country (the CLI's `reported` column), on
  // the row's second line, first, where a report names it: three severity columns beside
  // the name leave it no room in the panel
  const reported = res.incident ? [{ key: "reported", label: "Reported", detail: true, rank: true, sortValue: (r) => SEV_RANK[r.reported] ?? -1, format: (v) => (v && v !== "none" ? sev(v) : "") }] : [];
  const figures = [
    { key: "cables_after", label: "Cables", num: true, format: (v, r) => `${r.cables_before}→${v}` },
    { key: "rtt_inflation_ms", label: "+RTT ms", num: true, sortValue: rttAdded, format: (v, r) => fmt(rttAdded(r), 1) },
  ];
  if (!has("severity_rerouted")) {
    return [
      name,
      ...reported,
      { key: "severity", label: "Severity", rank: true, sortValue: rank("severity", "lost_share"), format: sev },
      { key: "lost_share", label: "Lost", num: true, format: share },
      ...figures,
    ];
  }
  // The capacity model fits the side panel: each horizon's severity with its lost share
  // in one cell, on one line (as the CLI's `rerouted` column), and the wide figures
  // (delivered capacity, bottleneck, cables, delay) on each row's second line
  const both = (lost) => (v, r) => `<span class="nowrap">${sev(v)} <span class="share">${share(r[lost])}</span></span>`;
  // none where the demand is delivered in full (nothing binds): left off the line, and
  // last in a sort by it
  const bottleneck = (v) => (v == null ? "–" : v === "" ? "" : `<span class="clip" title="${escapeHtml(String(v))}">${escapeHtml(String(v))}</span>`);
  return [
    name,
    { key: "severity", label: "Severity", rank: true, sortValue: rank("severity", "lost_share"), format: both("lost_share") },
    { key: "severity_rerouted", label: "After reroute", rank: true, sortValue: rank("severity_rerouted", "lost_share_rerouted"), format: both("lost_share_rerouted") },
    ...reported,
    { key: "delivered_after_gbps", label: "Delivered", title: "What the country can still deliver to the rest of the world after rerouting (a maximum flow over what survives), of its demand", num: true, detail: true, format: delivered },
    { key: "bottleneck", label: "Bottleneck", title: "The cables and land links that cap the delivered capacity (a minimum cut); none where the whole demand is delivered", detail: true, sortValue: (r) => r.bottleneck || null, format: bottleneck },
    ...figures.map((c) => ({ ...c, detail: true })),
  ];
}

// the land links a cut fails, by their ends' names, as the CLI's "failed: ... land links:"
function landLinks(sc) {
  const links = sc.failed_land_links || [];
  if (!links.length) return "";
  const ends = links.map((x) => `${x.from_name} – ${x.to_name} (${x.kind})`).join(", ");
  return `<p data-testid="cut-land-links">${links.length} land link${links.length > 1 ? "s" : ""} cut: ${escapeHtml(ends)}</p>`;
}

export function renderImpact(out, res, { note = "", onRowClick } = {}) {
  const sc = res.scenario;
  // the rows `undersea cut` lists (the server's `affected`: any capacity lost or delay
  // added); the KPI counts what the table shows
  const rows = res.impact.filter((r) => r.affected);
  const later = res.severity_rerouted_counts;
  const delivered = res.impact.some((r) => r.delivered_after_gbps != null);
  // the head kept short, so the table's rows show at 1280x800: the counts on one line,
  // each horizon's severities on a line of its own
  out.innerHTML = `${note ? `<p class="note" data-testid="cut-note">${escapeHtml(note)}</p>` : ""}<h3>${escapeHtml(sc.label)}</h3>
    <p class="muted" data-testid="cut-model">${escapeHtml(modelLabel(res))}</p>
    ${sc.note ? `<p class="muted">${escapeHtml(sc.note)}</p>` : ""}${landLinks(sc)}
    <div class="kpis inline"><div class="kpi"><b>${sc.n_failed_segments}</b> <span>segments cut</span></div>
    <div class="kpi"><b>${sc.failed_cables.length}</b> <span>cables hit</span></div>
    <div class="kpi"><b data-testid="affected">${rows.length}</b> <span title="lost capacity, or slower to reach the core">countries hit</span></div></div>
    <p class="muted tally" data-testid="cut-tally">${later ? "Immediately: " : ""}${tally(res.severity_counts)}${later ? `<br>After rerouting: ${tally(later)}` : ""}${delivered ? "<br>Delivered: capacity after rerouting, of the demand" : ""}</p>`;
  if (rows.length) {
    const table = renderTable(out, {
      id: "impact-table",
      caption: "Impact per country",
      columns: columnsOf(res),
      rows,
      sortKey: "severity",
      sortDir: "desc",
      rowId: (r) => r.iso3 || r.metro_id,
      onRowClick,
    });
    table.dataset.countries = String(res.impact.length);
  } else {
    out.insertAdjacentHTML("beforeend", `<p class="muted" data-testid="cut-none">No country loses capacity or reach to the core.</p>`);
  }
  // the server's footnote to a demand marked `*`, as the CLI prints it
  if (rows.some((r) => r.demand_fallback) && res.demand_fallback_note) {
    out.insertAdjacentHTML("beforeend", `<p class="muted" data-testid="demand-fallback">${escapeHtml(res.demand_fallback_note)}</p>`);
  }
  out.insertAdjacentHTML("beforeend", reportedHtml(res, rows));
}

// An address as a link, opened elsewhere; text alone unless it is http(s)
function link(url, text) {
  if (!/^https?:\/\//i.test(url || "")) return escapeHtml(text || url);
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(text || url)}</a>`;
}

// A replay's reports, after the model's table as `undersea incident run` prints them: the
// reported countries the table does not list, what was reported at the time, and the
// sources cited (each with the countries whose report it gives)
function reportedHtml(res, listed) {
  const inc = res.incident;
  if (!inc) return "";
  const names = new Map([...state.countries, ...res.impact].map((c) => [c.iso2, c.name]));
  const name = (iso2) => (names.has(iso2) ? `${names.get(iso2)} (${iso2})` : iso2);
  const shown = new Set(listed.map((r) => r.iso2));
  const missed = inc.impact.reports.filter((r) => !shown.has(r.country)).sort((a, b) => SEV_RANK[b.severity] - SEV_RANK[a.severity]);
  const parts = [];
  if (missed.length) {
    const items = missed.map((r) => `<li data-row="${escapeHtml(r.country)}">${escapeHtml(name(r.country))}: ${sev(r.severity)}</li>`).join("");
    parts.push(`<p><b>Reported, not predicted</b> (${missed.length})</p><ul class="compact" data-testid="reported-missed">${items}</ul>`);
  }
  if (inc.impact.text) parts.push(`<p data-testid="reported-text"><b>Reported at the time:</b> ${escapeHtml(inc.impact.text)}</p>`);
  if (inc.sources.length) {
    const items = inc.sources.map((s) => `<li>${link(s.url, s.title)}${s.countries.length ? ` <span class="muted">(${escapeHtml(s.countries.join(", "))})</span>` : ""}</li>`).join("");
    parts.push(`<p><b>Sources</b></p><ul class="compact" data-testid="reported-sources">${items}</ul>`);
  }
  return `<div class="reported" data-testid="cut-reported">${parts.join("")}</div>`;
}
