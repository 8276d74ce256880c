"""HTML reports: self-contained, complete, deterministic, written whole; rendered in
headless Chromium (screenshot) when it is installed."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest

import undersea
from undersea._errors import OutputError, UnknownNameError
from undersea.cli import main
from undersea.outputs.report import (
    Report,
    chromium,
    country_report,
    html_to_pdf,
    hub_report,
    write_report,
)

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def sample() -> undersea.Network:
    return undersea.load(sample=True, cache=False)


@pytest.fixture(scope="module")
def hub(sample: undersea.Network) -> Report:
    return hub_report(sample, "Lisbon", since=2005, step=5)


@pytest.fixture(scope="module")
def country(sample: undersea.Network) -> Report:
    return country_report(sample, "Ghana", n_scenarios=200, seed=3)


def _cli(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def assert_self_contained(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["'](https?:|//|file:)""", html)
    assert "<link" not in html
    assert "<script" not in html
    assert "url(" not in html  # no fonts or images fetched from CSS
    for src in re.findall(r'<img src="([^"]+)"', html):
        assert src.startswith("data:image/png;base64,")
        assert len(src) > 2000


# ---------------------------------------------------------------------------- hub
def test_hub_report_sections(hub: Report, sample: undersea.Network) -> None:
    html = hub.html
    assert_self_contained(html)
    assert hub.title == "Lisbon (Portugal) as a hub"
    assert hub.filename == "hub-lisbon-pt.html"
    for anchor in ("map", "ranks", "cables", "countries", "assumptions", "provenance"):
        assert f'id="{anchor}"' in html
    assert html.count('<img src="data:image/png;base64,') == 3  # map, rank history, by year
    for cable in ("SAT-3/WASC", "MainOne", "West Africa Cable System (WACS)"):
        assert cable in html
    assert "seixal-portugal" in html
    assert sample.provenance.snapshot_date in html
    assert "CC BY-NC-SA 3.0" in html
    assert f"undersea {undersea.__version__}" in html
    assert "2005, 2010, 2015, 2020, 2024" in html  # the history years, ending at the snapshot


def test_unknown_hub_suggests(sample: undersea.Network) -> None:
    with pytest.raises(UnknownNameError, match="Lisbon"):
        hub_report(sample, "Lisbn", since=2020)


# ---------------------------------------------------------------------------- country
def test_country_report_sections(country: Report) -> None:
    html = country.html
    assert_self_contained(html)
    assert country.subject == "GHA"
    for anchor in ("diversity", "map", "spof", "incidents", "risk", "assumptions", "provenance"):
        assert f'id="{anchor}"' in html
    assert "International cables in service" in html
    assert "Cable-disjoint routes to" in html
    # the capacity model's figure is its traffic provisioned abroad, no capacity proxy
    assert "International traffic provisioned (Tbit/s)" in html
    assert "Capacity proxy" not in html
    assert "2024 West Africa cable cuts off Abidjan" in html  # an incident replay row
    assert "P(severe or worse), first hours" in html
    assert "P(severe or worse), after rerouting" in html  # both horizons of the capacity model
    assert "200 random scenarios (seed 3)" in html
    assert "accra-ghana" in html
    # the routes' RTT is undersea route's calibrated estimate, and the assumptions say so
    assert "calibrated, as `undersea route` gives it: rtt = 2 x (submarine_factor" in html


def _stable(html: str) -> str:
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "<time>", html)


@pytest.mark.slow
def test_country_report_is_reproducible(sample: undersea.Network, country: Report) -> None:
    again = country_report(sample, "GH", n_scenarios=200, seed=3)
    assert _stable(again.html) == _stable(country.html)


def test_unknown_country_suggests(sample: undersea.Network) -> None:
    with pytest.raises(UnknownNameError, match="Ghana"):
        country_report(sample, "Gahna", n_scenarios=10)


# ---------------------------------------------------------------------------- files
def test_write_report_atomic(hub: Report, tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    assert write_report(hub, path) == [path]
    assert path.read_text(encoding="utf-8") == hub.html
    with pytest.raises(OutputError, match="not found"):
        write_report(hub, tmp_path / "no" / "r.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


@pytest.mark.slow
def test_pdf(hub: Report, tmp_path: Path) -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        if chromium() is None:
            pytest.skip("neither WeasyPrint nor Chromium is installed")
    _, pdf = write_report(hub, tmp_path / "hub.html", pdf=True)
    assert pdf == tmp_path / "hub.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 20_000  # the figures made it in


@pytest.mark.slow
def test_pdf_falls_back_to_chromium(
    hub: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if chromium() is None:
        pytest.skip("chromium is not installed")
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)
    html = write_report(hub, tmp_path / "hub.html")[0]
    pdf = html_to_pdf(html, tmp_path / "hub.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hub.html", "hub.pdf"]


def test_pdf_without_any_renderer(
    hub: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)
    monkeypatch.setattr("undersea.outputs.report.chromium", lambda: None)
    html = write_report(hub, tmp_path / "hub.html")[0]
    with pytest.raises(undersea.MissingExtraError, match=r"undersea\[pdf\]"):
        html_to_pdf(html, tmp_path / "hub.pdf")
    assert not (tmp_path / "hub.pdf").exists()


# ---------------------------------------------------------------------------- CLI
@pytest.mark.slow
def test_cli_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "lisbon.html"
    assert _cli(["report", "hub", "Lisbon", "--sample", "--since", "2015", "--step", "5",
                 "-o", str(out)]) == 0  # fmt: skip
    assert "Lisbon (Portugal) as a hub" in out.read_text(encoding="utf-8")
    assert f"wrote {out}" in capsys.readouterr().err
    assert _cli(["report", "country", "Gahna", "--sample", "-o", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown country 'Gahna'; did you mean: 'Ghana'")
    assert "Traceback" not in err
    assert _cli(["report", "hub", "Lisbn", "--sample", "-o", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err  # the one error line, no "… rank history" before it
    assert err.startswith("error: unknown metro 'Lisbn'; did you mean: 'Lisbon'")
    assert len(err.splitlines()) == 1
    assert _cli(["report", "hub", "Lisbon", "--sample", "-o", str(tmp_path / "a" / "b.html")]) == 2
    assert "folder" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize(
    ("name", "pdf", "refused"),
    [
        ("lisbon.pdf", True, "a report is an HTML file (name it *.html)"),  # was a blank PDF
        ("lisbon.md", False, "a report is an HTML file (name it *.html)"),  # was HTML as .md
        ("lisbon.html", True, "lisbon.pdf: it is a directory"),  # the PDF's path, checked first
    ],
)
def test_report_output_paths_are_checked_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, pdf: bool, refused: str
) -> None:
    (tmp_path / "lisbon.pdf").mkdir() if name == "lisbon.html" else None
    args = ["report", "hub", "Lisbon", "--sample", "-o", str(tmp_path / name)]
    assert _cli(args + ["--pdf"] * pdf) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot write ")
    assert refused in err
    assert "standard output" not in err  # a report is never written there
    assert len(err.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == []


def test_report_hub_refuses_the_years_hub_refuses(tmp_path: Path, capsys) -> None:
    out = tmp_path / "lisbon.html"
    args = ["Lisbon", "--sample", "--since", "2030"]
    assert _cli(["report", "hub", *args, "-o", str(out)]) == 2
    report_err = capsys.readouterr().err
    assert _cli(["hub", *args]) == 2
    hub_err = capsys.readouterr().err
    # the same check; --until defaults to the snapshot's year here, the last RFS year there
    assert report_err.startswith("error: no year from --since 2030 to --until 2024 is in ")
    assert hub_err.startswith("error: no year from --since 2030 to --until 2025 is in ")
    assert report_err.endswith(": the 2024-01 snapshot covers 1997-2025\n")
    assert hub_err.endswith(": the 2024-01 snapshot covers 1997-2025\n")
    assert not out.exists()


def test_hub_report_years_outside_the_data_are_refused(sample) -> None:
    with pytest.raises(undersea.InvalidArgumentError, match="no year from since 2030 to until"):
        hub_report(sample, "Lisbon", since=2030)


# ---------------------------------------------------------------------------- rendering
def _screenshot(html_path: Path, png: Path) -> None:
    exe = chromium()
    if exe is None:
        pytest.skip("chromium is not installed")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--user-data-dir={profile}", "--window-size=1200,2200",
             f"--screenshot={png}", html_path.resolve().as_uri()],
            capture_output=True, timeout=120, check=False,
        )  # fmt: skip
    assert png.is_file(), "chromium wrote no screenshot"


@pytest.mark.slow
@pytest.mark.parametrize("which", ["hub", "country"])
def test_report_renders_in_headless_chromium(
    which: str, hub: Report, country: Report, tmp_path: Path
) -> None:
    image = pytest.importorskip("PIL.Image")
    rep = hub if which == "hub" else country
    path = tmp_path / rep.filename
    write_report(rep, path)
    png = tmp_path / "shot.png"
    _screenshot(path, png)
    with image.open(png) as im:
        rgb = im.convert("RGB")
        assert rgb.size == (1200, 2200)
        assert rgb.getpixel((20, 20)) == (11, 92, 142)  # the header band, styles applied
        colours = rgb.resize((120, 220)).getcolors(maxcolors=100_000)
    assert colours is not None
    assert len(colours) > 200  # text, tables and figures, not a blank page


# ---------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def real(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> undersea.Network:
    with pytest.MonkeyPatch.context() as mp:  # the shared test cache, not the user's
        mp.setenv("UNDERSEA_CACHE", str(tmp_path_factory.getbasetemp() / "undersea-cache"))
        return undersea.load("2024-03", data_dir=shared_data)


@pytest.mark.realdata
@pytest.mark.slow
def test_real_reports(real: undersea.Network) -> None:
    civ = country_report(real, "Côte d'Ivoire", n_scenarios=100, seed=0)
    assert civ.subject == "CIV"
    assert "Maroc Telecom West Africa" in civ.html  # its single cable point of failure
    assert "abidjan-cte-divoire" in civ.html
    assert_self_contained(civ.html)
    mrs = hub_report(real, "Marseille", since=2016, step=8)
    assert "2Africa" in mrs.html
    assert "2016, 2024" in mrs.html
    assert_self_contained(mrs.html)


def test_missing_jinja2_names_the_extra(
    sample: undersea.Network, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from undersea._errors import MissingExtraError

    monkeypatch.setitem(__import__("sys").modules, "jinja2", None)
    with pytest.raises(MissingExtraError, match=r"undersea\[report\]"):
        hub_report(sample, "Lisbon", since=2020)
    assert _cli(["report", "hub", "Lisbon", "--sample", "--since", "2020"]) == 2
    assert "pip install 'undersea[report]'" in capsys.readouterr().err


def test_cables_by_year_chart_ticks_whole_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hub report's cables-by-year chart labelled years 2010.5 and counts 1.5."""
    from undersea.outputs import report_figures as figs

    drawn: list = []
    monkeypatch.setattr(figs, "figure_uri", lambda fig, **_: drawn.append(fig) or "")
    years = {"year": range(2010, 2014), "cables": [1, 2, 2, 3], "planned": [0, 1, 0, 0]}
    figs.series_chart(pd.DataFrame(years), "year", {"cables": "in service", "planned": "planned"},
                      title="t", ylabel="cables")  # fmt: skip
    ax = drawn[0].axes[0]
    drawn[0].canvas.draw()
    for ticks in (ax.get_xticks(), ax.get_yticks()):
        assert all(float(t).is_integer() for t in ticks), ticks


def test_report_shares_follow_the_table_rule() -> None:
    """A report's shares read as the CLI's tables read them (share_text, to 0.1 %): a
    share that is not zero never reads 0.0 % (it did, formatted on its own)."""
    from undersea.outputs.report import _fmt

    assert [_fmt(v, "pct") for v in (0.452, 0.0004, 0.0, 0.99996)] == [
        "45.2%",
        "0.04%",
        "0%",
        "99.996%",
    ]
