"""``dataknobs demo``: the main job end to end on the embedded default, with no server.

Builds a sample dataset in a SQLite database, reads a record back, runs and
explains a few queries, counts, exports to Parquet through the file backend
and suggests the next commands, in a few seconds.
"""

import datetime as dt
import shlex
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from dataknobs_data.cli.progress import ProgressBar
from dataknobs_data.cli.querying import print_plan
from dataknobs_data.cli.render import plain_cell, records_table, stdout_console
from dataknobs_data.cli.sample import people
from dataknobs_data.cli.where import build_query
from dataknobs_data.engine.database import Database
from dataknobs_data.factory import database_factory
from dataknobs_data.query import Query

__all__ = ["DEMO_QUERIES", "DemoQuery", "demo"]


@dataclass(frozen=True)
class DemoQuery:
    """One query the demo runs, written as command-line options."""

    title: str
    where: tuple[str, ...] = ()
    sort: tuple[str, ...] = ()
    limit: int | None = None
    offset: int = 0
    select: tuple[str, ...] = ()

    def query(self) -> Query:
        """The query these options describe."""
        return build_query(self.where, self.sort, self.limit, self.offset, self.select)

    def command(self, db: str, verb: str = "query") -> str:
        """The shell command that runs this query."""
        args = ["dataknobs", verb, db]
        for clause in self.where:
            args += ["--where", clause]
        for key in self.sort:
            args.append(f"--sort={key}" if key.startswith("-") else f"--sort {key}")
        if self.offset:
            args.append(f"--offset {self.offset}")
        if self.limit is not None:
            args.append(f"--limit {self.limit}")
        if self.select:
            args.append(f"--select {','.join(self.select)}")
        return " ".join(a if a.startswith("--") and " " in a else shlex.quote(a) for a in args)


DEMO_QUERIES = (
    DemoQuery(
        "people in Oslo aged 30+, oldest first (dotted path)",
        where=('address.city == "Oslo"', "age >= 30"),
        sort=("-age", "name"),
        limit=5,
        select=("name", "age", "address.city", "born"),
    ),
    DemoQuery(
        "VIPs with a balance of 1,000 to 5,000 (list, Decimal)",
        where=("tags contains vip", "balance between [1000, 5000]"),
        sort=("-balance",),
        limit=5,
        select=("name", "balance", "tags"),
    ),
    DemoQuery(
        "names starting with 'an', any case: page 2",
        where=('name ilike "an%"',),
        sort=("name",),
        offset=5,
        limit=5,
        select=("name", "email", "age"),
    ),
    DemoQuery(
        "joined since 2024, @example.org, newest (datetime, regex)",
        where=("signed_up >= 2024-01-01T00:00:00Z", r"email regex @example\.org$"),
        sort=("-signed_up",),
        limit=5,
        select=("name", "signed_up"),
    ),
)

DEMO_COUNTS = (
    ("no phone (missing)", "phone not_exists"),
    ("age unknown (null)", "age == null"),
    ("inactive", "active == false"),
    ("in Norway or Iceland", "address.country in NO,IS"),
    ("outside Oslo and Berlin", "address.city not_in Oslo,Berlin"),
    ("score above 4.5", "score > 4.5"),
)

PathOpt = Annotated[
    Path | None,
    typer.Option(
        "--path",
        file_okay=False,
        help="Folder for people.db and people.parquet (their records are replaced); "
        "a new temporary folder by default.",
        show_default=False,
    ),
]
RecordsOpt = Annotated[
    int, typer.Option("--records", min=100, max=1_000_000, help="How many people to create.")
]


def demo(path: PathOpt = None, records: RecordsOpt = 5000) -> None:
    """Build a sample database, query and explain it, export it to Parquet: no server needed."""
    console = stdout_console()
    folder = _folder(path)
    started = time.perf_counter()
    console.print(
        Panel.fit(
            Text.assemble(
                ("dataknobs demo", "bold"),
                " - one Record/Query API over memory, files, SQLite, PostgreSQL, "
                "Elasticsearch and S3.\nThis runs on the embedded default (SQLite) in ",
                (str(folder), "cyan"),
                ".",
            )
        )
    )
    db_path = folder / "people.db"
    db = database_factory.create(backend="sqlite", path=str(db_path))
    ref = str(db_path)
    with db:
        build_seconds = _build(console, db, ref, records)
        _show_record(console, db)
        for number, item in enumerate(DEMO_QUERIES, 1):
            _run_query(console, db, ref, number, item)
        _counts(console, db)
        parquet_path = folder / "people.parquet"
        export_seconds = _export(console, db, parquet_path)
    total_seconds = time.perf_counter() - started
    _summary(console, ref, parquet_path, records, build_seconds, export_seconds, total_seconds)


def _folder(path: Path | None) -> Path:
    if path is None:
        return Path(tempfile.mkdtemp(prefix="dataknobs-demo-"))
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def _section(console: Console, title: str) -> None:
    console.print()
    console.print(Rule(Text(title, style="bold"), align="left", style="blue"))


def _build(console: Console, db: Database, ref: str, count: int) -> float:
    _section(console, "Database")
    replaced = db.clear()
    started = time.perf_counter()
    with ProgressBar("creating people", count, console=console) as bar:
        result = db.stream_write(bar.track(people(count)), batch_size=1000)
    seconds = time.perf_counter() - started
    info = Table(show_header=False, box=None, pad_edge=False)
    info.add_column(style="bold")
    info.add_column()
    info.add_row("backend", f"{db.backend_name} ({type(db).__name__})")
    info.add_row("file", Text(ref))
    info.add_row("url", Text(_sqlite_url(ref)))
    info.add_row(
        "created",
        f"{result.written:,} records in {seconds:.2f} s ({result.written / seconds:,.0f}/s)"
        + (f", replacing {replaced:,} from an earlier run" if replaced else ""),
    )
    info.add_row("db.count()", Text(f"{db.count():,}", style="bold cyan"))
    console.print(info)
    return seconds


def _sqlite_url(absolute_path: str) -> str:
    # sqlite:////absolute/path.db (sqlite:///x.db would be relative), as for SQLAlchemy.
    return f"sqlite:///{absolute_path}"


def _file_url(absolute_path: str) -> str:
    return f"file://{absolute_path}"


def _show_record(console: Console, db: Database) -> None:
    _section(console, "A record read back: every value keeps its Python type")
    # The fullest of the first few people shows the most kinds of value.
    candidates = [r for r in db.read_batch([f"p{n:05d}" for n in range(1, 21)]) if r]
    if not candidates:  # pragma: no cover - the demo just created them
        return
    record = max(candidates, key=lambda r: sum(1 for v in r.data.values() if v))
    table = Table(header_style="bold", title=f"db.read({record.id!r})", title_justify="left")
    table.add_column("field")
    table.add_column("value", overflow="ellipsis", no_wrap=True, max_width=44)
    table.add_column("type", style="magenta")
    for name in record.field_names:
        value = record[name]
        table.add_row(Text(name), Text(plain_cell(value)), Text(_type_name(value)))
    console.print(table)


def _type_name(value: object) -> str:
    if isinstance(value, list) and value:
        inner = sorted({_type_name(item) for item in value})
        return f"list[{' | '.join(inner)}]"
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return "datetime (UTC)"
    return type(value).__name__


def _run_query(console: Console, db: Database, ref: str, number: int, item: DemoQuery) -> None:
    _section(console, f"Query {number}: {item.title}")
    console.print(Text("$ " + item.command(ref), style="bold green"), soft_wrap=True)
    query = item.query()
    console.print(Text("db.explain(query):", style="dim"))
    print_plan(console, db.explain(query), brief=True)
    started = time.perf_counter()
    found = db.search(query)
    matched = db.count(query)
    ms = (time.perf_counter() - started) * 1000
    caption = f"{len(found)} shown of {matched:,} matching - search + count in {ms:.1f} ms"
    console.print(records_table(found, query.projection, caption=caption))


def _counts(console: Console, db: Database) -> None:
    _section(console, "Counts: missing and null values are the same to every operator")
    table = Table(header_style="bold")
    table.add_column("question")
    table.add_column("--where")
    table.add_column("db.count()", justify="right", style="cyan")
    for label, clause in DEMO_COUNTS:
        table.add_row(label, Text(clause, style="green"), f"{db.count(build_query([clause])):,}")
    console.print(table)


def _export(console: Console, db: Database, target_path: Path) -> float:
    _section(console, "Export to Parquet through the file backend")
    total = db.count()
    started = time.perf_counter()
    target = database_factory.create(backend="file", path=str(target_path))
    with target:
        target.clear()
        with ProgressBar("exporting", total, console=console) as bar:
            written = target.stream_write(
                bar.track(db.stream(batch_size=1000)), batch_size=1000
            ).written
    seconds = time.perf_counter() - started
    size = target_path.stat().st_size if target_path.exists() else 0
    console.print(
        Text.assemble(
            f"wrote {written:,} records to ",
            (str(target_path), "cyan"),
            f" ({size / 1024:,.0f} KiB) in {seconds:.2f} s",
        )
    )
    console.print(_verify_parquet(target_path))
    return seconds


def _verify_parquet(target_path: Path) -> Text:
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow comes with the file extra
        return Text("")
    meta = pq.read_metadata(target_path)
    return Text(
        f"plain Parquet: pyarrow reads back {meta.num_rows:,} rows, {meta.num_columns} columns",
        style="dim",
    )


def _summary(
    console: Console,
    ref: str,
    parquet: Path,
    records: int,
    build: float,
    export: float,
    total: float,
) -> None:
    _section(console, "Summary")
    console.print(
        f"{records:,} people stored in SQLite, {len(DEMO_QUERIES)} queries explained and run, "
        f"{len(DEMO_COUNTS)} counts, exported to Parquet; "
        f"build {build:.2f} s, export {export:.2f} s, total {total:.2f} s."
    )
    _section(console, "Next, try")
    for line in _next_commands(ref, str(parquet)):
        console.print(Text("  $ " + line, style="green"), soft_wrap=True)


def _next_commands(db: str, parquet: str) -> Sequence[str]:
    jsonl = str(Path(parquet).with_name("vip.jsonl"))
    q = shlex.quote
    return (
        f"dataknobs query {q(db)} --where 'age >= 30' --sort=-age --limit 10",
        f"dataknobs explain {q(_sqlite_url(db))} --where 'address.city == Oslo' --sort name",
        f"dataknobs count {q(_file_url(parquet))} --where 'tags contains vip'",
        f"dataknobs query {q(parquet)} --where 'balance > 9000' --select name,balance --format csv",
        f"dataknobs copy {q(db)} {q(jsonl)} --where 'tags contains vip'",
    )
