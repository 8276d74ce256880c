"""Optional dependencies: one helper to import them, as GeoPandas does.

A feature behind an extra (``[web]``, ``[plot]``, ``[geo]``, ``[sql]``, ``[dask]``,
``[gpu]``, ``[report]``, ``[pdf]``) imports its package through :func:`import_optional`,
so a missing package is always the same one-line :class:`~undersea.MissingExtraError`
naming the extra to install.

>>> import_optional("json", "none").__name__
'json'
>>> import_optional("no_such_package_xyz", "plot")
Traceback (most recent call last):
...
undersea._errors.MissingExtraError: ...
"""

from __future__ import annotations

import importlib
from types import ModuleType

from undersea._errors import MissingExtraError

__all__ = ["import_optional"]


def import_optional(module: str, extra: str, *, package: str | None = None) -> ModuleType:
    """Import ``module``, or raise :class:`~undersea.MissingExtraError` for ``extra``.

    ``package`` is the name to install when it differs from the module's top level
    (``distributed`` comes with ``dask``).
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(package or module.split(".")[0], extra) from None
