"""Regenerate the incident-validation tables of docs/failures.md from ``replay_incidents``.

Replays every shipped incident under both impact models (the same computation as
``undersea incident validate --impact capacity|connectivity``) on the default snapshot and
rewrites the blocks between ``<!-- validation:MODEL -->`` and ``<!-- /validation:MODEL -->``
in ``docs/failures.md``: each model's table per incident with its pooled last line; and
the block ``<!-- validation:thresholds -->``: the capacity model's pooled scores on the
same replays when its two severity thresholds are moved, one at a time (the lost shares
do not depend on them, so the capacity table's replays are re-classified, not rerun).
Reads the reference data (``UNDERSEA_DATA``).

Usage: ``python scripts/validation_table.py [--check]`` (``--check``: exit 1 when the
doc is out of date, write nothing).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from pathlib import Path
from typing import Any

import pandas as pd

import undersea
from undersea._numbers import share_text
from undersea.analysis.impact import classify_severity
from undersea.analysis.validation import IncidentValidation, replay_incidents, score_counts
from undersea.network.core import Network
from undersea.scenarios.incidents import incidents

DOC = Path(__file__).resolve().parents[1] / "docs" / "failures.md"
MODELS = ("capacity", "connectivity")
YEAR = re.compile(r"^\d{4} ")  # incident names start with their year


def ratio(x: Any, hits: int, total: int) -> str:
    """``33 % (5/15)``, or an en dash when there is nothing to score."""
    if total == 0 or pd.isna(x):
        return "–"
    # the tables' one rule for shares (halves away from zero), as `incident validate` prints
    return f"{share_text(x).replace('%', ' %')} ({hits}/{total})"


def table(res: IncidentValidation) -> str:
    """One model's per-incident Markdown table with the pooled last line."""
    names = {i.id: f"{i.date:%Y-%m} " + YEAR.sub("", i.name) for i in incidents()}
    c = res.countries
    rep = c["reported"].eq("severe")
    pred = c["predicted"].isin(["severe", "isolated"])
    head = (
        "| Incident | Control | Severe recall | Severe precision | Any-impact recall "
        "| Any-impact precision | Severe missed | Severe not reported |"
        "\n|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for r in res.incidents.itertuples():
        inc = c["incident"] == r.incident
        missed = ", ".join(c.loc[inc & rep & ~pred, "iso2"].astype(str))
        extra = ", ".join(c.loc[inc & pred & ~rep, "iso2"].astype(str))
        cells = [
            names.get(r.incident, r.incident),
            "yes" if r.control else "",
            ratio(r.severe_recall, r.severe_hits, r.reported_severe),
            ratio(r.severe_precision, r.severe_hits, r.predicted_severe),
            ratio(r.any_recall, r.any_hits, r.reported_any),
            ratio(r.any_precision, r.any_hits, r.predicted_any),
            missed,
            extra,
        ]
        lines.append("|" + "|".join(f" {x} " if x else " " for x in cells) + "|")
    o = res.overall
    lines.append(
        f"| **All {o['incidents']}** | {o['controls']} controls, **{o['controls_ok']} pass** "
        f"| **{ratio(o['severe_recall'], o['severe_hits'], o['reported_severe'])}** "
        f"| **{ratio(o['severe_precision'], o['severe_hits'], o['predicted_severe'])}** "
        f"| **{ratio(o['any_recall'], o['any_hits'], o['reported_any'])}** "
        f"| **{ratio(o['any_precision'], o['any_hits'], o['predicted_any'])}** | | |"
    )
    return "\n".join(lines)


SEVERE_SHARES = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
DEGRADED_SHARES = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3)


def thresholds(net: Network, res: IncidentValidation) -> str:
    """The capacity model's pooled scores with ``capacity_severe_share`` moved (the
    degraded threshold kept) and ``capacity_degraded_share`` moved (the severe one kept),
    on the replays of ``res`` (the capacity model's, every shipped incident)."""
    replays = []
    for inc in incidents():
        t = res.tables[inc.id]
        reported = {r.country: r.severity for r in inc.impact.reports}
        iso2 = t["iso2"].astype(str)
        # a reported country with no node in the view counts as predicted "none"
        absent = [v for c, v in reported.items() if c not in set(iso2)]
        rep = pd.Series([reported.get(c, "none") for c in iso2], index=t.index)
        replays.append((inc, t, rep, absent))

    def pooled(severe: float, degraded: float) -> tuple[dict[str, Any], int, int]:
        shares = dataclasses.replace(
            net.settings, capacity_severe_share=severe, capacity_degraded_share=degraded
        )
        keys = dict.fromkeys(
            ("reported_severe", "predicted_severe", "severe_hits", "reported_any", "any_hits"), 0
        )
        keys["predicted_any"] = 0
        controls = ok = 0
        for inc, t, rep, absent in replays:
            # the immediate horizon's rule: lost share and isolation, no round-trip term
            # (country_impact classifies it so; the round trip counts after rerouting)
            pred = pd.Series(
                classify_severity(
                    t["isolated"], t["lost_share"], settings=shares, impact="capacity"
                ),
                index=t.index,
            )
            p_sev, p_any = pred.isin(["severe", "isolated"]), pred.ne("none")
            r_sev, r_any = rep.eq("severe"), rep.ne("none")
            keys["reported_severe"] += int(r_sev.sum()) + absent.count("severe")
            keys["predicted_severe"] += int(p_sev.sum())
            keys["severe_hits"] += int((p_sev & r_sev).sum())
            keys["reported_any"] += int(r_any.sum()) + len(absent)
            keys["any_hits"] += int((p_any & r_any).sum())
            keys["predicted_any"] += int(p_any.sum())
            if inc.is_control:
                controls += 1
                ok += int(not p_sev.any())
        return {**keys, **score_counts(**keys)}, ok, controls

    rule = (net.settings.capacity_severe_share, net.settings.capacity_degraded_share)
    lines = [
        "| `capacity_severe_share` | Severe recall | Severe precision | Controls passed |",
        "|---|---|---|---|",
    ]
    for sev in sorted({*SEVERE_SHARES, rule[0]}):
        sc, ok, n = pooled(sev, rule[1])
        mark = " (the rule)" if sev == rule[0] else ""
        lines.append(
            f"| {sev:g}{mark} "
            f"| {ratio(sc['severe_recall'], sc['severe_hits'], sc['reported_severe'])} "
            f"| {ratio(sc['severe_precision'], sc['severe_hits'], sc['predicted_severe'])} "
            f"| {ok} of {n} |"
        )
    lines += [
        "",
        "| `capacity_degraded_share` | Any-impact recall | Any-impact precision |",
        "|---|---|---|",
    ]
    for deg in sorted({*DEGRADED_SHARES, rule[1]}):
        sc, _, _ = pooled(rule[0], deg)
        mark = " (the rule)" if deg == rule[1] else ""
        lines.append(
            f"| {deg:g}{mark} | {ratio(sc['any_recall'], sc['any_hits'], sc['reported_any'])} "
            f"| {ratio(sc['any_precision'], sc['any_hits'], sc['predicted_any'])} |"
        )
    return "\n".join(lines)


def _replace(text: str, name: str, content: str, date: str) -> str:
    start, end = f"<!-- validation:{name} -->", f"<!-- /validation:{name} -->"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    found = pattern.search(text)
    if not found:
        raise SystemExit(f"{DOC}: no {start} ... {end} block")
    body = (
        f"{start}\n<!-- generated by scripts/validation_table.py on "
        f"{date}: edit the script, not the table -->\n\n{content}\n\n{end}"
    )
    a, b = found.span()
    return text[:a] + body + text[b:]


def blocks(text: str) -> str:
    """``text`` with every block regenerated (one load, one replay per model: the
    threshold scan re-classifies the capacity model's replays)."""
    net = undersea.load()
    date = net.provenance.snapshot_date
    results = {model: replay_incidents(net, impact=model) for model in MODELS}
    for model in MODELS:
        text = _replace(text, model, table(results[model]), date)
    return _replace(text, "thresholds", thresholds(net, results["capacity"]), date)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the doc is stale")
    args = parser.parse_args()
    text = DOC.read_text(encoding="utf-8")
    new = blocks(text)
    if args.check:
        return int(new != text)
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
