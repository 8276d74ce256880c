"""Round-trip-time matrices between many places: one multi-source Dijkstra, a DataFrame.

:func:`rtt_matrix` resolves every place (metros by default, or countries: each country is
its main exchange metro, else its best-connected metro, as a route to it ends: see
:mod:`undersea.analysis.routes.places`) and runs
:func:`scipy.sparse.csgraph.dijkstra` once from all of them on the delay graph of
:mod:`undersea.analysis.routes.routing` (same latency model and hop allowance as
:func:`~undersea.analysis.routes.routing.shortest_route`, so a matrix cell equals that function's
``rtt_ms``). Unreachable pairs are ``NaN``; the diagonal is 0. A known country with no
metro in the network (Antarctica) has a row and a column of ``NaN``, its diagonal too, rather
than refusing the matrix; an unknown name still raises. :func:`rtt_matrices` gives the
estimate, its interval and the physical floor together (two Dijkstras).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import dijkstra

from undersea._errors import InvalidArgumentError, NoRouteError
from undersea.analysis.routes.anchors import _node_place
from undersea.analysis.routes.latency import LatencyModel, latency_model
from undersea.analysis.routes.lookups import _country_name
from undersea.analysis.routes.places import Place, country_code, resolve_place
from undersea.analysis.routes.routing import _build, _mask, latency_assumptions, split_places
from undersea.network.core import Network
from undersea.settings import Settings

__all__ = ["RTT_FIELDS", "rtt_matrices", "rtt_matrix"]

#: The matrices of :func:`rtt_matrices`, by name.
RTT_FIELDS: tuple[str, ...] = ("rtt_ms", "rtt_low_ms", "rtt_high_ms", "rtt_floor_ms")


def rtt_matrix(
    net: Network,
    *,
    metros: Sequence[str | tuple[float, float] | Place] | None = None,
    countries: Sequence[str] | None = None,
    latency: str = "calibrated",
    settings: Settings | None = None,
    strict: bool = False,
) -> pd.DataFrame:
    """All-pairs round-trip time (ms) between metros (or any places) or countries.

    Parameters
    ----------
    metros
        Places to compare (metro names, cities, landing points, ``(lon, lat)``...), or one
        text listing them as the command line does (``"Lagos,Marseille"``:
        :func:`~undersea.analysis.routes.routing.split_places`); every metro of the
        network (the landing points without a land layer) when both ``metros`` and
        ``countries`` are ``None``.
    countries
        Countries (ISO2, ISO3 or names), each as a route to it ends (its main exchange
        metro, else its best-connected metro); rows and columns are then labelled by the
        country's name. A known country with no metro in this network (Antarctica,
        Somaliland; or one whose landing points a what-if removed) gets a row and a
        column of ``NaN``, as a country with no route does; the same holds for a country
        named in ``metros``.
    latency
        ``"calibrated"`` (the estimate) or ``"physical"`` (the floor), see
        :mod:`undersea.analysis.routes.latency`.

    strict
        Refuse a place name borne by several places instead of choosing the most important.

    Returns
    -------
    pandas.DataFrame
        Square, rows = from, columns = to, RTT in ms (``NaN``: no route, or a country
        with no metro). ``attrs`` holds ``places`` (one dict per row; a country with no
        metro has no anchor, ``lon``/``lat`` NaN and a ``note`` saying so) and
        ``assumptions``.

    Raises
    ------
    UnknownNameError, AmbiguousNameError
        A name that is no place (close matches listed), or one several places bear with
        ``strict=True``.
    InvalidArgumentError
        Both ``metros`` and ``countries`` given, or neither holding a place.

    Examples
    --------
    >>> import undersea
    >>> from undersea.analysis.routes.matrix import rtt_matrix
    >>> m = rtt_matrix(undersea.load(sample=True), metros=["Lagos", "Marseille", "Mumbai"])
    >>> m.shape
    (3, 3)
    """
    s = settings or net.settings
    places = _places(net, metros, countries, s, strict=strict)
    model = latency_model(s, latency)
    return _frame(net, places, _rtt_values(net, places, model), s, latency)


def rtt_matrices(
    net: Network,
    *,
    metros: Sequence[str | tuple[float, float] | Place] | None = None,
    countries: Sequence[str] | None = None,
    settings: Settings | None = None,
    strict: bool = False,
) -> dict[str, pd.DataFrame]:
    """The calibrated RTT matrix, its interval's two ends and the physical floor.

    Same places and labels as :func:`rtt_matrix`; keys :data:`RTT_FIELDS`. The floor is
    the physical estimate of the least-delay physical path (``latency="physical"``).

    Examples
    --------
    >>> import undersea
    >>> from undersea.analysis.routes.matrix import rtt_matrices
    >>> ms = rtt_matrices(undersea.load(sample=True), metros=["Lagos", "Marseille"])
    >>> bool((ms["rtt_low_ms"] <= ms["rtt_ms"]).all().all())
    True
    """
    s = settings or net.settings
    places = _places(net, metros, countries, s, strict=strict)
    model = latency_model(s, "calibrated")
    rtt = _rtt_values(net, places, model)
    low, high = model.bounds(rtt)
    floor = _rtt_values(net, places, latency_model(s, "physical"))
    values = dict(zip(RTT_FIELDS, (rtt, low, high, floor), strict=True))
    return {k: _frame(net, places, v, s, "calibrated") for k, v in values.items()}


def _frame(
    net: Network, places: Sequence[Place], values: np.ndarray, s: Settings, latency: str
) -> pd.DataFrame:
    labels = [p.name for p in places]
    df = pd.DataFrame(values, index=pd.Index(labels, name="from"), columns=labels)
    df.columns.name = "to"
    df.attrs["places"] = [p.as_dict() for p in places]
    df.attrs["assumptions"] = latency_assumptions(net, s, latency=latency)
    return df


def _places(
    net: Network,
    metros: Sequence[str | tuple[float, float] | Place] | None,
    countries: Sequence[str] | None,
    s: Settings,
    *,
    strict: bool = False,
) -> list[Place]:
    if metros is not None and countries is not None:
        raise InvalidArgumentError("give metros or countries, not both")
    if isinstance(metros, str):  # "Lagos,Marseille" as the command line takes it
        metros = split_places([metros])
    if isinstance(countries, str):
        countries = split_places([countries])
    if countries is None and metros is None:
        return _all_metros(net)
    items: list[Any] = (
        list(metros or ()) if countries is None else [f"country:{c}" for c in countries]
    )
    unique: dict[str, Place] = {}
    for item in items:
        p = _resolve(net, item, s, strict=strict)
        unique.setdefault(p.id, p)
    if not unique:
        raise InvalidArgumentError("no places to compare: give at least one metro or country")
    return list(unique.values())


def _resolve(net: Network, item: Any, s: Settings, *, strict: bool) -> Place:
    """``item`` as a place; a known country with no metro (or landing point) in this
    network is a place with no anchor, whose cells are NaN."""
    try:
        return resolve_place(net, item, settings=s, strict=strict)
    except NoRouteError as exc:
        text = " ".join(str(item).split()).removeprefix("country:")
        code = country_code(net, text) if isinstance(item, str) else None
        if code is None:
            raise
        name = _country_name(net, code)
        return Place(name, "country", f"country:{code}", np.nan, np.nan, code, (), note=str(exc))


def _all_metros(net: Network) -> list[Place]:
    """Every live metro (every served landing point when there is no land layer)."""
    nodes = net.nodes
    kind = "metro" if net.metros is not None and net.link_active.any() else "landing"
    live = nodes["kind"].eq(kind).to_numpy() & ~net.failed_nodes
    if kind == "landing":
        live &= nodes["node_id"].isin(set(net.landing_points["id"])).to_numpy()
    return [_node_place(net, int(i), kind) for i in np.flatnonzero(live)]


def _rtt_values(net: Network, places: Sequence[Place], model: LatencyModel) -> np.ndarray:
    """RTT (ms) between every pair of places, from one multi-source Dijkstra (NaN rows
    and columns for places without an anchor)."""
    live = np.array([bool(p.anchors) for p in places], dtype=bool)
    out = np.full((len(places), len(places)), np.nan)
    if not live.any():
        return out
    g = _build(net, [p for p in places if p.anchors], _mask(net, None), model)
    sources, inverse = np.unique(g.src, return_inverse=True)
    dist = np.asarray(dijkstra(g.w, directed=True, indices=sources))
    one_way = dist[inverse][:, g.dst]
    rtt = 2.0 * one_way + np.where(one_way > 0, model.end_ms, 0.0)  # one node: no trip
    rtt[~np.isfinite(rtt)] = np.nan
    np.fill_diagonal(rtt, 0.0)
    out[np.ix_(live, live)] = rtt
    return out
