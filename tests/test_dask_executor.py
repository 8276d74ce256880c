"""Dask executor: batches on a LocalCluster, tree reduction, bitwise-equal to local."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("distributed", reason="needs the [dask] extra (dask[distributed])")

import undersea
from undersea import InvalidArgumentError, MissingExtraError, UnknownNameError
from undersea._errors import ExecutorUnavailableError
from undersea.analysis.risk import risk
from undersea.cli import main
from undersea.engine.dask_executor import DaskExecutor
from undersea.engine.executors import LocalExecutor, make_executor, open_executor
from undersea.scenarios.hazards import LengthProportional

HAZARD = LengthProportional(rate_per_1000km=0.3)


@pytest.fixture(scope="module")
def dask_ex():
    """One in-process LocalCluster with 2 workers for the whole module."""
    with DaskExecutor(workers=2) as ex:
        yield ex


@pytest.fixture(scope="module")
def net():
    return undersea.load(sample=True)


@dataclass(frozen=True)
class SumTask:
    """A toy BatchTask: batch k returns its numbers; merge adds; records nothing else."""

    n_batches: int
    fail_at: int = -1

    def batch_len(self, k: int) -> int:
        return k + 1

    def run(self, k: int, kernel: object) -> tuple[int, int]:
        if k == self.fail_at:
            raise ValueError(f"batch {k} failed")
        return (1, k * k)

    def merge(self, a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
        return (a[0] + b[0], a[1] + b[1])

    def empty(self) -> tuple[int, int]:
        return (0, 0)


def _same(a, b) -> None:
    pa, pb = a.partial, b.partial
    assert pa.n == pb.n
    assert np.array_equal(pa.isolated, pb.isolated)
    assert np.array_equal(pa.severe, pb.severe)
    assert np.array_equal(pa.sum_lost, pb.sum_lost)
    assert np.array_equal(pa.sum_sq, pb.sum_sq)
    pd.testing.assert_frame_equal(a.countries, b.countries, check_exact=True)


@pytest.mark.parametrize(("n", "batch"), [(1000, 64), (257, 300), (120, 1)])
def test_risk_bitwise_equal_to_local(net, dask_ex, n, batch):
    local = risk(net, HAZARD, n_scenarios=n, seed=7, batch_size=batch, executor=LocalExecutor())
    remote = risk(net, HAZARD, n_scenarios=n, seed=7, batch_size=batch, executor=dask_ex)
    assert remote.executor == "dask"
    assert local.executor == "local"
    _same(local, remote)
    assert (local.countries["p_isolated"] > 0).any()  # a real, non-trivial result


def test_risk_rerouted_bitwise_equal_to_local(net, dask_ex):
    kw = {"n_scenarios": 300, "seed": 7, "batch_size": 64, "rerouted": True}
    local = risk(net, HAZARD, executor=LocalExecutor(), **kw)
    remote = risk(net, HAZARD, executor=dask_ex, **kw)
    _same(local, remote)
    assert local.partial == remote.partial  # the rerouted sums too
    df = local.countries
    assert df["expected_lost_share_rerouted"].between(0, 1).all()
    assert (df["p_severe_rerouted"] > 0).any()


def test_other_seed_differs(net, dask_ex):
    a = risk(net, HAZARD, n_scenarios=500, seed=1, batch_size=50, executor=dask_ex)
    b = risk(net, HAZARD, n_scenarios=500, seed=2, batch_size=50, executor=dask_ex)
    assert not np.array_equal(a.partial.isolated, b.partial.isolated)


def test_tree_reduce_all_batches_once(dask_ex):
    seen = []
    out = dask_ex.map_reduce(SumTask(37), progress=seen.append)
    assert out == (37, sum(k * k for k in range(37)))
    assert sorted(seen) == [k + 1 for k in range(37)]


def test_window_bounds_in_flight():
    with DaskExecutor(workers=2, window=1) as ex:
        assert ex.map_reduce(SumTask(5)) == (5, 30)


def test_empty_task(dask_ex):
    assert dask_ex.map_reduce(SumTask(0)) == (0, 0)


def test_worker_error_surfaces(dask_ex):
    with pytest.raises(ValueError, match="batch 3 failed"):
        dask_ex.map_reduce(SumTask(8, fail_at=3))
    assert dask_ex.map_reduce(SumTask(4)) == (4, 14)  # the cluster is still usable


def test_remote_scheduler_address(net):
    """A scheduler given by tcp:// address, as with --scheduler."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
        dashboard_address=":0",
    ) as cluster:  # fmt: skip
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        with open_executor("dask", scheduler=address) as ex:
            assert isinstance(ex, DaskExecutor)
            remote = risk(net, HAZARD, n_scenarios=300, seed=3, batch_size=40, executor=ex)
        with open_executor("auto", scheduler=address) as ex:
            assert ex.name == "dask"
    local = risk(net, HAZARD, n_scenarios=300, seed=3, batch_size=40)
    _same(local, remote)


def test_unreachable_scheduler_one_line_fast():
    t = time.perf_counter()
    with pytest.raises(ExecutorUnavailableError) as info:
        make_executor("dask", scheduler="tcp://127.0.0.1:9")
    assert time.perf_counter() - t < 8
    msg = str(info.value)
    assert "\n" not in msg
    assert "tcp://127.0.0.1:9" in msg
    assert "dask scheduler" in msg


def test_missing_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(MissingExtraError, match=r"undersea\[dask\]"):
        DaskExecutor()
    with pytest.raises(MissingExtraError, match=r"undersea\[dask\]"):
        make_executor("dask")


def test_make_executor_choices():
    assert isinstance(make_executor("local", workers=1), LocalExecutor)
    assert make_executor("auto").name in ("local", "gpu")  # never dask without a scheduler
    with pytest.raises(InvalidArgumentError, match="scheduler needs"):
        make_executor("local", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(UnknownNameError, match="did you mean"):
        make_executor("dusk")


@pytest.mark.parametrize(("field", "value"), [("workers", 0), ("window", -1), ("timeout_s", 0)])
def test_bad_parameters(field, value):
    with pytest.raises(InvalidArgumentError, match=field):
        DaskExecutor(**{field: value})


def _cli_json(capsys, *extra: str) -> dict:
    import json

    args = ["risk", "--sample", "--scenarios", "400", "--seed", "5", "--batch-size", "50"]
    try:
        main([*args, "--format", "json", *extra])
    except SystemExit as exc:  # pragma: no cover - only on failure
        pytest.fail(f"exit {exc.code}: {capsys.readouterr().err}")
    return json.loads(capsys.readouterr().out)


def test_cli_dask_equals_local(capsys):
    local = _cli_json(capsys, "--executor", "local")
    remote = _cli_json(capsys, "--executor", "dask", "--workers", "2")
    assert remote.pop("executor") == "dask"
    assert local.pop("executor") == "local"
    assert remote == local


def test_cli_unreachable_scheduler(capsys):
    with pytest.raises(SystemExit) as info:
        main(["risk", "--sample", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: cannot reach the Dask scheduler")
    assert len(err.splitlines()) == 1


def test_open_executor_closes_the_cluster():
    from undersea.engine.executors import Executor

    with open_executor("dask", workers=1) as ex:
        assert isinstance(ex, Executor)
        assert ex.n_threads() == 1
    assert ex._client is None
    assert ex._cluster is None
