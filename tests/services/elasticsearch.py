"""A throw-away single-node Elasticsearch 8.x server.

The server is the official ``integ-test-zip`` distribution, fetched once with Maven
(``org.elasticsearch.distribution.integ-test-zip:elasticsearch:<version>:zip``) into the
cache folder and unpacked there. It has no bundled JDK, so it runs on the system Java 17+.
It carries only the core plus the modules ``transport-netty4``, ``x-pack-core``,
``x-pack-security`` and ``apm``. Not there: ``GET /`` and ``HEAD /`` (module rest-root, so
the client's ``info()`` fails and ``ping()`` is False), painless scripts, ``_delete_by_query`` /
``_update_by_query`` / ``_reindex`` (module reindex), the analysis-common filters and the
mapper-extras field types. See ``probe_features()`` for what a backend can count on.

Example::

    with ElasticsearchServer() as es:
        Elasticsearch(es.url)
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

from ._common import (
    INSTALL_HINT,
    ManagedProcess,
    RunAs,
    ServerBase,
    ServiceUnavailable,
    cache_dir,
    chown_tree,
    free_ports,
    make_workdir,
    service_account,
    timed,
    traversable_by_others,
    wait_until,
)

ENV_URL = "DATAKNOBS_TEST_ES_URL"
ENV_VERSION = "DATAKNOBS_ES_VERSION"
DEFAULT_VERSION = "8.19.21"
"""Newest 8.19.x integ-test-zip on Maven Central when this was written (8.19.22 absent)."""
MAVEN_GROUP = "org.elasticsearch.distribution.integ-test-zip"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
START_TIMEOUT = float(os.environ.get("DATAKNOBS_ES_START_TIMEOUT", "300"))
HEAP = os.environ.get("DATAKNOBS_ES_HEAP", "512m")


def es_version() -> str:
    """The Elasticsearch version to use (``$DATAKNOBS_ES_VERSION`` or the pinned default)."""
    return os.environ.get(ENV_VERSION, DEFAULT_VERSION)


def version_dir(version: str | None = None) -> Path:
    """Cache folder of one version: ``<cache>/elasticsearch/<version>``."""
    return cache_dir() / "elasticsearch" / (version or es_version())


def distribution_home(version: str | None = None) -> Path:
    """The unpacked ES home in the cache (it may not exist yet)."""
    version = version or es_version()
    return version_dir(version) / f"elasticsearch-{version}"


def is_installed(version: str | None = None) -> bool:
    """True when the distribution is unpacked completely in the cache."""
    home = distribution_home(version)
    return (home / ".dataknobs-complete").exists() and (home / "bin" / "elasticsearch").exists()


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _java_major(java: Path) -> int | None:
    try:
        result = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except OSError:
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def find_java_home(minimum: int = 17) -> Path | None:
    """Return a Java home with ``bin/java`` of at least version *minimum*, or None."""
    candidates: list[Path] = []
    for var in ("ES_JAVA_HOME", "JAVA_HOME"):
        if os.environ.get(var):
            candidates.append(Path(os.environ[var]))
    java = shutil.which("java")
    if java:
        candidates.append(Path(os.path.realpath(java)).parent.parent)
    candidates.extend(sorted(Path("/usr/lib/jvm").glob("*"), reverse=True))
    for home in candidates:
        binary = home / "bin" / "java"
        if binary.exists():
            major = _java_major(binary)
            if major is not None and major >= minimum:
                return home
    return None


def fetch(version: str | None = None, *, quiet: bool = True) -> Path:
    """Download (with Maven) and unpack the distribution into the cache; return its home.

    Idempotent: returns at once when the version is already unpacked.
    """
    version = version or es_version()
    home = distribution_home(version)
    if is_installed(version):
        return home
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServiceUnavailable(
            f"Elasticsearch {version} is not in the cache ({home}) and Maven (mvn) is missing "
            f"to fetch it; {INSTALL_HINT} or set {ENV_URL}=http://host:9200"
        )
    vdir = version_dir(version)
    with _file_lock(vdir / ".lock"):
        if is_installed(version):
            return home
        zip_path = vdir / f"elasticsearch-{version}.zip"
        if not zip_path.exists():
            with tempfile.TemporaryDirectory(dir=vdir) as tmp:
                cmd = [
                    mvn,
                    "-B",
                    "-Dstyle.color=never",
                    *(["-q"] if quiet else []),
                    f"{DEPENDENCY_PLUGIN}:copy",
                    f"-Dartifact={MAVEN_GROUP}:elasticsearch:{version}:zip",
                    f"-DoutputDirectory={tmp}",
                ]
                env = dict(os.environ)
                env["MAVEN_OPTS"] = (env.get("MAVEN_OPTS", "") + " -XX:-UsePerfData").strip()
                result = subprocess.run(
                    cmd,
                    capture_output=True,
                    text=True,
                    timeout=1800,
                    check=False,
                    cwd=tmp,
                    env=env,
                )
                downloaded = Path(tmp) / f"elasticsearch-{version}.zip"
                if result.returncode != 0 or not downloaded.exists():
                    raise ServiceUnavailable(
                        f"Maven could not fetch Elasticsearch {version} "
                        f"(exit {result.returncode}): {' '.join(cmd)}\n"
                        f"{(result.stdout + result.stderr)[-3000:]}"
                    )
                downloaded.replace(zip_path)
        _unpack(zip_path, vdir, home)
        zip_path.unlink()
    return home


def _unpack(zip_path: Path, vdir: Path, home: Path) -> None:
    """Extract keeping the Unix permission bits, then move into place atomically."""
    with tempfile.TemporaryDirectory(dir=vdir) as tmp, zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            target = Path(archive.extract(info, tmp))
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                target.chmod(mode | (0o755 if info.is_dir() else 0o444))
        extracted = Path(tmp) / home.name
        if not (extracted / "bin" / "elasticsearch").exists():
            raise ServiceUnavailable(f"{zip_path} does not contain {home.name}/bin/elasticsearch")
        (extracted / ".dataknobs-complete").write_text("ok\n")
        if home.exists():
            shutil.rmtree(home)
        extracted.replace(home)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


class ElasticsearchServer(ServerBase):
    """Context manager running a private single-node Elasticsearch on 127.0.0.1.

    ``url`` is available after ``__enter__``/``start()``; ``startup_seconds`` tells how long
    it took until the cluster was yellow or green; ``version`` is the server's version.
    """

    def __init__(self, *, version: str | None = None, fetch_missing: bool = True) -> None:
        self.version = version or es_version()
        self.fetch_missing = fetch_missing
        super().__init__()
        self._url: str | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        if self._url is None:
            raise RuntimeError("ElasticsearchServer is not started")
        return self._url

    def start(self) -> str:
        """Start the server and wait for yellow health; raise ServiceUnavailable on failure."""
        java_home = find_java_home()
        if java_home is None:
            raise ServiceUnavailable(
                "no Java 17+ found (ES_JAVA_HOME, JAVA_HOME, PATH, /usr/lib/jvm) to run "
                f"Elasticsearch; {INSTALL_HINT} (installs openjdk-17-jre-headless) "
                f"or set {ENV_URL}=http://host:9200"
            )
        if is_installed(self.version):
            home = distribution_home(self.version)
        elif self.fetch_missing:
            home = fetch(self.version)
        else:
            raise ServiceUnavailable(
                f"Elasticsearch {self.version} is not in the cache; {INSTALL_HINT} "
                f"or set {ENV_URL}=http://host:9200"
            )
        with timed() as elapsed:
            account = service_account()
            self._workdir = make_workdir("elasticsearch", account)
            try:
                self._launch(home, java_home, account)
            except BaseException:
                self.stop()
                raise
        self.startup_seconds = elapsed[0]
        return self.url

    def _prepare_home(self, home: Path, account: RunAs) -> Path:
        """Return an ES home the service account can read (hard-linked copy if needed)."""
        if not account.demoted or traversable_by_others(home):
            return home
        assert self._workdir is not None
        local = self._workdir / "home"
        shutil.copytree(home, local, symlinks=True, copy_function=_link_or_copy)
        return local

    def _launch(self, cached_home: Path, java_home: Path, account: RunAs) -> None:
        assert self._workdir is not None
        home = self._prepare_home(cached_home, account)
        conf = self._workdir / "config"
        shutil.copytree(home / "config", conf)
        for sub in ("data", "logs", "tmp"):
            (self._workdir / sub).mkdir()
        chown_tree(self._workdir / "config", account)
        for sub in ("data", "logs", "tmp"):
            chown_tree(self._workdir / sub, account)
        has_security = (home / "modules" / "x-pack-security").is_dir()
        last_error: ServiceUnavailable | None = None
        for _attempt in range(3):  # a probed port can be taken in between: retry
            http_port, transport_port = free_ports(2)
            settings: dict[str, object] = {
                "cluster.name": "dataknobs-test",
                "node.name": "dataknobs-test",
                "network.host": "127.0.0.1",
                "http.port": http_port,
                "transport.port": transport_port,
                "discovery.type": "single-node",
                "path.data": str(self._workdir / "data"),
                "path.logs": str(self._workdir / "logs"),
                "cluster.routing.allocation.disk.threshold_enabled": False,
                "action.destructive_requires_name": False,
            }
            if has_security:
                settings["xpack.security.enabled"] = False
            (conf / "elasticsearch.yml").write_text(
                "".join(f"{k}: {json.dumps(v)}\n" for k, v in settings.items())
            )
            env = {k: v for k, v in os.environ.items() if not k.startswith(("ES_", "JAVA_"))}
            env.update(
                ES_JAVA_HOME=str(java_home),
                ES_PATH_CONF=str(conf),
                ES_TMPDIR=str(self._workdir / "tmp"),
                ES_JAVA_OPTS=f"-Xms{HEAP} -Xmx{HEAP} -XX:-UsePerfData",
                CLI_JAVA_OPTS="-XX:-UsePerfData",
                HOME=str(self._workdir),
            )
            url = f"http://127.0.0.1:{http_port}"
            process = ManagedProcess(
                "elasticsearch",
                [str(home / "bin" / "elasticsearch")],
                log_path=self._workdir / "elasticsearch.out",
                account=account,
                env=env,
                cwd=self._workdir,
                stop_timeout=20.0,
            )
            self._process = process
            try:
                wait_until(
                    functools.partial(_healthy, url),
                    what=f"Elasticsearch {self.version} on {url}",
                    timeout=START_TIMEOUT,
                    process=process,
                    interval=0.25,
                )
            except ServiceUnavailable as exc:
                process.stop()
                self._process = None
                last_error = exc
                if "BindException" in process.log_tail(200):
                    continue
                raise
            self._url = url
            return
        assert last_error is not None
        raise last_error

    def _forget(self) -> None:
        self._url = None


def _healthy(url: str) -> bool:
    health = url + "/_cluster/health?wait_for_status=yellow&timeout=1s"
    try:
        with urllib.request.urlopen(health, timeout=3) as response:
            body = json.loads(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False
    return body.get("status") in {"yellow", "green"}


def smoke_test(url: str) -> str:
    """Index a document with refresh, search it back; return the server version."""
    import uuid

    from elasticsearch import Elasticsearch

    index = f"dk-smoke-{uuid.uuid4().hex[:12]}"
    with Elasticsearch(url, request_timeout=30) as es:
        # Not es.info(): the integ-test zip has no rest-root module, so GET / is a 405.
        nodes = es.nodes.info(filter_path="nodes.*.version")["nodes"]
        version = ",".join(sorted({str(n["version"]) for n in nodes.values()}))
        es.index(index=index, id="1", document={"name": "Ada", "age": 36}, refresh=True)
        hits = es.search(index=index, query={"term": {"name.keyword": "Ada"}})["hits"]["hits"]
        if [h["_id"] for h in hits] != ["1"]:
            raise AssertionError(f"unexpected hits {hits!r}")
        es.indices.delete(index=index)
    return version
