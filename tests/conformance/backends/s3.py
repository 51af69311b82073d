"""The S3 backend on each real S3-compatible server: SeaweedFS and moto (or an external one).

The ``s3_server`` fixture is parametrised, which a case cannot request by name, so each
case starts its server lazily here (once per session, stopped at the session's end)
with the same machinery and the same environment switches as ``tests.services.plugin``.
"""

from __future__ import annotations

import pytest

from tests.conformance.harness import BackendCase, CaseContext
from tests.services.plugin import _unavailable, s3_params
from tests.services.s3 import ENV_ENDPOINT, S3Endpoint, server_for

BUCKET = "dataknobs-conformance"
_ENDPOINTS: dict[str, S3Endpoint] = {}


def _endpoint(ctx: CaseContext, kind: str) -> S3Endpoint:
    if kind not in _ENDPOINTS:
        if kind == "external":
            endpoint = S3Endpoint.from_env()
            assert endpoint is not None
        else:
            server = server_for(kind)
            try:
                endpoint = server.start()
            except Exception as exc:
                _unavailable(f"S3 ({kind})", exc, ENV_ENDPOINT)
            ctx.request.config.add_cleanup(server.stop)
        _ENDPOINTS[kind] = endpoint
    return _ENDPOINTS[kind]


def _case(kind: str) -> BackendCase:
    def options(ctx: CaseContext) -> dict[str, object]:
        endpoint = _endpoint(ctx, kind)
        return endpoint.options(BUCKET, prefix=f"conformance/{ctx.unique}", create_bucket=True)

    return BackendCase(
        name=f"s3-{kind}",
        backend="s3",
        options=options,
        marks=(pytest.mark.services,),
        differential_examples=25,
    )


CASES = [_case(kind) for kind in s3_params()]
