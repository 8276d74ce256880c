// Sortable, keyboard-reachable data tables (header buttons, aria-sort, a "Sort by" select).

export function escapeHtml(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// columns: [{key, label, title?, num?, rank?, detail?, format?(value,row) -> html, sortValue?(row)}]
// (`rank`: its sortValue ranks, worst first on the first sort, as numbers do; `title`:
// what the column means, on hovering its header or its label)
// A table with `detail` columns gets a "Sort by" select above it: those columns have no
// header to click.
export function renderTable(container, { columns, rows, caption, sortKey, sortDir = "desc", onRowClick, rowId, maxRows = 400, id }) {
  let key = sortKey || null;
  let dir = sortDir;
  const table = document.createElement("table");
  table.className = "data";
  if (id) table.id = id;
  // a column marked `detail` is shown on its row's second line, labelled, not as a column:
  // what keeps a wide table within a narrow panel
  const main = columns.filter((c) => !c.detail);
  const detail = columns.filter((c) => c.detail);
  const cell = (c, r) => (c.format ? c.format(r[c.key], r) : escapeHtml(r[c.key]));
  const tip = (c) => (c.title ? ` title="${escapeHtml(c.title)}"` : "");
  const picker = detail.length ? sortPicker(columns, id) : null;
  const render = () => {
    const col = columns.find((c) => c.key === key);
    const sorted = key ? sortRows(rows, col ? col.sortValue || ((r) => r[key]) : (r) => r[key], dir) : rows;
    const head = main
      .map((c) => {
        const sort = c.key === key ? (dir === "asc" ? "ascending" : "descending") : "none";
        return `<th scope="col" class="${c.num ? "num" : ""}" aria-sort="${sort}"><button type="button" data-key="${escapeHtml(c.key)}"${tip(c)}>${escapeHtml(c.label)}</button></th>`;
      })
      .join("");
    const body = sorted
      .slice(0, maxRows)
      .map((r, i) => {
        const cells = main.map((c) => `<td class="${c.num ? "num" : ""}" data-key="${escapeHtml(c.key)}">${cell(c, r)}</td>`).join("");
        const rid = rowId ? ` data-row="${escapeHtml(rowId(r))}"` : ` data-row="${i}"`;
        const click = onRowClick ? " clickable" : "";
        // the detail columns, labelled, on the row's second line (an empty one left out;
        // no second line where all are)
        const items = detail
          .map((c) => [c, cell(c, r)])
          .filter(([, html]) => html !== "")
          .map(([c, html]) => `<span class="item" data-key="${escapeHtml(c.key)}"><span class="label"${tip(c)}>${escapeHtml(c.label)}</span> ${html}</span>`)
          .join("");
        if (!items) return `<tr${rid} class="${click.trim()}"${onRowClick ? ` tabindex="0"` : ""}>${cells}</tr>`;
        return `<tr${rid} class="has-detail${click}"${onRowClick ? ` tabindex="0"` : ""}>${cells}</tr><tr${rid} class="detail${click}"><td colspan="${main.length}">${items}</td></tr>`;
      })
      .join("");
    const more = sorted.length > maxRows ? `<caption class="muted">${escapeHtml(caption || "")} (first ${maxRows} of ${sorted.length})</caption>` : caption ? `<caption class="sr-only">${escapeHtml(caption)}</caption>` : "";
    table.innerHTML = `${more}<thead><tr>${head}</tr></thead><tbody>${body}</tbody>`;
    table.dataset.rows = String(sorted.length);
    table.dataset.sortKey = key || "";
    table.dataset.sortDir = dir;
    if (picker) picker.show(key, dir);
  };
  const sortBy = (k, d) => {
    key = k;
    dir = d;
    render();
  };
  const flip = (d) => (d === "asc" ? "desc" : "asc");
  // a column's first sort: numbers and ranks largest first, text A to Z;
  // again, the other way
  const firstSort = (k) => sortBy(k, firstDir(columns.find((c) => c.key === k)));
  const toggle = (k) => (k === key ? sortBy(k, flip(dir)) : firstSort(k));
  table.addEventListener("click", (e) => {
    const btn = e.target.closest("th button");
    if (btn) {
      const k = btn.dataset.key;
      toggle(k);
      table.querySelector(`th button[data-key="${CSS.escape(k)}"]`)?.focus();
      return;
    }
    const tr = e.target.closest("tbody tr");
    if (tr && onRowClick) onRowClick(tr.dataset.row, tr);
  });
  table.addEventListener("keydown", (e) => {
    const tr = e.target.closest("tbody tr");
    if (tr && onRowClick && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      onRowClick(tr.dataset.row, tr);
    }
  });
  if (picker) {
    picker.select.addEventListener("change", () => firstSort(picker.select.value));
    picker.dirButton.addEventListener("click", () => toggle(key || picker.select.value));
    container.append(picker.el);
  }
  render();
  // its own scroll box: a wide table's scrollbar and its header stay in reach
  const box = document.createElement("div");
  box.className = "table-scroll";
  box.append(table);
  container.append(box);
  return table;
}

const firstDir = (c) => (c && (c.num || c.rank) ? "desc" : "asc");

// Rows sorted by value(row), stably (ties keep the rows' order), numbers as numbers (an
// infinite one beyond every other), text as text, a missing value (null, undefined, NaN)
// last whichever the direction
export function sortRows(rows, value, dir) {
  const missing = (v) => v == null || Number.isNaN(v);
  const sign = dir === "asc" ? 1 : -1;
  return rows
    .map((r, i) => [value(r), i, r])
    .sort(([va, ia], [vb, ib]) => {
      if (missing(va) || missing(vb)) return missing(va) - missing(vb) || ia - ib;
      const c = typeof va === "number" && typeof vb === "number" ? (va > vb) - (va < vb) : String(va).localeCompare(String(vb));
      return sign * c || ia - ib;
    })
    .map(([, , r]) => r);
}

// The "Sort by" select (every column, each by its label) and the direction's button
function sortPicker(columns, id) {
  const el = document.createElement("div");
  el.className = "sort-by";
  const sid = id ? `${id}-sort` : "";
  el.innerHTML = `<label${sid ? ` for="${escapeHtml(sid)}"` : ""}>Sort by</label>
    <select${sid ? ` id="${escapeHtml(sid)}"` : ""}>${columns.map((c) => `<option value="${escapeHtml(c.key)}">${escapeHtml(c.label)}</option>`).join("")}</select>
    <button type="button" class="sort-dir"></button>`;
  const select = el.querySelector("select");
  const dirButton = el.querySelector("button");
  const show = (key, dir) => {
    select.value = key || "";
    const down = dir !== "asc";
    dirButton.textContent = down ? "▼ descending" : "▲ ascending";
    dirButton.title = `Sort ${down ? "ascending" : "descending"} instead`;
    dirButton.dataset.dir = dir;
  };
  return { el, select, dirButton, show };
}

// A number as the page shows it: the CLI's one rule (number_text in cli/_options.py), whole
// units with thousands commas from 100 on, three significant digits below, so no value but
// zero reads 0 (0.47 km, not "0 km"), and never in powers of ten (under a millionth:
// "<0.000001");
// `digits` fixes the decimals instead (ms to 0.1)
export function fmt(v, digits) {
  if (v == null || Number.isNaN(v)) return "–";
  if (typeof v !== "number") return escapeHtml(v);
  if (digits !== undefined) return v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  if (v === 0) return "0"; // not "-0"
  if (Math.abs(v) < 1e-6) return v > 0 ? "&lt;0.000001" : "&gt;-0.000001";
  if (Math.abs(v) >= 100) return v.toLocaleString("en-US", { maximumFractionDigits: 0 });
  return String(Number(v.toPrecision(3)));
}

// A share (0 to 1) in percent: the CLI's one rule for shares (share_text in
// cli/_options.py), to `digits` decimals (whole percent by default), and no share but zero
// reads 0%, none but the whole reads 100%: a share that would round to either gets the
// fewest further decimals that show it is neither (0.3%, 0.04%, 99.6%), down to 0.0001%
// ("<0.0001%", ">99.9999%" beyond); within 1e-12 of zero or the whole (floating-point
// rounding) it is "0%" or "100%". toFixed rounds halves away from zero, as share_text does.
// `marks`: severity lines a share just under one must not read as (59.9%, not 60%).
export function pct(v, digits = 0, marks = []) {
  if (v == null || Number.isNaN(v)) return "–";
  const sign = v < 0 ? "-" : "";
  const m = Math.abs(100 * v);
  if (m < 1e-10) return "0%"; // not "-0%"
  if (Math.abs(m - 100) < 1e-10) return `${sign}100%`;
  const lines = marks.map((x) => Number((100 * x).toFixed(9))).filter((x) => m < x); // only a line above
  let text = "";
  for (let d = digits; d <= Math.max(digits, 4); d++) {
    text = m.toFixed(d);
    if (Number(text) !== 0 && Number(text) !== 100 && lines.every((x) => Number(text) < x)) return `${sign}${text}%`;
  }
  if (lines.length && Number(text) !== 0 && Number(text) !== 100) return `&lt;${sign}${Math.min(...lines)}%`;
  const less = (m < 50 || m > 100) === v > 0; // the bound is nearer zero than v
  const bound = m < 50 ? "0.0001" : m < 100 ? "99.9999" : "100.0001";
  return `${less ? "&lt;" : "&gt;"}${sign}${bound}%`;
}
