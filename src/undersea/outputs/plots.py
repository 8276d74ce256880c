"""Static figures: hub rankings, RTT matrices and plans (matplotlib, the ``[plot]`` extra).

Every function returns a :class:`matplotlib.figure.Figure` built without ``pyplot``
(no global state, no display needed: the Agg canvas renders it), so it can be saved with
``fig.savefig("hubs.png")`` or shown in a notebook. Missing matplotlib raises
:class:`~undersea.MissingExtraError` naming the extra to install.

- :func:`plot_rank_history`: rank over time of the leading metros under one metric.
- :func:`plot_metro_ranks`: one metro's rank over time under several metrics.
- :func:`plot_hub_map`: a world map of metros, circles sized by a metric, over country
  outlines.
- :func:`plot_rtt_matrix`: heat map of a round-trip-time matrix.
- :func:`plot_plan`: map of a plan's chosen builds and runner-ups, with the targets' metric.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from undersea._compat import import_optional
from undersea._errors import InvalidArgumentError
from undersea.network.core import Network
from undersea.outputs.export import save_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from undersea.analysis.planning.optimise import Plan

# The planning module (and the impact model's numba kernels behind it) is imported by the
# plan's plots only: an RTT matrix or a hub chart is drawn without it.

__all__ = [
    "new_figure",
    "place_labels",
    "plot_hub_map",
    "plot_metro_ranks",
    "plot_plan",
    "plot_rank_history",
    "plot_rtt_matrix",
]

_HISTORY_COLUMNS = ("year", "metric", "rank", "metro_id", "name", "value")


def blank_figure(width: float, height: float) -> Figure:
    """A pyplot-free figure with an Agg canvas (no global state, no display needed)."""
    figure = import_optional("matplotlib.figure", "plot")
    agg = import_optional("matplotlib.backends.backend_agg", "plot")
    fig: Figure = figure.Figure(figsize=(width, height), layout="constrained")
    agg.FigureCanvasAgg(fig)
    return fig


def new_figure(width: float, height: float) -> tuple[Figure, Axes]:
    """A pyplot-free figure with an Agg canvas, and its axes."""
    fig = blank_figure(width, height)
    return fig, fig.add_subplot()


def _check_history(history: pd.DataFrame) -> None:
    missing = [c for c in _HISTORY_COLUMNS if c not in history.columns]
    if missing:
        raise InvalidArgumentError(
            f"not a hub history table (lacks {', '.join(missing)}): use hub_history(...)"
        )
    if history.empty:
        raise InvalidArgumentError("the hub history is empty: nothing to plot")


def _one_metric(history: pd.DataFrame, metric: str | None) -> tuple[pd.DataFrame, str]:
    names = list(dict.fromkeys(history["metric"]))
    chosen = names[0] if metric is None else metric
    if chosen not in names:
        raise InvalidArgumentError(
            f"metric {chosen!r} is not in this history (it has {', '.join(names)})"
        )
    return history.loc[history["metric"] == chosen], chosen


def _rank_axes(ax: Axes, worst: float, title: str) -> None:
    """Log rank axis, rank 1 on top, so that the leaders stay apart; whole years along x."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # 2012, never 2012.5
    worst = max(worst, 2.0)
    ax.set_yscale("log")
    ax.set_ylim(worst * 1.15, 0.85)
    ticks = [t for t in (1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 2000) if t <= worst * 1.15]
    ax.set_yticks(ticks, [str(t) for t in ticks])
    ax.minorticks_off()
    ax.set_ylabel("rank (1 = largest, log scale)")
    ax.set_xlabel("year")
    ax.set_title(title, fontsize=10)
    ax.grid(True, alpha=0.3, linewidth=0.5)


def plot_rank_history(
    history: pd.DataFrame,
    *,
    metric: str | None = None,
    metros: Sequence[str] | None = None,
    top: int = 10,
    title: str | None = None,
) -> Figure:
    """Rank over time of metros under one metric.

    Parameters
    ----------
    history
        A :func:`~undersea.analysis.hubs.history.hub_history` table.
    metric
        The metric to draw; default the table's first.
    metros
        Metro ids to draw; default the ``top`` metros of the last year.
    top
        How many metros when ``metros`` is not given.
    title
        Figure title; a default names the metric and the years.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    MissingExtraError
        Without matplotlib (``pip install 'undersea[plot]'``).
    InvalidArgumentError
        Not a history table, an empty one, or a metric it lacks.
    """
    _check_history(history)
    h, chosen = _one_metric(history, metric)
    last = h.loc[h["year"] == h["year"].max()]
    ids = list(metros) if metros is not None else list(last.head(top)["metro_id"])
    fig, ax = new_figure(8.0, 4.5)
    for mid in ids:
        line = h.loc[h["metro_id"] == mid].sort_values("year")
        if line.empty:
            continue
        rank = line["rank"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        ax.plot(
            line["year"],
            rank,
            marker="o",
            markersize=2.5,
            linewidth=1.4,
            label=line["name"].iloc[0],
        )
    drawn = h.loc[h["metro_id"].isin(ids), "rank"].astype("Float64")
    worst = float(np.nanmax(drawn.to_numpy(dtype=float, na_value=np.nan), initial=1.0))
    years = f"{int(h['year'].min())}-{int(h['year'].max())}"
    _rank_axes(ax, worst, title or f"Hub rank by {chosen}, {years}")
    ax.legend(fontsize=7, ncols=2, loc="lower left", frameon=False)
    return fig


#: Line styles of successive rounds of the colour cycle (``plot_metro_ranks``).
_LINE_STYLES = ("-", "--", ":")


def plot_metro_ranks(
    history: pd.DataFrame,
    metro: str,
    *,
    metrics: Sequence[str] | None = None,
    title: str | None = None,
) -> Figure:
    """One metro's rank over time, one line per metric.

    Parameters
    ----------
    history
        A :func:`~undersea.analysis.hubs.history.hub_history` table with several metrics
        (``by="all"``) that includes ``metro`` (its id).
    metro
        The metro id.
    metrics
        Metrics to draw; default every metric with at least one rank.
    title
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_history(history)
    mine = history.loc[history["metro_id"] == metro]
    if mine.empty:
        raise InvalidArgumentError(f"metro {metro!r} is not in this history")
    names = list(dict.fromkeys(mine["metric"])) if metrics is None else list(metrics)
    fig, ax = new_figure(8.0, 4.5)
    from matplotlib import rcParams

    worst, drawn = 1.0, 0
    colours = len(rcParams["axes.prop_cycle"].by_key().get("color", [])) or 1
    for name in names:
        line = mine.loc[mine["metric"] == name].sort_values("year")
        rank = line["rank"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        if np.isnan(rank).all():
            continue
        worst = max(worst, float(np.nanmax(rank)))
        # past the colour cycle (10 colours), colours repeat: a dash tells the lines apart
        style = _LINE_STYLES[(drawn // colours) % len(_LINE_STYLES)]
        ax.plot(line["year"], rank, style, marker="o", markersize=2.5, linewidth=1.4,
                label=name)  # fmt: skip
        drawn += 1
    _rank_axes(ax, worst, title or f"{mine['name'].iloc[0]}: rank among world hubs")
    ax.legend(fontsize=7, ncols=3, loc="lower right", frameon=False)
    return fig


def _country_outlines(ax: Axes, countries: pd.DataFrame) -> None:
    import shapely
    from matplotlib.collections import PolyCollection

    parts = shapely.get_parts(np.asarray(countries["geometry"].to_numpy(), dtype=object))
    rings = shapely.get_exterior_ring(parts[shapely.get_type_id(parts) == 3])
    coords, index = shapely.get_coordinates(rings, return_index=True)
    cuts = np.flatnonzero(np.diff(index)) + 1
    polys = np.split(coords, cuts)
    ax.add_collection(
        PolyCollection(polys, facecolor="#e4e4e4", edgecolor="white", linewidth=0.3, zorder=0)
    )


#: Label offsets tried around a point, in points: 8 directions on rings 4, 10, 18, ... pt.
_RINGS = (4.0, 10.0, 18.0, 28.0, 40.0, 54.0, 70.0)
_DIRECTIONS = ((1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1))


def place_labels(
    ax: Axes,
    x: np.ndarray,
    y: np.ndarray,
    texts: Sequence[str],
    *,
    fontsize: float = 6.5,
    points: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[Any]:
    """Label points without two labels overlapping, in order of priority (first first).

    Each label takes the first free spot of 8 directions on widening rings around its
    point (:data:`_RINGS`), inside the axes, covering no other point (of ``x, y`` and of
    ``points``, every point drawn: a label over a neighbour's marker reads as that
    neighbour's); past the first ring a thin leader line joins it to its point. A label
    with no free spot on any ring is left out (so labels never overlap), and a warning
    names it. Deterministic: the same input, the same layout.

    Call it last, once everything else is drawn: the figure is laid out first and that
    layout kept (its layout engine switched off), so that the labels stay where they were
    measured; a layout run again afterwards would move the points under them.

    Returns
    -------
    list
        The matplotlib ``Annotation`` objects placed.
    """
    fig = ax.get_figure(root=True)
    assert fig is not None
    fig.draw_without_rendering()  # measure in the final layout, and keep it
    fig.set_layout_engine("none")
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = ax.get_window_extent(renderer)
    xs, ys = (np.r_[x, points[0]], np.r_[y, points[1]]) if points is not None else (x, y)
    drawn = ax.transData.transform(np.c_[np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)])
    taken: list[Any] = []
    placed: list[Any] = []
    for px, py, text in zip(x, y, texts, strict=True):
        xy = (float(px), float(py))
        others = drawn[~np.all(np.isclose(drawn, ax.transData.transform(xy)), axis=1)]
        label = _free_spot(ax, renderer, frame, (taken, others), xy, text, fontsize)
        if label is None:
            warnings.warn(f"no room for the label {text!r}: left out", stacklevel=2)
            continue
        taken.append(_text_box(label, renderer).expanded(1.04, 1.1))
        placed.append(label)
    return placed


def _text_box(label: Any, renderer: Any) -> Any:
    """Display box of an annotation's text alone (its leader line left out)."""
    from matplotlib.text import Text

    label.update_positions(renderer)
    return Text.get_window_extent(label, renderer)


def _free_spot(
    ax: Axes,
    renderer: Any,
    frame: Any,
    obstacles: tuple[list[Any], np.ndarray],
    xy: tuple[float, float],
    text: str,
    fontsize: float,
) -> Any:
    """The first label position clear of the frame's edge, of the labels ``taken`` and of
    the ``others`` points (display coordinates), or None."""
    taken, others = obstacles
    for ring in _RINGS:
        for dx, dy in _DIRECTIONS:
            label = ax.annotate(
                text,
                xy,
                xytext=(dx * ring, dy * ring),
                textcoords="offset points",
                fontsize=fontsize,
                ha="left" if dx > 0 else "right" if dx < 0 else "center",
                va="bottom" if dy > 0 else "top" if dy < 0 else "center",
                zorder=3,
                arrowprops={"arrowstyle": "-", "lw": 0.4, "color": "#555555"}
                if ring > _RINGS[0]
                else None,
            )
            box = _text_box(label, renderer)
            inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
            covers = box.padded(2.0).count_contains(others) > 0
            if inside and not covers and not any(box.overlaps(other) for other in taken):
                return label
            label.remove()
    return None


def plot_hub_map(
    ranking: pd.DataFrame,
    *,
    countries: pd.DataFrame | None = None,
    top: int = 30,
    labels: int = 12,
    metric: str | None = None,
    title: str | None = None,
) -> Figure:
    """A world map of hubs: circles sized by a metric over country outlines.

    Parameters
    ----------
    ranking
        A :func:`~undersea.analysis.hubs.ranking.hub_ranking` table (rank, name, lon, lat, value).
    countries
        A ``countries`` table with shapely geometries (``net.countries``); the map has no
        outlines without it.
    top
        How many metros to draw (the first rows).
    labels
        How many of them to name.
    metric
        The metric's name, for the title.
    title
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    need = {"rank", "name", "lon", "lat", "value"}
    if not need <= set(ranking.columns):
        raise InvalidArgumentError("not a hub ranking table: use hub_ranking(...)")
    rows = ranking.loc[ranking["value"].notna()].head(top)
    fig, ax = new_figure(9.0, 4.3)
    if countries is not None and len(countries):
        _country_outlines(ax, countries)
    value = rows["value"].to_numpy(dtype=float)
    peak = value.max() if len(value) and value.max() > 0 else 1.0
    size = 600.0 * np.sqrt(np.clip(value, 0, None) / peak) + 4.0
    ax.scatter(
        rows["lon"],
        rows["lat"],
        s=size,
        c="#c0392b",
        alpha=0.55,
        edgecolors="#7b241c",
        linewidths=0.5,
        zorder=2,
    )
    ax.set_xlim(-180, 180)
    ax.set_ylim(-60, 85)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(title or f"Top {len(rows)} hubs by {metric or 'value'}", fontsize=10)
    named = rows.head(labels)
    place_labels(
        ax,
        named["lon"].to_numpy(dtype=float),
        named["lat"].to_numpy(dtype=float),
        [f"{r.rank}. {r.name}" for r in named.itertuples(index=False)],
        fontsize=6.5,
        points=(rows["lon"].to_numpy(dtype=float), rows["lat"].to_numpy(dtype=float)),
    )
    return fig


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
    n = len(matrix)
    side = min(2.0 + 0.45 * n, 30.0)
    fig = blank_figure(side + 1.5, side)
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
        save_figure(fig, path, dpi=150)
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


def plot_plan(plan: Plan, path: Any = None, *, runner_ups: int = 5, margin_deg: float = 6.0) -> Any:
    """Map of a plan (matplotlib ``Figure``), saved to ``path`` when given.

    Cables in service in grey, the chosen builds in red (numbered by step), the best
    ``runner_ups`` other candidates dashed, the targets' landing points as dots; beside
    it the objective's metric per target before and after. Needs the ``plot`` extra.
    """
    from undersea.analysis.planning.optimise import new_build_lines

    base = plan.base
    fig = blank_figure(10.0, 5.6)
    ax, bx = fig.subplots(1, 2, width_ratios=[2.2, 1.0])
    chosen = [new_build_lines(base, c.apply(base)) for c in plan.builds]
    others = plan.candidates[~plan.candidates["chosen"]].head(runner_ups)["id"]
    pool = {c.id: c for c in plan.pool}
    runners = [new_build_lines(base, pool[i].apply(base)) for i in others if i in pool]
    pts = np.concatenate([np.concatenate(x) for x in chosen + runners if x] or [np.zeros((0, 2))])
    iso2 = set(plan.targets["iso2"])
    own = base.nodes[base.nodes["iso2"].isin(iso2) & base.nodes["kind"].eq("landing")]
    pts = np.concatenate([pts, own[["lon", "lat"]].to_numpy(float)])
    (x0, y0), (x1, y1) = pts.min(axis=0) - margin_deg, pts.max(axis=0) + margin_deg
    _draw_land(ax, base, iso2)
    for j in np.flatnonzero(base.active):
        xy = base.coords[base.offsets[j] : base.offsets[j + 1]]
        ax.plot(xy[:, 0], xy[:, 1], color="0.55", lw=0.6, zorder=2)
    for lines in runners:
        for xy in lines:
            ax.plot(xy[:, 0], xy[:, 1], color="tab:orange", lw=1.2, ls="--", zorder=3)
    for step, lines in enumerate(chosen, start=1):
        for xy in lines:
            ax.plot(xy[:, 0], xy[:, 1], color="tab:red", lw=2.4, zorder=4)
        if lines:
            mid = lines[-1][len(lines[-1]) // 2]
            ax.annotate(
                str(step),
                mid,
                color="tab:red",
                fontsize=11,
                weight="bold",
                zorder=5,
                xytext=(4, 4),
                textcoords="offset points",
            )
    ax.scatter(own["lon"], own["lat"], s=18, color="black", zorder=5)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1.0 / np.cos(np.radians((y0 + y1) / 2)))
    ax.set_title(f"Chosen builds (red, by step) and runner-ups (dashed): {plan.method}", fontsize=9)
    _bars(bx, plan)
    if path is not None:
        save_figure(fig, path, dpi=110)
    return fig


def _draw_land(ax: Any, net: Network, targets: set[str]) -> None:
    if net.countries is None:
        return
    for row in net.countries.itertuples(index=False):
        geoms = getattr(row.geometry, "geoms", [row.geometry])
        colour = "#f3d9b1" if row.iso2 in targets else "#ececec"
        for g in geoms:
            x, y = g.exterior.xy
            ax.fill(x, y, color=colour, ec="white", lw=0.4, zorder=1)


def _bars(ax: Any, plan: Plan) -> None:
    from undersea.analysis.planning.optimise import OBJECTIVE_METRIC

    metric = OBJECTIVE_METRIC[plan.objective]
    t = plan.targets
    y = np.arange(len(t))
    ax.barh(y - 0.2, t[f"{metric}_before"], height=0.4, color="0.6", label="before")
    ax.barh(y + 0.2, t[f"{metric}_after"], height=0.4, color="tab:red", label="after")
    ax.set_yticks(y, t["name"])
    ax.invert_yaxis()
    ax.set_xlabel(
        {
            "severe": "P(severe loss)",
            "population": "people affected (expected)",
            "rtt": "RTT to the core (ms)",
        }[plan.objective]
    )
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(f"{plan.n_scenarios:,} scenarios, seed {plan.seed}", fontsize=9)
