"""The published results of the SIGCOMM 2021 solar-superstorm study, for validation.

S. Abdu Jyothi, "Solar Superstorms: Planning for an Internet Apocalypse", ACM SIGCOMM 2021
(doi:10.1145/3452296.3472916); processed data in the public repository
NetSAIL-UCI/Internet-Resilience, ``SIGCOMM21/processedData/submarineCables/``. Each
``submarine-uniform-stats-<spacing>.txt`` holds one line per (spacing km, p): spacing, p,
fraction of cables failed (mean over 10 runs), its standard deviation, fraction of landing
points disconnected (mean), its standard deviation (numpy's population sd, ddof 0).
``docs/validation.md`` compares undersea with them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from undersea._errors import DataNotFoundError, MalformedSourceError

__all__ = ["SOLAR_COLUMNS", "SOLAR_FOLDER", "read_solar_superstorms"]

#: Folder of the files under the data directory.
SOLAR_FOLDER = Path("published") / "solar-superstorms-sigcomm21"
#: Columns of :func:`read_solar_superstorms`, in file order.
SOLAR_COLUMNS: tuple[str, ...] = (
    "spacing_km",
    "p",
    "cables_failed",
    "cables_failed_sd",
    "landing_points_disconnected",
    "landing_points_disconnected_sd",
)


def read_solar_superstorms(folder: str | Path) -> pd.DataFrame:
    """Every ``submarine-uniform-stats-*.txt`` of ``folder`` as one table
    (:data:`SOLAR_COLUMNS`), sorted by spacing and p.

    Raises :class:`~undersea.DataNotFoundError` when there is no such file and
    :class:`~undersea.MalformedSourceError` (file and line) for a line that is not six
    numbers.
    """
    files = sorted(Path(folder).glob("submarine-uniform-stats-*.txt"))
    if not files:
        raise DataNotFoundError(f"no submarine-uniform-stats-*.txt in {folder}")
    rows = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                values = [float(v) for v in line.split()]
            except ValueError:
                values = []
            if len(values) != len(SOLAR_COLUMNS):
                raise MalformedSourceError(
                    str(path), "expected six numbers", record=f"line {number}"
                )
            rows.append(values)
    df = pd.DataFrame(rows, columns=list(SOLAR_COLUMNS))
    df["spacing_km"] = df["spacing_km"].astype(int)
    return df.sort_values(["spacing_km", "p"]).reset_index(drop=True)
