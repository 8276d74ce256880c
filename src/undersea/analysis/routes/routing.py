"""Routes and latency: shortest-delay paths between places, and cable-disjoint alternatives.

**Latency models** (DESIGN.md; :mod:`undersea.analysis.routes.latency`; every constant in
:class:`~undersea.settings.Settings`). The *physical* estimate, reported as
``rtt_floor_ms``::

    one-way delay = fibre km / (c / n)  +  per_hop_delay_ms x hops
    RTT           = 2 x one-way delay

with ``c = speed_of_light_km_s`` and ``n = fibre_refractive_index`` (1.468: ~204 km of
fibre per ms, ~4.9 µs per km). The *calibrated* estimate (the default ``rtt_ms``) inflates
submarine and land fibre separately, charges a fitted time per hop and adds a fixed end
overhead, with an interval (``rtt_low_ms``, ``rtt_high_ms``); routes are then the paths of
least calibrated delay, and ``rtt_floor_ms`` is the physical estimate of the path of least
physical delay (today's figure). A **hop** is a piece of the path between two places where
traffic is handled: landing stations, metros and the route's two ends. Branching units
are passive (a trunk keeps its fibre pairs through them), so the segments of one cable
between two landing stations make *one* hop, listed once in :attr:`Route.hops` with the
segment ids it rides; every land link (backhaul, domestic, border, offshore, user, and
the *access* links of a virtual place) is one hop. The allowance is charged half at each
end of every edge that touches a landing station or metro, so the sum along any path is
exactly ``per_hop_delay_ms x hops`` (``latency_hop_ms x hops``, calibrated) and Dijkstra
over these edge weights finds the path of least delay, not merely of least fibre.

The search runs :func:`scipy.sparse.csgraph.dijkstra` on :func:`delay_graph` (the
network's usable edges, one-way ms) augmented with two nodes per virtual place: an *out*
node with access links towards its anchors and an *in* node with links from them, so no
route ever passes *through* another place's access links.

**Alternatives.** :func:`shortest_routes` returns the shortest route and up to
``alternatives`` more, each avoiding every cable used by an earlier one (all of those
cables' segments, not only the ones ridden); land links may be shared. It stops early when
no further route exists.

**No route** is an outcome: :class:`~undersea.NoRouteError` says why ("Tonga has no
in-service cable in 2005"). The same place at both ends gives a zero-length route.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from undersea._errors import (
    InvalidArgumentError,
    NoRouteError,
    UnknownNameError,
)
from undersea.analysis.routes.latency import LatencyModel, latency_model
from undersea.analysis.routes.places import Place, resolve_place
from undersea.analysis.routes.results import Hop, Route
from undersea.geo.sphere import great_circle_km
from undersea.network.core import Network
from undersea.network.graph import lightest_csr, node_labels
from undersea.network.whatif import land_link_rows
from undersea.settings import Settings

__all__ = [
    "Hop",
    "Route",
    "delay_graph",
    "fibre_km_per_ms",
    "latency_assumptions",
    "resolve_cables",
    "resolve_land_links",
    "route_to_geojson",
    "shortest_route",
    "shortest_routes",
    "split_places",
]

PlaceLike = str | tuple[float, float] | Place
_HOP_DEFINITION = (
    "a piece of the path between two places where traffic is handled (landing stations, "
    "metros, the route's ends); branching units are passive; each land link is one hop"
)


# ---------------------------------------------------------------------------- graph
def fibre_km_per_ms(settings: Settings) -> float:
    """Kilometres of fibre light covers in one millisecond (c / n)."""
    return settings.speed_of_light_km_s / settings.fibre_refractive_index / 1000.0


_FORMULA = {
    "physical": "rtt = 2 x (fibre_km / (c / n) + per_hop_delay_ms x hops)",
    "calibrated": "rtt = 2 x (submarine_factor x submarine_km / (c / n) + land_factor x "
    "land_km / (c / n) + hop_ms x hops) + end_ms; interval = rtt x interval_factors",
}


def latency_assumptions(
    net: Network, settings: Settings | None = None, *, latency: str | LatencyModel = "physical"
) -> dict[str, Any]:
    """The constants and definitions behind every delay figure (named in each result)."""
    s = settings or net.settings
    model = latency if isinstance(latency, LatencyModel) else latency_model(s, latency)
    return {
        "model": _FORMULA.get(model.name, _FORMULA["calibrated"]),
        **model.describe(),
        "speed_of_light_km_s": s.speed_of_light_km_s,
        "fibre_refractive_index": s.fibre_refractive_index,
        "fibre_km_per_ms": round(fibre_km_per_ms(s), 3),
        "per_hop_delay_ms": s.per_hop_delay_ms,
        "hop": _HOP_DEFINITION,
        "land_route_factor": s.land_route_factor,
        "backhaul_route_factor": s.backhaul_route_factor,
        "snapshot": net.provenance.snapshot_date,
        "year": net.year,
        "include_planned": net.include_planned,
    }


def _switching(net: Network) -> np.ndarray:
    """Nodes where traffic is handled (landing stations, metros): not branching units."""
    return np.asarray(net.nodes["kind"].ne("branching_unit").to_numpy(), dtype=float)


def _dedupe_csr(
    r: np.ndarray, c: np.ndarray, w: np.ndarray, ids: np.ndarray, n: int
) -> tuple[csr_matrix, csr_matrix]:
    """Weights and edge ids (+1) as CSR, keeping the lightest of parallel edges."""
    return lightest_csr(r, c, w, n), lightest_csr(r, c, w, n, ids=ids)


def delay_graph(
    net: Network,
    *,
    edge_mask: np.ndarray | None = None,
    settings: Settings | None = None,
    latency: str = "physical",
) -> csr_matrix:
    """One-way delay (ms) of every usable edge as a symmetric sparse matrix over the nodes.

    An edge's weight is its length / (c / n) (times the model's submarine or land factor)
    plus half the per-hop allowance for each of its ends that is a landing station or
    metro (see the module docstring), so path sums are one-way delays; a calibrated round
    trip is ``2 x distance + latency_end_ms``. ``edge_mask`` (bool per edge, default
    ``net.edge_active``) selects edges; ``latency`` is ``"physical"`` or ``"calibrated"``.
    """
    s = settings or net.settings
    return _build(net, (), _mask(net, edge_mask), latency_model(s, latency)).w


def _mask(net: Network, edge_mask: np.ndarray | None) -> np.ndarray:
    if edge_mask is None:
        return np.asarray(net.edge_active, dtype=bool)
    m = np.asarray(edge_mask, dtype=bool)
    if m.shape != (net.n_edges,):
        raise InvalidArgumentError(f"edge_mask must have one bool per edge ({net.n_edges})")
    return np.asarray(m & net.edge_active)


@dataclass(frozen=True)
class _Graph:
    """The delay graph of one call, with two extra nodes per virtual place."""

    w: csr_matrix
    eid: csr_matrix
    src: np.ndarray  # per place: node where its routes start
    dst: np.ndarray  # per place: node where its routes end
    access_km: np.ndarray  # per access link (edge id n_edges + j)
    owner: np.ndarray  # per extra node (index - n_nodes): its place
    n_nodes: int
    n_edges: int


def _build(net: Network, places: Sequence[Place], mask: np.ndarray, model: LatencyModel) -> _Graph:
    kpm, hop = model.km_per_ms, model.hop_ms
    n, ne = len(net.nodes), net.n_edges
    sw = _switching(net)
    e = np.flatnonzero(mask)
    u, v = net.edge_u[e], net.edge_v[e]
    factor = np.where(e < len(net.seg_u), model.submarine_factor, model.land_factor)
    w = net.edge_length_km[e] * factor / kpm + hop * 0.5 * (sw[u] + sw[v])
    rows, cols, ws, ids = [u, v], [v, u], [w, w], [e, e]
    src, dst = np.zeros(len(places), np.int64), np.zeros(len(places), np.int64)
    access: list[float] = []
    owner: list[int] = []
    for i, p in enumerate(places):
        anchors = [(a, km) for a, km in p.anchors if not net.failed_nodes[a]]
        if not p.anchors:  # a place no land link reaches: its note says why
            raise NoRouteError(f"{p.name}: {p.note}")
        if not anchors:
            raise NoRouteError(f"{p.name} is failed in this network view")
        if not p.virtual and len(anchors) == 1:
            src[i] = dst[i] = anchors[0][0]
            continue
        out, inn = n + len(owner), n + len(owner) + 1
        owner += [i, i]
        src[i], dst[i] = out, inn
        a = np.asarray([x[0] for x in anchors], dtype=np.int64)
        km = np.asarray([x[1] for x in anchors], dtype=float)
        wa = km * model.land_factor / kpm + hop * 0.5 * (1.0 + sw[a])
        j = ne + len(access) + np.arange(len(a))
        access += km.tolist()
        rows += [np.full(len(a), out), a]
        cols += [a, np.full(len(a), inn)]
        ws += [wa, wa]
        ids += [j, j]
    wm, em = _dedupe_csr(
        np.concatenate(rows),
        np.concatenate(cols),
        np.concatenate(ws),
        np.concatenate(ids),
        n + len(owner),
    )
    return _Graph(wm, em, src, dst, np.asarray(access), np.asarray(owner, np.int64), n, ne)


# ---------------------------------------------------------------------------- search
def _search(g: _Graph, i: int, j: int) -> tuple[np.ndarray, float] | None:
    """Node path of least delay from place ``i`` to place ``j`` (None: unreachable)."""
    s, t = int(g.src[i]), int(g.dst[j])
    dist, pred = dijkstra(g.w, directed=True, indices=s, return_predecessors=True)
    if not np.isfinite(dist[t]):
        return None
    path = [t]
    while path[-1] != s:  # walk the predecessor array back (path length, not edges)
        path.append(int(pred[path[-1]]))
    return np.asarray(path[::-1], dtype=np.int64), float(dist[t])


class _Namer:
    """Display names and ids of the nodes of one routing graph."""

    def __init__(self, net: Network, g: _Graph, places: Sequence[Place]) -> None:
        nodes = net.nodes
        kind = nodes["kind"].to_numpy(dtype=object)
        name = nodes["name"].fillna(nodes["node_id"]).astype(str).to_numpy(dtype=object)
        label = np.where(kind == "metro", name + ", " + nodes["iso2"].fillna("").astype(str), name)
        self.kind, self.label = kind, label
        self.ids = nodes["node_id"].to_numpy(dtype=object)
        self.g, self.places = g, places

    def name(self, i: int) -> str:
        return str(self.label[i]) if i < self.g.n_nodes else self._place(i).name

    def id(self, i: int) -> str:
        return str(self.ids[i]) if i < self.g.n_nodes else self._place(i).id

    def _place(self, i: int) -> Place:
        return self.places[int(self.g.owner[i - self.g.n_nodes])]

    def is_switching(self, i: int) -> bool:
        return i >= self.g.n_nodes or self.kind[i] != "branching_unit"


def _hops(net: Network, g: _Graph, nm: _Namer, path: np.ndarray, eids: np.ndarray) -> list[Hop]:
    """Group a path's edges into hops (cable runs between landing stations; land links)."""
    n_seg = len(net.seg_u)
    seg_ids = net.segments["segment_id"].to_numpy(dtype=object)
    link_kind = net.links["kind"].to_numpy(dtype=object)
    cables = net.all_cables
    hops: list[Hop] = []
    start, km, segs = -1, 0.0, []
    for k, e in enumerate(eids.tolist()):
        a, b = int(path[k]), int(path[k + 1])
        if e < n_seg:
            start = a if start < 0 else start
            km += float(net.edge_length_km[e])
            segs.append(str(seg_ids[e]))
            if nm.is_switching(b):
                row = cables.iloc[int(net.seg_cable[e])]
                hops.append(
                    Hop(
                        "segment",
                        str(row["name"]),
                        str(row["id"]),
                        None,
                        nm.name(start),
                        nm.name(b),
                        nm.id(start),
                        nm.id(b),
                        km,
                        tuple(segs),
                    )
                )
                start, km, segs = -1, 0.0, []
            continue
        link = "access" if e >= g.n_edges else str(link_kind[e - n_seg])
        length = float(g.access_km[e - g.n_edges] if e >= g.n_edges else net.edge_length_km[e])
        hops.append(
            Hop("land", None, None, link, nm.name(a), nm.name(b), nm.id(a), nm.id(b), length)
        )
    return hops


def _assemble(
    net: Network,
    g: _Graph,
    places: Sequence[Place],
    path: np.ndarray,
    s: Settings,
    *,
    model: LatencyModel,
    floor: float,
    rank: int,
    avoided: tuple[str, ...],
) -> Route:
    eids = np.zeros(0, dtype=np.int64)
    if len(path) > 1:
        eids = np.asarray(g.eid[path[:-1], path[1:]]).ravel().astype(np.int64) - 1
    nm = _Namer(net, g, places)
    hops = _hops(net, g, nm, path, eids)
    fibre = float(sum(h.km for h in hops))
    sub = float(sum(h.km for h in hops if h.kind == "segment"))
    rtt = float(model.rtt(sub, fibre - sub, len(hops))) if hops else 0.0  # no trip: 0
    low, high = model.bounds(rtt)
    real = path[path < g.n_nodes]
    a, b = places
    return Route(
        origin=a,
        destination=b,
        rtt_ms=rtt,
        rtt_low_ms=float(low),
        rtt_high_ms=float(high),
        rtt_floor_ms=rtt if model.name == "physical" else floor,
        latency=model.name,
        fibre_km=fibre,
        great_circle_km=float(great_circle_km(a.lon, a.lat, b.lon, b.lat, s.earth_radius_km)),
        hops=tuple(hops),
        metros=tuple(nm.name(int(i)) for i in real if nm.kind[i] == "metro"),
        landing_points=tuple(nm.name(int(i)) for i in real if nm.kind[i] == "landing"),
        rank=rank,
        avoided_cables=avoided,
        assumptions=latency_assumptions(net, s, latency=model),
        path=tuple(int(i) for i in path),
        edges=tuple(int(e) for e in eids),
    )


# ---------------------------------------------------------------------------- no route
def _no_route_reason(
    net: Network, g: _Graph, places: Sequence[Place], mask: np.ndarray, avoided: Sequence[str]
) -> str:
    """Why no path joins the two places: a side with no cable, or separate networks."""
    _, lab = connected_components(g.w, directed=True, connection="weak")
    n_seg = len(net.seg_u)
    seg_u = net.seg_u[mask[:n_seg]]
    ctx = f" in {net.year}" if net.year is not None else ""
    failed = int(net.failed_segments_mask().sum())
    if failed:
        ctx += f" with {failed} segment{'s' if failed != 1 else ''} failed"
    if avoided:
        ctx += " avoiding " + ", ".join(avoided)
    for p, node in ((places[0], g.src[0]), (places[1], g.dst[1])):
        if not (lab[seg_u] == lab[node]).any():
            what = "in-service or planned" if net.include_planned else "in-service"
            hint = _planned_hint(net, lab, node, avoided)
            return f"{p.name} has no {what} cable{ctx}{hint}"
    return f"no cable or land link joins {places[0].name} and {places[1].name}{ctx}"


def _planned_hint(net: Network, lab: np.ndarray, node: int, avoided: Sequence[str]) -> str:
    """The planned cables that would reach the node, unless avoided (by name)."""
    if net.include_planned:
        return ""
    comp = np.flatnonzero(lab[: len(net.nodes)] == lab[node])
    ids = set(net.nodes["node_id"].to_numpy(dtype=object)[comp])
    cl = net.cable_landings
    here = set(cl.loc[cl["landing_point_id"].isin(ids), "cable_id"])
    cab = net.all_cables
    ready = cab["rfs_year"].isna() | (cab["rfs_year"] <= (net.year or np.inf))  # by the year
    keep = cab["id"].isin(here) & cab["is_planned"] & ready & ~cab["name"].isin(avoided)
    planned = cab.loc[keep, "name"]
    if not len(planned):
        return ""
    return f" (planned: {', '.join(planned.astype(str))}; include_planned=True adds them)"


# ---------------------------------------------------------------------------- cables
def resolve_cables(net: Network, names: Iterable[str]) -> list[str]:
    """Cable ids for cable names, ids or the short name in brackets (``"ACE"``).

    A value that is no cable as a whole is split on commas (``"ACE,WACS"``). Unknown names
    raise :class:`~undersea.UnknownNameError` with close matches; a short name shared by
    several cables raises :class:`~undersea.AmbiguousNameError`.

    Examples
    --------
    >>> import undersea
    >>> from undersea.analysis.routes.routing import resolve_cables
    >>> resolve_cables(undersea.load(sample=True), ["ACE,WACS"])
    ['africa-coast-to-europe-ace', 'west-africa-cable-system-wacs']
    """
    out: list[str] = []
    for value in names:
        try:
            out.append(_cable_id(net, value))
        except UnknownNameError:
            if "," not in value:
                raise
            out += [_cable_id(net, p.strip()) for p in value.split(",") if p.strip()]
    return list(dict.fromkeys(out))


def _cable_id(net: Network, name: str) -> str:
    return str(net.cable(name)["id"])


# ---------------------------------------------------------------------------- land links
#: a piece such as "NG" or "US-OR" after a comma qualifies the name before it
_QUALIFIER = re.compile(r"^[A-Za-z]{2}(?:-[A-Za-z0-9]{1,3})?$")


def split_places(values: Iterable[str]) -> list[str]:
    """Place names from comma-separated text: split on ';' if any, else on ','.

    After a comma split, a piece that is an ISO2 code or region (``NG``, ``US-OR``) is
    kept with the name before it, so ``"Lagos, NG,Marseille"`` gives two places.

    Examples
    --------
    >>> split_places(["Lagos, NG,Marseille", "Alexandria, NSW, Australia;Suez"])
    ['Lagos, NG', 'Marseille', 'Alexandria, NSW, Australia', 'Suez']
    """
    out: list[str] = []
    for value in values:
        if ";" in value:
            out += [p.strip() for p in value.split(";") if p.strip()]
            continue
        pieces: list[str] = []
        for p in (x.strip() for x in value.split(",")):
            if pieces and _QUALIFIER.match(p):
                pieces[-1] = f"{pieces[-1]}, {p}"
            elif p:
                pieces.append(p)
        out += pieces
    return out


def resolve_land_links(
    net: Network, links: Iterable[str | Sequence[str]], *, strict: bool = False
) -> list[tuple[str, str]]:
    """Node-id pairs of land links named by their two ends, for ``net.without(land_links=)``.

    A link is a pair of places or one text ``"A,B"`` (``"A;B"`` when a name holds a
    comma; ``"Lagos, NG,Ibadan"`` keeps the country code with its name, as
    :func:`split_places` does). Each end is resolved as a route's end is
    (:func:`~undersea.analysis.routes.places.resolve_place`: metro ids and names, cities,
    landing points) and must be a metro or a landing point. Raises
    :class:`~undersea.UnknownNameError` for an unknown place and
    :class:`~undersea.InvalidArgumentError` for a text that is not two places, an end
    that is a country, a city with no metro or a point, or two places that no land link
    joins (the message lists the land links that leave them).

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> resolve_land_links(net, ["Brest, FR,Marseille"])
    [('metro:brest-fr', 'metro:marseille-fr')]
    """
    out: list[tuple[str, str]] = []
    for link in links:
        ends = split_places([link]) if isinstance(link, str) else [str(p) for p in link]
        if len(ends) != 2:
            raise InvalidArgumentError(
                f"a land link is its two ends, 'A,B' (or 'A;B' when a name holds a comma), "
                f"such as 'Krasnoyarsk,Dikson'; {link!r} names {len(ends)} place(s)"
            )
        a, b = (_land_end(net, e, strict=strict) for e in ends)
        land_link_rows(net, a, b)  # a pair no land link joins is refused by name
        out.append((a, b))
    return list(dict.fromkeys(out))


def _land_end(net: Network, text: str, *, strict: bool) -> str:
    place = resolve_place(net, text, strict=strict)
    if place.kind in ("metro", "landing"):
        return place.id
    raise InvalidArgumentError(
        f"{text!r} is {'an' if place.kind[0] in 'aeiou' else 'a'} {place.kind} ({place.name}): "
        "a land link's ends are metros or landing points"
    )


def _link_labels(net: Network, links: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """'A – B' for land links given as node-id pairs (metros as 'Name, ISO2')."""
    name = pd.Series(node_labels(net.nodes), index=net.nodes["node_id"])
    return tuple(f"{name[a]} – {name[b]}" for a, b in links)


# ---------------------------------------------------------------------------- public
def shortest_routes(
    net: Network,
    origin: PlaceLike,
    destination: PlaceLike,
    *,
    alternatives: int = 0,
    without: Iterable[str] = (),
    without_land: Iterable[str | Sequence[str]] = (),
    latency: str = "calibrated",
    settings: Settings | None = None,
    strict: bool = False,
) -> list[Route]:
    """The shortest-delay route and up to ``alternatives`` routes avoiding earlier cables.

    Places are resolved by :func:`~undersea.analysis.routes.places.resolve_place`. Route ``k``
    avoids every cable ridden by routes ``0..k-1``, and the border crossings of a
    land-only one among them (Yemen's road to Jeddah, then its cables: a land route
    crosses no cable to avoid); the list stops early when no such route exists, or after
    a land-only route within one country. ``without`` fails cables first (names, ids or
    short names, see :func:`resolve_cables`), as ``net.without(cables=...)`` does; every
    route lists them in its ``avoided_cables``. ``without_land`` fails land links by their two ends
    (``"Krasnoyarsk,Dikson"`` or a pair, see :func:`resolve_land_links`), as
    ``net.without(land_links=...)`` does; every route lists them in its
    ``avoided_land_links``. ``latency`` picks the model the routes are found and timed
    with: ``"calibrated"`` (estimate with interval) or ``"physical"`` (today's floor).
    Raises :class:`~undersea.NoRouteError` (with the reason) when not even the first route
    exists. ``strict=True`` refuses a place name borne by several places instead of
    choosing the most important.

    Examples
    --------
    >>> import undersea
    >>> from undersea.analysis.routes.routing import shortest_routes
    >>> net = undersea.load(sample=True)
    >>> routes = shortest_routes(net, "Lagos", "Lisbon", alternatives=1)
    >>> set(routes[0].cables).isdisjoint(routes[1].cables)
    True
    """
    if int(alternatives) < 0:
        raise InvalidArgumentError(f"alternatives must be 0 or more, not {alternatives}")
    s = settings or net.settings
    model = latency_model(s, latency)
    cut = resolve_cables(net, [without] if isinstance(without, str) else without)
    links = resolve_land_links(
        net, [without_land] if isinstance(without_land, str) else without_land, strict=strict
    )
    idle = _not_in_service(net, cut)
    if cut or links:
        net = net.without(cables=cut, land_links=links)
    land_off = _link_labels(net, links)
    places = (
        resolve_place(net, origin, settings=s, strict=strict),
        resolve_place(net, destination, settings=s, strict=strict),
    )
    base = _mask(net, None).copy()  # writable: a land-only route's borders come off it
    avoided = pd.Index(net.all_cables["id"]).isin(cut)  # told to avoid, then earlier routes'
    routes: list[Route] = []
    for rank in range(int(alternatives) + 1):
        mask = base.copy()
        mask[: len(net.seg_u)] &= ~avoided[net.seg_cable]
        names = tuple(net.all_cables["name"].to_numpy(dtype=object)[avoided].astype(str))
        route = _one_route(
            net, places, mask, s, model, rank=rank, avoided=names, avoided_land=land_off
        )
        if route is None:
            break
        routes.append(replace(route, avoided_land_links=land_off, avoided_not_in_service=idle))
        used = pd.Index(net.all_cables["id"]).get_indexer(list(route.cable_ids))
        if not len(used):  # a land-only route: the next ones avoid its border crossings
            crossed = _border_edges(net, route.edges)
            if not len(crossed):  # within one country: every alternative would be the same
                break
            base[crossed] = False
            ids = net.nodes["node_id"].to_numpy(dtype=object)
            pairs = zip(ids[net.edge_u[crossed]], ids[net.edge_v[crossed]], strict=True)
            land_off = (*land_off, *_link_labels(net, [(str(a), str(b)) for a, b in pairs]))
        avoided[used] = True
    return routes


def _border_edges(net: Network, edges: Sequence[int]) -> NDArray[np.int64]:
    """The network edges among ``edges`` that are land links between two countries."""
    e = np.asarray([x for x in edges if len(net.seg_u) <= x < net.n_edges], dtype=np.int64)
    iso = net.nodes["iso2"].astype(str).to_numpy()
    return e[iso[net.edge_u[e]] != iso[net.edge_v[e]]]


def _not_in_service(net: Network, cable_ids: Sequence[str]) -> tuple[str, ...]:
    """Names of the cables (ids) that are not in service in this view of the network."""
    cab = net.all_cables
    idle = cab["id"].isin(cable_ids).to_numpy() & ~net.cable_in_service
    return tuple(cab["name"].to_numpy(dtype=object)[idle].astype(str))


def _one_route(
    net: Network,
    places: tuple[Place, Place],
    mask: np.ndarray,
    s: Settings,
    model: LatencyModel,
    *,
    rank: int,
    avoided: tuple[str, ...],
    avoided_land: tuple[str, ...] = (),
) -> Route | None:
    a, b = places
    if a.id == b.id:
        return _zero_route(net, a, b, s, model.name) if rank == 0 else None
    g = _build(net, places, mask, model)
    found = _search(g, 0, 1)
    if found is None:
        if rank == 0:
            gone = (*avoided, *(f"land {x}" for x in avoided_land))
            raise NoRouteError(_no_route_reason(net, g, places, mask, gone))
        return None
    floor = 0.0
    if model.name != "physical":
        physical = _search(_build(net, places, mask, latency_model(s, "physical")), 0, 1)
        floor = 2.0 * physical[1] if physical is not None else np.nan
    return _assemble(
        net, g, places, found[0], s, model=model, floor=floor, rank=rank, avoided=avoided
    )


def _zero_route(net: Network, a: Place, b: Place, s: Settings, latency: str) -> Route:
    assumptions = latency_assumptions(net, s, latency=latency)
    return Route(a, b, 0.0, 0.0, 0.0, (), (), (), assumptions=assumptions, latency=latency)


def shortest_route(
    net: Network,
    origin: PlaceLike,
    destination: PlaceLike,
    *,
    latency: str = "calibrated",
    settings: Settings | None = None,
    strict: bool = False,
) -> Route:
    """The route of least delay between two places (see :func:`shortest_routes`).

    Examples
    --------
    >>> import undersea
    >>> from undersea.analysis.routes.routing import shortest_route
    >>> r = shortest_route(undersea.load(sample=True), "Lagos", "Marseille")
    >>> r.rtt_low_ms <= r.rtt_ms <= r.rtt_high_ms and r.rtt_floor_ms > r.great_circle_rtt_ms
    True
    """
    return shortest_routes(
        net, origin, destination, latency=latency, settings=settings, strict=strict
    )[0]


def route_to_geojson(net: Network, route: Route) -> dict[str, Any]:
    """The route as a GeoJSON FeatureCollection: one LineString feature per hop edge.

    Segments follow their drawn geometry (oriented along the route); land links are
    straight lines. Properties: ``hop`` (index into ``route.hops``-order edges), ``kind``,
    ``cable_id``, ``km``.
    """
    n, n_seg = len(net.nodes), len(net.seg_u)
    lon, lat = net.nodes["lon"].to_numpy(float), net.nodes["lat"].to_numpy(float)

    def xy(i: int) -> list[float]:
        if i < n:
            return [float(lon[i]), float(lat[i])]
        p = route.origin if i == route.path[0] else route.destination
        return [p.lon, p.lat]

    feats = []
    for k, e in enumerate(route.edges):
        a, b = route.path[k], route.path[k + 1]
        if 0 <= e < n_seg:
            pts = net.coords[net.offsets[e] : net.offsets[e + 1]]
            pts = pts if int(net.seg_u[e]) == a else pts[::-1]
            coords = [[float(x), float(y)] for x, y in pts]
            props: dict[str, str | None] = {
                "kind": "segment",
                "cable_id": str(net.segments["cable_id"].iloc[e]),
            }
        else:
            coords, props = [xy(a), xy(b)], {"kind": "land", "cable_id": None}
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": {"step": k, **props},
            }
        )
    return {"type": "FeatureCollection", "features": feats}
