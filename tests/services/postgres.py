"""A throw-away PostgreSQL server: initdb into a temp folder, run, yield a URL, remove.

Example::

    with PostgresServer() as pg:
        psycopg.connect(pg.url)
"""

from __future__ import annotations

import functools
import glob
import os
import re
import secrets
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ._common import (
    INSTALL_HINT,
    ManagedProcess,
    RunAs,
    ServerBase,
    ServiceUnavailable,
    free_port,
    make_workdir,
    service_account,
    timed,
    wait_until,
)

ENV_URL = "DATAKNOBS_TEST_POSTGRES_URL"
ENV_LOCALE = "DATAKNOBS_TEST_POSTGRES_LOCALE"
DEFAULT_LOCALE = "C.UTF-8"
START_TIMEOUT = 120.0


@dataclass(frozen=True)
class PostgresInfo:
    """Where a PostgreSQL server is and how to log in (password auth over TCP)."""

    host: str
    port: int
    user: str
    password: str
    database: str

    @property
    def url(self) -> str:
        """``postgresql://user:pass@host:port/db``."""
        return (
            f"postgresql://{quote(self.user, safe='')}:{quote(self.password, safe='')}"
            f"@{self.host}:{self.port}/{quote(self.database, safe='')}"
        )

    def options(self) -> dict[str, Any]:
        """The connection options of the ``postgres`` backend (host, port, ...)."""
        return {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password,
            "database": self.database,
        }

    @classmethod
    def from_url(cls, url: str) -> PostgresInfo:
        """Parse a ``postgresql://`` URL (as given in ``DATAKNOBS_TEST_POSTGRES_URL``)."""
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(url)
        if parts.scheme not in {"postgresql", "postgres"}:
            raise ValueError(f"not a postgresql:// URL: {parts.scheme}://...")
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            database=unquote(parts.path.lstrip("/")) or "postgres",
        )


def find_bindir() -> Path | None:
    """Return the newest ``/usr/lib/postgresql/*/bin`` with initdb, or one on PATH."""
    explicit = os.environ.get("DATAKNOBS_PG_BINDIR")
    if explicit and (Path(explicit) / "initdb").exists():
        return Path(explicit)
    candidates = [
        Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin") if Path(p, "initdb").exists()
    ]

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", path.parent.name)) or (0,)

    if candidates:
        return max(candidates, key=version)
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


class PostgresServer(ServerBase):
    """Context manager running a private PostgreSQL server on 127.0.0.1.

    ``url`` (and ``info``) are available after ``__enter__``/``start()``; ``startup_seconds``
    tells how long initdb + start + role/database creation took.
    """

    def __init__(
        self,
        *,
        user: str = "dataknobs",
        database: str = "dataknobs_test",
        locale: str | None = None,
    ) -> None:
        self.user = user
        self.database = database
        self.password = secrets.token_hex(12)
        self.locale = locale or os.environ.get(ENV_LOCALE, DEFAULT_LOCALE)
        super().__init__()
        self._info: PostgresInfo | None = None

    @property
    def info(self) -> PostgresInfo:
        """Connection details of the running server."""
        if self._info is None:
            raise RuntimeError("PostgresServer is not started")
        return self._info

    @property
    def url(self) -> str:
        """``postgresql://user:pass@127.0.0.1:PORT/dbname``."""
        return self.info.url

    def start(self) -> PostgresInfo:
        """Initialise, start and prepare the server; raise ServiceUnavailable on failure."""
        bindir = find_bindir()
        if bindir is None:
            raise ServiceUnavailable(
                "PostgreSQL server binaries (initdb) not found under /usr/lib/postgresql/*/bin; "
                f"{INSTALL_HINT} (installs Debian's `postgresql`) "
                f"or set {ENV_URL}=postgresql://user:pass@host:port/db"
            )
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:  # pragma: no cover - psycopg is a dev dependency
            raise ServiceUnavailable(f"psycopg is not importable: {exc}") from exc
        with timed() as elapsed:
            account = service_account()
            self._workdir = make_workdir("postgres", account)
            try:
                self._initdb(bindir, account)
                self._launch(bindir, account)
                self._create_role_and_database()
            except BaseException:
                self.stop()
                raise
        self.startup_seconds = elapsed[0]
        return self.info

    def _initdb(self, bindir: Path, account: RunAs) -> None:
        assert self._workdir is not None
        data = self._workdir / "data"
        cmd = [
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            f"--locale={self.locale}",
            "--no-sync",
            "--no-instructions",
        ]
        kwargs: dict[str, Any] = {}
        if account.demoted:
            kwargs.update(user=account.uid, group=account.gid, extra_groups=[])
        result = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            check=False,
            cwd=self._workdir,
            env=_clean_env(self._workdir),
            timeout=120,
            **kwargs,
        )
        if result.returncode != 0:
            raise ServiceUnavailable(
                f"initdb failed (exit {result.returncode}): {' '.join(cmd)}\n"
                f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
            )

    def _launch(self, bindir: Path, account: RunAs) -> None:
        assert self._workdir is not None
        data = self._workdir / "data"
        last_error: ServiceUnavailable | None = None
        for _attempt in range(3):  # a freshly probed port can be taken in between: retry
            port = free_port()
            cmd = [
                str(bindir / "postgres"),
                "-D",
                str(data),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"port={port}",
                "-c",
                f"unix_socket_directories={self._workdir}",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200",
                "-c",
                "shared_buffers=128MB",
                "-c",
                "logging_collector=off",
                "-c",
                "log_min_messages=warning",
            ]
            process = ManagedProcess(
                "postgres",
                cmd,
                log_path=self._workdir / "postgres.log",
                account=account,
                env=_clean_env(self._workdir),
                cwd=self._workdir,
                # SIGINT is PostgreSQL's "fast shutdown"; the data is thrown away anyway.
                stop_signal=signal.SIGINT,
                stop_timeout=10.0,
            )
            self._process = process
            try:
                wait_until(
                    functools.partial(self._socket_ready, port),
                    what=f"PostgreSQL on 127.0.0.1:{port}",
                    timeout=START_TIMEOUT,
                    process=process,
                )
            except ServiceUnavailable as exc:
                process.stop()
                self._process = None
                last_error = exc
                if "already in use" in process.log_tail():
                    continue
                raise
            self._info = PostgresInfo("127.0.0.1", port, self.user, self.password, self.database)
            return
        assert last_error is not None
        raise last_error

    def _socket_ready(self, port: int) -> bool:
        import psycopg

        assert self._workdir is not None
        with psycopg.connect(
            host=str(self._workdir),
            port=port,
            user="postgres",
            dbname="postgres",
            connect_timeout=2,
        ) as conn:
            conn.execute("SELECT 1")
        return True

    def _create_role_and_database(self) -> None:
        import psycopg
        from psycopg import sql

        assert self._workdir is not None and self._info is not None
        with psycopg.connect(
            host=str(self._workdir),
            port=self._info.port,
            user="postgres",
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN CREATEDB PASSWORD {}").format(
                    sql.Identifier(self.user), sql.Literal(self.password)
                )
            )
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(self.database), sql.Identifier(self.user)
                )
            )

    def _forget(self) -> None:
        self._info = None


def _clean_env(home: Path) -> dict[str, str]:
    """Environment for the server: no PG* variables leaking in, a writable HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["HOME"] = str(home)
    env.setdefault("LC_ALL", "C.UTF-8")
    return env


def smoke_test(url: str) -> str:
    """Create a table, insert, select over TCP with password auth; return the server version."""
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as conn:
        conn.execute("CREATE TEMP TABLE dk_smoke (id int PRIMARY KEY, name text)")
        conn.execute("INSERT INTO dk_smoke VALUES (%s, %s)", (1, "Ada"))
        row = conn.execute("SELECT name FROM dk_smoke WHERE id = %s", (1,)).fetchone()
        if row != ("Ada",):
            raise AssertionError(f"unexpected row {row!r}")
        version = conn.execute("SHOW server_version").fetchone()
    return str(version[0]) if version else "?"
