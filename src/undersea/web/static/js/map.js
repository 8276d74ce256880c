// The world map: a <canvas> drawn by hand in a Web-Mercator projection.
// Layers are built once per data load into Path2D objects in projected units
// (x = longitude, y = Mercator latitude, both in degrees) and drawn through one
// affine transform, so panning and zooming only change the transform.

const DEG = Math.PI / 180;
const MAX_LAT = 85;
const EARTH_KM = 6371.0088;

export function mercY(lat) {
  const l = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  return Math.log(Math.tan(Math.PI / 4 + (l * DEG) / 2)) / DEG;
}

export function invMercY(y) {
  return (2 * Math.atan(Math.exp(y * DEG)) - Math.PI / 2) / DEG;
}

export function greatCircleKm(lon1, lat1, lon2, lat2) {
  const p1 = lat1 * DEG, p2 = lat2 * DEG;
  const dp = p2 - p1, dl = (lon2 - lon1) * DEG;
  const a = Math.sin(dp / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

// A geodesic circle as a ring of [lon, lat] with continuous longitudes.
export function circleRing(lon, lat, radiusKm, n = 96) {
  const d = radiusKm / EARTH_KM, p0 = lat * DEG, l0 = lon * DEG;
  const ring = [];
  for (let i = 0; i <= n; i++) {
    const az = (2 * Math.PI * i) / n;
    const p = Math.asin(Math.sin(p0) * Math.cos(d) + Math.cos(p0) * Math.sin(d) * Math.cos(az));
    const dl = Math.atan2(Math.sin(az) * Math.sin(d) * Math.cos(p0), Math.cos(d) - Math.sin(p0) * Math.sin(p));
    ring.push([(l0 + dl) / DEG, p / DEG]);
  }
  return ring;
}

// Colour-blind-safe palettes: Okabe-Ito for categories, viridis for years,
// ColorBrewer YlOrRd (sequential) for severity.
export const PALETTE = {
  ocean: "#eaf1f6",
  land: "#d8dcd3",
  landStroke: "#ffffff",
  graticule: "#d3dee7",
  inService: "#0072B2",
  planned: "#E69F00",
  cut: "#D55E00",
  route: "#009E73",
  selected: "#CC79A7",
  landing: "#1d2a36",
  hub: "#CC79A7",
};
export const SEVERITY_COLOURS = {
  isolated: "#800026",
  severe: "#e31a1c",
  degraded: "#feb24c",
  none: null,
};
const VIRIDIS = ["#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#bddf26"];

function hexToRgb(h) {
  const n = parseInt(h.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function viridis(t) {
  const x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const a = hexToRgb(VIRIDIS[i]), b = hexToRgb(VIRIDIS[i + 1]), f = x - i;
  const c = a.map((v, j) => Math.round(v + (b[j] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

function ringsOf(geom) {
  if (!geom) return [];
  if (geom.type === "Polygon") return [geom.coordinates];
  if (geom.type === "MultiPolygon") return geom.coordinates;
  return [];
}

function linesOf(geom) {
  if (!geom) return [];
  if (geom.type === "LineString") return [geom.coordinates];
  if (geom.type === "MultiLineString") return geom.coordinates;
  return [];
}

function projectLine(coords) {
  const out = new Float64Array(coords.length * 2);
  for (let i = 0; i < coords.length; i++) {
    out[2 * i] = coords[i][0];
    out[2 * i + 1] = mercY(coords[i][1]);
  }
  return out;
}

function bboxOf(parts) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const p of parts) {
    for (let i = 0; i < p.length; i += 2) {
      if (p[i] < x0) x0 = p[i];
      if (p[i] > x1) x1 = p[i];
      if (p[i + 1] < y0) y0 = p[i + 1];
      if (p[i + 1] > y1) y1 = p[i + 1];
    }
  }
  return [x0, y0, x1, y1];
}

function pathOf(parts, close = false) {
  const path = new Path2D();
  for (const p of parts) {
    path.moveTo(p[0], p[1]);
    for (let i = 2; i < p.length; i += 2) path.lineTo(p[i], p[i + 1]);
    if (close) path.closePath();
  }
  return path;
}

function distToSegment(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const len = dx * dx + dy * dy;
  let t = len ? ((px - ax) * dx + (py - ay) * dy) / len : 0;
  t = Math.max(0, Math.min(1, t));
  const x = ax + t * dx - px, y = ay + t * dy - py;
  return Math.sqrt(x * x + y * y);
}

export class MapView {
  constructor(canvas, { onClick, onHover, onCircle, onViewChange } = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.onClick = onClick || (() => {});
    this.onHover = onHover || (() => {});
    this.onCircle = onCircle || (() => {});
    this.onViewChange = onViewChange || (() => {});
    this.cx = 15;
    this.cy = mercY(20);
    this.k = 0; // pixels per projected degree; set by fit()
    this.countries = [];
    this.cables = [];
    this.landing = [];
    this.hubs = [];
    this.route = null;
    this.region = null;
    this.drawing = null; // {lon, lat, radiusKm} while a circle is being drawn
    this.countryFill = new Map();
    this.cutSegments = new Set();
    this.selectedCables = new Set();
    this.hoverCable = null;
    this.colourBy = "status";
    this.yearRange = [1990, 2025];
    this.circleMode = false;
    this.buckets = null;
    this._pointers = new Map();
    this._frame = 0;
    this._bind();
    this.resize();
  }

  // ------------------------------------------------------------------ data
  setCountries(fc) {
    const south = mercY(-60); // Antarctica has no cable: leave it off the map
    this.countries = (fc.features || [])
      .map((f) => {
        const parts = [];
        for (const poly of ringsOf(f.geometry)) for (const ring of poly) parts.push(projectLine(ring));
        return { props: f.properties || {}, path: pathOf(parts, true), bbox: bboxOf(parts) };
      })
      .filter((c) => (c.bbox[1] + c.bbox[3]) / 2 > south);
    this.redraw();
  }

  setCables(fc) {
    this.cables = (fc.features || []).map((f) => {
      const parts = linesOf(f.geometry).map(projectLine);
      return { props: f.properties, parts, bbox: bboxOf(parts) };
    });
    this.buckets = null;
    this.redraw();
  }

  setLanding(fc) {
    this.landing = (fc.features || []).map((f) => ({
      props: f.properties,
      x: f.geometry.coordinates[0],
      y: mercY(f.geometry.coordinates[1]),
    }));
    this.redraw();
  }

  // hubs: [{lon, lat, value, label, id}]
  setHubs(hubs) {
    const max = Math.max(1e-9, ...hubs.map((h) => h.value || 0));
    this.hubs = hubs.map((h) => ({ ...h, x: h.lon, y: mercY(h.lat), r: 3 + 15 * Math.sqrt((h.value || 0) / max) }));
    this.redraw();
  }

  setRoute(lines) {
    if (!lines || !lines.length) {
      this.route = null;
    } else {
      const parts = lines.map(projectLine);
      this.route = { parts, path: pathOf(parts), bbox: bboxOf(parts) };
    }
    this.redraw();
  }

  setRegion(feature) {
    if (!feature) {
      this.region = null;
    } else {
      const parts = [];
      for (const poly of ringsOf(feature.geometry)) for (const ring of poly) parts.push(projectLine(ring));
      this.region = { path: pathOf(parts, true), bbox: bboxOf(parts) };
    }
    this.redraw();
  }

  setCountryFill(map) {
    this.countryFill = map;
    this.redraw();
  }

  setCut(segmentIds) {
    this.cutSegments = new Set(segmentIds);
    this.buckets = null;
    this.redraw();
  }

  setSelected(cableIds) {
    this.selectedCables = new Set(cableIds);
    this.redraw();
  }

  setColourBy(mode, yearRange) {
    this.colourBy = mode;
    if (yearRange) this.yearRange = yearRange;
    this.buckets = null;
    this.redraw();
  }

  cableColour(p) {
    if (this.colourBy === "year") {
      if (p.rfs_year == null) return "#888888";
      const [a, b] = this.yearRange;
      return viridis((p.rfs_year - a) / Math.max(1, b - a));
    }
    return p.is_planned ? PALETTE.planned : PALETTE.inService;
  }

  // One Path2D per colour (and dash style): a few stroke calls per frame.
  _buildBuckets() {
    const groups = new Map();
    for (const c of this.cables) {
      if (this.cutSegments.has(c.props.segment_id)) continue;
      const key = this.cableColour(c.props) + (c.props.is_planned ? "|dash" : "");
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(...c.parts);
    }
    const cut = this.cables.filter((c) => this.cutSegments.has(c.props.segment_id)).flatMap((c) => c.parts);
    this.buckets = {
      groups: [...groups.entries()].map(([key, parts]) => ({
        colour: key.split("|")[0],
        dashed: key.endsWith("|dash"),
        path: pathOf(parts),
      })),
      cut: cut.length ? pathOf(cut) : null,
    };
  }

  // ------------------------------------------------------------------ view
  resize() {
    const rect = this.canvas.getBoundingClientRect();
    this.dpr = window.devicePixelRatio || 1;
    this.w = Math.max(1, rect.width);
    this.h = Math.max(1, rect.height);
    this.canvas.width = Math.round(this.w * this.dpr);
    this.canvas.height = Math.round(this.h * this.dpr);
    if (!this.k) this.fit();
    this.k = Math.max(this.k, this.minK());
    this.redraw();
  }

  minK() {
    return Math.min(this.w / 360, this.h / (2 * mercY(MAX_LAT))) * 0.95;
  }

  fit() {
    // The inhabited world: 170W..190E, 56S..75N.
    this.fitBounds([-170, mercY(-56), 190, mercY(75)], 16);
  }

  fitBounds([x0, y0, x1, y1], pad = 40) {
    const w = Math.max(1e-6, x1 - x0), h = Math.max(1e-6, y1 - y0);
    const k = Math.min((this.w - 2 * pad) / w, (this.h - 2 * pad) / h);
    this.k = Math.max(this.minK(), Math.min(k, 400));
    this.cx = (x0 + x1) / 2;
    this.cy = (y0 + y1) / 2;
    this._clamp();
    this.redraw();
  }

  // Centre on a point, zooming in to at least ``minK`` pixels per degree.
  centerOn(lon, lat, minK = 0) {
    this.k = Math.max(this.k, minK, this.minK());
    this.cx = lon;
    this.cy = mercY(lat);
    this._clamp();
    this.redraw();
  }

  zoomBy(f, sx = this.w / 2, sy = this.h / 2) {
    const [x, y] = this.toProjected(sx, sy);
    this.k = Math.max(this.minK(), Math.min(this.k * f, 2000));
    this.cx = x - (sx - this.w / 2) / this.k;
    this.cy = y + (sy - this.h / 2) / this.k;
    this._clamp();
    this.redraw();
  }

  panBy(dx, dy) {
    this.cx -= dx / this.k;
    this.cy += dy / this.k;
    this._clamp();
    this.redraw();
  }

  _clamp() {
    // Keep the view's centre on the map; zoomed in, keep the map edge off-screen.
    const top = mercY(MAX_LAT);
    const half = this.h / 2 / this.k;
    const lim = half >= top ? top - half * 0.5 : top - half;
    this.cy = Math.max(-Math.abs(lim), Math.min(Math.abs(lim), this.cy));
    if (this.cx > 180) this.cx -= 360;
    if (this.cx < -180) this.cx += 360;
  }

  toProjected(sx, sy) {
    return [this.cx + (sx - this.w / 2) / this.k, this.cy - (sy - this.h / 2) / this.k];
  }

  toLonLat(sx, sy) {
    const [x, y] = this.toProjected(sx, sy);
    return [((((x + 180) % 360) + 360) % 360) - 180, invMercY(y)];
  }

  toScreen(x, y, off = 0) {
    return [(x + off - this.cx) * this.k + this.w / 2, this.h / 2 - (y - this.cy) * this.k];
  }

  // The 360-degree offsets at which a copy of the world is visible.
  _offsets() {
    const half = this.w / 2 / this.k;
    const out = [];
    for (const o of [-720, -360, 0, 360, 720]) {
      if (180 + o >= this.cx - half && -180 + o <= this.cx + half) out.push(o);
    }
    return out;
  }

  redraw() {
    if (this._frame) return;
    this._frame = requestAnimationFrame(() => {
      this._frame = 0;
      this.draw();
      this.onViewChange();
    });
  }

  // ------------------------------------------------------------------ drawing
  _withWorld(off, fn) {
    const { ctx, dpr, k } = this;
    ctx.setTransform(dpr * k, 0, 0, -dpr * k, dpr * (this.w / 2 + (off - this.cx) * k), dpr * (this.h / 2 + this.cy * k));
    fn(ctx, 1 / k);
  }

  draw() {
    const { ctx, dpr } = this;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = PALETTE.ocean;
    ctx.fillRect(0, 0, this.w, this.h);
    if (!this.buckets) this._buildBuckets();
    const offsets = this._offsets();
    for (const off of offsets) this._withWorld(off, (c, px) => this._drawBase(c, px));
    for (const off of offsets) this._withWorld(off, (c, px) => this._drawLines(c, px));
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    for (const off of offsets) this._drawPoints(off);
  }

  _drawBase(ctx, px) {
    ctx.lineWidth = px;
    ctx.strokeStyle = PALETTE.graticule;
    ctx.beginPath();
    for (let lon = -180; lon <= 180; lon += 30) {
      ctx.moveTo(lon, mercY(-80));
      ctx.lineTo(lon, mercY(80));
    }
    for (let lat = -60; lat <= 60; lat += 30) {
      ctx.moveTo(-180, mercY(lat));
      ctx.lineTo(180, mercY(lat));
    }
    ctx.stroke();
    for (const c of this.countries) {
      ctx.fillStyle = this.countryFill.get(c.props.iso3) || PALETTE.land;
      ctx.fill(c.path, "evenodd");
    }
    ctx.strokeStyle = PALETTE.landStroke;
    ctx.lineWidth = 0.6 * px;
    for (const c of this.countries) ctx.stroke(c.path);
    if (this.region) {
      ctx.fillStyle = "rgba(213, 94, 0, 0.12)";
      ctx.fill(this.region.path);
      ctx.strokeStyle = PALETTE.cut;
      ctx.lineWidth = 1.5 * px;
      ctx.setLineDash([5 * px, 3 * px]);
      ctx.stroke(this.region.path);
      ctx.setLineDash([]);
    }
  }

  _drawLines(ctx, px) {
    ctx.lineJoin = "round";
    ctx.lineCap = "round";
    const base = this.k > 6 ? 1.6 : 1.1;
    for (const g of this.buckets.groups) {
      ctx.strokeStyle = g.colour;
      ctx.lineWidth = base * px;
      ctx.setLineDash(g.dashed ? [4 * px, 3 * px] : []);
      ctx.stroke(g.path);
    }
    ctx.setLineDash([]);
    if (this.buckets.cut) {
      ctx.strokeStyle = PALETTE.cut;
      ctx.lineWidth = 2.6 * px;
      ctx.setLineDash([6 * px, 3 * px]);
      ctx.stroke(this.buckets.cut);
      ctx.setLineDash([]);
    }
    const marked = this.cables.filter(
      (c) => this.selectedCables.has(c.props.cable_id) || c.props.cable_id === this.hoverCable,
    );
    for (const c of marked) {
      ctx.strokeStyle = this.cutSegments.has(c.props.segment_id) ? PALETTE.cut : PALETTE.selected;
      ctx.lineWidth = 3.2 * px;
      ctx.stroke(pathOf(c.parts));
    }
    if (this.route) {
      ctx.strokeStyle = "#ffffff";
      ctx.lineWidth = 6.5 * px;
      ctx.stroke(this.route.path);
      ctx.strokeStyle = PALETTE.route;
      ctx.lineWidth = 4 * px;
      ctx.stroke(this.route.path);
    }
    if (this.drawing) {
      const ring = circleRing(this.drawing.lon, this.drawing.lat, this.drawing.radiusKm);
      const path = pathOf([projectLine(ring)], true);
      ctx.fillStyle = "rgba(213, 94, 0, 0.15)";
      ctx.fill(path);
      ctx.strokeStyle = PALETTE.cut;
      ctx.lineWidth = 1.5 * px;
      ctx.stroke(path);
    }
  }

  _drawPoints(off) {
    const { ctx } = this;
    const r = this.k > 8 ? 2.6 : this.k > 3 ? 1.7 : 1.15;
    ctx.fillStyle = PALETTE.landing;
    ctx.beginPath();
    for (const p of this.landing) {
      const [sx, sy] = this.toScreen(p.x, p.y, off);
      if (sx < -5 || sy < -5 || sx > this.w + 5 || sy > this.h + 5) continue;
      ctx.moveTo(sx + r, sy);
      ctx.arc(sx, sy, r, 0, 2 * Math.PI);
    }
    ctx.fill();
    if (this.hubs.length) {
      ctx.lineWidth = 1;
      for (const hub of this.hubs) {
        const [sx, sy] = this.toScreen(hub.x, hub.y, off);
        if (sx < -20 || sy < -20 || sx > this.w + 20 || sy > this.h + 20) continue;
        ctx.beginPath();
        ctx.arc(sx, sy, hub.r, 0, 2 * Math.PI);
        ctx.fillStyle = "rgba(204, 121, 167, 0.45)";
        ctx.fill();
        ctx.strokeStyle = "#7a3a60";
        ctx.stroke();
      }
    }
    if (this.route) {
      for (const part of [this.route.parts[0], this.route.parts[this.route.parts.length - 1]]) {
        const ends = part === this.route.parts[0] ? [0] : [part.length - 2];
        for (const i of ends) {
          const [sx, sy] = this.toScreen(part[i], part[i + 1], off);
          ctx.beginPath();
          ctx.arc(sx, sy, 5.5, 0, 2 * Math.PI);
          ctx.fillStyle = PALETTE.route;
          ctx.fill();
          ctx.lineWidth = 2;
          ctx.strokeStyle = "#ffffff";
          ctx.stroke();
        }
      }
    }
  }

  // ------------------------------------------------------------------ hit-testing
  cableAt(sx, sy, tol = 7) {
    let best = null, bestD = tol;
    for (const off of this._offsets()) {
      const [x, y] = this.toProjected(sx, sy);
      const px = x - off, py = y, t = tol / this.k;
      for (const c of this.cables) {
        const b = c.bbox;
        if (px < b[0] - t || px > b[2] + t || py < b[1] - t || py > b[3] + t) continue;
        for (const p of c.parts) {
          for (let i = 2; i < p.length; i += 2) {
            const d = distToSegment(px, py, p[i - 2], p[i - 1], p[i], p[i + 1]) * this.k;
            if (d < bestD) {
              bestD = d;
              best = c.props;
            }
          }
        }
      }
    }
    return best;
  }

  countryAt(sx, sy) {
    const [x, y] = this.toProjected(sx, sy);
    const { ctx } = this;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    let hit = null;
    for (const off of this._offsets()) {
      const px = x - off;
      for (const c of this.countries) {
        const b = c.bbox;
        if (px < b[0] || px > b[2] || y < b[1] || y > b[3]) continue;
        if (ctx.isPointInPath(c.path, px, y, "evenodd")) {
          hit = c.props;
          break;
        }
      }
      if (hit) break;
    }
    ctx.restore();
    return hit;
  }

  hubAt(sx, sy) {
    for (const off of this._offsets()) {
      for (const hub of this.hubs) {
        const [hx, hy] = this.toScreen(hub.x, hub.y, off);
        if (Math.hypot(hx - sx, hy - sy) <= hub.r + 2) return hub;
      }
    }
    return null;
  }

  boundsOfCable(cableId) {
    const parts = this.cables.filter((c) => c.props.cable_id === cableId).flatMap((c) => c.parts);
    return parts.length ? bboxOf(parts) : null;
  }

  boundsOfSegments(ids) {
    const parts = this.cables.filter((c) => ids.has(c.props.segment_id)).flatMap((c) => c.parts);
    return parts.length ? bboxOf(parts) : null;
  }

  boundsOfCountry(iso3) {
    const c = this.countries.find((c) => c.props.iso3 === iso3);
    return c ? c.bbox : null;
  }

  // ------------------------------------------------------------------ interaction
  _bind() {
    const cv = this.canvas;
    new ResizeObserver(() => this.resize()).observe(cv);
    cv.addEventListener("wheel", (e) => {
      e.preventDefault();
      const r = cv.getBoundingClientRect();
      this.zoomBy(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    cv.addEventListener("pointerdown", (e) => this._down(e));
    cv.addEventListener("pointermove", (e) => this._move(e));
    cv.addEventListener("pointerup", (e) => this._up(e));
    cv.addEventListener("pointercancel", (e) => this._pointers.delete(e.pointerId));
    cv.addEventListener("pointerleave", () => {
      if (this.hoverCable) {
        this.hoverCable = null;
        this.redraw();
      }
      this.onHover(null);
    });
    cv.addEventListener("keydown", (e) => this._key(e));
  }

  _local(e) {
    const r = this.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  _down(e) {
    this.canvas.setPointerCapture(e.pointerId);
    const [sx, sy] = this._local(e);
    this._pointers.set(e.pointerId, { sx, sy, x0: sx, y0: sy });
    if (this.circleMode && this._pointers.size === 1) {
      const [lon, lat] = this.toLonLat(sx, sy);
      this.drawing = { lon, lat, radiusKm: 0 };
    }
  }

  _move(e) {
    const [sx, sy] = this._local(e);
    const p = this._pointers.get(e.pointerId);
    if (!p) {
      this._hover(sx, sy, e);
      return;
    }
    if (this.drawing) {
      const [lon, lat] = this.toLonLat(sx, sy);
      this.drawing.radiusKm = Math.min(5000, greatCircleKm(this.drawing.lon, this.drawing.lat, lon, lat));
      this.onHover({ kind: "circle", radiusKm: this.drawing.radiusKm, x: sx, y: sy });
      this.redraw();
      return;
    }
    if (this._pointers.size === 2) {
      const [a, b] = [...this._pointers.values()];
      const before = Math.hypot(a.sx - b.sx, a.sy - b.sy);
      p.sx = sx;
      p.sy = sy;
      const after = Math.hypot(a.sx - b.sx, a.sy - b.sy);
      if (before > 0) this.zoomBy(after / before, (a.sx + b.sx) / 2, (a.sy + b.sy) / 2);
      return;
    }
    this.panBy(sx - p.sx, sy - p.sy);
    p.sx = sx;
    p.sy = sy;
  }

  _up(e) {
    const p = this._pointers.get(e.pointerId);
    this._pointers.delete(e.pointerId);
    if (!p) return;
    const [sx, sy] = this._local(e);
    if (this.drawing) {
      const d = this.drawing;
      this.drawing = null;
      this.redraw();
      if (d.radiusKm >= 1) this.onCircle({ lon: d.lon, lat: d.lat, radius_km: Math.round(d.radiusKm) });
      return;
    }
    if (Math.hypot(sx - p.x0, sy - p.y0) < 5) {
      const tol = e.pointerType === "touch" ? 14 : 7;
      this.onClick({
        cable: this.cableAt(sx, sy, tol),
        hub: this.hubAt(sx, sy),
        country: this.countryAt(sx, sy),
        lonlat: this.toLonLat(sx, sy),
        shift: e.shiftKey,
      });
    }
  }

  _hover(sx, sy, e) {
    if (this._hoverPending) return;
    this._hoverPending = true;
    requestAnimationFrame(() => {
      this._hoverPending = false;
      const cable = this.circleMode ? null : this.cableAt(sx, sy);
      const id = cable ? cable.cable_id : null;
      if (id !== this.hoverCable) {
        this.hoverCable = id;
        this.redraw();
      }
      const hub = cable ? null : this.hubAt(sx, sy);
      const country = cable || hub ? null : this.countryAt(sx, sy);
      this.canvas.style.cursor = this.circleMode ? "crosshair" : cable || hub ? "pointer" : "grab";
      this.onHover({ cable, hub, country, x: sx, y: sy, shift: e.shiftKey });
    });
  }

  _key(e) {
    const step = 60;
    const keys = {
      ArrowLeft: () => this.panBy(step, 0),
      ArrowRight: () => this.panBy(-step, 0),
      ArrowUp: () => this.panBy(0, step),
      ArrowDown: () => this.panBy(0, -step),
      "+": () => this.zoomBy(1.4),
      "=": () => this.zoomBy(1.4),
      "-": () => this.zoomBy(1 / 1.4),
      0: () => this.fit(),
    };
    const fn = keys[e.key];
    if (fn) {
      e.preventDefault();
      fn();
    }
  }
}
