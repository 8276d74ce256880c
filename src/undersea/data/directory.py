"""Where data lives: the data directory and the snapshots in it.

A data directory holds ``telegeography/<date>/`` (one folder per cable-map snapshot),
``geo/`` (country polygons) and ``peering/`` (exchange data). It is found, in order:
the explicit argument (``--data-dir``), the ``UNDERSEA_DATA`` environment variable, then
the user cache filled by ``undersea data pull``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import platformdirs

from undersea._errors import DataNotFoundError, UnknownNameError

__all__ = [
    "cache_dir",
    "content_hash",
    "data_dir",
    "list_snapshots",
    "snapshot_path",
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


def content_hash(folder: Path, *extra_files: Path) -> str:
    """SHA-256 over the relative names and bytes of every file under ``folder`` (sorted),
    then of ``extra_files``: the identity of a snapshot, used to key the build cache.

    The hash is memoised in the cache directory against the files' sizes and modification
    times, so a warm start reads no data file.
    """
    entries = [(r, folder / r) for r in _files(folder)] + [(p.name, p) for p in extra_files]
    stamp = hashlib.sha256()
    for rel, path in entries:
        st = os.stat(path)
        stamp.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps(dict(list(memo.items())[-64:])))
        os.replace(tmp, path)
    except OSError:  # a read-only cache only costs speed
        pass
