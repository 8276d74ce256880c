"""A small on-disk store of numpy arrays beside the build cache, keyed by digest.

Results that are pure functions of their inputs and cost seconds to recompute (the
betweenness of one year's routing problem) are kept here between runs, one ``.npy``
file per key, written atomically (a temporary file renamed into place). A file that
cannot be read is ignored and rewritten; a read-only cache never fails the caller.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from undersea.data.directory import cache_dir

__all__ = ["cached_array", "derived_dir"]

log = logging.getLogger(__name__)
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def derived_dir() -> Path:
    """Folder of derived results beside the build cache (one subfolder per kind)."""
    return cache_dir() / "derived"


def cached_array(namespace: str, key: str, compute: Callable[[], np.ndarray]) -> np.ndarray:
    """``compute()``, stored under ``cache_dir()/derived/<namespace>/<key>.npy`` and read back.

    Parameters
    ----------
    namespace, key
        Folder and file name (letters, digits, ``_`` and ``-``); the key must identify
        everything the result depends on (a digest of the inputs and of the code).
    compute
        Makes the array when it is not stored yet.

    Examples
    --------
    >>> import os, tempfile
    >>> before = os.environ.get("UNDERSEA_CACHE")
    >>> os.environ["UNDERSEA_CACHE"] = tempfile.mkdtemp()
    >>> cached_array("demo", "k1", lambda: np.arange(3)).tolist()
    [0, 1, 2]
    >>> cached_array("demo", "k1", lambda: np.zeros(1)).tolist()  # read back
    [0, 1, 2]
    >>> _ = os.environ.pop("UNDERSEA_CACHE") if before is None else None
    >>> os.environ.update({} if before is None else {"UNDERSEA_CACHE": before})
    """
    if not (_KEY.match(namespace) and _KEY.match(key)):
        raise ValueError(f"bad cache namespace or key: {namespace!r}, {key!r}")
    folder = derived_dir() / namespace
    path = folder / f"{key}.npy"
    if path.is_file():
        try:
            return np.asarray(np.load(path, allow_pickle=False))
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable cached array %s (%s)", path, exc)
    out = np.asarray(compute())
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}-", suffix=".npy", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, out, allow_pickle=False)
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("could not write the cached array %s: %s", path, exc)
    return out
