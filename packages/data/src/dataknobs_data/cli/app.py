"""The ``dataknobs`` Typer application and its error handling.

Every failure a user can cause (a bad option, a malformed where clause, an
unknown backend, a missing file, an unreachable server) ends the same way: one
red line on standard error, no traceback, exit code 1. The handling lives in
:class:`DataknobsGroup.main`, so it applies to the console script and to
``typer.testing.CliRunner`` alike. ``DATAKNOBS_DEBUG=1`` re-raises unexpected
errors to show their traceback.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import typer
from rich.text import Text
from typer.core import TyperGroup

from dataknobs_common import DataknobsError, redact_text
from dataknobs_data.cli import copying, demo, querying
from dataknobs_data.cli.render import stderr_console
from dataknobs_data.cli.targets import secrets_of

__all__ = ["DataknobsGroup", "app"]

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130


class DataknobsGroup(TyperGroup):
    """The command group; turns every error into one line and an exit code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; exit (or return the code when not standalone)."""
        argv = list(sys.argv[1:] if args is None else args)
        try:
            result = super().main(
                args=argv,
                prog_name=prog_name or "dataknobs",
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
            code = result if isinstance(result, int) else 0
        except typer.TyperException as exc:  # usage errors: bad option, missing argument...
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            code = _fail(exc.format_message() + hint, argv)
        except (typer.Abort, KeyboardInterrupt):
            stderr_console().print(Text("interrupted", style="red"), soft_wrap=True)
            code = EXIT_INTERRUPTED
        except DataknobsError as exc:
            code = _fail(str(exc), argv)
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # the reader went away (| head): stop quietly
                _silence_stdout()
                code = EXIT_ERROR
            else:
                code = _fail(str(exc), argv)
        except Exception as exc:
            if os.environ.get("DATAKNOBS_DEBUG"):
                raise
            code = _fail(
                f"unexpected {type(exc).__name__}: {exc} "
                "(set DATAKNOBS_DEBUG=1 to see the traceback)",
                argv,
            )
        if not standalone_mode:
            return code
        sys.exit(code)


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at /dev/null so that flush
    # does not print "Exception ignored ... BrokenPipeError".
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _fail(message: str, argv: Sequence[str]) -> int:
    secrets = [secret for arg in argv for secret in secrets_of(arg)]
    line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    line = redact_text(line, secrets) or "failed"
    stderr_console().print(Text(f"error: {line}", style="bold red"), soft_wrap=True)
    return EXIT_ERROR


def _package_version() -> str:
    try:
        return version("dataknobs-data")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"dataknobs {_package_version()}")
        raise typer.Exit()


app = typer.Typer(
    cls=DataknobsGroup,
    name="dataknobs",
    help="One Record/Query API over memory, files, SQLite, PostgreSQL, Elasticsearch and S3.\n\n"
    "Start with: dataknobs demo",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    ctx: typer.Context,
    show_version: bool = typer.Option(
        False,
        "--version",
        help="Show the version and exit.",
        callback=_version_callback,
        is_eager=True,
    ),
) -> None:
    """One Record/Query API over memory, files, SQLite, PostgreSQL, Elasticsearch and S3."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()


app.command("demo")(demo.demo)
app.command("query")(querying.query)
app.command("count")(querying.count)
app.command("explain")(querying.explain)
app.command("copy")(copying.copy)
