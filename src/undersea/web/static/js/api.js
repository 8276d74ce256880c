// Thin fetch helpers: JSON in, JSON out, the server's one-line message on errors.

export class ApiError extends Error {
  constructor(status, body) {
    super(ApiError.message(status, body));
    this.status = status;
    this.body = body;
  }

  static message(status, body) {
    if (body && typeof body.message === "string" && body.message) return body.message;
    if (body && typeof body.detail === "string") return body.detail;
    if (body && Array.isArray(body.detail)) return body.detail.map((d) => d.msg).join("; ");
    return `request failed (HTTP ${status})`;
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
    if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

export async function get(path, params = {}, { signal } = {}) {
  return handle(await fetch(`/api/${path}${query(params)}`, { signal }));
}

export async function post(path, body, { signal } = {}) {
  return handle(
    await fetch(`/api/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal,
    }),
  );
}

export async function del(path) {
  return handle(await fetch(`/api/${path}`, { method: "DELETE" }));
}
