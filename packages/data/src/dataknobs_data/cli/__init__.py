"""The ``dataknobs`` command line: demo, query, count, explain and copy.

Run ``dataknobs demo`` for a tour; ``dataknobs --help`` lists the commands.
Needs the ``cli`` extra (typer and rich): ``pip install 'dataknobs-data[cli]'``.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and exit."""
    import typer

    from dataknobs_data.cli.app import app

    typer.main.get_command(app).main(args=argv, prog_name="dataknobs")
