"""Run as a script by the tests: write records into a file database from another process.

Usage: python writer_script.py PATH PREFIX COUNT MODE
MODE "batch": one create per record; "loop": create forever (for the kill -9 test),
flushing after each create so snapshot formats rewrite the file over and over.
"""

from __future__ import annotations

import sys

from dataknobs_data import Record
from dataknobs_data.backends.file import FileDatabase


def main() -> None:
    path, prefix, count, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    with FileDatabase(path=path) as db:
        i = 0
        while mode == "loop" or i < count:
            db.create(Record({"n": i, "text": "x" * 200, "tags": [prefix, i]}, id=f"{prefix}-{i}"))
            db.flush()
            if i == 20:
                print("ready", flush=True)
            i += 1


if __name__ == "__main__":
    main()
