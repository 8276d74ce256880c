"""GPU executor: the array algorithm is checked on NumPy here; CuPy runs only on a GPU."""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

import undersea
from undersea import MissingExtraError
from undersea._errors import ExecutorUnavailableError
from undersea.analysis.impact import impact_model
from undersea.analysis.risk import risk
from undersea.engine import gpu
from undersea.engine.executors import LocalExecutor, make_executor
from undersea.engine.kernels import run_batch
from undersea.network.synthetic import synthetic
from undersea.scenarios.hazards import LengthProportional

FIELDS = ("isolated", "capacity_mbps", "cables")


@pytest.fixture(scope="module")
def sample_model():
    return impact_model(undersea.load(sample=True))


@pytest.fixture(scope="module")
def synthetic_model():
    return impact_model(synthetic(0.1, seed=3))


def _equal(a, b) -> None:
    for f in FIELDS:
        x, y = getattr(a, f), getattr(b, f)
        assert x.dtype == y.dtype, f
        assert np.array_equal(x, y), f


@pytest.mark.parametrize("model", ["sample_model", "synthetic_model"])
@pytest.mark.parametrize("p", [0.0, 0.05, 0.3, 0.95])
def test_array_kernel_bitwise_equal_to_cpu(request, model, p):
    a = request.getfixturevalue(model).arrays
    fs = np.random.default_rng(int(p * 100)).random((48, a.n_segments)) < p
    cpu = run_batch(a, fs)
    _equal(cpu, gpu.array_batch(a, fs))
    _equal(run_batch(a, fs, served=False), gpu.array_batch(a, fs, served=False))
    np.testing.assert_array_equal(gpu.array_batch(a, fs, served=False).isolated, cpu.isolated)
    if p == 0.3:
        assert cpu.isolated.any()
        assert not cpu.isolated.all()


def test_array_kernel_with_failed_nodes(synthetic_model):
    a = synthetic_model.arrays
    rng = np.random.default_rng(9)
    fs = rng.random((32, a.n_segments)) < 0.05
    fn = rng.random((32, a.n_nodes)) < 0.05
    _equal(run_batch(a, fs, fn), gpu.array_batch(a, fs, fn))
    one = rng.random(a.n_nodes) < 0.1  # (N,) broadcast over the batch
    _equal(run_batch(a, fs, one), gpu.array_batch(a, fs, one))


def test_array_kernel_empty_batch(sample_model):
    a = sample_model.arrays
    out = gpu.array_batch(a, np.zeros((0, a.n_segments), dtype=bool))
    assert out.isolated.shape == (0, a.n_units)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 30),
    edges=st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29)), max_size=60),
    seed=st.integers(0, 2**16),
)
def test_components_partition_matches_scipy(n, edges, seed):
    e = np.array([(u % n, v % n) for u, v in edges], dtype=np.int64).reshape(-1, 2)
    alive = np.random.default_rng(seed).random((3, len(e))) < 0.6
    labels = gpu.components(np, n, e[:, 0], e[:, 1], alive)
    for b in range(3):
        ok = e[alive[b]]
        g = coo_matrix((np.ones(len(ok)), (ok[:, 0], ok[:, 1])), shape=(n, n))
        _, ref = connected_components(g, directed=False)
        same = labels[b][:, None] == labels[b][None, :]
        assert np.array_equal(same, ref[:, None] == ref[None, :])
        assert np.array_equal(labels[b][labels[b]], labels[b])  # a label is a member


def test_gpu_executor_plumbing_matches_local(monkeypatch):
    """GpuExecutor with the NumPy backend standing in for CuPy: same bits as local."""
    monkeypatch.setattr(gpu, "require_gpu", lambda: "Fake GPU")
    monkeypatch.setattr(gpu, "gpu_batch", gpu.array_batch)
    net = undersea.load(sample=True)
    hz = LengthProportional(rate_per_1000km=0.3)
    ex = make_executor("auto")  # a GPU "is present": auto picks it
    assert isinstance(ex, gpu.GpuExecutor)
    assert ex.device_name == "Fake GPU"
    done: list[int] = []
    on_gpu = risk(net, hz, n_scenarios=600, seed=2, batch_size=128, executor=ex,
                  progress=lambda d, t: done.append(d))  # fmt: skip
    local = risk(net, hz, n_scenarios=600, seed=2, batch_size=128, executor=LocalExecutor())
    assert on_gpu.executor == "gpu"
    assert on_gpu.partial == local.partial
    assert done[-1] == 600


def test_missing_cupy(monkeypatch):
    monkeypatch.setitem(sys.modules, "cupy", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'undersea\[gpu\]'"):
        gpu.require_gpu()
    with pytest.raises(MissingExtraError):
        make_executor("gpu")  # never the local executor instead
    assert not gpu.gpu_available()
    assert make_executor("auto").name == "local"


def test_no_device(monkeypatch):
    def no_device() -> int:
        raise RuntimeError("cudaErrorNoDevice: no CUDA-capable device is detected")

    fake = types.ModuleType("cupy")
    fake.cuda = types.SimpleNamespace(runtime=types.SimpleNamespace(getDeviceCount=no_device))
    monkeypatch.setitem(sys.modules, "cupy", fake)
    with pytest.raises(ExecutorUnavailableError) as info:
        gpu.GpuExecutor()
    msg = str(info.value)
    assert msg.startswith("no CUDA GPU is available")
    assert "--executor local" in msg
    assert "\n" not in msg


def _real_gpu() -> bool:
    return gpu.gpu_available()


@pytest.mark.skipif(not _real_gpu(), reason="needs CuPy and a CUDA GPU (the [gpu] extra)")
def test_cupy_kernel_bitwise_equal_to_cpu(synthetic_model):  # pragma: no cover - GPU only
    a = synthetic_model.arrays
    fs = np.random.default_rng(1).random((256, a.n_segments)) < 0.1
    _equal(run_batch(a, fs), gpu.gpu_batch(a, fs))
    _equal(run_batch(a, fs, served=False), gpu.gpu_batch(a, fs, served=False))
