"""Round-trip-time matrices between many places: one multi-source Dijkstra, a DataFrame.

:func:`rtt_matrix` resolves every place (metros by default, or countries: each country is
its best-connected metro, see :mod:`undersea.analysis.routes.places`) and runs
:func:`scipy.sparse.csgraph.dijkstra` once from all of them on the delay graph of
:mod:`undersea.analysis.routes.routing` (same latency model and hop allowance as
:func:`~undersea.analysis.routes.routing.shortest_route`, so a matrix cell equals that function's
``rtt_ms``). Unreachable pairs are ``NaN``; the diagonal is 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import dijkstra

from undersea._errors import InvalidScenarioError, MissingExtraError, OutputError
from undersea.analysis.routes.places import Place, _node_place, resolve_place
from undersea.analysis.routes.routing import _build, _mask, latency_assumptions
from undersea.network.core import Network
from undersea.settings import Settings

__all__ = ["plot_rtt_matrix", "rtt_matrix", "write_matrix"]


def rtt_matrix(
    net: Network,
    *,
    metros: Sequence[str | tuple[float, float] | Place] | None = None,
    countries: Sequence[str] | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """All-pairs round-trip time (ms) between metros (or any places) or countries.

    Parameters
    ----------
    metros
        Places to compare (metro names, cities, landing points, ``(lon, lat)``...); every
        metro of the network (the landing points without a land layer) when both
        ``metros`` and ``countries`` are ``None``.
    countries
        Countries (ISO2, ISO3 or names), each as its best-connected metro; rows and
        columns are then labelled by the country's name.

    Returns
    -------
    pandas.DataFrame
        Square, rows = from, columns = to, RTT in ms (``NaN``: no route). ``attrs``
        holds ``places`` (one dict per row) and ``assumptions``.

    Examples
    --------
    >>> import undersea
    >>> from undersea.analysis.routes.matrix import rtt_matrix
    >>> m = rtt_matrix(undersea.load(sample=True), metros=["Lagos", "Marseille", "Mumbai"])
    >>> m.shape
    (3, 3)
    """
    if metros is not None and countries is not None:
        raise InvalidScenarioError("give metros or countries, not both")
    s = settings or net.settings
    places = _places(net, metros, countries, s)
    values = _rtt_values(net, places, s)
    labels = [p.name for p in places]
    df = pd.DataFrame(values, index=pd.Index(labels, name="from"), columns=labels)
    df.columns.name = "to"
    df.attrs["places"] = [p.as_dict() for p in places]
    df.attrs["assumptions"] = latency_assumptions(net, s)
    return df


def _places(
    net: Network,
    metros: Sequence[str | tuple[float, float] | Place] | None,
    countries: Sequence[str] | None,
    s: Settings,
) -> list[Place]:
    if countries is None and metros is None:
        return _all_metros(net)
    items: list[Any] = (
        list(metros or ()) if countries is None else [f"country:{c}" for c in countries]
    )
    unique: dict[str, Place] = {}
    for item in items:
        p = resolve_place(net, item, settings=s)
        unique.setdefault(p.id, p)
    if not unique:
        raise InvalidScenarioError("no places to compare: give at least one metro or country")
    return list(unique.values())


def _all_metros(net: Network) -> list[Place]:
    """Every live metro (every served landing point when there is no land layer)."""
    nodes = net.nodes
    kind = "metro" if net.metros is not None and net.link_active.any() else "landing"
    live = nodes["kind"].eq(kind).to_numpy() & ~net.failed_nodes
    if kind == "landing":
        live &= nodes["node_id"].isin(set(net.landing_points["id"])).to_numpy()
    return [_node_place(net, int(i), kind) for i in np.flatnonzero(live)]


def _rtt_values(net: Network, places: Sequence[Place], s: Settings) -> np.ndarray:
    """RTT (ms) between every pair of places, from one multi-source Dijkstra."""
    g = _build(net, places, _mask(net, None), s)
    sources, inverse = np.unique(g.src, return_inverse=True)
    dist = np.asarray(dijkstra(g.w, directed=True, indices=sources))
    out = 2.0 * dist[inverse][:, g.dst]
    out[~np.isfinite(out)] = np.nan
    np.fill_diagonal(out, 0.0)
    return out


def write_matrix(matrix: pd.DataFrame, path: str | Path) -> Path:
    """Write a matrix to ``.csv`` (first column ``from``) or ``.parquet``; return the path."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        matrix.to_csv(p, index_label="from", float_format="%.3f")
    elif suffix == ".parquet":
        frame = matrix.copy()
        frame.attrs = {}
        frame.reset_index().to_parquet(p, index=False)
    else:
        raise OutputError(f"cannot write {p.name}: use a .csv or .parquet file name")
    return p


def plot_rtt_matrix(
    matrix: pd.DataFrame,
    path: str | Path | None = None,
    *,
    title: str | None = None,
    annotate: bool | None = None,
) -> Any:
    """Heat map of an RTT matrix (matplotlib ``Figure``), saved to ``path`` when given.

    Needs the ``plot`` extra (matplotlib). Cells are annotated with their value when the
    matrix is at most 12 x 12 (``annotate`` forces it on or off); unreachable cells are
    grey.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingExtraError("matplotlib", "plot") from exc
    n = len(matrix)
    side = min(2.0 + 0.45 * n, 30.0)
    fig = Figure(figsize=(side + 1.5, side), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    data = np.ma.masked_invalid(matrix.to_numpy(dtype=float))
    cmap = _cmap()
    im = ax.imshow(data, cmap=cmap, interpolation="nearest")
    ax.set_xticks(range(n), [str(c) for c in matrix.columns], rotation=60, ha="right")
    ax.set_yticks(range(n), [str(i) for i in matrix.index])
    fig.colorbar(im, ax=ax, label="round-trip time (ms)")
    ax.set_title(title or "Estimated round-trip time (ms)")
    if annotate if annotate is not None else n <= 12:
        _annotate(ax, data)
    if path is not None:
        fig.savefig(path, dpi=150)
    return fig


def _cmap() -> Any:
    from matplotlib import colormaps

    return colormaps["viridis"].with_extremes(bad="lightgrey")


def _annotate(ax: Any, data: np.ma.MaskedArray) -> None:
    top = float(data.max()) if data.count() else 0.0
    for (i, j), v in np.ndenumerate(data.filled(np.nan)):
        if np.isfinite(v):
            colour = "white" if v < 0.6 * top else "black"
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=7, color=colour)
