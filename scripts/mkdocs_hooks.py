"""MkDocs hooks: the site is built from README.md, the docs/ pages and the docstrings.

* ``on_config`` builds the navigation from the pages that exist (a known order first, then
  any other page alphabetically), so a new ``docs/<area>.md`` appears without editing
  ``mkdocs.yml`` and a missing one never breaks the build.
* ``on_page_markdown`` replaces the ``<!-- README -->`` marker of ``docs/index.md`` with
  README.md, its links rewritten for the site (``docs/x.md`` -> ``x.md``; links to files
  outside the site become code spans).
* ``on_files`` adds ``api.md``, generated from the public modules' docstrings (numpydoc
  turned into Markdown), so the API reference cannot drift from the code.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
README_MARKER = "<!-- README -->"
#: Pages in reading order; others follow alphabetically (``api.md`` is generated).
NAV_ORDER = [
    ("Home", "index.md"),
    ("Hubs", "hubs.md"),
    ("Routes", "routes.md"),
    ("Failures", "failures.md"),
    ("Validation", "validation.md"),
    ("Web app", "web.md"),
    ("Reports, exports and SQL", "reports.md"),
    ("Command line", "cli.md"),
    ("Python API", "api.md"),
]
#: Modules documented on the API page, in order (analysis modules are added as found).
API_MODULES = [
    "undersea",
    "undersea.network.core",
    "undersea.outputs.export",
    "undersea.outputs.sql",
    "undersea.outputs.report",
]


# ---------------------------------------------------------------------------- navigation
def on_config(config: Any) -> Any:
    docs = Path(config["docs_dir"])
    present = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")} | {"api.md"}
    known = {page for _, page in NAV_ORDER}
    nav: list[dict[str, str]] = [{t: p} for t, p in NAV_ORDER if p in present]
    nav += [{_title(docs / p, p): p} for p in sorted(present - known)]
    config["nav"] = nav
    return config


def _title(path: Path, page: str) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return Path(page).stem.replace("_", " ").capitalize()


# ---------------------------------------------------------------------------- README
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)")


def readme_markdown(text: str) -> str:
    """README.md with its links fixed for a site whose root is docs/."""

    def fix(m: re.Match[str]) -> str:
        bang, label, target = m.groups()
        if re.match(r"^[a-z]+:|^#", target):  # absolute URL or in-page anchor
            return m.group(0)
        path, _, anchor = target.partition("#")
        if path.startswith("docs/"):
            return f"{bang}[{label}]({path[5:]}{'#' + anchor if anchor else ''})"
        return f"{label} (`{path}`)" if label and label != path else f"`{path}`"

    return _LINK.sub(fix, text)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if README_MARKER not in markdown:
        return markdown
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    return markdown.replace(README_MARKER, readme_markdown(text))


# ---------------------------------------------------------------------------- API page
def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    files.append(File.generated(config, "api.md", content=api_markdown()))
    return files


def api_markdown() -> str:
    """The API reference: each module's docstring, then each public name's."""
    parts = [
        "# Python API\n",
        "<!-- Generated at build time from the docstrings by scripts/mkdocs_hooks.py. -->\n",
    ]
    for name in _modules():
        try:
            mod = importlib.import_module(name)
        except ImportError:  # an optional module whose extra is missing
            continue
        parts.append(f"## `{name}`\n\n{numpydoc_markdown(inspect.getdoc(mod) or '')}\n")
        if name == "undersea":  # the package re-exports; documented where they live
            parts.append(_export_list(mod))
            continue
        for member in getattr(mod, "__all__", []):
            parts.append(_member(name, member, getattr(mod, member, None)))
    return "\n".join(parts)


def _modules() -> list[str]:
    names = list(API_MODULES)
    try:
        import undersea.analysis as analysis
    except ImportError:
        return names
    names += sorted(
        f"undersea.analysis.{m.name}"
        for m in pkgutil.iter_modules(analysis.__path__)
        if not m.name.startswith("_")
    )
    return names


def _export_list(mod: Any) -> str:
    names = [n for n in getattr(mod, "__all__", []) if not n.startswith("_")]
    return "Re-exported names: " + ", ".join(f"`{n}`" for n in names) + "\n"


def _entry(level: str, title: str, obj: Any) -> str:
    """A heading with the bare name, the signature as code, then the docstring."""
    doc = numpydoc_markdown(inspect.getdoc(obj) or "")
    return f"{level} `{title}`\n\n```python\n{title}{_signature(obj)}\n```\n\n{doc}\n"


def _member(module: str, name: str, obj: Any) -> str:
    if obj is None or (callable(obj) and getattr(obj, "__module__", module) != module):
        return ""  # re-exported from elsewhere: documented there
    if inspect.isclass(obj):
        out = [_entry("###", name, obj)]
        for attr, fn in inspect.getmembers(obj, inspect.isfunction):
            if attr.startswith("_") or fn.__qualname__.split(".")[0] != obj.__name__:
                continue
            out.append(_entry("####", f"{name}.{attr}", fn))
        return "\n".join(out)
    if callable(obj):
        return _entry("###", name, obj)
    return f"### `{name}`\n\n`{type(obj).__name__}` constant.\n"


def _signature(obj: Any) -> str:
    try:
        sig = str(inspect.signature(obj))
    except (TypeError, ValueError):
        return "(...)"
    sig = re.sub(r"(: |-> )'([^']*)'", r"\1\2", sig)  # postponed annotations are strings
    return re.sub(r"\s+", " ", sig)


_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")
_SECTION = re.compile(r"^(\w[\w ]*)\n-{3,}$", re.MULTILINE)


def numpydoc_markdown(doc: str) -> str:
    """numpydoc text as Markdown: sections as bold titles, doctests fenced, roles as code."""
    doc = _ROLE.sub(lambda m: f"`{m.group(1).split('.')[-1]}`", doc)
    doc = doc.replace("``", "`")
    doc = _SECTION.sub(lambda m: f"**{m.group(1)}**\n", doc)
    out: list[str] = []
    in_code = bare_param = False
    for line in doc.splitlines():
        is_code = line.lstrip().startswith((">>>", "...")) or (in_code and line.strip() != "")
        if is_code and not in_code:
            out.append("```pycon")
        if in_code and not is_code:
            out.append("```")
        new_param = False
        if is_code:
            out.append(line)
        elif bare_param and line[:4] == "    ":
            out[-1] += ": " + line.strip()  # first line of a parameter's description
        else:
            out.append(_param_line(line))
            new_param = out[-1].startswith("- `") and not line.startswith("- ")
        bare_param, in_code = new_param, is_code
    if in_code:
        out.append("```")
    return textwrap.dedent("\n".join(out))


def _param_line(line: str) -> str:
    # "name" or "name, other" at column 0 directly before an indented description
    if re.fullmatch(r"[A-Za-z_][\w, ]*", line) and line.strip() and " " not in line.strip(", "):
        return f"- `{line}`"
    if re.fullmatch(r"[A-Za-z_]\w*(, [A-Za-z_]\w*)+", line):
        return f"- `{line}`"
    return line.strip() if line.startswith("    ") else line
