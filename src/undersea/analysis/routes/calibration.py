"""Fitting the calibrated latency model on measured round trips, with cross-validation.

:func:`fit_latency` takes a network and a table of measured pairs
(:func:`undersea.sources.latency.read_measured_rtts`) and fits the three free terms of
:mod:`undersea.analysis.routes.latency` (submarine factor, land factor, time per hop); the end
overhead is the median of the rows' own (rule 4), and the interval comes from the
cross-validated ratios (rule 5).

**Method.**

- *Paths depend on the model*: routes are least-delay paths under the weights being
  fitted. The fit alternates: route every pair under the current terms, fit the terms on
  those paths, re-route; it stops when no path changes (at most ``max_rounds``), starting
  from the physical model. Same data and network, same result: no randomness.
- *Robust loss*: :func:`scipy.optimize.least_squares` with ``loss="soft_l1"`` on
  ``log(estimate / measured)`` (``f_scale`` 0.05: residuals beyond ~5 % count linearly,
  so an indirect measured path cannot drag the fit). Parameters: the submarine factor
  in [1, 3], the ratio land factor / submarine factor in [1, 3] (a km of land fibre is
  never faster than a km of submarine fibre, rule 2) and the hop time in [0, 5] ms.
- *Flagged rows*: rows with a ``caution`` are left out of the fit (weight 0) and kept in
  every error figure and in the interval.
- *A row's estimate* adds the row's own end overhead (mean of its two ends) when the file
  gives it, else ``latency_end_ms``.
- *Cross-validation by corridor* (leave one corridor out): for each corridor, fit on the
  others, then route and estimate its pairs with those terms. The out-of-sample ratios
  measured / estimate give the interval factors (their quantiles at the nominal level)
  and the error table of docs/routes.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.optimize import least_squares
from scipy.sparse.csgraph import dijkstra

from undersea._errors import InvalidArgumentError, NoRouteError
from undersea.analysis.routes.latency import LatencyModel, latency_model
from undersea.analysis.routes.places import Place, resolve_place
from undersea.analysis.routes.routing import _build, _hops, _mask, _Namer
from undersea.network.core import Network
from undersea.settings import Settings

__all__ = ["LatencyFit", "error_summary", "fit_latency"]

_LOWER, _UPPER = np.array([1.0, 1.0, 0.0]), np.array([3.0, 3.0, 5.0])
_F_SCALE = 0.05


@dataclass(frozen=True)
class LatencyFit:
    """A fitted latency model: the settings it implies and the per-row evidence.

    ``params`` are :class:`~undersea.settings.Settings` fields (apply them with
    ``settings.replace(**fit.params)``). ``rows`` has one row per measured pair: places,
    corridor, caution, ``measured_ms``, ``floor_ms`` (physical estimate), ``fit_ms``
    (in-sample estimate), ``cv_ms`` (leave-one-corridor-out estimate), ``in_fit``,
    ``low_ms``/``high_ms`` (the in-sample interval) and the fitted path's ``submarine_km``,
    ``land_km`` and ``hops``. ``coverage`` is the share of measured values inside the
    interval, in sample (``"in_sample"``) and cross-validated (``"cross_validated"``).
    """

    params: dict[str, float]
    rows: pd.DataFrame
    coverage: dict[str, float]
    rounds: int
    method: dict[str, Any] = field(default_factory=dict)


def fit_latency(
    net: Network,
    measurements: pd.DataFrame,
    *,
    level: float | None = None,
    max_rounds: int = 8,
    settings: Settings | None = None,
) -> LatencyFit:
    """Fit the calibrated latency model on measured pairs, cross-validated by corridor.

    Parameters
    ----------
    net
        The network the routes are found in (the snapshot nearest the measurements).
    measurements
        A table as :func:`undersea.sources.latency.read_measured_rtts` returns.
    level
        Nominal coverage of the interval (default ``latency_interval_level``).
    max_rounds
        Most route-then-fit rounds per fit.

    Returns
    -------
    LatencyFit
        The fitted settings, per-row estimates and the interval's coverage.
    """
    s = settings or net.settings
    lvl = s.latency_interval_level if level is None else float(level)
    if not 0.0 < lvl < 1.0:
        raise InvalidArgumentError(f"interval level must lie between 0 and 1, not {lvl}")
    pairs = _resolve_pairs(net, measurements, s)
    measured = measurements["rtt_ms"].to_numpy(dtype=float)
    ends = _end_overheads(measurements)
    end_ms = float(np.nanmedian(ends)) if np.isfinite(ends).any() else s.latency_end_ms
    ends = np.where(np.isfinite(ends), ends, end_ms)
    in_fit = measurements["caution"].fillna("").astype(str).str.strip().eq("").to_numpy()
    problem = _Problem(net, pairs, measured, ends, s, max_rounds)
    x, feats, rounds = problem.fit(in_fit)
    fit_ms = problem.estimate(x, feats)
    cv_ms = _cross_validate(problem, measurements["corridor"].astype(str).to_numpy(), in_fit)
    ratio = np.log(measured / cv_ms)
    q_lo, q_hi = np.quantile(ratio, [(1 - lvl) / 2, (1 + lvl) / 2])
    low, high = fit_ms * np.exp(q_lo), fit_ms * np.exp(q_hi)
    params = {
        "latency_submarine_factor": round(float(x[0]), 4),
        "latency_land_factor": round(float(x[0] * x[1]), 4),
        "latency_hop_ms": round(float(x[2]), 4),
        "latency_end_ms": round(end_ms, 4),
        "latency_interval_low": round(float(np.exp(q_lo)), 4),
        "latency_interval_high": round(float(np.exp(q_hi)), 4),
        "latency_interval_level": lvl,
    }
    floor = problem.floor()
    rows = measurements[["a_place", "b_place", "corridor", "caution"]].copy()
    rows = rows.assign(
        measured_ms=measured,
        floor_ms=floor,
        fit_ms=fit_ms,
        cv_ms=cv_ms,
        low_ms=low,
        high_ms=high,
        in_fit=in_fit,
        submarine_km=feats[:, 0],
        land_km=feats[:, 1],
        hops=feats[:, 2].astype(np.int64),
    )
    inside = (measured >= low) & (measured <= high)
    cv_inside = (measured >= cv_ms * np.exp(q_lo)) & (measured <= cv_ms * np.exp(q_hi))
    coverage = {"in_sample": float(inside.mean()), "cross_validated": float(cv_inside.mean())}
    method = {
        "loss": "soft_l1",
        "f_scale": _F_SCALE,
        "residual": "log(estimate / measured)",
        "cross_validation": "leave one corridor out",
        "excluded_from_fit": int((~in_fit).sum()),
        "rows": len(measured),
        "snapshot": net.provenance.snapshot_date,
    }
    return LatencyFit(params, rows, coverage, rounds, method)


def error_summary(rows: pd.DataFrame) -> pd.DataFrame:
    """Median and p90 absolute percentage error per corridor and overall.

    ``rows`` is :attr:`LatencyFit.rows`. Columns: ``pairs``, ``floor_median``,
    ``floor_p90`` (the physical estimate's errors), ``cv_median``, ``cv_p90``
    (cross-validated calibrated estimate), in percent. Two summary rows close the table:
    ``all`` (every pair) and ``unflagged`` (pairs without a caution).
    """

    def stats(g: pd.DataFrame) -> pd.Series:
        floor = 100 * (g["floor_ms"] - g["measured_ms"]).abs() / g["measured_ms"]
        cv = 100 * (g["cv_ms"] - g["measured_ms"]).abs() / g["measured_ms"]
        return pd.Series(
            {
                "pairs": len(g),
                "floor_median": floor.median(),
                "floor_p90": floor.quantile(0.9),
                "cv_median": cv.median(),
                "cv_p90": cv.quantile(0.9),
            }
        )

    parts = {str(c): stats(g) for c, g in rows.groupby("corridor", sort=True)}
    parts["all"] = stats(rows)
    parts["unflagged"] = stats(rows[rows["in_fit"]])
    out = pd.DataFrame(parts).T
    out["pairs"] = out["pairs"].astype(np.int64)
    out.index.name = "corridor"
    return out


# --------------------------------------------------------------------------- internals
def _resolve_pairs(net: Network, m: pd.DataFrame, s: Settings) -> list[tuple[Place, Place]]:
    if not len(m):
        raise InvalidArgumentError("no measured pairs to fit on")
    cache: dict[str, Place] = {}

    def place(text: str) -> Place:
        if text not in cache:
            cache[text] = resolve_place(net, text, settings=s)
        return cache[text]

    return [(place(str(a)), place(str(b))) for a, b in zip(m["a_place"], m["b_place"], strict=True)]


def _end_overheads(m: pd.DataFrame) -> NDArray[np.float64]:
    a = m["a_overhead_ms"].to_numpy(dtype=float)
    b = m["b_overhead_ms"].to_numpy(dtype=float)
    return np.asarray(0.5 * (a + b), dtype=float)


class _Problem:
    """The pairs, their measurements and the routing under trial terms."""

    def __init__(
        self,
        net: Network,
        pairs: Sequence[tuple[Place, Place]],
        measured: NDArray[np.float64],
        ends: NDArray[np.float64],
        s: Settings,
        max_rounds: int,
    ) -> None:
        self.net, self.measured, self.ends = net, measured, ends
        ids: dict[str, Place] = {}
        for pair in pairs:
            for p in pair:
                ids.setdefault(p.id, p)
        self.places = list(ids.values())
        index = {pid: k for k, pid in enumerate(ids)}
        self.ia = np.asarray([index[a.id] for a, _ in pairs], dtype=np.int64)
        self.ib = np.asarray([index[b.id] for _, b in pairs], dtype=np.int64)
        self.s, self.max_rounds = s, max_rounds
        self.mask = _mask(net, None)
        self.kpm = latency_model(s, "physical").km_per_ms
        self._memo: dict[tuple[float, ...], NDArray[np.float64]] = {}

    def model(self, x: NDArray[np.float64]) -> LatencyModel:
        return LatencyModel("fit", self.kpm, float(x[0]), float(x[0] * x[1]), float(x[2]), 0.0,
                            (1.0, 1.0), 0.0)  # fmt: skip

    def features(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Submarine km, land km and hops of each pair's least-delay path under ``x``.

        One graph holds every place and one multi-source Dijkstra routes every pair.
        """
        key = tuple(np.round(x, 12))
        if key not in self._memo:
            self._memo[key] = self._paths(self.model(x))
        return self._memo[key]

    def _paths(self, model: LatencyModel) -> NDArray[np.float64]:
        g = _build(self.net, self.places, self.mask, model)
        sources, inverse = np.unique(g.src[self.ia], return_inverse=True)
        _, pred = dijkstra(g.w, directed=True, indices=sources, return_predecessors=True)
        nm = _Namer(self.net, g, self.places)
        out = np.zeros((len(self.ia), 3))
        for k, (i, j) in enumerate(zip(self.ia, self.ib, strict=True)):
            if i == j:
                continue
            s, t, row = int(g.src[i]), int(g.dst[j]), pred[inverse[k]]
            path = [t]
            while path[-1] != s:  # walk back the predecessors (path length, not edges)
                if path[-1] < 0:
                    a, b = self.places[i].name, self.places[j].name
                    raise NoRouteError(f"no route between measured places {a} and {b}")
                path.append(int(row[path[-1]]))
            p = np.asarray(path[::-1], dtype=np.int64)
            eids = np.asarray(g.eid[p[:-1], p[1:]]).ravel().astype(np.int64) - 1
            hops = _hops(self.net, g, nm, p, eids)
            sub = sum(h.km for h in hops if h.kind == "segment")
            out[k] = (sub, sum(h.km for h in hops) - sub, len(hops))
        return out

    def estimate(self, x: NDArray[np.float64], f: NDArray[np.float64]) -> NDArray[np.float64]:
        one_way = x[0] * (f[:, 0] + x[1] * f[:, 1]) / self.kpm + x[2] * f[:, 2]
        return np.asarray(2.0 * one_way + self.ends, dtype=float)

    def floor(self) -> NDArray[np.float64]:
        phys = latency_model(self.s, "physical")
        x = np.array([1.0, 1.0, phys.hop_ms])
        f = self.features(x)
        return np.asarray(2.0 * ((f[:, 0] + f[:, 1]) / self.kpm + x[2] * f[:, 2]), dtype=float)

    def fit(self, rows: NDArray[np.bool_]) -> tuple[NDArray[np.float64], NDArray[np.float64], int]:
        """Terms fitted on ``rows`` (route, fit, re-route until no path changes)."""
        if not rows.any():
            raise InvalidArgumentError("no unflagged measured pair to fit on")
        x = np.array([1.0, 1.0, self.s.per_hop_delay_ms])
        f = self.features(x)
        rounds = 0
        for rounds in range(1, self.max_rounds + 1):  # noqa: B007 - reported
            x = self._solve(x, f, rows)
            g = self.features(x)
            same = np.allclose(g[rows], f[rows])
            f = g
            if same:
                break
        return x, f, rounds

    def _solve(
        self, x0: NDArray[np.float64], f: NDArray[np.float64], rows: NDArray[np.bool_]
    ) -> NDArray[np.float64]:
        fr, meas, ends = f[rows], self.measured[rows], self.ends[rows]

        def resid(x: NDArray[np.float64]) -> NDArray[np.float64]:
            one_way = x[0] * (fr[:, 0] + x[1] * fr[:, 1]) / self.kpm + x[2] * fr[:, 2]
            return np.asarray(np.log((2.0 * one_way + ends) / meas), dtype=float)

        start = np.clip(x0, _LOWER, _UPPER)
        sol = least_squares(resid, start, bounds=(_LOWER, _UPPER), loss="soft_l1",
                            f_scale=_F_SCALE, method="trf")  # fmt: skip
        return np.asarray(sol.x, dtype=float)


def _cross_validate(
    problem: _Problem, corridor: NDArray[Any], in_fit: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """Leave-one-corridor-out estimates of every row."""
    out = np.full(len(corridor), np.nan)
    for c in sorted(set(corridor.tolist())):
        held = corridor == c
        train = in_fit & ~held
        x, f, _ = problem.fit(train if train.any() else in_fit)
        out[held] = problem.estimate(x, f)[held]
    return out
