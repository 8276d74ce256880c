"""GPU executor: the batched connectivity kernel on an NVIDIA GPU with CuPy (``[gpu]``).

:func:`array_batch` computes exactly what :func:`undersea.engine.kernels.run_batch`
computes — per scenario, which units reach the core and which international cables still
serve them — but for the whole batch at once with array operations, so it runs on any
array module: CuPy on a GPU (:func:`gpu_batch`), or NumPy (how the tests check it against
the CPU kernel on machines without a GPU).

Algorithm (no Python loop per scenario or per edge)
---------------------------------------------------
Connected components of all B scenarios at once: node ``i`` of scenario ``b`` is label
``b * n + i``; labels start as themselves. Each round, every surviving edge hooks the
larger of its two endpoint roots onto the smaller (a scatter-min), then pointer jumping
(``label = label[label]``) runs to a fixed point, so every label is a root. Rounds stop
when no surviving edge joins two roots. Labels only ever decrease, so the result is the
exact partition, whatever order the hooks land in. The cable-copy graph is labelled the
same way; "served" is then two scatter reductions per component (smallest and largest
country among its live landings), capacity a sparse product of whole Mbit/s values.

Every output is exact (booleans, integers, sums of whole numbers below 2**53 in float64),
so GPU and CPU agree bit for bit on the same scenarios.

Examples
--------
>>> import numpy as np
>>> from undersea.engine.gpu import components
>>> components(np, 4, np.array([0, 2]), np.array([1, 3]), np.array([[True, False]]))
array([[0, 0, 2, 3]], dtype=int32)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np
import scipy.sparse

from undersea._compat import import_optional
from undersea._errors import ExecutorUnavailableError, InvalidScenarioError, MissingExtraError
from undersea.engine.kernels import Graph, ImpactArrays, KernelOutput

__all__ = [
    "GpuExecutor",
    "array_batch",
    "components",
    "gpu_available",
    "gpu_batch",
    "require_gpu",
]

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- backends


def _cupy() -> ModuleType:
    """CuPy, or MissingExtraError naming the ``[gpu]`` extra."""
    return import_optional("cupy", "gpu")


def require_gpu() -> str:
    """Check that CuPy imports and sees a CUDA device; return the device's name.

    Raises
    ------
    MissingExtraError
        CuPy is not installed (``pip install 'undersea[gpu]'``).
    ExecutorUnavailableError
        CuPy is installed but finds no usable CUDA device or driver.
    """
    cp = _cupy()
    try:
        n = int(cp.cuda.runtime.getDeviceCount())
        if n < 1:
            raise RuntimeError("0 devices")
        props = cp.cuda.runtime.getDeviceProperties(cp.cuda.Device().id)
    except Exception as exc:  # CUDARuntimeError, missing driver library...
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise ExecutorUnavailableError(
            f"no CUDA GPU is available ({reason}): run on a machine with an NVIDIA GPU and "
            "driver, or choose --executor local"
        ) from None
    name = props["name"]
    return name.decode() if isinstance(name, bytes) else str(name)


def gpu_available() -> bool:
    """Whether :func:`require_gpu` would succeed (CuPy installed and a device present)."""
    try:
        require_gpu()
    except (MissingExtraError, ExecutorUnavailableError):
        return False
    return True


@dataclass(frozen=True)
class _Ops:
    """The few operations that differ between NumPy and CuPy."""

    xp: ModuleType
    scatter_min: Callable[[Any, Any, Any], None]
    scatter_max: Callable[[Any, Any, Any], None]
    sparse: Any  # scipy.sparse or cupyx.scipy.sparse
    to_numpy: Callable[[Any], np.ndarray]


def _ops(xp: ModuleType) -> _Ops:
    if xp is np:
        return _Ops(np, np.minimum.at, np.maximum.at, scipy.sparse, np.asarray)
    import cupyx
    import cupyx.scipy.sparse

    return _Ops(xp, cupyx.scatter_min, cupyx.scatter_max, cupyx.scipy.sparse, xp.asnumpy)


# --------------------------------------------------------------------------- kernels


def components(xp: ModuleType, n: int, u: Any, v: Any, alive: Any) -> Any:
    """Connected-component labels of B graphs on the same ``n`` nodes at once.

    Parameters
    ----------
    xp
        ``numpy`` or ``cupy``.
    n
        Nodes per graph.
    u, v
        (E,) int edge endpoints, shared by every graph.
    alive
        (B, E) bool: edge ``e`` exists in graph ``b``.

    Returns
    -------
    array
        (B, n) int32 (int64 when B·n does not fit): in each row, equal labels mean one
        component; a component's label is one of its nodes.
    """
    ops = _ops(xp)
    b = int(alive.shape[0])
    dtype = xp.int32 if b * n < 2**31 - 1 else xp.int64
    offset = (xp.arange(b, dtype=dtype) * n)[:, None]
    eu = (xp.asarray(u, dtype=dtype)[None, :] + offset)[alive]
    ev = (xp.asarray(v, dtype=dtype)[None, :] + offset)[alive]
    label = xp.arange(b * n, dtype=dtype)
    while True:
        lu, lv = label[eu], label[ev]
        differ = lu != lv
        if not bool(differ.any()):
            return label.reshape(b, n) - offset
        lu, lv = lu[differ], lv[differ]
        ops.scatter_min(label, xp.maximum(lu, lv), xp.minimum(lu, lv))
        while True:  # pointer jumping until every label is a root
            nxt = label[label]
            if not bool((nxt != label).any()):
                break
            label = nxt
        eu, ev = eu[differ], ev[differ]


@dataclass(frozen=True)
class _DeviceModel:
    """The static arrays of one model's graph, on the device."""

    g: Graph
    arrays: dict[str, Any]
    unit_sum: Any  # (U, P) sparse: pair -> its unit, 1.0
    unit_cap: Any  # (U, P) sparse: pair -> its unit, capacity (whole Mbit/s)


def _device_model(ops: _Ops, a: ImpactArrays, g: Graph) -> _DeviceModel:
    xp = ops.xp
    names = ("x_u", "x_v", "x_nu", "x_nv", "x_seg", "x_qu", "x_qv", "core_part", "core_node",
             "uc_unit", "uc_part", "uc_node", "land_part")  # fmt: skip
    d = {k: xp.asarray(getattr(g, k)) for k in names}
    for k in ("land_copy", "land_node", "land_country", "land_pair", "pair_unit"):
        d[k] = xp.asarray(getattr(a, k))
    p = a.n_pairs
    rows, cols = a.pair_unit.astype(np.int64), np.arange(p)
    ones = scipy.sparse.csr_matrix((np.ones(p), (rows, cols)), shape=(a.n_units, p))
    cap = scipy.sparse.csr_matrix((a.pair_cap, (rows, cols)), shape=(a.n_units, p))
    return _DeviceModel(g, d, ops.sparse.csr_matrix(ones), ops.sparse.csr_matrix(cap))


def _alive_edges(xp: ModuleType, d: dict[str, Any], fs: Any, fn: Any, check: bool) -> Any:
    seg = d["x_seg"]
    alive = xp.where(seg[None, :] >= 0, ~fs[:, xp.maximum(seg, 0)], True)
    if check:
        alive &= ~fn[:, d["x_nu"]] & ~fn[:, d["x_nv"]]
    return alive


def _evaluate(
    ops: _Ops, a: ImpactArrays, m: _DeviceModel, fs: Any, fn: Any, served: bool
) -> KernelOutput:
    xp, d, g = ops.xp, m.arrays, m.g
    b, u = int(fs.shape[0]), a.n_units
    rows = xp.arange(b)[:, None]
    alive = _alive_edges(xp, d, fs, fn, g.n_parts == a.n_nodes)
    label = components(xp, g.n_parts, d["x_u"], d["x_v"], alive)
    # parts holding a surviving core node
    core = xp.zeros((b, g.n_parts), dtype=bool)
    r, c = xp.nonzero(xp.broadcast_to(~fn[:, d["core_node"]], (b, len(g.core_part))))
    core[r, label[r, d["core_part"][c]]] = True
    # units with a member that reaches the core
    reach = ~fn[:, d["uc_node"]] & core[rows, label[:, d["uc_part"]]]
    iso = xp.ones((b, u), dtype=bool)
    r, c = xp.nonzero(reach)
    iso[r, d["uc_unit"][c]] = False
    if not served:  # isolation only (run_batch's served=False)
        return KernelOutput(ops.to_numpy(iso), np.zeros((b, u)), np.zeros((b, u), dtype=np.int32))
    fserved = _served(ops, a, d, rows, fs, fn, alive, label, core).T.astype(xp.float64)  # (P, B)
    cap = (m.unit_cap @ fserved).T
    cab = (m.unit_sum @ fserved).T
    return KernelOutput(
        isolated=ops.to_numpy(iso),
        capacity_mbps=np.ascontiguousarray(ops.to_numpy(cap), dtype=np.float64),
        cables=np.ascontiguousarray(ops.to_numpy(cab)).astype(np.int32),
    )


def _served(
    ops: _Ops,
    a: ImpactArrays,
    d: dict[str, Any],
    rows: Any,
    fs: Any,
    fn: Any,
    alive: Any,
    label: Any,
    core: Any,
) -> Any:
    """(B, P) bool: pair (cable, unit) is served in each scenario."""
    xp = ops.xp
    b = int(fs.shape[0])
    seg = d["x_seg"] >= 0
    clabel = components(xp, a.n_copies, d["x_qu"][seg], d["x_qv"][seg], alive[:, seg])
    land = d["land_copy"]
    comp = clabel[:, land]  # (B, L) component of each landing copy
    live = ~fn[:, d["land_node"]] & core[rows, label[:, d["land_part"]]]
    country = xp.broadcast_to(d["land_country"][None, :], comp.shape)
    flat = comp + (xp.arange(b, dtype=comp.dtype) * a.n_copies)[:, None]
    lo = xp.full(b * a.n_copies, np.iinfo(np.int32).max, dtype=xp.int32)
    hi = xp.full(b * a.n_copies, -1, dtype=xp.int32)
    ops.scatter_min(lo, flat[live], country[live].astype(xp.int32))
    ops.scatter_max(hi, flat[live], country[live].astype(xp.int32))
    other = (lo[flat] < country) | (hi[flat] > country)  # a live landing in another country
    pair = d["land_pair"]
    served = xp.zeros((b, a.n_pairs), dtype=bool)
    r, c = xp.nonzero(other & (pair >= 0)[None, :])
    served[r, pair[c]] = True
    return served


def _check(a: ImpactArrays, failed_segments: Any, failed_nodes: Any) -> tuple[Any, Any, bool]:
    fs = np.ascontiguousarray(failed_segments, dtype=np.bool_)
    if fs.ndim != 2 or fs.shape[1] != a.n_segments:
        raise InvalidScenarioError(
            f"failed segments must have shape (batch, {a.n_segments}), got {fs.shape}"
        )
    if failed_nodes is None:
        return fs, a.node_failed[None, :], False
    fn = np.asarray(failed_nodes, dtype=bool)
    fn = fn[None, :] if fn.ndim == 1 else fn
    if fn.ndim != 2 or fn.shape[1] != a.n_nodes or fn.shape[0] not in (1, len(fs)):
        raise InvalidScenarioError(
            f"failed nodes must have shape ({len(fs)} or 1, {a.n_nodes}), got {fn.shape}"
        )
    fn = fn | a.node_failed[None, :]
    extra = bool((fn & ~a.node_failed[None, :]).any())
    return fs, fn, extra


@dataclass
class _ArrayKernel:
    """A kernel (``run_batch``'s signature) on an array module, caching device arrays."""

    xp: ModuleType
    _cache: dict[tuple[int, bool], tuple[ImpactArrays, _DeviceModel]] = field(
        default_factory=dict, repr=False
    )

    def __call__(
        self,
        arrays: ImpactArrays,
        failed_segments: Any,
        failed_nodes: Any = None,
        *,
        served: bool = True,
    ) -> KernelOutput:
        fs, fn, extra = _check(arrays, failed_segments, failed_nodes)
        if len(fs) == 0:
            u = arrays.n_units
            return KernelOutput(
                np.ones((0, u), bool), np.zeros((0, u)), np.zeros((0, u), dtype=np.int32)
            )
        ops = _ops(self.xp)
        model = self._model(ops, arrays, extra)
        # fn stays (1, N) when shared by the batch: broadcast on the device, never copied
        return _evaluate(ops, arrays, model, self.xp.asarray(fs), self.xp.asarray(fn), served)

    def _model(self, ops: _Ops, a: ImpactArrays, extra: bool) -> _DeviceModel:
        key = (id(a), extra)
        hit = self._cache.get(key)
        if hit is None or hit[0] is not a:
            if len(self._cache) > 4:
                self._cache.clear()
            hit = (a, _device_model(ops, a, a.expanded if extra else a.contracted))
            self._cache[key] = hit
        return hit[1]


_NUMPY_KERNEL = _ArrayKernel(np)


def array_batch(
    arrays: ImpactArrays, failed_segments: Any, failed_nodes: Any = None, *, served: bool = True
) -> KernelOutput:
    """The GPU algorithm on NumPy arrays (same signature and outputs as ``run_batch``).

    A vectorised CPU reference for :func:`gpu_batch`: the tests compare it with the
    numba kernel bit for bit, so the GPU path is checked on machines without a GPU.
    """
    return _NUMPY_KERNEL(arrays, failed_segments, failed_nodes, served=served)


_GPU_KERNEL: _ArrayKernel | None = None


def gpu_batch(
    arrays: ImpactArrays, failed_segments: Any, failed_nodes: Any = None, *, served: bool = True
) -> KernelOutput:
    """Evaluate a batch on the GPU (same signature and outputs as ``run_batch``).

    Raises
    ------
    MissingExtraError
        CuPy is not installed.
    ExecutorUnavailableError
        No CUDA device.
    """
    global _GPU_KERNEL
    if _GPU_KERNEL is None:
        require_gpu()
        _GPU_KERNEL = _ArrayKernel(_cupy())
    return _GPU_KERNEL(arrays, failed_segments, failed_nodes, served=served)


# --------------------------------------------------------------------------- executor


@dataclass(frozen=True)
class GpuExecutor:
    """Run every batch on the GPU, one after another; partials merge on the host.

    Scenarios are drawn on the CPU exactly as for the other executors (batch ``k`` from
    ``batch_rng(seed, k)``), so results are bitwise identical to theirs.

    Raises
    ------
    MissingExtraError, ExecutorUnavailableError
        At construction: no CuPy, or no CUDA device (the local executor is never
        substituted silently).
    """

    device_name: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "device_name", require_gpu())

    @property
    def name(self) -> str:
        return "gpu"

    def map_reduce(self, task: Any, *, progress: Callable[[int], None] | None = None) -> Any:
        """Run all batches of ``task`` on the GPU and merge their partials."""
        acc = task.empty()
        for k in range(task.n_batches):
            acc = task.merge(acc, task.run(k, gpu_batch))
            if progress is not None:
                progress(task.batch_len(k))
        return acc
