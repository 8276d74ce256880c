"""Imports that wait: optional dependencies, and names a package imports on first use.

Optional dependencies: one helper to import them, as GeoPandas does.
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

Lazy names: :func:`lazy_exports` gives a package the module ``__getattr__`` and
``__dir__`` (PEP 562) that import each exported name from its module on first use, so that
importing the package (``import undersea``) does not import every analysis and its
dependencies (numba, scipy.stats).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from types import ModuleType

from undersea._errors import MissingExtraError

__all__ = ["import_optional", "lazy_exports"]


def import_optional(module: str, extra: str, *, package: str | None = None) -> ModuleType:
    """Import ``module``, or raise :class:`~undersea.MissingExtraError` for ``extra``.

    ``package`` is the name to install when it differs from the module's top level
    (``distributed`` comes with ``dask``).
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(package or module.split(".")[0], extra) from None


def lazy_exports(
    package: str, names: Mapping[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package`` that import each of ``names``
    (name -> the module defining it) on first use and keep it in the package.

    >>> getattr_, dir_ = lazy_exports("undersea", {"hub_ranking": "undersea.analysis.hubs.ranking"})
    >>> getattr_("hub_ranking").__name__, "hub_ranking" in dir_()
    ('hub_ranking', True)
    """

    def getattr_(name: str) -> object:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    def dir_() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(names))

    return getattr_, dir_
