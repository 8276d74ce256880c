"""Tests for ``undersea data pull``: a local HTTP server plays the upstream; no internet."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import undersea.data.http as uhttp
from undersea._errors import (
    DataNotFoundError,
    DownloadError,
    IncompletePullError,
    InvalidArgumentError,
    MalformedSourceError,
    UnderseaError,
)
from undersea.data.directory import list_snapshots, snapshot_path
from undersea.data.pull import BASE_URL_ENV, MANIFEST_NAME, PullResult, pull_data

SNAPSHOT = "2024-03"
CABLES = ("aden-djibouti", "adria-1", "aec-1", "airraq", "alba-1")


# ---------------------------------------------------------------------------- the upstream


@dataclass
class Upstream:
    """A local HTTP server serving ``site`` as the cable-map API and the world-atlas CDN."""

    site: Path
    port: int
    fail: dict[str, int] = field(default_factory=dict)  # URL path -> status to answer
    fail_once: dict[str, int] = field(default_factory=dict)
    bodies: dict[str, tuple[bytes, dict[str, str]]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    delay: dict[str, float] = field(default_factory=dict)  # URL path -> seconds to stall
    redirect: dict[str, str] = field(default_factory=dict)  # URL path -> Location
    drip: dict[str, float] = field(default_factory=dict)  # URL path -> seconds per byte

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v3"

    @property
    def countries_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/npm/world-atlas@2/"

    def pull(self, dest: Path, **options: Any) -> PullResult:
        options.setdefault("snapshot", SNAPSHOT)
        options.setdefault("retries", 0)
        return pull_data(
            dest=dest, base_url=self.base_url, countries_url=self.countries_url, **options
        )


def _handler(upstream: Upstream) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            upstream.requests.append(path)
            time.sleep(upstream.delay.get(path, 0.0))
            status = upstream.fail_once.pop(path, None) or upstream.fail.get(path)
            if status is not None:
                self.send_error(status)
            elif path in upstream.redirect:
                self.send_response(302)
                self.send_header("Location", upstream.redirect[path])
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path in upstream.drip:
                self._drip(path, upstream.drip[path])
            elif path in upstream.bodies:
                body, headers = upstream.bodies[path]
                self.send_response(200)
                for key, value in {"Content-Length": str(len(body)), **headers}.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)
            else:
                super().do_GET()

        def _drip(self, path: str, pause: float) -> None:
            body = Path(self.directory, path.lstrip("/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for i in range(len(body)):
                self.wfile.write(body[i : i + 1])
                self.wfile.flush()
                time.sleep(pause)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _build_site(shared: Path, root: Path, cables: tuple[str, ...] | None) -> Path:
    """Lay the real 2024-03 snapshot out as the API; ``cables`` keeps a subset."""
    src = shared / "telegeography" / SNAPSHOT
    api = root / "api" / "v3"
    (api / "cable").mkdir(parents=True)
    (api / "landing-point").mkdir(parents=True)
    ids = cables or tuple(sorted(p.stem for p in (src / "cable").glob("*.json")))
    ids = tuple(i for i in ids if i != "cable-geo")
    records = [json.loads((src / "cable" / f"{i}.json").read_text()) for i in ids]
    listing = [{"id": r["id"], "name": r["name"]} for r in records]
    (api / "cable" / "all.json").write_text(json.dumps(listing))
    for i in ids:
        shutil.copy(src / "cable" / f"{i}.json", api / "cable")
    lp_ids = {lp["id"] for r in records for lp in r["landing_points"]}
    lp_geo = json.loads((src / "landing-point" / "landing-point-geo.json").read_text())
    cable_geo = json.loads((src / "cable" / "cable-geo.json").read_text())
    if cables is not None:
        lp_geo["features"] = [f for f in lp_geo["features"] if f["properties"]["id"] in lp_ids]
        cable_geo["features"] = [f for f in cable_geo["features"] if f["properties"]["id"] in ids]
    (api / "landing-point" / "landing-point-geo.json").write_text(json.dumps(lp_geo))
    (api / "cable" / "cable-geo.json").write_text(json.dumps(cable_geo))
    for f in lp_geo["features"]:
        shutil.copy(src / "landing-point" / f"{f['properties']['id']}.json", api / "landing-point")
    atlas = root / "npm" / "world-atlas@2"
    atlas.mkdir(parents=True)
    for name in ("countries-50m.json", "countries-110m.json"):
        shutil.copy(shared / "geo" / name, atlas)
    shutil.copy(shared / "geo" / "world-atlas-LICENSE", atlas / "LICENSE")
    return root


@pytest.fixture(scope="module")
def small_site(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_site(shared_data, tmp_path_factory.mktemp("site"), CABLES)


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up is what some tests do on purpose


def _serve(site: Path) -> Iterator[Upstream]:
    upstream = Upstream(site=site, port=0)
    handler = partial(_handler(upstream), directory=str(site))
    server = _QuietServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    upstream.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield upstream
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def upstream(small_site: Path) -> Iterator[Upstream]:
    yield from _serve(small_site)


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uhttp, "RETRY_BACKOFF_S", 0.0)
    monkeypatch.delenv(BASE_URL_ENV, raising=False)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _expected_paths(site: Path) -> set[str]:
    api = site / "api" / "v3"
    files = {f"cable/{p.name}" for p in (api / "cable").glob("*.json") if p.name != "all.json"}
    return files | {f"landing-point/{p.name}" for p in (api / "landing-point").glob("*.json")}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _staging(dest: Path, name: str = SNAPSHOT) -> Path:
    return dest / "telegeography" / f".{name}.partial"


# ---------------------------------------------------------------------------- a first pull


def test_pull_lays_files_out_like_the_reference_snapshot(
    upstream: Upstream, tmp_path: Path, shared_data: Path
) -> None:
    calls: list[tuple[str, int, int]] = []
    result = upstream.pull(tmp_path, progress=lambda *a: calls.append(a))
    final = tmp_path / "telegeography" / SNAPSHOT
    got = {p.relative_to(final).as_posix() for p in final.rglob("*") if p.is_file()}
    assert got == _expected_paths(upstream.site) | {MANIFEST_NAME}
    for rel in got - {
        MANIFEST_NAME,
        "cable/cable-geo.json",
        "landing-point/landing-point-geo.json",
    }:
        ref = shared_data / "telegeography" / SNAPSHOT / rel
        assert (final / rel).read_bytes() == ref.read_bytes()  # byte for byte the source
    for rel in got:
        json.loads((final / rel).read_bytes())
    for name in ("countries-50m.json", "countries-110m.json", "world-atlas-LICENSE"):
        assert (tmp_path / "geo" / name).read_bytes() == (shared_data / "geo" / name).read_bytes()
    assert result == PullResult(
        path=final,
        snapshot=SNAPSHOT,
        files=len(got) - 1 + 3,
        downloaded=len(got) - 1 + 3,
        skipped=0,
        bytes=sum((final / r).stat().st_size for r in got - {MANIFEST_NAME})
        + sum(p.stat().st_size for p in (tmp_path / "geo").iterdir()),
    )
    assert not _staging(tmp_path).exists()
    assert [p.name for p in (tmp_path / "telegeography").iterdir()] == [SNAPSHOT]
    assert snapshot_path(tmp_path) == final
    stages = [c[0] for c in calls]
    assert list(dict.fromkeys(stages)) == ["geometry", "cables", "landing points"]
    last = {stage: (done, total) for stage, done, total in calls}
    assert last["geometry"] == (5, 5)
    assert last["cables"] == (len(CABLES), len(CABLES))
    assert last["landing points"][0] == last["landing points"][1] == result.files - 5 - len(CABLES)


def test_manifest_records_every_file_with_its_checksum(upstream: Upstream, tmp_path: Path) -> None:
    result = upstream.pull(tmp_path)
    manifest = json.loads((result.path / MANIFEST_NAME).read_text())
    assert manifest["snapshot"] == SNAPSHOT
    assert len(manifest["files"]) + len(manifest["geo_files"]) == result.files
    assert [e["path"] for e in manifest["files"]] == sorted(e["path"] for e in manifest["files"])
    for entry in manifest["files"]:
        file = result.path / entry["path"]
        assert entry["sha256"] == _sha(file)
        assert entry["size"] == file.stat().st_size
        assert entry["url"] == f"{upstream.base_url}/{entry['path']}"
        assert entry["date"].endswith("Z")
    for entry in manifest["geo_files"]:
        assert entry["sha256"] == _sha(tmp_path / entry["path"])
    assert {e["path"] for e in manifest["geo_files"]} == {
        "geo/countries-50m.json",
        "geo/countries-110m.json",
        "geo/world-atlas-LICENSE",
    }
    tg, atlas = manifest["sources"]
    assert (tg["name"], tg["url"], tg["version"]) == ("telegeography", upstream.base_url, "v3")
    index = (upstream.site / "api/v3/cable/all.json").read_bytes()
    assert tg["index"]["sha256"] == hashlib.sha256(index).hexdigest()
    assert (atlas["name"], atlas["version"]) == ("world-atlas", "world-atlas@2")


def test_default_snapshot_is_today_and_env_var_sets_the_address(
    upstream: Upstream, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BASE_URL_ENV, upstream.base_url)
    result = pull_data(dest=tmp_path, countries_url=upstream.countries_url, retries=0)
    assert result.snapshot == date.today().isoformat()
    assert list_snapshots(tmp_path) == [result.snapshot]


# ---------------------------------------------------------------------------- resuming


def test_second_pull_skips_everything(upstream: Upstream, tmp_path: Path) -> None:
    first = upstream.pull(tmp_path)
    manifest = (first.path / MANIFEST_NAME).read_bytes()
    upstream.requests.clear()
    second = upstream.pull(tmp_path)
    assert (second.downloaded, second.skipped, second.bytes) == (0, first.files, 0)
    assert upstream.requests == ["/api/v3/cable/all.json"]  # only the cable list
    assert (first.path / MANIFEST_NAME).read_bytes() == manifest  # untouched
    assert not _staging(tmp_path).exists()


@pytest.mark.parametrize(
    "victim",
    ["cable/aec-1.json", "landing-point/landing-point-geo.json", "geo/countries-110m.json"],
)
def test_truncated_or_missing_file_is_fetched_again(
    upstream: Upstream, tmp_path: Path, victim: str
) -> None:
    first = upstream.pull(tmp_path)
    file = tmp_path / victim if victim.startswith("geo/") else first.path / victim
    good = file.read_bytes()
    file.write_bytes(good[: len(good) // 2])
    second = upstream.pull(tmp_path)
    assert (second.downloaded, second.skipped) == (1, first.files - 1)
    assert file.read_bytes() == good
    manifest = json.loads((first.path / MANIFEST_NAME).read_text())
    sums = {e["path"]: e["sha256"] for e in manifest["files"] + manifest["geo_files"]}
    assert sums[victim] == hashlib.sha256(good).hexdigest()
    file.unlink()
    assert upstream.pull(tmp_path).downloaded == 1
    assert file.read_bytes() == good


def test_failed_repull_leaves_the_snapshot_as_it_was(upstream: Upstream, tmp_path: Path) -> None:
    first = upstream.pull(tmp_path)
    before = {p: p.read_bytes() for p in first.path.rglob("*") if p.is_file()}
    damaged = first.path / "cable" / "adria-1.json"
    damaged.write_bytes(b"{")
    before[damaged] = b"{"
    upstream.fail["/api/v3/landing-point/aden-yemen.json"] = 500  # a file that is still whole
    upstream.fail["/api/v3/cable/adria-1.json"] = 500
    with pytest.raises(DownloadError):
        upstream.pull(tmp_path)
    assert {p: p.read_bytes() for p in first.path.rglob("*") if p.is_file()} == before
    upstream.fail.clear()
    assert upstream.pull(tmp_path).downloaded == 1
    assert json.loads(damaged.read_bytes())["id"] == "adria-1"


def test_failed_pull_resumes_from_its_staging_folder(upstream: Upstream, tmp_path: Path) -> None:
    victim = "/api/v3/landing-point/djibouti-city-djibouti.json"
    upstream.fail[victim] = 500
    with pytest.raises(DownloadError, match="HTTP 500"):
        upstream.pull(tmp_path, threads=1)
    assert list_snapshots(tmp_path) == []  # the staging folder (with cable/ in it) is hidden
    assert (_staging(tmp_path) / "cable").is_dir()
    del upstream.fail[victim]
    upstream.requests.clear()
    result = upstream.pull(tmp_path)
    assert result.skipped > 0
    assert result.downloaded == len(upstream.requests) - 1  # all.json is not a file
    assert victim in upstream.requests
    assert snapshot_path(tmp_path) == result.path
    assert not _staging(tmp_path).exists()
    assert not (result.path / ".index").exists()


def test_stale_files_of_an_older_cable_list_are_dropped(upstream: Upstream, tmp_path: Path) -> None:
    upstream.fail["/api/v3/landing-point/landing-point-geo.json"] = 503
    with pytest.raises(DownloadError):
        upstream.pull(tmp_path, threads=1)
    stray = _staging(tmp_path) / "cable" / "gone-cable.json"
    stray.write_text("{}")
    upstream.fail.clear()
    result = upstream.pull(tmp_path)
    assert not (result.path / "cable" / "gone-cable.json").exists()


def test_transient_errors_are_retried(upstream: Upstream, tmp_path: Path) -> None:
    upstream.fail_once["/api/v3/cable/aec-1.json"] = 503
    result = upstream.pull(tmp_path, retries=1)
    assert upstream.requests.count("/api/v3/cable/aec-1.json") == 2
    assert json.loads((result.path / "cable/aec-1.json").read_text())["id"] == "aec-1"


# ---------------------------------------------------------------------------- failures


def test_server_error_raises_and_leaves_no_snapshot(upstream: Upstream, tmp_path: Path) -> None:
    upstream.fail["/api/v3/cable/cable-geo.json"] = 500
    with pytest.raises(DownloadError) as info:
        upstream.pull(tmp_path, retries=1)
    msg = str(info.value)
    assert f"{upstream.base_url}/cable/cable-geo.json answered HTTP 500" in msg
    assert "\n" not in msg
    assert isinstance(info.value, ConnectionError)
    assert upstream.requests.count("/api/v3/cable/cable-geo.json") == 2  # retried once
    assert not (tmp_path / "telegeography" / SNAPSHOT).exists()
    assert not (tmp_path / "geo").exists()
    assert list_snapshots(tmp_path) == []


def test_missing_cable_file_names_its_url(upstream: Upstream, tmp_path: Path) -> None:
    upstream.fail["/api/v3/cable/adria-1.json"] = 404
    with pytest.raises(DownloadError, match=r"/api/v3/cable/adria-1\.json answered HTTP 404"):
        upstream.pull(tmp_path, retries=3)
    assert upstream.requests.count("/api/v3/cable/adria-1.json") == 1  # 4xx is not retried
    assert not (tmp_path / "telegeography" / SNAPSHOT).exists()


def test_a_file_that_fails_does_not_stop_the_others(upstream: Upstream, tmp_path: Path) -> None:
    """One 404 failed the whole pull: now every other file is fetched and kept (each whole),
    every failure is listed with its URL and status, and a second pull fetches just those."""
    gone = {"/api/v3/cable/adria-1.json": 404, "/api/v3/landing-point/aden-yemen.json": 410}
    gone["/api/v3/cable/alba-1.json"] = 500
    upstream.fail.update(gone)
    with pytest.raises(IncompletePullError) as info:
        upstream.pull(tmp_path, threads=2)
    lines = [str(e) for e in info.value.failures]
    assert lines == sorted(
        f"http://127.0.0.1:{upstream.port}{path} answered HTTP {code} {reason}: check the "
        "address or pass --base-url"
        for path, code, reason in [(p, c, http.HTTPStatus(c).phrase) for p, c in gone.items()]
    )
    assert str(info.value).startswith(f"3 file(s) could not be fetched ({lines[0]} and 2 more)")
    assert "snapshot 2024-03 was not published" in str(info.value)
    assert list_snapshots(tmp_path) == []
    staged = {str(p.relative_to(_staging(tmp_path))) for p in _staging(tmp_path).rglob("*.json")}
    wanted = _expected_paths(upstream.site) - {p.removeprefix("/api/v3/") for p in gone}
    assert staged >= wanted  # every file that could be fetched was
    assert not staged & {p.removeprefix("/api/v3/") for p in gone}
    for rel in wanted:  # each whole: as served
        assert (_staging(tmp_path) / rel).read_bytes() == (
            upstream.site / "api/v3" / rel
        ).read_bytes()
    upstream.fail.clear()
    upstream.requests.clear()
    result = upstream.pull(tmp_path)
    assert sorted(upstream.requests) == sorted(["/api/v3/cable/all.json", *gone])
    assert result.downloaded == 3
    assert _expected_paths(upstream.site) <= {
        str(p.relative_to(result.path)) for p in result.path.rglob("*.json")
    }


def test_cli_lists_each_failed_file_and_exits_non_zero(
    upstream: Upstream, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from undersea.cli import main

    upstream.fail.update({"/api/v3/cable/adria-1.json": 404, "/api/v3/cable/aec-1.json": 404})
    args = ["data", "pull", "--dest", str(tmp_path), "--snapshot", SNAPSHOT]
    args += ["--base-url", upstream.base_url, "--countries-url", upstream.countries_url]
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert not out.strip()
    lines = [line for line in err.splitlines() if line.startswith(("failed:", "error:"))]
    assert lines[:2] == [
        f"failed: {upstream.base_url}/cable/{i}.json answered HTTP 404 Not Found: check the "
        "address or pass --base-url"
        for i in ("adria-1", "aec-1")
    ]
    assert lines[2].startswith("error: 2 file(s) could not be fetched")
    assert len(lines) == 3
    assert list_snapshots(tmp_path) == []


def test_allow_partial_publishes_without_failed_records_and_lists_them(
    upstream: Upstream, tmp_path: Path
) -> None:
    """A record the server no longer has would keep a snapshot unpublished for ever: with
    allow_partial it is published without it, the gap is in MANIFEST.json, loading it needs
    allow_partial (a [missing] note per record), and a later pull that gets it closes the gap."""
    from undersea.sources.telegeography import read_telegeography, snapshot_files

    upstream.fail["/api/v3/cable/adria-1.json"] = 404
    result = upstream.pull(tmp_path, allow_partial=True)
    assert result.missing == ("cable/adria-1.json",)
    assert not (result.path / "cable/adria-1.json").exists()
    manifest = json.loads((result.path / MANIFEST_NAME).read_text())
    assert [(m["path"], m["url"]) for m in manifest["missing"]] == [
        ("cable/adria-1.json", f"{upstream.base_url}/cable/adria-1.json")
    ]
    assert "answered HTTP 404" in manifest["missing"][0]["error"]
    with pytest.raises(DataNotFoundError, match=r"lacks cable/adria-1\.json.*--allow-partial"):
        read_telegeography(result.path)
    snap = read_telegeography(result.path, allow_partial=True)
    assert "adria-1" not in set(snap.cables["id"])
    assert any(n.startswith("[missing] cable/adria-1.json: not fetched") for n in snap.notes)
    upstream.fail.clear()
    again = upstream.pull(tmp_path, allow_partial=True)
    assert again.missing == ()
    assert again.downloaded == 1
    assert "missing" not in json.loads((again.path / MANIFEST_NAME).read_text())
    assert "adria-1" in set(read_telegeography(again.path).cables["id"])
    assert MANIFEST_NAME in snapshot_files(again.path)  # the build cache sees the gap close


def test_allow_partial_never_publishes_without_the_map(upstream: Upstream, tmp_path: Path) -> None:
    upstream.fail["/api/v3/cable/cable-geo.json"] = 404
    with pytest.raises(IncompletePullError, match="not without a map or country file"):
        upstream.pull(tmp_path, allow_partial=True)
    assert list_snapshots(tmp_path) == []


def test_cli_allow_partial_says_what_is_missing(
    upstream: Upstream, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from undersea.cli import main

    upstream.fail["/api/v3/landing-point/aden-yemen.json"] = 410
    args = ["data", "pull", "--dest", str(tmp_path), "--snapshot", SNAPSHOT, "--allow-partial"]
    args += ["--base-url", upstream.base_url, "--countries-url", upstream.countries_url]
    main(args)
    out, err = capsys.readouterr()
    assert err.strip().splitlines()[-1] == (
        f"missing: landing-point/aden-yemen.json (listed in {MANIFEST_NAME})"
    )
    assert out.strip().endswith("1 record(s) missing: load it with undersea --allow-partial")
    assert list_snapshots(tmp_path) == [SNAPSHOT]


def test_connection_refused_is_a_download_error(tmp_path: Path) -> None:
    port = _closed_port()
    with pytest.raises(DownloadError) as info:
        pull_data(dest=tmp_path, base_url=f"http://127.0.0.1:{port}/api/v3", retries=0)
    msg = str(info.value)
    assert msg.startswith(f"cannot reach 127.0.0.1:{port} (")
    assert msg.endswith("check your connection or pass --base-url")
    assert not (tmp_path / "telegeography").exists()


def test_timeout_is_a_download_error(upstream: Upstream, tmp_path: Path) -> None:
    upstream.delay["/api/v3/cable/all.json"] = 0.6
    with pytest.raises(DownloadError, match=r"cannot reach 127\.0\.0\.1:\d+ \(timed out\)"):
        upstream.pull(tmp_path, timeout=0.1)


def test_transfer_cut_short_is_retried_then_refused(upstream: Upstream, tmp_path: Path) -> None:
    raw = (upstream.site / "api/v3/cable/aec-1.json").read_bytes()
    cut = (raw[:50], {"Content-Length": str(len(raw))})
    upstream.bodies["/api/v3/cable/aec-1.json"] = cut
    with pytest.raises(DownloadError, match="IncompleteRead"):
        upstream.pull(tmp_path, retries=1)
    assert upstream.requests.count("/api/v3/cable/aec-1.json") == 2
    assert not (_staging(tmp_path) / "cable" / "aec-1.json").exists()


def test_invalid_json_is_rejected_and_never_kept(upstream: Upstream, tmp_path: Path) -> None:
    upstream.bodies["/api/v3/cable/aec-1.json"] = (b'{"id": "aec-1", "na', {})
    with pytest.raises(IncompletePullError, match=r"aec-1\.json: not valid JSON") as info:
        upstream.pull(tmp_path, threads=1)
    assert [type(e) for e in info.value.failures] == [MalformedSourceError]
    assert not (_staging(tmp_path) / "cable" / "aec-1.json").exists()
    del upstream.bodies["/api/v3/cable/aec-1.json"]
    assert upstream.pull(tmp_path).path.is_dir()


def test_unsafe_ids_are_refused(upstream: Upstream, tmp_path: Path) -> None:
    listing = json.dumps([{"id": "../../escape", "name": "x"}]).encode()
    upstream.bodies["/api/v3/cable/all.json"] = (listing, {})
    with pytest.raises(MalformedSourceError, match=r"unusable cable id '\.\./\.\./escape'"):
        upstream.pull(tmp_path)
    assert not (tmp_path / "escape.json").exists()


def test_gzip_bodies_are_decoded(upstream: Upstream, tmp_path: Path) -> None:
    raw = (upstream.site / "api/v3/cable/aec-1.json").read_bytes()
    upstream.bodies["/api/v3/cable/aec-1.json"] = (gzip.compress(raw), {"Content-Encoding": "gzip"})
    result = upstream.pull(tmp_path)
    assert (result.path / "cable/aec-1.json").read_bytes() == raw


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"snapshot": ".hidden"}, "bad snapshot name"),
        ({"snapshot": "a/b"}, "bad snapshot name"),
        ({"base_url": "ftp://example.org/x"}, "pass --base-url"),
        ({"countries_url": "not a url"}, "pass --countries-url"),
        ({"timeout": 0}, "timeout > 0"),
        ({"threads": 0}, "threads >= 1"),
    ],
)
def test_bad_options_are_refused(tmp_path: Path, options: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidArgumentError, match=match):
        pull_data(dest=tmp_path, **options)


def test_a_snapshot_folder_not_made_by_pull_is_left_alone(
    upstream: Upstream, tmp_path: Path
) -> None:
    mine = tmp_path / "telegeography" / SNAPSHOT / "cable"
    mine.mkdir(parents=True)
    (mine / "x.json").write_text("{}")
    with pytest.raises(InvalidArgumentError, match="not made by `undersea data pull`"):
        upstream.pull(tmp_path)
    assert (mine / "x.json").read_text() == "{}"


# ---------------------------------------------------------------------------- the cache


def test_cache_keeps_whole_files_only(tmp_path: Path, upstream: Upstream) -> None:
    cache = uhttp.DownloadCache(tmp_path, retries=0)
    url = f"{upstream.base_url}/cable/aec-1.json"
    record, fetched = cache.get(url, "cable/aec-1.json")
    assert fetched
    index = (tmp_path / uhttp.INDEX_NAME).read_text().splitlines()
    assert [json.loads(line)["key"] for line in index] == [uhttp.url_key(url)]
    assert cache.get(url, "cable/aec-1.json") == (record, False)
    reopened = uhttp.DownloadCache(tmp_path)
    assert reopened.lookup(url) == record
    (tmp_path / "cable/aec-1.json").write_bytes(b"{}")
    assert cache.lookup(url) is None
    assert not list(tmp_path.rglob("*.tmp"))
    with pytest.raises(ValueError, match="relative"):
        cache.download(url, "../outside.json")


def test_torn_index_lines_are_ignored(tmp_path: Path, upstream: Upstream) -> None:
    url = f"{upstream.base_url}/cable/aec-1.json"
    record = uhttp.DownloadCache(tmp_path, retries=0).download(url, "cable/aec-1.json")
    with open(tmp_path / uhttp.INDEX_NAME, "a") as fh:
        fh.write('{"key": "abc", "path": "cable/x.json", "ur')
    cache = uhttp.DownloadCache(tmp_path)
    assert cache.lookup(url) == record
    assert cache.lookup(f"{upstream.base_url}/cable/x.json") is None


def test_atomic_write_leaves_nothing_behind_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "f.json"
    uhttp.atomic_write(target, b"old")

    with pytest.raises(TypeError):
        uhttp.atomic_write(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json"]


def test_user_agent_names_the_tool() -> None:
    assert uhttp.user_agent().startswith("undersea/")


# ---------------------------------------------------------------------------- the CLI


@pytest.mark.parametrize("option", ["--dest", "--data-dir"])  # the other commands' name
def test_cli_pull_prints_a_summary(upstream: Upstream, tmp_path: Path, option: str) -> None:
    import undersea.cli._commands  # noqa: F401  (registers the commands)
    from undersea.cli._app import app

    args = ["data", "pull", option, str(tmp_path), "--snapshot", SNAPSHOT]
    args += ["--base-url", upstream.base_url, "--countries-url", upstream.countries_url]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith(f"snapshot {SNAPSHOT} ready in {tmp_path / 'telegeography' / SNAPSHOT}")
    assert "downloaded, 0 already present" in line
    assert snapshot_path(tmp_path).name == SNAPSHOT


def test_cli_bad_address_prints_one_line_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from undersea.cli import main

    port = _closed_port()
    args = ["data", "pull", "--dest", str(tmp_path), "--base-url", f"http://127.0.0.1:{port}/v3"]
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"error: cannot reach 127.0.0.1:{port} (")
    assert err[-1].endswith("pass --base-url")
    assert issubclass(DownloadError, UnderseaError)


def test_cli_help_has_an_example() -> None:
    import undersea.cli._commands  # noqa: F401
    from undersea.cli._app import app

    result = CliRunner().invoke(app, ["data", "pull", "--help"])
    assert result.exit_code == 0
    assert "Example: undersea data pull" in result.stdout


# ---------------------------------------------------------------------------- full size


@pytest.mark.slow
def test_full_snapshot_pull(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    site = _build_site(shared_data, tmp_path_factory.mktemp("full-site"), None)
    dest = tmp_path_factory.mktemp("full-dest")
    for upstream in _serve(site):
        result = upstream.pull(dest)
        again = upstream.pull(dest)
    ref = shared_data / "telegeography" / SNAPSHOT
    assert result.files == 575 + 1655 + 2 + 3
    assert (again.downloaded, again.skipped) == (0, result.files)
    for folder in ("cable", "landing-point"):
        names = sorted(p.name for p in (result.path / folder).iterdir())
        assert names == sorted(p.name for p in (ref / folder).iterdir())
    for rel in ("cable/2africa.json", "landing-point/landing-point-geo.json"):
        assert json.loads((result.path / rel).read_bytes()) == json.loads((ref / rel).read_bytes())
    from undersea.sources.telegeography import read_telegeography

    pulled, reference = read_telegeography(snapshot_path(dest)), read_telegeography(ref)
    for table in ("cables", "landing_points", "cable_landings", "cable_routes"):
        assert getattr(pulled, table).equals(getattr(reference, table)), table
    assert len(pulled.cables) == 575


# ---------------------------------------------------------------------------- hardening
def test_a_quota_message_is_never_published_and_a_repull_replaces_a_bad_file(
    upstream: Upstream, tmp_path: Path
) -> None:
    quota = (b'{"error": "quota exceeded"}', {})
    upstream.bodies["/api/v3/cable/aec-1.json"] = quota
    with pytest.raises(IncompletePullError, match=r"aec-1\.json, field 'id': required field"):
        upstream.pull(tmp_path, threads=1)
    assert not (_staging(tmp_path) / "cable" / "aec-1.json").exists()
    assert not (tmp_path / "telegeography" / SNAPSHOT).exists()
    del upstream.bodies["/api/v3/cable/aec-1.json"]
    good = upstream.pull(tmp_path)
    # a bad file published by an older undersea, its checksum in the manifest
    bad_file = good.path / "cable" / "aec-1.json"
    bad_file.write_bytes(quota[0])
    manifest = json.loads((good.path / MANIFEST_NAME).read_text())
    for entry in manifest["files"]:
        if entry["path"] == "cable/aec-1.json":
            entry.update(size=len(quota[0]), sha256=hashlib.sha256(quota[0]).hexdigest())
    (good.path / MANIFEST_NAME).write_text(json.dumps(manifest))
    again = upstream.pull(tmp_path)
    assert again.downloaded == 1
    assert bad_file.read_bytes() == (upstream.site / "api/v3/cable/aec-1.json").read_bytes()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v3/landing-point/landing-point-geo.json", {"type": "FeatureCollection"}, "features"),
        (
            "/api/v3/cable/cable-geo.json",
            {
                "features": [
                    {
                        "properties": {"id": "x"},
                        "geometry": {"type": "Point", "coordinates": [1, 2]},
                    }
                ]
            },
            "geometry.type",
        ),
        (  # the reader's own checks: a vertex at lat 999 is never published
            "/api/v3/cable/cable-geo.json",
            {
                "features": [
                    {
                        "properties": {"id": "x"},
                        "geometry": {"type": "LineString", "coordinates": [[0, 0], [0, 999]]},
                    }
                ]
            },
            "geometry.coordinates",
        ),
        ("/npm/world-atlas@2/countries-50m.json", {"message": "Not found"}, "type"),
    ],
)
def test_each_kind_of_file_is_checked_against_its_schema(
    upstream: Upstream, tmp_path: Path, path: str, body: dict[str, Any], field: str
) -> None:
    upstream.bodies[path] = (json.dumps(body).encode(), {})
    with pytest.raises(IncompletePullError) as info:
        upstream.pull(tmp_path, threads=1)
    (failure,) = info.value.failures
    assert isinstance(failure, MalformedSourceError)
    assert failure.field == field
    assert not (tmp_path / "telegeography" / SNAPSHOT).exists()
    assert not (tmp_path / "geo").exists()


def _limits(monkeypatch: pytest.MonkeyPatch, **changes: Any) -> None:
    from undersea.settings import configure, get_settings

    monkeypatch.setattr("undersea.settings._current", get_settings())
    configure(**changes)


def test_a_file_over_the_size_limit_is_refused(
    upstream: Upstream, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _limits(monkeypatch, pull_max_file_mb=0.2)  # cable-geo.json of 5 cables is larger
    size = (upstream.site / "api/v3/landing-point/landing-point-geo.json").stat().st_size
    assert size < 200_000
    huge = b"[" + b" " * 300_000 + b"]"
    upstream.bodies["/api/v3/landing-point/landing-point-geo.json"] = (huge, {})
    with pytest.raises(DownloadError, match=r"larger than 0\.2 MB.*pull_max_file_mb"):
        upstream.pull(tmp_path, threads=1)
    assert not (_staging(tmp_path) / "landing-point" / "landing-point-geo.json").exists()


def test_the_total_size_of_a_pull_is_bounded(
    upstream: Upstream, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _limits(monkeypatch, pull_max_total_mb=0.5)
    with pytest.raises(DownloadError, match=r"passed 0\.5 MB in all.*pull_max_total_mb"):
        upstream.pull(tmp_path)
    assert not (tmp_path / "telegeography" / SNAPSHOT).exists()


def test_a_gzip_bomb_is_refused(upstream: Upstream, tmp_path: Path) -> None:
    bomb = gzip.compress(b"[" + b" " * 20_000_000 + b"]")  # 20 MB from ~20 kB
    assert len(bomb) < 50_000
    upstream.bodies["/api/v3/cable/aec-1.json"] = (bomb, {"Content-Encoding": "gzip"})
    with pytest.raises(DownloadError, match="expands over 100 times"):
        upstream.pull(tmp_path, threads=1)
    assert not (_staging(tmp_path) / "cable" / "aec-1.json").exists()


def test_a_slow_drip_meets_the_file_deadline(
    upstream: Upstream, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _limits(monkeypatch, pull_file_deadline_s=0.5)
    upstream.drip["/api/v3/cable/aec-1.json"] = 0.02  # each byte well within --timeout
    start = time.monotonic()
    with pytest.raises(DownloadError, match=r"longer than 0\.5 s.*pull_file_deadline_s"):
        upstream.pull(tmp_path, threads=1, timeout=1.0)
    assert time.monotonic() - start < 30  # the whole body would take over a minute
    assert not (_staging(tmp_path) / "cable" / "aec-1.json").exists()


@pytest.mark.parametrize(
    "location",
    [
        "ftp://127.0.0.1/api/v3/cable/aec-1.json",
        "https://elsewhere.example/api/v3/cable/aec-1.json",
        "/api/v3/cable/adria-1.json",  # same host, but not https
    ],
)
def test_redirects_only_to_https_on_the_same_or_a_listed_host(
    upstream: Upstream, tmp_path: Path, location: str
) -> None:
    upstream.redirect["/api/v3/cable/aec-1.json"] = location
    with pytest.raises(DownloadError, match=r"redirects to .*: refused") as info:
        upstream.pull(tmp_path, threads=1)
    assert "\n" not in str(info.value)
    assert not (tmp_path / "telegeography" / SNAPSHOT).exists()


def test_leftovers_of_a_killed_pull_are_cleaned_and_never_published(
    upstream: Upstream, tmp_path: Path
) -> None:
    upstream.fail["/api/v3/cable/alba-1.json"] = 404
    with pytest.raises(DownloadError):
        upstream.pull(tmp_path, threads=1)
    leftover = _staging(tmp_path) / "cable" / ".aec-1.json.999999999.deadbeef.tmp"
    leftover.write_bytes(b'{"id": "aec-1", "na')  # a write cut by kill -9
    del upstream.fail["/api/v3/cable/alba-1.json"]
    result = upstream.pull(tmp_path)
    assert not leftover.exists()
    assert not [p for p in result.path.rglob(".*") if p.is_file()]
