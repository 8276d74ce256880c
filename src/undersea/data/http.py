"""Download plumbing: HTTP fetches with one clear error, and one cache keyed by URL hash.

:func:`fetch` returns the body at a URL or raises :class:`~undersea._errors.DownloadError`
with one line naming the host or the URL. :class:`DownloadCache` keeps fetched files under
a root folder at the paths the caller chooses and indexes them by the SHA-256 of their URL
(records of URL, date, size and checksum in ``<root>/.index.jsonl``). Every write is atomic
(temporary file in the same folder, ``fsync``, :func:`os.replace`), a record is written only
after its file, and a failed or rejected download is never recorded, so a cache interrupted
at any point holds only whole, verified files.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import logging
import os
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from undersea._errors import DownloadError
from undersea.settings import Settings, get_settings

__all__ = [
    "INDEX_NAME",
    "CachedFile",
    "Check",
    "DownloadCache",
    "Limits",
    "atomic_write",
    "fetch",
    "sha256_hex",
    "url_key",
    "user_agent",
]

log = logging.getLogger(__name__)

#: Seconds before the first retry of a transient failure; doubles for each further try.
RETRY_BACKOFF_S = 0.5

#: A body check: raises (any exception) when ``data`` fetched from ``url`` must not be kept.
Check = Callable[[str, bytes], None]

#: Name of the index file below a cache root.
INDEX_NAME = ".index.jsonl"


def user_agent() -> str:
    """The ``User-Agent`` sent with every request: ``undersea/<version>``."""
    try:
        version = metadata.version("undersea")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"undersea/{version}"


def url_key(url: str) -> str:
    """Cache key of ``url``: the hex SHA-256 of its text."""
    return hashlib.sha256(url.encode()).hexdigest()


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: temporary file in the same folder, fsync, rename.

    Readers see the old file or the new one, never a part; nothing is left behind on failure.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class _TransientError(DownloadError):
    """A failure worth another try (timeout, reset connection, HTTP 5xx / 429)."""


_MB = 1_000_000
#: Bodies that decode to less than this are never refused for their gzip ratio.
_RATIO_FLOOR_BYTES = _MB
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """What one download may cost (from the ``pull_*`` settings).

    Attributes
    ----------
    max_file_bytes
        Largest body of one file, after gzip decoding.
    max_total_bytes
        Most bytes one :class:`DownloadCache` (one pull) may download in all.
    deadline_s
        Wall-clock seconds for one file, retries included.
    max_gzip_ratio
        Largest decoded / sent size of a gzip body (over :data:`_RATIO_FLOOR_BYTES`).
    redirect_hosts
        Hosts a redirect may lead to besides the URL's own; redirects are https only.
    """

    max_file_bytes: int
    max_total_bytes: int
    deadline_s: float
    max_gzip_ratio: float
    redirect_hosts: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Limits:
        """The limits the settings (default: the session's) give."""
        s = settings or get_settings()
        return cls(
            max_file_bytes=int(s.pull_max_file_mb * _MB),
            max_total_bytes=int(s.pull_max_total_mb * _MB),
            deadline_s=s.pull_file_deadline_s,
            max_gzip_ratio=s.pull_max_gzip_ratio,
            redirect_hosts=tuple(h.lower() for h in s.pull_redirect_hosts),
        )


def fetch(
    url: str,
    *,
    timeout: float = 30.0,
    retries: int = 2,
    hint: str = "--base-url",
    limits: Limits | None = None,
) -> bytes:
    """Return the body at ``url``, retrying transient failures ``retries`` times.

    Parameters
    ----------
    url
        An ``http://`` or ``https://`` address.
    timeout
        Seconds to wait for the server on each try.
    retries
        Further tries after a timeout, a lost connection or an HTTP 5xx / 429 answer.
    hint
        The option a user passes to point elsewhere; named in the error message.
    limits
        Size, time, gzip and redirect limits; default :meth:`Limits.from_settings`.

    Raises
    ------
    DownloadError
        Offline, DNS failure, refused or lost connection, timeout or an HTTP error status:
        one line naming the host (unreachable) or the URL (error status). Also a body
        over the size limit, a file past its deadline, a gzip body that expands too
        much, or a redirect to anything but https on the same or a listed host.
    """
    lim = limits or Limits.from_settings()
    deadline = time.monotonic() + lim.deadline_s
    for attempt in range(retries + 1):
        try:
            return _fetch_once(url, timeout=timeout, hint=hint, limits=lim, deadline=deadline)
        except _TransientError as exc:
            if attempt == retries:
                final = DownloadError(str(exc))
                final.stops_all = exc.stops_all
                raise final from exc.__cause__
            log.debug("retrying %s after: %s", url, exc)
            time.sleep(RETRY_BACKOFF_S * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _fetch_once(url: str, *, timeout: float, hint: str, limits: Limits, deadline: float) -> bytes:
    headers = {"User-Agent": user_agent(), "Accept-Encoding": "gzip"}
    request = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(_RedirectHandler(url, limits.redirect_hosts))
    wait = max(min(timeout, deadline - time.monotonic()), 0.001)
    try:
        with opener.open(request, timeout=wait) as response:
            body = _read_limited(response, url, limits, deadline)
            encoding = response.headers.get("Content-Encoding", "")
    except DownloadError:
        raise
    except urllib.error.HTTPError as exc:
        with exc:  # an HTTPError holds the open response
            raise _status_error(url, exc.code, str(exc.reason), hint) from exc
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        host = urllib.parse.urlsplit(url).netloc or url
        text = str(reason) or type(reason).__name__
        unreachable = _TransientError(
            f"cannot reach {host} ({text}): check your connection or pass {hint}"
        )
        unreachable.stops_all = True  # no use trying the other files
        raise unreachable from exc
    if encoding.strip().lower() == "gzip":
        body = _gunzip(body, url, limits)
    return body


def _too_large(url: str, limits: Limits) -> DownloadError:
    mb = limits.max_file_bytes / _MB
    return DownloadError(
        f"{url} is larger than {mb:g} MB, the limit for one file (setting pull_max_file_mb)"
    )


def _read_limited(
    response: http.client.HTTPResponse, url: str, limits: Limits, deadline: float
) -> bytes:
    """The body, read as it arrives, within the size limit and the file's deadline."""
    length = response.headers.get("Content-Length", "")
    if length.strip().isdigit() and int(length) > limits.max_file_bytes:
        raise _too_large(url, limits)
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(_CHUNK):
        size += len(chunk)
        if size > limits.max_file_bytes:
            raise _too_large(url, limits)
        if time.monotonic() > deadline:
            raise DownloadError(
                f"{url} took longer than {limits.deadline_s:g} s, the deadline for one file "
                "(setting pull_file_deadline_s)"
            )
        chunks.append(chunk)
    body = b"".join(chunks)
    if response.length:  # the server promised more than it sent
        raise http.client.IncompleteRead(body, response.length)
    return body


def _gunzip(body: bytes, url: str, limits: Limits) -> bytes:
    """Decode a gzip body (all members) within the size and expansion limits."""
    out: list[bytes] = []
    size, data = 0, body
    try:
        while data:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            while data and not d.eof:
                chunk = d.decompress(data, _CHUNK)
                size += len(chunk)
                if size > limits.max_file_bytes:
                    raise _too_large(url, limits)
                if size > _RATIO_FLOOR_BYTES and size > limits.max_gzip_ratio * len(body):
                    raise DownloadError(
                        f"{url} sent a gzip body that expands over {limits.max_gzip_ratio:g} "
                        "times (setting pull_max_gzip_ratio): refused"
                    )
                out.append(chunk)
                data = d.unconsumed_tail
            if not d.eof:
                raise _TransientError(f"{url} sent a corrupt gzip body (cut short)")
            data = d.unused_data
    except zlib.error as exc:
        raise _TransientError(f"{url} sent a corrupt gzip body ({exc})") from exc
    return b"".join(out)


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to https on the requested URL's host or a listed one."""

    def __init__(self, url: str, hosts: tuple[str, ...]) -> None:
        self.allowed = {(urllib.parse.urlsplit(url).hostname or "").lower(), *hosts}

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        target = urllib.parse.urlsplit(urllib.parse.urljoin(req.full_url, newurl))
        if target.scheme != "https" or (target.hostname or "").lower() not in self.allowed:
            raise DownloadError(
                f"{req.full_url} redirects to {newurl[:200]}: refused (redirects are followed "
                "only to https on the same host or one listed in setting pull_redirect_hosts)"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _status_error(url: str, code: int, reason: str, hint: str) -> DownloadError:
    msg = f"{url} answered HTTP {code} {reason}: check the address or pass {hint}"
    return _TransientError(msg) if code >= 500 or code in (408, 429) else DownloadError(msg)


@dataclass(frozen=True)
class CachedFile:
    """One downloaded file: its path below the cache root, source URL, date, size, checksum."""

    path: str
    url: str
    date: str
    size: int
    sha256: str

    def to_json(self) -> dict[str, str | int]:
        """Plain dict for a JSON manifest or index record."""
        return asdict(self)

    @classmethod
    def from_json(cls, obj: Mapping[str, object]) -> CachedFile:
        """Rebuild a record; ``ValueError`` when a field is missing or of the wrong type."""
        values = {name: obj.get(name) for name in ("path", "url", "date", "size", "sha256")}
        size = values.pop("size")
        if not isinstance(size, int) or not all(isinstance(v, str) for v in values.values()):
            raise ValueError(f"not a download record: {obj!r}")
        return cls(size=size, **{k: str(v) for k, v in values.items()})


class DownloadCache:
    """Files fetched from URLs, stored under ``root`` and indexed by the hash of their URL.

    Each file is written atomically at the caller's path below ``root``; then a record
    (URL, date, size, checksum) keyed by the SHA-256 of the URL is appended to the index
    ``root/.index.jsonl``. A file counts as cached only while its record exists and the file
    still has the recorded size and checksum and passes ``check``. Failed or rejected
    downloads are never written; a torn index line is ignored (its file is fetched again).

    Parameters
    ----------
    root
        Folder that receives the files and the index.
    timeout, retries
        Passed to :func:`fetch`.
    limits
        Passed to :func:`fetch`; ``max_total_bytes`` bounds what this cache downloads.
    check
        Called on every body before it is kept and again when a cached file is reused;
        raising rejects the body.
    """

    def __init__(
        self,
        root: Path,
        *,
        timeout: float = 30.0,
        retries: int = 2,
        check: Check | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.root, self.timeout, self.retries = Path(root), timeout, retries
        self.check = check
        self.limits = limits or Limits.from_settings()
        self.downloaded_bytes = 0
        self._lock = threading.Lock()
        self._records = _read_index(self.root / INDEX_NAME)

    def lookup(self, url: str) -> CachedFile | None:
        """The record of ``url`` when its file is still whole, else ``None``."""
        record = self._records.get(url_key(url))
        if record is None or record.url != url or not self.verify(self.root / record.path, record):
            return None
        return record

    def verify(self, file: Path, record: CachedFile) -> bool:
        """Whether ``file`` has the size and checksum of ``record`` and passes the check."""
        try:
            data = file.read_bytes()
        except OSError:
            return False
        if len(data) != record.size or sha256_hex(data) != record.sha256:
            return False
        return self._passes(record.url, data)

    def get(self, url: str, path: str, *, hint: str = "--base-url") -> tuple[CachedFile, bool]:
        """Record of ``url`` stored at ``path``, and whether it was downloaded just now."""
        record = self.lookup(url)
        if record is not None and record.path == path:
            return record, False
        return self.download(url, path, hint=hint), True

    def download(self, url: str, path: str, *, hint: str = "--base-url") -> CachedFile:
        """Fetch ``url``, check it, store it at ``path`` and record it."""
        _check_relative(path)
        data = fetch(url, timeout=self.timeout, retries=self.retries, hint=hint, limits=self.limits)
        with self._lock:
            self.downloaded_bytes += len(data)
            total = self.downloaded_bytes
        if total > self.limits.max_total_bytes:
            mb = self.limits.max_total_bytes / _MB
            over = DownloadError(
                f"this download passed {mb:g} MB in all at {url} (setting pull_max_total_mb): "
                "stopped"
            )
            over.stops_all = True
            raise over
        if self.check is not None:
            self.check(url, data)
        date = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        record = CachedFile(path=path, url=url, date=date, size=len(data), sha256=sha256_hex(data))
        atomic_write(self.root / path, data)  # the file first, then its record
        line = json.dumps({"key": url_key(url), **record.to_json()}) + "\n"
        with self._lock, open(self.root / INDEX_NAME, "a", encoding="utf-8") as fh:
            fh.write(line)
            self._records[url_key(url)] = record
        log.debug("downloaded %s (%d bytes)", url, len(data))
        return record

    def drop_index(self) -> None:
        """Forget every record (the files stay): done once the files have been published."""
        with self._lock:
            (self.root / INDEX_NAME).unlink(missing_ok=True)
            self._records.clear()

    def _passes(self, url: str, data: bytes) -> bool:
        if self.check is None:
            return True
        try:
            self.check(url, data)
        except Exception:
            return False
        return True


def _read_index(file: Path) -> dict[str, CachedFile]:
    """URL hash -> latest record of an index file; unreadable lines are skipped."""
    records: dict[str, CachedFile] = {}
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return records
    for line in lines:
        try:
            obj = json.loads(line)
            record = CachedFile.from_json(obj)
        except (ValueError, AttributeError):
            continue
        if obj.get("key") == url_key(record.url):
            records[obj["key"]] = record
    return records


def _check_relative(path: str) -> None:
    parts = PurePosixPath(path).parts
    if not parts or PurePosixPath(path).is_absolute() or ".." in parts or "\\" in path:
        raise ValueError(f"cache path must be relative and inside the cache: {path!r}")
