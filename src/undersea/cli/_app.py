"""The Typer application, error translation and the entry point."""

from __future__ import annotations

import inspect
import re
import sys
import warnings
from typing import TextIO

import typer

try:  # typer >= 0.16 vendors click
    from typer import _click
except ImportError:  # pragma: no cover - older typer depends on click
    import click as _click  # type: ignore[no-redef]
from rich.console import Console

from undersea._errors import UnderseaError, UnderseaWarning, respell

__all__ = ["app", "cli_message", "data_app", "err_console", "main"]

app = typer.Typer(
    name="undersea",
    help="Model the physical backbone of the international internet: submarine cables, "
    "landing stations, metros and land links.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
data_app = typer.Typer(help="Fetch and inspect the reference data.", no_args_is_help=True)
app.add_typer(data_app, name="data")

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


@app.callback()
def _load_policy(
    strict_data: bool = typer.Option(
        False,
        "--strict-data",
        help="Data quality: fail when any record of the data is skipped or repaired while "
        "loading (given before the command: undersea --strict-data hubs). Not the --strict "
        "of route, matrix and resolve, which refuses a place name borne by several places.",
    ),
    strict: bool = typer.Option(
        False, "--strict", hidden=True, help="Deprecated spelling of --strict-data."
    ),
    allow_partial: bool = typer.Option(
        False,
        "--allow-partial",
        help="Load a snapshot that lacks a required file (route or landing geometry) or "
        "records its pull could not fetch (data pull --allow-partial), with the fallback "
        "and a warning.",
    ),
) -> None:
    """Model the physical backbone of the international internet: submarine cables,
    landing stations, metros and land links."""
    from undersea.cli._options import LOAD_POLICY

    if strict:
        err_console.print(
            "warning: `undersea --strict` is deprecated: say `undersea --strict-data` (data "
            "quality); `--strict` after route, matrix or resolve refuses ambiguous place names",
            markup=False,
        )
    LOAD_POLICY.update(strict=strict_data or strict, allow_partial=allow_partial)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """undersea's warnings as one ``warning: ...`` line on stderr; others as Python does."""
    if issubclass(category, UnderseaWarning):
        err_console.print(f"warning: {message}", markup=False)
    else:
        _python_showwarning(message, category, filename, lineno, file, line)


_python_showwarning = warnings.showwarning


def _register() -> None:
    # Command modules register themselves on import; imported here to avoid cycles.
    from undersea.cli import _commands  # noqa: F401

    _unwrap_help(app)


_LIST_ITEM = re.compile(r"\s*(?:[-*]|\d+\.)\s")


def unwrap(text: str) -> str:
    r"""Help text with each paragraph's source line breaks joined (list items and ``\b``
    paragraphs kept): rich keeps single line breaks, so a docstring wrapped at 88 columns
    came out ragged in an 80-column terminal.

    >>> unwrap("One line\n    and more.\n\n    - a\n    - b")
    'One line and more.\n\n- a\n- b'
    """
    paragraphs = []
    for para in inspect.cleandoc(text).split("\n\n"):
        lines = para.split("\n")
        if para.startswith("\b"):
            paragraphs.append(para)
            continue
        merged = [lines[0]]
        for line in lines[1:]:
            if _LIST_ITEM.match(line):
                merged.append(line)
            else:
                merged[-1] = f"{merged[-1]} {line.strip()}"
        paragraphs.append("\n".join(merged))
    return "\n\n".join(paragraphs)


def _unwrap_help(typer_app: typer.Typer) -> None:
    for info in typer_app.registered_commands:
        text = info.help or (info.callback.__doc__ if info.callback else None)
        if text:
            info.help = unwrap(text)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _unwrap_help(group.typer_instance)


def cli_message(exc: UnderseaError) -> str:
    """The message of a library error as the CLI prints it: a library parameter it names
    (``include_planned=True``) is written as the CLI's flag (``--planned``), as
    :data:`undersea._errors.SPELLINGS` spells it.

    >>> from undersea._errors import InvalidArgumentError
    >>> cli_message(InvalidArgumentError("planned: pass include_planned=True"))
    'planned: pass --planned'
    """
    return respell(str(exc), "cli")


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app, turning user errors into one line."""
    _register()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default", UnderseaWarning)  # shown, never raised
            warnings.showwarning = _show_warning
            code = app(args=argv, standalone_mode=False)
    except UnderseaError as exc:
        err_console.print(f"error: {cli_message(exc)}", markup=False)
        sys.exit(2)
    except typer.Abort:
        err_console.print("aborted", markup=False)
        sys.exit(130)
    except SystemExit:
        raise
    except OSError as exc:  # disk full, permission denied: the user's environment
        where = f" ({exc.filename})" if exc.filename else ""
        err_console.print(f"error: {exc.strerror or exc}{where}", markup=False)
        sys.exit(1)
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        if isinstance(exc, _click.exceptions.ClickException):
            err_console.print(f"error: {exc.format_message()}", markup=False)
            sys.exit(exc.exit_code)
        raise
    if isinstance(code, int) and code:
        sys.exit(code)
