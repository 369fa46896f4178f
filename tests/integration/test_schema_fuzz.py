"""The OpenAPI document tells the truth: requests generated from it (schemathesis) against
the demo office, as the admin, get only documented statuses, and the server never refuses
as malformed what the document says is valid.

Bounded: at most ``EXAMPLES`` requests per operation, and a time budget for the whole run.
Business refusals of well-formed requests (an unknown id's 404, a state conflict's 409, a
NIK that fails its checksum-like rules) are answers, not disagreements, as long as their
status is documented; only ``invalid_input`` / ``malformed_json`` for a generated valid body
count as refused.

One known difference is allowed for: JSON Schema counts ``1.0`` as an integer, the server
does not (strict types: a client that sends ``1.0`` for an id has a bug). Generated bodies
holding a float are left out of the "refused" count; the document says so in each request
body's description."""

from __future__ import annotations

import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, settings

from tests.conftest import OfficeTemplate, sqlite_copy
from tests.support.http import Api
from tests.support.live_server import run_server

EXAMPLES = 25
# A bound against a hang, not a speed test: ~45 s on a quiet 2-core machine, 3-4x that
# when it is shared (the whole test still ends within pytest-timeout's 300 s).
BUDGET_SECONDS = 240.0
# Streams never end by themselves: their statuses are checked without reading them.
STREAMING = {"event_stream", "ticket_status_stream"}
REFUSED_AS_SHAPE = {"invalid_input", "malformed_json"}


def has_float(value: object) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(has_float(v) for v in value)
    return False


class Tally:
    def __init__(self, base_url: str, token: str, deadline: float) -> None:
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {token}"}
        self.deadline = deadline
        self.session = requests.Session()
        self.undocumented: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        self.sent = 0

    def sender(self, operation_id: str, documented: set[str]) -> Callable[[Any], None]:
        def send_case(case: Any) -> None:
            self.send(operation_id, documented, case)

        return send_case

    def send(self, operation_id: str, documented: set[str], case: Any) -> None:
        if time.monotonic() > self.deadline:
            return
        self.sent += 1
        kwargs = case.as_transport_kwargs(base_url=self.base_url, headers=self.headers)
        kwargs.pop("stream", None)
        response = self.session.request(**kwargs, stream=True)  # a stream is not read on
        status = str(response.status_code)
        if status not in documented:
            self.undocumented[f"{operation_id} {status}"] += 1
        elif response.status_code == 422:
            body = response.json()
            if body.get("error") in REFUSED_AS_SHAPE and not has_float(case.body):
                self.refused[f"{operation_id} {body.get('message', '')[:120]}"] += 1
        response.close()


def fuzz(base_url: str, token: str) -> Tally:
    """Send up to ``EXAMPLES`` generated requests per operation; tally the disagreements."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import schemathesis

    schema = schemathesis.openapi.from_url(base_url + "/openapi.json")
    tally = Tally(base_url, token, time.monotonic() + BUDGET_SECONDS)
    for result in schema.get_all_operations():
        operation = result.ok()
        operation_id = str(operation.definition.raw.get("operationId", operation.label))
        documented = set(operation.definition.raw.get("responses", {}))
        if time.monotonic() > tally.deadline:
            pytest.fail(f"over the time budget before {operation_id}")
        run = given(case=operation.as_strategy())(tally.sender(operation_id, documented))
        settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )(run)()
    return tally


@pytest.mark.slow
def test_generated_requests_get_documented_answers(
    sqlite_office_template: OfficeTemplate, tmp_path: Path
) -> None:
    url = sqlite_copy(sqlite_office_template, tmp_path)
    limits = {"public_burst": 100_000, "public_per_second": 10_000.0}
    with run_server(url, booking_client_burst=100_000, **limits) as server:
        token = Api(server.url).login("admin").token or ""
        started = time.monotonic()
        tally = fuzz(server.url, token)
        took = time.monotonic() - started
    print(f"schema fuzz: {tally.sent} requests in {took:.0f} s")
    assert not tally.undocumented, dict(tally.undocumented)
    assert not tally.refused, dict(tally.refused)
    assert took < 90
