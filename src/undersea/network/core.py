"""The Network: canonical tables + rebuilt segments as immutable arrays.

A :class:`Network` holds every cable, landing point and segment of one snapshot, and a
*view* on them: which segments are in service (``as_of``), which were failed
(``without``). Views share the underlying read-only arrays, so node and segment indices
mean the same thing in every view of one snapshot — a what-if is compared with its base
row by row. A Network never changes in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from undersea._errors import (
    AmbiguousNameError,
    InvalidArgumentError,
    UnknownNameError,
)
from undersea.geo.gazetteer import name_key
from undersea.network.cable_names import match_cable, on_other_maps
from undersea.network.graph import Adjacency, metro_node, metro_nodes
from undersea.network.land import LandLayer
from undersea.network.topology import QualityReport, Topology
from undersea.network.years import (
    _in_view,
    check_year,
    check_year_range,
    covered_years,
    snapshot_year,
)
from undersea.settings import Settings
from undersea.tables import Provenance

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Adjacency",
    "Network",
    "SnapshotData",
    "check_year",
    "check_year_range",
    "covered_years",
    "short_cable_names",
    "snapshot_year",
]


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.flags.writeable = False
    return a


@dataclass(frozen=True)
class SnapshotData:
    """Everything shared by every view of one snapshot (read-only).

    :attr:`Network.shared` gives it: the build cache stores it, and it is the key of
    memos that hold for every view of a snapshot (views differ only in their masks).
    """

    cables: pd.DataFrame
    landing_points: pd.DataFrame
    cable_landings: pd.DataFrame
    nodes: pd.DataFrame
    segments: pd.DataFrame
    seg_u: np.ndarray
    seg_v: np.ndarray
    seg_cable: np.ndarray
    coords: np.ndarray
    offsets: np.ndarray
    quality: QualityReport
    provenance: Provenance
    settings: Settings
    countries: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()
    metros: pd.DataFrame | None = None
    landing_metro: pd.DataFrame | None = None
    links: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"u": [], "v": [], "length_km": [], "kind": []})
    )
    link_u: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    link_v: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


@dataclass(frozen=True)
class Network:
    """An immutable, array-backed view of the physical network of one snapshot.

    Build one with :func:`undersea.load`. ``as_of``, ``without`` return new views; the
    tables and arrays are shared and read-only.

    Examples
    --------
    >>> import undersea
    >>> net = undersea.load(sample=True)
    >>> net.as_of(2005).n_cables < net.n_cables
    True
    """

    _base: SnapshotData = field(repr=False)
    active: np.ndarray = field(repr=False)  # bool per segment: in service in this view
    failed_nodes: np.ndarray = field(repr=False)  # bool per node: failed landing stations
    link_active: np.ndarray = field(repr=False)  # bool per land link: in use in this view
    year: int | None = None
    include_planned: bool = False

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_topology(
        cls,
        *,
        cables: pd.DataFrame,
        landing_points: pd.DataFrame,
        cable_landings: pd.DataFrame,
        topology: Topology,
        provenance: Provenance,
        settings: Settings,
        countries: pd.DataFrame | None = None,
        notes: Sequence[str] = (),
        land: LandLayer | None = None,
    ) -> Network:
        """Assemble a Network (all non-planned cables in service) from built parts."""
        nodes = topology.nodes.reset_index(drop=True)
        lp = landing_points.set_index("id")
        is_lp = nodes["kind"].eq("landing")
        for col in ("iso2", "iso3", "name"):
            nodes[col] = nodes["node_id"].map(lp[col]).where(is_lp, None)
        if land is not None:
            nodes = pd.concat([nodes, _metro_nodes(land.metros)], ignore_index=True)
        node_ix = pd.Index(nodes["node_id"])
        links = land.links.reset_index(drop=True) if land is not None else None
        seg = topology.segments.reset_index(drop=True)
        cab = cables.sort_values("id").reset_index(drop=True)
        base = SnapshotData(
            cables=cab,
            landing_points=landing_points.sort_values("id").reset_index(drop=True),
            cable_landings=cable_landings.reset_index(drop=True),
            nodes=nodes,
            segments=seg,
            seg_u=_readonly(node_ix.get_indexer(seg["u"]).astype(np.int64)),
            seg_v=_readonly(node_ix.get_indexer(seg["v"]).astype(np.int64)),
            seg_cable=_readonly(pd.Index(cab["id"]).get_indexer(seg["cable_id"]).astype(np.int64)),
            coords=_readonly(topology.coords),
            offsets=_readonly(topology.offsets),
            quality=topology.quality,
            provenance=provenance,
            settings=settings,
            countries=countries,
            notes=tuple(notes),
            **(_land_fields(land, links, node_ix) if land is not None else {}),
        )
        if (base.seg_u < 0).any() or (base.seg_v < 0).any() or (base.seg_cable < 0).any():
            raise ValueError("topology refers to nodes or cables that are not in the tables")
        if (base.link_u < 0).any() or (base.link_v < 0).any():
            raise ValueError("a land link refers to a node that is not in the network")
        active = _in_view(cab, None, include_planned=False)[base.seg_cable]
        return cls(
            _base=base,
            active=_readonly(active),
            failed_nodes=_readonly(np.zeros(len(nodes), dtype=bool)),
            link_active=_readonly(np.ones(len(base.link_u), dtype=bool)),
        )

    # ------------------------------------------------------------------ tables
    @property
    def provenance(self) -> Provenance:
        return self._base.provenance

    @property
    def settings(self) -> Settings:
        return self._base.settings

    @property
    def quality(self) -> QualityReport:
        """Data-quality report of the topology rebuild (whole snapshot)."""
        return self._base.quality

    @property
    def countries(self) -> pd.DataFrame | None:
        """Country polygons and neighbours, when the data directory has them."""
        return self._base.countries

    @property
    def notes(self) -> tuple[str, ...]:
        """The reader's notes on quirks met in the source files."""
        return self._base.notes

    @property
    def coords(self) -> np.ndarray:
        """Segment geometry, CSR with :attr:`offsets` (all segments, lon/lat)."""
        return self._base.coords

    @property
    def offsets(self) -> np.ndarray:
        return self._base.offsets

    @property
    def nodes(self) -> pd.DataFrame:
        """All nodes: landing points then branching units (node_id, kind, cable_id, lon,
        lat, iso2, iso3, name). A node's row number is its index in every array."""
        return self._base.nodes

    @cached_property
    def segments(self) -> pd.DataFrame:
        """All segments of the snapshot with an ``active`` column for this view."""
        return self._base.segments.assign(active=self.active)

    @cached_property
    def cable_in_service(self) -> np.ndarray:
        """Bool per cable (rows of :attr:`cables`): in service in this view."""
        out = np.zeros(len(self._base.cables), dtype=bool)
        out[self._base.seg_cable[self.active]] = True
        return np.asarray(out | self._lonely_cables_in_view())

    def _lonely_cables_in_view(self) -> np.ndarray:
        # cables without any segment (a single landing point) follow the year filter only
        cab = self._base.cables
        has_seg = np.zeros(len(cab), dtype=bool)
        has_seg[self._base.seg_cable] = True
        return np.asarray(~has_seg & self._cable_filter())

    def _cable_filter(self) -> np.ndarray:
        return _in_view(self._base.cables, self.year, include_planned=self.include_planned)

    @cached_property
    def cables(self) -> pd.DataFrame:
        """Cables in service in this view (canonical columns)."""
        return self._base.cables[self.cable_in_service].reset_index(drop=True)

    @property
    def shared(self) -> SnapshotData:
        """The tables and arrays every view of this snapshot shares (read-only)."""
        return self._base

    @property
    def all_cables(self) -> pd.DataFrame:
        """Every cable of the snapshot, in service or not."""
        return self._base.cables

    @cached_property
    def landing_points(self) -> pd.DataFrame:
        """Landing points served by at least one in-service cable of this view."""
        cl = self._base.cable_landings
        live = set(self.cables["id"])
        ids = set(cl.loc[cl["cable_id"].isin(live), "landing_point_id"])
        failed = set(self.nodes.loc[self.failed_nodes, "node_id"])
        lp = self._base.landing_points
        return lp[lp["id"].isin(ids - failed)].reset_index(drop=True)

    @property
    def all_landing_points(self) -> pd.DataFrame:
        return self._base.landing_points

    @property
    def cable_landings(self) -> pd.DataFrame:
        """(cable_id, landing_point_id) pairs of the whole snapshot."""
        return self._base.cable_landings

    @property
    def n_cables(self) -> int:
        return int(self.cable_in_service.sum())

    @property
    def n_segments(self) -> int:
        return int(self.active.sum())

    @property
    def seg_u(self) -> np.ndarray:
        return self._base.seg_u

    @property
    def seg_v(self) -> np.ndarray:
        return self._base.seg_v

    @property
    def seg_cable(self) -> np.ndarray:
        """Row of :attr:`all_cables` for each segment."""
        return self._base.seg_cable

    @property
    def seg_length_km(self) -> np.ndarray:
        return np.asarray(self._base.segments["length_km"].to_numpy())

    # ------------------------------------------------------------------ graph
    @cached_property
    def memo(self) -> dict[Any, Any]:
        """Per-view cache for results derived from this (immutable) view, such as
        compiled impact models. A new view starts with an empty cache."""
        return {}

    # --- edges: segments [0, S) then land links [S, S + L) --------------------------
    @property
    def links(self) -> pd.DataFrame:
        """Land links (u, v, length_km, kind) with an ``active`` column for this view."""
        return self._base.links.assign(active=self.link_active)

    @property
    def metros(self) -> pd.DataFrame | None:
        """Metro areas (metro_id, name, iso2, iso3, lon, lat, population, inland)."""
        return self._base.metros

    @property
    def landing_metro(self) -> pd.DataFrame | None:
        """Landing point id -> metro id."""
        return self._base.landing_metro

    @property
    def n_edges(self) -> int:
        """Segments plus land links (all, in service or not)."""
        return len(self.seg_u) + len(self._base.link_u)

    @cached_property
    def edge_u(self) -> np.ndarray:
        return _readonly(np.concatenate((self.seg_u, self._base.link_u)))

    @cached_property
    def edge_v(self) -> np.ndarray:
        return _readonly(np.concatenate((self.seg_v, self._base.link_v)))

    @cached_property
    def edge_length_km(self) -> np.ndarray:
        links = self._base.links["length_km"].to_numpy(dtype=float)
        return _readonly(np.concatenate((self.seg_length_km, links)))

    @cached_property
    def edge_active(self) -> np.ndarray:
        """Bool per edge (segments then land links): usable in this view."""
        return _readonly(np.concatenate((self.active, self.link_active)))

    @cached_property
    def adjacency(self) -> Adjacency:
        """CSR adjacency over usable edges, segments and land links (once per view)."""
        e = np.flatnonzero(self.edge_active)
        u, v = self.edge_u[e], self.edge_v[e]
        src = np.concatenate((u, v))
        dst = np.concatenate((v, u))
        eid = np.concatenate((e, e))
        order = np.lexsort((dst, src))
        n = len(self.nodes)
        indptr = np.concatenate(([0], np.cumsum(np.bincount(src, minlength=n))))
        return Adjacency(
            indptr=_readonly(indptr.astype(np.int64)),
            indices=_readonly(dst[order]),
            edge=_readonly(eid[order]),
            length_km=_readonly(self.edge_length_km[eid[order]]),
        )

    # ------------------------------------------------------------------ views
    def as_of(self, year: int | None, *, include_planned: bool = False) -> Network:
        """The network in service in ``year``: cables with RFS year ≤ ``year``.

        Cables with an unknown RFS year count as in service; a cable of a stitched
        network (:func:`undersea.load_stitched`) retired from later maps serves until its
        ``in_service_until`` year. ``include_planned`` adds
        announced cables whose RFS year is ≤ ``year`` (all of them when ``year`` is None).
        Earlier failures (``without``) are kept. The year is taken as given (a replay
        may ask for any year); :func:`~undersea.network.years.check_year` is the check
        that ``load(year=...)``, the CLI and the web API apply to a year a user gives.
        """
        view = replace(self, year=year, include_planned=include_planned)
        keep_cable = view._cable_filter()
        failed_seg = self.failed_segments_mask()
        active = keep_cable[self.seg_cable] & ~failed_seg
        return replace(view, active=_readonly(active))

    def failed_segments_mask(self) -> np.ndarray:
        """Segments that this view failed on purpose (not merely out of service)."""
        expected = self._cable_filter()[self.seg_cable]
        return np.asarray(expected & ~self.active)

    def without(
        self,
        *,
        cables: Iterable[str] = (),
        segments: Iterable[str | int] = (),
        landing_points: Iterable[str] = (),
        metros: Iterable[str] = (),
        land_links: Iterable[tuple[str, str]] = (),
    ) -> Network:
        """A copy with the named cables, segments, landing stations, metros and land
        links failed.

        Names are matched as by :meth:`cable` / :meth:`landing_point` / :meth:`metro`;
        segments by id (``"<cable_id>:<k>"``) or row index. A failed metro takes its land
        links and the landing stations that backhaul to it. A land link is named by its
        two ends, ``("krasnoyarsk-ru", "dikson-ru")`` (metros or landing points, see
        :func:`~undersea.network.whatif.land_link_rows`); every land link between them
        fails, and a pair that no land link joins is refused.

        Examples
        --------
        >>> import undersea
        >>> net = undersea.load(sample=True)
        >>> int((~net.without(land_links=[("Brest", "Marseille")]).link_active).sum())
        1
        """
        link_off = self._land_link_mask(land_links)
        off = np.zeros(len(self.active), dtype=bool)
        for name in cables:
            off |= self.seg_cable == self.cable_index(name)
        seg_ids = pd.Index(self._base.segments["segment_id"])
        for s in segments:
            off[self._segment_index(s, seg_ids)] = True
        failed = self.failed_nodes.copy()
        lps = [self.landing_point(name)["id"] for name in landing_points]
        for name in metros:
            mid = self.metro(name)["metro_id"]
            failed[self.node_index(metro_node(mid))] = True
            lm = self._base.landing_metro
            if lm is not None:
                lps += list(lm.loc[lm["metro_id"] == mid, "landing_point_id"])
        for lp in lps:
            node = self.node_index(lp)
            failed[node] = True
            off |= (self.seg_u == node) | (self.seg_v == node)
        link_off |= failed[self._base.link_u] | failed[self._base.link_v]
        return replace(
            self,
            active=_readonly(self.active & ~off),
            failed_nodes=_readonly(failed),
            link_active=_readonly(self.link_active & ~link_off),
        )

    def _land_link_mask(self, pairs: Iterable[tuple[str, str]]) -> np.ndarray:
        """Bool per land link: those joining one of the (end, end) pairs."""
        from undersea.network.whatif import land_link_rows

        off = np.zeros(len(self.link_active), dtype=bool)
        for pair in pairs:
            if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
                raise InvalidArgumentError(
                    f"land_links takes (end, end) pairs, such as ('krasnoyarsk-ru', "
                    f"'dikson-ru'); got {pair!r}"
                )
            off[land_link_rows(self, str(pair[0]), str(pair[1]))] = True
        return off

    def with_cable(self, name: str, landings: Sequence[Any], **kwargs: Any) -> Network:
        """A copy with a new cable (see :func:`undersea.network.whatif.with_cable`)."""
        from undersea.network.whatif import with_cable

        return with_cable(self, name, landings, **kwargs)

    def with_landing(self, cable: str, landing: Any) -> Network:
        """A copy where ``cable`` branches to ``landing`` (:func:`~.whatif.with_landing`)."""
        from undersea.network.whatif import with_landing

        return with_landing(self, cable, landing)

    def with_land_link(
        self,
        a: str,
        b: str,
        *,
        length_km: float | None = None,
        capacity_tbps: float | None = None,
    ) -> Network:
        """A copy with a land link between two places (:func:`~.whatif.with_land_link`)."""
        from undersea.network.whatif import with_land_link

        return with_land_link(self, a, b, length_km=length_km, capacity_tbps=capacity_tbps)

    def appended(
        self,
        *,
        cables: pd.DataFrame | None = None,
        landing_points: pd.DataFrame | None = None,
        cable_landings: pd.DataFrame | None = None,
        nodes: pd.DataFrame | None = None,
        segments: pd.DataFrame | None = None,
        coords: np.ndarray | None = None,
        offsets: np.ndarray | None = None,
        segment_cable: int = -1,
        segments_in_view: bool = True,
        retire: Sequence[int] = (),
        links: pd.DataFrame | None = None,
        metros: pd.DataFrame | None = None,
        landing_metro: pd.DataFrame | None = None,
    ) -> Network:
        """A copy with rows appended to the snapshot's tables: the one way to edit a Network.

        What-if edits (:mod:`undersea.network.whatif`) build the new rows and call this;
        every existing node, segment and link keeps its index, so a base network and its
        edited copy compare row by row. Each argument holds only the new rows, in the
        columns of the table it extends.

        Parameters
        ----------
        nodes, links
            New nodes; new land links (``u``, ``v`` node ids, ``length_km``, ``kind``),
            in use in the copy.
        segments, coords, offsets
            New segments (``u``, ``v`` node ids and the columns of :attr:`segments` but
            ``active``) and their polylines (CSR ``offsets`` starting at 0).
        segment_cable
            Row of :attr:`all_cables` (after appending ``cables``) the new segments belong to.
        segments_in_view
            Whether the new segments are in service in this view (a cable's year).
        retire
            Existing segment indices that the new ones replace: out of service in the copy.
        """
        b = self._base
        new_nodes = _rows(b.nodes, nodes)
        node_ix = pd.Index(new_nodes["node_id"])
        seg = segments if segments is not None else b.segments.iloc[:0]
        new_links = links if links is not None else b.links.iloc[:0]
        base = replace(
            b,
            cables=_rows(b.cables, cables),
            landing_points=_rows(b.landing_points, landing_points),
            cable_landings=_rows(b.cable_landings, cable_landings).drop_duplicates(
                ignore_index=True
            ),
            nodes=new_nodes,
            segments=_rows(b.segments, seg[b.segments.columns]),
            seg_u=_readonly(np.concatenate((b.seg_u, node_ix.get_indexer(seg["u"])))),
            seg_v=_readonly(np.concatenate((b.seg_v, node_ix.get_indexer(seg["v"])))),
            seg_cable=_readonly(np.concatenate((b.seg_cable, np.full(len(seg), segment_cable)))),
            coords=b.coords if coords is None else _readonly(np.concatenate((b.coords, coords))),
            offsets=b.offsets
            if offsets is None
            else _readonly(np.concatenate((b.offsets, b.offsets[-1] + offsets[1:]))),
            links=_rows(b.links, links),
            link_u=_readonly(np.concatenate((b.link_u, node_ix.get_indexer(new_links["u"])))),
            link_v=_readonly(np.concatenate((b.link_v, node_ix.get_indexer(new_links["v"])))),
            metros=b.metros
            if metros is None or not len(metros)
            else _rows(b.metros, metros)
            if b.metros is not None
            else metros.reset_index(drop=True),
            landing_metro=_rows(b.landing_metro, landing_metro),
        )
        active = np.concatenate((self.active, np.full(len(seg), segments_in_view)))
        active[list(retire)] = False
        grown = np.zeros(len(new_nodes) - len(b.nodes), dtype=bool)
        return replace(
            self,
            _base=base,
            active=_readonly(active),
            failed_nodes=_readonly(np.concatenate((self.failed_nodes, grown))),
            link_active=_readonly(
                np.concatenate((self.link_active, np.ones(len(new_links), dtype=bool)))
            ),
        )

    def without_land(self) -> Network:
        """A copy with every land link switched off (submarine segments only)."""
        return replace(self, link_active=_readonly(np.zeros_like(self.link_active)))

    def _segment_index(self, s: str | int, seg_ids: pd.Index) -> int:
        if isinstance(s, int | np.integer) and 0 <= s < len(seg_ids):
            return int(s)
        return self.segment_row(str(s), seg_ids)

    def segment_row(self, name: str, seg_ids: pd.Index | None = None) -> int:
        """Row of :attr:`segments` for a segment id (``"west-africa-cable-system-wacs:3"``)
        or ``"CABLE:K"`` with CABLE any name :meth:`cable_index` takes (``"WACS:3"``)."""
        if seg_ids is None:
            seg_ids = pd.Index(self.segments["segment_id"].astype(str))
        text = str(name).strip()
        k = int(seg_ids.get_indexer([text])[0])
        if k < 0 and ":" in text:
            cable, _, part = text.rpartition(":")
            try:
                cable_id = self._base.cables["id"].iloc[self.cable_index(cable.strip())]
            except UnknownNameError:
                cable_id = None
            if cable_id is not None:
                k = int(seg_ids.get_indexer([f"{cable_id}:{part.strip()}"])[0])
                if k < 0:  # say which segments that cable has
                    n = int(seg_ids.str.startswith(f"{cable_id}:").sum())
                    err = UnknownNameError("segment", text)
                    err.args = (f"{err}: {cable_id} has segments {cable_id}:0 to :{n - 1}",)
                    raise err
        if k < 0:
            raise UnknownNameError("segment", text, seg_ids.astype(str))
        return k

    # ------------------------------------------------------------------ lookups
    def cable_index(self, name: str) -> int:
        """Row of :attr:`all_cables` for a cable id, name or the abbreviation its name
        ends with (``"WACS"``), case-insensitive; else what
        :func:`~undersea.network.cable_names.match_cable` finds (``"PEACE"``, ``"Main
        One"``, ``"seamewe 5"``). Every command looks cables up here."""
        cab = self._base.cables
        named = self.cable_named(name)
        if named is not None:
            return named
        rows = match_cable(cab, self.cable_in_service, str(name))
        if len(rows) == 1:
            return rows[0]
        if not rows:  # close matches among names, acronyms ("ACEE": ACE) and ids
            pool = [*cab["name"], *short_cable_names(cab["name"]).dropna(), *cab["id"]]
            hint = on_other_maps(self, str(name))  # retired or renamed: say so
            raise UnknownNameError("cable", name, pool, hint=hint) from None
        hits = cab.iloc[rows]
        raise AmbiguousNameError(
            "cable", name, [f"{n} [id {i}]" for n, i in zip(hits["name"], hits["id"], strict=True)]
        )

    def cable_named(self, name: str) -> int | None:
        """Row of :attr:`all_cables` whose id, name or bracketed short name ``name`` is
        (case, accents and punctuation aside), else None: the names :meth:`cable_index`
        takes before :func:`~undersea.network.cable_names.match_cable` guesses.
        :class:`~undersea.AmbiguousNameError` when it is several cables'."""
        cab = self._base.cables
        short = short_cable_names(cab["name"])
        return _find(cab, name, "cable", label=lambda r: r["name"], aliases=short)

    def cable(self, name: str) -> pd.Series:
        """One cable's record, by id or name; raises UnknownNameError with close matches."""
        return self._base.cables.iloc[self.cable_index(name)]

    def landing_point(self, name: str) -> pd.Series:
        """One landing point's record, by id, name or ``"Name, Country"``."""
        lp = self._base.landing_points
        town = lp["name"].str.split(",").str[0]
        return lp.iloc[
            _lookup(
                lp,
                name,
                "landing point",
                label=lambda r: f"{r['name']} ({r['iso2']})",
                aliases=town,
            )
        ]

    def metro(self, name: str) -> pd.Series:
        """A metro by id (``marseille-fr``), name, ``"Name, ISO2"``, one of the towns of a
        name joined by ``/`` (``"Tamuning"`` for Piti/Tamuning), or the town or full name
        of a landing point in it (``"Fujairah"``, ``"Tuas, Singapore"``)."""
        m = self._base.metros
        if m is None:
            raise UnknownNameError("metro", name, [])
        table = m.rename(columns={"metro_id": "id"})
        label = table["name"] + ", " + table["iso2"]
        try:
            k = _lookup(
                table, name, "metro", label=lambda r: f"{r['name']} ({r['iso2']})", aliases=label
            )
        except UnknownNameError:
            mid = self._metro_of_part(name) or self._metro_of_landing(name)
            if mid is None:
                raise
            k = int(np.flatnonzero(table["id"].to_numpy(dtype=object) == mid)[0])
        return m.iloc[k]

    def _metro_of_part(self, name: str) -> str | None:
        """The one metro whose name joins several towns with ``/`` and ``name`` among them."""
        m = self._base.metros
        if m is None:
            return None
        key = " ".join(str(name).split()).casefold()
        parts = m["name"].str.casefold().str.split("/")
        hit = m["metro_id"][[key in [x.strip() for x in p] and len(p) > 1 for p in parts]]
        return str(hit.iloc[0]) if len(hit) == 1 else None

    def _metro_of_landing(self, name: str) -> str | None:
        """The metro of the landing points whose town or full name is ``name`` (None when
        none, or when they lie in several metros)."""
        lm = self._base.landing_metro
        if lm is None:
            return None
        lp = self._base.landing_points
        key = " ".join(str(name).split()).casefold()
        full = lp["name"].str.casefold()
        hit = lp["id"][(full == key) | (full.str.split(",").str[0].str.strip() == key)]
        mids = set(lm.loc[lm["landing_point_id"].isin(set(hit)), "metro_id"])
        return mids.pop() if len(mids) == 1 else None

    def node_index(self, node_id: str) -> int:
        k = pd.Index(self.nodes["node_id"]).get_indexer([node_id])[0]
        if k < 0:
            raise UnknownNameError("node", node_id, self.nodes["node_id"])
        return int(k)

    def cable_segments(self, name: str) -> pd.DataFrame:
        """The segments of one cable (all of them, with ``active`` for this view)."""
        k = self.cable_index(name)
        return self.segments[self.seg_cable == k].reset_index(drop=True)

    # ------------------------------------------------------------------ interop
    def to_networkx(self) -> nx.MultiGraph:
        """In-service segments as a NetworkX MultiGraph keyed by node id."""
        import networkx as nx  # here: only interop needs it, and every start would pay

        g = nx.MultiGraph(provenance=self.provenance.as_dict(), year=self.year)
        for row in self.nodes.itertuples(index=False):
            g.add_node(row.node_id, kind=row.kind, lon=row.lon, lat=row.lat, iso3=row.iso3)
        seg = self.segments[self.active]
        g.add_edges_from(
            (
                r.u,
                r.v,
                r.segment_id,
                {
                    "cable_id": r.cable_id,
                    "length_km": r.length_km,
                    "kind": r.kind,
                    "inferred": r.inferred,
                },
            )
            for r in seg.itertuples(index=False)
        )
        links = self.links[self.link_active]
        g.add_edges_from(
            (
                r.u,
                r.v,
                f"land:{k}",
                {"cable_id": None, "length_km": r.length_km, "kind": r.kind, "inferred": False},
            )
            for k, r in zip(links.index, links.itertuples(index=False), strict=True)
        )
        return g

    def to_geojson(self, *, layer: str = "segments") -> dict[str, Any]:
        """GeoJSON FeatureCollection of in-service ``segments`` or ``landing_points``."""
        from undersea.geo.geojson import landing_points_geojson, segments_geojson

        if layer == "segments":
            return segments_geojson(self)
        if layer == "landing_points":
            return landing_points_geojson(self)
        layers = ["segments", "landing_points"]
        raise UnknownNameError("layer", layer, layers, listed=layers)

    def to_geodataframe(self, *, layer: str = "segments") -> Any:
        """GeoPandas GeoDataFrame of a layer (needs ``undersea[geo]``)."""
        from undersea.geo.geojson import to_geodataframe

        return to_geodataframe(self.to_geojson(layer=layer))

    def summary(self) -> dict[str, Any]:
        """Counts and provenance, as shown by ``undersea data info``."""
        return {
            "snapshot": self.provenance.snapshot_date,
            "api_version": self.provenance.version,
            "year": self.year,
            "include_planned": self.include_planned,
            "cables": self.n_cables,
            "cables_in_snapshot": len(self._base.cables),
            "planned_cables": int(self._base.cables["is_planned"].sum()),
            "landing_points": len(self.landing_points),
            "branching_units": int(self.nodes["kind"].eq("branching_unit").sum()),
            "segments": self.n_segments,
            "segment_km": round(float(self.seg_length_km[self.active].sum()), 1),
            "metros": 0 if self.metros is None else len(self.metros),
            "land_links": int(self.link_active.sum()),
            "countries": int(self.landing_points["iso3"].nunique()),
            "content_hash": self.provenance.content_hash,
        }

    def __repr__(self) -> str:
        when = f" as of {self.year}" if self.year is not None else ""
        return (
            f"<Network {self.provenance.snapshot_date}{when}: {self.n_cables} cables, "
            f"{len(self.landing_points)} landing points, {self.n_segments} segments>"
        )


def _rows(table: Any, new: pd.DataFrame | None) -> Any:
    """``table`` with ``new`` rows appended (``table`` itself when there are none)."""
    if new is None or not len(new):
        return table
    if table is None:
        return new.reset_index(drop=True)
    return pd.concat([table, new], ignore_index=True)


def _metro_nodes(metros: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "node_id": metro_nodes(metros["metro_id"]).tolist(),
            "kind": "metro",
            "cable_id": None,
            "lon": metros["lon"].to_numpy(dtype=float),
            "lat": metros["lat"].to_numpy(dtype=float),
            "iso2": metros["iso2"].to_numpy(dtype=object),
            "iso3": metros["iso3"].to_numpy(dtype=object),
            "name": metros["name"].to_numpy(dtype=object),
        }
    )


def _land_fields(land: LandLayer, links: pd.DataFrame, node_ix: pd.Index) -> dict[str, Any]:
    return {
        "metros": land.metros.reset_index(drop=True),
        "landing_metro": land.landing_metro.reset_index(drop=True),
        "links": links,
        "link_u": _readonly(node_ix.get_indexer(links["u"]).astype(np.int64)),
        "link_v": _readonly(node_ix.get_indexer(links["v"]).astype(np.int64)),
    }


def short_cable_names(names: pd.Series) -> pd.Series:
    """The short name each cable name ends with in brackets (``"WACS"``), else NA."""
    return names.str.extract(r"\(([^()]+)\)\s*$", expand=False)


def _find(
    table: pd.DataFrame, name: str, kind: str, *, label: Any, aliases: pd.Series | None = None
) -> int | None:
    """:func:`_lookup`'s row, or None where ``name`` is no row's (no close matches sought)."""
    key = str(name).strip()
    ids = table["id"].to_numpy(dtype=object)
    hit = np.flatnonzero(ids == key)
    for norm in (str.casefold, name_key):
        for col in (table["name"], aliases):
            if len(hit) == 0 and col is not None and norm(key):
                names = np.asarray([norm(str(x).strip()) for x in col.fillna("")], dtype=object)
                hit = np.flatnonzero(names == norm(key))
    if len(hit) > 1:
        rows = table.iloc[hit]
        raise AmbiguousNameError(
            kind, name, [f"{label(r)} [id {r['id']}]" for _, r in rows.iterrows()]
        )
    return int(hit[0]) if len(hit) else None


def _lookup(
    table: pd.DataFrame, name: str, kind: str, *, label: Any, aliases: pd.Series | None = None
) -> int:
    """Row index of ``name`` in a table with ``id`` and ``name`` columns (then aliases):
    as typed (case aside), else with accents and punctuation ignored (``"Lomé"`` is
    ``"Lome, Togo"``'s town; ``"St. Louis"`` stays the one of that spelling)."""
    found = _find(table, name, kind, label=label, aliases=aliases)
    if found is not None:
        return found
    ids = table["id"].to_numpy(dtype=object)
    # an alias like the name suggests its row's name: "Abidjna", "Abidjan, Côte d'Ivoire"
    also: list[tuple[str, str]] = []
    if aliases is not None:
        also = list(zip(aliases.fillna("").astype(str), table["name"], strict=True))
    raise UnknownNameError(kind, name, [*table["name"], *ids, *also])
