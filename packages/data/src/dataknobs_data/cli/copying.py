"""``dataknobs copy``: stream records from one database into another."""

import time
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from dataknobs_data.cli.options import BatchSizeOpt, DbArg, WhereOpt
from dataknobs_data.cli.progress import ProgressBar
from dataknobs_data.cli.render import close_iterator, stderr_console, stdout_console
from dataknobs_data.cli.targets import open_database, parse_ref
from dataknobs_data.cli.where import build_query
from dataknobs_data.engine.ops import WriteResult
from dataknobs_data.errors import ConfigurationError

__all__ = ["copy"]

_SHOWN_ERRORS = 5


def copy(
    src: DbArg,
    dst: Annotated[
        str,
        typer.Argument(
            metavar="DST",
            help="The destination, in the same forms as DB; created when it is a new file.",
            show_default=False,
        ),
    ],
    where: WhereOpt = None,
    batch_size: BatchSizeOpt = 1000,
) -> None:
    """Copy the records of SRC (those matching --where) into DST, streaming.

    Records keep their ids; a record whose id DST already holds is reported as
    failed, and the command exits with code 1 if any record failed.

    Example: dataknobs copy app.db people.parquet --where 'active == true'
    """
    if parse_ref(src).text.strip() == parse_ref(dst).text.strip():
        raise ConfigurationError(f"SRC and DST are the same database ({parse_ref(src).display})")
    q = build_query(where or ())
    source = open_database(src)
    target = open_database(dst, must_exist=False)
    started = time.perf_counter()
    with source, target:
        total = source.count(q)
        records = source.stream(q, batch_size)
        try:
            with ProgressBar("copying", total, console=stderr_console()) as bar:
                result = target.stream_write(
                    records,
                    batch_size=batch_size,
                    on_progress=lambda done, _unknown: bar(done, total),
                )
        finally:
            close_iterator(records)
    elapsed = time.perf_counter() - started
    _print_summary(parse_ref(src).display, parse_ref(dst).display, bar.completed, result, elapsed)
    if result.failed:
        stderr_console().print(
            Text(
                f"error: {result.failed:,} of {bar.completed:,} records were not copied",
                style="bold red",
            ),
            soft_wrap=True,
        )
        raise typer.Exit(1)


def _print_summary(src: str, dst: str, read: int, result: WriteResult, elapsed: float) -> None:
    console = stdout_console()
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("from", Text(src))
    table.add_row("to", Text(dst))
    table.add_row("read", f"{read:,}")
    table.add_row("written", Text(f"{result.written:,}", style="green"))
    table.add_row("failed", Text(f"{result.failed:,}", style="red" if result.failed else "green"))
    rate = f" ({read / elapsed:,.0f} records/s)" if elapsed > 0 and read else ""
    table.add_row("time", f"{elapsed:.2f} s{rate}")
    console.print(table)
    for index, record_id, message in result.errors[:_SHOWN_ERRORS]:
        console.print(Text(f"  record #{index} (id {record_id}): {message}", style="red"))
    if len(result.errors) > _SHOWN_ERRORS:
        console.print(Text(f"  ... and {len(result.errors) - _SHOWN_ERRORS:,} more", style="red"))
