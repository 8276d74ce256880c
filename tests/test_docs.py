"""The documentation site: the CLI reference matches --help, and mkdocs builds strictly."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_cli_reference_has_not_drifted() -> None:
    gen = _script("gen_cli_docs")
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert gen.render() == committed, (
        "docs/cli.md is out of date: run `python scripts/gen_cli_docs.py`"
    )


def test_cli_reference_covers_every_command() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for title in ("`undersea export`", "`undersea sql`", "`undersea data pull`"):
        assert title in text
    assert text.count("Example: undersea") >= 5


def test_readme_links_are_rewritten_for_the_site() -> None:
    hooks = _script("mkdocs_hooks")
    md = "See [routes](docs/routes.md#api), [bench](benchmarks/README.md), [x](https://a.b/c)."
    assert hooks.readme_markdown(md) == (
        "See [routes](routes.md#api), bench (`benchmarks/README.md`), [x](https://a.b/c)."
    )


def test_numpydoc_becomes_markdown() -> None:
    hooks = _script("mkdocs_hooks")
    doc = (
        "Summary with :func:`undersea.load`.\n\nParameters\n----------\nnet\n"
        "    The network.\n\nExamples\n--------\n>>> 1 + 1\n2\n"
    )
    md = hooks.numpydoc_markdown(doc)
    assert "`load`" in md
    assert "**Parameters**" in md
    assert "- `net`: The network." in md
    assert "```pycon\n>>> 1 + 1\n2\n```" in md


def test_api_page_documents_the_public_modules() -> None:
    api = _script("mkdocs_hooks").api_markdown()
    for name in (
        "## `undersea.outputs.export`",
        "## `undersea.outputs.sql`",
        "### `write_table`",
        "`load`",
    ):
        assert name in api


@pytest.mark.slow
def test_mkdocs_build_is_strict_clean(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "WARNING" not in log, log
    home = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Quick start" in home  # README.md made it into the home page
    assert (tmp_path / "cli" / "index.html").is_file()
    assert (tmp_path / "api" / "index.html").is_file()
    shutil.rmtree(tmp_path, ignore_errors=True)
