// Chips: what a panel fails or cuts (cables, land links, an area...), each with its ×.
// The Cut tab and the route panel share them.

import { get } from "./api.js";
import { $, state } from "./main.js";
import { escapeHtml } from "./table.js";

// items: [key, label] pairs; each × carries its key (data-chip)
export function chipsHtml(items) {
  return items
    .map(([key, label]) => `<span class="chip">${escapeHtml(label)}<button type="button" data-chip="${escapeHtml(String(key))}" aria-label="Remove ${escapeHtml(label)}">×</button></span>`)
    .join("");
}

// a click on a chip's × in box: remove(its key)
export function onChipRemove(box, remove) {
  $(box).addEventListener("click", (e) => {
    const key = e.target.closest("button")?.dataset.chip;
    if (key !== undefined) remove(key);
  });
}

// a text field and its Add button: the button or Enter calls add()
export function bindAdd(field, button, add) {
  $(button).addEventListener("click", add);
  $(field).addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    add();
  });
}

// A land link to fail, into list ([{text, label}]), as the API takes it ("A;B" or "A,B":
// the server resolves and checks it, and its refusal shows as every other error); false
// when there is none
export function addLink(list, text, label = text) {
  const link = text.trim();
  if (!link) return false;
  if (!list.some((l) => l.text === link)) list.push({ text: link, label: label.trim() });
  return true;
}

// A cable typed in a field, as every command resolves it (WACS, seamewe 5): {id, name};
// the resolver's error for an unknown one
export function resolveCable(name) {
  return get("resolve", { name, kind: "cable", year: state.year, planned: state.planned });
}

// The cables a shared address fails, as chips ({id, label}) named as every view names
// them: by the view's cables, else by the server's resolver, which knows every cable of the
// snapshot (a planned one, one not in service in the year shown); an id it does not know is
// marked so, not shown as if it were a cable's name
export async function sharedCables(ids) {
  const chips = await Promise.all(
    ids.map(async (id) => {
      const known = state.cables.find((c) => c.id === id);
      if (known) return { id, label: known.name };
      try {
        const c = await resolveCable(id);
        return { id: c.id, label: c.name };
      } catch (err) {
        return { id, label: err.status === 404 ? `${id} (unknown cable)` : id };
      }
    }),
  );
  return chips.filter((c, i) => chips.findIndex((d) => d.id === c.id) === i); // ace and its id: one chip
}
