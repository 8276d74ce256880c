"""Regenerate the screenshots of the web map in docs/img/ (used by docs/web.md).

Starts the app on a free port of 127.0.0.1 with the 2024-03 snapshot (``UNDERSEA_DATA``)
and drives Debian's chromium (headless, WebGL through SwiftShader) through the main views:

    python scripts/web_screenshots.py            # 2024-03
    python scripts/web_screenshots.py --sample   # the bundled sample, no data needed
    python scripts/web_screenshots.py --only phone cut
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

import undersea
from undersea.web import create_app
from undersea.web._background import background_server

OUT = Path(__file__).resolve().parents[1] / "docs" / "img"
FLAGS = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
WACS = "west-africa-cable-system-wacs"
RENDERED = "(layer) => window.undersea.map.map.queryRenderedFeatures({layers: [layer]}).length"


def _open(browser: Any, url: str, hash_: str = "", *, phone: bool = False) -> Any:
    if phone:
        ctx = browser.new_context(
            viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
        )
    else:
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    page.goto(f"{url}/{hash_}")
    page.wait_for_selector("body[data-ready=true]", timeout=180_000)
    page.wait_for_function(f"({RENDERED})('cables') > 0", timeout=120_000)
    return page


IDLE = """() => new Promise((done) => {
  const m = window.undersea.map.map;
  m.once("idle", done);
  m.triggerRepaint();
})"""


def _settle(page: Any, labels: str | None = "country-labels") -> None:
    page.evaluate(IDLE)
    if labels:
        page.wait_for_function(f"({RENDERED})('{labels}') > 0", timeout=300_000)
    page.evaluate(IDLE)
    page.wait_for_timeout(500)


def _shoot(page: Any, name: str) -> None:
    path = OUT / name
    page.screenshot(path=str(path))
    print("wrote", path)
    page.context.close()


def _world(browser: Any, url: str, labels: str | None) -> None:
    """The whole world, cables coloured one per cable, with labels."""
    page = _open(browser, url, "#colour=cable")
    _settle(page, labels)
    _shoot(page, "web.png")


def _explore(browser: Any, url: str, labels: str | None) -> None:
    """Explore: a cable's card."""
    page = _open(browser, url, "#sel=cable:west-africa-cable-system-wacs")
    page.wait_for_selector("#details [data-act='cut']")
    _settle(page, labels)
    _shoot(page, "web-explore.png")


def _labels(browser: Any, url: str, labels: str | None) -> None:
    """Metro and cable labels at zoom (the Gulf of Guinea)."""
    page = _open(browser, url, "#colour=cable")
    page.evaluate("window.undersea.map.map.jumpTo({center: [2, 5], zoom: 4.6})")
    _settle(page, "metro-labels")
    _shoot(page, "web-labels.png")


def _cut(browser: Any, url: str, labels: str | None) -> None:
    """A cut: the Bab-el-Mandeb chokepoint, countries by severity."""
    page = _open(browser, url, "#cut=choke:bab-el-mandeb")
    page.wait_for_selector("#impact-table tbody tr", timeout=180_000)
    _settle(page, labels)
    _shoot(page, "web-cut.png")


def _globe(browser: Any, url: str, labels: str | None) -> None:
    """The globe, cables by RFS year."""
    page = _open(browser, url, "#view=globe&colour=year")
    _settle(page, labels)
    _shoot(page, "web-globe.png")


def _phone(browser: Any, url: str, labels: str | None) -> None:
    """A phone in cut mode after a tap on WACS."""
    page = _open(browser, url, phone=True)
    _settle(page, labels)
    page.tap("#mode-cut")
    x, y = page.evaluate("(id) => window.undersea.map.cablePoint(id)", WACS)
    page.touchscreen.tap(x, y)
    page.wait_for_selector("#impact-table tbody tr", timeout=180_000)
    page.evaluate("window.scrollTo(0, 0)")
    _settle(page, labels)
    _shoot(page, "web-phone.png")


SHOTS = {
    "world": _world,
    "explore": _explore,
    "labels": _labels,
    "cut": _cut,
    "globe": _globe,
    "phone": _phone,
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sample", action="store_true", help="the bundled sample network")
    ap.add_argument("--only", nargs="*", default=None, help="some of: " + " ".join(SHOTS))
    args = ap.parse_args()
    net = undersea.load(sample=True) if args.sample else undersea.load("2024-03")
    labels = None if args.sample else "country-labels"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    OUT.mkdir(parents=True, exist_ok=True)
    with background_server(create_app(net)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        for name in args.only or SHOTS:
            SHOTS[name](browser, url, labels)
        browser.close()


if __name__ == "__main__":
    main()
