"""Failure scenarios: which submarine segments (and landing stations) fail.

A :class:`Scenario` is two boolean masks over one network's arrays — failed segments (rows
of ``Network.segments``) and failed nodes (rows of ``Network.nodes``) — with a label and
JSON-ready details saying how it was built. Builders, one library call each:

* :func:`scenario_from_cables` — every segment of the named cables;
* :func:`scenario_from_segments` — named segments (``"<cable_id>:<k>"``) or row indices;
* :func:`scenario_from_region` — the segments whose drawn route passes through a
  :class:`~undersea.geo.regions.Circle`, :class:`~undersea.geo.regions.BBox`, polygon or GeoJSON
  (geodesic for circles, antimeridian-safe; see :mod:`undersea.geo.regions`). A region fails
  *segments*, not whole cables: the rest of a cable beyond its next branching unit or
  landing keeps working;
* :func:`scenario_from_chokepoint` — a region cut of a named chokepoint;
* :func:`scenario_from_incident` — a documented incident: the named cables' segments that
  pass through its area (names resolved fuzzily, since they change between snapshots);
* :func:`scenario_from_land_links` — land links named by their two ends (terrestrial
  fibre: a border, a backhaul, a domestic link), alone or combined with the others;
* :func:`combine` — the union of several scenarios of one network.

Only segments in service in the network view fail (a planned cable cannot break). A region
that touches no segment gives an *empty* scenario, stated in ``details["note"]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from undersea._errors import (
    InvalidArgumentError,
    InvalidScenarioError,
    UnknownNameError,
)
from undersea.geo.regions import (
    BBox,
    Circle,
    Corridor,
    PolygonRegion,
    Region,
    chokepoint,
    corridor_distances_km,
    points_in_region,
    region_from_geojson,
    region_to_geojson,
    segment_distances_km,
    segments_in_region,
)
from undersea.network.cable_names import not_in_service
from undersea.network.core import Network
from undersea.network.graph import metro_id, node_labels
from undersea.network.whatif import land_link_rows
from undersea.scenarios.incidents import Incident, incident

__all__ = [
    "EMPTY_REGION_NOTE",
    "Scenario",
    "combine",
    "resolve_cable",
    "scenario",
    "scenario_from_cables",
    "scenario_from_chokepoint",
    "scenario_from_incident",
    "scenario_from_land_links",
    "scenario_from_region",
    "scenario_from_segments",
]

#: The note of a region scenario that fails nothing.
EMPTY_REGION_NOTE = "no segment passes through this region"


def _frozen_mask(values: Any, what: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.dtype != np.bool_:
        raise InvalidScenarioError(
            f"{what} must be a 1-D boolean array, got {arr.dtype} {arr.shape}"
        )
    arr = arr.copy()
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, eq=False)
class Scenario:
    """A set of failed segments and nodes of one network.

    Attributes
    ----------
    failed_segments
        Bool per segment (rows of ``Network.segments``).
    failed_nodes
        Bool per node (rows of ``Network.nodes``): failed landing stations or metros.
    label
        Short human description ("cut: WACS", "incident 2024-03-abidjan ...").
    details
        JSON-ready facts about how it was built: ``kind``, ``cables`` (failed cables with
        failed/total segment counts), ``segments`` (failed segment ids),
        ``landing_points``, ``region`` (GeoJSON Feature or None), ``note`` and per-kind keys
        (``failed_land_links`` when land links fail).
    failed_land_links
        Bool per land link (rows of ``Network.links``), or None: none fails.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> s = scenario_from_cables(net, ["WACS"])
    >>> s.n_failed_segments > 0, s.details["cables"][0]["name"]
    (True, 'West Africa Cable System (WACS)')
    """

    failed_segments: np.ndarray
    failed_nodes: np.ndarray
    label: str
    details: Mapping[str, Any] = field(default_factory=dict)
    failed_land_links: np.ndarray | None = None

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "failed_segments", _frozen_mask(self.failed_segments, "failed_segments")
        )
        object.__setattr__(self, "failed_nodes", _frozen_mask(self.failed_nodes, "failed_nodes"))
        object.__setattr__(self, "details", MappingProxyType(dict(self.details)))
        if self.failed_land_links is not None:
            links = _frozen_mask(self.failed_land_links, "failed_land_links")
            object.__setattr__(self, "failed_land_links", links if links.any() else None)

    @property
    def n_failed_segments(self) -> int:
        """Number of failed segments."""
        return int(self.failed_segments.sum())

    @property
    def is_empty(self) -> bool:
        """True when nothing fails."""
        return not (
            self.failed_segments.any()
            or self.failed_nodes.any()
            or self.failed_land_links is not None
        )

    @property
    def kind(self) -> str:
        """How it was built: cables, segments, region, chokepoint, incident or combined."""
        return str(self.details.get("kind", "custom"))

    def check(self, net: Network) -> None:
        """Raise :class:`~undersea.InvalidScenarioError` unless it fits ``net``'s arrays."""
        links = self.failed_land_links
        if (
            len(self.failed_segments) != len(net.seg_u)
            or len(self.failed_nodes) != len(net.nodes)
            or (links is not None and len(links) != len(net.link_active))
        ):
            raise InvalidScenarioError(
                f"scenario {self.label!r} has {len(self.failed_segments)} segments and "
                f"{len(self.failed_nodes)} nodes; the network has {len(net.seg_u)} and "
                f"{len(net.nodes)} (build it from the same snapshot)"
            )

    def apply(self, net: Network) -> Network:
        """The network view with this scenario's segments and nodes failed.

        Examples
        --------
        >>> import undersea
        >>> net = undersea.load(sample=True)
        >>> cut = scenario_from_cables(net, ["WACS"]).apply(net)
        >>> cut.n_segments < net.n_segments
        True
        """
        self.check(net)
        nodes = net.nodes
        failed = np.flatnonzero(self.failed_nodes)
        kinds = nodes["kind"].to_numpy()[failed]
        ids = nodes["node_id"].to_numpy()[failed]
        segs = self.failed_segments.copy()
        bus = failed[kinds == "branching_unit"]
        segs |= np.isin(net.seg_u, bus) | np.isin(net.seg_v, bus)
        rows = np.flatnonzero(self.failed_land_links if self.failed_land_links is not None else [])
        node_id = net.nodes["node_id"].to_numpy()
        s = len(net.seg_u)
        return net.without(
            segments=np.flatnonzero(segs).tolist(),
            landing_points=[str(i) for i in ids[kinds == "landing"]],
            metros=[metro_id(i) for i in ids[kinds == "metro"]],
            land_links=[
                (str(node_id[net.edge_u[s + k]]), str(node_id[net.edge_v[s + k]])) for k in rows
            ],
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (the ``"scenario"`` object of ``undersea cut --format json``).

        Keys: ``label``, ``kind``, ``empty``, ``n_failed_segments``, ``failed_cables``
        (list of ``{id, name, failed_segments, segments}``), ``failed_segments`` (ids),
        ``failed_landing_points`` (list of ``{id, name, iso2}``), ``region`` (GeoJSON
        Feature or null), ``note`` (text or null), then the builder's own keys
        (``failed_land_links``: ``{from, to, kind, from_name, to_name}`` of each failed
        land link: its ends' node ids, its kind and its ends' names, only when some fail).
        """
        d = dict(self.details)
        out: dict[str, Any] = {
            "label": self.label,
            "kind": self.kind,
            "empty": self.is_empty,
            "n_failed_segments": self.n_failed_segments,
            "failed_cables": list(d.pop("cables", [])),
            "failed_segments": list(d.pop("segments", [])),
            "failed_landing_points": list(d.pop("landing_points", [])),
            "region": d.pop("region", None),
            "note": d.pop("note", None),
        }
        d.pop("kind", None)
        return {**out, **d}


# --------------------------------------------------------------------------- building


def _describe(net: Network, segs: np.ndarray, nodes: np.ndarray) -> dict[str, Any]:
    """Failed cables (with counts), segment ids and landing points, JSON-ready."""
    seg_ids = net.segments["segment_id"].to_numpy()
    cab = net.all_cables
    per_cable_total = np.bincount(net.seg_cable, minlength=len(cab))
    per_cable_failed = np.bincount(net.seg_cable[segs], minlength=len(cab))
    rows = np.flatnonzero(per_cable_failed)
    cables = [
        {
            "id": str(cab["id"].to_numpy()[k]),
            "name": str(cab["name"].to_numpy()[k]),
            "failed_segments": int(per_cable_failed[k]),
            "segments": int(per_cable_total[k]),
        }
        for k in rows[np.argsort(cab["name"].to_numpy()[rows], kind="stable")]
    ]
    nd = net.nodes[nodes]
    landing = nd[nd["kind"] == "landing"]
    return {
        "cables": cables,
        "segments": [str(s) for s in seg_ids[segs]],
        "landing_points": [
            {"id": str(r.node_id), "name": str(r.name), "iso2": r.iso2}
            for r in landing.itertuples(index=False)
        ],
    }


def _scenario(
    net: Network, segs: np.ndarray, nodes: np.ndarray | None, label: str, **extra: Any
) -> Scenario:
    nodes = np.zeros(len(net.nodes), dtype=bool) if nodes is None else nodes
    segs = segs & net.active
    if nodes.any():  # a failed station takes its segments with it
        segs |= (nodes[net.seg_u] | nodes[net.seg_v]) & net.active
    details = {"kind": extra.pop("kind"), **_describe(net, segs, nodes), **extra}
    details.setdefault("region", None)
    details.setdefault("note", None)
    return Scenario(segs, nodes, label, details)


def _names(names: str | Iterable[str], what: str) -> list[str]:
    out = [names] if isinstance(names, str) else [str(n) for n in names]
    if not out:
        raise InvalidScenarioError(f"give at least one {what}")
    return out


def scenario_from_cables(net: Network, names: str | Iterable[str]) -> Scenario:
    """Fail every segment of each named cable (by name or id, case-insensitive).

    Names are looked up as by every command
    (:meth:`~undersea.network.core.Network.cable_index`: an acronym, "WACS", or a spelling
    of another snapshot, "Main One", works). Raises
    :class:`~undersea.UnknownNameError` with close matches for an unknown name and
    :class:`~undersea.InvalidScenarioError` for a cable not in service in ``net``.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> scenario_from_cables(net, ["SAT-3/WASC", "WACS"]).label
    'cut: SAT-3/WASC, West Africa Cable System (WACS)'
    """
    asked = _names(names, "cable")
    rows = []
    for name in asked:
        k = net.cable_index(name)
        if not net.cable_in_service[k]:
            raise InvalidScenarioError(not_in_service(net, k, name))
        rows.append(k)
    rows = list(dict.fromkeys(rows))
    segs = np.isin(net.seg_cable, rows)
    label = "cut: " + ", ".join(str(net.all_cables["name"].to_numpy()[k]) for k in rows)
    return _scenario(net, segs, None, label, kind="cables")


def scenario_from_segments(net: Network, ids: str | int | Iterable[str | int]) -> Scenario:
    """Fail the given segments: ids such as ``"wacs:3"`` or row indices.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> sid = net.segments.loc[net.active, "segment_id"].iloc[0]
    >>> scenario_from_segments(net, [sid]).details["segments"] == [sid]
    True
    """
    items = [ids] if isinstance(ids, str | int | np.integer) else list(ids)
    if not items:
        raise InvalidScenarioError("give at least one segment")
    seg_ids = pd.Index(net.segments["segment_id"].astype(str))
    segs = np.zeros(len(seg_ids), dtype=bool)
    for s in items:
        k = _segment_row(net, s, seg_ids)
        if not net.active[k]:
            raise InvalidScenarioError(f"segment {seg_ids[k]!r} is not in service in this network")
        segs[k] = True
    shown = [str(seg_ids[k]) for k in np.flatnonzero(segs)]
    label = (
        "cut segments: "
        + ", ".join(shown[:5])
        + (f" (+{len(shown) - 5})" if len(shown) > 5 else "")
    )
    return _scenario(net, segs, None, label, kind="segments")


def _segment_row(net: Network, s: str | int, seg_ids: pd.Index) -> int:
    if isinstance(s, int | np.integer) and not isinstance(s, bool):
        if 0 <= s < len(seg_ids):
            return int(s)
        raise InvalidScenarioError(f"segment index {s} is out of range [0, {len(seg_ids)})")
    return net.segment_row(str(s), seg_ids)  # an id, or "CABLE:K" ("WACS:3")


def _as_region(region: Region | Mapping[str, Any] | str | Path) -> Region:
    if isinstance(region, Circle | BBox | PolygonRegion):
        return region
    if isinstance(region, Mapping | str | Path):
        return region_from_geojson(dict(region) if isinstance(region, Mapping) else region)
    raise InvalidScenarioError(
        f"invalid region: expected a Circle, BBox, PolygonRegion, GeoJSON object or file, "
        f"got {type(region).__name__}"
    )


def _region_label(region: Region) -> str:
    if region.name:
        return str(region.name)
    if isinstance(region, Circle):
        return f"{region.radius_km:g} km around {region.lat:g}, {region.lon:g}"
    if isinstance(region, BBox):
        return f"box {region.west:g},{region.south:g},{region.east:g},{region.north:g}"
    return "polygon"


def _stations_in(net: Network, region: Region) -> np.ndarray:
    nodes = net.nodes
    hit = points_in_region(region, nodes["lon"].to_numpy(float), nodes["lat"].to_numpy(float))
    landing = nodes["kind"].eq("landing").to_numpy(dtype=bool)
    return np.asarray(hit & landing & ~net.failed_nodes, dtype=bool)


def scenario_from_region(
    net: Network,
    region: Region | Mapping[str, Any] | str | Path,
    *,
    landing_points: bool = False,
    kind: str = "region",
) -> Scenario:
    """Fail the in-service segments whose drawn route passes through ``region``.

    ``region`` is a :class:`~undersea.geo.regions.Circle`, :class:`~undersea.geo.regions.BBox`,
    :class:`~undersea.geo.regions.PolygonRegion`, or GeoJSON (object, string or file).
    With ``landing_points=True`` the landing stations inside the region fail too (and
    with them every segment that lands there). A region touching no segment gives an
    empty scenario whose ``details["note"]`` is :data:`EMPTY_REGION_NOTE`.

    Examples
    --------
    >>> import undersea
    >>> from undersea.geo.regions import parse_circle
    >>> net = undersea.load(sample=True)
    >>> s = scenario_from_region(net, parse_circle("5.2,-4.1,120km"))
    >>> s.is_empty
    False
    >>> scenario_from_region(net, parse_circle("-60,-150,100km")).details["note"]
    'no segment passes through this region'
    """
    reg = _as_region(region)
    segs = segments_in_region(reg, net.coords, net.offsets)
    nodes = _stations_in(net, reg) if landing_points else None
    label = f"{kind}: {_region_label(reg)}"
    out = _scenario(net, segs, nodes, label, kind=kind, region=region_to_geojson(reg))
    if out.is_empty:
        return Scenario(
            out.failed_segments, out.failed_nodes, label, {**out.details, "note": EMPTY_REGION_NOTE}
        )
    return out


def scenario_from_chokepoint(net: Network, name: str, *, landing_points: bool = False) -> Scenario:
    """Fail the segments through a named chokepoint (``"bab-el-mandeb"``, ``"Strait of
    Malacca"``...; see :func:`undersea.geo.regions.chokepoints`).

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> scenario_from_chokepoint(net, "bab-el-mandeb").label
    'chokepoint: Bab-el-Mandeb and southern Red Sea'
    """
    return scenario_from_region(
        net, chokepoint(name), landing_points=landing_points, kind="chokepoint"
    )


# --------------------------------------------------------------------------- incidents


def resolve_cable(net: Network, name: str) -> int | None:
    """Row of ``net.all_cables`` that ``name`` most likely means, or None: what
    :meth:`~undersea.network.core.Network.cable_index` finds, every command's cable lookup
    (names change between snapshots: "Main One" / "MainOne", "FLAG FALCON" / "FALCON").

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> net.all_cables["name"].iat[resolve_cable(net, "Main One")]
    'MainOne'
    >>> resolve_cable(net, "No Such Cable") is None
    True
    """
    try:
        return net.cable_index(name)
    except UnknownNameError:
        return None


def _incident_segments(
    net: Network, rows: Sequence[int], area: Circle | Corridor, nearest_km: float
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Segments of cables ``rows`` through ``area``; a cable that misses the area
    loses its nearest in-service segment within ``nearest_km`` of the area's edge instead."""
    distances: Callable[[], np.ndarray]
    if isinstance(area, Corridor):  # one set of distances decides the area and the fallback
        reach, along = area.width_km, corridor_distances_km(area, net.coords, net.offsets)
        in_area, distances = along <= reach, lambda: along
    else:
        reach, in_area = area.radius_km, segments_in_region(area, net.coords, net.offsets)
        distances = partial(segment_distances_km, area.lon, area.lat, net.coords, net.offsets)
    segs = in_area & net.active & np.isin(net.seg_cable, rows)
    fallback = []
    missing = [k for k in rows if not (segs & (net.seg_cable == k)).any()]
    if missing:
        dist = distances()
        for k in missing:
            mine = np.flatnonzero((net.seg_cable == k) & net.active)
            if len(mine) == 0:
                continue
            j = int(mine[np.argmin(dist[mine])])
            if dist[j] - reach <= nearest_km:
                segs[j] = True
                fallback.append(
                    {
                        "cable": str(net.all_cables["name"].to_numpy()[k]),
                        "segment": str(net.segments["segment_id"].to_numpy()[j]),
                        "distance_km": round(float(dist[j]), 1),
                    }
                )
    return segs, fallback


def scenario_from_incident(
    net: Network, incident_id: str | Incident, *, nearest_km: float | None = None
) -> Scenario:
    """Replay a documented incident: fail the named cables' segments through its area.

    Cable names are resolved with :func:`resolve_cable`; names that match nothing, and
    cables not in service in ``net`` (built later, or retired before the snapshot), are
    listed in ``details["unresolved_cables"]`` and ``details["not_in_service"]`` rather
    than raising. A named cable whose route misses the area in this snapshot (older
    snapshots draw cables as straight lines between landings) loses its nearest segment
    instead when that lies within ``nearest_km`` of the area's edge (default: the setting
    ``incident_nearest_segment_km``); these are listed in ``details["nearest"]``.
    Earlier incidents still unrepaired on the date (``Incident.unrepaired``) fail too.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> s = scenario_from_incident(net, "2024-03-abidjan")
    >>> [c["name"] for c in s.details["cables"]][:2]
    ['Africa Coast to Europe (ACE)', 'MainOne']
    """
    inc = incident_id if isinstance(incident_id, Incident) else incident(incident_id)
    limit = net.settings.incident_nearest_segment_km if nearest_km is None else float(nearest_km)
    if not limit >= 0:
        raise InvalidArgumentError(f"nearest_km must be >= 0, got {nearest_km!r}")
    resolved: dict[str, str | None] = {}
    rows: list[int] = []
    unresolved: list[str] = []
    absent: list[str] = []
    for name in inc.cables:
        k = resolve_cable(net, name)
        resolved[name] = None if k is None else str(net.all_cables["name"].to_numpy()[k])
        if k is None:
            unresolved.append(name)
        elif not net.cable_in_service[k]:
            absent.append(str(resolved[name]))
        else:
            rows.append(k)
    segs, fallback = _incident_segments(net, rows, inc.location, limit)
    for other in inc.unrepaired:  # the network as it stood: earlier damage not yet repaired
        segs |= scenario_from_incident(net, other, nearest_km=limit).failed_segments
    return _scenario(
        net,
        segs,
        None,
        f"incident {inc.id}: {inc.name}",
        kind="incident",
        region=region_to_geojson(inc.location),
        incident=inc.id,
        resolved_cables=resolved,
        unresolved_cables=unresolved,
        not_in_service=absent,
        nearest=fallback,
        unrepaired=list(inc.unrepaired),
        note=None if (segs & net.active).any() else _fails_nothing(net, absent, unresolved),
    )


def _fails_nothing(net: Network, absent: list[str], unresolved: list[str]) -> str:
    """The note of an incident that fails nothing in ``net``, saying why."""
    why = [
        f"{what}: {', '.join(names)}"
        for what, names in (("not in service", absent), ("not in the data", unresolved))
        if names
    ]
    when = f" (as of {net.year})" if net.year is not None else ""
    return f"the incident fails nothing in this network{when}" + (
        f"; its cables {'; '.join(why)}" if why else "; its cables miss its area"
    )


# --------------------------------------------------------------------------- one entry point


def scenario(
    net: Network,
    *,
    cables: str | Iterable[str] = (),
    segments: str | int | Iterable[str | int] = (),
    regions: Iterable[Region | Mapping[str, Any] | str | Path] = (),
    chokepoint: str | None = None,
    incident: str | Incident | None = None,
    landing_points: bool = False,
    land_links: Iterable[Sequence[str]] = (),
) -> Scenario:
    """The scenario that fails everything named, combined: the one entry point.

    The CLI (``undersea cut``, ``undersea incident run``), the web API (``POST /api/cut``)
    and the library build scenarios through this function, so the same request gives the
    same scenario everywhere.

    Parameters
    ----------
    net
        The network the scenario is built on.
    cables
        Cable names, ids or acronyms: every segment of each fails.
    segments
        Segment ids (``"<cable id>:<k>"``) or row numbers.
    regions
        Circles, boxes, polygons, GeoJSON (see :func:`scenario_from_region`): every segment
        whose route passes through fails, only inside the region.
    chokepoint
        A named chokepoint (:func:`undersea.geo.regions.chokepoints`).
    incident
        A documented incident (its id or record), replayed as it happened.
    landing_points
        Regions and chokepoints also fail the landing stations inside them.
    land_links
        Land links by their two ends (:func:`scenario_from_land_links`).

    Raises
    ------
    InvalidScenarioError
        Nothing was named, or a name does not fit the network.
    UnknownNameError
        A cable, segment, chokepoint or incident that does not exist.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> s = scenario(net, cables=["WACS"], regions=[Circle(3.4, 6.4, 50.0)])
    >>> s.kind
    'combined'
    """
    parts: list[Scenario] = []
    cable_list = _as_list(cables)
    segment_list = _as_list(segments)
    if cable_list:
        parts.append(scenario_from_cables(net, cable_list))
    if segment_list:
        parts.append(scenario_from_segments(net, segment_list))
    for area in regions:
        parts.append(scenario_from_region(net, area, landing_points=landing_points))
    if chokepoint:
        parts.append(scenario_from_chokepoint(net, chokepoint, landing_points=landing_points))
    if incident is not None:
        parts.append(scenario_from_incident(net, incident))
    link_list = list(land_links)
    if link_list:
        parts.append(scenario_from_land_links(net, link_list))
    if not parts:
        raise InvalidScenarioError(
            "nothing to cut: name cables, segments, regions, a chokepoint, an incident or "
            "land links"
        )
    if len(parts) == 1:
        return parts[0]
    out = combine(*parts)
    if out.is_empty:
        return Scenario(
            out.failed_segments,
            out.failed_nodes,
            out.label,
            {**out.details, "note": EMPTY_REGION_NOTE},
        )
    return out


def scenario_from_land_links(net: Network, pairs: Iterable[Sequence[str]]) -> Scenario:
    """Fail the land links named by their two ends: node ids, metros or landing points,
    as :meth:`Network.without` takes them (``land_links=``); every link between the two
    fails, and a pair no land link joins is refused, naming the links that leave each end
    (:func:`~undersea.network.whatif.land_link_rows`).

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> s = scenario_from_land_links(net, [("Brest", "Marseille")])
    >>> s.label, s.n_failed_segments
    ('cut land links: Brest, FR – Marseille, FR', 0)
    """
    items = [tuple(p) for p in pairs]
    if not items:
        raise InvalidScenarioError("give at least one land link")
    links = np.zeros(len(net.link_active), dtype=bool)
    for pair in items:
        if len(pair) != 2:
            raise InvalidScenarioError(f"a land link is a pair of ends, got {pair!r}")
        links[land_link_rows(net, str(pair[0]), str(pair[1]))] = True
    links &= net.link_active
    rows = np.flatnonzero(links)
    s = len(net.seg_u)
    u, v = net.edge_u[s + rows], net.edge_v[s + rows]
    ids, names = net.nodes["node_id"].to_numpy(), node_labels(net.nodes)
    kinds = net.links["kind"].to_numpy()[rows]
    label = "cut land links: " + ", ".join(
        f"{names[a]} – {names[b]}" for a, b in zip(u, v, strict=True)
    )
    described = [
        {
            "from": str(ids[a]),
            "to": str(ids[b]),
            "kind": str(k),
            "from_name": str(names[a]),
            "to_name": str(names[b]),
        }
        for a, b, k in zip(u, v, kinds, strict=True)
    ]
    nothing = np.zeros(len(net.seg_u), dtype=bool)
    base = _scenario(net, nothing, None, label, kind="land_links")
    details = {**base.details, "failed_land_links": described}
    if not rows.size:
        details["note"] = "these land links are not in use in this network"
    return Scenario(base.failed_segments, base.failed_nodes, label, details, links)


def _as_list(names: str | int | Iterable[Any]) -> list[Any]:
    """One name or many, as a list (a generator is read once)."""
    return [names] if isinstance(names, str | int | np.integer) else list(names)


# --------------------------------------------------------------------------- combining


def combine(*scenarios: Scenario, label: str | None = None) -> Scenario:
    """The union of scenarios built on one network (same segment and node arrays).

    Its details recount the failed cables, segments and landing stations, keep the one
    region when one part has a region, join the parts' notes, keep each builder's own
    details (an incident's ``unrepaired``, ``nearest``...) and list the parts' details
    under ``parts``.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> a = scenario_from_cables(net, ["WACS"])
    >>> b = scenario_from_cables(net, ["MainOne"])
    >>> combine(a, b).n_failed_segments == a.n_failed_segments + b.n_failed_segments
    True
    """
    if not scenarios:
        raise InvalidScenarioError("combine needs at least one scenario")
    first = scenarios[0]
    for s in scenarios[1:]:
        if s.failed_segments.shape != first.failed_segments.shape or (
            s.failed_nodes.shape != first.failed_nodes.shape
        ):
            raise InvalidScenarioError(
                f"cannot combine {first.label!r} and {s.label!r}: built on different networks"
            )
    segs = np.logical_or.reduce([s.failed_segments for s in scenarios])
    nodes = np.logical_or.reduce([s.failed_nodes for s in scenarios])
    masks = [s.failed_land_links for s in scenarios if s.failed_land_links is not None]
    if len({len(m) for m in masks}) > 1:
        raise InvalidScenarioError("cannot combine scenarios built on different networks")
    links = np.logical_or.reduce(masks) if masks else None
    described = [link for s in scenarios for link in s.details.get("failed_land_links", [])]
    regions = [s.details["region"] for s in scenarios if s.details.get("region") is not None]
    notes = list(dict.fromkeys(s.details["note"] for s in scenarios if s.details.get("note")))
    details = {
        "kind": "combined",
        **_merge_described(scenarios),
        "region": regions[0] if len(regions) == 1 else None,
        "note": "; ".join(notes) or None,
        **_merge_own(scenarios),
        "parts": [dict(s.details) for s in scenarios],
        **({"failed_land_links": described} if described else {}),
    }
    text = label or " + ".join(s.label for s in scenarios)
    return Scenario(segs, nodes, text, details, links)


#: The details every builder writes, which :func:`combine` recomputes for the union.
_SHARED_KEYS = frozenset(
    {"kind", "cables", "segments", "landing_points", "region", "note", "parts", "failed_land_links"}
)


def _merge_own(scenarios: Sequence[Scenario]) -> dict[str, Any]:
    """The builders' own details (an incident's ``unrepaired``, ``nearest``,
    ``not_in_service``...), kept in the union: lists joined without repeats, mappings
    merged, any other value the first part's."""
    out: dict[str, Any] = {}
    for s in scenarios:
        for key, value in s.details.items():
            if key in _SHARED_KEYS:
                continue
            have = out.get(key)
            if isinstance(have, list) and isinstance(value, list):
                out[key] = have + [v for v in value if v not in have]
            elif isinstance(have, dict) and isinstance(value, Mapping):
                out[key] = {**value, **have}
            elif key not in out:
                out[key] = (
                    list(value)
                    if isinstance(value, list)
                    else dict(value)
                    if isinstance(value, Mapping)
                    else value
                )
    return out


def _merge_described(scenarios: Sequence[Scenario]) -> dict[str, Any]:
    seg_ids = list(dict.fromkeys(i for s in scenarios for i in s.details.get("segments", [])))
    per_cable: dict[str, dict[str, Any]] = {}
    for s in scenarios:
        for c in s.details.get("cables", []):
            per_cable.setdefault(c["id"], dict(c))
    counts = pd.Series([i.rsplit(":", 1)[0] for i in seg_ids], dtype=object).value_counts()
    for cid, c in per_cable.items():
        c["failed_segments"] = int(counts.get(cid, 0))
    stations = {lp["id"]: lp for s in scenarios for lp in s.details.get("landing_points", [])}
    return {
        "cables": sorted(per_cable.values(), key=lambda c: c["name"]),
        "segments": seg_ids,
        "landing_points": list(stations.values()),
    }
