"""Every benchmark script still imports and parses its arguments (``--help``).

The benchmarks are not run here (they take minutes and time nothing a test can judge),
but a script broken by a move in the package (bench_planning.py imported a module that
no longer existed) is found at once instead of when someone next measures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = sorted((Path(__file__).resolve().parents[1] / "benchmarks").glob("*.py"))


def test_the_benchmarks_are_found() -> None:
    assert {"bench_impact.py", "bench_planning.py", "gpu_check.py"} <= {p.name for p in BENCHMARKS}


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_benchmark_script_imports_and_parses_arguments(script: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout
