"""Turn library results (DataFrames, numpy values, dataclasses) into JSON-ready values."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["jsonable", "records"]


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of ``value``: NaN/NA become ``None``, arrays lists, dates ISO text.

    Examples
    --------
    >>> jsonable({"a": np.float64("nan"), "b": np.arange(2), "c": pd.NA})
    {'a': None, 'b': [0, 1], 'c': None}
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value
    if isinstance(value, pd.DataFrame):
        return records(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset | pd.Series | pd.Index):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.date | dt.datetime | pd.Timestamp):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a DataFrame as JSON-safe dicts (geometry columns are left out).

    Examples
    --------
    >>> records(pd.DataFrame({"x": [1.5, float("nan")]}))
    [{'x': 1.5}, {'x': None}]
    """
    cols = [c for c in df.columns if c != "geometry"]
    return [jsonable(dict(zip(cols, row, strict=True))) for row in df[cols].itertuples(index=False)]
