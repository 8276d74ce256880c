"""What-if edits: new cables, new landings (branches), new land links, retired cables;
and the one lookup of an existing land link by its two ends (:func:`land_link_rows`).

Each edit returns a new :class:`~undersea.network.core.Network`; the original never changes.
New nodes, segments and links are *appended*, so every index of the original network
means the same thing in the edited one and results compare row by row.

A new cable is rebuilt by the same topology rules as the map's cables
(:func:`undersea.network.topology.cable_topology`). Without a drawn route its landing points are
joined in the given order by planned legs (:mod:`undersea.network.sea_routes`: a great
circle at sea, else one bend or the sea route round the land), whose length is multiplied by
``Settings.planned_route_factor``, fitted on the map's drawn routes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from undersea._errors import AmbiguousNameError, InvalidArgumentError, UnknownNameError
from undersea.geo.gazetteer import name_key
from undersea.geo.sphere import great_circle_km
from undersea.network.cable_names import not_in_service
from undersea.network.core import Network, short_cable_names
from undersea.network.graph import metro_id, metro_node, metro_nodes, node_labels
from undersea.network.sea_routes import planned_path
from undersea.network.topology import cable_topology, geodesic_lengths

__all__ = [
    "RFS_YEARS",
    "NewLanding",
    "build_year",
    "cable_name_keys",
    "check_capacity_tbps",
    "check_length_km",
    "check_rfs_year",
    "land_link_rows",
    "land_places",
    "name_taken",
    "new_landing_for",
    "retire_cable",
    "with_cable",
    "with_land_link",
    "with_landing",
]

#: Ready-for-service years a new cable may have: from 1986, when the first international
#: submarine fibre-optic cable (UK-Belgium 5) entered service (the systems before it,
#: coaxial and telegraph, carry no internet traffic and the capacity model starts with
#: TAT-8 in 1988), to 2100, beyond every announced plan.
RFS_YEARS = (1986, 2100)


@dataclass(frozen=True)
class NewLanding:
    """A landing point that is not in the data yet. ``note``: how it was made from what
    a user named (a town, a metro without landing point), shown with the new landing
    point in the edit's tables (the landing points table's ``note`` column)."""

    name: str
    lon: float
    lat: float
    iso2: str
    note: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not (-180 <= self.lon <= 180 and -90 <= self.lat <= 90):
            raise InvalidArgumentError(f"new landing {self.name!r}: lon/lat out of range")
        if len(self.iso2) != 2:
            raise InvalidArgumentError(f"new landing {self.name!r}: iso2 must be two letters")


LandingSpec = str | NewLanding | Mapping[str, Any]


def check_rfs_year(value: Any, *, name: str = "rfs_year") -> int:
    """``value`` as a ready-for-service year within :data:`RFS_YEARS`, else
    :class:`InvalidArgumentError` naming ``name`` (the CLI passes its flag).

    >>> check_rfs_year(1800)
    Traceback (most recent call last):
    ...
    undersea._errors.InvalidArgumentError: rfs_year must be a year from 1986 to 2100 ...
    """
    first, last = RFS_YEARS
    whole = isinstance(value, int | np.integer) or (
        isinstance(value, float | np.floating) and float(value).is_integer()
    )
    if isinstance(value, bool) or not whole:
        raise InvalidArgumentError(f"{name} must be a whole year, got {value!r}")
    if not first <= value <= last:
        raise InvalidArgumentError(
            f"{name} must be a year from {first} to {last} (the fibre-optic era), got {value!r}"
        )
    return int(value)


def check_capacity_tbps(value: Any, *, name: str = "capacity_tbps") -> float:
    """``value`` as a design capacity in Tbit/s: a finite number above 0."""
    return _positive(value, name, "Tbit/s")


def check_length_km(value: Any, *, name: str = "length_km") -> float:
    """``value`` as a length in km: a finite number above 0."""
    return _positive(value, name, "km")


def _positive(value: Any, name: str, unit: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    if isinstance(value, bool) or not (math.isfinite(x) and x > 0):
        raise InvalidArgumentError(
            f"{name} must be a finite number of {unit} above 0, got {value!r}"
        )
    return x


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "new"


@dataclass(frozen=True)
class _Place:
    """A landing spec resolved: the landing point's id, the new landing it is (else
    None) and the metro id when the spec named a metro rather than a landing point."""

    id: str
    new: NewLanding | None = None
    metro: str | None = None


def _resolve(net: Network, spec: LandingSpec) -> _Place:
    """Landing point for a name, a metro (its first landing point), or a new landing."""
    if isinstance(spec, Mapping):
        spec = NewLanding(
            str(spec["name"]), float(spec["lon"]), float(spec["lat"]), str(spec["iso2"]).upper()
        )
    if isinstance(spec, NewLanding):
        return _new_place(net, spec)
    try:
        return _Place(str(net.landing_point(spec)["id"]))
    except UnknownNameError as first:
        if net.metros is None or net.landing_metro is None:
            raise
        try:
            m = net.metro(spec)
        except UnknownNameError as second:
            raise _neither(spec, first, second, hint=_NEW_LANDING_HINT) from None
        mid = str(m["metro_id"])
        lm = net.landing_metro
        ids = sorted(lm.loc[lm["metro_id"] == mid, "landing_point_id"])
        if ids:
            return _Place(ids[0], metro=mid)
        new = NewLanding(str(m["name"]), float(m["lon"]), float(m["lat"]), str(m["iso2"]))
        return replace(_new_place(net, new), metro=mid)


def new_landing_for(net: Network, spec: LandingSpec) -> NewLanding | None:
    """The new landing point :func:`with_cable` and :func:`with_landing` would make of
    ``spec`` (a metro without landing point: one at its centre; a :class:`NewLanding`),
    None where ``spec`` is a landing point of ``net`` (or one an earlier edit made).
    Raises :class:`~undersea.UnknownNameError` for a name that is neither a landing point
    nor a metro."""
    return _resolve(net, spec).new


def _new_place(net: Network, new: NewLanding) -> _Place:
    """A new landing, or the one an earlier edit made of the same name and country (a
    new cable and a branch to one new town); the same name elsewhere is refused."""
    lp_id = f"new-{_slug(new.name)}-{new.iso2.lower()}"
    lp = net.all_landing_points
    old = lp[lp["id"] == lp_id]
    if not len(old):
        return _Place(lp_id, new)
    lon, lat = float(old["lon"].iloc[0]), float(old["lat"].iloc[0])
    km = float(great_circle_km(lon, lat, new.lon, new.lat))
    if km > net.settings.landing_snap_km:
        raise InvalidArgumentError(
            f"new landing {new.name!r}: a new landing point of that name ({lp_id}) is at "
            f"{lon:g}, {lat:g} already, {km:,.0f} km away: give this one another name"
        )
    return _Place(lp_id)


def build_year(net: Network) -> int:
    """The year a new build enters service in: the view's year, else the snapshot's.

    Examples
    --------
    >>> import undersea
    >>> build_year(undersea.load(sample=True).as_of(2015))
    2015
    """
    if net.year is not None:
        return int(net.year)
    return int(str(net.provenance.snapshot_date)[:4])


def with_cable(
    net: Network,
    name: str,
    landings: Sequence[LandingSpec],
    *,
    route: Sequence[Sequence[Sequence[float]]] | None = None,
    rfs_year: int | None = None,
    capacity_tbps: float | None = None,
) -> Network:
    """A copy of ``net`` with a new cable between ``landings``.

    Parameters
    ----------
    landings
        Existing landing points (id, name or town), metros (their first landing point, or
        a new landing at the metro's centre for an inland metro), or :class:`NewLanding`
        / ``{"name", "lon", "lat", "iso2"}`` mappings.
    route
        Drawn route as lines of ``[lon, lat]`` points (a GeoJSON MultiLineString's
        coordinates). Without it, landings are joined in order by planned legs
        (:func:`~undersea.network.sea_routes.planned_path`: the great circle at sea, else
        one bend or the sea route round land), their length times ``planned_route_factor``.
    rfs_year
        Ready-for-service year, within :data:`RFS_YEARS`; default :func:`build_year`
        (the view's year, else the snapshot's): a new cable is built now, and its
        capacity proxy is that of a cable of that year, as ``undersea whatif
        --add-cable`` and ``plan`` build it.
    capacity_tbps
        Design capacity in Tbit/s (finite, above 0); recorded in the cable's
        ``capacity_tbps`` column.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> new = with_cable(net, "Lagos-Marseille", ["Lagos", "Marseille"])
    >>> new.n_cables == net.n_cables + 1
    True
    """
    if len(landings) < 2:
        raise InvalidArgumentError("a new cable needs at least two landing points")
    rfs_year = build_year(net) if rfs_year is None else check_rfs_year(rfs_year)
    if capacity_tbps is not None:
        capacity_tbps = check_capacity_tbps(capacity_tbps)
    if taken := name_taken(net, name):
        raise InvalidArgumentError(
            f"new cable {name!r}: the name of a cable already ({taken}): name it otherwise"
        )
    cable_id = f"new-{_slug(name)}"
    if cable_id in set(net.all_cables["id"]):
        raise InvalidArgumentError(f"a cable with id {cable_id!r} exists already")
    resolved = [_resolve(net, spec) for spec in landings]
    ids = list(dict.fromkeys(p.id for p in resolved))
    if len(ids) < 2:
        raise InvalidArgumentError("a new cable needs two distinct landing points")
    new_lps = {p.id: p.new for p in resolved if p.new is not None}
    xy = _landing_xy(net, ids, new_lps)
    s = net.settings
    if route is None:
        parts = [planned_path(net, [xy[i] for i in ids])]
    else:
        parts = [np.asarray(p, dtype=float).reshape(-1, 2) for p in route]
        _check_route(parts, ids, xy, s.landing_snap_km * 10)
    graph = cable_topology(cable_id, parts, ids, np.array([xy[i] for i in ids]), settings=s)
    factor = s.planned_route_factor if route is None else 1.0
    cable: dict[str, Any] = {
        "id": cable_id,
        "name": name,
        "rfs_year": rfs_year,
        "is_planned": False,
        "reported_length_km": None,
        "owners": [],
        "suppliers": [],
        "url": None,
        "capacity_tbps": capacity_tbps,
    }
    return _append(net, cable, ids, new_lps, graph, factor)


def name_taken(net: Network, name: str) -> str | None:
    """What ``name``, a new cable's, or the short name it ends with in brackets, names
    already (a cable's id, name or short name: ``"ACE"`` is Africa Coast to Europe), as
    ``"'ACE': Africa Coast to Europe (ACE) [id ...]"``; None when it is free. A new cable
    of a taken name is refused (:func:`with_cable`): the edit's other commands and its
    tables would take one for the other."""
    short = short_cable_names(pd.Series([str(name)])).iloc[0]
    for key in dict.fromkeys(x for x in (str(name), short) if isinstance(x, str)):
        try:
            k = net.cable_named(key)
        except AmbiguousNameError as exc:
            return f"{key!r}: {', '.join(exc.matches)}"
        if k is not None:
            row = net.all_cables.iloc[k]
            return f"{key!r}: {row['name']} [id {row['id']}]"
    return None


def cable_name_keys(name: str) -> tuple[str, ...]:
    """What a new cable named ``name`` is known by: its name and the short name it ends
    with in brackets, case, accents and punctuation aside (as
    :meth:`Network.cable_named` matches them, so :func:`name_taken`), and its id
    (``new-<slug>``). Two new cables that share a key cannot both be built: the second is
    refused as named like the first.

    >>> cable_name_keys("Lagos-Lisbon (LL)")
    ('lagos lisbon ll', 'll', 'new-lagos-lisbon-ll')
    """
    short = short_cable_names(pd.Series([str(name)])).iloc[0]
    names = [str(name), short] if isinstance(short, str) else [str(name)]
    keys = [name_key(x) for x in names]
    return tuple(dict.fromkeys([*(k for k in keys if k), f"new-{_slug(str(name))}"]))


def _landing_xy(
    net: Network, ids: Sequence[str], new_lps: Mapping[str, NewLanding]
) -> dict[str, tuple[float, float]]:
    lp = net.all_landing_points.set_index("id")
    return {
        i: (
            (new_lps[i].lon, new_lps[i].lat)
            if i in new_lps
            else (float(lp.loc[i, "lon"]), float(lp.loc[i, "lat"]))
        )
        for i in ids
    }


def _check_route(
    parts: list[np.ndarray],
    ids: Sequence[str],
    xy: Mapping[str, tuple[float, float]],
    limit_km: float,
) -> None:
    pts = np.concatenate(parts)
    if len(pts) < 2 or np.abs(pts[:, 1]).max() > 90:
        raise InvalidArgumentError("route: needs at least two [lon, lat] points in range")
    for i in ids:
        d = great_circle_km(pts[:, 0], pts[:, 1], xy[i][0], xy[i][1]).min()
        if d > limit_km:
            raise InvalidArgumentError(
                f"route: passes {d:,.0f} km from landing point {i!r} (limit {limit_km:,.0f} km)"
            )


def _append(
    net: Network,
    cable: dict[str, Any] | int,
    ids: Sequence[str],
    new_lps: Mapping[str, NewLanding],
    graph: Any,
    factor: float | Sequence[float],
    retire: Sequence[int] = (),
) -> Network:
    """Append landing points, branching units and segments of one cable to ``net``.

    ``cable`` is a new cable's record, or the row of an existing cable that gains the
    segments. Segments in ``retire`` are replaced by the new ones (inactive in the view).
    """
    if isinstance(cable, int):
        k, new_cable = cable, None
        cable_id = str(net.all_cables.iloc[k]["id"])
        in_view = bool(net.cable_in_service[k])
    else:
        k, cable_id = len(net.all_cables), str(cable["id"])
        new_cable = pd.DataFrame([cable]).astype(
            {"rfs_year": "Int64", "reported_length_km": "Float64"}
        )
        in_view = net.year is None or cable["rfs_year"] is None or cable["rfs_year"] <= net.year
    lps = _new_landing_rows(new_lps)
    first_bu = int(net.nodes["node_id"].str.startswith(f"{cable_id}#bu").sum())
    # placeholders of the new branching units (a branch names its own: an existing
    # cable's "#bu0" is a real node that must keep its name)
    temp = getattr(graph, "bu_names", [f"{cable_id}#bu{j}" for j in range(len(graph.bu_lonlat))])
    bu_names = {t: f"{cable_id}#bu{first_bu + j}" for j, t in enumerate(temp)}
    bus = pd.DataFrame(
        {
            "node_id": list(bu_names.values()),
            "kind": "branching_unit",
            "cable_id": cable_id,
            "lon": graph.bu_lonlat[:, 0] if len(graph.bu_lonlat) else [],
            "lat": graph.bu_lonlat[:, 1] if len(graph.bu_lonlat) else [],
            "iso2": None,
            "iso3": None,
            "name": None,
        }
    )
    lp_nodes = pd.DataFrame(
        {
            "node_id": lps["id"],
            "kind": "landing",
            "cable_id": None,
            "lon": lps["lon"],
            "lat": lps["lat"],
            "iso2": lps["iso2"],
            "iso3": lps["iso3"],
            "name": lps["name"],
        }
    )
    new_metros, new_links = _land_for(net, lps)
    metro_rows = pd.DataFrame(
        {
            "node_id": metro_nodes(new_metros["metro_id"]),
            "kind": "metro",
            "cable_id": None,
            "lon": new_metros["lon"],
            "lat": new_metros["lat"],
            "iso2": new_metros["iso2"],
            "iso3": new_metros["iso3"],
            "name": new_metros["name"],
        }
    )
    paths = [np.asarray(path, dtype=float) for _, _, path, _ in graph.segments]
    offsets = np.concatenate(([0], np.cumsum([len(p) for p in paths]))).astype(np.int64)
    coords = np.concatenate(paths) if paths else np.zeros((0, 2))
    first_seg = int((net.segments["cable_id"] == cable_id).sum())
    seg = pd.DataFrame(
        {
            "segment_id": [f"{cable_id}:{first_seg + j}" for j in range(len(paths))],
            "cable_id": cable_id,
            "u": [bu_names.get(u, u) for u, *_ in graph.segments],
            "v": [bu_names.get(v, v) for _, v, *_ in graph.segments],
            "kind": [kind for *_, kind in graph.segments],
            "length_km": geodesic_lengths(coords, offsets) * np.asarray(factor, dtype=float),
        }
    )
    seg["inferred"] = seg["kind"].eq("inferred")
    backhaul = new_links["kind"].eq("backhaul")
    return net.appended(
        cables=new_cable,
        landing_points=lps,
        cable_landings=pd.DataFrame({"cable_id": cable_id, "landing_point_id": ids}),
        nodes=pd.concat([lp_nodes, bus, metro_rows], ignore_index=True),
        segments=seg,
        coords=coords,
        offsets=offsets,
        segment_cable=k,
        segments_in_view=in_view,
        retire=retire,
        links=new_links,
        metros=new_metros,
        landing_metro=pd.DataFrame(
            {
                "landing_point_id": new_links.loc[backhaul, "u"],
                "metro_id": metro_id(new_links.loc[backhaul, "v"]),
            }
        ),
    )


def _new_landing_rows(new_lps: Mapping[str, NewLanding]) -> pd.DataFrame:
    import pycountry

    rows = []
    for lp_id, n in new_lps.items():
        country = pycountry.countries.get(alpha_2=n.iso2)
        if country is None:
            raise UnknownNameError("country code", n.iso2, [c.alpha_2 for c in pycountry.countries])
        rows.append(
            {
                "id": lp_id,
                "name": f"{n.name}, {country.name}",
                "country": country.name,
                "iso2": n.iso2,
                "iso3": country.alpha_3,
                "lon": n.lon,
                "lat": n.lat,
                "is_tbd": False,
                "note": n.note,
            }
        )
    cols = ["id", "name", "country", "iso2", "iso3", "lon", "lat", "is_tbd", "note"]
    out = pd.DataFrame(rows, columns=cols)
    return out if out["note"].astype(bool).any() else out.drop(columns="note")


_METRO_COLUMNS = ["metro_id", "name", "iso2", "iso3", "lon", "lat", "population", "inland"]


def _land_for(net: Network, lps: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Metros and land links for new landing points: (new metros, new links).

    A new landing point within ``metro_radius_km`` of a metro of its country is that
    metro's (a backhaul link to it); otherwise it becomes a landing metro of its own,
    joined by the land layer's rules (:func:`undersea.network.land.new_metro_links`: the
    links it would have had, had it been a metro when the layer was built: domestic
    links, border links to the neighbours, each tested against the country polygons,
    bent round a bay, none across a third country). The existing metros keep their links
    as they are. Without country polygons (the sample) the rules are those of a layer
    without them: domestic links to its country's metros (the nearest one among them),
    no border links.
    """
    from undersea.network.land import new_metro_links

    s = net.settings
    metros = net.metros if net.metros is not None else pd.DataFrame(columns=_METRO_COLUMNS)
    new_metros, links = [], []
    for r in lps.itertuples(index=False):
        pool = metros[metros["iso2"] == r.iso2]
        d = great_circle_km(pool["lon"].to_numpy(float), pool["lat"].to_numpy(float), r.lon, r.lat)
        if len(d) and d.min() <= s.metro_radius_km:
            k = int(np.argmin(d))
            links.append(
                (
                    r.id,
                    metro_node(pool["metro_id"].iloc[k]),
                    float(d[k]) * s.backhaul_route_factor,
                    "backhaul",
                )
            )
            continue
        town = str(r.name).split(",")[0]
        mid = f"{_slug(town)}-{str(r.iso2).lower()}-new"
        new_metros.append(
            {
                "metro_id": mid,
                "name": town,
                "iso2": r.iso2,
                "iso3": r.iso3,
                "lon": r.lon,
                "lat": r.lat,
                "population": pd.NA,
                "inland": False,
            }
        )
        links.append((r.id, metro_node(mid), 0.0, "backhaul"))
    cols = ["u", "v", "length_km", "kind"]
    new = pd.DataFrame(new_metros, columns=_METRO_COLUMNS)
    frames = [pd.DataFrame(links, columns=cols)]
    if len(new):
        both = pd.concat([metros[_METRO_COLUMNS], new], ignore_index=True)
        mask = np.arange(len(both)) >= len(metros)
        joined = _border_countries(net)
        frames.append(new_metro_links(both, mask, net.countries, joined=joined, settings=s))
    return new, pd.concat(frames, ignore_index=True)[cols]


def _border_countries(net: Network) -> list[tuple[str, str]]:
    """The pairs of countries (ISO2) that the border links in use join."""
    if net.metros is None:
        return []
    lk = net.links
    lk = lk[lk["kind"].eq("border") & lk["active"]]
    iso2 = net.metros.set_index("metro_id")["iso2"]
    a = iso2.reindex(metro_id(lk["u"])).to_numpy()
    b = iso2.reindex(metro_id(lk["v"])).to_numpy()
    known = pd.notna(a) & pd.notna(b)
    return list(zip(a[known].tolist(), b[known].tolist(), strict=True))


def with_landing(net: Network, cable: str, landing: LandingSpec) -> Network:
    """A copy of ``net`` where ``cable`` gets a new branch to ``landing``.

    A branching unit is spliced into the cable's segment nearest to the landing point
    (that segment is replaced by its two halves) and a new segment, a planned leg
    (:func:`~undersea.network.sea_routes.planned_path`) times ``planned_route_factor``, runs
    from it to the landing point.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> new = with_landing(net, "SAT-3/WASC", {"name": "Monrovia", "lon": -10.8,
    ...                                        "lat": 6.3, "iso2": "LR"})
    >>> "LR" in set(new.landing_points["iso2"])
    True
    """
    k = net.cable_index(cable)
    place = _resolve(net, landing)
    _check_not_served(net, k, place)
    lp_id, new = place.id, place.new
    xy = np.array(_landing_xy(net, [lp_id], {lp_id: new} if new else {})[lp_id])
    segs = np.flatnonzero((net.seg_cable == k) & net.active)
    if not len(segs):
        raise InvalidArgumentError(
            f"cable {net.all_cables.iloc[k]['name']!r} has no segment in service to branch from"
        )
    best: tuple[float, int, int] = (np.inf, -1, -1)
    for cand in segs.tolist():  # per segment of one cable: a handful
        pts = net.coords[net.offsets[cand] : net.offsets[cand + 1]]
        d = great_circle_km(pts[:, 0], pts[:, 1], xy[0], xy[1])
        best = min(best, (float(d.min()), int(cand), int(np.argmin(d))))
    _, i, j = best
    pts = net.coords[net.offsets[i] : net.offsets[i + 1]]
    u, v = net.segments.loc[i, "u"], net.segments.loc[i, "v"]
    cid = str(net.all_cables.iloc[k]["id"])
    bu = f"{cid}#bu-new"  # renamed by _append
    halves = [(u, bu, pts[: j + 1]), (bu, v, pts[j:])]
    kind = str(net.segments.loc[i, "kind"])
    pieces = [(a, c, p if len(p) > 1 else np.array([p[0], p[0]]), kind) for a, c, p in halves]

    branch = SimpleNamespace(
        bu_lonlat=pts[j : j + 1],
        bu_names=[bu],
        segments=[*pieces, (bu, lp_id, planned_path(net, [pts[j], xy]), "drawn")],
    )

    # only the new branch leg is a planned route; the halves keep their drawn lengths
    factors = [1.0, 1.0, net.settings.planned_route_factor]
    return _append(net, k, [lp_id], {lp_id: new} if new else {}, branch, factors, retire=[i])


def _check_not_served(net: Network, k: int, place: _Place) -> None:
    """Refuse a branch of cable ``k`` to where it lands already: the landing point
    itself, or, for a place named as a metro, any landing point of that metro (a second
    landing station of a served metro is named as that landing point). "Lands" is the
    model's: a segment of the cable ends there."""
    lps = [place.id]
    if place.metro is not None and net.landing_metro is not None:
        lm = net.landing_metro
        lps = sorted({place.id, *lm.loc[lm["metro_id"] == place.metro, "landing_point_id"]})
    node_ix = pd.Index(net.nodes["node_id"]).get_indexer(lps)
    own = net.seg_cable == k
    ends = set(net.seg_u[own].tolist()) | set(net.seg_v[own].tolist())
    served = [lp for lp, ix in zip(lps, node_ix, strict=True) if ix >= 0 and ix in ends]
    if not served:
        return
    cable = f"cable {net.all_cables.iloc[k]['name']!r}"
    at = str(net.all_landing_points.set_index("id").loc[served[0], "name"])
    if place.metro is None:
        raise InvalidArgumentError(
            f"{cable} already lands at {at} ({served[0]}): a branch goes to a landing "
            "point the cable does not land at"
        )
    others = [lp for lp in lps if lp not in served]
    station = f" (another landing point of it: {', '.join(others)})" if others else ""
    raise InvalidArgumentError(
        f"{cable} already lands in the metro {net.metro(place.metro)['name']} "
        f"({place.metro}), at {at} ({served[0]}): a branch goes to a metro the cable does "
        f"not serve, or to a landing point it does not land at{station}"
    )


def with_land_link(
    net: Network,
    a: str,
    b: str,
    *,
    length_km: float | None = None,
    capacity_tbps: float | None = None,
) -> Network:
    """A copy of ``net`` with a land link (a terrestrial corridor) between two places.

    ``a`` and ``b`` are landing points or metros; the length (a finite number of km
    above 0) defaults to the great circle times ``Settings.land_route_factor``.
    ``capacity_tbps`` (a finite number of Tbit/s above 0) is capacity the link carries on
    top of its share of rule C2's (a border's capacity is split over its links, so
    without it a new link between neighbours adds none; a domestic link carries its
    country's domestic capacity); it goes to the links table's ``capacity_tbps`` column.

    Between two places a land link in use already joins (as :func:`land_link_rows` names
    them: a place is its metro and its landing point; and a landing point, named by its
    id too, stands for its metro, :func:`land_places`), the new link is a real build only
    when it is shorter than that link (the shortest, if several) or carries
    ``capacity_tbps``: the links table's ``note`` says what it parallels and what it
    changes. An identical or longer one without capacity changes nothing and is refused
    (:class:`InvalidArgumentError` naming the existing link and its length).

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> new = with_land_link(net, "Brest", "Marseille", length_km=500)
    >>> new.links["note"].iloc[-1].startswith("parallels the domestic link")
    True
    """
    na, nb = _node_of(net, a), _node_of(net, b)
    if na == nb:
        raise InvalidArgumentError("a land link needs two different places")
    if capacity_tbps is not None:
        capacity_tbps = check_capacity_tbps(capacity_tbps)
    nodes = net.nodes
    if length_km is None:
        length_km = float(
            net.settings.land_route_factor
            * great_circle_km(
                nodes.loc[na, "lon"],
                nodes.loc[na, "lat"],
                nodes.loc[nb, "lon"],
                nodes.loc[nb, "lat"],
            )
        )
    else:
        length_km = check_length_km(length_km)
    row: dict[str, Any] = {
        "u": nodes.loc[na, "node_id"],
        "v": nodes.loc[nb, "node_id"],
        "length_km": float(length_km),
        "kind": "user",
    }
    if capacity_tbps is not None:
        row["capacity_tbps"] = capacity_tbps
    note = _parallel_note(net, (a, b), (na, nb), float(length_km), capacity_tbps)
    if note:
        row["note"] = note
    return net.appended(links=pd.DataFrame([row]))


def _parallel_note(
    net: Network,
    places: tuple[str, str],
    ends: tuple[int, int],
    length_km: float,
    capacity_tbps: float | None,
) -> str:
    """What a new land link between ``places`` (nodes ``ends``) changes when a land link in
    use already joins them ("" when none does); raises when it changes nothing. A landing
    point stands for its metro (:func:`land_places`), at the new link's ends as at the
    links' in use: a link from a landing station of Lagos to Cotonou is beside the
    Lagos - Cotonou border link; between two ends of one metro, the nodes themselves."""
    ends_a, ends_b = _land_ends(net, places[0]), _land_ends(net, places[1])
    lu, lv = net.edge_u[len(net.seg_u) :], net.edge_v[len(net.seg_u) :]
    pa, pb = land_places(net, ends_a), land_places(net, ends_b)
    if set(pa.tolist()) & set(pb.tolist()):  # both ends in one metro: the nodes themselves
        pa, pb = np.asarray(ends_a), np.asarray(ends_b)
    else:
        lu, lv = land_places(net, lu), land_places(net, lv)
    joins = (np.isin(lu, pa) & np.isin(lv, pb)) | (np.isin(lu, pb) & np.isin(lv, pa))
    rows = np.flatnonzero(joins & net.link_active)
    if not len(rows):
        return ""
    km = net.links["length_km"].to_numpy(dtype=float)
    first = int(rows[np.argmin(km[rows])])
    kind = str(net.links["kind"].iloc[first])
    u, v = net.edge_u[len(net.seg_u) + first], net.edge_v[len(net.seg_u) + first]
    existing = (
        f"the {kind} link {_node_label(net, int(u))} – {_node_label(net, int(v))} "
        f"({km[first]:,.0f} km)"
    )
    if length_km >= km[first] and capacity_tbps is None:
        raise InvalidArgumentError(
            f"a land link already joins these places: {existing}; a new one of "
            f"{length_km:,.0f} km changes nothing; give it a shorter length or a capacity "
            "of its own (whatif --land-length KM, --land-capacity TBPS)"
        )
    gains = []
    if length_km < km[first]:
        gains.append(f"{km[first] - length_km:,.0f} km shorter, so routes over it are shorter")
    if capacity_tbps is not None:
        gains.append(f"carries {capacity_tbps:,.6g} Tbit/s on top of its rule-C2 share")
    elif kind == "border":
        gains.append("adds no capacity: rule C2 splits the border's over its links")
    return f"parallels {existing}: {'; '.join(gains)}"


def land_places(net: Network, nodes: Sequence[int] | np.ndarray) -> np.ndarray:
    """The place each node (a row of :attr:`Network.nodes`) stands for at the end of a
    land link: a landing point its metro's node (``landing_metro``), any other node
    itself. A new land link beside one in use (:func:`with_land_link`) and an edit's land
    links added and removed (``apply_candidates``) are told apart by these places."""
    ids = pd.Index(net.nodes["node_id"])
    place = np.arange(len(ids))
    lm = net.landing_metro
    if lm is not None and len(lm):
        lp = ids.get_indexer(lm["landing_point_id"])
        metro = ids.get_indexer(metro_nodes(lm["metro_id"]))
        ok = (lp >= 0) & (metro >= 0)
        place[lp[ok]] = metro[ok]
    return place[np.asarray(nodes, dtype=np.int64)]


def _node_of(net: Network, place: str) -> int:
    try:
        return net.node_index(str(net.landing_point(place)["id"]))
    except UnknownNameError as first:
        try:
            return net.node_index(metro_node(net.metro(place)["metro_id"]))
        except UnknownNameError as second:
            raise _neither(place, first, second) from None


#: what a new cable's or branch's landing may be besides a landing point or a metro
#: (:func:`with_cable`, :func:`with_landing`; ``whatif`` and ``plan`` take town names
#: through :func:`~undersea.analysis.planning.candidates.landing_of`)
_NEW_LANDING_HINT = (
    "a landing at a town or a beach is a new landing point: NewLanding(name, lon, lat, "
    "iso2), or landing_of(net, name) from undersea.analysis.planning.candidates for a "
    "town's name (as `undersea whatif` makes one)"
)


def _neither(
    name: object, first: UnknownNameError, second: UnknownNameError, hint: str = ""
) -> UnknownNameError:
    """The error for a name that is neither a landing point nor a metro: both lookups'
    close matches ("Frankfurt": Frankfurt am Main, the metro), not the first's alone."""
    matches = [*first.matches, *second.matches]
    return UnknownNameError("landing point or metro", str(name), matches, hint=hint)


def land_link_rows(net: Network, a: str, b: str) -> np.ndarray:
    """Rows of :attr:`Network.links` (in use or not) that join two places, either way round.

    A place is a node id (``"metro:krasnoyarsk-ru"``, a landing point id), a metro (id,
    name, ``"Name, ISO2"``: :meth:`Network.metro`) or a landing point
    (:meth:`Network.landing_point`); a name that is both (``"Dikson"``, the metro and
    its landing point) stands for either, so ``("Krasnoyarsk", "Dikson")`` is the
    domestic link and ``("Dikson, Russia", "dikson-ru")`` the backhaul. Raises
    :class:`~undersea.UnknownNameError` for an unknown place and
    :class:`~undersea.InvalidArgumentError`, naming the land links that leave each end,
    when no land link joins the two.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> rows = land_link_rows(net, "Brest", "Marseille")
    >>> net.links.loc[rows, "kind"].tolist()
    ['domestic']
    """
    ends_a, ends_b = _land_ends(net, a), _land_ends(net, b)
    if set(ends_a) & set(ends_b) and len(ends_a) == len(ends_b) == 1:
        raise InvalidArgumentError(
            f"a land link joins two different places, not {_node_label(net, ends_a[0])} twice"
        )
    lu, lv = net.edge_u[len(net.seg_u) :], net.edge_v[len(net.seg_u) :]
    hit = (np.isin(lu, ends_a) & np.isin(lv, ends_b)) | (np.isin(lu, ends_b) & np.isin(lv, ends_a))
    rows = np.flatnonzero(hit)
    if not len(rows):
        raise InvalidArgumentError(
            f"no land link joins {_node_label(net, ends_a[0])} and "
            f"{_node_label(net, ends_b[0])}; {_links_from(net, ends_a)}; {_links_from(net, ends_b)}"
        )
    return rows


def _land_ends(net: Network, place: str) -> list[int]:
    """The nodes a land link's end names: a node id, else its metro and its landing point."""
    text = str(place).strip()
    k = int(pd.Index(net.nodes["node_id"]).get_indexer([text])[0])
    if k >= 0:
        return [k]
    found: list[int] = []
    errors: list[UnknownNameError] = []
    for lookup in (_metro_end, _landing_end):
        try:
            found.append(net.node_index(lookup(net, text)))
        except UnknownNameError as exc:
            errors.append(exc)
    if not found:
        raise errors[0] from None
    return found


def _metro_end(net: Network, text: str) -> str:
    return metro_node(str(net.metro(text)["metro_id"]))


def _landing_end(net: Network, text: str) -> str:
    return str(net.landing_point(text)["id"])


def _node_label(net: Network, k: int) -> str:
    return str(node_labels(net.nodes.iloc[[k]])[0])


def _links_from(net: Network, ends: Sequence[int], most: int = 8) -> str:
    """'land links from X go to: A (border), B (domestic)' for the first end with any."""
    lu, lv = net.edge_u[len(net.seg_u) :], net.edge_v[len(net.seg_u) :]
    kinds = net.links["kind"].to_numpy(dtype=object)
    for k in ends:
        rows = np.flatnonzero((lu == k) | (lv == k))
        if len(rows):
            far = np.where(lu[rows] == k, lv[rows], lu[rows])
            shown = [
                f"{_node_label(net, int(f))} ({kinds[r]})" for f, r in zip(far, rows, strict=True)
            ]
            more = f" and {len(shown) - most} more" if len(shown) > most else ""
            return f"land links from {_node_label(net, k)} go to: {', '.join(shown[:most])}{more}"
    return f"{_node_label(net, ends[0])} has no land link"


def retire_cable(net: Network, cable: str) -> Network:
    """A copy of ``net`` without ``cable`` (decommissioned): same as ``without(cables=...)``.
    A cable not in service in the view is refused: retiring it would change nothing."""
    k = net.cable_index(cable)
    if not net.cable_in_service[k]:
        raise InvalidArgumentError(f"cannot retire it: {not_in_service(net, k, cable)}")
    return net.without(cables=[cable])
