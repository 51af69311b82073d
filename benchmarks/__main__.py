"""``python -m benchmarks --backend memory --n 100000``."""

from __future__ import annotations

import argparse
import importlib
import sys

from benchmarks.harness import run_workload


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--backend", required=True, help="memory, sqlite, file, postgres, ...")
    parser.add_argument("--n", type=int, default=100_000, help="records per workload")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; best is kept")
    parser.add_argument("--only", default="", help="comma-separated workload names")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="backend-specific option (repeatable)",
    )
    args = parser.parse_args(argv)
    options = dict(o.split("=", 1) for o in args.option)
    module = importlib.import_module(f"benchmarks.{args.backend.replace('-', '_')}")
    wanted = {w for w in args.only.split(",") if w}
    print(f"backend={args.backend} n={args.n} repeat={args.repeat} (best of each side)")
    header = f"{'workload':<28}{'records':>9}{'dataknobs rec/s':>17}{'raw rec/s':>14}"
    print(header + f"{'ratio':>8}{'target':>8}")
    failures = 0
    for workload in module.workloads(args.n, options):
        if wanted and workload.name not in wanted:
            continue
        result = run_workload(workload, args.repeat)
        dk_rate = workload.records / result.dataknobs_seconds
        raw_rate = workload.records / result.raw_seconds
        target = "" if workload.target is None else f"{workload.target:.2f}"
        mark = ""
        if workload.target is not None and result.ratio < workload.target:
            mark = "  BELOW TARGET"
            failures += 1
        print(
            f"{workload.name:<28}{workload.records:>9}{dk_rate:>17,.0f}{raw_rate:>14,.0f}"
            f"{result.ratio:>8.2f}{target:>8}{mark}"
            + (f"  ({workload.note})" if workload.note else "")
        )
        sys.stdout.flush()
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
