"""One resolver for every name a user can type: :func:`resolve`.

The CLI (``undersea resolve``), the web API (``GET /api/resolve``) and the library call
the same function; each kind uses the lookup its commands use, so the answer and the
error wording are those of the commands:

=============  ==========================================================================
kind           what it takes (see the function named)
=============  ==========================================================================
``place``      metro, landing town, city, country or point, ranked by importance
               (:func:`~undersea.analysis.routes.places.resolve_place`)
``country``    ISO code, name, common, short or former name
               (:func:`~undersea.analysis.routes.places.resolve_country`)
``metro``      id, name, ``"Name, ISO2"``, a town of a ``/`` name or of a landing point
               in it (:meth:`~undersea.network.core.Network.metro`), else a place that
               is one metro: another spelling (``Odessa``), a one-metro country (``Guam``),
               a city within ``metro_core_km`` of a metro's centre (``St Petersburg``,
               whose metro bears its district's name, Vasyl'evsky Ostrov); a city farther
               out is refused naming the metros its land links join (``Bern``: Zürich)
``cable``      id, name, the short name in brackets (``WACS``), another spelling
               (``Main One``, ``seamewe 5``) or the telling words (``PEACE``)
               (:meth:`~undersea.network.core.Network.cable_index`)
``landing``    id, full name or town (:meth:`~undersea.network.core.Network.landing_point`)
``segment``    id or ``CABLE:K`` (:meth:`~undersea.network.core.Network.segment_row`)
``chokepoint`` id, name, or the words or word starts of one only (``Luzon``)
               (:func:`~undersea.geo.regions.chokepoint`)
``incident``   id of a documented incident (:func:`~undersea.scenarios.incidents.incident`)
=============  ==========================================================================

Unknown names raise :class:`~undersea.UnknownNameError` (``unknown <kind> '<name>'; did
you mean: ...?``), names borne by several records :class:`~undersea.AmbiguousNameError`
(``ambiguous <kind> '<name>': it matches ...; use one of these``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

from undersea._errors import InvalidArgumentError, NoRouteError, UnknownNameError
from undersea.analysis.routes.places import Place, resolve_country, resolve_place
from undersea.geo.regions import chokepoint, chokepoints
from undersea.geo.sphere import great_circle_km
from undersea.network.core import Network
from undersea.network.graph import METRO_PREFIX, metro_id
from undersea.scenarios.incidents import incident

__all__ = ["NAME_KINDS", "NameKind", "Resolved", "resolve"]


@dataclass(frozen=True)
class Resolved:
    """What a name resolved to: its kind, stable id (accepted back), display name and a
    note (what a ranked name was chosen over, how a place joins the network)."""

    kind: str
    id: str
    name: str
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return asdict(self)


def _place(net: Network, text: str, strict: bool) -> Resolved:
    p = resolve_place(net, text, strict=strict)
    return Resolved(p.kind, p.id, p.name, p.note)


def _country(net: Network, text: str, strict: bool) -> Resolved:
    p = resolve_country(net, text)
    return Resolved("country", str(p.iso2), p.name, p.note)


def _metro(net: Network, text: str, strict: bool) -> Resolved:
    try:
        m = net.metro(text)
    except UnknownNameError as err:
        return _place_metro(net, text, strict, err)
    return Resolved("metro", str(m["metro_id"]), f"{m['name']}, {m['iso2']}")


def _place_metro(net: Network, text: str, strict: bool, err: UnknownNameError) -> Resolved:
    """The metro a place name means: a metro under another spelling ("Odessa"), a
    country or territory that is one metro ("Guam"), or a city that is no metro but lies
    in a metro's core ("St Petersburg"). A country of several metros is refused, naming
    the one a route to it ends at (its main exchange metro or best-connected metro, rule 4
    of :mod:`undersea.analysis.routes.places`); a city farther out is refused naming the
    metros its land links join (:func:`_joined_metros`); anything else raises ``err``,
    the metro lookup's own error (close matches)."""
    try:
        p = resolve_place(net, text, strict=strict)
    except (UnknownNameError, InvalidArgumentError, NoRouteError):
        raise err from None
    node = str(net.nodes["node_id"].iloc[p.anchors[0][0]]) if p.anchors else ""
    metros = net.metros
    if not node.startswith(METRO_PREFIX) or metros is None:
        raise err
    m = net.metro(metro_id(node))
    if p.virtual:  # a city in a metro's core is that metro (Saint Petersburg, Manila)
        s = net.settings
        km = float(great_circle_km(p.lon, p.lat, m["lon"], m["lat"], s.earth_radius_km))
        if p.kind != "city":  # a point
            raise err
        if km > s.metro_core_km:
            raise _joined_metros(net, text, p)
        note = f"{p.name} lies {km:.0f} km from the metro's centre, within its core"
        return Resolved("metro", str(m["metro_id"]), f"{m['name']}, {m['iso2']}", note)
    n = int((metros["iso2"] == p.iso2).sum())
    if p.kind == "country" and n > 1:  # "UK" is many metros, not the one routes end at
        raise InvalidArgumentError(
            f"{text!r} is a country ({p.name}) of {n} metros, not one metro: name one of "
            f"them, e.g. '{m['name']}, {m['iso2']}', where routes to {text!r} end"
        )
    return Resolved("metro", str(m["metro_id"]), f"{m['name']}, {m['iso2']}", p.note)


def _joined_metros(net: Network, text: str, city: Place) -> UnknownNameError:
    """The error for a city that is no metro: the metros its land links join, as a route
    from it joins them (``Bern``: Zürich, 143 km by land; ``The Hague``: Rotterdam,
    Amsterdam and Groningen). Its close matches are those metros' ``"Name, ISO2"``."""
    nodes = net.nodes.iloc[[k for k, _ in city.anchors]]
    joined = [
        (f"{row['name']}, {row['iso2']}", km)
        for (_, row), (_, km) in zip(nodes.iterrows(), city.anchors, strict=True)
        if row["kind"] == "metro"
    ]
    said = [f"{name} ({km:,.0f} km)" for name, km in joined]
    said[0] = said[0][:-1] + " by land)"
    which = "the metro " if len(said) == 1 else "the metros "
    listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    err = UnknownNameError(
        "metro",
        text,
        hint=f"{city.name} is a city, no metro of the network; it is joined to {which}{listed}",
    )
    err.matches = [name for name, _ in joined]
    return err


def _cable(net: Network, text: str, strict: bool) -> Resolved:
    c = net.cable(text)
    return Resolved("cable", str(c["id"]), str(c["name"]))


def _landing(net: Network, text: str, strict: bool) -> Resolved:
    lp = net.landing_point(text)
    return Resolved("landing", str(lp["id"]), str(lp["name"]))


def _segment(net: Network, text: str, strict: bool) -> Resolved:
    row = net.segments.iloc[net.segment_row(text)]
    cable = net.all_cables.set_index("id")["name"].get(row["cable_id"], row["cable_id"])
    return Resolved("segment", str(row["segment_id"]), f"{cable}, segment {row['segment_id']}")


def _chokepoint(net: Network, text: str, strict: bool) -> Resolved:
    region = chokepoint(text)
    cid = next(k for k, r in chokepoints().items() if r is region or r == region)
    return Resolved("chokepoint", cid, str(region.name))


def _incident(net: Network, text: str, strict: bool) -> Resolved:
    i = incident(text)
    return Resolved("incident", i.id, i.name)


#: The kinds of names :func:`resolve` takes (the web API's ``kind``).
NameKind = Literal[
    "place", "country", "metro", "cable", "landing", "segment", "chokepoint", "incident"
]
_RESOLVERS: dict[NameKind, Callable[[Network, str, bool], Resolved]] = {
    "place": _place,
    "country": _country,
    "metro": _metro,
    "cable": _cable,
    "landing": _landing,
    "segment": _segment,
    "chokepoint": _chokepoint,
    "incident": _incident,
}
#: The kinds of names :func:`resolve` takes.
NAME_KINDS: tuple[str, ...] = get_args(NameKind)


def resolve(net: Network, text: str, *, kind: str = "place", strict: bool = False) -> Resolved:
    """Resolve a name a user typed, as the commands that take ``kind`` do.

    Parameters
    ----------
    net
        The network (view) the name is looked up in.
    text
        What the user typed.
    kind
        One of :data:`NAME_KINDS` (default ``"place"``: anything a route takes).
    strict
        Places: refuse a name borne by several places instead of choosing the most
        important.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> resolve(net, "Ivory Coast", kind="country").id
    'CI'
    >>> resolve(net, "WACS", kind="cable").name
    'West Africa Cable System (WACS)'
    >>> resolve(net, "malacca", kind="chokepoint").id
    'malacca'
    """
    fn = _RESOLVERS.get(str(kind).strip().casefold())  # type: ignore[call-overload]
    if fn is None:
        raise UnknownNameError("kind of name", str(kind), NAME_KINDS, listed=NAME_KINDS)
    return fn(net, " ".join(str(text).split()), strict)
