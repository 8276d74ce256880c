"""Small data files that ship with undersea.

:func:`sample_dir` is the root of a **simplified, hand-made sample** data directory: a
dozen well-known submarine cables and about thirty landing points, drawn by hand with
approximate coordinates (see ``sample/README.md``). It is laid out exactly like a real
data directory (``telegeography/2024-01/`` in the TeleGeography API v3 format), so the
ordinary readers read it. It lets the documentation, the doctests and a first try of the
command line work before any download; it is *not* TeleGeography data and must not be
used for analysis.

Examples
--------
>>> from undersea.datasets import sample_dir
>>> sorted(p.name for p in (sample_dir() / "telegeography").iterdir() if p.is_dir())
['2024-01']
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from undersea._errors import DataNotFoundError

__all__ = ["SAMPLE_SNAPSHOT", "sample_dir"]

#: The one snapshot date in the bundled sample.
SAMPLE_SNAPSHOT = "2024-01"


def sample_dir() -> Path:
    """Root of the bundled sample data directory (the folder holding ``telegeography/``).

    Returns
    -------
    Path
        A real folder on disk; pass it wherever a data directory is expected
        (``undersea.load(sample=True)`` does so).

    Raises
    ------
    DataNotFoundError
        undersea is installed in a form whose data files are not plain files on disk
        (a zip archive); reinstall it from a wheel or a source tree.

    Examples
    --------
    >>> (sample_dir() / "telegeography" / "2024-01" / "cable" / "cable-geo.json").is_file()
    True
    """
    resource = files(__name__).joinpath("sample")
    if not isinstance(resource, Path) or not resource.is_dir():
        raise DataNotFoundError(
            f"the bundled sample is not a folder on disk ({resource}): reinstall undersea "
            "from a wheel or a source tree (zipped installs are not supported)"
        )
    return resource
