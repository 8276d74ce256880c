"""Candidate builds for planning: new cables, branches and land links.

A :class:`Candidate` is one possible build (or, for what-ifs, a retirement or a removed
land link) that
:meth:`Candidate.apply` turns into a what-if network (:mod:`undersea.network.whatif`).
:func:`generate_candidates` proposes builds for target countries: cables between their
landing metros and the region's hubs, and branches from cables that pass nearby;
:func:`read_candidates` reads a user's own from CSV, JSON or GeoJSON.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from undersea._errors import (
    AmbiguousNameError,
    InvalidArgumentError,
    MalformedSourceError,
    NoRouteError,
    UnderseaWarning,
    UnknownNameError,
)
from undersea.analysis.names import resolve
from undersea.analysis.routes.places import countries_in, resolve_country, resolve_place
from undersea.analysis.routes.routing import resolve_land_links
from undersea.geo.regions import parse_point
from undersea.geo.sphere import great_circle_km
from undersea.network import sea_routes
from undersea.network.core import Network
from undersea.network.whatif import (
    NewLanding,
    build_year,
    cable_name_keys,
    check_capacity_tbps,
    check_length_km,
    check_rfs_year,
    land_places,
    name_taken,
    new_landing_for,
    retire_cable,
    with_cable,
    with_land_link,
    with_landing,
)
from undersea.sources.keyed import read_rows, read_user_text, unique_keys
from undersea.sources.naturalearth import country_at

__all__ = [
    "CANDIDATE_KINDS",
    "GENERATED_KINDS",
    "WHATIF_ONLY_KINDS",
    "Candidate",
    "apply_candidates",
    "build_year",
    "candidates_table",
    "check_kinds",
    "generate_candidates",
    "inland_km",
    "landing_of",
    "new_landing_notes",
    "read_candidates",
    "read_route",
    "warn_if_inland",
]

#: Kinds of :class:`Candidate`.
CANDIDATE_KINDS = ("cable", "branch", "land_link", "retire", "remove_land_link")
#: Kinds that take something away: for what-ifs only, never planned.
WHATIF_ONLY_KINDS = ("retire", "remove_land_link")
#: Kinds :func:`generate_candidates` proposes.
GENERATED_KINDS = ("cable", "branch")

# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class Candidate:
    """One possible build (or, for what-ifs, a retirement or a removed land link).

    ``kind``: ``cable`` (``landings``: two or more landing points, metros or
    :class:`~undersea.network.whatif.NewLanding`; optional drawn ``route``), ``branch`` (a new
    landing on the existing ``cable``), ``land_link`` (two places, optional ``length_km``
    and ``capacity_tbps``, carried on top of rule C2's share),
    ``retire`` (the ``cable``) or ``remove_land_link`` (the land links between two places,
    named as by :func:`~undersea.analysis.routes.routing.resolve_land_links`). ``id`` names
    the candidate (and a new cable). A new cable without ``rfs_year`` enters service in
    :func:`~undersea.network.whatif.build_year` (the view's year, else the snapshot's),
    so its capacity proxy is that of a system built now. ``source``: the file and record
    a user's candidate was read from (:func:`read_candidates`), which an unknown name in
    it is reported with.
    """

    id: str
    kind: str = "cable"
    landings: tuple[str | NewLanding, ...] = ()
    cable: str | None = None
    route: tuple[tuple[tuple[float, float], ...], ...] | None = None
    rfs_year: int | None = None
    capacity_tbps: float | None = None
    length_km: float | None = None
    note: str = ""
    source: tuple[str, str] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not str(self.id).strip():
            raise InvalidArgumentError("a candidate needs a non-empty id")
        if self.kind not in CANDIDATE_KINDS:
            raise UnknownNameError("candidate kind", str(self.kind), CANDIDATE_KINDS)
        lands = tuple(_landing(x) for x in self.landings)
        object.__setattr__(self, "landings", lands)
        need = {
            "cable": (2, 99),
            "branch": (1, 1),
            "land_link": (2, 2),
            "retire": (0, 0),
            "remove_land_link": (2, 2),
        }
        lo, hi = need[self.kind]
        if not lo <= len(lands) <= hi:
            raise InvalidArgumentError(
                f"candidate {self.id!r}: a {self.kind} needs {lo}{'+' if hi > lo else ''} "
                f"landing point(s), got {len(lands)}"
            )
        if "land_link" in self.kind and not all(isinstance(x, str) for x in lands):
            raise InvalidArgumentError(
                f"candidate {self.id!r}: a land link joins existing places, not new landings"
            )
        if self.kind in ("branch", "retire") and not self.cable:
            raise InvalidArgumentError(f"candidate {self.id!r}: a {self.kind} needs a cable")
        self._check_numbers()

    def _check_numbers(self) -> None:
        """The what-if values the build uses: :mod:`undersea.network.whatif`'s checks."""
        try:
            if self.rfs_year is not None:
                object.__setattr__(self, "rfs_year", check_rfs_year(self.rfs_year))
            if self.capacity_tbps is not None:
                object.__setattr__(self, "capacity_tbps", check_capacity_tbps(self.capacity_tbps))
            if self.kind == "land_link" and self.length_km is not None:
                object.__setattr__(self, "length_km", check_length_km(self.length_km))
        except InvalidArgumentError as exc:
            raise InvalidArgumentError(f"candidate {self.id!r}: {exc}") from None

    def apply(self, net: Network, *, context: str = "") -> Network:
        """The network with this build (a new copy; ``net`` is unchanged). Its errors are
        :meth:`reported` (``context`` leads them)."""
        with self.reported(context):
            return self._apply(net)

    @contextmanager
    def reported(self, context: str = "") -> Iterator[None]:
        """Errors of building this candidate within (a name the network does not know, an
        edit it refuses: a new cable of a taken name, a land link beside one in use, an
        edit that contradicts itself), with ``context`` leading the message ("candidate
        'b' cannot be built with 'a'"); for a candidate read from a file, a
        :class:`~undersea.MalformedSourceError` naming the file and the record."""
        try:
            yield
        except (InvalidArgumentError, UnknownNameError) as exc:
            problem = f"{context}: {exc}" if context else str(exc)
            if self.source is not None:
                raise MalformedSourceError(self.source[0], problem, record=self.source[1]) from None
            if not context or isinstance(exc, UnknownNameError):
                raise
            raise InvalidArgumentError(problem) from None

    def _apply(self, net: Network) -> Network:
        if self.kind == "cable":
            return with_cable(
                net,
                self.id,
                [landing_of(net, x) for x in self.landings],
                route=self.route,
                rfs_year=self.rfs_year,
                capacity_tbps=self.capacity_tbps,
            )
        if self.kind == "branch":
            return with_landing(net, str(self.cable), landing_of(net, self.landings[0]))
        if self.kind == "land_link":
            a, b = (str(x) for x in self.landings)
            return with_land_link(
                net, a, b, length_km=self.length_km, capacity_tbps=self.capacity_tbps
            )
        if self.kind == "remove_land_link":
            pair = tuple(str(x) for x in self.landings)
            return net.without(land_links=resolve_land_links(net, [pair]))
        return retire_cable(net, str(self.cable))

    def describe(self) -> str:
        """A short human description ("cable Monrovia-lr – lisbon-pt")."""
        names = " – ".join(x.name if isinstance(x, NewLanding) else str(x) for x in self.landings)
        return {
            "cable": f"new cable {names}",
            "branch": f"branch of {self.cable} to {names}",
            "land_link": f"land link {names}",
            "retire": f"retire {self.cable}",
            "remove_land_link": f"remove land link {names}",
        }[self.kind]


def _landing(x: Any) -> str | NewLanding:
    if isinstance(x, NewLanding):
        return x
    if isinstance(x, Mapping):
        try:
            return NewLanding(str(x["name"]), float(x["lon"]), float(x["lat"]), str(x["iso2"]))
        except InvalidArgumentError:  # a position or code out of range: its own reason
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidArgumentError(
                f"a new landing needs name, lon, lat and iso2, got {dict(x)!r}"
            ) from exc
    if not str(x).strip():
        raise InvalidArgumentError("empty landing point name")
    return str(x).strip()


def apply_candidates(net: Network, candidates: Iterable[Candidate]) -> Network:
    """``net`` with every candidate applied, in order.

    A new cable or branch whose line runs more than ``plan_max_inland_km`` inland (a drawn
    route over land: a straight Lagos-Marseille crosses the Sahara, where a planned one,
    :mod:`undersea.network.sea_routes`, goes round West Africa) is built all the same, the
    user having asked for it, with an :class:`~undersea._errors.UnderseaWarning` naming it
    and its depth (:func:`inland_km`): its length and round trips are those of a line over
    land.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> new = apply_candidates(net, [Candidate("Lagos-Lisbon", landings=("Lagos", "Lisbon"))])
    >>> new.n_cables - net.n_cables
    1

    An edit that contradicts itself is refused (:class:`InvalidArgumentError` naming both
    parts): a branch of a cable the same edit retires, a new cable it retires, a land link
    it adds and removes. A cable retired twice is retired once.
    """
    edit = _Edit()
    for c in candidates:
        with c.reported():  # a record of a file: its errors name the file and the record
            if not edit.check(net, c):
                continue
            after = c.apply(net)
            warn_if_inland(c, net, after, stacklevel=3)
            edit.record(net, after, c)
        net = after
    return net


@dataclass
class _Edit:
    """What the candidates of one edit applied so far touch, by cable id and by the
    places a land link joins (its ends' metros; ``add`` joins the landing points of
    "Monrovia,Abidjan", ``remove`` the metros' border link: the same places), with the
    candidate that touched it."""

    branched: dict[str, Candidate] = field(default_factory=dict)
    built: dict[str, Candidate] = field(default_factory=dict)
    retired: dict[str, Candidate] = field(default_factory=dict)
    added: dict[frozenset[int], Candidate] = field(default_factory=dict)
    removed: dict[frozenset[int], Candidate] = field(default_factory=dict)

    def check(self, net: Network, c: Candidate) -> bool:
        """Whether to apply ``c`` (not a cable retired already); raises where ``c``
        contradicts an earlier part of the edit."""
        if c.kind not in ("branch", "retire"):
            return True
        try:
            cid = str(net.all_cables["id"].iloc[net.cable_index(str(c.cable))])
        except UnknownNameError:
            return True  # applying it says so, with the candidate's file and record
        if c.kind == "branch" and cid in self.retired:
            _contradiction(c, self.retired[cid], "a retired cable gets no branch")
        if c.kind == "retire":
            if cid in self.branched:
                _contradiction(c, self.branched[cid], "a retired cable gets no branch")
            if cid in self.built:
                _contradiction(c, self.built[cid], "a new cable is not retired")
            return cid not in self.retired
        return True

    def record(self, before: Network, after: Network, c: Candidate) -> None:
        """Note what ``c``, which turned ``before`` into ``after``, touched."""
        if c.kind in ("branch", "retire"):
            cid = str(before.all_cables["id"].iloc[before.cable_index(str(c.cable))])
            (self.branched if c.kind == "branch" else self.retired)[cid] = c
        elif c.kind == "cable":
            self.built[str(after.all_cables["id"].iloc[-1])] = c
        else:
            first = len(after.seg_u)
            if c.kind == "land_link":
                rows = [len(after.links) - 1]
            else:
                rows = np.flatnonzero(before.link_active & ~after.link_active).tolist()
            mine, other = (
                (self.added, self.removed) if c.kind == "land_link" else (self.removed, self.added)
            )
            ends = np.array([(after.edge_u[first + r], after.edge_v[first + r]) for r in rows])
            # the places a link joins: a landing point stands for its metro
            for pair in map(frozenset, land_places(after, ends.reshape(-1)).reshape(-1, 2)):
                if pair in other:
                    _contradiction(c, other[pair], "a land link is added or removed")
                mine[pair] = c


def _contradiction(c: Candidate, earlier: Candidate, rule: str) -> None:
    raise InvalidArgumentError(
        f"{c.describe()} contradicts {earlier.describe()} in the same edit: {rule}, not both"
    )


def warn_if_inland(c: Candidate, before: Network, after: Network, stacklevel: int = 2) -> None:
    """Warn (:class:`~undersea._errors.UnderseaWarning`) when ``c``, a new cable or branch
    that turned ``before`` into ``after``, runs more than ``plan_max_inland_km`` inland
    (a drawn route over land; planned routes go round it); or when
    ``c``, a new land link, crosses more than ``max_land_link_sea_km`` of sea in one
    stretch, the most a link of the land layer may (a longer crossing is a cable's)."""
    s = before.settings
    if c.kind in ("cable", "branch") and (km := inland_km(before, after)) > s.plan_max_inland_km:
        warnings.warn(
            f"{c.describe()} runs {km:,.0f} km inland at its deepest, over land: no sea "
            f"route (plan_max_inland_km, {s.plan_max_inland_km:,.0f} km); its length and "
            "round trips are too short: draw its route at sea, or leave it out to have it "
            "planned round the land",
            UnderseaWarning,
            stacklevel=stacklevel + 1,
        )
    if c.kind == "land_link" and len(after.edge_u) > len(before.edge_u):
        ends = after.nodes.loc[[after.edge_u[-1], after.edge_v[-1]], ["lon", "lat"]]
        km = float(sea_routes.sea_stretch_km(after, ends.to_numpy(dtype=float).ravel())[0])
        if km > s.max_land_link_sea_km:
            warnings.warn(
                f"{c.describe()} crosses {km:,.0f} km of sea in one stretch (the land "
                f"layer's links cross at most max_land_link_sea_km, "
                f"{s.max_land_link_sea_km:,.0f} km): a sea crossing is a cable's; add "
                "one instead",
                UnderseaWarning,
                stacklevel=stacklevel + 1,
            )


def inland_km(before: Network, after: Network) -> float:
    """How far inland (km from the coast, country polygons) the segments ``after`` adds
    to ``before`` run at their deepest (:func:`warn_if_inland`); 0 without country
    polygons."""
    xy, off = after.coords, after.offsets
    lines = [
        np.hstack((xy[off[j] : off[j + 1] - 1], xy[off[j] + 1 : off[j + 1]]))
        for j in range(len(before.seg_u), len(after.seg_u))
    ]
    lines = [x for x in lines if len(x)]
    return float(sea_routes.inland_km(after, np.vstack(lines)).max()) if lines else 0.0


def candidates_table(candidates: Sequence[Candidate]) -> pd.DataFrame:
    """One row per candidate: id, kind, description, cable, landings, length_km, note."""
    rows = [
        {
            "id": c.id,
            "kind": c.kind,
            "description": c.describe(),
            "cable": c.cable,
            "landings": [x.name if isinstance(x, NewLanding) else x for x in c.landings],
            "length_km": c.length_km,
            "note": c.note,
        }
        for c in candidates
    ]
    cols = ["id", "kind", "description", "cable", "landings", "length_km", "note"]
    return pd.DataFrame(rows, columns=cols)


def _targets(net: Network, countries: str | Sequence[str]) -> pd.DataFrame:
    """iso2, iso3, name and main node of each target country."""
    rows = []
    for iso2 in countries_in(net, countries):
        place = resolve_country(net, iso2)
        nodes = net.nodes[net.nodes["iso2"].eq(place.iso2)]
        rows.append(
            {
                "iso2": place.iso2,
                "iso3": nodes["iso3"].iloc[0],
                "name": place.name,
                "node": int(place.anchors[0][0]),
            }
        )
    if not rows:
        raise InvalidArgumentError("no target country given")
    return pd.DataFrame(rows)


def _metro_cables(net: Network) -> pd.DataFrame:
    """Landing metros: metro_id, name, iso2, cables (distinct, in service) and lon, lat of
    the landing point a new cable lands at (the metro's first, as what-ifs choose)."""
    if net.metros is None or net.landing_metro is None:
        raise InvalidArgumentError("candidate generation needs metros (load with land=True)")
    cl = net.cable_landings.merge(net.landing_metro, on="landing_point_id")
    live = cl[cl["cable_id"].isin(set(net.cables["id"]))]
    n = live.groupby("metro_id")["cable_id"].nunique()
    first = net.landing_metro.sort_values("landing_point_id").drop_duplicates("metro_id")
    lp = net.all_landing_points.set_index("id")
    at = first.set_index("metro_id")["landing_point_id"]
    m = net.metros[net.metros["metro_id"].isin(set(cl["metro_id"]))].copy()
    m["cables"] = m["metro_id"].map(n).fillna(0).astype(int)
    m["landing_point_id"] = m["metro_id"].map(at)
    m["lon"] = m["landing_point_id"].map(lp["lon"]).astype(float)
    m["lat"] = m["landing_point_id"].map(lp["lat"]).astype(float)
    return m.reset_index(drop=True)


def generate_candidates(
    net: Network,
    countries: str | Sequence[str],
    *,
    max_length_km: float | None = None,
    kinds: Sequence[str] = ("cable", "branch"),
    min_partner_cables: int | None = None,
) -> list[Candidate]:
    """Candidate builds for target countries.

    ``cable``: from each landing metro of a target to each landing metro of another
    country with at least ``min_partner_cables`` cables in service (or of another
    target), when the planned route (:mod:`undersea.network.sea_routes`: the great circle
    at sea, else the sea route round land, times ``planned_route_factor``; as the cable
    is built) is at most ``max_length_km``. ``branch``: from each in-service cable that
    does not land at a target's landing metro yet, a new leg from the cable's nearest
    route point, of at most ``min(max_length_km, plan_max_branch_km)`` planned km.
    Defaults: settings ``plan_max_length_km`` and ``plan_partner_min_cables``.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> cands = generate_candidates(net, ["Mauritania"], max_length_km=3000)
    >>> sorted({c.kind for c in cands})
    ['branch', 'cable']
    """
    s = net.settings
    limit = float(s.plan_max_length_km if max_length_km is None else max_length_km)
    if not limit > 0:
        raise InvalidArgumentError(f"max_length_km must be positive, got {max_length_km!r}")
    kinds = check_kinds(kinds)
    targets = _targets(net, countries)
    metros = _metro_cables(net)
    ends = metros[metros["iso2"].isin(set(targets["iso2"]))]
    if not len(ends):
        raise InvalidArgumentError(
            f"no landing metro in {', '.join(targets['name'])}: supply candidates instead"
        )
    min_cab = s.plan_partner_min_cables if min_partner_cables is None else min_partner_cables
    out: list[Candidate] = []
    if "cable" in kinds:
        out += _cable_candidates(net, ends, metros, min_cab, limit)
    if "branch" in kinds:
        out += _branch_candidates(net, ends, min(limit, s.plan_max_branch_km))
    if not out:
        raise InvalidArgumentError(
            f"no candidate within {limit:,.0f} km of {', '.join(targets['name'])}: raise "
            "max_length_km or supply candidates"
        )
    return out


def check_kinds(kinds: str | Iterable[str], *, name: str = "kinds") -> tuple[str, ...]:
    """The kinds :func:`generate_candidates` is asked for (a list, or one text split at
    commas): one or more of :data:`GENERATED_KINDS`, else :class:`InvalidArgumentError`
    (none) or :class:`UnknownNameError` naming ``name`` (the CLI passes its flag).

    >>> check_kinds("cable, branch")
    ('cable', 'branch')
    >>> check_kinds("")
    Traceback (most recent call last):
    ...
    undersea._errors.InvalidArgumentError: kinds names no candidate kind: give cable, branch or both
    """
    items = kinds.split(",") if isinstance(kinds, str) else [str(k) for k in kinds]
    out = tuple(dict.fromkeys(k.strip() for k in items if k.strip()))
    if not out:
        raise InvalidArgumentError(
            f"{name} names no candidate kind: give {', '.join(GENERATED_KINDS)} or both"
        )
    for k in out:
        if k not in GENERATED_KINDS:
            raise UnknownNameError(
                "generated candidate kind", k, GENERATED_KINDS, listed=GENERATED_KINDS, where=name
            )
    return out


def _cable_candidates(
    net: Network, ends: pd.DataFrame, metros: pd.DataFrame, min_cables: int, limit: float
) -> list[Candidate]:
    factor = net.settings.planned_route_factor
    pool = metros[(metros["cables"] >= min_cables) | metros["metro_id"].isin(ends["metro_id"])]
    px, py = pool["lon"].to_numpy(float), pool["lat"].to_numpy(float)
    prow = list(pool.itertuples(index=False))
    rows = []
    for e in ends.itertuples(index=False):  # per target metro: a handful
        km = factor * great_circle_km(px, py, e.lon, e.lat)
        ok = np.flatnonzero((km <= limit) & pool["iso2"].ne(e.iso2).to_numpy())
        rows += [(e, prow[i]) for i in ok]
    rows = list({frozenset((e.metro_id, p.metro_id)): (e, p) for e, p in rows}.values())
    if not rows:
        return []
    at = _landing_lonlat(net)
    lines = [[*at[e.landing_point_id], *at[p.landing_point_id]] for e, p in rows]
    km = sea_routes.planned_km(net, np.array(lines))
    out = [
        Candidate(
            _free_name(net, f"{e.name}-{p.name}"),
            "cable",
            (e.landing_point_id, p.landing_point_id),
            length_km=round(float(d), 1),
        )
        for (e, p), d in zip(rows, km, strict=True)
        if d <= limit
    ]
    return _unique_ids(out)


def _free_name(net: Network, name: str) -> str:
    """``name``, or ``"new <name>"`` where it is an existing cable's (Aden-Djibouti):
    a new cable takes no cable's name (:func:`~undersea.network.whatif.name_taken`)."""
    while name_taken(net, name):
        name = f"new {name}"
    return name


def _unique_ids(cands: list[Candidate]) -> list[Candidate]:
    count: dict[str, int] = {}
    for c in cands:
        count[c.id] = count.get(c.id, 0) + 1
    return [
        c
        if count[c.id] == 1
        else Candidate(
            f"{c.id} ({' – '.join(map(str, c.landings))})",
            c.kind,
            c.landings,
            c.cable,
            length_km=c.length_km,
        )
        for c in cands
    ]


def _branch_candidates(net: Network, ends: pd.DataFrame, limit: float) -> list[Candidate]:
    """Per (target metro, cable): a leg to the cable's nearest route vertex, as
    :func:`~undersea.network.whatif.with_landing` splices it."""
    factor = net.settings.planned_route_factor
    live = np.flatnonzero(net.active)
    counts = np.diff(net.offsets)[live]
    pts = np.concatenate([net.coords[net.offsets[j] : net.offsets[j + 1]] for j in live])
    cable_of_pt = np.repeat(net.seg_cable[live], counts)
    names = net.all_cables["name"].to_numpy(dtype=object)
    ids = net.all_cables["id"].to_numpy(dtype=object)
    cl = net.cable_landings.merge(net.landing_metro, on="landing_point_id")
    rows = []
    for e in ends.itertuples(index=False):  # per target metro: a handful
        d = great_circle_km(pts[:, 0], pts[:, 1], e.lon, e.lat)
        order = np.lexsort((d, cable_of_pt))
        first = order[np.r_[True, np.diff(cable_of_pt[order]) != 0]]
        there = set(cl.loc[cl["metro_id"] == e.metro_id, "cable_id"])
        for i in first[d[first] * factor <= limit]:
            if ids[cable_of_pt[i]] not in there:
                rows.append((e, int(cable_of_pt[i]), pts[i]))
    if not rows:
        return []
    at = _landing_lonlat(net)
    km = sea_routes.planned_km(net, np.array([[*xy, *at[e.landing_point_id]] for e, _, xy in rows]))
    return [
        Candidate(
            f"{names[k]} to {e.name}",
            "branch",
            (e.landing_point_id,),
            cable=str(ids[k]),
            length_km=round(float(d), 1),
        )
        for (e, k, _), d in zip(rows, km, strict=True)
        if d <= limit
    ]


def _landing_lonlat(net: Network) -> dict[str, tuple[float, float]]:
    lp = net.all_landing_points
    xy = zip(lp["lon"].astype(float), lp["lat"].astype(float), strict=True)
    return dict(zip(lp["id"], xy, strict=True))


# --------------------------------------------------------------------------- new landings


def landing_of(net: Network, spec: str | NewLanding) -> str | NewLanding:
    """What a new cable's or branch's landing ``spec`` names, as
    :func:`~undersea.network.whatif.with_cable` and
    :func:`~undersea.network.whatif.with_landing` take it: the one step from a name to a
    new landing point, for ``whatif`` and ``plan``'s candidates alike.

    A landing point, or a metro with one, stays the name (the edit lands there). A new
    landing point (:class:`~undersea.network.whatif.NewLanding`, its ``note`` saying what
    was made, where) is made of

    - a metro without landing point, also under another name of it (``"Odessa"``, a
      city within a metro's core: ``resolve --kind metro``): at the metro's centre;
    - a town that is neither (the place resolver's city, :func:`resolve_place`:
      ``"Porto"``, ``"Den Haag"``): at its centre, in its country; a name borne by
      several places that none dominates is refused listing them
      (:class:`~undersea.AmbiguousNameError`);
    - ``"NAME@LAT,LON"``, a beach that is no town: at that point, in the country whose
      polygon holds it or lies within ``landing_snap_km``.

    A new landing point more than ``landing_snap_km`` from the sea (country polygons; not
    measured without them) is refused (:class:`InvalidArgumentError` naming how far): a
    cable's drawn route ends at the coast, and the map attaches a landing point to it
    only within that distance. A :class:`NewLanding` or mapping is taken as given.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> landing_of(net, "Lagos")
    'Lagos'
    >>> landing_of(net, "Porto").note
    'Porto, PT, a town that is no metro: a new landing point at 41.1485,-8.6110 (LAT,LON)'
    """
    if not isinstance(spec, str):
        return spec
    text = " ".join(spec.split())
    if "@" in text:
        return _point_landing(net, text)
    try:
        new = new_landing_for(net, text)
    except UnknownNameError as unknown:
        return _town_landing(net, text, unknown)
    if new is None:
        return spec
    return _coastal(net, new, f"{new.name}, {new.iso2}, a metro without landing point")


def new_landing_notes(before: Network, after: Network) -> list[tuple[str, str]]:
    """The landing points ``after`` (an edit of ``before``) adds: (id, text), the text its
    name and, for one made of a town's name or a point, what it was made of and where
    (:class:`~undersea.network.whatif.NewLanding`'s ``note``: "Porto, Portugal; Porto,
    PT, a town that is no metro: a new landing point at ..."). ``whatif``'s What-changed
    table and ``plan``'s chosen builds show them."""
    lp0 = set(before.all_landing_points["id"])
    lp1 = after.all_landing_points
    lps = lp1[~lp1["id"].isin(lp0)]
    said = lps["note"] if "note" in lps else pd.Series("", index=lps.index)
    return [
        (str(r.id), f"{r.name}; {n}" if isinstance(n, str) and n else str(r.name))
        for r, n in zip(lps.itertuples(), said, strict=True)
    ]


def _town_landing(net: Network, text: str, unknown: UnknownNameError) -> str | NewLanding:
    """A name that is no landing point and no metro by the network's lookups: a metro
    under another name, else a town (:func:`landing_of`), else ``unknown`` with the
    place resolver's close matches too."""
    try:
        metro = resolve(net, text, kind="metro").id
    except (UnknownNameError, InvalidArgumentError) as err:
        not_a_metro: Exception = err
    else:
        return landing_of(net, metro)
    try:
        p = resolve_place(net, text)
    except AmbiguousNameError:
        raise
    except UnknownNameError as err:
        raise UnknownNameError(
            "landing point, metro or town", text, [*unknown.matches, *err.matches]
        ) from None
    except NoRouteError:
        raise not_a_metro from None
    if p.kind != "city" or p.iso2 is None:  # a country of several metros, a point
        raise not_a_metro from None
    reading = next((x for x in p.note.split("; ") if "→" in x), "")  # "Den Haag → The Hague"
    new = NewLanding(p.name.rsplit(", ", 1)[0], p.lon, p.lat, p.iso2)
    return _coastal(net, new, f"{p.name}, a town that is no metro", reading)


def _point_landing(net: Network, text: str) -> NewLanding:
    """``"NAME@LAT,LON"`` as a new landing point (:func:`landing_of`)."""
    name, _, at = text.rpartition("@")
    point = parse_point(at)
    if not name.strip() or point is None:
        raise InvalidArgumentError(
            f"{text!r}: a landing at a point is NAME@LAT,LON, latitude first "
            "(Cap Skirring@12.39,-16.75)"
        )
    lon, lat = point
    s, countries = net.settings, net.countries
    iso3 = "" if countries is None else country_at(countries, lon, lat, snap_km=s.landing_snap_km)
    if countries is None or not iso3:
        raise InvalidArgumentError(
            f"{text!r}: no country at {lat:g},{lon:g} nor within landing_snap_km "
            f"({s.landing_snap_km:,.0f} km) of it, to land in"
            + ("" if countries is not None else " (this network has no country polygons)")
        )
    iso2 = str(countries.loc[countries["iso3"] == iso3, "iso2"].iloc[0])
    new = NewLanding(name.strip(), lon, lat, iso2)
    return _coastal(net, new, f"{new.name}, {iso2}, a point")


def _coastal(net: Network, new: NewLanding, what: str, reading: str = "") -> NewLanding:
    """``new`` with its note, or :class:`InvalidArgumentError` where it lies more than
    ``landing_snap_km`` from the sea (:func:`landing_of`)."""
    limit = net.settings.landing_snap_km
    km = float(sea_routes.inland_km(net, np.array([[new.lon, new.lat, new.lon, new.lat]]), n=1)[0])
    if km > limit:
        raise InvalidArgumentError(
            f"{what}, lies {km:,.0f} km from the sea: a cable lands within landing_snap_km "
            f"({limit:,.0f} km) of it; name a coastal town, or a point on the coast as "
            "NAME@LAT,LON"
        )
    sea = f", {km:,.0f} km from the sea" if sea_routes.land_and_coast(net) is not None else ""
    note = f"{what}: a new landing point at {new.lat:.4f},{new.lon:.4f} (LAT,LON){sea}"
    return replace(new, note="; ".join(x for x in (reading, note) if x))


_FIELDS = {
    "id",
    "name",
    "kind",
    "landings",
    "cable",
    "route",
    "rfs_year",
    "capacity_tbps",
    "length_km",
    "note",
}


def read_candidates(path: str | Path) -> list[Candidate]:
    """Read candidates from CSV, JSON or GeoJSON.

    CSV: a header with ``landings`` (names separated by ``;``) and optionally ``id``
    (or ``name``), ``kind``, ``cable``, ``rfs_year``, ``capacity_tbps``, ``length_km``.
    JSON: a list (or ``{"candidates": [...]}``) of objects with the same fields, a
    landing being a name or ``{"name", "lon", "lat", "iso2"}``. GeoJSON: a
    FeatureCollection whose LineString / MultiLineString geometries are the routes and
    whose properties are the fields.

    A file that is missing or cannot be opened raises :class:`DataNotFoundError` naming
    the path; a malformed one :class:`MalformedSourceError` naming the file, record and
    field.
    """
    p = Path(path)
    if p.suffix.lower() == ".csv":
        records = _csv_records(p)
    else:
        try:
            records = _json_records(json.loads(read_user_text(p, "candidates")))
        except json.JSONDecodeError as exc:
            raise MalformedSourceError(str(p), f"not JSON: {exc.msg}") from None
        except TypeError as exc:
            raise MalformedSourceError(str(p), str(exc)) from None
    out = [_record_candidate(str(p), i, r) for i, r in enumerate(records)]
    if not out:
        raise InvalidArgumentError(f"{p}: no candidate in the file")
    unique_keys(p, ((f"candidate {i + 1}", c.id) for i, c in enumerate(out)), "id")
    _one_name_per_cable(p, out)
    return out


def _one_name_per_cable(p: Path, cands: Sequence[Candidate]) -> None:
    """Refuse two new cables whose ids name one cable (case, accents and punctuation
    aside, or by the short name in brackets: :func:`~undersea.network.whatif.cable_name_keys`):
    each alone is built, but together the second is refused as named like the first,
    which a plan found only when it combined them."""
    seen: dict[str, tuple[str, str]] = {}
    for i, c in enumerate(cands):
        if c.kind != "cable":
            continue
        keys = cable_name_keys(c.id)
        for key in keys:
            if key in seen:
                first, record = seen[key]
                problem = (
                    f"new cable {c.id!r} and new cable {first!r} ({record}) name one cable "
                    "(case, accents and punctuation aside, or a short name in brackets): "
                    "built together, one is refused as named like the other; name them apart"
                )
                raise MalformedSourceError(str(p), problem, record=f"candidate {i + 1}", field="id")
        seen.update(dict.fromkeys(keys, (c.id, f"candidate {i + 1}")))


def _csv_records(p: Path) -> list[dict[str, Any]]:
    """The non-empty fields of each row (``landings`` is split by the record reader)."""
    return [{k: v for k, v in r.items() if v} for _, r in read_rows(p, "candidates", required=())]


def _json_records(obj: Any) -> list[dict[str, Any]]:
    if isinstance(obj, Mapping) and obj.get("type") == "FeatureCollection":
        out = []
        for feat in obj.get("features") or []:
            rec = dict(feat.get("properties") or {})
            geom = feat.get("geometry") or {}
            if geom.get("type") == "LineString":
                rec["route"] = [geom["coordinates"]]
            elif geom.get("type") == "MultiLineString":
                rec["route"] = geom["coordinates"]
            out.append(rec)
        return out
    if isinstance(obj, Mapping) and "candidates" in obj:
        obj = obj["candidates"]
    if not isinstance(obj, list) or not all(isinstance(r, Mapping) for r in obj):
        raise TypeError("expected a list of candidate objects or a GeoJSON FeatureCollection")
    return [dict(r) for r in obj]


def _record_candidate(path: str, i: int, rec: Mapping[str, Any]) -> Candidate:
    record = f"candidate {i + 1}"
    unknown = sorted(set(rec) - _FIELDS)
    if unknown:
        raise MalformedSourceError(
            path,
            f"unknown field; known: {', '.join(sorted(_FIELDS))}",
            record=record,
            field=unknown[0],
        )
    lands = rec.get("landings", [])
    if isinstance(lands, str):
        lands = [x.strip() for x in lands.split(";") if x.strip()]
    cid = str(rec.get("id") or rec.get("name") or f"candidate-{i + 1}")

    def value(field: str, parse: Any) -> Any:
        raw = rec.get(field)
        try:
            return None if raw is None else parse(raw)
        except InvalidArgumentError as exc:  # a number out of range: the check's reason
            raise MalformedSourceError(path, str(exc), record=record, field=field) from None
        except (TypeError, ValueError, IndexError):
            problem = f"not a valid {field}: {raw!r}"
            raise MalformedSourceError(path, problem, record=record, field=field) from None

    route = value("route", lambda r: tuple(tuple((float(p[0]), float(p[1])) for p in x) for x in r))
    numbers = (
        value("rfs_year", lambda r: check_rfs_year(int(r))),
        value("capacity_tbps", lambda r: check_capacity_tbps(float(r))),
        value("length_km", lambda r: check_length_km(float(r))),
    )
    kind = str(rec.get("kind", "cable"))
    if numbers[2] is not None and kind != "land_link":
        problem = f"length_km is a land link's; a {kind}'s length is its route's"
        raise MalformedSourceError(path, problem, record=record, field="length_km")
    try:
        return Candidate(
            cid,
            kind,
            tuple(lands),
            rec.get("cable"),
            route or None,
            *numbers,
            str(rec.get("note", "")),
            source=(path, record),
        )
    except (TypeError, ValueError, KeyError) as exc:
        raise MalformedSourceError(path, str(exc), record=record) from None


def read_route(path: str | Path) -> tuple[tuple[tuple[float, float], ...], ...]:
    """A drawn cable route from a GeoJSON file: the lines of its (first) LineString or
    MultiLineString (a geometry, a Feature or a FeatureCollection), as ``[lon, lat]``."""
    p = Path(path)
    text = read_user_text(p, "route")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedSourceError(str(p), f"not JSON: {exc.msg}") from None
    geom = obj
    if isinstance(obj, Mapping) and obj.get("type") == "FeatureCollection":
        feats = obj.get("features") or []
        geom = feats[0].get("geometry") if feats and isinstance(feats[0], Mapping) else None
    elif isinstance(obj, Mapping) and obj.get("type") == "Feature":
        geom = obj.get("geometry")
    kind = geom.get("type") if isinstance(geom, Mapping) else None
    if kind not in ("LineString", "MultiLineString"):
        raise MalformedSourceError(str(p), "expected a LineString or MultiLineString", field="type")
    lines = [geom["coordinates"]] if kind == "LineString" else geom["coordinates"]
    try:
        return tuple(tuple((float(x[0]), float(x[1])) for x in line) for line in lines)
    except (TypeError, ValueError, IndexError) as exc:
        raise MalformedSourceError(str(p), f"bad coordinates: {exc}", field="coordinates") from None
