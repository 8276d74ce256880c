// Thin fetch helpers: JSON in, JSON out, the server's one-line message on errors.

export class ApiError extends Error {
  constructor(status, body) {
    super(ApiError.message(status, body));
    this.status = status;
    this.body = body;
  }

  // One problem, named by its field in words when the message does not name it ("lon:
  // Input should be less than or equal to 180", "radius km: ...", "land links: no land
  // link joins ...", not "Land_links:")
  static field(d) {
    const name = (d.loc || []).filter((p) => typeof p === "string" && !/^(request|body|query|path)$/.test(p)).pop();
    return name && !String(d.msg).includes(name) ? `${name.replace(/_/g, " ")}: ${d.msg}` : String(d.msg);
  }

  // One friendly line: the server's own message, without internal field prefixes
  // ("request:", "body.circle:") that mean nothing to a reader of the map.
  static message(status, body) {
    let text = "";
    if (body && Array.isArray(body.detail)) text = body.detail.map(ApiError.field).join("; ");
    else if (body && typeof body.detail === "string") text = body.detail;
    else if (body && typeof body.message === "string") text = body.message;
    text = text.replace(/^(request|body|query|path)(\.[\w.]+)?:\s*/i, "");
    if (text) return text.charAt(0).toUpperCase() + text.slice(1);
    if (status >= 500) return "The server could not answer this; try again, or with less.";
    return `The server refused this request (HTTP ${status}).`;
  }
}

async function handle(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.forEach((x) => q.append(k, String(x))); // repeated, as ?without_land=A;B&without_land=C;D
    else if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

async function send(url, init) {
  try {
    return await fetch(url, init);
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new Error("Cannot reach the server: is `undersea serve` still running?");
  }
}

export async function get(path, params = {}, { signal } = {}) {
  return handle(await send(`/api/${path}${query(params)}`, { signal }));
}

export async function post(path, body, { signal } = {}) {
  return handle(
    await send(`/api/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal,
    }),
  );
}

export async function del(path, headers = {}) {
  return handle(await send(`/api/${path}`, { method: "DELETE", headers }));
}
