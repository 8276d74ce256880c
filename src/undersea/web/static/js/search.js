// The search box: cables, countries, metros and landing points by name, then what the
// name resolves to as every command resolves it.

import { get } from "./api.js";
import { metroItem, showCable, showLanding, showPlace } from "./details.js";
import { $, map, state } from "./main.js";
import { escapeHtml } from "./table.js";

export function searchIndex() {
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

export function bindSearch() {
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
        else if (input.value.trim()) {
          // nothing matched, here or on the server: say so rather than nothing at all
          list.innerHTML = `<li class="muted" data-testid="no-match" aria-disabled="true">No country, metro, cable or landing point matches “${escapeHtml(input.value.trim())}”</li>`;
          list.hidden = false;
        }
      });
    } else if (e.key === "Escape") close();
  });
  list.addEventListener("mousedown", (e) => {
    const li = e.target.closest("li");
    if (li && li.id) {
      e.preventDefault();
      choose(results[parseInt(li.id.slice(3), 10)]);
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  $("#search-form").addEventListener("submit", (e) => e.preventDefault());
}
