"""Rebuild each cable's physical topology: landing points, branching units and segments.

A cable is not a clique of its landing points. Its drawn route is a tree of lines: a trunk
and branches that join it at branching units. For every cable this module turns the drawn
lines and the landing points into a small graph whose nodes are landing points (shared
between cables) and branching units (one cable's own), and whose edges are **segments**
with their own geometry and geodesic (WGS84) length.

The rules, in order, all distances from :class:`undersea.settings.Settings`:

1. Drawn vertices closer than ``endpoint_merge_km`` are one point. This joins line ends
   that touch, and the two halves of a line split at the antimeridian (all nearness tests
   use 3-D unit vectors, so ±180° is no edge).
2. A line end that is near none of the cable's landing points (``landing_snap_km``) and
   lies within ``branch_join_km`` of another of the cable's lines joins it at the nearest
   point; in the middle of a line that point becomes a branching unit.
3. Each landing point is attached to the nearest point of its cable's route: by a short
   stub within ``landing_snap_km``, by a straight link flagged ``inferred`` beyond it.
4. Pieces of route that still do not touch are joined by inferred straight links between
   their closest vertices (a minimum spanning tree over the pieces); a cable without any
   geometry is therefore a minimum spanning tree of great-circle links between its landing
   points (v1 snapshots have no geometry).
5. Drawn line ends that lead to no landing point are pruned; chains of vertices between
   nodes (landing points and vertices of degree three or more) become segments.

A landing point that sits on a drawn line's *middle* (a trunk drawn through a landing
station, as at Suva on Southern Cross) is attached by a stub to a branching unit at that
spot, possibly 0 km long: losing that landing station then does not cut the trunk's
through traffic, as with the branching units of real systems.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix

from undersea.geo.sphere import km_to_chord, lonlat_to_xyz, xyz_to_lonlat
from undersea.settings import Settings, get_settings
from undersea.tables import CableSnapshot

if TYPE_CHECKING:
    from pyproj import Geod

# pyproj, scipy.spatial and scipy.sparse.csgraph are imported where a topology is built,
# not here: a network read from the cache has its topology and builds nothing.

__all__ = [
    "QualityReport",
    "Topology",
    "build_topology",
    "cable_topology",
    "geodesic_lengths",
]

#: segment kinds: drawn route, short stub to a landing point, inferred straight link
DRAWN, STUB, INFERRED = "drawn", "stub", "inferred"
#: part number of the links that attach landing points (never attached to themselves)
_LANDING_LINK = -3


# ----------------------------------------------------------------------------- geometry
def _angle_km(p: np.ndarray, q: np.ndarray, radius: float) -> np.ndarray:
    """Great-circle distance (km) between unit-ish vectors, row-wise."""
    qn = q / np.linalg.norm(q, axis=-1, keepdims=True)
    cross = np.linalg.norm(np.cross(p, qn), axis=-1)
    return np.asarray(radius * np.arctan2(cross, np.sum(p * qn, axis=-1)))


def _nearest_on_edges(
    p: np.ndarray, a: np.ndarray, b: np.ndarray, radius: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distance (km), parameter t and point from ``p`` to each chord edge ``a``-``b``."""
    ab = b - a
    den = np.einsum("ij,ij->i", ab, ab)
    t = np.where(den > 0, np.einsum("ij,ij->i", p - a, ab) / np.where(den > 0, den, 1), 0.0)
    t = np.clip(t, 0.0, 1.0)
    q = a + t[:, None] * ab
    return _angle_km(p[None, :], q, radius), t, q / np.linalg.norm(q, axis=1, keepdims=True)


@functools.cache
def _geod() -> Geod:
    from pyproj import Geod

    return Geod(ellps="WGS84")


def geodesic_lengths(coords: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """WGS84 geodesic length (km) of each polyline in CSR form (coords, offsets)."""
    n = len(offsets) - 1
    if n == 0:
        return np.zeros(0)
    if len(coords) < 2:
        return np.zeros(n)
    _, _, dist = _geod().inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    dist = np.asarray(dist) / 1000.0
    # pairs that straddle two polylines do not count
    is_last = np.zeros(len(coords) - 1, dtype=bool)
    ends = offsets[1:-1] - 1
    is_last[ends[(ends >= 0) & (ends < len(is_last))]] = True
    dist[is_last] = 0.0
    csum = np.concatenate(([0.0], np.cumsum(dist)))
    lo = offsets[:-1]
    hi = np.maximum(offsets[1:] - 1, lo)
    return np.asarray(csum[hi] - csum[lo])


def _unwrap(lonlat: np.ndarray, start_lon: float | None = None) -> np.ndarray:
    """Make longitudes continuous along a polyline (steps < 180°), optionally near a start."""
    out = lonlat.copy()
    if len(out) == 0:
        return out
    out[:, 0] = np.degrees(np.unwrap(np.radians(out[:, 0])))
    if start_lon is not None:
        out[:, 0] += 360.0 * np.round((start_lon - out[0, 0]) / 360.0)
    return out


# --------------------------------------------------------------------- per-cable graph
@dataclass
class _Graph:
    """Mutable working graph of one cable's drawn vertices (build-time only)."""

    xyz: list[np.ndarray]
    edges: list[tuple[int, int]]
    part: list[int]
    kind: list[str]
    landing_at: dict[int, str] = field(default_factory=dict)

    def add_vertex(self, v: np.ndarray) -> int:
        self.xyz.append(v)
        return len(self.xyz) - 1

    def edge_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        e = np.asarray(self.edges, dtype=np.int64).reshape(-1, 2)
        pts = np.asarray(self.xyz)
        return pts[e[:, 0]], pts[e[:, 1]]

    def degree(self) -> np.ndarray:
        e = np.asarray(self.edges, dtype=np.int64).reshape(-1, 2)
        return np.bincount(e.ravel(), minlength=len(self.xyz))

    def split_edge(self, k: int, point: np.ndarray) -> int:
        """Insert ``point`` into edge ``k``; return the new vertex."""
        u, v = self.edges[k]
        w = self.add_vertex(point)
        self.edges[k] = (u, w)
        self.edges.append((w, v))
        self.part.append(self.part[k])
        self.kind.append(self.kind[k])
        return w

    def attach(self, p: np.ndarray, exclude: Sequence[int], radius: float) -> tuple[float, int]:
        """Nearest point to ``p`` on edges of parts not in ``exclude``: (km, vertex)."""
        a, b = self.edge_arrays()
        d, t, q = _nearest_on_edges(p, a, b, radius)
        d[np.isin(np.asarray(self.part), exclude)] = np.inf
        k = int(np.argmin(d))
        if not np.isfinite(d[k]):
            return np.inf, -1
        u, v = self.edges[k]
        if t[k] <= 0.0 or np.allclose(q[k], self.xyz[u], atol=1e-9):
            return float(d[k]), u
        if t[k] >= 1.0 or np.allclose(q[k], self.xyz[v], atol=1e-9):
            return float(d[k]), v
        return float(d[k]), self.split_edge(k, q[k])


def _drawn_graph(parts: Sequence[np.ndarray], s: Settings) -> _Graph:
    """Vertices and edges of the drawn lines, near-coincident vertices merged (rule 1)."""
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    xyz = [lonlat_to_xyz(np.asarray(p, dtype=float).reshape(-1, 2)) for p in parts]
    sizes = [len(x) for x in xyz]
    pts = np.concatenate(xyz) if xyz else np.zeros((0, 3))
    starts = np.cumsum([0, *sizes])
    edges = [(starts[i] + j, starts[i] + j + 1) for i, n in enumerate(sizes) for j in range(n - 1)]
    part = [i for i, n in enumerate(sizes) for _ in range(n - 1)]
    if len(pts):
        pairs = cKDTree(pts).query_pairs(
            km_to_chord(s.endpoint_merge_km, s.earth_radius_km), output_type="ndarray"
        )
        n = len(pts)
        adj = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
        _, label = connected_components(adj, directed=False)
        first = np.full(label.max() + 1, -1)
        first[label[::-1]] = np.arange(n)[::-1]  # smallest index per merged group
        rep = first[label]
    else:
        rep = np.zeros(0, dtype=np.int64)
    keep = [(int(rep[u]), int(rep[v]), p) for (u, v), p in zip(edges, part, strict=True)]
    seen: set[tuple[int, int]] = set()
    g = _Graph(xyz=list(pts), edges=[], part=[], kind=[])
    for u, v, p in keep:
        key = (min(u, v), max(u, v))
        if u != v and key not in seen:
            seen.add(key)
            g.edges.append((u, v))
            g.part.append(p)
            g.kind.append(DRAWN)
    return g


def _join_free_ends(g: _Graph, landing_xyz: np.ndarray, s: Settings) -> None:
    """Rule 2: line ends near no landing point join the nearest other line of the cable."""
    if not g.edges:
        return
    deg = g.degree()
    ends = np.flatnonzero(deg == 1)
    if len(landing_xyz):
        from scipy.spatial import cKDTree

        near = cKDTree(landing_xyz).query(np.asarray(g.xyz)[ends])[0]
        ends = ends[near > km_to_chord(s.landing_snap_km, s.earth_radius_km)]
    for end in ends:
        k = next(i for i, e in enumerate(g.edges) if end in e)
        d, w = g.attach(g.xyz[end], [g.part[k]], s.earth_radius_km)
        if d <= s.branch_join_km and w != end:
            g.edges.append((int(end), w))
            g.part.append(-1)
            g.kind.append(DRAWN)


def _attach_landings(g: _Graph, ids: Sequence[str], landing_xyz: np.ndarray, s: Settings) -> None:
    """Rule 3: stub or inferred link from each landing point to the nearest route point."""
    for lp, p in zip(ids, landing_xyz, strict=True):
        if g.edges:
            d, w = g.attach(p, [_LANDING_LINK], s.earth_radius_km)  # not via other landings
        else:
            d, w = np.inf, -1
        if w < 0:  # no geometry: a lone vertex, joined later by the spanning tree
            g.landing_at[g.add_vertex(p)] = lp
            continue
        if d <= s.endpoint_merge_km and w not in g.landing_at and g.degree()[w] <= 1:
            g.xyz[w] = p
            g.landing_at[w] = lp
            continue
        node = g.add_vertex(p)
        g.landing_at[node] = lp
        g.edges.append((w, node))
        g.part.append(_LANDING_LINK)
        g.kind.append(STUB if d <= s.landing_snap_km else INFERRED)


def _join_components(g: _Graph) -> None:
    """Rule 4: minimum spanning tree of inferred links over pieces that do not touch."""
    from scipy.sparse.csgraph import connected_components, minimum_spanning_tree

    n = len(g.xyz)
    e = np.asarray(g.edges, dtype=np.int64).reshape(-1, 2)
    adj = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    ncomp, label = connected_components(adj, directed=False)
    if ncomp <= 1:
        return
    order = np.argsort(label, kind="stable")
    pts = np.asarray(g.xyz)[order]
    starts = np.flatnonzero(np.r_[True, np.diff(label[order]) != 0])
    # closest vertex pair between every two pieces: full chord matrix, reduced per piece
    d = np.linalg.norm(pts[:, None, :] - pts[None, :, :], axis=2)
    comp = np.minimum.reduceat(np.minimum.reduceat(d, starts, axis=0), starts, axis=1)
    np.fill_diagonal(comp, 0.0)
    mst = minimum_spanning_tree(comp).tocoo()  # pieces are > endpoint_merge_km apart: no 0
    bounds = np.r_[starts, n]
    for i, j in zip(mst.row, mst.col, strict=True):
        block = d[bounds[i] : bounds[i + 1], bounds[j] : bounds[j + 1]]
        a, b = np.unravel_index(int(np.argmin(block)), block.shape)
        g.edges.append((int(order[bounds[i] + a]), int(order[bounds[j] + b])))
        g.part.append(-4)
        g.kind.append(INFERRED)


def _prune(g: _Graph) -> None:
    """Rule 5a: drop dangling line ends that lead to no landing point (and lone loops)."""
    alive = np.ones(len(g.edges), dtype=bool)
    e = np.asarray(g.edges, dtype=np.int64).reshape(-1, 2)
    landing = np.zeros(len(g.xyz), dtype=bool)
    landing[list(g.landing_at)] = True
    while True:
        deg = np.bincount(e[alive].ravel(), minlength=len(g.xyz))
        dead_v = (deg == 1) & ~landing
        drop = alive & (dead_v[e[:, 0]] | dead_v[e[:, 1]])
        if not drop.any():
            break
        alive &= ~drop
    g.edges = [x for x, a in zip(g.edges, alive, strict=True) if a]
    g.part = [x for x, a in zip(g.part, alive, strict=True) if a]
    g.kind = [x for x, a in zip(g.kind, alive, strict=True) if a]


def _chains(g: _Graph) -> list[tuple[list[int], str]]:
    """Rule 5b: walk vertex chains between nodes; each chain is one segment."""
    deg = g.degree()
    is_node = (deg != 2) & (deg > 0)
    is_node[list(g.landing_at)] = True
    nbrs: dict[int, list[tuple[int, int]]] = {}
    for k, (u, v) in enumerate(g.edges):
        nbrs.setdefault(u, []).append((v, k))
        nbrs.setdefault(v, []).append((u, k))
    used = np.zeros(len(g.edges), dtype=bool)
    out: list[tuple[list[int], str]] = []
    for start in sorted(int(i) for i in np.flatnonzero(is_node)):
        for nxt, k in nbrs.get(start, []):
            if used[k]:
                continue
            path, kinds, prev, cur = [start], {g.kind[k]}, start, nxt
            used[k] = True
            while not is_node[cur]:
                path.append(cur)
                nk = next((w, j) for w, j in nbrs[cur] if not used[j])
                used[nk[1]] = True
                kinds.add(g.kind[nk[1]])
                prev, cur = cur, nk[0]
            del prev
            path.append(cur)
            kind = INFERRED if INFERRED in kinds else (DRAWN if DRAWN in kinds else STUB)
            if path[0] != path[-1]:
                out.append((path, kind))
    return out


@dataclass(frozen=True)
class CableGraph:
    """One cable's topology: branching units and segments (vertex paths)."""

    bu_lonlat: np.ndarray
    segments: list[tuple[str, str, np.ndarray, str]]  # (u, v, lonlat path, kind)


def cable_topology(
    cable_id: str,
    parts: Sequence[np.ndarray],
    landing_ids: Sequence[str],
    landing_lonlat: np.ndarray,
    *,
    settings: Settings | None = None,
) -> CableGraph:
    """Rebuild one cable: segments between its landing points and branching units.

    Parameters
    ----------
    cable_id
        Used to name branching units ``"<cable_id>#bu<k>"``.
    parts
        Drawn lines, each an (n, 2) lon/lat array (may be empty).
    landing_ids, landing_lonlat
        The cable's landing points and their (m, 2) lon/lat.

    Examples
    --------
    A T-junction: a trunk A–B and a branch to C that meets it in the middle.

    >>> import numpy as np
    >>> g = cable_topology("t", [np.array([[0.0, 0], [10, 0]]), np.array([[5.0, 5], [5, 0]])],
    ...                    ["A", "B", "C"], np.array([[0.0, 0], [10, 0], [5, 5]]))
    >>> sorted((u, v) for u, v, _, _ in g.segments)
    [('A', 't#bu0'), ('B', 't#bu0'), ('C', 't#bu0')]
    """
    s = settings or get_settings()
    lxyz = lonlat_to_xyz(np.asarray(landing_lonlat, dtype=float).reshape(-1, 2))
    g = _drawn_graph([p for p in parts if len(p)], s)
    _join_free_ends(g, lxyz, s)
    _attach_landings(g, list(landing_ids), lxyz, s)
    _join_components(g)
    _prune(g)
    chains = _chains(g)
    node_name: dict[int, str] = dict(g.landing_at)
    bus: list[np.ndarray] = []
    for path, _ in chains:
        for end in (path[0], path[-1]):
            if end not in node_name:
                node_name[end] = f"{cable_id}#bu{len(bus)}"
                bus.append(g.xyz[end])
    pts = np.asarray(g.xyz) if g.xyz else np.zeros((0, 3))
    segments = [
        (node_name[p[0]], node_name[p[-1]], _unwrap(xyz_to_lonlat(pts[p])), kind)
        for p, kind in chains
    ]
    bu = xyz_to_lonlat(np.asarray(bus)) if bus else np.zeros((0, 2))
    return CableGraph(bu_lonlat=bu, segments=segments)


# ------------------------------------------------------------------------ whole snapshot
@dataclass(frozen=True)
class QualityReport:
    """What the rebuilt topology says about the source data; nothing is forced to match.

    ``lengths``: per cable, drawn / inferred / total km, reported km and their ratio, with
    ``mismatch`` set where they differ by more than ``length_mismatch_tolerance``.
    ``inferred_links``: every inferred straight link (cable, ends, km).
    ``orphan_geometry``: drawn routes with no cable record (from the reader's notes).
    ``no_geometry``: cables joined only by inferred links.
    """

    lengths: pd.DataFrame
    inferred_links: pd.DataFrame
    orphan_geometry: tuple[str, ...]
    no_geometry: tuple[str, ...]

    @property
    def length_mismatches(self) -> pd.DataFrame:
        return self.lengths[self.lengths["mismatch"]]

    def summary(self) -> dict[str, int | float]:
        """Headline counts for ``undersea data info``."""
        return {
            "cables": len(self.lengths),
            "cables_without_geometry": len(self.no_geometry),
            "length_mismatches": int(self.lengths["mismatch"].sum()),
            "inferred_links": len(self.inferred_links),
            "inferred_km": round(float(self.inferred_links["length_km"].sum()), 1),
            "orphan_geometry": len(self.orphan_geometry),
        }


@dataclass(frozen=True)
class Topology:
    """Segments and branching units of every cable of a snapshot.

    ``nodes``: node_id, kind (``landing`` / ``branching_unit``), cable_id (branching units
    only), lon, lat. ``segments``: segment_id, cable_id, u, v (node ids), length_km, kind
    (``drawn`` / ``stub`` / ``inferred``), inferred (bool). Segment ``i``'s geometry is
    ``coords[offsets[i]:offsets[i + 1]]`` (lon/lat, longitudes continuous along the line).
    """

    nodes: pd.DataFrame
    segments: pd.DataFrame
    coords: np.ndarray
    offsets: np.ndarray
    quality: QualityReport


def _cable_inputs(snap: CableSnapshot) -> tuple[dict[str, list[np.ndarray]], dict[str, list[str]]]:
    routes: dict[str, list[np.ndarray]] = {}
    for cid, coords in zip(snap.cable_routes["cable_id"], snap.cable_routes["coords"], strict=True):
        routes.setdefault(cid, []).append(np.asarray(coords, dtype=float))
    landings: dict[str, list[str]] = {}
    for cid, lp in zip(
        snap.cable_landings["cable_id"], snap.cable_landings["landing_point_id"], strict=True
    ):
        landings.setdefault(cid, []).append(lp)
    return routes, landings


def build_topology(snapshot: CableSnapshot, *, settings: Settings | None = None) -> Topology:
    """Rebuild every cable of ``snapshot`` into segments and branching units.

    Cables are processed in id order, so the result does not depend on file order.
    """
    s = settings or get_settings()
    lp = snapshot.landing_points.set_index("id")
    where = dict(zip(lp.index, lp[["lon", "lat"]].to_numpy(dtype=float), strict=True))
    routes, landings = _cable_inputs(snapshot)
    seg_rows: list[tuple[str, str, str, str]] = []
    paths: list[np.ndarray] = []
    bu_rows: list[tuple[str, str, float, float]] = []
    for cid in sorted(snapshot.cables["id"]):
        ids = sorted(set(landings.get(cid, [])) & where.keys())
        lonlat = np.array([where[i] for i in ids]).reshape(-1, 2)
        graph = cable_topology(cid, routes.get(cid, []), ids, lonlat, settings=s)
        for k, (lon, lat) in enumerate(graph.bu_lonlat):
            bu_rows.append((f"{cid}#bu{k}", cid, float(lon), float(lat)))
        for u, v, path, kind in graph.segments:
            seg_rows.append((cid, u, v, kind))
            paths.append(path)
    return _assemble(snapshot, lp, seg_rows, paths, bu_rows, s)


def _assemble(
    snapshot: CableSnapshot,
    lp: pd.DataFrame,
    seg_rows: list[tuple[str, str, str, str]],
    paths: list[np.ndarray],
    bu_rows: list[tuple[str, str, float, float]],
    s: Settings,
) -> Topology:
    offsets = np.concatenate(([0], np.cumsum([len(p) for p in paths]))).astype(np.int64)
    coords = np.concatenate(paths) if paths else np.zeros((0, 2))
    segments = pd.DataFrame(seg_rows, columns=["cable_id", "u", "v", "kind"])
    segments.insert(0, "segment_id", [f"{c}:{i}" for c, i in _numbered(segments["cable_id"])])
    segments["length_km"] = geodesic_lengths(coords, offsets)
    segments["inferred"] = segments["kind"].eq(INFERRED)
    landing_nodes = pd.DataFrame(
        {
            "node_id": lp.index.to_numpy(dtype=object),
            "kind": "landing",
            "cable_id": None,
            "lon": lp["lon"].to_numpy(dtype=float),
            "lat": lp["lat"].to_numpy(dtype=float),
        }
    )
    bus = pd.DataFrame(bu_rows, columns=["node_id", "cable_id", "lon", "lat"])
    bus.insert(1, "kind", "branching_unit")
    nodes = pd.concat([landing_nodes, bus], ignore_index=True)
    quality = _quality(snapshot, segments, s)
    return Topology(nodes, segments, coords, offsets, quality)


def _numbered(values: pd.Series) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    out = []
    for v in values:
        counts[v] = counts.get(v, -1) + 1
        out.append((v, counts[v]))
    return out


def _quality(snapshot: CableSnapshot, segments: pd.DataFrame, s: Settings) -> QualityReport:
    by = (
        segments.assign(
            drawn=np.where(segments["inferred"], 0.0, segments["length_km"]),
            inferred_km=np.where(segments["inferred"], segments["length_km"], 0.0),
        )
        .groupby("cable_id")[["drawn", "inferred_km"]]
        .sum()
    )
    cab = snapshot.cables.set_index("id")
    lengths = pd.DataFrame(index=pd.Index(sorted(cab.index), name="cable_id"))
    lengths["name"] = cab["name"]
    lengths["drawn_km"] = by["drawn"].reindex(lengths.index).fillna(0.0)
    lengths["inferred_km"] = by["inferred_km"].reindex(lengths.index).fillna(0.0)
    lengths["total_km"] = lengths["drawn_km"] + lengths["inferred_km"]
    lengths["reported_km"] = cab["reported_length_km"].astype("Float64")
    ratio = lengths["total_km"] / lengths["reported_km"]
    lengths["ratio"] = ratio
    lengths["mismatch"] = (
        ((ratio - 1).abs() > s.length_mismatch_tolerance).fillna(False).astype(bool)
    )
    with_geom = set(snapshot.cable_routes["cable_id"])
    inferred = segments.loc[segments["inferred"], ["cable_id", "u", "v", "length_km"]]
    orphans = tuple(sorted(set(with_geom) - set(cab.index)))
    return QualityReport(
        lengths=lengths.reset_index(),
        inferred_links=inferred.reset_index(drop=True),
        orphan_geometry=orphans,
        no_geometry=tuple(sorted(set(cab.index) - with_geom)),
    )
