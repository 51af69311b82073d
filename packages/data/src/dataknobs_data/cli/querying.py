"""``dataknobs query``, ``dataknobs count`` and ``dataknobs explain``."""

import sys

from rich.console import Console
from rich.text import Text

from dataknobs_data.cli.options import (
    DbArg,
    FormatOpt,
    LimitOpt,
    OffsetOpt,
    SelectOpt,
    SortOpt,
    WhereOpt,
)
from dataknobs_data.cli.render import (
    OutputFormat,
    close_iterator,
    counted,
    plan_table,
    records_table,
    stdout_console,
    write_records,
)
from dataknobs_data.cli.targets import open_database, parse_ref
from dataknobs_data.cli.where import build_query, format_expression
from dataknobs_data.engine.planner import QueryPlan

__all__ = ["TABLE_ROWS", "count", "explain", "print_plan", "query"]

TABLE_ROWS = 50
"""Rows a table shows when no --limit is given."""


def query(
    db: DbArg,
    where: WhereOpt = None,
    sort: SortOpt = None,
    limit: LimitOpt = None,
    offset: OffsetOpt = 0,
    select: SelectOpt = None,
    output: FormatOpt = OutputFormat.TABLE,
) -> None:
    """Search a database and print the matching records.

    A table shows at most 50 rows unless --limit says otherwise; json, jsonl
    and csv print every match, streaming.

    Example: dataknobs query app.db --where 'age >= 30' --sort -age --limit 10
    """
    q = build_query(where or (), sort or (), limit, offset, select or ())
    database = open_database(db)
    with database:
        if output is not OutputFormat.TABLE:
            stream = database.stream(q)
            try:
                write_records(stream, output, sys.stdout, q.projection)
            finally:
                close_iterator(stream)
            return
        cap = TABLE_ROWS if limit is None else limit
        shown, more = counted(database.stream(q), cap)
        if more:
            total = database.count(q)
            caption = (
                f"records {offset + 1:,}-{offset + len(shown):,} of {total:,} shown; "
                "use --limit/--offset to page, or --format json|jsonl|csv for all"
            )
        else:
            caption = f"{len(shown):,} record{'s' if len(shown) != 1 else ''}"
        console = stdout_console()
        console.print(records_table(shown, q.projection, caption=caption))


def count(db: DbArg, where: WhereOpt = None) -> None:
    """Print how many records match (every record without --where).

    Example: dataknobs count app.db --where 'tags contains vip'
    """
    q = build_query(where or ())
    database = open_database(db)
    with database:
        n = database.count(q)
    sys.stdout.write(f"{n}\n")


def explain(
    db: DbArg,
    where: WhereOpt = None,
    sort: SortOpt = None,
    limit: LimitOpt = None,
    offset: OffsetOpt = 0,
    select: SelectOpt = None,
) -> None:
    """Show which part of a query the backend runs and which part Python runs.

    Example: dataknobs explain app.db --where 'address.city == Oslo' --sort -age
    """
    q = build_query(where or (), sort or (), limit, offset, select or ())
    database = open_database(db)
    with database:
        plan = database.explain(q)
    console = stdout_console()
    console.print(Text(f"database: {parse_ref(db).display}", style="bold"))
    print_plan(console, plan)


def print_plan(console: Console, plan: QueryPlan, *, brief: bool = False) -> None:
    """Print a plan: the native/Python table, the backend's own query text, a verdict.

    Args:
        console: Where to print.
        plan: The result of ``db.explain(query)``.
        brief: Cut the backend's query text (SQL, DSL) to one line.
    """
    console.print(plan_table(plan, format_expression))
    if plan.native_text:
        text = Text("native query: ", style="dim") + Text(plan.native_text, style="dim")
        if brief:
            console.print(text, no_wrap=True, overflow="ellipsis", crop=True)
        else:
            console.print(text, soft_wrap=True)
    if plan.fully_native:
        console.print(Text(f"→ runs entirely in {plan.backend}", style="green"))
    elif plan.residual is not None:
        console.print(
            Text(
                f"→ {plan.backend} narrows the records, Python checks the rest "
                "(the residual filter) before sorting and paging",
                style="yellow",
            )
        )
    else:
        console.print(Text(f"→ {plan.backend} filters; Python finishes", style="yellow"))
