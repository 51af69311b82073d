"""Command-line arguments and options shared by several commands."""

from typing import Annotated

import typer

from dataknobs_data.cli.render import OutputFormat

__all__ = [
    "BatchSizeOpt",
    "DbArg",
    "FormatOpt",
    "LimitOpt",
    "OffsetOpt",
    "SelectOpt",
    "SortOpt",
    "WhereOpt",
]

_DB_HELP = (
    "A database URL (memory://, sqlite:///app.db, file:///data/people.parquet, "
    "postgresql://..., s3://..., elasticsearch+http://...), a file path (app.db, x.jsonl), "
    "or a configuration reference config.yaml#databases.primary."
)

DbArg = Annotated[str, typer.Argument(metavar="DB", help=_DB_HELP, show_default=False)]
WhereOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--where",
        "-w",
        metavar="'FIELD OP VALUE'",
        help="A condition such as 'age >= 30', 'address.city == Oslo', 'tags contains vip', "
        "'name ilike \"a%\"', 'phone not_exists'. Repeat to AND several.",
        show_default=False,
    ),
]
SortOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--sort",
        "-s",
        metavar="[-]FIELD",
        help="Sort key; a leading '-' sorts descending (--sort -age). Repeat for more keys.",
        show_default=False,
    ),
]
LimitOpt = Annotated[
    int | None,
    typer.Option(
        "--limit", "-n", min=0, help="Return at most this many records.", show_default=False
    ),
]
OffsetOpt = Annotated[int, typer.Option("--offset", min=0, help="Skip this many records first.")]
SelectOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        metavar="FIELD,...",
        help="Return only these fields (dotted paths allowed); the id always comes back.",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
]
BatchSizeOpt = Annotated[
    int, typer.Option("--batch-size", min=1, help="Records read and written per batch.")
]
