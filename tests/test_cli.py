"""The foundation's CLI commands: data info, cable, landing; errors are one line."""

from __future__ import annotations

import json
import re

import pytest

from undersea.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_data_info_sample_json(capsys):
    code, out, _ = run(capsys, "data", "info", "--sample", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["summary"]["cables"] == 10
    assert doc["quality"]["orphan_geometry"] == 1
    assert doc["provenance"]["version"] == "v3"


def test_cable_table_and_json(capsys):
    code, out, _ = run(capsys, "cable", "SAT-3/WASC", "--sample")
    assert code == 0
    assert "Segments" in out
    assert "Melkbosstrand" in out
    code, out, _ = run(capsys, "cable", "sat-3wasc", "--sample", "--format", "json")
    doc = json.loads(out)
    assert doc["name"] == "SAT-3/WASC"
    assert doc["rfs_year"] == 2002
    assert all(s["length_km"] >= 0 for s in doc["segments"])


def test_cable_record_shows_lists_and_kilometres_as_tables_do(capsys):
    code, out, _ = run(capsys, "cable", "SAT-3/WASC", "--sample")
    assert code == 0
    assert "│ owners             │ Sample Telecom Portugal, Sample Telecom Senegal," in out
    assert "│ suppliers          │ Sample Cable Works    " in out
    assert "│ rebuilt_km         │ 13,449      " in out
    assert "['" not in out
    assert "nan" not in out  # no url


def test_coordinates_keep_their_decimals_past_100_degrees(capsys):
    """lon/lat to 0.01°: the rule for other numbers would show Suva's 178.4 as 178."""
    code, out, _ = run(capsys, "landing", "suva-fiji", "--sample")
    assert code == 0
    assert "│ lon     │ 178.40 " in out
    code, out, _ = run(capsys, "cable", "Southern Cross Cable Network (SCCN)", "--sample")
    assert code == 0
    assert re.search(r"│ 178\.40 +│ -18\.10 +│", out)


def test_landing_by_town(capsys):
    code, out, _ = run(capsys, "landing", "Abidjan", "--sample", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["iso2"] == "CI"
    assert {"SAT-3/WASC"} <= {c["name"] for c in doc["cables"]}


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["cable", "WACZ", "--sample"], "did you mean"),
        (["landing", "Alexandria", "--sample"], "ambiguous"),
        (["cable", "x", "--sample", "--snapshot", "1999-01"], "unknown snapshot"),
        (["cable", "x", "--data-dir", "/nonexistent"], "undersea data pull"),
        (["cable", "x", "--sample", "--format", "yaml"], "Invalid value"),
    ],
)
def test_user_errors_are_one_line(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code != 0
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err + out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["risk", "--sample", "--seed", "-1"],
            "Invalid value for '--seed': Input should be greater than or equal to 0",
        ),
        (
            ["risk", "--sample", "--model", "repeater", "--rate", "0.1"],
            "--rate does not apply to --model repeater; its options: --p, --spacing, "
            "--failure-unit, --length",
        ),
        (["risk", "--sample", "--p", "0.1"], "--p does not apply to --model length; its "),
        (
            ["risk", "--sample", "--executor", "bogus"],
            "Invalid value for '--executor': Value error, 'bogus' is not one of 'local', "
            "'dask', 'gpu', 'auto'.",
        ),
        (
            ["resolve", "Lagos", "--sample", "--kind", "bogus"],
            "Invalid value for '--kind': Value error, 'bogus' is not one of 'place', "
            "'country', 'metro', 'cable', 'landing', 'segment', 'chokepoint', 'incident'.",
        ),
        (
            ["hub", "Lisbon", "--sample", "--since", "2030"],
            "no year from --since 2030 to --until 2025 is in the data: the 2024-01 snapshot "
            "covers 1997-2025",
        ),
        (  # hubs bounds its history with --year: it has no --until
            ["hubs", "--sample", "--history", "--since", "2030"],
            "no year from --since 2030 to --year 2024 is in the data:",
        ),
        (  # a range the wrong way round is not a gap in the data
            ["hub", "Lisbon", "--sample", "--since", "2020", "--until", "2010"],
            "--since 2020 is after --until 2010: the 2024-01 snapshot covers 1997-2025",
        ),
        (
            ["hubs", "--sample", "--history", "--since", "2020", "--year", "2010"],
            "--since 2020 is after --year 2010: the 2024-01 snapshot covers 1997-2025",
        ),
    ],
)
def test_option_errors_name_the_flag_and_the_choices(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith(f"error: {message}")
    assert len(err.strip().splitlines()) == 1


def test_an_unknown_executor_lists_the_executors() -> None:
    from undersea import UnknownNameError
    from undersea.engine.executors import make_executor

    with pytest.raises(UnknownNameError, match="; one of: 'local', 'dask', 'gpu', 'auto'"):
        make_executor("bogus")


@pytest.mark.slow
def test_python_dash_m(tmp_path):
    import subprocess
    import sys

    res = subprocess.run(
        [sys.executable, "-m", "undersea", "--help"], capture_output=True, text=True, check=False
    )
    assert res.returncode == 0
    assert "undersea" in res.stdout


#: What a command that does not run them must not import: numba (the batched kernels),
#: scipy.stats (risk's intervals), matplotlib (plots); each costs a large part of a second.
_HEAVY = ("numba", "scipy.stats", "matplotlib")
#: What only building a network (topology, land layer) or interop needs: a network read
#: from the cache, and a command that loads none, go without.
_BUILD_ONLY = ("scipy.spatial", "pyproj", "networkx")
_RUN_AND_LIST = f"""
import sys
from undersea.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    assert not exc.code, exc.code
print("loaded:", *sorted(m for m in {(*_HEAVY, *_BUILD_ONLY)!r} if m in sys.modules))
"""


def _loaded_after(*argv: str) -> set[str]:
    """Which of the heavy modules a fresh interpreter has loaded after ``undersea ARGV``."""
    import subprocess
    import sys

    res = subprocess.run(
        [sys.executable, "-c", _RUN_AND_LIST, *argv], capture_output=True, text=True, check=False
    )
    assert res.returncode == 0, res.stderr
    return set(res.stdout.splitlines()[-1].split()[1:])


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["cable", "WACS", "--sample"],
        ["route", "Lagos", "London", "--sample"],
        ["hubs", "--top", "3", "--sample"],
    ],
)
def test_a_command_imports_only_what_it_runs(argv: list[str]) -> None:
    """Registering every command imports no analysis it does not run: ``undersea route``
    starts without numba, scipy.stats or matplotlib (a fresh interpreter each)."""
    assert not _loaded_after(*argv) & set(_HEAVY)


def test_help_imports_nothing_only_a_build_needs() -> None:
    # nor what only building a network or interop needs (the sample above is built)
    assert not _loaded_after("--help") & set(_BUILD_ONLY)


@pytest.mark.realdata
def test_real_data_info_lists_the_landings_placed_out_at_sea(capsys, shared_data):
    """Pohnpei's landing, ~126 km off the island of Palikir, and Nauru's: their offshore
    stand-in links (rule 5 of the land layer) in the table and the JSON, with their notes."""
    argv = ("data", "info", "--snapshot", "2024-03", "--data-dir", str(shared_data))
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert "Landings placed out at sea" in out
    assert "Palikir, FM" in out
    code, out, _ = run(capsys, *argv, "--format", "json")
    doc = json.loads(out)
    ends = {(r["landing"], r["joined_to"]) for r in doc["offshore_links"]}
    assert ends == {("Pohnpei, FM", "Palikir, FM"), ("Yaren (landing), NR", "Yaren, NR")}
    assert sum("offshore stand-in" in n for n in doc["notes"]) == 2


@pytest.mark.realdata
def test_real_cable_and_landing(capsys, shared_data):
    code, out, _ = run(
        capsys,
        "cable",
        "Africa Coast to Europe (ACE)",
        "--data-dir",
        str(shared_data),
        "--format",
        "json",
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["rfs_year"] == 2012
    assert 15_000 < sum(s["length_km"] for s in doc["segments"]) < 20_000
    assert {"FR", "PT", "CI", "NG", "ZA"} <= {lp["iso2"] for lp in doc["landing_points"]}
    code, out, _ = run(
        capsys, "landing", "Marseille", "--data-dir", str(shared_data), "--format", "json"
    )
    assert code == 0
    assert len(json.loads(out)["cables"]) >= 10


def test_an_inland_metro_is_no_landing_point_but_names_the_nearest() -> None:
    """`landing Frankfurt` had no match: a metro without a landing point of that name gets
    its nearest landing points as the matches; a name like nothing still gets none."""
    from undersea import UnknownNameError
    from undersea.outputs.records import describe_landing_point

    from .conftest import coast_network

    net = coast_network([])
    with pytest.raises(UnknownNameError) as err:
        describe_landing_point(net, "Ouagadougou")
    assert str(err.value).startswith(
        "unknown landing point 'Ouagadougou'; Ouagadougou (BF) is a metro with no landing "
        "point; the nearest landing points are "
    )
    assert len(err.value.matches) == 3
    with pytest.raises(UnknownNameError) as err:
        describe_landing_point(net, "Zzzz")
    assert str(err.value) == "unknown landing point 'Zzzz'"
