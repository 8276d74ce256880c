// Map label glyphs drawn in the browser: MapLibre asks for signed-distance-field glyph
// ranges (protobuf, 256 code points each) at the style's "glyphs" URL. With no tile or font
// server, the "undersea-glyphs://" protocol answers those requests here: each glyph is
// drawn with the page's own sans-serif font on a canvas, turned into a distance field
// (Felzenszwalb-Huttenlocher transform, as MapLibre's TinySDF does for CJK text) and
// encoded as the glyphs.proto message MapLibre reads. Nothing is fetched from anywhere.

const INF = 1e20;
const SIZE = 24; // MapLibre's glyph size
const BUFFER = 3; // MapLibre's glyph border
const RADIUS = 8;
const CUTOFF = 0.25;

class GlyphDrawer {
  constructor(fontFamily, fontWeight) {
    this.size = SIZE + BUFFER * 4;
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = this.size;
    this.ctx = canvas.getContext("2d", { willReadFrequently: true });
    this.ctx.font = `${fontWeight} ${SIZE}px ${fontFamily}`;
    this.ctx.textBaseline = "alphabetic";
    this.ctx.textAlign = "left";
    this.ctx.fillStyle = "black";
    const n = this.size * this.size;
    this.outer = new Float64Array(n);
    this.inner = new Float64Array(n);
    this.f = new Float64Array(this.size);
    this.z = new Float64Array(this.size + 1);
    this.v = new Uint16Array(this.size);
  }

  draw(ch) {
    const m = this.ctx.measureText(ch);
    const top = Math.ceil(m.actualBoundingBoxAscent);
    const w = Math.max(0, Math.min(this.size - BUFFER, Math.ceil(m.actualBoundingBoxRight - m.actualBoundingBoxLeft)));
    const h = Math.max(0, Math.min(this.size - BUFFER, top + Math.ceil(m.actualBoundingBoxDescent)));
    const width = w + 2 * BUFFER;
    const height = h + 2 * BUFFER;
    const advance = Math.round(m.width);
    if (w === 0 || h === 0) return { width: 0, height: 0, left: 0, top: 0, advance, bitmap: new Uint8Array(0) };
    const len = width * height;
    const { ctx, outer, inner } = this;
    ctx.clearRect(BUFFER, BUFFER, w, h);
    ctx.fillText(ch, BUFFER, BUFFER + top);
    const img = ctx.getImageData(BUFFER, BUFFER, w, h).data;
    outer.fill(INF, 0, len);
    inner.fill(0, 0, len);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const a = img[4 * (y * w + x) + 3] / 255;
        if (a === 0) continue;
        const j = (y + BUFFER) * width + x + BUFFER;
        if (a === 1) {
          outer[j] = 0;
          inner[j] = INF;
        } else {
          const d = 0.5 - a;
          outer[j] = d > 0 ? d * d : 0;
          inner[j] = d < 0 ? d * d : 0;
        }
      }
    }
    edt(outer, 0, 0, width, height, width, this.f, this.v, this.z);
    edt(inner, BUFFER, BUFFER, w, h, width, this.f, this.v, this.z);
    const bitmap = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const d = Math.sqrt(outer[i]) - Math.sqrt(inner[i]);
      bitmap[i] = Math.max(0, Math.min(255, Math.round(255 - 255 * (d / RADIUS + CUTOFF))));
    }
    // MapLibre's own local glyphs use the same metrics (top relative to its 24 px em box)
    return { width: w, height: h, left: 0, top: top - 27, advance, bitmap };
  }
}

function edt(data, x0, y0, width, height, stride, f, v, z) {
  for (let x = x0; x < x0 + width; x++) edt1d(data, y0 * stride + x, stride, height, f, v, z);
  for (let y = y0; y < y0 + height; y++) edt1d(data, y * stride + x0, 1, width, f, v, z);
}

function edt1d(grid, offset, step, length, f, v, z) {
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  f[0] = grid[offset];
  for (let q = 1, k = 0, s = 0; q < length; q++) {
    f[q] = grid[offset + q * step];
    const q2 = q * q;
    do {
      const r = v[k];
      s = (f[q] - f[r] + q2 - r * r) / (q - r) / 2;
    } while (s <= z[k] && --k > -1);
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = INF;
  }
  for (let q = 0, k = 0; q < length; q++) {
    while (z[k + 1] < q) k++;
    const r = v[k];
    grid[offset + q * step] = f[r] + (q - r) * (q - r);
  }
}

// ------------------------------------------------------------------ protobuf writer
class Pbf {
  constructor() {
    this.bytes = [];
  }
  varint(n) {
    let x = n >>> 0;
    while (x > 127) {
      this.bytes.push((x & 127) | 128);
      x >>>= 7;
    }
    this.bytes.push(x);
  }
  key(field, wire) {
    this.varint((field << 3) | wire);
  }
  uint(field, n) {
    this.key(field, 0);
    this.varint(n);
  }
  sint(field, n) {
    this.key(field, 0);
    this.varint((n << 1) ^ (n >> 31));
  }
  raw(field, arr) {
    this.key(field, 2);
    this.varint(arr.length);
    for (const b of arr) this.bytes.push(b);
  }
  string(field, s) {
    this.raw(field, new TextEncoder().encode(s));
  }
}

const drawers = new Map();

// The glyphs.proto message for one font stack and one range of 256 code points.
export function glyphRange(fontstack, start) {
  const bold = /bold/i.test(fontstack);
  const keyName = bold ? "bold" : "regular";
  if (!drawers.has(keyName)) drawers.set(keyName, new GlyphDrawer("system-ui, 'DejaVu Sans', Arial, sans-serif", bold ? "700" : "400"));
  const drawer = drawers.get(keyName);
  const stack = new Pbf();
  stack.string(1, fontstack);
  stack.string(2, `${start}-${start + 255}`);
  for (let id = start; id < start + 256; id++) {
    if (id < 32 || (id >= 0xd800 && id < 0xe000)) continue;
    const g = drawer.draw(String.fromCodePoint(id));
    const glyph = new Pbf();
    glyph.uint(1, id);
    if (g.bitmap.length) glyph.raw(2, g.bitmap);
    glyph.uint(3, g.width);
    glyph.uint(4, g.height);
    glyph.sint(5, g.left);
    glyph.sint(6, g.top);
    glyph.uint(7, g.advance);
    stack.raw(3, glyph.bytes);
  }
  const out = new Pbf();
  out.raw(1, stack.bytes);
  return new Uint8Array(out.bytes).buffer;
}

export const GLYPH_URL = "undersea-glyphs://{fontstack}/{range}";

// Register the protocol with MapLibre (once).
export function registerGlyphs(maplibregl) {
  maplibregl.addProtocol("undersea-glyphs", async (params) => {
    const m = /^undersea-glyphs:\/\/([^/]+)\/(\d+)-\d+/.exec(params.url);
    if (!m) throw new Error(`bad glyph request ${params.url}`);
    return { data: glyphRange(decodeURIComponent(m[1]), parseInt(m[2], 10)) };
  });
}
