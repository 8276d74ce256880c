"""Land links: the terrestrial layer that joins landing stations, metros and countries.

Submarine segments end on a beach; traffic goes on over land. This module builds that land
layer, with an explicit distance model: a land link's length is its great-circle distance
(a bent link's, see rules 2 and 3: its bent path's) times a route factor
(``Settings.backhaul_route_factor`` inside a metro, ``Settings.land_route_factor`` between
metros). The rules:

1. **Backhaul.** Every landing point is joined to its metro (see :mod:`undersea.network.metros`):
   landing points of one metro are one place.
2. **Domestic.** The metros of one country are joined by a minimum spanning tree plus
   links to their ``domestic_neighbours`` nearest metros, never longer than
   ``max_domestic_link_km`` and, where country polygons are known, only between metros on
   the same landmass (Hawaii is not joined to California by land).
3. **Borders.** Two countries that share a land border (country polygons) are joined
   between their closest metros, if these are at most ``max_border_link_km`` apart (where
   the closest pair's link leaves the two countries, see below, the closest pair whose
   link runs within them); so
   are the pairs of :data:`UNDRAWN_BORDERS` (Gibraltar and Spain), whose one side the
   polygons do not draw; the pairs of :data:`CLOSED_BORDERS` (Armenia and Azerbaijan,
   Colombia and Panama across the Darién Gap, the two Koreas), which no road or fibre
   crosses, are not.
   With ``land_delaunay_links`` (default), rules 2 and 3 also join metros that are
   neighbours in the spherical Delaunay triangulation of all metros (same country and
   landmass, or neighbouring countries on touching landmasses; same length caps), a
   stand-in for the trunk road and rail grid that terrestrial fibre follows.
   Where country polygons are known, every link of rules 2 and 3 (spanning tree, nearest
   neighbours, closest metros, Delaunay) must also run within its own countries: a link
   whose great circle runs more than ``max_land_link_sea_km`` in one stretch outside the
   land of its own countries, over the sea or over a third country, is dropped (sampled
   every few km against the countries' polygons, see :mod:`undersea.network._ground`;
   a link's own land is its two countries' polygons and the polygon each metro stands
   on: Berbera, filed under Somalia, stands on Somaliland's, Ceuta and Melilla on
   Morocco's), unless it runs bent. A link whose straight line fails is tried with one
   bend, as terrestrial fibre follows the road round a bay or down a narrow country:
   through a waypoint on its perpendicular bisector, 0.15, 0.3, 0.5 or 0.8 times its
   length off its midpoint on either side (the search's shape, see
   :data:`undersea.network._ground.BEND_OFFSETS`), each bent path held to the same test
   as a straight link, and to at most ``max_land_link_sea_km`` of third countries' land
   in all; the shortest that passes is the link's path, and ``land_route_factor`` times
   its length (not the great circle's) is the link's length (Buenos Aires-Mar del Tuyú
   round Samborombón Bay, Kotka-St Petersburg round the Gulf of Finland,
   Johannesburg-Windhoek round Botswana). A bent link runs within its countries: the
   spanning tree weighs it by its bent length, and rule 3 takes it where it is the
   closest pair (by great circle) that passes. One bend cannot follow every coast (a bay
   deeper than it is wide; Ouagadougou-Lomé, down narrow Togo past Ghana's corner): such
   a link fails as before. The spanning tree is built over the links that remain.
   Terrestrial fibre follows roads and rail; a crossing longer than a fixed link (the Channel
   Tunnel's 50 km) is a submarine cable's, which the cable layer has, and traffic
   between two countries does not pass through a third. Without this, Houston and
   Veracruz were joined "by land" across the Gulf of Mexico, Nantes and Santander
   across the Bay of Biscay, Kolkata and Kunming across Bangladesh and Myanmar (no
   India-China fibre crossing exists), Johannesburg and Windhoek across Botswana and
   Ciudad Juárez and Tijuana across the United States (straight; bent, a link may go
   round what its straight line crossed). Where land offers no way at all,
   the straight link stays as a stand-in: the spanning tree takes a crossing (of the
   sea or of a third country) only to join metros that no link within the country
   joins, the shortest such crossing (Punta Arenas to the rest of Chile across
   Argentina and Brazzaville to Pointe-Noire were such crossings until links could
   bend; on 2024-03 they run bent within their country), and two neighbouring
   countries none of whose pairs of metros is joined within them are joined by their
   closest pair that crosses no third country, the sea being its only trouble
   (Freetown's straight link to Conakry crosses 127 km of sea; the road goes round),
   but only where no common neighbour joins the two by links of its own
   (:func:`_joined_through_a_neighbour`: India and Myanmar are joined through
   Bangladesh, not by Kolkata-Pathein across 747 km of the Bay of Bengal). A pair that
   crosses more than ``max_land_link_sea_km`` of a third country's land (in all) never
   stands in: two neighbours whose every pair does get no link of their own and stay
   joined through the third country's links. A metro
   that the rules leave with no link keeps its shortest candidate, one that crosses no
   third country where it has one (see :func:`_last_links`).
4. **Inland places.** Every country's capital and every city of at least
   ``inland_metro_min_population`` (GeoNames) that is not already a metro becomes an inland
   metro, so landlocked countries (Niger, Uganda, Switzerland) reach the sea through their
   neighbours and routes run through Delhi or Madrid rather than jumping from beach to
   beach. So does every exchange city whose port capacity reached
   ``inland_exchange_min_gbps`` (:func:`undersea.network.exchanges.exchange_cities`:
   Frankfurt, Düsseldorf, Atlanta, San Jose), placed by the gazetteer as
   :func:`undersea.network.metros.attach_exchanges` places it, so the places where
   international traffic goes are places of the network; callers may add other inland
   metros.

5. **Landings placed off their island.** A landing metro off the drawn land (more than the
   sea-sampling step from every polygon) that rules 2 and 3 leave with no link, and whose
   country's nearest landmass holds metros but no landing metro, is joined to the nearest
   metro on that landmass by an ``offshore`` link, a stand-in flagged in the network's
   notes; the landing keeps the position the source gives it. The map places some
   landings far out at sea (Pohnpei, ~130 km off the island where Palikir, the capital of
   Micronesia, stands; Nauru's, ~115 km north of Nauru): the landmass that no cable
   reaches is the evidence that the point belongs to it. Distance alone cannot tell such
   a point from an island the 1:50m polygons do not draw (Kwajalein ~230 km, Lampedusa
   ~150 km off the drawn land of their countries), and those, whose nearest drawn land
   has landings of its own, get no land link: their cables reach them.

A new landing that a what-if edit makes its own metro (:mod:`undersea.network.whatif`)
gets the links these rules give it among the metros: :func:`new_metro_links`.

A user may replace or extend the generated links with a table of their own
(:func:`read_land_links`). The layer can be switched off when loading
(``undersea.load(..., land=False)``).
"""

from __future__ import annotations

import functools
import math
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix

from undersea._errors import MalformedSourceError, UnknownNameError
from undersea.geo.sphere import (
    chord_to_km,
    great_circle_km,
    km_to_chord,
    lonlat_to_xyz,
)
from undersea.network._ground import Ground, ground
from undersea.network.graph import metro_node
from undersea.settings import Settings, get_settings
from undersea.sources.keyed import read_rows, unique_keys

# scipy.spatial and scipy.sparse.csgraph are imported by the rules that build the links,
# not here: a network read from the cache has its land layer and builds nothing.

__all__ = [
    "CLOSED_BORDERS",
    "LINK_KINDS",
    "UNDRAWN_BORDERS",
    "LandLayer",
    "build_land_layer",
    "landmass_labeller",
    "new_metro_links",
    "read_land_links",
]

LINK_KINDS = ("backhaul", "domestic", "border", "offshore", "user")
_METRO_COLUMNS = ["metro_id", "name", "iso2", "iso3", "lon", "lat", "population"]


@dataclass(frozen=True)
class LandLayer:
    """Metro nodes and land links.

    ``metros``: metro_id, name, iso2, iso3, lon, lat, population, inland (bool: no
    landing point). ``landing_metro``: landing_point_id, metro_id. ``links``: u, v (node
    ids: landing point ids or ``"metro:<metro_id>"``), length_km, kind (one of
    :data:`LINK_KINDS`). ``notes``: one line per ``offshore`` stand-in (rule 5), for the
    network's notes.
    """

    metros: pd.DataFrame
    landing_metro: pd.DataFrame
    links: pd.DataFrame
    notes: tuple[str, ...] = ()


@functools.lru_cache(maxsize=1)
def _gazetteer_places() -> pd.DataFrame:
    """Cities from the GeoNames gazetteer (:func:`undersea.geo.gazetteer.cities`), most populous
    first. Columns: name, iso2, lon, lat, population, capital (bool: the most populous
    city bearing the country's capital name)."""
    from undersea.geo.gazetteer import capitals, cities

    df = cities()[["name", "iso2", "lon", "lat", "population"]].copy()
    df["capital"] = (df["name"] == df["iso2"].map(capitals())).to_numpy(dtype=bool)
    df["capital"] &= ~df.duplicated(["iso2", "capital"]) | ~df["capital"]
    return df.reset_index(drop=True)


def _inland_metros(countries: pd.DataFrame, existing: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """Capitals and big cities (``inland_metro_min_population``) that are no metro yet.

    A city within ``metro_radius_km`` of an existing metro of its country is that metro
    already; a country with no metro at all still gets its largest city.
    """
    from undersea.network.metros import metro_slug

    places = _gazetteer_places()
    iso3 = dict(zip(countries["iso2"], countries["iso3"], strict=True))
    orphan = ~places["iso2"].isin(set(existing["iso2"])) & ~places.duplicated("iso2")
    big = places["capital"] | (places["population"] >= s.inland_metro_min_population)
    places = places[places["iso2"].isin(iso3) & (big | orphan)]
    taken = np.zeros(len(places), dtype=bool)
    if len(existing):
        for code, idx in places.groupby("iso2").indices.items():
            ex = existing[existing["iso2"] == code]
            if len(ex):
                d = great_circle_km(
                    places["lon"].to_numpy()[idx][:, None],
                    places["lat"].to_numpy()[idx][:, None],
                    ex["lon"].to_numpy()[None],
                    ex["lat"].to_numpy()[None],
                    s.earth_radius_km,
                )
                taken[idx] = d.min(axis=1) <= s.metro_radius_km
    out = places[~taken]
    # drop cities that crowd each other (keep the bigger of two within the metro radius)
    rows: list[tuple[object, ...]] = []
    kept: list[tuple[str, float, float]] = []
    for r in out.itertuples(index=False):
        if any(
            k[0] == r.iso2 and great_circle_km(k[1], k[2], r.lon, r.lat) <= s.metro_radius_km
            for k in kept
        ):
            continue
        kept.append((r.iso2, r.lon, r.lat))
        rows.append(
            (metro_slug(r.name, r.iso2), r.name, r.iso2, iso3[r.iso2], r.lon, r.lat, r.population)
        )
    return pd.DataFrame(rows, columns=_METRO_COLUMNS)


def _parts(countries: pd.DataFrame | None) -> dict[str, list[object]]:
    """ISO2 -> the polygon parts (landmasses) of that country."""
    if countries is None:
        return {}
    return {
        iso2: list(getattr(g, "geoms", [g]))
        for iso2, g in zip(countries["iso2"], countries["geometry"], strict=True)
        if iso2 and g is not None
    }


#: polygon parts of one country closer than this (degrees, ~10 km) are one landmass:
#: bridges and causeways join Montreal's island or Singapore's to their neighbours
_BRIDGE_DEG = 0.1


def _groups(polys: list[object]) -> np.ndarray:
    """Landmass label of each polygon part (parts within ``_BRIDGE_DEG`` are one)."""
    from scipy.sparse.csgraph import connected_components

    tree = shapely.STRtree(polys)
    pairs = tree.query(polys, predicate="dwithin", distance=_BRIDGE_DEG)
    n = len(polys)
    adj = coo_matrix((np.ones(pairs.shape[1]), (pairs[0], pairs[1])), shape=(n, n))
    return np.asarray(connected_components(adj, directed=False)[1])


#: the last countries table :func:`_landmasses` read (a weak reference), its polygon
#: parts and their landmass labels: a network's edits read one table again and again
_Landmasses = tuple[dict[str, list[object]], dict[str, np.ndarray]]
_LAST_LANDMASSES: list[tuple[weakref.ref[pd.DataFrame], _Landmasses]] = []


def _landmasses(
    countries: pd.DataFrame | None,
) -> _Landmasses:
    """Each country's polygon parts (:func:`_parts`) and the landmass label of each
    (:func:`_groups`), kept for the last ``countries`` table: a new landing's land links
    (:func:`new_metro_links`) ask for them at every edit, ``plan`` at every candidate."""
    if countries is None:
        return {}, {}
    if _LAST_LANDMASSES and _LAST_LANDMASSES[0][0]() is countries:
        return _LAST_LANDMASSES[0][1]
    parts = _parts(countries)
    groups = {code: _groups(polys) for code, polys in parts.items()}
    _LAST_LANDMASSES[:] = [(weakref.ref(countries), (parts, groups))]
    return parts, groups


def landmass_labeller(
    countries: pd.DataFrame | None,
) -> Callable[[np.ndarray, np.ndarray], np.ndarray] | None:
    """A function giving the landmass each (lon, lat) stands on, as land links see land.

    Every country's polygon parts, those within ~10 km of each other one landmass across
    borders too (Gaza and Jerusalem are on one, Easter Island and Santiago are not); a
    point takes the label of its nearest part. ``None`` without country polygons.
    """
    polys = [p for ps in _parts(countries).values() for p in ps]
    if not polys:
        return None
    tree, label = shapely.STRtree(polys), _groups(polys)

    def at(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        pts = shapely.points(np.atleast_1d(lon), np.atleast_1d(lat))
        return np.asarray(label[tree.query_nearest(pts, all_matches=False)[1]])

    return at


def _landmass(
    lon: np.ndarray,
    lat: np.ndarray,
    iso2: np.ndarray,
    parts: dict[str, list[object]],
    groups: dict[str, np.ndarray],
) -> np.ndarray:
    """Landmass (group of a country's polygon parts) each metro stands on (-1: unknown)."""
    out = np.full(len(lon), -1, dtype=np.int64)
    for code in np.unique(iso2):
        polys = parts.get(code)
        if not polys:
            continue
        idx = np.flatnonzero(iso2 == code)
        tree = shapely.STRtree(polys)
        nearest = tree.query_nearest(shapely.points(lon[idx], lat[idx]), all_matches=False)
        out[idx[nearest[0]]] = groups[code][nearest[1]]
    return out


def _domestic_links(
    xyz: np.ndarray,
    iso2: np.ndarray,
    landmass: np.ndarray,
    s: Settings,
    home: Ground,
    only: np.ndarray,
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Rule 2: per country and landmass (those that hold a metro ``only`` marks), a
    spanning tree of the links that run within the country (joined by the shortest
    crossings where none does), plus nearest-neighbour links; and the tree's crossings,
    which stay though they cross the sea or a third country."""
    from scipy.spatial import cKDTree

    pairs: set[tuple[int, int]] = set()
    crossings: set[tuple[int, int]] = set()
    keys = pd.Series(iso2.astype(str)) + "|" + pd.Series(landmass).astype(str)
    for idx in keys.groupby(keys).indices.values():
        if len(idx) < 2 or not only[idx].any():
            continue
        p = xyz[idx]
        d = np.linalg.norm(p[:, None] - p[None], axis=2)
        tree_u, tree_v, crossed = _land_spanning_tree(d, idx, s, home)
        cand = set(zip(tree_u.tolist(), tree_v.tolist(), strict=True))
        crossings |= {
            (int(idx[min(i, j)]), int(idx[max(i, j)]))
            for i, j in zip(tree_u[crossed].tolist(), tree_v[crossed].tolist(), strict=True)
        }
        k = min(s.domestic_neighbours + 1, len(idx))
        _, nn = cKDTree(p).query(p, k=k)
        # (n, k) neighbours, self first (with k = 1 the query gives a flat (n,) array)
        nn = np.asarray(nn).reshape(len(idx), k)
        cand |= {(i, int(j)) for i, row in enumerate(nn) for j in row[1:]}
        pairs |= {(int(idx[min(i, j)]), int(idx[max(i, j)])) for i, j in cand if i != j}
    return sorted(pairs), sorted(crossings)


#: Added to a crossing's chord (at most 2) in the spanning tree: every link within the
#: country weighs less than every crossing, so a crossing joins only what land cannot.
_CROSSING_WEIGHT = 4.0


def _land_spanning_tree(
    d: np.ndarray,
    idx: np.ndarray,
    s: Settings,
    home: Ground,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minimum spanning tree (the two ends of its links, and which of them are crossings)
    of the metros ``idx`` (chords ``d``), preferring the links that run within the
    country: the tree's untested links within the length cap are tested, the crossings
    (more than ``max_land_link_sea_km`` of sea or of a third country in one stretch) made
    heavier than any link within the country and the tree rebuilt until every link
    within it that the tree could use is tested. A link that runs bent weighs its bent
    length (chord times the bent path's length over the great circle's), so the tree
    prefers the shorter way by land. A crossing stays only where no way within the
    country joins the metros, straight or bent (a coastal city whose links all cross a
    bay: Freetown), as the shortest such link, a stand-in for the road round the coast or
    the road through the neighbour. Links beyond the cap, dropped later, weigh more than
    any crossing within it."""
    from scipy.sparse.csgraph import minimum_spanning_tree

    w = np.where(d > 0, d, 1e-12)  # scipy reads a zero weight as no link
    # a link beyond the cap, dropped later, joins only what no crossing within it can
    w = np.where(
        chord_to_km(d, s.earth_radius_km) > s.max_domestic_link_km, w + 2 * _CROSSING_WEIGHT, w
    )
    np.fill_diagonal(w, 0.0)
    tested = np.zeros(d.shape, dtype=bool)
    crossed = np.zeros(d.shape, dtype=bool)
    while True:
        mst = minimum_spanning_tree(w).tocoo()
        row, col = mst.row, mst.col
        km = chord_to_km(d[row, col], s.earth_radius_km)
        todo = ~tested[row, col] & (km <= s.max_domestic_link_km)
        r, c = row[todo], col[todo]
        tested[r, c] = tested[c, r] = True
        ok, _, factor = home.check(idx[r], idx[c])
        # a bent link weighs its bent length: the tree prefers the shorter way by land
        bent = ok & (factor > 1.0)
        w[r[bent], c[bent]] = w[c[bent], r[bent]] = d[r[bent], c[bent]] * factor[bent]
        wet = ~ok
        if not (wet.any() or bent.any()):
            return row, col, crossed[row, col]
        r, c = r[wet], c[wet]
        crossed[r, c] = crossed[c, r] = True
        # a crossing between metros on land may stand in for a road round the coast or
        # through a neighbour; one to a metro at sea (an island the polygons do not draw)
        # is no land link at all
        coast = home.on_land[idx[r]] & home.on_land[idx[c]]
        heavier = np.where(coast, d[r, c] + _CROSSING_WEIGHT, 0.0)
        w[r, c] = w[c, r] = heavier


class _Touching:
    """Landmasses of country ``a`` that touch country ``b`` (share a land border),
    memoised per pair: border and Delaunay links ask for the same pairs many times."""

    def __init__(self, parts: dict[str, list[object]], groups: dict[str, np.ndarray]) -> None:
        self.parts, self.groups = parts, groups
        self._union: dict[str, object] = {}
        self._memo: dict[tuple[str, str], np.ndarray] = {}

    def __call__(self, a: str, b: str) -> np.ndarray:
        if (a, b) not in self._memo:
            self._memo[a, b] = self._compute(a, b)
        return self._memo[a, b]

    def _compute(self, a: str, b: str) -> np.ndarray:
        if a not in self.parts or b not in self.parts:
            return np.zeros(0, dtype=np.int64)
        if b not in self._union:
            self._union[b] = shapely.union_all(self.parts[b])
        d = shapely.distance(np.asarray(self.parts[a], dtype=object), self._union[b])
        return np.unique(self.groups[a][d < 0.01])  # degrees: the arcs are shared exactly


def _border_links(
    xyz: np.ndarray,
    iso3: np.ndarray,
    landmass: np.ndarray,
    countries: pd.DataFrame,
    touching: _Touching,
    s: Settings,
    home: Ground,
    only: np.ndarray,
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Rule 3: closest metros of two neighbouring countries (one of which holds a metro
    ``only`` marks), on landmasses that touch, whose link runs within the two countries
    (within the length cap), else the closest pair whose only trouble is the sea, a
    crossing (see :func:`_closest_pair`); and those crossings."""
    cap = km_to_chord(s.max_border_link_km, s.earth_radius_km)
    wanted = set(iso3[only].tolist())
    code2 = dict(zip(countries["iso3"], countries["iso2"], strict=True))
    out: list[tuple[int, int]] = []
    crossings: list[tuple[int, int]] = []
    for a3, nbrs in zip(countries["iso3"], countries["neighbours"], strict=True):
        for b3 in nbrs:
            if not a3 < b3 or not {a3, b3} & wanted:
                continue
            a2, b2 = code2.get(a3, ""), code2.get(b3, "")
            ia = np.flatnonzero((iso3 == a3) & np.isin(landmass, touching(a2, b2)))
            ib = np.flatnonzero((iso3 == b3) & np.isin(landmass, touching(b2, a2)))
            found = _closest_pair(xyz, ia, ib, cap, home)
            if found is not None:
                out.append(found[0])
                if found[1]:
                    crossings.append(found[0])
    return out, crossings


def _closest_pair(
    xyz: np.ndarray, ia: np.ndarray, ib: np.ndarray, cap: float, home: Ground
) -> tuple[tuple[int, int], bool] | None:
    """Rule 3 for one pair of countries (metros ``ia`` and ``ib``, chords up to ``cap``):
    the closest pair whose link runs within the two countries (tested closest first, a
    batch at a time), and ``False``; else the closest pair of metros on land whose link
    crosses no third country, a crossing that stands in for the road round the coast
    (Freetown), and ``True``; else ``None``: two neighbours whose every pair crosses a
    third country stay joined through that country's links."""
    if not (len(ia) and len(ib)):
        return None
    d = np.linalg.norm(xyz[ia][:, None] - xyz[ib][None], axis=2).ravel()
    order = np.argsort(d, kind="stable")
    order = order[d[order] <= cap]
    abroad = np.zeros(len(order), dtype=bool)
    for k in range(0, len(order), 32):
        i, j = np.unravel_index(order[k : k + 32], (len(ia), len(ib)))
        outside, third = home.stretches(ia[i], ib[j])
        # only the pairs up to the first that runs straight within the two need trying bent
        straight = outside <= home.tolerance
        n = int(np.argmax(straight)) + 1 if straight.any() else len(i)
        ok, abroad[k : k + n], _ = home.verdict(ia[i[:n]], ib[j[:n]], outside[:n], third[:n])
        if ok.any():
            first = int(np.argmax(ok))
            return (int(ia[i[first]]), int(ib[j[first]])), False
    i, j = np.unravel_index(order, (len(ia), len(ib)))
    dry = np.flatnonzero(home.on_land[ia[i]] & home.on_land[ib[j]] & ~abroad)
    if not len(dry):
        return None
    return (int(ia[i[dry[0]]]), int(ib[j[dry[0]]])), True


#: Land borders of places that the 1:50m countries do not draw as polygons of their own
#: (alpha-2 pairs; land boundaries as in the CIA World Factbook): Gibraltar-Spain (1.2
#: km, the isthmus that Gibraltar's fibre to Spain crosses), and French Guiana, drawn
#: inside France, with Brazil (649 km) and Suriname (556 km). Without them Gibraltar was
#: an island whose one cable's cut isolated it.
UNDRAWN_BORDERS: tuple[tuple[str, str], ...] = (("GI", "ES"), ("GF", "BR"), ("GF", "SR"))


#: Land borders that no terrestrial link crosses, though the polygons make the two countries
#: neighbours (alpha-2 pairs, each with why): closed borders and roadless ones. Rule 3
#: joins neither pair (closest metros, Delaunay neighbours, stand-ins); their traffic goes
#: by sea or through other neighbours. Without them Armenia's traffic left through
#: Azerbaijan and Turkey, Lebanon's through Israel, and Medellín reached Panama across the
#: Darién Gap.
CLOSED_BORDERS: dict[tuple[str, str], str] = {
    ("AM", "AZ"): "closed since the war of the early 1990s",
    ("AM", "TR"): "closed by Turkey since 1993",
    ("BT", "CN"): "no crossing: the two have no diplomatic relations",
    ("CO", "PA"): "the Darién Gap: no road joins Panama and Colombia",
    ("IL", "LB"): "no crossing on the Blue Line",
    ("IL", "SY"): "no crossing on the Golan armistice line",
    ("KP", "KR"): "the Demilitarized Zone",
}


def _open_borders(countries: pd.DataFrame) -> pd.DataFrame:
    """``countries`` with the pairs of :data:`CLOSED_BORDERS` taken out of each other's
    ``neighbours`` (for the land links only: the countries table keeps its geometry)."""
    code3 = dict(zip(countries["iso2"], countries["iso3"], strict=True))
    shut: dict[str, set[str]] = {}
    for a, b in CLOSED_BORDERS:
        if a in code3 and b in code3:
            shut.setdefault(code3[a], set()).add(code3[b])
            shut.setdefault(code3[b], set()).add(code3[a])
    out = countries.copy()
    out["neighbours"] = [
        [n for n in nbrs if n not in shut.get(c, ())]
        for c, nbrs in zip(out["iso3"], out["neighbours"], strict=True)
    ]
    return out


def _undrawn_border_links(
    xyz: np.ndarray, iso2: np.ndarray, parts: Mapping[str, list[object]]
) -> list[tuple[int, int]]:
    """Rule 3 for :data:`UNDRAWN_BORDERS` whose one side has no polygon: the two
    countries' closest metros (the length cap applies as to every border link)."""
    out = []
    for a2, b2 in UNDRAWN_BORDERS:
        ia, ib = np.flatnonzero(iso2 == a2), np.flatnonzero(iso2 == b2)
        if len(ia) and len(ib) and not (parts.get(a2) and parts.get(b2)):
            d = np.linalg.norm(xyz[ia][:, None] - xyz[ib][None], axis=2)
            i, j = np.unravel_index(int(np.argmin(d)), d.shape)
            out.append((int(ia[i]), int(ib[j])))
    return out


def _delaunay_edges(xyz: np.ndarray) -> np.ndarray:
    """Edges (i < j) of the spherical Delaunay triangulation (the convex hull of unit
    vectors); empty when the points are too few or degenerate."""
    from scipy.spatial import ConvexHull, QhullError

    if len(xyz) < 4:
        return np.zeros((0, 2), dtype=np.int64)
    try:
        tri = ConvexHull(xyz).simplices
    except QhullError:
        return np.zeros((0, 2), dtype=np.int64)
    e = np.concatenate((tri[:, [0, 1]], tri[:, [1, 2]], tri[:, [0, 2]]))
    return np.unique(np.sort(e, axis=1), axis=0).astype(np.int64)


def _delaunay_links(
    xyz: np.ndarray,
    iso2: np.ndarray,
    iso3: np.ndarray,
    landmass: np.ndarray,
    countries: pd.DataFrame | None,
    touching: _Touching,
    only: np.ndarray,
) -> dict[str, set[tuple[int, int]]]:
    """Rules 2 and 3 widened: Delaunay neighbours (one of them a metro ``only`` marks) of
    one country and landmass (domestic) or of neighbouring countries on landmasses that
    touch (border)."""
    e = _delaunay_edges(xyz)
    e = e[only[e[:, 0]] | only[e[:, 1]]]
    i, j = e[:, 0], e[:, 1]
    same = (iso2[i] == iso2[j]) & (landmass[i] == landmass[j])
    out = {"domestic": {(int(a), int(b)) for a, b in e[same]}}
    if countries is None:
        return out
    code2 = dict(zip(countries["iso3"], countries["iso2"], strict=True))
    pairs = zip(countries["iso3"], countries["neighbours"], strict=True)
    nbrs = {(a, b) for a, ns in pairs for b in ns}

    def on_touching(k: int, a: str, b: str) -> bool:
        return bool(np.isin(landmass[k], touching(code2.get(a, ""), code2.get(b, ""))))

    out["border"] = {
        (int(a), int(b))
        for a, b in e[~same & (iso3[i] != iso3[j])]
        if (iso3[a], iso3[b]) in nbrs
        and on_touching(a, iso3[a], iso3[b])
        and on_touching(b, iso3[b], iso3[a])
    }
    return out


def _exchange_metros(base: pd.DataFrame, cities: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """The metros that exchange cities create beside ``base``, where the gazetteer puts them."""
    from undersea.network.metros import attach_exchanges

    att = attach_exchanges(base, cities[["city", "iso2"]], settings=s)
    new = att.metros[~att.metros["metro_id"].isin(base["metro_id"])]
    new = new[new["source"].eq("geonames") & new["lon"].notna() & new["lat"].notna()]
    return new[_METRO_COLUMNS].reset_index(drop=True)


def build_land_layer(
    landing_points: pd.DataFrame,
    *,
    countries: pd.DataFrame | None = None,
    metros: object | None = None,
    inland: pd.DataFrame | None = None,
    exchange_cities: pd.DataFrame | None = None,
    settings: Settings | None = None,
) -> LandLayer:
    """Build the land layer for ``landing_points`` (canonical table).

    Parameters
    ----------
    countries
        Canonical ``countries`` table (polygons, neighbours); without it there are no
        border links and no inland capitals.
    metros
        A :class:`undersea.network.metros.MetroAssignment`; computed with the default rule when
        ``None``.
    inland
        Extra inland metros (columns as ``LandLayer.metros``).
    exchange_cities
        Exchange cities (``city``, ``iso2``) that become inland metros where the gazetteer
        places them and no metro holds them already (rule 4).
    """
    from undersea.network.metros import assign_metros, unique_labels

    s = settings or get_settings()
    assignment = metros if metros is not None else assign_metros(landing_points, settings=s)
    base = assignment.metros  # type: ignore[attr-defined]
    landing_metro = assignment.landing_metro[["landing_point_id", "metro_id"]]  # type: ignore[attr-defined]
    frames = [base[_METRO_COLUMNS].assign(inland=False)]
    if inland is not None and len(inland):
        frames.append(inland[_METRO_COLUMNS].assign(inland=True))
    if exchange_cities is not None and len(exchange_cities):
        frames.append(_exchange_metros(base, exchange_cities, s).assign(inland=True))
    if countries is not None:
        frames.append(_inland_metros(countries, pd.concat(frames), s).assign(inland=True))
    all_metros = pd.concat(frames, ignore_index=True).drop_duplicates("metro_id")
    all_metros = all_metros.sort_values("metro_id").reset_index(drop=True)
    kind = all_metros["inland"].map({True: "inland", False: "landing"})
    all_metros = unique_labels(all_metros, kind=kind)  # "Yaren, NR" twice otherwise
    links = _links(landing_points, all_metros, landing_metro, countries, s)
    return LandLayer(
        all_metros,
        landing_metro.reset_index(drop=True),
        links,
        _offshore_notes(all_metros, links, countries, s),
    )


def new_metro_links(
    metros: pd.DataFrame,
    new: np.ndarray,
    countries: pd.DataFrame | None,
    *,
    joined: Iterable[tuple[str, str]] = (),
    settings: Settings | None = None,
) -> pd.DataFrame:
    """The land links (rules 2, 3 and 5) of the metros that ``new`` marks among ``metros``
    (a network's metros with new ones beside them, columns as :attr:`LandLayer.metros`),
    as ``LandLayer.links`` rows: the rules run over all the metros, and of the links they
    give, those that touch a new metro are kept; so a new landing metro gets the links it
    would have had in the layer (domestic and border links, tested against the country
    polygons, bent round a bay, not across a third country; none across a closed border).

    The other metros keep their links as they are: they count as linked (rules 2 and 3's
    last links are the new metros' only), and a link of theirs that a new metro would
    displace (a spanning tree's or a triangulation's) stays. ``joined``: the pairs of
    countries (ISO2) that their border links join, which the rules read where two
    neighbours are joined through a third (:func:`_joined_through_a_neighbour`). Without
    ``countries`` the rules are those of a layer without polygons: domestic links only,
    none tested against the land.
    """
    s = settings or get_settings()
    joined = frozenset((x, y) for p in joined for x, y in (p, p[::-1]))
    return _metro_links(metros.reset_index(drop=True), countries, s, np.asarray(new), joined)


def _joined_through_a_neighbour(
    a: np.ndarray,
    b: np.ndarray,
    ok: np.ndarray,
    stand_in: np.ndarray,
    iso2: np.ndarray,
    joined_already: frozenset[tuple[str, str]] = frozenset(),
) -> np.ndarray:
    """Rule 3's stand-ins (of the candidates ``a``-``b``, ``ok`` those kept) whose two
    countries a common neighbour joins already, each to it by a kept link that is no
    stand-in: traffic between India and Myanmar goes through Bangladesh, not by
    Kolkata-Pathein across 747 km of the Bay of Bengal. A stand-in between countries
    that no one neighbour joins stays, as the one way between their land links nearby
    (Casablanca-Dakhla: Western Sahara's other way to Morocco runs through Mauritania
    and Algeria). ``joined_already``: pairs of countries (ISO2) that links built before
    join (:func:`new_metro_links`)."""
    other = ok & ~stand_in
    ca, cb = iso2[a[other]], iso2[b[other]]
    across = ca != cb
    joined = set(zip(ca[across], cb[across], strict=True)) | set(joined_already)
    joined |= {(y, x) for x, y in joined}
    nbrs: dict[str, set[str]] = {}
    for x, y in joined:
        nbrs.setdefault(x, set()).add(y)
    out = np.zeros(len(a), dtype=bool)
    for r in np.flatnonzero(ok & stand_in):  # the few stand-ins
        x, y = iso2[a[r]], iso2[b[r]]
        out[r] = x != y and bool(nbrs.get(x, set()) & nbrs.get(y, set()))
    return out


def _last_links(
    a: np.ndarray,
    b: np.ndarray,
    km: np.ndarray,
    ok: np.ndarray,
    dry: np.ndarray,
    abroad: np.ndarray,
    n: int,
    linked_already: np.ndarray | None = None,
) -> np.ndarray:
    """The links (of candidates ``a``-``b``, ``km`` long, ``ok`` those kept, ``dry`` those
    between metros on land, ``abroad`` those that cross a third country) that a metro
    keeps though they cross the sea or a third country because it would have none
    otherwise: each such metro's shortest ``dry`` candidate, one that crosses no third
    country if it has one (Khasab, Oman's exclave, whose one link, to Sharjah, runs along
    the coast over the sea; the road goes round). ``linked_already``: metros (of ``n``)
    that links built before join (:func:`new_metro_links`)."""
    linked = np.zeros(n, dtype=bool) if linked_already is None else linked_already.copy()
    linked[a[ok]] = linked[b[ok]] = True
    ends = np.concatenate([a, b])
    lone = ~linked[ends] & np.concatenate([dry, dry])
    row = np.concatenate([np.arange(len(a))] * 2)[lone]
    metro, length = ends[lone], np.concatenate([km, km])[lone]
    far = np.concatenate([abroad, abroad])[lone]
    order = np.lexsort((row, length, far, metro))  # per metro, at home and shortest first
    first = np.r_[True, metro[order][1:] != metro[order][:-1]] if len(order) else order
    out = np.zeros(len(a), dtype=bool)
    out[row[order][first]] = True
    return out


def _links(
    landing_points: pd.DataFrame,
    metros: pd.DataFrame,
    landing_metro: pd.DataFrame,
    countries: pd.DataFrame | None,
    s: Settings,
) -> pd.DataFrame:
    lp = landing_points.set_index("id")
    m = metros.set_index("metro_id")
    lm = landing_metro[landing_metro["landing_point_id"].isin(lp.index)]
    back = pd.DataFrame(
        {
            "u": lm["landing_point_id"].to_numpy(),
            "v": [metro_node(x) for x in lm["metro_id"]],
            "length_km": s.backhaul_route_factor
            * great_circle_km(
                lp.loc[lm["landing_point_id"], "lon"].to_numpy(float),
                lp.loc[lm["landing_point_id"], "lat"].to_numpy(float),
                m.loc[lm["metro_id"], "lon"].to_numpy(float),
                m.loc[lm["metro_id"], "lat"].to_numpy(float),
                s.earth_radius_km,
            ),
            "kind": "backhaul",
        }
    )
    return pd.concat([back, _metro_links(metros, countries, s)], ignore_index=True)


def _metro_links(
    metros: pd.DataFrame,
    countries: pd.DataFrame | None,
    s: Settings,
    new: np.ndarray | None = None,
    joined: frozenset[tuple[str, str]] = frozenset(),
) -> pd.DataFrame:
    """Rules 2, 3 and 5: the land links between ``metros``; only those that touch a metro
    ``new`` marks, where given (:func:`new_metro_links`: the other metros' links are
    built already, and count as such; ``joined``: the ISO2 pairs of countries their border
    links join, for :func:`_joined_through_a_neighbour`)."""
    n = len(metros)
    only = np.ones(n, dtype=bool) if new is None else np.asarray(new, dtype=bool)
    frames: list[pd.DataFrame] = []
    lon, lat = metros["lon"].to_numpy(float), metros["lat"].to_numpy(float)
    iso2, iso3 = metros["iso2"].to_numpy(str), metros["iso3"].to_numpy(str)
    xyz = lonlat_to_xyz(np.column_stack((lon, lat)))
    parts, groups = _landmasses(countries)
    landmass = _landmass(lon, lat, iso2, parts, groups)
    touching = _Touching(parts, groups)
    home = ground(parts, lon, lat, iso2, s)
    if countries is not None:
        countries = _open_borders(countries)
    domestic, crossings = _domestic_links(xyz, iso2, landmass, s, home, only)
    stand_ins: list[tuple[int, int]] = []
    pairs = {"domestic": domestic}
    limits = {"domestic": s.max_domestic_link_km, "border": s.max_border_link_km}
    if countries is not None:
        border, stand_ins = _border_links(xyz, iso3, landmass, countries, touching, s, home, only)
        undrawn = _undrawn_border_links(xyz, iso2, parts)
        pairs["border"] = border + undrawn
        crossings += stand_ins + undrawn
    if s.land_delaunay_links:
        extra = _delaunay_links(xyz, iso2, iso3, landmass, countries, touching, only)
        for kind, more in extra.items():
            pairs[kind] = [*pairs.get(kind, []), *more]
    ids = metros["metro_id"].to_numpy()
    # crossings kept where land gives no way (rules 2 and 3), and borders the polygons do
    # not draw (Gibraltar-Spain), taken as drawn; rule 3's stand-ins only where needed
    kept = [min(i, j) * n + max(i, j) for i, j in crossings]
    stand_in = [min(i, j) * n + max(i, j) for i, j in stand_ins]
    found = []
    for k, (kind, links) in enumerate(pairs.items()):
        # one link per pair of metros, whichever rule found it and in whichever order
        # (rule 3 and the triangulation both find Aba-Douala, one each way round)
        pp = sorted({(min(a, b), max(a, b)) for a, b in links})
        if pp:
            a, b = np.asarray(pp).T
            km = great_circle_km(lon[a], lat[a], lon[b], lat[b], s.earth_radius_km)
            within = (km <= limits[kind]) & (only[a] | only[b])
            found.append(pd.DataFrame({"a": a, "b": b, "km": km, "k": k})[within])
    linked = ~only  # metros whose links are built already
    if found:
        cand = pd.concat(found, ignore_index=True).drop_duplicates(["a", "b"])
        a, b = cand["a"].to_numpy(), cand["b"].to_numpy()
        ok, abroad, factor = home.check(a, b)
        cand["route_km"] = cand["km"].to_numpy() * factor  # bent where straight fails
        ok |= np.isin(a * n + b, kept)
        ok &= ~_joined_through_a_neighbour(a, b, ok, np.isin(a * n + b, stand_in), iso2, joined)
        dry = home.on_land[a] & home.on_land[b]
        ok |= _last_links(a, b, cand["km"].to_numpy(), ok, dry, abroad, n, linked)
        linked[a[ok]] = linked[b[ok]] = True
        kinds = list(pairs)
        for k, part in cand[ok].groupby("k", sort=True):
            frames.append(
                _link_frame(
                    ids,
                    part["a"].to_numpy(),
                    part["b"].to_numpy(),
                    part["route_km"].to_numpy(),
                    kinds[int(k)],
                    s,
                )
            )
    landing = ~metros["inland"].to_numpy(dtype=bool)
    off = _offshore_links(xyz, iso2, landmass, landing & ~linked, home, landing, s)
    if len(off):
        i, j = off[:, 0], off[:, 1]
        km = great_circle_km(lon[i], lat[i], lon[j], lat[j], s.earth_radius_km)
        frames.append(_link_frame(ids, i, j, km, "offshore", s))
    if not frames:
        none = np.zeros(0, dtype=np.int64)
        return _link_frame(ids, none, none, np.zeros(0), "domestic", s)
    return pd.concat(frames, ignore_index=True)


def _link_frame(
    ids: np.ndarray, a: np.ndarray, b: np.ndarray, km: np.ndarray, kind: str, s: Settings
) -> pd.DataFrame:
    """Land links of one ``kind`` between metros ``ids[a]`` and ``ids[b]``, ``km`` apart
    along the great circle or a bent link's path: their rows of ``LandLayer.links``
    (length: ``land_route_factor`` times ``km``)."""
    return pd.DataFrame(
        {
            "u": [metro_node(x) for x in ids[a]],
            "v": [metro_node(x) for x in ids[b]],
            "length_km": s.land_route_factor * km,
            "kind": kind,
        }
    )


def _offshore_links(
    xyz: np.ndarray,
    iso2: np.ndarray,
    landmass: np.ndarray,
    lone: np.ndarray,
    home: Ground,
    landing: np.ndarray,
    s: Settings,
) -> np.ndarray:
    """Rule 5: (metro at sea, metro on land) index pairs, shape (k, 2). Each ``lone``
    landing metro off the drawn land whose country's nearest landmass (``landmass``) holds
    metros on the drawn land but no ``landing`` metro is joined to the nearest of them
    (within ``max_domestic_link_km``)."""
    key = pd.Series(iso2.astype(str)) + "|" + pd.Series(landmass).astype(str)
    dry = home.on_land & (landmass >= 0)
    landed = set(key[dry & landing])
    unreached = pd.Series(np.flatnonzero(dry), index=key[dry]).loc[lambda x: ~x.index.isin(landed)]
    out = []
    cap = km_to_chord(s.max_domestic_link_km, s.earth_radius_km)
    for i in np.flatnonzero(lone & ~home.on_land & (landmass >= 0)):
        on = unreached.get(key[i])
        if on is None:
            continue
        on = np.atleast_1d(np.asarray(on))
        d = np.linalg.norm(xyz[on] - xyz[i], axis=1)
        if d.min() <= cap:
            out.append((int(i), int(on[np.argmin(d)])))
    return np.asarray(out, dtype=np.int64).reshape(-1, 2)


def _offshore_notes(
    metros: pd.DataFrame, links: pd.DataFrame, countries: pd.DataFrame | None, s: Settings
) -> tuple[str, ...]:
    """One note per ``offshore`` link: the landing metro, how far off its country's drawn
    land it stands (great circle to the nearest point of the polygons), the metro joined."""
    off = links[links["kind"].eq("offshore")]
    if not len(off) or countries is None:
        return ()
    m = metros.set_index("metro_id")
    sea_end = m.loc[off["u"].str.removeprefix("metro:")]
    land_end = m.loc[off["v"].str.removeprefix("metro:")]
    shape = countries.set_index("iso2")["geometry"]
    pts = shapely.points(sea_end["lon"].to_numpy(float), sea_end["lat"].to_numpy(float))
    line = shapely.shortest_line(shape.loc[sea_end["iso2"]].to_numpy(), pts)
    c = shapely.get_coordinates(line).reshape(-1, 2, 2)
    gap = great_circle_km(c[:, 0, 0], c[:, 0, 1], c[:, 1, 0], c[:, 1, 1], s.earth_radius_km)
    return tuple(
        f"landing {a.name}, {a.iso2} lies {km:,.0f} km off its country's drawn land, nearest "
        f"to a landmass that no landing reaches: joined to {b.name} by an offshore stand-in "
        f"link ({length:,.0f} km); its position is kept as the source gives it"
        for a, b, km, length in zip(
            sea_end.itertuples(), land_end.itertuples(), gap, off["length_km"], strict=True
        )
    )


def read_land_links(path: str | Path, node_ids: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Read a user's land links from CSV (header ``from,to,length_km``; length optional).

    ``from``/``to`` are landing point ids or ``metro:<metro_id>`` node ids. Rows are
    checked against ``node_ids`` when given (an unknown one names the file and line); a
    given length must be a finite number of km above 0; a pair of places may appear once
    (either way round). A file that is missing or cannot be opened raises
    :class:`DataNotFoundError` naming the path; malformed rows (a row with more or fewer
    fields than the header, text that is not UTF-8) raise :class:`MalformedSourceError`
    naming the file, line and field.
    """
    p = Path(path)
    read = read_rows(p, "land-links", required=("from", "to"))
    rows = [_link_row(row, n, p, node_ids) for n, row in read]
    pairs = ((f"line {n}", ",".join(sorted(r[:2]))) for (n, _), r in zip(read, rows, strict=True))
    unique_keys(p, pairs, "from,to")
    return pd.DataFrame(rows, columns=["u", "v", "length_km", "kind"])


def _link_row(
    row: dict[str, str], n: int, p: Path, node_ids: Mapping[str, object] | None
) -> tuple[str, str, float, str]:
    ends = []
    for field in ("from", "to"):
        value = (row.get(field) or "").strip()
        if not value:
            raise MalformedSourceError(str(p), "empty value", record=f"line {n}", field=field)
        if node_ids is not None and value not in node_ids:
            where = f"{p}, line {n}, field {field!r}"
            raise UnknownNameError("node", value, list(node_ids), where=where)
        ends.append(value)
    text = (row.get("length_km") or "").strip()
    try:
        km = float(text) if text else float("nan")
    except ValueError as exc:
        raise MalformedSourceError(
            str(p), f"not a number: {text!r}", record=f"line {n}", field="length_km"
        ) from exc
    if text and not (math.isfinite(km) and km > 0):
        raise MalformedSourceError(
            str(p), "not a finite number of km above 0", record=f"line {n}", field="length_km"
        )
    return ends[0], ends[1], km, "user"
