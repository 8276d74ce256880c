"""Fuzz the web API from its own OpenAPI schema (schemathesis): no input makes a 5xx, and
every response matches the documented status codes, content types and schemas."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
schemathesis = pytest.importorskip("schemathesis")
pytest.importorskip("httpx")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis import checks  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402

import undersea  # noqa: E402
from undersea.web import Limits, create_app  # noqa: E402
from undersea.web.app import ALLOWED_HOSTS  # noqa: E402

# Small limits keep every accepted job and matrix cheap; max examples keep the run short.
APP = create_app(
    undersea.load(sample=True, cache=False),
    limits=Limits(max_scenarios=200, max_active_jobs=2, max_matrix_places=8),
    allowed_hosts=(*ALLOWED_HOSTS, "testserver", "localhost"),  # the ASGI test client's name
)
# The coverage phase still tries boundary values of every field; other HTTP methods are left
# out (405s prove nothing) to keep the run short.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"unexpected-methods": []}}})
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_fails_on_generated_input(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS, timeout=60)
