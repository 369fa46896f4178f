"""Public status streams share their reads (one per burst for a watched code, however many
streams show it) and are capped per client address and in all."""

from __future__ import annotations

import time
from pathlib import Path

import requests

from counter_app.server.public_streams import StatusBoard
from tests.conftest import OfficeTemplate, sqlite_copy
from tests.support.booking import StatusStream
from tests.support.http import Api
from tests.support.live_server import run_server
from tests.support.queue_ops import call_next, expect_error, issue, set_state

STREAMS = 6


def _wait_for(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_many_streams_on_one_code_cost_one_read_per_burst(
    sqlite_office_template: OfficeTemplate, tmp_path: Path
) -> None:
    office = sqlite_office_template.office
    with run_server(sqlite_copy(sqlite_office_template, tmp_path)) as server:
        anon = Api(server.url)
        kiosk = anon.as_token(office.kiosk_token)
        petugas1 = anon.login("petugas1")
        set_state(petugas1, office.counters[1], "open")
        ticket = issue(kiosk, office.services["A"])
        board: StatusBoard = server.app.state.status_board
        streams = [StatusStream(server.url, ticket["code"]) for _ in range(STREAMS)]
        try:
            for stream in streams:
                [first] = stream.events(1)
                assert first.data is not None and first.data["state"] == "waiting"
            assert board.open == STREAMS and len(board.watches) == 1
            [watch] = board.watches.values()
            reads_before = watch.reads
            called = call_next(petugas1, office.counters[1])
            assert called is not None and called["id"] == ticket["id"]
            for stream in streams:
                [message] = stream.events(1)
                assert message.data is not None and message.data["state"] == "called"
            # One read of the statuses for all six streams (at most one more for a burst
            # split in two), where each stream used to read on its own.
            assert 1 <= watch.reads - reads_before <= 2
        finally:
            for stream in streams:
                stream.close()
        _wait_for(lambda: board.open == 0 and not board.watches)


def test_streams_are_capped_per_address_and_in_all(
    sqlite_office_template: OfficeTemplate, tmp_path: Path
) -> None:
    office = sqlite_office_template.office
    url = sqlite_copy(sqlite_office_template, tmp_path)
    with run_server(url, public_streams_per_address=2, public_streams_total=50) as server:
        kiosk = Api(server.url).as_token(office.kiosk_token)
        code = issue(kiosk, office.services["A"])["code"]
        events = f"{server.url}/api/v1/public/tickets/{code}/events"
        first, second = StatusStream(server.url, code), StatusStream(server.url, code)
        try:
            first.events(1)
            second.events(1)
            expect_error(requests.get(events, timeout=10), 429, "too_many_streams")
        finally:
            first.close()
        board: StatusBoard = server.app.state.status_board
        _wait_for(lambda: board.open == 1)
        third = StatusStream(server.url, code)  # a closed stream frees its place
        third.events(1)
        third.close()
        second.close()
    with run_server(url, public_streams_total=1) as server:
        kiosk = Api(server.url).as_token(office.kiosk_token)
        code = issue(kiosk, office.services["A"])["code"]
        with StatusStream(server.url, code) as only:
            only.events(1)
            expect_error(
                requests.get(f"{server.url}/api/v1/public/tickets/{code}/events", timeout=10),
                503,
                "streams_full",
            )
