"""PeeringDB reader and ``undersea data pull --peeringdb``, against a server on 127.0.0.1."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from undersea._errors import (
    DataNotFoundError,
    DownloadError,
    InvalidArgumentError,
    MalformedSourceError,
)
from undersea.data.pull import PEERINGDB_URL_ENV, pull_peeringdb
from undersea.sources.peeringdb import (
    FACILITY_COLUMNS,
    read_peeringdb,
    read_peeringdb_exchanges,
    read_peeringdb_facilities,
    read_peeringdb_ixfac,
)

# A small fixture in PeeringDB's API format (fields as the API sends them, extras included).
FAC = [
    {
        "id": 1,
        "org_id": 7,
        "name": "Equinix PA2",
        "aka": "",
        "city": "Saint-Denis",
        "country": "FR",
        "state": "",
        "latitude": 48.92,
        "longitude": 2.35,
        "net_count": 120,
        "ix_count": 4,
        "created": "2010-07-29T00:00:00Z",
        "updated": "2024-01-01T10:00:00Z",
        "status": "ok",
        "region_continent": "Europe",
    },
    {
        "id": 2,
        "org_id": 8,
        "name": "Interxion MRS1",
        "city": "Marseille",
        "country": "FR",
        "latitude": None,
        "longitude": None,
        "net_count": 80,
        "ix_count": 2,
        "created": "2015-03-02T08:30:00Z",
        "status": "ok",
    },
    {
        "id": 3,
        "name": "Kosovo DC",
        "city": "Pristina",
        "country": "XK",
        "latitude": "42.66",
        "longitude": "21.17",
        "created": "2021-01-01T00:00:00+01:00",
        "status": "ok",
    },
]
IX = [
    {
        "id": 10,
        "org_id": 7,
        "name": "France-IX Paris",
        "name_long": "France-IX",
        "city": "Paris",
        "country": "FR",
        "net_count": 400,
        "fac_count": 1,
        "created": "2010-07-29T00:00:00Z",
        "status": "ok",
        "media": "Ethernet",
        "proto_unicast": True,
    },
    {
        "id": 11,
        "name": "France-IX Marseille",
        "city": "Marseille",
        "country": "FR",
        "net_count": 90,
        "fac_count": 1,
        "created": "2014-05-05T00:00:00Z",
        "status": "ok",
    },
]
IXFAC = [
    {"id": 100, "ix_id": 10, "fac_id": 1, "created": "2010-07-29T00:00:00Z", "status": "ok"},
    {"id": 101, "ix_id": 11, "fac_id": 2, "created": "2014-05-05T00:00:00Z", "status": "ok"},
    {"id": 102, "ix_id": 99, "fac_id": 2, "created": "2014-05-05T00:00:00Z", "status": "ok"},
]  # fmt: skip


def _write(folder: Path, fac=FAC, ix=IX, ixfac=IXFAC) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("fac", fac), ("ix", ix), ("ixfac", ixfac)):
        (folder / f"{name}.json").write_text(json.dumps({"data": rows, "meta": {}}))
    return folder


# ---------------------------------------------------------------------------- reader


def test_read_facilities(tmp_path: Path) -> None:
    fac = read_peeringdb_facilities(_write(tmp_path) / "fac.json")
    assert list(fac.columns) == list(FACILITY_COLUMNS)
    assert fac["id"].tolist() == [1, 2, 3]
    assert fac["iso2"].tolist() == ["FR", "FR", "XK"]
    assert fac.loc[1, ["lon", "lat"]].isna().all()
    assert fac.loc[2, "lat"] == pytest.approx(42.66)  # numeric text accepted
    assert fac.loc[2, "created"] == pd.Timestamp("2020-12-31 23:00:00")  # to UTC
    assert fac["net_count"].tolist()[:2] == [120, 80]
    assert pd.isna(fac.loc[2, "net_count"])


def test_read_folder_drops_dangling_links(tmp_path: Path) -> None:
    pdb = read_peeringdb(_write(tmp_path))
    assert pdb.exchanges["name"].tolist() == ["France-IX Paris", "France-IX Marseille"]
    assert pdb.ix_facilities["id"].tolist() == [100, 101]  # ix 99 does not exist
    assert read_peeringdb_exchanges(tmp_path / "ix.json")["fac_count"].tolist() == [1, 1]
    assert len(read_peeringdb_ixfac(tmp_path / "ixfac.json")) == 3


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("[1, 2]", "expected a JSON object"),
        ('{"meta": {}}', "'data' list"),
        ('{"data": {}}', "expected a list"),
        ('{"data": [3]}', "expected a JSON object"),
        ('{"data": [{"id": "x"}]}', "positive integer id"),
        ('{"data": [{"id": 1, "country": "FRA"}]}', "two-letter country code"),
        ('{"data": [{"id": 1, "latitude": 95}]}', "out of range"),
        ('{"data": [{"id": 1, "latitude": "north"}]}', "expected a number"),
        ('{"data": [{"id": 1, "created": "yesterday"}]}', "ISO 8601"),
        ('{"data": [{"id": 1, "net_count": -3}]}', "expected a count"),
        ('{"data": [{"id": 1}, {"id": 1}]}', "duplicate id 1"),
        ("{not json", "not valid JSON"),
    ],
)
def test_malformed_files_name_the_record_and_field(tmp_path: Path, body: str, match: str) -> None:
    path = tmp_path / "fac.json"
    path.write_text(body)
    with pytest.raises(MalformedSourceError, match=match) as exc:
        read_peeringdb_facilities(path)
    assert str(path) in str(exc.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataNotFoundError):
        read_peeringdb(tmp_path)


_scalar = st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False)
_json = st.recursive(
    _scalar | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)
_record = st.fixed_dictionaries(
    {},
    optional={
        "id": st.integers(-1, 3) | st.text(max_size=2),
        "country": st.sampled_from(["FR", "fr", "", "FRA", None, 3]),
        "latitude": st.one_of(st.none(), st.floats(-100, 100), st.text(max_size=3)),
        "created": st.sampled_from(["2020-01-01T00:00:00Z", "x", None, 5]),
        "net_count": st.one_of(st.none(), st.integers(-2, 5), st.booleans()),
        "name": _json,
    },
)


@given(st.lists(_record, max_size=4))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_reader_fails_only_with_malformed_source_error(tmp_path: Path, records: list) -> None:
    path = tmp_path / "fac.json"
    path.write_text(json.dumps({"data": records}))
    try:
        out = read_peeringdb_facilities(path)
    except MalformedSourceError:
        return
    assert out["id"].is_unique
    assert (out["id"] > 0).all()


# ------------------------------------------------------------------------------ pull


class _Server:
    def __init__(self, site: Path) -> None:
        self.site = site
        self.fail: dict[str, int] = {}
        self.bodies: dict[str, bytes] = {}
        self.requests: list[str] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def handler(self) -> type[http.server.SimpleHTTPRequestHandler]:
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                server.requests.append(path)
                if path in server.fail:
                    self.send_error(server.fail[path])
                    return
                body = server.bodies.get(path)
                if body is None:
                    file = server.site / path.lstrip("/")
                    body = file.read_bytes() if file.is_file() else None
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Server]:
    site = tmp_path_factory.mktemp("pdb-site")
    api = site / "api"
    api.mkdir()
    for name, rows in (("fac", FAC), ("ix", IX), ("ixfac", IXFAC)):
        (api / name).write_text(json.dumps({"data": rows, "meta": {}}))
    srv = _Server(site)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(srv.handler()))
    httpd.daemon_threads = True
    srv.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield srv
    httpd.shutdown()
    httpd.server_close()


def test_pull_writes_the_three_files_and_a_manifest(upstream: _Server, tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    res = pull_peeringdb(
        dest=tmp_path, base_url=upstream.base_url, progress=lambda *a: seen.append(a), retries=0
    )
    folder = tmp_path / "peering" / "peeringdb"
    assert res.path == folder
    assert (res.files, res.downloaded, res.snapshot) == (3, 3, "peeringdb")
    assert sorted(p.name for p in folder.iterdir()) == [
        "MANIFEST.json",
        "fac.json",
        "ix.json",
        "ixfac.json",
    ]
    manifest = json.loads((folder / "MANIFEST.json").read_text())
    assert [f["url"] for f in manifest["files"]] == [
        f"{upstream.base_url}/{k}" for k in ("fac", "ix", "ixfac")
    ]
    assert seen[-1] == ("peeringdb", 3, 3)
    pdb = read_peeringdb(folder)
    assert len(pdb.facilities) == 3
    assert not (tmp_path / "peering" / ".peeringdb.partial").exists()


def test_failed_pull_keeps_the_previous_data(upstream: _Server, tmp_path: Path) -> None:
    pull_peeringdb(dest=tmp_path, base_url=upstream.base_url, retries=0)
    before = (tmp_path / "peering" / "peeringdb" / "fac.json").read_bytes()
    upstream.fail["/api/ixfac"] = 404
    with pytest.raises(DownloadError, match="404"):
        pull_peeringdb(dest=tmp_path, base_url=upstream.base_url, retries=0)
    assert (tmp_path / "peering" / "peeringdb" / "fac.json").read_bytes() == before
    assert not (tmp_path / "peering" / ".peeringdb.partial").exists()


def test_answer_that_is_not_peeringdb_is_refused(upstream: _Server, tmp_path: Path) -> None:
    upstream.bodies["/api/ix"] = b'{"error": "throttled"}'
    with pytest.raises(MalformedSourceError, match="PeeringDB answer"):
        pull_peeringdb(dest=tmp_path, base_url=upstream.base_url, retries=0)
    assert not (tmp_path / "peering" / "peeringdb").exists()
    upstream.bodies["/api/ix"] = b"<html>"
    with pytest.raises(MalformedSourceError, match="not valid JSON"):
        pull_peeringdb(dest=tmp_path, base_url=upstream.base_url, retries=0)


def test_pull_address_from_the_environment(upstream, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(PEERINGDB_URL_ENV, upstream.base_url)
    pull_peeringdb(dest=tmp_path, retries=0)
    assert upstream.requests == ["/api/fac", "/api/ix", "/api/ixfac"]
    with pytest.raises(InvalidArgumentError, match="--peeringdb-url"):
        pull_peeringdb(dest=tmp_path, base_url="ftp://example.org")


def test_cli_pull_peeringdb(upstream: _Server, tmp_path: Path) -> None:
    import undersea.cli._commands  # noqa: F401
    from undersea.cli._app import app

    args = [
        "data",
        "pull",
        "--peeringdb",
        "--peeringdb-url",
        upstream.base_url,
        "--dest",
        str(tmp_path),
    ]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "PeeringDB data ready" in res.stdout
    assert (tmp_path / "peering" / "peeringdb" / "ix.json").is_file()
    help_text = CliRunner().invoke(app, ["data", "pull", "--help"]).output
    assert "--peeringdb" in help_text
