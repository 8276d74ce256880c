"""Figures of the HTML reports (matplotlib, Agg canvas, no pyplot), embedded as PNG.

Kept apart from :mod:`undersea.outputs.report` so that the report stays text and layout. Every
function returns a ``data:image/png;base64,...`` URI, ready for an ``<img src>``.
"""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from undersea.geo.geojson import split_antimeridian
from undersea.outputs.plots import new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from undersea.network.core import Network

__all__ = ["cable_map", "figure_uri", "new_figure", "series_chart"]

_LAND = "#e6e6e6"
_FOCUS = "#f3d9a4"
_PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#393b79", "#ad494a",
)  # fmt: skip


def figure_uri(fig: Figure, *, dpi: int = 110) -> str:
    """The figure as a base64 PNG data URI."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _outlines(ax: Axes, countries: pd.DataFrame | None, focus_iso3: str | None) -> None:
    from matplotlib.collections import PolyCollection

    if countries is None or not len(countries):
        return
    for focus in (False, True):
        rows = countries[(countries["iso3"] == focus_iso3) == focus]
        if not len(rows):
            continue
        parts = shapely.get_parts(np.asarray(rows["geometry"].to_numpy(), dtype=object))
        rings = shapely.get_exterior_ring(parts[shapely.get_type_id(parts) == 3])
        coords, index = shapely.get_coordinates(rings, return_index=True)
        polys = np.split(coords, np.flatnonzero(np.diff(index)) + 1)
        ax.add_collection(
            PolyCollection(
                polys,
                facecolor=_FOCUS if focus else _LAND,
                edgecolor="white",
                linewidth=0.3,
                zorder=0,
            )
        )


def _segment_lines(net: Network, rows: np.ndarray) -> list[np.ndarray]:
    lines: list[np.ndarray] = []
    for i in rows:  # one record each: a cable's few dozen segments at most
        lines += [
            np.asarray(p)
            for p in split_antimeridian(net.coords[net.offsets[i] : net.offsets[i + 1]])
        ]
    return lines


def _extent(lines: list[np.ndarray], points: pd.DataFrame) -> tuple[float, float, float, float]:
    xy = [*lines, points[["lon", "lat"]].to_numpy(dtype=float)]
    allxy = np.vstack([a for a in xy if len(a)]) if any(len(a) for a in xy) else np.zeros((0, 2))
    if not len(allxy):
        return -180.0, 180.0, -60.0, 85.0
    x0, y0 = allxy.min(axis=0)
    x1, y1 = allxy.max(axis=0)
    pad_x, pad_y = max(5.0, 0.08 * (x1 - x0)), max(4.0, 0.08 * (y1 - y0))
    x0, x1 = max(-180.0, x0 - pad_x), min(180.0, x1 + pad_x)
    y0, y1 = max(-80.0, y0 - pad_y), min(85.0, y1 + pad_y)
    return x0, x1, y0, y1


def cable_map(
    net: Network,
    cable_rows: list[int],
    points: pd.DataFrame,
    *,
    focus_iso3: str | None = None,
    title: str = "",
) -> str:
    """A map of some cables' segments over country outlines, with named points.

    Parameters
    ----------
    net
        The network (segments in service in its view are drawn solid, others dashed).
    cable_rows
        Rows of ``net.all_cables`` to draw, one colour each (the first dozen in the legend).
    points
        lon, lat, label: the places to mark (the metro, the country's landing points).
    focus_iso3
        A country to shade.
    title
        The map's title.
    """
    from matplotlib.collections import LineCollection

    fig, ax = new_figure(9.0, 4.8)
    _outlines(ax, net.countries, focus_iso3)
    names = net.all_cables["name"].to_numpy(dtype=object)
    all_lines: list[np.ndarray] = []
    for k, row in enumerate(cable_rows):
        segs = np.flatnonzero(net.seg_cable == row)
        live = net.active[segs]
        colour = _PALETTE[k % len(_PALETTE)]
        for on in (True, False):
            lines = _segment_lines(net, segs[live == on])
            all_lines += lines
            if lines:
                ax.add_collection(
                    LineCollection(
                        lines,
                        colors=colour,
                        linewidths=1.4 if on else 0.9,
                        linestyles="solid" if on else (0, (3, 2)),
                        alpha=0.9,
                        zorder=2,
                        label=str(names[row]) if on or not live.any() else None,
                    )
                )
    ax.scatter(points["lon"], points["lat"], s=22, c="#111111", zorder=3)
    for r in points.itertuples(index=False):
        ax.annotate(str(r.label), (r.lon, r.lat), fontsize=7, xytext=(4, 3),
                    textcoords="offset points", zorder=4)  # fmt: skip
    x0, x1, y0, y1 = _extent(all_lines, points)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)
    if 0 < len(cable_rows) <= 16:
        ax.legend(fontsize=6.5, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    return figure_uri(fig)


def series_chart(df: pd.DataFrame, x: str, ys: dict[str, str], *, title: str, ylabel: str) -> str:
    """A small line chart of ``df[ys]`` against ``df[x]`` (labels in ``ys`` values): whole
    numbers on both axes (years, counts)."""
    from matplotlib.ticker import MaxNLocator

    fig, ax = new_figure(7.5, 3.0)
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MaxNLocator(integer=True))
    for col, label in ys.items():
        ax.plot(df[x], df[col].astype(float), marker="o", markersize=2.5, linewidth=1.4,
                label=label)  # fmt: skip
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, frameon=False)
    return figure_uri(fig)
