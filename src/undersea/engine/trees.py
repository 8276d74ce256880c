"""Walks along shortest-path trees, compiled with numba: what the capacity model's rule C4
asks of a destination's tree when it prices the first hops (:mod:`undersea.analysis.flows`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["route_passes"]


def route_passes(
    pred: NDArray[np.int32],
    rows: NDArray[np.int64],
    nodes: NDArray[np.int64],
    mark: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """(len(rows), len(nodes)): whether the route from each node to each destination row
    of ``pred`` (the next node towards the destination, negative at its end) passes a node
    where ``mark`` holds, after the node itself.

    >>> pred = np.array([[-9999, 0, 1]], dtype=np.int32)  # 2 -> 1 -> 0
    >>> route_passes(pred, np.array([0]), np.array([2, 1]), np.array([False, True, False]))
    array([[ True, False]])
    """
    out = np.zeros((len(rows), len(nodes)), dtype=np.bool_)
    _passes_nb(
        np.ascontiguousarray(pred, dtype=np.int32),
        np.ascontiguousarray(rows, dtype=np.int64),
        np.ascontiguousarray(nodes, dtype=np.int64),
        np.ascontiguousarray(mark, dtype=np.bool_),
        out,
    )
    return out


@njit(cache=True, nogil=True)
def _passes_nb(pred: Any, rows: Any, nodes: Any, mark: Any, out: Any) -> None:  # pragma: no cover
    for i in range(rows.shape[0]):
        r = rows[i]
        for j in range(nodes.shape[0]):
            x = pred[r, nodes[j]]
            while x >= 0:  # one route at a time, as long as it is
                if mark[x]:
                    out[i, j] = True
                    break
                x = pred[r, x]
