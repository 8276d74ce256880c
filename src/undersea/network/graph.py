"""Graph primitives shared by every layer above: node ids and sparse matrices.

The one home for how a metro is named among the nodes (``"metro:<metro_id>"``) and for
turning edge lists into SciPy matrices that keep the lightest of parallel edges; the
network's own adjacency (:attr:`Network.adjacency <undersea.network.core.Network.adjacency>`)
is an :class:`Adjacency`.

>>> metro_node("marseille-fr"), metro_id("metro:marseille-fr")
('metro:marseille-fr', 'marseille-fr')
>>> m = lightest_csr(np.array([0, 0, 1]), np.array([1, 1, 0]), np.array([5.0, 2.0, 2.0]), 2)
>>> m.toarray().tolist()
[[0.0, 2.0], [2.0, 0.0]]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import overload

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

__all__ = [
    "METRO_PREFIX",
    "Adjacency",
    "both_ways",
    "lightest_csr",
    "metro_id",
    "metro_node",
    "metro_nodes",
    "node_labels",
]

#: node ids of metros are this prefix and the metro id; landing points keep their own ids
METRO_PREFIX = "metro:"
#: weights below this become it, so that a zero-length edge stays in a sparse matrix
_MIN_WEIGHT = 1e-9


def metro_node(metro_id: str) -> str:
    """Node id of a metro in the network."""
    return f"{METRO_PREFIX}{metro_id}"


def metro_nodes(metro_ids: pd.Series) -> pd.Series:
    """Node ids of a column of metro ids."""
    return METRO_PREFIX + metro_ids.astype(str)


@overload
def metro_id(node_id: str) -> str: ...
@overload
def metro_id(node_id: pd.Series) -> pd.Series: ...
def metro_id(node_id: str | pd.Series) -> str | pd.Series:
    """The metro id in a metro's node id (other ids unchanged)."""
    if isinstance(node_id, pd.Series):
        return node_id.astype(str).str.removeprefix(METRO_PREFIX)
    return str(node_id).removeprefix(METRO_PREFIX)


def node_labels(nodes: pd.DataFrame) -> np.ndarray:
    """Display name of each node (rows of ``Network.nodes``): a metro as ``"Name, ISO2"``
    (``"Dikson, RU"``), a landing point or branching unit by its name."""
    name = nodes["name"].astype(object)
    metro = nodes["kind"].eq("metro")
    return np.asarray(name.where(~metro, name + ", " + nodes["iso2"].astype(object)), dtype=object)


def both_ways(
    u: np.ndarray, v: np.ndarray, *values: np.ndarray
) -> tuple[np.ndarray, np.ndarray, *tuple[np.ndarray, ...]]:
    """Rows, columns and values of undirected edges listed in both directions."""
    return (
        np.concatenate((u, v)),
        np.concatenate((v, u)),
        *(np.concatenate((x, x)) for x in values),
    )


def lightest_csr(
    rows: np.ndarray,
    cols: np.ndarray,
    weights: np.ndarray,
    n: int,
    *,
    ids: np.ndarray | None = None,
) -> csr_matrix:
    """CSR matrix of ``weights`` at (row, col), keeping the lightest of parallel entries.

    SciPy sums duplicate entries, which would make two parallel cables one long one;
    weights are floored at 1e-9 so a zero-length edge is not dropped as an explicit zero.
    With ``ids`` (an int array beside the weights) the matrix holds ``id + 1`` of the kept
    entry instead of its weight, for recovering which edge a path used.
    """
    order = np.lexsort((weights, cols, rows))
    r, c = rows[order], cols[order]
    first = np.r_[True, (r[1:] != r[:-1]) | (c[1:] != c[:-1])] if len(r) else np.zeros(0, bool)
    kept = np.maximum(weights[order][first], _MIN_WEIGHT) if ids is None else ids[order][first] + 1
    return csr_matrix((kept, (r[first], c[first])), shape=(n, n))


@dataclass(frozen=True)
class Adjacency:
    """CSR adjacency of the in-service edges (both directions).

    Neighbours of node ``i`` are ``indices[indptr[i]:indptr[i + 1]]`` reached through edge
    ``edge[...]`` of length ``length_km[...]``. Edges ``< n_segments`` are rows of
    ``Network.segments``; the others are rows ``edge - n_segments`` of ``Network.links``.
    """

    indptr: np.ndarray
    indices: np.ndarray
    edge: np.ndarray
    length_km: np.ndarray

    def to_scipy(self) -> csr_matrix:
        """Symmetric sparse matrix of lengths (parallel edges keep the shortest)."""
        n = len(self.indptr) - 1
        rows = np.repeat(np.arange(n), np.diff(self.indptr))
        return lightest_csr(rows, self.indices, self.length_km, n)
