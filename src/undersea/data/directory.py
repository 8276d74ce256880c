"""Where data lives: the data directory and the snapshots in it.

A data directory holds ``telegeography/<date>/`` (one folder per cable-map snapshot),
``geo/`` (country polygons) and ``peering/`` (exchange data). It is found, in order:
the explicit argument (``--data-dir``), the ``UNDERSEA_DATA`` environment variable, then
the user cache filled by ``undersea data pull``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

import platformdirs

from undersea._errors import DataNotFoundError, UnknownNameError

__all__ = [
    "cache_dir",
    "content_hash",
    "data_dir",
    "list_snapshots",
    "remove_stale_temps",
    "snapshot_path",
    "temp_path",
    "user_data_dir",
]

ENV_VAR = "UNDERSEA_DATA"


def user_data_dir() -> Path:
    """The user cache that ``undersea data pull`` fills."""
    return Path(platformdirs.user_cache_dir("undersea")) / "data"


def cache_dir() -> Path:
    """Where built networks are cached (override with ``UNDERSEA_CACHE``)."""
    env = os.environ.get("UNDERSEA_CACHE")
    return Path(env) if env else Path(platformdirs.user_cache_dir("undersea")) / "networks"


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the data directory: ``path``, then ``$UNDERSEA_DATA``, then the user cache."""
    if path is not None:
        chosen, origin = Path(path), "the given data directory"
    elif os.environ.get(ENV_VAR):
        chosen, origin = Path(os.environ[ENV_VAR]), f"${ENV_VAR}"
    else:
        chosen, origin = user_data_dir(), "the user cache"
    if not (chosen / "telegeography").is_dir():
        raise DataNotFoundError(
            f"no cable snapshots in {origin} ({chosen}): run `undersea data pull`, "
            f"set {ENV_VAR}, or pass --data-dir"
        )
    return chosen


def list_snapshots(root: Path) -> list[str]:
    """Snapshot dates available under ``root/telegeography``, oldest first.

    Hidden folders (``.<name>.partial`` staging folders of an unfinished
    ``undersea data pull``) are never snapshots.
    """
    base = root / "telegeography"
    return sorted(
        p.name
        for p in base.iterdir()
        if not p.name.startswith(".") and p.is_dir() and (p / "cable").is_dir()
    )


def snapshot_path(root: Path, snapshot: str | None = None) -> Path:
    """Folder of ``snapshot`` (a date such as ``2024-03``), the newest if ``None``."""
    dates = list_snapshots(root)
    if not dates:
        raise DataNotFoundError(f"no snapshots under {root / 'telegeography'}")
    if snapshot is None:
        return root / "telegeography" / dates[-1]
    if snapshot not in dates:
        raise UnknownNameError("snapshot", snapshot, dates)
    return root / "telegeography" / snapshot


def _files(folder: Path) -> list[str]:
    """Relative paths (posix, sorted) of the non-hidden files under ``folder``."""
    out: list[str] = []
    for top, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(top, folder).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        out.extend(prefix + n for n in names if not n.startswith("."))
    return sorted(out)


def _stamp(path: Path) -> str:
    """What changes whenever a file's bytes may have: size, mtime, ctime, inode.

    ``ctime`` cannot be set back by a user (restoring ``mtime`` after an edit moves it),
    so an edit that keeps the size and restores the modification time is still seen.
    """
    st = os.stat(path)
    return f"{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\0{st.st_dev}"


def content_hash(folder: Path, *extra_files: Path, files: Sequence[str] | None = None) -> str:
    """SHA-256 over the relative names and bytes of the files of a snapshot, then of
    ``extra_files``: the identity of a snapshot, used to key the build cache.

    Parameters
    ----------
    folder
        The snapshot folder.
    *extra_files
        Further files the build reads (the country polygons), keyed by their names.
    files
        Relative paths (posix) under ``folder`` to hash: exactly the files the reader
        reads. ``None`` hashes every non-hidden file.

    The hash is memoised in the cache directory against each file's size, modification
    and change times and inode (a fast path only: any change to them rehashes the bytes),
    so a warm start reads no data file.
    """
    rels = sorted(files) if files is not None else _files(folder)
    entries = [(r, folder / r) for r in rels] + [(p.name, p) for p in extra_files]
    stamp = hashlib.sha256()
    for rel, path in entries:
        stamp.update(f"{rel}\0{_stamp(path)}\0".encode())
    memo_key = f"{os.path.abspath(folder)}|{stamp.hexdigest()}"
    memo_file = cache_dir() / "content-hashes.json"
    try:
        memo = json.loads(memo_file.read_text())
    except (OSError, ValueError):
        memo = {}
    if isinstance(memo, dict) and isinstance(memo.get(memo_key), str):
        return str(memo[memo_key])
    h = hashlib.sha256()
    for rel, path in entries:
        h.update(rel.encode() + b"\0")
        with open(path, "rb") as fh:
            h.update(fh.read())
        h.update(b"\0")
    digest = h.hexdigest()
    _write_memo(memo_file, {**(memo if isinstance(memo, dict) else {}), memo_key: digest})
    return digest


def _write_memo(path: Path, memo: dict[str, str]) -> None:
    tmp = temp_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(dict(list(memo.items())[-64:])))
        os.replace(tmp, path)
    except OSError:  # a read-only cache only costs speed
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------------------- temp files
#: A temporary file or folder older than this (s) is a leftover even if its writer's
#: process id is in use again (ids are recycled; a cache may be shared between machines).
_STALE_AFTER_S = 3600.0


def temp_path(final: Path, kind: str = "tmp") -> Path:
    """A fresh hidden temporary name beside ``final``: ``.<name>.<pid>.<random>.<kind>``.

    The writer's process id in the name lets :func:`remove_stale_temps` tell a leftover
    of a killed writer from a write in progress.
    """
    return final.with_name(f".{final.name}.{os.getpid()}.{secrets.token_hex(4)}.{kind}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else (or no way to ask)
        return True
    return True


def remove_stale_temps(folder: Path) -> int:
    """Remove the leftovers of killed or failed writers in ``folder``; how many went.

    A leftover is a hidden entry named by :func:`temp_path` whose writer is no longer
    running, or older than an hour. Errors are ignored: cleaning is best effort.
    """
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    now = time.time()
    for e in entries:
        m = _TEMP_RE.match(e.name)
        if m is None:
            continue
        try:
            old = now - e.stat(follow_symlinks=False).st_mtime > _STALE_AFTER_S
            if not old and _alive(int(m.group(1))):
                continue
            if e.is_dir(follow_symlinks=False):
                shutil.rmtree(e.path)
            else:
                os.unlink(e.path)
            removed += 1
        except OSError:
            continue
    return removed


_TEMP_RE = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{8}\.(?:tmp|partial)$")
