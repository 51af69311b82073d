"""Command line: ``python -m tests.services {install,start,check}``.

install
    Install what is missing (Debian packages, the Elasticsearch zip in the cache).
start
    Start the servers, print ``export`` lines for the ``DATAKNOBS_TEST_*`` variables, keep
    running until Ctrl-C / SIGTERM; other shells then run the tests against these servers.
check
    Start each server, smoke-test it, stop it, print one status line per service.
"""

from __future__ import annotations

import argparse
import contextlib
import shlex
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from types import FrameType
from typing import Any

from ._common import ServiceUnavailable
from .elasticsearch import ENV_URL as ES_ENV_URL
from .elasticsearch import ElasticsearchServer
from .elasticsearch import smoke_test as es_smoke
from .postgres import ENV_URL as PG_ENV_URL
from .postgres import PostgresServer
from .postgres import smoke_test as pg_smoke
from .s3 import S3_KINDS, server_for
from .s3 import smoke_test as s3_smoke

SERVICES = ("postgres", "elasticsearch", *S3_KINDS)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _make(service: str) -> Any:
    if service == "postgres":
        return PostgresServer()
    if service == "elasticsearch":
        return ElasticsearchServer()
    return server_for(service)


def _smoke(service: str, server: Any) -> str:
    if service == "postgres":
        return f"PostgreSQL {pg_smoke(server.url)}"
    if service == "elasticsearch":
        return f"Elasticsearch {es_smoke(server.url)}"
    return s3_smoke(server.endpoint)


def cmd_install(_args: argparse.Namespace) -> int:
    """Install everything missing."""
    from .install import install

    try:
        install(_log)
    except (ServiceUnavailable, OSError) as exc:
        _log(f"install failed: {exc}")
        return 1
    except Exception as exc:  # e.g. CalledProcessError from apt-get
        _log(f"install failed: {exc}")
        return 1
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Start, smoke-test and stop each service; print a status line per service."""
    failures = 0
    for service in args.services:
        server = _make(service)
        try:
            server.start()
            detail = _smoke(service, server)
            line = f"{service:<14} OK    started in {server.startup_seconds:5.1f}s  {detail}"
        except Exception as exc:
            failures += 1
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            line = f"{service:<14} FAIL  {type(exc).__name__}: {first}"
            if args.verbose:
                traceback.print_exc()
        finally:
            with contextlib.suppress(Exception):
                server.stop()
        print(line, flush=True)
    return 1 if failures else 0


def cmd_start(args: argparse.Namespace) -> int:
    """Start the servers, print exports, wait for Ctrl-C or SIGTERM."""
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    wanted = ["postgres", "elasticsearch", args.s3]
    started: list[Any] = []
    exports: list[tuple[str, str]] = []
    try:
        for service in wanted:
            server = _make(service)
            _log(f"starting {service} ...")
            try:
                server.start()
            except Exception as exc:
                _log(f"{service} failed to start: {exc}")
                return 1
            started.append(server)
            _log(f"{service} ready in {server.startup_seconds:.1f}s")
            if service == "postgres":
                exports.append((PG_ENV_URL, server.url))
            elif service == "elasticsearch":
                exports.append((ES_ENV_URL, server.url))
            else:
                exports.extend(server.endpoint.exports().items())
        for name, value in exports:
            print(f"export {name}={shlex.quote(value)}", flush=True)
        _log("servers running; Ctrl-C (or SIGTERM) stops them")
        try:
            while not stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass
        return 0
    finally:
        for server in reversed(started):
            with contextlib.suppress(Exception):
                server.stop()
        _log("servers stopped")


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m tests.services``."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.services",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_install = sub.add_parser("install", help="install what is missing")
    p_install.set_defaults(func=cmd_install)
    p_start = sub.add_parser("start", help="start servers and print export lines")
    p_start.add_argument(
        "--s3",
        choices=S3_KINDS,
        default="seaweedfs",
        help="which S3 server to start (default: seaweedfs)",
    )
    p_start.set_defaults(func=cmd_start)
    p_check = sub.add_parser("check", help="start, smoke-test and stop each server")
    p_check.add_argument(
        "services",
        nargs="*",
        metavar="SERVICE",
        help=f"any of {', '.join(SERVICES)} (default: all)",
    )
    p_check.add_argument("-v", "--verbose", action="store_true", help="print tracebacks")
    p_check.set_defaults(func=cmd_check)
    args = parser.parse_args(argv)
    if args.command == "check":
        unknown = [s for s in args.services if s not in SERVICES]
        if unknown:
            parser.error(f"unknown service(s) {unknown}; choose from {', '.join(SERVICES)}")
        args.services = args.services or list(SERVICES)
    func: Callable[[argparse.Namespace], int] = args.func
    started = time.perf_counter()
    code = func(args)
    if args.command != "start":
        _log(f"{args.command} finished in {time.perf_counter() - started:.1f}s")
    return code


if __name__ == "__main__":
    sys.exit(main())
