// The map: MapLibre GL JS (served from the installed `maplibre` Python package) with a
// style of our own and no tiles: a background, the country shapes, cables, landing points,
// metros, hubs, the cut, the route and the searched place, all from our API as GeoJSON.

import { GLYPH_URL, registerGlyphs } from "./glyphs.js";

const maplibregl = window.maplibregl;
registerGlyphs(maplibregl);

const EARTH_KM = 6371.0088;
const DEG = Math.PI / 180;

// Okabe-Ito (colour-blind safe) for categories, viridis for years, YlOrRd for severity.
export const PALETTE = {
  inService: "#0072B2",
  planned: "#E69F00",
  cut: "#D55E00",
  route: "#009E73",
  selected: "#CC79A7",
  landing: "#1b2430",
  hub: "#CC79A7",
  land: "#e9e6df",
  water: "#d8e6ef",
  border: "#b9b4a8",
};
export const SEVERITY_COLOURS = {
  isolated: "#bd0026",
  severe: "#f03b20",
  degraded: "#feb24c",
};
const VIRIDIS = ["#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#bddf26"];
// 12 distinct hues for "by cable" (Okabe-Ito and Tol's muted set, no greys)
export const CABLE_HUES = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#882255", "#117733", "#332288", "#AA4499", "#44AA99", "#999933"];
// Capacity classes (Tbit/s) and their colours (viridis, light = more)
export const CAPACITY_STOPS = [
  [0, "#440154"],
  [1, "#3b528b"],
  [10, "#21918c"],
  [50, "#5ec962"],
  [150, "#fde725"],
];

function hexToRgb(h) {
  const n = parseInt(h.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function viridis(t) {
  const x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const a = hexToRgb(VIRIDIS[i]);
  const b = hexToRgb(VIRIDIS[i + 1]);
  const f = x - i;
  return `rgb(${a.map((v, k) => Math.round(v + (b[k] - v) * f)).join(",")})`;
}

export function greatCircleKm(lon1, lat1, lon2, lat2) {
  const p1 = lat1 * DEG, p2 = lat2 * DEG;
  const dp = p2 - p1, dl = (lon2 - lon1) * DEG;
  const a = Math.sin(dp / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function circleRing(lon, lat, radiusKm, n = 96) {
  const d = radiusKm / EARTH_KM;
  const la = lat * DEG, lo = lon * DEG;
  const ring = [];
  for (let i = 0; i <= n; i++) {
    const b = (2 * Math.PI * i) / n;
    const lat2 = Math.asin(Math.sin(la) * Math.cos(d) + Math.cos(la) * Math.sin(d) * Math.cos(b));
    const lon2 = lo + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(la), Math.cos(d) - Math.sin(la) * Math.sin(lat2));
    ring.push([lon2 / DEG, lat2 / DEG]);
  }
  return ring;
}

function hash(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function* coordsOf(geom) {
  if (!geom) return;
  const t = geom.type;
  if (t === "Point") yield geom.coordinates;
  else if (t === "LineString" || t === "MultiPoint") yield* geom.coordinates;
  else if (t === "MultiLineString" || t === "Polygon") for (const p of geom.coordinates) yield* p;
  else if (t === "MultiPolygon") for (const poly of geom.coordinates) for (const r of poly) yield* r;
}

// The smallest longitude span holding every point, as [west, south, east, north] with
// east > west possibly past 180 (Fiji, Kiribati, Russia and the USA cross the antimeridian).
export function boundsOf(points) {
  const lons = [];
  let s = 90, n = -90;
  for (const [x, y] of points) {
    lons.push(((x % 360) + 540) % 360 - 180);
    s = Math.min(s, y);
    n = Math.max(n, y);
  }
  if (!lons.length) return null;
  lons.sort((a, b) => a - b);
  // the widest gap between consecutive longitudes (wrapping) is what the box leaves out
  let gap = lons[0] + 360 - lons[lons.length - 1], west = lons[0], east = lons[lons.length - 1];
  for (let i = 1; i < lons.length; i++) {
    const g = lons[i] - lons[i - 1];
    if (g > gap) {
      gap = g;
      west = lons[i];
      east = lons[i - 1] + 360;
    }
  }
  return [west, s, east, n];
}

const EMPTY = { type: "FeatureCollection", features: [] };
const SOURCES = ["countries", "country-labels", "cables", "landing", "metros", "hubs", "region", "route", "place"];

function baseStyle() {
  const sources = {};
  for (const id of SOURCES) sources[id] = { type: "geojson", data: EMPTY };
  sources.countries.promoteId = "iso3";
  sources.cables.promoteId = "segment_id";
  return {
    version: 8,
    glyphs: GLYPH_URL,
    projection: { type: "mercator" },
    sources,
    layers: [
      { id: "background", type: "background", paint: { "background-color": PALETTE.water } },
      {
        id: "countries-fill",
        type: "fill",
        source: "countries",
        paint: { "fill-color": ["to-color", ["coalesce", ["feature-state", "fill"], PALETTE.land]], "fill-opacity": 1 },
      },
      { id: "countries-line", type: "line", source: "countries", paint: { "line-color": PALETTE.border, "line-width": 0.6 } },
      { id: "region-fill", type: "fill", source: "region", paint: { "fill-color": PALETTE.cut, "fill-opacity": 0.12 } },
      { id: "region-line", type: "line", source: "region", paint: { "line-color": PALETTE.cut, "line-width": 1.5, "line-dasharray": [3, 2] } },
      {
        id: "cables",
        type: "line",
        source: "cables",
        layout: { "line-cap": "round", "line-join": "round" },
        paint: {
          "line-color": PALETTE.inService,
          "line-width": ["interpolate", ["linear"], ["zoom"], 1, ["case", ["boolean", ["feature-state", "hover"], false], 3, 1.3], 6, ["case", ["boolean", ["feature-state", "hover"], false], 5, 2.6]],
          "line-opacity": 0.9,
        },
      },
      {
        id: "cables-selected",
        type: "line",
        source: "cables",
        filter: ["in", ["get", "cable_id"], ["literal", []]],
        layout: { "line-cap": "round" },
        paint: { "line-color": PALETTE.selected, "line-width": 5, "line-opacity": 0.9 },
      },
      {
        id: "cables-cut",
        type: "line",
        source: "cables",
        filter: ["in", ["get", "segment_id"], ["literal", []]],
        paint: { "line-color": PALETTE.cut, "line-width": 4, "line-dasharray": [2, 1.2] },
      },
      { id: "route", type: "line", source: "route", layout: { "line-cap": "round" }, paint: { "line-color": PALETTE.route, "line-width": ["case", ["==", ["get", "rank"], 0], 5, 3], "line-opacity": ["case", ["==", ["get", "rank"], 0], 1, 0.6] } },
      {
        id: "hubs",
        type: "circle",
        source: "hubs",
        paint: { "circle-color": PALETTE.hub, "circle-opacity": 0.45, "circle-stroke-color": "#7a3b63", "circle-stroke-width": 1, "circle-radius": ["get", "r"] },
      },
      {
        id: "landing",
        type: "circle",
        source: "landing",
        paint: { "circle-color": "#ffffff", "circle-stroke-color": PALETTE.landing, "circle-stroke-width": 1, "circle-radius": ["interpolate", ["linear"], ["zoom"], 1, 1.6, 6, 4] },
      },
      {
        id: "metros",
        type: "circle",
        source: "metros",
        minzoom: 2,
        paint: { "circle-color": PALETTE.landing, "circle-radius": ["interpolate", ["linear"], ["zoom"], 2, 1.5, 6, 3.5] },
      },
      { id: "place-line", type: "line", source: "place", filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": "#1b2430", "line-width": 2.5 } },
      { id: "place-point", type: "circle", source: "place", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-radius": 9, "circle-color": "rgba(0,0,0,0)", "circle-stroke-color": "#1b2430", "circle-stroke-width": 3 } },
      {
        id: "country-labels",
        type: "symbol",
        source: "country-labels",
        layout: {
          "text-field": ["get", "name"],
          "text-font": ["sans-serif"],
          "text-size": ["interpolate", ["linear"], ["zoom"], 1, 10, 5, 14],
          "text-max-width": 7,
          "symbol-sort-key": ["-", 0, ["get", "area_deg2"]],
          "text-padding": 4,
        },
        paint: { "text-color": "#6b665c", "text-halo-color": "rgba(255,255,255,0.8)", "text-halo-width": 1.2 },
      },
      {
        id: "cable-labels",
        type: "symbol",
        source: "cables",
        minzoom: 3,
        layout: {
          "symbol-placement": "line",
          "text-field": ["get", "cable"],
          "text-font": ["sans-serif"],
          "text-size": 11,
          "symbol-spacing": 400,
          "text-max-angle": 30,
        },
        paint: { "text-color": "#123", "text-halo-color": "rgba(255,255,255,0.9)", "text-halo-width": 1.4 },
      },
      {
        id: "metro-labels",
        type: "symbol",
        source: "metros",
        minzoom: 2.5,
        layout: {
          "text-field": ["get", "name"],
          "text-font": ["sans-serif Bold"],
          "text-size": 11,
          "text-offset": [0, 0.9],
          "text-anchor": "top",
          "symbol-sort-key": ["-", 0, ["coalesce", ["get", "population"], 0]],
          "text-optional": true,
        },
        paint: { "text-color": "#1b2430", "text-halo-color": "rgba(255,255,255,0.9)", "text-halo-width": 1.4 },
      },
      {
        id: "place-label",
        type: "symbol",
        source: "place",
        filter: ["==", ["geometry-type"], "Point"],
        layout: { "text-field": ["get", "name"], "text-font": ["sans-serif Bold"], "text-size": 13, "text-offset": [0, -1.3], "text-anchor": "bottom", "text-allow-overlap": true },
        paint: { "text-color": "#1b2430", "text-halo-color": "#fff", "text-halo-width": 2 },
      },
    ],
  };
}

export class MapView {
  constructor(container, { onClick, onHover, onCircle, onBox } = {}) {
    this.handlers = { onClick, onHover, onCircle, onBox };
    this.map = new maplibregl.Map({
      container,
      style: baseStyle(),
      center: [20, 15],
      zoom: 1,
      minZoom: 0,
      maxZoom: 10,
      attributionControl: false,
      boxZoom: false,
      dragRotate: false,
      pitchWithRotate: false,
      renderWorldCopies: true,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.keyboard.disableRotation();
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    this.map.addControl(new maplibregl.ScaleControl({ maxWidth: 100 }), "top-right");
    this.loaded = new Promise((resolve) => this.map.once("load", resolve));
    this.countries = [];
    this.cables = EMPTY;
    this.hubs = [];
    this.cutSegments = new Set();
    this.selected = [];
    this.region = null;
    this.route = null;
    this.tool = null; // "circle" or "box" while drawing a cut area
    this.colourBy = "status";
    this.yearRange = [1990, 2025];
    this.projection = "mercator";
    this._fill = new Map();
    this._hover = null;
    this._bind();
  }

  src(id) {
    return this.map.getSource(id);
  }

  // ---------------------------------------------------------------- data
  setCountries(fc) {
    this.countries = fc.features;
    this._countryIndex = new Map(fc.features.map((f) => [f.properties.iso3, f]));
    this.src("countries").setData(fc);
    this.src("country-labels").setData({
      type: "FeatureCollection",
      features: fc.features
        .filter((f) => f.properties.label_lon != null)
        .map((f) => ({ type: "Feature", geometry: { type: "Point", coordinates: [f.properties.label_lon, f.properties.label_lat] }, properties: { name: f.properties.name, iso3: f.properties.iso3, area_deg2: f.properties.area_deg2 || 0 } })),
    });
  }

  setCables(fc) {
    for (const f of fc.features) f.properties.hue = CABLE_HUES[hash(f.properties.cable_id) % CABLE_HUES.length];
    this.cables = fc;
    this._cableIndex = new Map();
    for (const f of fc.features) {
      const id = f.properties.cable_id;
      if (!this._cableIndex.has(id)) this._cableIndex.set(id, []);
      this._cableIndex.get(id).push(f);
    }
    this._hover = null;
    this.src("cables").setData(fc);
  }

  setLanding(fc) {
    this.src("landing").setData(fc);
  }

  setMetros(fc) {
    this.src("metros").setData(fc);
  }

  // hubs: [{id, label, lon, lat, value, rank}]; circle area proportional to the value
  setHubs(hubs) {
    this.hubs = hubs;
    const max = Math.max(0, ...hubs.map((h) => h.value));
    this.hubMax = max;
    this.src("hubs").setData({
      type: "FeatureCollection",
      features: hubs.map((h) => ({ type: "Feature", geometry: { type: "Point", coordinates: [h.lon, h.lat] }, properties: { ...h, r: this.hubRadius(h.value) } })),
    });
  }

  hubRadius(value) {
    return this.hubMax > 0 ? 3 + 19 * Math.sqrt(Math.max(0, value) / this.hubMax) : 0;
  }

  // lines: [{coords: [[lon, lat]...], rank}] (rank 0 is the best route)
  setRoute(lines) {
    this.route = lines && lines.length ? { bbox: boundsOf(lines.flatMap((l) => l.coords)) } : null;
    this.src("route").setData({
      type: "FeatureCollection",
      features: (lines || []).map((l) => ({ type: "Feature", geometry: { type: "LineString", coordinates: l.coords }, properties: { rank: l.rank } })),
    });
  }

  setRegion(feature) {
    this.region = feature ? { feature, bbox: boundsOf(coordsOf(feature.geometry)) } : null;
    this.src("region").setData(feature ? { type: "FeatureCollection", features: [feature] } : EMPTY);
  }

  setCountryFill(fill) {
    for (const iso3 of this._fill.keys()) if (!fill.has(iso3)) this.map.removeFeatureState({ source: "countries", id: iso3 }, "fill");
    for (const [iso3, colour] of fill) this.map.setFeatureState({ source: "countries", id: iso3 }, { fill: colour });
    this._fill = new Map(fill);
  }

  setCut(segmentIds) {
    this.cutSegments = new Set(segmentIds);
    this.map.setFilter("cables-cut", ["in", ["get", "segment_id"], ["literal", [...this.cutSegments]]]);
  }

  setSelected(cableIds) {
    this.selected = cableIds;
    this.map.setFilter("cables-selected", ["in", ["get", "cable_id"], ["literal", cableIds]]);
  }

  markPlace(feature) {
    this.src("place").setData(feature ? { type: "FeatureCollection", features: [feature] } : EMPTY);
  }

  setColourBy(mode, yearRange) {
    if (yearRange) this.yearRange = yearRange;
    this.colourBy = mode;
    const [a, b] = this.yearRange;
    let colour;
    if (mode === "year") {
      const stops = [];
      for (let i = 0; i < VIRIDIS.length; i++) stops.push(a + ((b - a) * i) / (VIRIDIS.length - 1), VIRIDIS[i]);
      colour = ["case", ["==", ["get", "rfs_year"], null], "#888888", ["interpolate", ["linear"], ["get", "rfs_year"], ...stops]];
    } else if (mode === "cable") {
      colour = ["get", "hue"];
    } else if (mode === "capacity") {
      colour = ["case", ["==", ["get", "capacity_tbps"], null], "#888888", ["step", ["get", "capacity_tbps"], ...CAPACITY_STOPS.flat().slice(1)]];
    } else {
      colour = ["case", ["get", "is_planned"], PALETTE.planned, PALETTE.inService];
    }
    this.map.setPaintProperty("cables", "line-color", colour);
  }

  setProjection(kind) {
    this.projection = kind;
    this.map.setProjection({ type: kind });
    document.body.dataset.view = kind;
    // a globe shown whole fills the map box rather than a quarter of it
    if (kind === "globe" && this.map.getZoom() < this._worldZoom()) this.map.jumpTo({ zoom: this._worldZoom() });
  }

  // ---------------------------------------------------------------- camera
  fit() {
    this.map.flyTo({ center: [20, 15], zoom: this._worldZoom(), duration: 400 });
  }

  _worldZoom() {
    const c = this.map.getContainer();
    const side = this.projection === "globe" ? Math.min(c.clientWidth, c.clientHeight) : c.clientWidth;
    return Math.max(0, Math.log2(side / 512) + (this.projection === "globe" ? 1.5 : 0));
  }

  // [west, south, east, north], east may exceed 180 (boundsOf)
  fitBounds(b, pad = 40) {
    if (!b) return;
    let [w, s, e, n] = b;
    if (e - w < 0.5) {
      w -= 0.5;
      e += 0.5;
    }
    const c = this.map.getContainer();
    const p = Math.max(0, Math.min(pad, c.clientWidth / 5, c.clientHeight / 5));
    this.map.fitBounds([[w, Math.max(-80, s)], [e, Math.min(84, n)]], { padding: p, maxZoom: 7, duration: 0 });
  }

  centerOn(lon, lat, zoom = 4) {
    this.map.jumpTo({ center: [lon, lat], zoom: Math.max(this.map.getZoom(), zoom) });
  }

  zoomBy(f) {
    this.map.zoomTo(this.map.getZoom() + Math.log2(f), { duration: 200 });
  }

  boundsOfCable(id) {
    const feats = this._cableIndex?.get(id);
    return feats ? boundsOf(feats.flatMap((f) => [...coordsOf(f.geometry)])) : null;
  }

  boundsOfSegments(ids) {
    const pts = [];
    for (const f of this.cables.features) if (ids.has(f.properties.segment_id)) pts.push(...coordsOf(f.geometry));
    return boundsOf(pts);
  }

  boundsOfCountry(iso3) {
    const f = this._countryIndex?.get(iso3);
    return f ? boundsOf(coordsOf(f.geometry)) : null;
  }

  countryFeature(iso3) {
    return this._countryIndex?.get(iso3) || null;
  }

  cablePoint(id) {
    // A page point where a click picks this cable and nothing else that a click prefers
    // (hub, landing, metro): the browser tests click there. Tried from the middle of the
    // cable's longest line outwards; null while no drawn point qualifies.
    const feats = this._cableIndex?.get(id) || [];
    const lines = feats.flatMap((f) => (f.geometry.type === "LineString" ? [f.geometry.coordinates] : f.geometry.coordinates));
    lines.sort((a, b) => b.length - a.length);
    const canvas = this.map.getCanvas();
    const r = canvas.getBoundingClientRect();
    for (const line of lines) {
      const mid = Math.floor(line.length / 2);
      const order = line.map((_, i) => i).sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid));
      for (const i of order) {
        const p = this.map.project(line[i]);
        if (p.x < 10 || p.y < 10 || p.x > r.width - 10 || p.y > r.height - 10) continue;
        const hit = this._hit(p);
        if (hit.cable?.cable_id === id && !hit.hub && !hit.landing && !hit.metro) return [p.x + r.left, p.y + r.top];
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- events
  _hit(point) {
    const pad = this._coarse ? 12 : 5;
    const box = [[point.x - pad, point.y - pad], [point.x + pad, point.y + pad]];
    const feats = this.map.queryRenderedFeatures(box, { layers: ["hubs", "landing", "metros", "cables", "countries-fill"] });
    const out = { x: point.x, y: point.y };
    for (const f of feats) {
      const layer = f.layer.id;
      if (layer === "cables" && !out.cable) out.cable = f.properties;
      else if (layer === "landing" && !out.landing) out.landing = f.properties;
      else if (layer === "metros" && !out.metro) out.metro = f.properties;
      else if (layer === "hubs" && !out.hub) out.hub = f.properties;
      else if (layer === "countries-fill" && !out.country) out.country = f.properties;
    }
    return out;
  }

  _bind() {
    const m = this.map;
    this._coarse = window.matchMedia?.("(pointer: coarse)").matches || false;
    m.on("mousemove", (e) => {
      if (this._drag) return;
      const hit = this._hit(e.point);
      const seg = hit.cable ? hit.cable.segment_id : null;
      if (seg !== this._hover) {
        if (this._hover) m.setFeatureState({ source: "cables", id: this._hover }, { hover: false });
        if (seg) m.setFeatureState({ source: "cables", id: seg }, { hover: true });
        this._hover = seg;
      }
      m.getCanvas().style.cursor = this.tool ? "crosshair" : hit.cable || hit.landing || hit.metro || hit.hub ? "pointer" : "";
      this.handlers.onHover?.({ ...hit, shift: e.originalEvent.shiftKey });
    });
    m.on("mouseout", () => this.handlers.onHover?.(null));
    m.on("click", (e) => {
      if (this._suppressClick) {
        this._suppressClick = false;
        return;
      }
      const hit = this._hit(e.point);
      this.handlers.onClick?.({ ...hit, lngLat: e.lngLat, shift: e.originalEvent.shiftKey });
    });
    // long-press on touch screens: the same as shift+click (adds to the cut)
    let pressTimer = 0;
    let pressAt = null;
    m.on("touchstart", (e) => {
      if (e.points.length !== 1 || this.tool) return;
      pressAt = e.point;
      clearTimeout(pressTimer);
      pressTimer = setTimeout(() => {
        this._suppressClick = true;
        const hit = this._hit(pressAt);
        this.handlers.onClick?.({ ...hit, lngLat: m.unproject(pressAt), shift: true, longPress: true });
      }, 550);
    });
    m.on("touchmove", (e) => {
      if (pressAt && e.point.dist(pressAt) > 10) clearTimeout(pressTimer);
    });
    m.on("touchend", () => clearTimeout(pressTimer));
    // drawing a circle or a box (tools of the cut mode)
    const start = (e) => {
      if (!this.tool) return;
      e.preventDefault();
      m.dragPan.disable();
      this._drag = { from: e.lngLat, fromPt: e.point, tool: this.tool };
    };
    const move = (e) => {
      const d = this._drag;
      if (!d) return;
      if (d.tool === "circle") {
        const km = greatCircleKm(d.from.lng, d.from.lat, e.lngLat.lng, e.lngLat.lat);
        d.shape = { lon: d.from.lng, lat: d.from.lat, radius_km: Math.max(1, Math.min(5000, Math.round(km))) };
        this.setRegion({ type: "Feature", geometry: { type: "Polygon", coordinates: [circleRing(d.shape.lon, d.shape.lat, d.shape.radius_km)] }, properties: {} });
        this.handlers.onHover?.({ kind: "circle", radiusKm: d.shape.radius_km, x: e.point.x, y: e.point.y });
      } else {
        const w = Math.min(d.from.lng, e.lngLat.lng), east = Math.max(d.from.lng, e.lngLat.lng);
        const s = Math.min(d.from.lat, e.lngLat.lat), n = Math.max(d.from.lat, e.lngLat.lat);
        d.shape = { west: w, south: s, east, north: n };
        this.setRegion({ type: "Feature", geometry: { type: "Polygon", coordinates: [[[w, s], [east, s], [east, n], [w, n], [w, s]]] }, properties: {} });
      }
    };
    const end = () => {
      const d = this._drag;
      if (!d) return;
      this._drag = null;
      m.dragPan.enable();
      this._suppressClick = true;
      setTimeout(() => (this._suppressClick = false), 50);
      this.handlers.onHover?.(null);
      if (!d.shape) return;
      if (d.tool === "circle") this.handlers.onCircle?.(d.shape);
      else this.handlers.onBox?.(d.shape);
    };
    m.on("mousedown", start);
    m.on("touchstart", (e) => e.points.length === 1 && start(e));
    m.on("mousemove", move);
    m.on("touchmove", move);
    m.on("mouseup", end);
    m.on("touchend", end);
  }

  // Names of the labels drawn now (for tests and the curious).
  renderedLabels(layer) {
    return this.map.queryRenderedFeatures({ layers: [layer] }).map((f) => f.properties.name || f.properties.cable);
  }
}
