"""Validation of an impact model against what was reported after real incidents.

:func:`replay_incidents` replays every documented incident (:mod:`undersea.scenarios.incidents`)
*as it happened* — the named cables fail only where they pass through the incident's
area (:func:`~undersea.scenarios.builders.scenario_from_incident`) — and compares the
predicted severity of each country with the severity reported at the time
(:class:`~undersea.scenarios.incidents.Report`).

Method (the same for every incident; no setting is tuned per incident):

**Network.** By default each incident is replayed on the network given *as of the
incident's year* (``net.as_of(incident.date.year)``: cables whose RFS year is later are
left out). The shipped snapshots go back to 2014 and only the newest have route geometry,
so the default replays the 2006-2011 incidents on the newest map's cables that were in
service then; cables retired before that map (APCN, SeaMeWe-3's retired parts...) are
missing and listed in ``missing_cables``. Pass a function ``incident -> Network`` instead to
choose another view (for instance the snapshot closest before each incident).

**Predicted.** ``severe`` when the model says ``severe`` or ``isolated``; *any impact* when
it says anything but ``none``. **Reported.** ``severe`` or ``degraded`` per country, from
the incident's reports; a country with no report counts as not affected.

**Scores** (per incident, and overall by pooling the counts of every incident):

- severe recall = reported severe that are predicted severe / reported severe;
- severe precision = predicted severe that are reported severe / predicted severe (a
  severe prediction for a country no report names counts against it);
- any-impact recall = reported severe or degraded that are predicted with any impact /
  reported severe or degraded;
- negative controls (incidents with no ``severe`` report): ``control_ok`` when no country is
  predicted severe.

A ratio with a zero denominator is ``NaN`` (not scored), never 0 or 1.

Examples
--------
>>> import undersea
>>> from undersea.analysis.validation import replay_incidents
>>> v = replay_incidents(undersea.load(sample=True), incidents=["2022-01-tonga"])
>>> row = v.incidents.iloc[0]
>>> str(row["incident"]), int(row["reported_severe"]), float(row["severe_recall"])
('2022-01-tonga', 1, 1.0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from undersea._errors import InvalidArgumentError, UnknownNameError
from undersea.analysis.impact import IMPACT_MODELS, country_impact
from undersea.network.core import Network
from undersea.scenarios.builders import scenario_from_incident
from undersea.scenarios.incidents import Incident, incident
from undersea.scenarios.incidents import incidents as shipped_incidents

__all__ = ["IncidentValidation", "replay_incidents", "score_counts", "views_by_year"]

_SEVERE = frozenset({"severe", "isolated"})
_RANK = {"severe": 0, "degraded": 1, "none": 2}


@dataclass(frozen=True)
class IncidentValidation:
    """Result of :func:`replay_incidents`.

    Attributes
    ----------
    countries
        One row per (incident, country) that was reported or predicted affected:
        ``incident``, ``iso2``, ``name``, ``reported`` (``severe``/``degraded``/``none``),
        ``predicted`` (the model's severity, ``none`` for a country not in the network),
        ``lost_share``, ``rtt_inflation_ms``, ``in_network``.
    incidents
        One row per incident: ``incident``, ``date``, ``control``, ``year``, the counts
        (``reported_severe``, ``predicted_severe``, ``severe_hits``, ``reported_any``,
        ``any_hits``, ``predicted_any``), ``severe_recall``, ``severe_precision``,
        ``any_recall``, ``any_precision`` (predicted affected that a report names:
        impact called where none was reported counts against it),
        ``control_ok`` (controls only) and ``missing_cables`` (named cables the view lacks).
    overall
        Pooled counts and ratios (the same keys as an incident row's scores) plus
        ``controls``, ``controls_ok`` and ``impact`` (the model's name).
    tables
        Each replay's whole impact table (:func:`~undersea.analysis.impact.country_impact`,
        every country with a node) by incident id: to score the same replays another
        way (docs/failures.md re-classifies them under other thresholds) without
        replaying them again.
    """

    countries: pd.DataFrame
    incidents: pd.DataFrame
    overall: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)


def score_counts(
    reported_severe: int,
    predicted_severe: int,
    severe_hits: int,
    reported_any: int,
    any_hits: int,
    predicted_any: int | None = None,
) -> dict[str, float]:
    """Severe recall and precision, any-impact recall and (with ``predicted_any``)
    any-impact precision from counts (``NaN`` for 0/0 or a count not given).

    Examples
    --------
    >>> score_counts(4, 2, 2, 10, 5, 8)
    {'severe_recall': 0.5, 'severe_precision': 1.0, 'any_recall': 0.5, 'any_precision': 0.625}
    """

    def ratio(a: int, b: int | None) -> float:
        return a / b if b else float("nan")

    return {
        "severe_recall": ratio(severe_hits, reported_severe),
        "severe_precision": ratio(severe_hits, predicted_severe),
        "any_recall": ratio(any_hits, reported_any),
        "any_precision": ratio(any_hits, predicted_any),
    }


def _impact(view: Network, scenario: Any, model: str) -> pd.DataFrame:
    """The impact table of one replay under ``model`` (the one place the model is chosen)."""
    return country_impact(view, scenario, impact=model)


def _country_rows(inc: Incident, table: pd.DataFrame) -> pd.DataFrame:
    """Reported or predicted-affected countries of one replay, with both severities."""
    reported = {r.country: r.severity for r in inc.impact.reports}
    cols = ["iso2", "name", "severity", "lost_share", "rtt_inflation_ms"]
    t = table.loc[:, cols].assign(iso2=table["iso2"].astype(str))
    t["predicted"] = t.pop("severity").astype(str)
    keep = t[(t["predicted"] != "none") | t["iso2"].isin(list(reported))]
    rows = keep.assign(in_network=True).reset_index(drop=True)
    absent = sorted(set(reported) - set(t["iso2"]))  # reported, but no node in this view
    for code in absent:
        rows.loc[len(rows), ["iso2", "name", "predicted", "in_network"]] = [
            code,
            code,
            "none",
            False,
        ]
    rows["reported"] = [reported.get(c, "none") for c in rows["iso2"]]
    rows.insert(0, "incident", inc.id)
    order = ["incident", "iso2", "name", "reported", "predicted"]
    return rows[[*order, "lost_share", "rtt_inflation_ms", "in_network"]].sort_values(
        ["reported", "iso2"], key=lambda c: c.map(_RANK) if c.name == "reported" else c
    )


def _incident_row(inc: Incident, rows: pd.DataFrame, details: dict[str, Any]) -> dict[str, Any]:
    rep_severe = rows["reported"].eq("severe")
    rep_any = rows["reported"].ne("none")
    pred_severe = rows["predicted"].isin(_SEVERE)
    pred_any = rows["predicted"].ne("none")
    counts = {
        "reported_severe": int(rep_severe.sum()),
        "predicted_severe": int(pred_severe.sum()),
        "severe_hits": int((rep_severe & pred_severe).sum()),
        "reported_any": int(rep_any.sum()),
        "any_hits": int((rep_any & pred_any).sum()),
        "predicted_any": int(pred_any.sum()),
    }
    return {
        "incident": inc.id,
        "date": inc.date.isoformat(),
        "control": inc.is_control,
        "year": details.get("year"),
        **counts,
        **score_counts(**counts),
        "control_ok": (counts["predicted_severe"] == 0) if inc.is_control else None,
        "missing_cables": ", ".join(
            [*details.get("unresolved_cables", []), *details.get("not_in_service", [])]
        ),
    }


def _overall(table: pd.DataFrame, model: str) -> dict[str, Any]:
    keys = (
        "reported_severe",
        "predicted_severe",
        "severe_hits",
        "reported_any",
        "any_hits",
        "predicted_any",
    )
    counts = {k: int(table[k].sum()) for k in keys}
    controls = table[table["control"]]
    return {
        "impact": model,
        "incidents": len(table),
        **counts,
        **score_counts(**counts),
        "controls": len(controls),
        "controls_ok": int(controls["control_ok"].astype(bool).sum()),
    }


def views_by_year(net: Network) -> Callable[[Incident], Network]:
    """``incident -> net.as_of(incident year)``, one view per year: the models an impact
    compiles are memoised per view, so the incidents of one year share them."""
    views: dict[int, Network] = {}

    def pick(inc: Incident) -> Network:
        year = inc.date.year
        if year not in views:
            views[year] = net.as_of(year, include_planned=net.include_planned)
        return views[year]

    return pick


def _resolve(items: Sequence[Incident | str] | None) -> list[Incident]:
    if items is None:
        return shipped_incidents()
    out = [i if isinstance(i, Incident) else incident(i) for i in items]
    if not out:
        raise InvalidArgumentError("no incidents to replay: give at least one")
    return out


def replay_incidents(
    networks: Network | Callable[[Incident], Network],
    *,
    incidents: Sequence[Incident | str] | None = None,
    impact: str = "capacity",
) -> IncidentValidation:
    """Replay documented incidents as they happened and score the predicted severities.

    Parameters
    ----------
    networks
        A network, each incident replayed on ``networks.as_of(incident year)``; or a
        function giving the network view to replay an incident on.
    incidents
        Incidents (or ids) to replay; default every shipped incident.
    impact
        The impact model, ``"capacity"`` or ``"connectivity"``
        (:func:`~undersea.analysis.impact.country_impact`); its ``severity`` (the immediate
        horizon for the capacity model) is what is scored.

    Returns
    -------
    IncidentValidation
        Per-country rows, per-incident scores and pooled scores; see the module
        docstring for the definitions.

    Raises
    ------
    UnknownNameError
        An unknown incident id or impact model.
    """
    if impact not in IMPACT_MODELS:  # before any replay: fail fast
        raise UnknownNameError("impact model", str(impact), list(IMPACT_MODELS))
    pick = networks if not isinstance(networks, Network) else views_by_year(networks)
    all_rows, summary, tables = [], [], {}
    for inc in _resolve(incidents):
        view = pick(inc)
        scenario = scenario_from_incident(view, inc)
        tables[inc.id] = _impact(view, scenario, impact)
        rows = _country_rows(inc, tables[inc.id])
        details = {"year": view.year, **scenario.to_dict()}
        all_rows.append(rows)
        summary.append(_incident_row(inc, rows, details))
    table = pd.DataFrame(summary)
    countries = pd.concat(all_rows, ignore_index=True) if all_rows else pd.DataFrame()
    return IncidentValidation(countries, table, _overall(table, impact), tables)
