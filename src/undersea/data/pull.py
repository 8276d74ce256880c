"""Download a cable-map snapshot and the country polygons into a data directory.

:func:`pull_data` fetches the Submarine Cable Map API (v3) into
``<dest>/telegeography/<snapshot>/`` (``cable/<id>.json``, ``cable/cable-geo.json``,
``landing-point/<id>.json``, ``landing-point/landing-point-geo.json``) and the
``world-atlas@2`` country polygons into ``<dest>/geo/``, laid out as the loaders expect.

Files are downloaded into a hidden staging folder ``telegeography/.<snapshot>.partial/``
through a :class:`~undersea.data.http.DownloadCache`, and the folder is renamed into place only
when every file arrived and parsed, so loaders never see half a snapshot. A file that
cannot be fetched does not stop the others: the pull fetches every file it can, then
raises an IncompletePullError listing each failure. A failed pull keeps its staging folder:
the next pull of the same snapshot name resumes from it. A pull
over a finished snapshot re-downloads only the files whose checksum no longer matches its
``MANIFEST.json`` (URL, date, size and SHA-256 of every file, plus the sources) and moves
them in, each atomically, only once all of them have arrived.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import urllib.parse
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from undersea._errors import (
    DownloadError,
    IncompletePullError,
    InvalidArgumentError,
    MalformedSourceError,
)
from undersea.data.directory import user_data_dir
from undersea.data.http import (
    CachedFile,
    DownloadCache,
    Limits,
    atomic_write,
    fetch,
    sha256_hex,
    user_agent,
)
from undersea.settings import Settings
from undersea.sources.telegeography import MANIFEST_NAME, check_file

__all__ = [
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "DEFAULT_COUNTRIES_URL",
    "DEFAULT_PEERINGDB_URL",
    "MANIFEST_NAME",
    "PEERINGDB_URL_ENV",
    "Progress",
    "PullResult",
    "check_body",
    "pull_data",
    "pull_peeringdb",
]

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://www.submarinecablemap.com/api/v3"
DEFAULT_COUNTRIES_URL = "https://cdn.jsdelivr.net/npm/world-atlas@2/"
#: Environment variable that overrides the default cable-map API address.
BASE_URL_ENV = "UNDERSEA_TELEGEOGRAPHY_URL"
MANIFEST_FORMAT = 1

#: Upstream file name -> path below the data directory.
_COUNTRY_FILES = {
    "countries-50m.json": "geo/countries-50m.json",
    "countries-110m.json": "geo/countries-110m.json",
    "LICENSE": "geo/world-atlas-LICENSE",
}
_STAGES = ("geometry", "cables", "landing points")
_SNAPSHOT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

#: ``progress(stage, done, total)``, called from the calling thread as files arrive.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class PullResult:
    """What a pull produced.

    Attributes
    ----------
    path
        The finished snapshot folder (``<dest>/telegeography/<snapshot>``).
    snapshot
        Its name.
    files
        Files in the snapshot and in ``geo/`` (``downloaded + skipped``).
    downloaded
        Files fetched by this pull.
    skipped
        Files already present with a matching checksum.
    bytes
        Total size of the files fetched by this pull.
    missing
        Records that could not be fetched and are left out (only with ``allow_partial``),
        as listed in ``MANIFEST.json``: their paths below the snapshot folder.
    """

    path: Path
    snapshot: str
    files: int
    downloaded: int
    skipped: int
    bytes: int
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Task:
    url: str
    path: str  # below the staging folder; ``geo/...`` files move to ``<dest>/geo/``
    hint: str  # the option that points elsewhere, for error messages


def pull_data(
    *,
    dest: str | os.PathLike[str] | None = None,
    base_url: str | None = None,
    countries_url: str | None = None,
    snapshot: str | None = None,
    progress: Progress | None = None,
    timeout: float = 30.0,
    retries: int = 2,
    threads: int = 8,
    settings: Settings | None = None,
    allow_partial: bool = False,
) -> PullResult:
    """Download the cable map and the country polygons into a data directory.

    Parameters
    ----------
    dest
        Data directory to fill; default :func:`undersea.data.directory.user_data_dir`.
    base_url
        Cable-map API address; default ``$UNDERSEA_TELEGEOGRAPHY_URL``, then
        :data:`DEFAULT_BASE_URL`.
    countries_url
        Folder holding ``countries-50m.json``, ``countries-110m.json`` and ``LICENSE``;
        default :data:`DEFAULT_COUNTRIES_URL`.
    snapshot
        Name of the snapshot folder; default today's date (``YYYY-MM-DD``). Pulling a name
        again resumes it: files with a matching checksum are not fetched again.
    progress
        ``progress(stage, done, total)`` for the stages ``"geometry"``, ``"cables"`` and
        ``"landing points"``.
    timeout
        Seconds to wait for the server on each request.
    retries
        Further tries of a request after a timeout, a lost connection or an HTTP 5xx.
    threads
        Concurrent downloads.
    settings
        Download limits (``pull_max_file_mb``, ``pull_max_total_mb``,
        ``pull_file_deadline_s``, ``pull_max_gzip_ratio``, ``pull_redirect_hosts``);
        default the session's.
    allow_partial
        Publish the snapshot even if some cable or landing-point records could not be
        fetched (a record the cable list names but the server no longer has), listing each
        in ``MANIFEST.json``'s ``missing``; loading it then needs ``allow_partial=True``
        (``--allow-partial``), and the records are left out with a ``[missing]`` note.
        A failed geometry or country file still stops the pull: without it there is no map.

    Every file is checked against the schema of its kind (a cable record, a landing
    point, GeoJSON of lines or points, a TopoJSON topology) before it is kept; a file that
    fails is never kept, and one published earlier is fetched again.

    Returns
    -------
    PullResult

    Raises
    ------
    IncompletePullError
        Some files could not be fetched (an HTTP error status, over a size or time limit,
        a refused redirect, a body that fails its check): every other file was fetched and
        kept, ``failures`` lists each failed one (its URL, the HTTP status), no snapshot
        appears (unless ``allow_partial`` and only records failed) and pulling the same
        snapshot again fetches only the failed files.
    DownloadError
        The pull could not go on (offline, the host unreachable, the total size limit);
        no snapshot appears.
    MalformedSourceError
        The cable list (``cable/all.json``) does not parse or holds an unusable id (a
        file of the snapshot that fails its check, ``{"error": "quota exceeded"}`` for a
        cable record, is one of an IncompletePullError's failures), or the landing-point
        list holds an unusable id.
    InvalidArgumentError
        A bad address or snapshot name, or a snapshot folder not made by a pull.

    Examples
    --------
    >>> result = pull_data(snapshot="2025-01-15")  # doctest: +SKIP
    >>> result.files == result.downloaded + result.skipped  # doctest: +SKIP
    True
    """
    root = Path(dest) if dest is not None else user_data_dir()
    base = _check_url(base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL, "--base-url")
    countries = _check_url(countries_url or DEFAULT_COUNTRIES_URL, "--countries-url")
    name = _check_snapshot(snapshot if snapshot is not None else date.today().isoformat())
    _check_limits(timeout=timeout, retries=retries, threads=threads)
    final, staging = root / "telegeography" / name, root / "telegeography" / f".{name}.partial"
    previous, had_gaps = _previous_files(root, final)
    index_url, index_date = f"{base}/cable/all.json", _utc_now()
    limits = Limits.from_settings(settings)
    index = fetch(index_url, timeout=timeout, retries=retries, hint="--base-url", limits=limits)
    cable_ids = _cable_ids(index_url, index)
    log.info("pulling %d cables from %s into %s", len(cable_ids), base, staging)
    cache = DownloadCache(
        staging, timeout=timeout, retries=retries, check=check_body, limits=limits
    )
    runner = _Runner(cache, previous, progress)
    lp_geo = "landing-point/landing-point-geo.json"
    with ThreadPoolExecutor(max_workers=threads) as pool:
        runner.run(pool, _STAGES[0], _geometry_tasks(base, countries))
        runner.run(pool, _STAGES[1], _id_tasks(base, "cable", cable_ids))
        if lp_geo in runner.files:  # it lists the landing points
            lp_ids = _landing_point_ids(f"{base}/{lp_geo}", runner.files[lp_geo])
            runner.run(pool, _STAGES[2], _id_tasks(base, "landing-point", lp_ids))
    missing = runner.missing(allow_partial=allow_partial)
    if runner.failures and missing is None:
        raise _incomplete(
            runner, name, staging, listed=lp_geo in runner.files, allow_partial=allow_partial
        )
    if runner.changed() or missing or had_gaps:  # a manifest listing gaps is rewritten
        index_record = CachedFile("", index_url, index_date, len(index), sha256_hex(index))
        manifest = _manifest(name, base, countries, index_record, runner.records, missing or [])
        _finalize(cache, root, final, manifest, runner.records)
    else:
        shutil.rmtree(staging, ignore_errors=True)  # leave the snapshot (and its hash) be
    log.info("snapshot %s ready at %s", name, final)
    return replace(runner.result(final, name), missing=tuple(e["path"] for e in missing or []))


def _incomplete(
    runner: _Runner, name: str, staging: Path, *, listed: bool, allow_partial: bool
) -> IncompletePullError:
    unlisted = "" if listed else "the landing points are not listed (their list failed); "
    partial = (
        "--allow-partial publishes without cable and landing-point records only, not without "
        "a map or country file; "
        if allow_partial
        else "pass --allow-partial to publish it without the failed records; "
    )
    return IncompletePullError(
        runner.failures,
        f"{unlisted}snapshot {name} was not published ({partial}the {len(runner.records)} "
        f"other file(s) are kept, new ones in {staging}) and pulling snapshot {name} again "
        "fetches only the rest",
    )


class _Runner:
    """Runs download tasks on a pool, keeps their records in task order, reports progress.

    A file that cannot be fetched (an HTTP error status, a body that fails its check) is
    listed in ``failures`` and the others go on; a failure that stops everything (the host
    unreachable, the total size limit) cancels the rest and is raised.
    """

    def __init__(
        self,
        cache: DownloadCache,
        previous: dict[str, tuple[CachedFile, Path]],
        progress: Progress | None,
    ) -> None:
        self.cache, self.previous, self.progress = cache, previous, progress
        self.records: list[CachedFile] = []
        self.files: dict[str, Path] = {}  # record path -> where its file lies now
        self.failures: list[DownloadError | MalformedSourceError] = []
        self.failed_paths: list[tuple[_Task, DownloadError | MalformedSourceError]] = []
        self.downloaded = self.bytes = 0

    def run(self, pool: ThreadPoolExecutor, stage: str, tasks: Sequence[_Task]) -> None:
        """Obtain every task's file in parallel; a failure that stops all cancels the rest."""
        self._report(stage, 0, len(tasks))
        futures = {pool.submit(self._obtain, task): task for task in tasks}
        try:
            for done, future in enumerate(as_completed(futures), start=1):
                try:
                    record, fetched, file = future.result()
                except (DownloadError, MalformedSourceError) as exc:
                    if isinstance(exc, DownloadError) and exc.stops_all:
                        raise
                    self.failures.append(exc)
                    self.failed_paths.append((futures[future], exc))
                else:
                    self.files[record.path] = file
                    self.downloaded += fetched
                    self.bytes += record.size if fetched else 0
                self._report(stage, done, len(tasks))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        self.records.extend(f.result()[0] for f in futures if f.exception() is None)

    def missing(self, *, allow_partial: bool) -> list[dict[str, str]] | None:
        """MANIFEST.json ``missing`` entries for the failed files, sorted by path, when
        ``allow_partial`` and every failure is a cable or landing-point record; else None."""
        if not allow_partial or any(not _is_record(t.path) for t, _ in self.failed_paths):
            return None
        entries = [{"path": t.path, "url": t.url, "error": str(e)} for t, e in self.failed_paths]
        return sorted(entries, key=lambda e: e["path"])

    def changed(self) -> bool:
        """Whether the finished snapshot (if any) differs from what this pull gathered."""
        same = {rec for rec, _ in self.previous.values()} == set(self.records)
        staged = any(f.is_relative_to(self.cache.root) for f in self.files.values())
        return not (self.previous and same and not staged)

    def result(self, path: Path, snapshot: str) -> PullResult:
        """The :class:`PullResult` of everything run so far."""
        return PullResult(
            path=path,
            snapshot=snapshot,
            files=len(self.records),
            downloaded=self.downloaded,
            skipped=len(self.records) - self.downloaded,
            bytes=self.bytes,
        )

    def _obtain(self, task: _Task) -> tuple[CachedFile, bool, Path]:
        """The task's record, whether it was downloaded now, and where its file lies."""
        staged = self.cache.root / task.path
        record = self.cache.lookup(task.url)
        if record is not None and record.path == task.path:
            return record, False, staged  # fetched by an earlier, interrupted pull
        known = self.previous.get(task.url)
        if known is not None and known[0].path == task.path and self._whole(*known):
            return known[0], False, known[1]  # whole in the finished snapshot: stays there
        return self.cache.download(task.url, task.path, hint=task.hint), True, staged

    def _whole(self, record: CachedFile, file: Path) -> bool:
        return self.cache.verify(file, record)

    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)


def _geometry_tasks(base: str, countries: str) -> list[_Task]:
    lp_geo = "landing-point/landing-point-geo.json"
    tasks = [
        _Task(f"{base}/cable/cable-geo.json", "cable/cable-geo.json", "--base-url"),
        _Task(f"{base}/{lp_geo}", lp_geo, "--base-url"),
    ]
    for upstream, path in _COUNTRY_FILES.items():
        tasks.append(_Task(f"{countries}/{upstream}", path, "--countries-url"))
    return tasks


def _id_tasks(base: str, kind: str, ids: Sequence[str]) -> list[_Task]:
    return [
        _Task(
            f"{base}/{kind}/{urllib.parse.quote(i, safe='')}.json", f"{kind}/{i}.json", "--base-url"
        )
        for i in ids
    ]


def _check_url(url: str, option: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidArgumentError(f"not an http(s) address: {url!r}; pass {option} https://...")
    return url.rstrip("/")


def _check_limits(*, timeout: float, retries: int, threads: int) -> None:
    if not (timeout > 0 and retries >= 0 and threads >= 1):
        raise InvalidArgumentError(
            f"need timeout > 0, retries >= 0 and threads >= 1; got timeout={timeout}, "
            f"retries={retries}, threads={threads}"
        )


def _check_snapshot(name: str) -> str:
    if not _SNAPSHOT_NAME.fullmatch(name):
        raise InvalidArgumentError(
            f"bad snapshot name {name!r}: use letters, digits, '.', '_' or '-' "
            "(such as 2025-01-15), not starting with '.'"
        )
    return name


def _safe_id(value: object) -> bool:
    """An id usable as a file name: no separators, not hidden, not empty."""
    return (
        isinstance(value, str)
        and bool(value)
        and not value.startswith(".")
        and not any(c in value for c in "/\\\0")
    )


def _parse_json(url: str, data: bytes) -> Any:
    """Parsed JSON of a body, or MalformedSourceError (a cut or garbled download)."""
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise MalformedSourceError(url, f"not valid JSON ({exc})") from exc


def check_body(url: str, data: bytes) -> None:
    """Reject a body that is not what a file of its kind must be.

    The kind comes from the URL. Cable-map files (``cable/<id>.json``,
    ``landing-point/<id>.json``, ``cable/cable-geo.json``,
    ``landing-point/landing-point-geo.json``) are parsed by the reader itself
    (:func:`undersea.sources.telegeography.check_file`: fields, types, coordinate ranges);
    ``countries-*.json`` must be a TopoJSON topology with objects and arcs; other
    ``.json`` files must parse. An error page or a quota message served with status 200
    is never published as data.

    Raises
    ------
    MalformedSourceError
        Naming the URL, the record and the field that is wrong.
    """
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    folder, _, name = path.rpartition("/")
    if not name.endswith(".json"):
        return
    if name.startswith("countries-"):
        _check_topology(url, _parse_json(url, data))
        return
    check_file(f"{folder.rsplit('/', 1)[-1]}/{name}", data, url)


def _check_topology(url: str, body: Any) -> None:
    topo = body if isinstance(body, dict) else {}
    for key, ok in (
        ("type", topo.get("type") == "Topology"),
        ("objects", isinstance(topo.get("objects"), dict)),
        ("arcs", isinstance(topo.get("arcs"), list)),
    ):
        if not ok:
            raise MalformedSourceError(url, "expected a TopoJSON Topology", field=key)


def _cable_ids(url: str, data: bytes) -> list[str]:
    """Cable ids listed by ``cable/all.json`` (a list of ``{id, name, ...}``), in order."""
    listing = _parse_json(url, data)
    if not isinstance(listing, list):
        raise MalformedSourceError(url, "expected a list of cables")
    ids: list[str] = []
    for i, item in enumerate(listing):
        value = item.get("id") if isinstance(item, dict) else None
        if not _safe_id(value):
            raise MalformedSourceError(
                url, f"unusable cable id {value!r}", record=str(i), field="id"
            )
        ids.append(str(value))
    return list(dict.fromkeys(ids))


def _landing_point_ids(url: str, file: Path) -> list[str]:
    """Sorted landing-point ids (``properties.id``) of the landing-point GeoJSON file."""
    geo = _parse_json(url, file.read_bytes())
    features = geo.get("features") if isinstance(geo, dict) else None
    if not isinstance(features, list):
        raise MalformedSourceError(url, "expected a GeoJSON FeatureCollection", field="features")
    ids: set[str] = set()
    for i, feature in enumerate(features):
        props = feature.get("properties") if isinstance(feature, dict) else None
        value = props.get("id") if isinstance(props, dict) else None
        if not _safe_id(value):
            raise MalformedSourceError(
                url, f"unusable landing point id {value!r}", record=str(i), field="properties.id"
            )
        ids.add(str(value))
    return sorted(ids)


def _previous_files(root: Path, final: Path) -> tuple[dict[str, tuple[CachedFile, Path]], bool]:
    """URL -> (record, file) of a finished snapshot of the same name, reused if still whole,
    and whether its manifest lists records a partial pull could not fetch (``missing``)."""
    if not final.exists():
        return {}, False
    manifest_file = final / MANIFEST_NAME
    if not manifest_file.is_file():
        raise InvalidArgumentError(
            f"{final} exists but was not made by `undersea data pull` (no {MANIFEST_NAME}): "
            "pass another --snapshot or remove that folder"
        )
    try:
        manifest = json.loads(manifest_file.read_bytes())
        pairs = [(e, final) for e in manifest["files"]] + [(e, root) for e in manifest["geo_files"]]
        records = [(CachedFile.from_json(e), folder) for e, folder in pairs]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("ignoring unreadable %s (%s): downloading everything", manifest_file, exc)
        return {}, False
    files = {rec.url: (rec, folder / rec.path) for rec, folder in records}
    return files, bool(manifest.get("missing"))


def _manifest(
    name: str,
    base: str,
    countries: str,
    index: CachedFile,
    records: Sequence[CachedFile],
    missing: Sequence[dict[str, str]],
) -> bytes:
    """MANIFEST.json: the sources and every file's URL, date, size and checksum, sorted.

    ``files`` paths are below the snapshot folder, ``geo_files`` paths below the data
    directory; ``sources[0].index`` records the cable list (``cable/all.json``) followed;
    ``missing`` (a pull with ``allow_partial``) lists the records it could not fetch, each
    with its path, URL and error, and is read by the snapshot reader.
    """
    ordered = sorted(records, key=lambda r: r.path)
    manifest = {
        "format": MANIFEST_FORMAT,
        "snapshot": name,
        "created": _utc_now(),
        "tool": user_agent(),
        "sources": [
            {
                "name": "telegeography",
                "url": base,
                "version": base.rsplit("/", 1)[-1],
                "licence": "CC BY-NC-SA 3.0 (TeleGeography Submarine Cable Map)",
                "index": {k: v for k, v in index.to_json().items() if k != "path"},
            },
            {
                "name": "world-atlas",
                "url": countries,
                "version": _package_version(countries),
                "licence": "Natural Earth: public domain; packaging ISC (geo/world-atlas-LICENSE)",
            },
        ],
        "files": [r.to_json() for r in ordered if not _is_geo(r)],
        "geo_files": [r.to_json() for r in ordered if _is_geo(r)],
    }
    if missing:
        manifest["missing"] = list(missing)
    return (json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode()


def _is_geo(record: CachedFile) -> bool:
    return record.path.startswith("geo/")


def _is_record(path: str) -> bool:
    """A cable or landing-point record (not a map, list or country file)."""
    kind, _, name = path.partition("/")
    return kind in ("cable", "landing-point") and not name.endswith("-geo.json")


def _package_version(url: str) -> str | None:
    """``world-atlas@2`` from a CDN address of an npm package, else ``None``."""
    return next((p for p in urllib.parse.urlsplit(url).path.split("/") if "@" in p), None)


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _finalize(
    cache: DownloadCache, root: Path, final: Path, manifest: bytes, records: Sequence[CachedFile]
) -> None:
    """Publish a pull whose every file arrived.

    A new snapshot is completed in the staging folder, which is then renamed to ``final``.
    Over an existing snapshot only the files fetched now are moved in (each rename atomic),
    files of an older cable list are removed and the manifest is rewritten last.
    """
    staging = cache.root
    fresh = not final.exists()
    folder = staging if fresh else final
    for record in records:
        source = staging / record.path
        target = (root if _is_geo(record) else folder) / record.path
        if source != target and source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    _prune(folder, {r.path for r in records})
    atomic_write(folder / MANIFEST_NAME, manifest)
    cache.drop_index()
    if fresh:
        shutil.rmtree(staging / "geo", ignore_errors=True)
        os.replace(staging, final)
    else:
        shutil.rmtree(staging, ignore_errors=True)


def _prune(folder: Path, keep: set[str]) -> None:
    """Delete snapshot files that the current cable list no longer names."""
    for kind in ("cable", "landing-point"):
        for file in (folder / kind).glob("*"):
            if file.is_file() and f"{kind}/{file.name}" not in keep:
                file.unlink()


# ------------------------------------------------------------------------------ PeeringDB

DEFAULT_PEERINGDB_URL = "https://www.peeringdb.com/api"
#: Environment variable that overrides the default PeeringDB API address.
PEERINGDB_URL_ENV = "UNDERSEA_PEERINGDB_URL"


def pull_peeringdb(
    *,
    dest: str | os.PathLike[str] | None = None,
    base_url: str | None = None,
    progress: Progress | None = None,
    timeout: float = 60.0,
    retries: int = 2,
    settings: Settings | None = None,
) -> PullResult:
    """Download PeeringDB's facilities, exchanges and their links into a data directory.

    Fetches ``<base>/fac``, ``<base>/ix`` and ``<base>/ixfac`` (PeeringDB's public API,
    ``{"data": [...]}``) into ``<dest>/peering/peeringdb/`` as ``fac.json``, ``ix.json``
    and ``ixfac.json`` with a ``MANIFEST.json`` (URL, date, size, SHA-256). The files
    are gathered in a hidden staging folder and the folder replaces the previous one only
    once all three arrived and parsed, so readers never see a mix of two pulls.

    Parameters
    ----------
    dest
        Data directory; default :func:`undersea.data.directory.user_data_dir`.
    base_url
        PeeringDB API address; default ``$UNDERSEA_PEERINGDB_URL``, then
        :data:`DEFAULT_PEERINGDB_URL`.
    progress
        ``progress("peeringdb", done, 3)`` as files arrive.
    timeout, retries, settings
        As for :func:`pull_data`.

    Returns
    -------
    PullResult
        ``path`` is the ``peering/peeringdb`` folder, ``snapshot`` is ``"peeringdb"``.

    Raises
    ------
    DownloadError
        A file could not be fetched; the previous PeeringDB folder is left as it was.
    MalformedSourceError
        An answer that is not PeeringDB's ``{"data": [...]}`` JSON.

    Examples
    --------
    >>> pull_peeringdb(dest="~/undersea-data").files  # doctest: +SKIP
    3
    """
    from undersea.sources.peeringdb import PEERINGDB_FILES

    root = Path(dest).expanduser() if dest is not None else user_data_dir()
    env = os.environ.get(PEERINGDB_URL_ENV)
    base = _check_url(base_url or env or DEFAULT_PEERINGDB_URL, "--peeringdb-url")
    _check_limits(timeout=timeout, retries=retries, threads=1)
    final = root / "peering" / "peeringdb"
    staging = root / "peering" / ".peeringdb.partial"
    shutil.rmtree(staging, ignore_errors=True)
    cache = DownloadCache(
        staging,
        timeout=timeout,
        retries=retries,
        check=_check_peeringdb,
        limits=Limits.from_settings(settings),
    )
    records: list[CachedFile] = []
    try:
        for done, (kind, name) in enumerate(PEERINGDB_FILES.items()):
            if progress is not None:
                progress("peeringdb", done, len(PEERINGDB_FILES))
            records.append(cache.download(f"{base}/{kind}", name, hint="--peeringdb-url"))
        if progress is not None:
            progress("peeringdb", len(records), len(PEERINGDB_FILES))
        cache.drop_index()
        atomic_write(staging / MANIFEST_NAME, _peeringdb_manifest(base, records))
        _swap_folder(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("PeeringDB data ready at %s", final)
    size = sum(r.size for r in records)
    return PullResult(final, "peeringdb", len(records), len(records), 0, size)


def _check_peeringdb(url: str, data: bytes) -> None:
    """Reject a body that is not PeeringDB's ``{"data": [...]}`` answer."""
    try:
        body = json.loads(data)
    except ValueError as exc:
        raise MalformedSourceError(url, f"not valid JSON ({exc})") from exc
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise MalformedSourceError(url, "expected a PeeringDB answer {'data': [...]}")


def _peeringdb_manifest(base: str, records: Sequence[CachedFile]) -> bytes:
    manifest = {
        "format": MANIFEST_FORMAT,
        "created": _utc_now(),
        "tool": user_agent(),
        "sources": [{"name": "peeringdb", "url": base, "licence": "PeeringDB AUP, attribution"}],
        "files": [r.to_json() for r in records],
    }
    return (json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode()


def _swap_folder(staging: Path, final: Path) -> None:
    """Put ``staging`` in the place of ``final`` (two renames; the old copy is removed)."""
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)
