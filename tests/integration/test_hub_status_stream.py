"""The hub's live ticket status (``hub_ticket_status_stream``, hub.status_streams): a push of
the ticket's branch reaches the open streams through PostgreSQL NOTIFY, one read per push for
all of a branch's streams; the office-away note comes and goes; bad codes and the caps are
refused with their error codes; the page carries the stream's script and a no-script refresh."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import psycopg
import pytest
import requests
from sqlalchemy.orm import Session

from counter_app.hub import (
    booking_status,
    dashboard_stream,
    status_notify,
    status_streams,
    store,
    web,
)
from counter_app.hub.app import create_hub_app
from counter_app.hub.status_streams import StatusBoard, StreamCaps
from counter_app.server import gc_policy
from counter_app.server.background import BackgroundServer
from counter_app.store import pg_listen
from counter_app.store.pg_listen import libpq_url
from tests.support.databases import fresh_pg_database
from tests.support.hub_tickets import Journal, push
from tests.support.ports import free_port
from tests.support.sse import EventStream

pytestmark = [pytest.mark.postgres]
REGIONS = (("A", "Cianjur"), ("B", "Bandung"))
PASSWORD = "hub-stream-password-1"


class HubStream(EventStream):
    """``GET /hub/v1/public/tickets/{code}/events`` (or another path), read with the same
    parser."""

    def __init__(
        self,
        base_url: str,
        code: str,
        timeout: float = 10.0,
        *,
        path: str | None = None,
        cookies: dict[str, str] | None = None,
    ) -> None:
        self.response = requests.get(
            base_url + (path or f"/hub/v1/public/tickets/{code}/events"),
            headers={"Accept": "text/event-stream"},
            cookies=cookies,
            stream=True,
            timeout=(5, timeout),
        )
        assert self.response.status_code == 200, self.response.text
        self._chunks = self.response.iter_content(chunk_size=None)
        self._buffer = b""

    def status(self, timeout: float = 10.0) -> dict[str, object]:
        [message] = self.events(1, timeout)
        assert message.event == "status" and message.data is not None, message
        return message.data


@dataclass
class Hub:
    url: str
    board: StatusBoard
    keys: list[str]
    branch_ids: list[int]


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[Hub]:
    monkeypatch.setattr(status_streams, "TICK_SECONDS", 0.2)
    monkeypatch.setattr(status_streams, "HEARTBEAT_SECONDS", 0.4)
    with fresh_pg_database() as url:
        app = create_hub_app(url)
        with app.state.sessions.begin() as session:
            assert isinstance(session, Session)
            made = [store.add_branch(session, f"Kecamatan {n}", r) for n, r in REGIONS]
            store.add_user(session, "pengawas", PASSWORD, store.REGIONAL_SUPERVISOR, "Cianjur")
            store.add_user(session, "admin", PASSWORD, store.HUB_ADMIN)
        with BackgroundServer(app, "127.0.0.1", free_port(), log_level="warning") as server:
            yield Hub(
                server.url,
                app.state.status_board,
                [key for _id, key in made],
                [int(branch_id) for branch_id, _key in made],
            )


def _wait_for(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def test_a_push_reaches_every_stream_of_the_branch_with_one_read(hub: Hub) -> None:
    journal = Journal()
    journal.note()
    journal.issue("KODE0001")
    journal.issue("KODE0002")
    push(hub.url, hub.keys[0], journal)
    mine = [HubStream(hub.url, "KODE0002") for _ in range(3)]
    first = HubStream(hub.url, "KODE0001")
    try:
        for stream in mine:
            status = stream.status()
            assert status["state"] == "waiting" and status["ahead"] == 1, status
            assert status["seq"] == 3 and status["stale"] is False
        assert first.status()["ahead"] == 0
        [watch] = hub.board.watches.values()
        reads = watch.reads

        journal.move("KODE0001", "called")  # the first citizen is called at Loket 1
        assert push(hub.url, hub.keys[0], journal)["hub_seq"] == 4
        for stream in mine:
            status = stream.status()
            assert status["ahead"] == 0 and status["now_calling"] == ["A-001"], status
            assert status["seq"] == 4 and str(status["as_of_text"]).endswith(" WIB")
        called = first.status()
        assert called["state"] == "called" and called["counter_name"] == "Loket 1"
        assert watch.reads - reads == 1  # one read for the four streams

        # Another branch's push wakes nothing here.
        other = Journal()
        other.issue("LAIN0001")
        push(hub.url, hub.keys[1], other)
        assert mine[0].events_until_heartbeat() == []

        # A closed state is the stream's last message.
        journal.move("KODE0001", "done")
        push(hub.url, hub.keys[0], journal)
        assert first.status()["state"] == "done"
        assert next(first._chunks, None) is None
    finally:
        for stream in [*mine, first]:
            stream.close()
    _wait_for(lambda: hub.board.open == 0 and not hub.board.watches)


def test_the_office_away_note_comes_and_goes(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(booking_status, "STALE_AFTER", timedelta(seconds=1))
    journal = Journal()
    journal.issue("KODE0003")
    push(hub.url, hub.keys[0], journal)
    with HubStream(hub.url, "KODE0003") as stream:
        assert stream.status()["stale"] is False
        # No push for a second: the office is away, and the page is told without a push.
        status = stream.status(timeout=5)
        assert status["stale"] is True and status["seq"] == 1, status
        # A push without events (the branch's heartbeat): it is back.
        push(hub.url, hub.keys[0], journal)
        assert stream.status(timeout=5)["stale"] is False


def _error(r: requests.Response, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    assert r.json()["error"] == code, r.text


def test_bad_codes_are_refused(hub: Hub) -> None:
    events = f"{hub.url}/hub/v1/public/tickets"
    _error(requests.get(f"{events}/TIDAKADA/events", timeout=10), 404, "ticket_not_found")
    _error(requests.get(f"{events}/%3Cb%3E/events", timeout=10), 422, "invalid_input")
    page = requests.get(f"{hub.url}/t/TIDAKADA", timeout=10)
    assert page.status_code == 404 and "Nomor antrean tidak ditemukan" in page.text
    assert hub.board.open == 0


def test_streams_are_capped_per_address_and_in_all(hub: Hub) -> None:
    journal = Journal()
    journal.issue("KODE0004")
    push(hub.url, hub.keys[0], journal)
    url = f"{hub.url}/hub/v1/public/tickets/KODE0004/events"
    hub.board.caps = StreamCaps(per_address=2, total=100)
    held = [HubStream(hub.url, "KODE0004") for _ in range(2)]
    try:
        for stream in held:
            stream.status()
        _error(requests.get(url, timeout=10), 429, "too_many_streams")
        hub.board.caps = StreamCaps(per_address=100, total=2)
        _error(requests.get(url, timeout=10), 503, "streams_full")
    finally:
        held[0].close()
    _wait_for(lambda: hub.board.open == 1)
    with HubStream(hub.url, "KODE0004") as again:  # a closed stream frees its place
        again.status()
    held[1].close()


def test_the_page_follows_the_stream_and_refreshes_without_script(hub: Hub) -> None:
    journal = Journal()
    journal.issue("KODE0005")
    push(hub.url, hub.keys[0], journal)
    page = requests.get(f"{hub.url}/t/KODE0005", timeout=10).text
    assert '<noscript><meta http-equiv="refresh" content="20"></noscript>' in page
    assert 'new EventSource("/hub/v1/public/tickets/" + "KODE0005" + "/events")' in page
    assert '<dd id="ahead">0 orang</dd>' in page


def test_the_stream_is_in_the_openapi_document(hub: Hub) -> None:
    spec = requests.get(f"{hub.url}/openapi.json", timeout=10).json()
    operation = spec["paths"]["/hub/v1/public/tickets/{code}/events"]["get"]
    assert operation["operationId"] == "hub_ticket_status_stream"
    assert set(operation["responses"]) >= {"200", "404", "422", "429", "503"}
    assert "text/event-stream" in operation["responses"]["200"]["content"]


def _session_cookie(hub: Hub, username: str) -> dict[str, str]:
    r = requests.post(
        f"{hub.url}/hub/v1/login", json={"username": username, "password": PASSWORD}, timeout=30
    )
    assert r.status_code == 200, r.text
    return {web.SESSION_COOKIE: r.json()["token"]}


def test_the_dashboard_hears_of_its_regions_pushes_only(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard_stream, "MIN_GAP_SECONDS", 0.1)
    r = requests.get(f"{hub.url}/pusat/langsung", timeout=10)
    assert r.status_code == 401  # no session
    cianjur, bandung = Journal(), Journal()
    regional = HubStream(
        hub.url, "", path="/pusat/langsung", cookies=_session_cookie(hub, "pengawas")
    )
    admin = HubStream(hub.url, "", path="/pusat/langsung", cookies=_session_cookie(hub, "admin"))
    try:
        _wait_for(lambda: len(hub.board.dashboards) == 2)
        bandung.issue("LAIN0002")
        push(hub.url, hub.keys[1], bandung)  # another region: the regional dashboard hears nothing
        assert admin.events(1)[0].event == "changed"
        assert regional.events_until_heartbeat() == []
        cianjur.issue("KODE0006")
        push(hub.url, hub.keys[0], cianjur)
        assert regional.events(1)[0].event == "changed"
        assert admin.events(1)[0].event == "changed"
    finally:
        regional.close()
        admin.close()
    _wait_for(lambda: hub.board.open == 0 and not hub.board.dashboards)


def test_a_ticket_the_hub_cannot_read_does_not_stop_the_streams(hub: Hub) -> None:
    journal = Journal()
    journal.issue("KODE0007")
    push(hub.url, hub.keys[0], journal)
    with HubStream(hub.url, "KODE0007") as stream:
        assert stream.status()["seq"] == 1
        odd = journal.note()
        odd["ticket"] = {"code": "ANEH0001", "state": "waiting"}  # no id, no service day
        push(hub.url, hub.keys[0], journal)
        status = stream.status()
        assert status["seq"] == 2 and status["state"] == "waiting" and status["ahead"] == 0


def test_a_started_hub_settles_the_garbage_collector() -> None:
    """Thousands of open pages: a full collection must not walk what was built at start
    (server.gc_policy, as on a branch server)."""
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        with fresh_pg_database() as url:
            app = create_hub_app(url)
            with BackgroundServer(app, "127.0.0.1", free_port(), log_level="warning"):
                assert gc.get_threshold() == (
                    gc_policy.YOUNG_THRESHOLD,
                    gc_policy.MIDDLE_THRESHOLD,
                    gc_policy.OLD_THRESHOLD,
                )
                assert gc.get_freeze_count() > 0
    finally:
        gc.set_threshold(*before)


class _PauseOneSecond:
    """The listener's reconnect pause, fixed: the push below falls inside it."""

    def __init__(self, *_args: object, **_kwargs: object) -> None:
        pass

    def next(self) -> float:
        return 1.0

    def reset(self) -> None:
        pass


def test_a_push_while_the_listener_reconnects_is_not_missed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pg_listen, "Backoff", _PauseOneSecond)
    with fresh_pg_database() as url:
        app = create_hub_app(url)
        with app.state.sessions.begin() as session:
            assert isinstance(session, Session)
            key = store.add_branch(session, "Kecamatan A", "Cianjur")[1]
        with BackgroundServer(app, "127.0.0.1", free_port(), log_level="warning") as server:
            journal = Journal()
            journal.issue("KODE0008")
            push(server.url, key, journal)
            with HubStream(server.url, "KODE0008") as stream:
                assert stream.status()["seq"] == 1
                with psycopg.connect(libpq_url(url), autocommit=True) as admin:
                    ended = admin.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND query = %s",
                        (f"LISTEN {status_notify.CHANNEL}",),
                    ).fetchall()
                assert ended == [(True,)]
                journal.issue("KODE0009")
                push(server.url, key, journal)  # its notification goes to no listener
                status = stream.status(timeout=5)  # re-read after the reconnect
                assert status["seq"] == 2 and status["ahead"] == 0
