"""List places that one network files under two countries: fake borders.

Run: ``UNDERSEA_DATA=../shared/data python scripts/country_mismatches.py [SNAPSHOT ...]``
(default: every snapshot). For each snapshot it prints

- land links other than ``border`` links whose two ends carry different country codes
  (a landing point joined to a metro of another country: Longyearbyen, NO -> SJ);
- ``border`` links shorter than ``--km`` (default 50 km): real ones (Brazzaville-Kinshasa,
  Nice-Monaco) and fake ones (a place split between a country and its territory) look
  alike, so they are listed for a person to judge;
- landing points whose nearest metro (within ``--km``) has another country code than
  theirs, nearest first.

The exit status is 1 when the first kind (a landing and its own metro in two countries)
is found, else 0.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

import undersea
from undersea.data.directory import data_dir, list_snapshots
from undersea.geo.sphere import great_circle_km


def mismatches(net: undersea.Network, km: float) -> dict[str, pd.DataFrame]:
    """The three lists of the module docstring, as tables."""
    nodes = net.nodes.set_index("node_id")
    links = net.links
    u, v = nodes.loc[links["u"]], nodes.loc[links["v"]]
    links = links.assign(
        u_name=u["name"].to_numpy(),
        u_iso2=u["iso2"].to_numpy(),
        v_name=v["name"].to_numpy(),
        v_iso2=v["iso2"].to_numpy(),
    )
    cols = ["u_name", "u_iso2", "v_name", "v_iso2", "length_km", "kind"]
    cross = links[links["u_iso2"] != links["v_iso2"]]
    split = cross[cross["kind"] != "border"][cols]
    short = cross[(cross["kind"] == "border") & (cross["length_km"] < km)]
    short = short[short["u_iso2"] < short["v_iso2"]][cols]  # each pair once
    lp, metros = net.all_landing_points, net.metros
    d = great_circle_km(
        lp["lon"].to_numpy()[:, None],
        lp["lat"].to_numpy()[:, None],
        metros["lon"].to_numpy()[None],
        metros["lat"].to_numpy()[None],
    )
    k = np.nanargmin(d, axis=1)
    near = pd.DataFrame(
        {
            "landing": lp["name"].to_numpy(),
            "iso2": lp["iso2"].to_numpy(),
            "nearest_metro": metros["name"].to_numpy()[k],
            "metro_iso2": metros["iso2"].to_numpy()[k],
            "km": d[np.arange(len(lp)), k].round(1),
        }
    )
    near = near[(near["iso2"] != near["metro_iso2"]) & (near["km"] < km)].sort_values("km")
    return {
        "landing and its metro in two countries": split,
        f"border links under {km:g} km": short,
        f"landings whose nearest metro (under {km:g} km) is in another country": near,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshots", nargs="*", help="snapshot names (default: all)")
    parser.add_argument("--km", type=float, default=50.0, help="short distance, km")
    args = parser.parse_args()
    names = args.snapshots or list_snapshots(data_dir())
    found = False
    with pd.option_context("display.width", 200, "display.max_rows", 200):
        for name in names:
            tables = mismatches(undersea.load(name), args.km)
            found |= len(next(iter(tables.values()))) > 0
            for title, table in tables.items():
                print(f"\n## {name}: {title} ({len(table)})")
                if len(table):
                    print(table.to_string(index=False))
    return int(found)


if __name__ == "__main__":
    raise SystemExit(main())
