"""``undersea critical``: the elements whose loss hurts most, world-wide or for one country.

Thin over :mod:`undersea.analysis.criticality`; a ``--top`` that cuts through a tie says
so, as ``hubs`` and ``risk`` do.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer

from undersea.cli._app import app
from undersea.cli._executors import LOCAL, ExecutorOpt, SchedulerOpt, WorkersOpt
from undersea.cli._options import (
    DataDirOpt,
    Format,
    FormatOpt,
    PlannedOpt,
    SampleOpt,
    SnapshotOpt,
    YearOpt,
    console,
    emit_json,
    emit_table,
    number_text,
    open_network,
    progress_bar,
    share_text,
    tie_note,
)
from undersea.cli.failures import ImpactName, ImpactOpt

if TYPE_CHECKING:
    from undersea.analysis.criticality import CountryCriticality

__all__ = ["critical"]


class Kind(StrEnum):
    cable = "cable"
    segment = "segment"
    landing = "landing"
    metro = "metro"
    land = "land"


_KIND = {
    "cable": "cable",
    "segment": "segment",
    "landing": "landing_point",
    "metro": "metro",
    "land": "land_link",
}


_CRITICAL_HEADERS = {
    "countries_isolated": "isolated",
    "countries_severe": "severe",
    "countries_degraded": "degraded",
    "lost_share_sum": "lost shares",
    "capacity_lost_tbps": "Tbps lost",
    "lost_share": "lost",
    "cables_after": "cables left",
    "name_a": "name a",
    "name_b": "name b",
}

#: How a human table names the kinds whose library name is no word (``--format csv|json``
#: keep the library's names; ``cable``, ``segment`` and ``metro`` read as they are).
_KIND_WORDS = {"landing_point": "landing station", "land_link": "land link"}

#: The columns of a country's tables never broken over lines.
_FIGURES = ["severity", "lost", "cables left"]


def _critical_display(df: pd.DataFrame) -> pd.DataFrame:
    """Human table: no ids (names say it), short headers, kinds in words, shares in %.

    A segment's name is its cable's, so a segment row shows ``CABLE:K`` (what
    ``cut --segment`` takes) to tell a cable's segments apart. A country's rows leave
    out ``isolated`` (their severity says it); a pair's two kinds share one column
    (``cable + land link``).
    """
    out = df.drop(columns=[c for c in ("id", "id_a", "id_b") if c in df]).copy()
    if "kind" in df and "id" in df:
        seg = df["kind"] == "segment"
        k = df.loc[seg, "id"].astype(str).str.rsplit(":", n=1).str[-1]
        out.loc[seg, "name"] = out.loc[seg, "name"].astype(str) + ":" + k
    for col in ("kind", "kind_a", "kind_b"):
        if col in out:
            out[col] = out[col].map(lambda k: _KIND_WORDS.get(k, k))
    if "kind_a" in out:
        out["kinds"] = out.pop("kind_a") + " + " + out.pop("kind_b")
    if "severity" in out:
        out["severity"] = out["severity"].astype(str)
        out = out.drop(columns="isolated")  # severity "isolated" says it
    if "lost_share" in out:
        out["lost_share"] = out["lost_share"].map(share_text)
    first = [c for c in ("rank", "name", "name_a", "name_b", "kinds", "score") if c in out]
    out = out[first + [c for c in out.columns if c not in first]]  # what a narrow terminal shows
    return out.rename(columns=_CRITICAL_HEADERS).fillna("")


@app.command("critical")
def critical(
    country: Annotated[
        str | None,
        typer.Option(
            "--country", help="One country's single points of failure and dangerous pairs."
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Rows to show.", min=1)] = 20,
    kind: Annotated[
        list[Kind] | None,
        typer.Option(
            "--kind",
            help="Element kinds to rank (repeatable; default all); with --country, its pairs'"
            " kinds too.",
        ),
    ] = None,
    pairs: Annotated[
        bool, typer.Option("--pairs/--no-pairs", help="With --country: search dangerous pairs.")
    ] = True,
    impact: ImpactOpt = ImpactName.capacity,
    executor: ExecutorOpt = LOCAL,
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
    data_dir: DataDirOpt = None,
    snapshot: SnapshotOpt = None,
    sample: SampleOpt = False,
    year: YearOpt = None,
    planned: PlannedOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Rank cables, segments, landing stations, metros and border land links by the impact
    of losing each.

    Without --country: a global ranking (score = countries newly isolated + the sum of
    every country's lost share). With --country: what losing each of its elements alone
    does to it, and the pairs of its cables, landing stations and border land links that
    are dangerous together though neither is alone.
    --impact capacity (default) judges by the capacity model's immediate horizon;
    --impact connectivity by the older cable-count model. --kind land ranks the border
    land links (terrestrial fibre between two countries, such as Djibouti - Addis Ababa),
    each id "A;B" as cut --without-land takes it.

    Example: undersea critical --country Kenya --top 20
    """
    from undersea.analysis.criticality import country_criticality, criticality
    from undersea.engine.executors import open_executor

    kinds = [_KIND[k.value] for k in (kind or list(Kind))]
    net = open_network(data_dir, snapshot, sample=sample, year=year, planned=planned)
    if country is None:
        with (
            open_executor(executor, scheduler=scheduler, workers=workers) as runner,
            progress_bar("elements") as progress,
        ):
            df = criticality(
                net, kinds=kinds, impact=impact.value, executor=runner, progress=progress
            )
        shown, tied = _head(df, ["score", "capacity_lost_tbps"], top)
        emit_table(_critical_display(shown) if fmt is Format.table else shown, fmt,
                   title="Most critical elements", fit=True)  # fmt: skip
        _say_tie(tied, "score", fmt)
        return
    with open_executor(executor, scheduler=scheduler, workers=workers) as runner:
        res = country_criticality(
            net, country, kinds=kinds, top=None, pairs=pairs, impact=impact.value, executor=runner
        )
    _emit_country(res, top, fmt, pairs=pairs, impact=impact.value, kinds=kinds)


_PAIR_WORDS = {
    "cable": "cables",
    "landing_point": "landing stations",
    "land_link": "border land links",
}


def _no_pair(kinds: list[str], has: set[str]) -> str:
    """What an empty pair table means: no pair of the kinds searched that the country has
    (``has``: its single failures' kinds) is dangerous, or --kind left out every kind that
    pairs are made of (the Vatican's pairs are of its border links alone)."""

    def listed(words: list[str], last: str) -> str:
        return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"

    every = listed(list(_PAIR_WORDS.values()), "and")
    if not any(k in kinds for k in _PAIR_WORDS):
        return f"no pair searched: pairs are of {every}, which --kind leaves out"
    words = [w for k, w in _PAIR_WORDS.items() if k in kinds and k in has]
    if not words:
        return f"no pair to search: it has none of the {listed(list(_PAIR_WORDS.values()), 'or')}"
    return f"no pair of its {listed(words, 'or')} is dangerous together"


def _head(df: pd.DataFrame, key: list[str], top: int) -> tuple[pd.DataFrame, str]:
    """The first ``top`` rows of a ranked table and its tie note (the rank key ``key``)."""
    note = tie_note(df[key].apply(tuple, axis=1), top) if len(df) else ""
    return df.head(top).reset_index(drop=True), note


def _say_tie(note: str, what: str, fmt: Format) -> None:
    if note and fmt is Format.table:
        console.print(f"{note} (same {what} as the last row shown; --top shows more)")


def _emit_country(
    res: CountryCriticality,
    top: int,
    fmt: Format,
    *,
    pairs: bool,
    impact: str,
    kinds: list[str],
) -> None:
    from undersea.analysis.criticality import PAIR_KINDS

    single, single_tied = _head(res.single, ["severity", "lost_share"], top)
    found, pairs_tied = _head(res.pairs, ["severity", "lost_share"], top)
    if fmt is Format.json:
        emit_json(
            {
                "country": {
                    "iso2": res.iso2,
                    "iso3": res.iso3,
                    "name": res.name,
                    "cables_before": res.cables_before,
                    "capacity_before_tbps": res.capacity_before_tbps,
                },
                "single": single.astype({"severity": str}).to_dict(orient="records"),
                "pairs": found.astype({"severity": str}).to_dict(orient="records"),
                # the kinds pairs were searched among: [] (--no-pairs, or a --kind that
                # leaves them all out) tells "not searched" from "none is dangerous"
                "pair_kinds": [k for k in PAIR_KINDS if k in kinds] if pairs else [],
            }
        )
        return
    if fmt is Format.csv:
        emit_table(_country_rows(single, found), fmt)
        return
    # the capacity model's figure is its traffic provisioned abroad (rule C5), the old
    # model's the design-capacity proxy of its cables
    what = "provisioned abroad" if impact == "capacity" else "(capacity proxy)"
    console.print(
        f"[bold]{res.name}[/bold] ({res.iso2}): {res.cables_before} international cables, "
        f"{number_text(res.capacity_before_tbps)} Tbps {what}"
    )
    emit_table(_critical_display(single), fmt, title="Losing one element", fit=True, whole=_FIGURES)
    _say_tie(single_tied, "severity and lost share", fmt)
    if not pairs:
        return
    if len(found):
        emit_table(_critical_display(found), fmt, title="Dangerous pairs", fit=True, whole=_FIGURES)
        _say_tie(pairs_tied, "severity and lost share", fmt)
    else:
        console.print(_no_pair(kinds, set(res.single["kind"].astype(str))))


#: Columns ``--format csv`` adds after a country's single-failure columns: which table a
#: row is from, and a pair's second element (a pair's first is in kind, id, name).
PAIR_COLUMNS: tuple[str, ...] = ("failure", "kind_b", "id_b", "name_b")


def _country_rows(single: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """A country's single failures and pairs as one table (one CSV, one header): the
    single-failure columns (kind, id, name, severity, isolated, lost_share,
    cables_after), then :data:`PAIR_COLUMNS`; ``failure`` is ``single`` or ``pair``, and
    a single row leaves the pair's second element empty."""
    first = {"kind_a": "kind", "id_a": "id", "name_a": "name"}
    parts = [single.assign(failure="single"), pairs.rename(columns=first).assign(failure="pair")]
    both = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    cols = [*single.columns, *PAIR_COLUMNS]
    return both.reindex(columns=cols).astype({"severity": str})
