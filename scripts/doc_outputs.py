"""Command outputs shown in the docs, re-run from the tool (so they cannot drift).

A fenced ``text`` block whose first line is ``$ undersea ...`` shows one command and
what it prints; a block holding several ``$ undersea`` lines shows each in turn (a
command may continue on the next line after a ``\\``; a ``# comment`` is not passed on).

* A line ``...`` in an output stands for lines left out (any number, none included):
  the lines shown around it must be what the tool prints, in order. With one ``...``
  the block shows the first and the last lines, and is rewritten with as many first and
  last lines of the fresh output; with several it is checked, never rewritten.
* A block right after the line ``<!-- not run: REASON -->`` is neither run nor rewritten:
  outputs that need a machine the tests do not have (a Dask cluster, a GPU) or depend on
  the network.
* Other blocks showing ``undersea`` command lines without outputs (```` ```console ````,
  ```` ```bash ````, or ``text`` blocks whose lines all start with ``undersea``) are
  examples: ``tests/test_doc_outputs.py`` checks that each parses (its command, options
  and values exist), without running it. A line may be a synopsis: ``[optional]`` parts
  and the first of ``a|b`` alternatives are parsed.

``python scripts/doc_outputs.py`` rewrites every checked block of ``DOCS`` with what the
tool prints now (reference data from ``$UNDERSEA_DATA`` or ``../shared/data``, terminal
width ``WIDTH``); ``tests/test_doc_outputs.py`` fails when a block differs.
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
DOCS = (
    "README.md",
    "docs/cli.md",
    "docs/failures.md",
    "docs/hubs.md",
    "docs/index.md",
    "docs/planning.md",
    "docs/reports.md",
    "docs/routes.md",
    "docs/scaling.md",
    "docs/validation.md",
    "docs/web.md",
)
WIDTH = 110
GAP = "..."
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
_NOT_RUN = re.compile(r"<!-- not run: [^>]*-->\s*$")
_COMMAND = re.compile(r"^(?:\$ )?(undersea(?: .*)?)$")


class Shown(NamedTuple):
    """One command line of a docs page and the output the page shows for it."""

    page: str
    command: str
    output: str


def _blocks(text: str) -> list[tuple[re.Match[str], bool]]:
    """Output blocks of a page (``text`` fences opening with ``$ undersea``), each with
    whether it is run (no ``<!-- not run: ... -->`` line just before it)."""
    return [
        (m, not _NOT_RUN.search(text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]))
        for m in _FENCE.finditer(text)
        if m.group(1) == "text" and m.group(2).startswith("$ undersea ")
    ]


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
        for m, run_it in _blocks(text)
        if run_it
        for cmd, output in _split(m.group(2))
    ]


def examples(page: str) -> list[str]:
    """Command lines of a page that are shown without their output (parsed, not run)."""
    text = (ROOT / page).read_text(encoding="utf-8")
    out: list[str] = []
    for m in _FENCE.finditer(text):
        lines = m.group(2).splitlines()
        if m.group(1) == "text" and (
            m.group(2).startswith("$ undersea ")
            or not all(_COMMAND.match(x) for x in lines if x.strip())
        ):
            continue  # an output block (run), or a text block that is no command list
        if m.group(1) not in ("text", "console", "bash", "sh", "shell"):
            continue
        out.extend(_command_lines(lines))
    return out


def _command_lines(lines: list[str]) -> list[str]:
    out: list[str] = []
    k = 0
    while k < len(lines):
        found = _COMMAND.match(lines[k].strip())
        k += 1
        if not found:
            continue
        command = found.group(1)
        while command.rstrip().endswith("\\") and k < len(lines):
            command = command.rstrip()[:-1] + " " + lines[k].strip()
            k += 1
        out.append(command)
    return out


def words(command: str) -> list[str]:
    """The arguments of a shown command line, after ``undersea``."""
    return shlex.split(command.replace("\\\n", " "), comments=True)[1:]


def example_words(command: str) -> list[str]:
    """The arguments of an example line, read as a synopsis: ``[optional]`` parts
    included, the first of ``a|b|c``, ``...`` dropped, up to a shell ``|``, ``>`` or ``<``."""
    out: list[str] = []
    for word in words(command):
        if word in ("|", ">", ">>", "<", "&&", ";"):
            break
        word = word.strip("[]")
        if "|" in word:
            word = word.split("|")[0]
        if word and word != GAP:
            out.append(word)
    return out


def run(command: str, data: Path) -> str:
    """What ``command`` prints (stdout then stderr), as a terminal WIDTH columns wide."""
    env = {**os.environ, "UNDERSEA_DATA": str(data), "COLUMNS": str(WIDTH), "NO_COLOR": "1"}
    argv = [sys.executable, "-m", "undersea", *words(command)]
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return "\n".join(line.rstrip() for line in (done.stdout + done.stderr).splitlines()) + "\n"


def normalised(text: str) -> str:
    """Lines without trailing spaces and without blank lines at the end."""
    return "\n".join(line.rstrip() for line in text.rstrip().splitlines())


def _parts(output: str) -> list[list[str]]:
    """The runs of shown lines between ``...`` lines."""
    parts: list[list[str]] = [[]]
    for line in normalised(output).splitlines():
        if line.strip() == GAP:
            parts.append([])
        else:
            parts[-1].append(line)
    return parts


def matches(printed: str, output: str) -> bool:
    """Whether the tool's output is what the docs show (``...`` leaves lines out)."""
    parts = _parts(output)
    lines = normalised(printed).splitlines()
    if len(parts) == 1:
        return lines == parts[0]
    head, *middle, tail = parts
    if lines[: len(head)] != head or (tail and lines[-len(tail) :] != tail):
        return False
    at, end = len(head), len(lines) - len(tail)
    for part in middle:
        found = next(
            (i for i in range(at, end - len(part) + 1) if lines[i : i + len(part)] == part),
            None,
        )
        if found is None:
            return False
        at = found + len(part)
    return at <= end


def fresh_output(printed: str, output: str) -> str | None:
    """What the block should show now: the whole output, or as many first and last lines
    as an abridged block (one ``...``) shows; None for a block that cannot be rewritten."""
    parts = _parts(output)
    lines = normalised(printed).splitlines()
    if len(parts) == 1:
        return "\n".join(lines) + "\n"
    if len(parts) > 2:
        return None
    head, tail = lines[: len(parts[0])], lines[len(lines) - len(parts[1]) :]
    return "\n".join([*head, GAP, *tail]) + "\n"


def rewrite(page: str, data: Path) -> list[str]:
    """Replace every checked block of ``page`` with fresh outputs; the commands whose
    block could not be rewritten and no longer matches (edit those by hand)."""
    path = ROOT / page
    text = path.read_text(encoding="utf-8")
    stale: list[str] = []
    pieces: list[str] = []
    at = 0
    for m, run_it in _blocks(text):
        if not run_it:
            continue
        parts = []
        for cmd, output in _split(m.group(2)):
            printed = run(cmd, data)
            new = fresh_output(printed, output)
            if new is None:
                new = output
                if not matches(printed, output):
                    stale.append(cmd)
            parts.append(f"$ {cmd}\n{new}")
        pieces += [text[at : m.start()], "```text\n" + "".join(parts) + "```"]
        at = m.end()
    path.write_text("".join([*pieces, text[at:]]), encoding="utf-8")
    return stale


def data_dir() -> Path:
    env = os.environ.get("UNDERSEA_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


if __name__ == "__main__":
    pages = sys.argv[1:] or DOCS
    for page in pages:
        for cmd in rewrite(page, data_dir()):
            print(f"{page}: `{cmd}` differs from its abridged block: edit it by hand")
        print(f"rewrote {page}")
