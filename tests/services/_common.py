"""Shared plumbing for the test servers: ports, processes, users, waiting, cleanup."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

SERVICE_USER = "dataknobs-test"
"""Unprivileged account used for servers that refuse to run as root."""

INSTALL_HINT = "run `uv run python -m tests.services install`"


class ServiceUnavailable(RuntimeError):
    """A test server could not be provisioned (missing software, failed start, ...)."""


# --------------------------------------------------------------------------- environment


def env_flag(name: str) -> bool:
    """Return True when environment variable *name* is set to a true-ish value."""
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def cache_dir() -> Path:
    """Return the download/unpack cache (``$DATAKNOBS_CACHE_DIR`` or ``~/.cache/dataknobs``)."""
    explicit = os.environ.get("DATAKNOBS_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser().resolve()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return (base / "dataknobs").resolve()


def is_root() -> bool:
    """Return True when running with uid 0."""
    return os.geteuid() == 0


# --------------------------------------------------------------------------- ports


def free_port() -> int:
    """Ask the OS for a currently free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def free_ports(count: int) -> list[int]:
    """Return *count* distinct free ports (all probed while held open, so they differ)."""
    socks: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            socks.append(sock)
            sock.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for sock in socks:
            sock.close()


def port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    """Return True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


# --------------------------------------------------------------------------- users


@dataclass(frozen=True)
class RunAs:
    """The account a server process runs as (``uid is None`` means: the current one)."""

    uid: int | None
    gid: int | None
    name: str

    @property
    def demoted(self) -> bool:
        """True when the server will run under a different (unprivileged) account."""
        return self.uid is not None


_user_lock = threading.Lock()


def service_account() -> RunAs:
    """Return the account servers run as; as root, create ``dataknobs-test`` if missing."""
    if not is_root():
        return RunAs(None, None, pwd.getpwuid(os.geteuid()).pw_name)
    with _user_lock:
        try:
            entry = pwd.getpwnam(SERVICE_USER)
        except KeyError:
            useradd = shutil.which("useradd") or "/usr/sbin/useradd"
            result = subprocess.run(
                [
                    useradd,
                    "--system",
                    "--no-create-home",
                    "--home-dir",
                    "/nonexistent",
                    "--shell",
                    "/usr/sbin/nologin",
                    SERVICE_USER,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode not in (0, 9):  # 9: already exists (race)
                raise ServiceUnavailable(
                    f"could not create the unprivileged user {SERVICE_USER!r} "
                    f"needed to run servers as root: {result.stderr.strip()}"
                ) from None
            entry = pwd.getpwnam(SERVICE_USER)
    return RunAs(entry.pw_uid, entry.pw_gid, SERVICE_USER)


def chown_tree(path: Path, account: RunAs) -> None:
    """Give *path* (recursively) to *account* when servers run demoted."""
    if not account.demoted:
        return
    assert account.uid is not None and account.gid is not None
    os.chown(path, account.uid, account.gid)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(root, name), account.uid, account.gid, follow_symlinks=False)


def traversable_by_others(path: Path) -> bool:
    """Return True when every directory above *path* lets other users pass (o+x)."""
    path = path.resolve()
    for parent in [path, *path.parents]:
        try:
            mode = parent.stat().st_mode
        except OSError:
            return False
        if parent.is_dir() and not mode & 0o001:
            return False
    return True


OWNER_FILE = "dataknobs-owner.pid"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale_workdirs(base: Path, min_age: float = 60.0) -> None:
    """Remove work folders left behind by test processes that were killed (-9)."""
    now = time.time()
    for path in base.glob("dataknobs-*-*"):
        owner = path / OWNER_FILE
        try:
            pid = int(owner.read_text().strip())
            if now - owner.stat().st_mtime < min_age or _pid_alive(pid):
                continue
        except (OSError, ValueError):
            continue
        remove_tree(path)


def make_workdir(prefix: str, account: RunAs) -> Path:
    """Create a fresh temporary folder owned by *account* (reachable by it)."""
    base = Path(tempfile.gettempdir())
    if account.demoted and not traversable_by_others(base):
        base = Path("/tmp")
    sweep_stale_workdirs(base)
    path = Path(tempfile.mkdtemp(prefix=f"dataknobs-{prefix}-", dir=base))
    (path / OWNER_FILE).write_text(f"{os.getpid()}\n")
    chown_tree(path, account)
    return path


def remove_tree(path: Path) -> None:
    """Remove a work folder, ignoring errors (servers may leave sockets behind)."""
    shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------- processes

_PR_SET_PDEATHSIG = 1
_live: set[ManagedProcess] = set()


def _die_with_parent() -> None:  # pragma: no cover - runs in the forked child
    """Ask the kernel to SIGTERM the child when the parent dies (Linux only)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except Exception:
        pass


class ManagedProcess:
    """A server subprocess with its own process group, a log file and a sure stop."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        log_path: Path,
        account: RunAs,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        stop_signal: int = signal.SIGTERM,
        stop_timeout: float = 10.0,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self.stop_signal = stop_signal
        self.stop_timeout = stop_timeout
        self._log: IO[bytes] | None = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        kwargs: dict[str, object] = {}
        if account.demoted:
            kwargs.update(user=account.uid, group=account.gid, extra_groups=[])
        preexec = _die_with_parent if sys.platform.startswith("linux") else None
        try:
            self.proc: subprocess.Popen[bytes] = subprocess.Popen(  # type: ignore[call-overload]
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                env=dict(env) if env is not None else None,
                cwd=str(cwd) if cwd else None,
                start_new_session=True,
                preexec_fn=preexec,
                **kwargs,
            )
        except BaseException:
            self._log.close()
            self._log = None
            raise
        _live.add(self)

    @property
    def pid(self) -> int:
        """The process id of the server (also its process group id)."""
        return self.proc.pid

    def alive(self) -> bool:
        """True while the process has not exited."""
        return self.proc.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        """Return the last *lines* lines of the server's log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as exc:
            return f"<log unavailable: {exc}>"
        return "\n".join(text.splitlines()[-lines:])

    def _signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, sig)

    def stop(self) -> None:
        """Stop the whole process group: polite signal, then SIGKILL after the timeout."""
        try:
            if self.proc.poll() is None:
                self._signal_group(self.stop_signal)
                try:
                    self.proc.wait(self.stop_timeout)
                except subprocess.TimeoutExpired:
                    self._signal_group(signal.SIGKILL)
                    self.proc.wait(10)
            # Children of the main process (e.g. the Elasticsearch server JVM) share the group.
            self._signal_group(signal.SIGKILL)
            self.proc.wait(10)
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None
            _live.discard(self)

    def __enter__(self) -> ManagedProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@atexit.register
class ServerBase:
    """What every throw-away server shares: its process, its folder, ``stop`` and ``with``.

    Subclasses implement ``start`` and ``_forget`` (drop what ``start`` published).
    """

    def __init__(self) -> None:
        self._workdir: Path | None = None
        self._process: ManagedProcess | None = None
        self.startup_seconds = 0.0

    def start(self) -> Any:
        """Start the server; raise ServiceUnavailable on failure."""
        raise NotImplementedError

    def _forget(self) -> None:
        """Forget the running server's address (called by ``stop``)."""

    def stop(self) -> None:
        """Stop the server and delete its folder (safe to call twice)."""
        if self._process is not None:
            self._process.stop()
            self._process = None
        if self._workdir is not None:
            remove_tree(self._workdir)
            self._workdir = None
        self._forget()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _stop_all_at_exit() -> None:  # pragma: no cover - safety net
    for proc in list(_live):
        with contextlib.suppress(Exception):
            proc.stop()


def wait_until(
    ready: Callable[[], bool],
    *,
    what: str,
    timeout: float,
    process: ManagedProcess | None = None,
    interval: float = 0.1,
) -> None:
    """Poll *ready* until it returns True; fail with the server's log tail otherwise."""
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while True:
        if process is not None and not process.alive():
            raise ServiceUnavailable(
                f"{what} exited with code {process.proc.returncode} before it was ready.\n"
                f"--- last lines of {process.log_path} ---\n{process.log_tail()}"
            )
        try:
            if ready():
                return
        except Exception as exc:
            last_error = exc
        if time.monotonic() > deadline:
            detail = f" (last error: {last_error!r})" if last_error else ""
            tail = ""
            if process is not None:
                tail = f"\n--- last lines of {process.log_path} ---\n{process.log_tail()}"
            raise ServiceUnavailable(f"{what} was not ready after {timeout:.0f}s{detail}{tail}")
        time.sleep(interval)


@contextlib.contextmanager
def timed() -> Iterator[list[float]]:
    """Measure the wall time of a block: ``with timed() as t: ...; t[0]`` is seconds."""
    box = [0.0]
    start = time.perf_counter()
    try:
        yield box
    finally:
        box[0] = time.perf_counter() - start
