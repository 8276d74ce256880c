"""``undersea incident validate``: every incident replayed and scored against reports.

Thin over :func:`undersea.analysis.validation.replay_incidents`. ``--format json`` prints
one object: ``network``, ``overall`` (pooled scores), ``incidents`` (one entry per
incident) and ``countries`` (reported or predicted-affected countries per incident).
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
import pandas as pd
import typer

from undersea.cli._options import (
    DataDirOpt,
    Format,
    FormatOpt,
    SampleOpt,
    SnapshotOpt,
    console,
    emit_json,
    emit_table,
    open_network,
    share_text,
)
from undersea.cli.failures import ImpactName, ImpactOpt, incident_app

__all__ = ["incident_validate"]


def _pct(x: Any) -> str:
    return "" if x is None or pd.isna(x) else share_text(x)


def _display(incidents: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Human table: one line per incident, scores in %, misses and false alarms named."""

    def names(inc: str, mask: pd.Series) -> str:
        sel = countries[(countries["incident"] == inc) & mask]
        return ", ".join(sel["iso2"].astype(str))

    rep_sev = countries["reported"].eq("severe")
    pred_sev = countries["predicted"].isin(["severe", "isolated"])
    return pd.DataFrame(
        {
            "incident": incidents["incident"],
            "control": incidents["control"].map({True: "yes", False: ""}),
            "severe recall": incidents["severe_recall"].map(_pct),
            "severe precision": incidents["severe_precision"].map(_pct),
            "any recall": incidents["any_recall"].map(_pct),
            "severe missed": [names(i, rep_sev & ~pred_sev) for i in incidents["incident"]],
            "severe not reported": [names(i, pred_sev & ~rep_sev) for i in incidents["incident"]],
        }
    )


@incident_app.command("validate")
def incident_validate(
    impact: ImpactOpt = ImpactName.capacity,
    countries: Annotated[
        bool,
        typer.Option("--countries", help="List the countries per incident (csv/table)."),
    ] = False,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Replay every incident as it happened and score the model against the reports.

    Each incident runs on the network as of its year. Scores: recall and precision of
    `severe` (the immediate horizon for --impact capacity), recall of any impact, and for
    negative controls whether any country comes out `severe`; the last line pools every
    incident.

    Example: undersea incident validate --format json
    """
    from undersea.analysis.validation import replay_incidents  # the impact model: numba

    net = open_network(data_dir, snapshot, sample=sample)
    res = replay_incidents(net, impact=impact.value)
    if fmt is Format.json:
        emit_json(
            {
                "network": {"snapshot": net.provenance.snapshot_date},
                "overall": res.overall,
                "incidents": res.incidents.to_dict(orient="records"),
                # an isolated country's round trip is infinite: no number in JSON
                "countries": res.countries.replace([np.inf, -np.inf], np.nan).to_dict(
                    orient="records"
                ),
            }
        )
        return
    if fmt is Format.csv:
        emit_table(res.countries if countries else res.incidents, fmt)
        return
    if countries:
        emit_table(res.countries, fmt, title="Reported and predicted per country")
    emit_table(_display(res.incidents, res.countries), fmt, title=f"Validation ({impact.value})")
    o = res.overall
    console.print(
        f"overall ({o['incidents']} incidents): severe recall {_pct(o['severe_recall'])} "
        f"({o['severe_hits']}/{o['reported_severe']}), precision "
        f"{_pct(o['severe_precision'])} ({o['severe_hits']}/{o['predicted_severe']}), "
        f"any-impact recall {_pct(o['any_recall'])} ({o['any_hits']}/{o['reported_any']}), "
        f"precision {_pct(o['any_precision'])} ({o['any_hits']}/{o['predicted_any']}); "
        f"negative controls without a severe: {o['controls_ok']}/{o['controls']}"
    )
