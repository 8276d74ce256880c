"""Browser tests of the web map: Playwright driving Debian's chromium (headless).

Skipped when playwright or chromium is missing (``.ci/run`` installs both). Screenshots
are kept under ``artifacts/`` as test artifacts.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

import undersea  # noqa: E402
from undersea.web import create_app  # noqa: E402
from undersea.web._background import background_server  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
BLUE = (0x00, 0x72, 0xB2)  # cables in service (Okabe-Ito blue)
GREEN = (0x00, 0x9E, 0x73)  # the route
VERMILLION = (0xD5, 0x5E, 0x00)  # cut segments

# Pixels of the map canvas close to a colour (the canvas is drawn by our own code).
COUNT_PIXELS = """([r, g, b]) => {
  const c = document.getElementById('map');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (Math.abs(d[i] - r) < 40 && Math.abs(d[i + 1] - g) < 40 && Math.abs(d[i + 2] - b) < 40) n++;
  }
  return n;
}"""
# Screen position (page coordinates) of the middle of a cable's longest drawn part.
CABLE_POINT = """(id) => {
  const m = window.undersea.map;
  const parts = m.cables.filter((c) => c.props.cable_id === id).flatMap((c) => c.parts);
  const p = parts.sort((a, b) => b.length - a.length)[0];
  const i = 2 * Math.floor(p.length / 4);
  const [x, y] = m.toScreen(p[i], p[i + 1], 0);
  const r = m.canvas.getBoundingClientRect();
  return [x + r.left, y + r.top];
}"""


@pytest.fixture(scope="module")
def sample_url() -> Iterator[str]:
    with background_server(create_app(undersea.load(sample=True, cache=False))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


def _open(browser: Any, url: str, *, width: int = 1280, height: int = 800) -> tuple[Any, list]:
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # console errors, except the 4xx answers the page handles itself (an unknown place)
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    page.wait_for_timeout(300)  # the first frame
    return page, errors


@pytest.fixture
def page(browser: Any, sample_url: str) -> Iterator[Any]:
    page, errors = _open(browser, sample_url)
    yield page
    page.close()
    assert errors == [], errors


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def _cables(page: Any) -> int:
    return int(page.get_attribute("#status", "data-cables"))


def test_page_loads_with_cables_drawn(page: Any) -> None:
    assert _cables(page) == 10
    assert "10 cables" in page.inner_text("#status")
    assert page.evaluate(COUNT_PIXELS, list(BLUE)) > 300  # cables really drawn
    assert page.evaluate("window.undersea.map.landing.length") == 32
    assert "No country shapes" in page.inner_text("#legend")  # the sample has none
    _shot(page, "web-sample-map.png")


def test_year_slider_changes_the_cable_count(page: Any) -> None:
    page.focus("#year")
    page.keyboard.press("Home")  # the first year with a cable
    page.wait_for_function("document.querySelector('#status').dataset.year === '1997'")
    page.wait_for_function("document.querySelector('#status').dataset.cables !== '10'")
    early = _cables(page)
    assert 0 < early < 10
    assert page.input_value("#year") == "1997"
    page.keyboard.press("End")
    page.wait_for_function("document.querySelector('#status').dataset.cables === '10'")
    page.check("#planned")
    page.wait_for_function("document.querySelector('#status').dataset.cables === '11'")
    _shot(page, "web-sample-planned.png")


def test_click_cut_updates_the_impact_table(page: Any) -> None:
    x, y = page.evaluate(CABLE_POINT, "west-africa-cable-system-wacs")
    page.mouse.click(x, y)
    page.wait_for_selector("#impact-table tbody tr", timeout=60_000)
    assert "West Africa Cable System (WACS)" in page.inner_text("#cut-chips")
    assert page.evaluate("window.undersea.map.cutSegments.size") == 9
    assert page.evaluate(COUNT_PIXELS, list(VERMILLION)) > 50  # the cut is drawn
    rows = page.locator("#impact-table tbody tr")
    assert rows.count() > 0
    # sort by lost share, then back: the table follows
    page.click("#impact-table th button[data-key='lost_share']")
    assert page.get_attribute("#impact-table", "data-sort-key") == "lost_share"
    lost = list(page.locator("#impact-table tbody tr td:nth-child(3)").all_inner_texts())
    values = [float(t.rstrip("%")) for t in lost if t.endswith("%")]
    assert values == sorted(values, reverse=True)
    header = page.locator("#impact-table th").nth(2)
    assert header.get_attribute("aria-sort") == "descending"
    _shot(page, "web-sample-cut.png")
    # shift+click adds a second cable to the cut
    x2, y2 = page.evaluate(CABLE_POINT, "sat-3wasc")
    page.keyboard.down("Shift")
    page.mouse.click(x2, y2)
    page.keyboard.up("Shift")
    page.wait_for_function("document.querySelectorAll('#cut-chips .chip').length === 2")
    page.wait_for_function("window.undersea.map.cutSegments.size > 9")


def test_circle_tool_cuts_an_area(page: Any) -> None:
    page.click("#tool-circle")
    assert page.get_attribute("#tool-circle", "aria-pressed") == "true"
    x, y = page.evaluate(
        """() => { const m = window.undersea.map; const r = m.canvas.getBoundingClientRect();
        const [x, y] = m.toScreen(-4.0, Math.log(Math.tan(Math.PI / 4 + 5.3 * Math.PI / 360))
          * 180 / Math.PI, 0); return [x + r.left, y + r.top]; }"""
    )
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 25, y + 10, steps=5)
    page.mouse.up()
    page.wait_for_selector("#impact-table", timeout=60_000)
    assert "km circle" in page.inner_text("#cut-chips")
    assert page.get_attribute("#tool-circle", "aria-pressed") == "false"


def test_route_is_drawn(page: Any) -> None:
    page.click("#tab-route")
    page.fill("#route-from", "Abidjan")
    page.fill("#route-to", "Lisbon")
    page.select_option("#route-alt", "1")
    page.click("#route-run")
    page.wait_for_selector("[data-route-rank='0']", timeout=60_000)
    rtt = float(page.inner_text("[data-route-rank='0'] [data-testid=rtt]"))
    assert 30 < rtt < 200
    assert page.locator("[data-route-rank]").count() == 2
    assert page.evaluate("window.undersea.map.route !== null")
    assert page.evaluate(COUNT_PIXELS, list(GREEN)) > 100  # the path is drawn
    assert "SAT-3/WASC" in page.inner_text("#route-result")
    _shot(page, "web-sample-route.png")
    page.fill("#route-to", "Atlantis Nowhere")
    page.click("#route-run")
    page.wait_for_selector("#route-result .error")
    assert "unknown place" in page.inner_text("#route-result")


def test_hub_panel_ranks_and_charts(page: Any) -> None:
    page.click("#tab-hubs")
    page.wait_for_selector("#hubs-table tbody tr", timeout=60_000)
    first = page.locator("#hubs-table tbody tr").first
    assert first.get_attribute("data-row") == "accra-gh"
    assert page.evaluate("window.undersea.map.hubs.length") > 5
    first.click()
    page.wait_for_selector("#hub-profile .card")
    assert "Accra, GH" in page.inner_text("#hub-profile")
    # the rank-history chart: a line through one dot per ranked year (Accra: 1999 on)
    page.wait_for_selector("#hub-profile svg.chart path.line", state="attached")
    assert page.locator("#hub-profile svg.chart circle").count() >= 20
    assert "Accra" in page.get_attribute("#hub-profile svg.chart", "aria-label")
    page.select_option("#hub-metric", "betweenness")
    page.wait_for_function(
        "(document.querySelector('#hubs-result h3')?.textContent || '').includes('betweenness')"
    )
    _shot(page, "web-sample-hubs.png")


def test_risk_job_shows_progress_and_result(page: Any) -> None:
    page.click("#tab-risk")
    page.fill("#risk-n", "300")
    page.click("#risk-run")
    page.wait_for_selector("#risk-table", timeout=60_000)
    assert "Risk over 300 scenarios" in page.inner_text("#risk-result")
    assert page.is_disabled("#risk-cancel")


def test_search_finds_and_zooms(page: Any) -> None:
    k0 = page.evaluate("window.undersea.map.k")
    page.fill("#search", "WAC")
    page.wait_for_selector("#search-results li")
    assert "West Africa Cable System (WACS)" in page.inner_text("#search-results")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("#details h2")
    assert "WACS" in page.inner_text("#details")
    assert page.evaluate("window.undersea.map.k") > k0  # zoomed to the cable


def test_controls_are_keyboard_reachable(page: Any) -> None:
    wanted = {"search", "year", "planned", "colour-by", "map", "zoom-in", "tool-circle", "tab-cut"}
    seen: set[str] = set()
    page.focus("body")
    for _ in range(40):
        page.keyboard.press("Tab")
        seen.add(page.evaluate("document.activeElement.id"))
    assert wanted <= seen, wanted - seen
    page.focus("#tab-cut")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-route"
    assert page.is_visible("#pane-route")
    assert not page.is_visible("#pane-cut")
    k0 = page.evaluate("window.undersea.map.k")
    page.focus("#map")
    page.keyboard.press("+")
    page.wait_for_function(f"window.undersea.map.k > {k0}")
    for control in ("#year", "#planned", "#colour-by", "#search", "#route-from"):
        label = page.evaluate(
            "(s) => { const e = document.querySelector(s); return e.labels && e.labels.length"
            " ? e.labels[0].textContent : e.getAttribute('aria-label'); }",
            control,
        )
        assert label, control
        assert label.strip(), control


def test_phone_width_layout(browser: Any, sample_url: str) -> None:
    page, errors = _open(browser, sample_url, width=390, height=844)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        box = page.locator("#map").bounding_box()
        assert box["width"] >= 380
        assert box["height"] >= 250
        panel = page.locator("#panel").bounding_box()
        assert panel["y"] >= box["y"] + box["height"] - 1  # the panel sits below the map
        assert page.evaluate(COUNT_PIXELS, list(BLUE)) > 100
        _shot(page, "web-sample-phone.png")
    finally:
        page.close()
    assert errors == [], errors


@pytest.mark.slow
@pytest.mark.realdata
def test_real_snapshot_map(browser: Any, shared_data: Path, tmp_path_factory: Any) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UNDERSEA_CACHE", str(tmp_path_factory.getbasetemp() / "undersea-cache"))
        net = undersea.load("2024-03", data_dir=shared_data)
    with background_server(create_app(net)) as url:
        page, errors = _open(browser, url)
        try:
            assert _cables(page) == 513
            assert page.evaluate("window.undersea.map.countries.length") > 200
            assert page.evaluate(COUNT_PIXELS, list(BLUE)) > 5000
            _shot(page, "web-2024-03.png")
            x, y = page.evaluate(CABLE_POINT, "west-africa-cable-system-wacs")
            page.mouse.click(x, y)
            page.wait_for_selector("#impact-table tbody tr", timeout=120_000)
            assert page.locator("#impact-table tbody tr[data-row='COG']").count() == 1
            _shot(page, "web-2024-03-cut.png")
        finally:
            page.close()
    assert errors == [], errors
