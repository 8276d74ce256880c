"""Command outputs shown in the docs, re-run from the tool (so they cannot drift).

A fenced ``text`` block whose first line is ``$ undersea ...`` shows one command and
what it prints; a block holding several ``$ undersea`` lines shows each in turn. Blocks
with a line ``...`` are abridged on purpose and are neither checked nor rewritten.

``python scripts/doc_outputs.py`` rewrites every such block of ``DOCS`` with what the tool
prints now (reference data from ``$UNDERSEA_DATA`` or ``../shared/data``, terminal width
``WIDTH``); ``tests/test_doc_outputs.py`` fails when a block differs.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
DOCS = ("docs/routes.md",)
WIDTH = 110
_BLOCK = re.compile(r"```text\n(\$ undersea .*?)```", re.S)


class Shown(NamedTuple):
    """One command line of a docs page and the output the page shows for it."""

    page: str
    command: str
    output: str


def _split(block: str) -> list[tuple[str, str]]:
    """(command, shown output) pairs of one block."""
    out: list[tuple[str, str]] = []
    for chunk in re.split(r"^(?=\$ undersea )", block, flags=re.M):
        if chunk.strip():
            lines = chunk.split("\n")
            n = 1
            while lines[n - 1].rstrip().endswith("\\") and n < len(lines):
                n += 1  # a command continued on the next line
            command = "\n".join(lines[:n]).removeprefix("$ ").strip()
            out.append((command, "\n".join(lines[n:])))
    return out


def shown(page: str) -> list[Shown]:
    """The checked command outputs of one docs page, in order."""
    text = (ROOT / page).read_text(encoding="utf-8")
    return [
        Shown(page, cmd, output)
        for m in _BLOCK.finditer(text)
        if not re.search(r"^\.\.\.$", m.group(1), re.M)
        for cmd, output in _split(m.group(1))
    ]


def run(command: str, data: Path) -> str:
    """What ``command`` prints (stdout then stderr), as a terminal WIDTH columns wide."""
    env = {**os.environ, "UNDERSEA_DATA": str(data), "COLUMNS": str(WIDTH), "NO_COLOR": "1"}
    words = shlex.split(command.replace("\\\n", " "), comments=True)
    argv = [sys.executable, "-m", "undersea", *words[1:]]
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return "\n".join(line.rstrip() for line in (done.stdout + done.stderr).splitlines()) + "\n"


def normalised(text: str) -> str:
    """Lines without trailing spaces and without blank lines at the end."""
    return "\n".join(line.rstrip() for line in text.rstrip().splitlines())


def rewrite(page: str, data: Path) -> None:
    """Replace every checked block of ``page`` with fresh outputs."""
    path = ROOT / page
    text = path.read_text(encoding="utf-8")

    def fresh(m: re.Match[str]) -> str:
        if re.search(r"^\.\.\.$", m.group(1), re.M):
            return m.group(0)
        parts = [f"$ {cmd}\n{run(cmd, data)}" for cmd, _ in _split(m.group(1))]
        return "```text\n" + "".join(parts) + "```"

    path.write_text(_BLOCK.sub(fresh, text), encoding="utf-8")


def data_dir() -> Path:
    env = os.environ.get("UNDERSEA_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


if __name__ == "__main__":
    for page in DOCS:
        rewrite(page, data_dir())
        print(f"rewrote {page}")
