"""Static hub figures (undersea.outputs.plots): rank history, one metro's ranks, world map."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import undersea
from undersea._errors import InvalidArgumentError, MissingExtraError
from undersea.analysis.hubs.history import hub_history
from undersea.analysis.hubs.ranking import hub_ranking
from undersea.outputs.plots import plot_hub_map, plot_metro_ranks, plot_rank_history

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def sample() -> undersea.Network:
    return undersea.load(sample=True)


@pytest.fixture(scope="module")
def history(sample) -> pd.DataFrame:
    return hub_history(sample, years=range(2000, 2016), by=["cables", "betweenness"])


def _png(fig, path: Path) -> bytes:
    fig.savefig(path, dpi=60)
    return path.read_bytes()


def test_rank_history_draws_the_leaders(history, tmp_path: Path) -> None:
    fig = plot_rank_history(history, metric="betweenness", top=4)
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 4
    last = history.loc[(history["metric"] == "betweenness") & (history["year"] == 2015)]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == last["name"].head(4).tolist()
    lo, hi = ax.get_ylim()
    assert lo > hi  # rank 1 on top
    assert "betweenness" in ax.get_title()
    assert _png(fig, tmp_path / "h.png")[:4] == b"\x89PNG"


@pytest.mark.parametrize("years", [range(2005, 2025), range(2010, 2014)])
def test_rank_history_ticks_whole_years(sample, years: range) -> None:
    """`hubs --plot --since 2005` labelled its x axis 2007.5, 2012.5, ..."""
    hist = hub_history(sample, years=years, by="cables")
    for fig in (plot_rank_history(hist), plot_metro_ranks(hist, "lisbon-pt")):
        ax = fig.axes[0]
        fig.canvas.draw()
        shown = [t for t in ax.get_xticks() if years[0] <= t <= years[-1]]
        assert shown, ax.get_xticks()
        assert all(float(t).is_integer() for t in shown), shown
        assert all("." not in t.get_text() for t in ax.get_xticklabels() if t.get_text())


def test_metro_ranks_tells_every_metric_apart() -> None:
    """13 metrics over 10 colours: cables and ix_participants were the same blue line."""
    from undersea.analysis.hubs.ranking import METRICS

    hist = pd.DataFrame(
        [
            {"year": y, "metric": m, "rank": k + y - 2019, "metro_id": "x", "name": "X",
             "value": 1.0}
            for k, m in enumerate(METRICS, 1)
            for y in (2020, 2021)
        ]
    )  # fmt: skip
    lines = plot_metro_ranks(hist, "x").axes[0].get_lines()
    assert len(lines) == len(METRICS) > 10
    looks = {(line.get_color(), line.get_linestyle()) for line in lines}
    assert len(looks) == len(lines)


def test_rank_history_chosen_metros_and_default_metric(history) -> None:
    fig = plot_rank_history(history, metros=["lisbon-pt", "nowhere"], title="Lisbon")
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 1  # an absent metro is skipped
    assert ax.get_title() == "Lisbon"
    _years, ranks = ax.get_lines()[0].get_data()
    lisbon = history.query("metric == 'cables' and metro_id == 'lisbon-pt'")
    # years before its first cable have no rank (NaN): a gap in the line
    np.testing.assert_array_equal(ranks, lisbon["rank"].astype(float).to_numpy())


def test_metro_ranks_one_line_per_metric(history, tmp_path: Path) -> None:
    fig = plot_metro_ranks(history, "marseille-fr")
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["cables", "betweenness"]
    assert "Marseille" in fig.axes[0].get_title()
    assert _png(fig, tmp_path / "m.png")[:4] == b"\x89PNG"
    with pytest.raises(InvalidArgumentError, match="not in this history"):
        plot_metro_ranks(history, "atlantis-xx")


def test_hub_map_sizes_by_value(sample, tmp_path: Path) -> None:
    ranking = hub_ranking(sample, year=2015, by="cables")
    fig = plot_hub_map(ranking, top=8, labels=3, metric="cables")
    ax = fig.axes[0]
    sizes = ax.collections[-1].get_sizes()
    assert len(sizes) == 8
    assert sizes[0] == max(sizes)
    assert len(ax.texts) == 3
    assert _png(fig, tmp_path / "map.png")[:4] == b"\x89PNG"


def test_hub_map_labels_never_overlap() -> None:
    """Singapore and Batam 20 km apart, and a crowd around them: every label is placed
    and no two labels' boxes overlap."""
    names = ["Singapore", "Batam", "Johor Bahru", "Tuas", "Changi", "Bintan", "Karimun"]
    ranking = pd.DataFrame(
        {
            "rank": range(1, len(names) + 1),
            "name": names,
            "lon": [103.85, 104.03, 103.76, 103.64, 103.99, 104.45, 103.43],
            "lat": [1.29, 1.08, 1.49, 1.32, 1.36, 1.06, 1.05],
            "value": [26.0, 16.0, 6.0, 5.0, 5.0, 4.0, 3.0],
        }
    )
    fig = plot_hub_map(ranking, labels=len(names))
    renderer = fig.canvas.get_renderer()
    from matplotlib.text import Text

    boxes = [Text.get_window_extent(t, renderer) for t in fig.axes[0].texts]  # text only
    assert [t.get_text() for t in fig.axes[0].texts] == [
        f"{k}. {n}" for k, n in enumerate(names, 1)
    ]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


#: The top 20 metros by cables in 2024 (stitched history): name, rank, lon, lat, cables.
TOP_BY_CABLES = [
    ("Singapore", 1, 103.85, 1.29, 26), ("Batam", 2, 104.02, 1.15, 16),
    ("Tokyo", 2, 139.69, 35.69, 16), ("Fujairah", 4, 55.41, 25.33, 14),
    ("Hong Kong", 5, 114.17, 22.28, 13), ("Jeddah", 5, 39.19, 21.49, 13),
    ("Lisbon", 5, -9.15, 38.73, 13), ("Alexandria", 8, 29.92, 31.20, 12),
    ("Marseille", 8, 5.38, 43.30, 12), ("New York City", 8, -74.01, 40.71, 12),
    ("San Juan", 8, -66.11, 18.47, 12), ("Suez", 8, 32.53, 29.97, 12),
    ("Taipei", 8, 121.53, 25.05, 12), ("Piti/Tamuning", 14, 144.84, 13.52, 11),
    ("Palermo", 14, 13.36, 38.12, 11), ("Sydney", 14, 151.21, -33.87, 11),
    ("Fortaleza", 17, -38.54, -3.72, 10), ("Jakarta", 17, 106.85, -6.21, 10),
    ("Las Palmas de Gran Canaria", 17, -15.42, 28.10, 10), ("Mumbai", 17, 72.88, 19.07, 10),
]  # fmt: skip


def test_hub_map_labels_sit_by_their_own_metro() -> None:
    """ "5. Lisbon" once covered Marseille's point and "8. Marseille" Lisbon's (the labels
    were placed before the figure's final layout moved the points). On the saved figure
    every label points at its metro's coordinates and covers no other metro's point."""
    from matplotlib.text import Text

    ranking = pd.DataFrame(TOP_BY_CABLES, columns=["name", "rank", "lon", "lat", "value"])
    fig = plot_hub_map(ranking)
    fig.canvas.draw()  # the final layout
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    names = ranking["name"].tolist()
    points = ax.transData.transform(ranking[["lon", "lat"]].to_numpy(dtype=float))
    assert len(ax.texts) == 12
    for label in ax.texts:
        k = names.index(label.get_text().split(". ", 1)[1])
        assert label.xy == pytest.approx(tuple(ranking.loc[k, ["lon", "lat"]]))
        box = Text.get_window_extent(label, renderer)
        covered = [names[i] for i in range(len(names)) if i != k and box.contains(*points[i])]
        assert covered == [], f"{label.get_text()!r} covers {covered}"


def test_hub_map_with_country_outlines() -> None:
    shapely = pytest.importorskip("shapely")
    countries = pd.DataFrame(
        {"geometry": [shapely.box(0, 0, 10, 10), shapely.MultiPolygon([shapely.box(20, 20, 30, 30),
                                                                      shapely.box(40, 0, 41, 1)])]}
    )  # fmt: skip
    ranking = pd.DataFrame(
        {"rank": [1, 2], "name": ["A", "B"], "lon": [5.0, 25.0], "lat": [5.0, 25.0],
         "value": [4.0, 1.0]}
    )  # fmt: skip
    ax = plot_hub_map(ranking, countries=countries).axes[0]
    assert len(ax.collections[0].get_paths()) == 3  # every polygon part drawn


def test_bad_tables_are_refused(history) -> None:
    with pytest.raises(InvalidArgumentError, match="hub history"):
        plot_rank_history(pd.DataFrame({"year": [2020]}))
    with pytest.raises(InvalidArgumentError, match="empty"):
        plot_rank_history(history.iloc[:0])
    with pytest.raises(InvalidArgumentError, match="has cables, betweenness"):
        plot_rank_history(history, metric="countries")
    with pytest.raises(InvalidArgumentError, match="hub ranking"):
        plot_hub_map(history)


def test_missing_matplotlib_names_the_extra(history, monkeypatch) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingExtraError, match=r"undersea\[plot\]"):
        plot_rank_history(history)
