"""The product client against a real server with the demo office: calls, errors, retries
that never double an action, and the event listener (order, resume, reconnect, stop)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
import requests

from counter_app.client import (
    ApiClient,
    ApiError,
    ConnectionLost,
    ConnectionState,
    EventListener,
    ServerUnavailable,
    new_idempotency_key,
)
from counter_app.core.error_codes import ErrorCode
from counter_app.core.states import TicketState
from counter_app.core.vocabulary import CounterState, DeviceKind, Role, TicketSource
from counter_app.schemas.auth import DeviceCreate, UserCreate
from counter_app.schemas.office import (
    BranchCreate,
    CounterCreate,
    PriorityClassCreate,
    ServiceCreate,
)
from counter_app.schemas.tickets import EventOut
from tests.conftest import OfficeTemplate, Running
from tests.support.flaky_proxy import FlakyProxy
from tests.support.live_server import run_server
from tests.support.office import PASSWORD
from tests.support.ports import free_port

WAIT = 15.0  # seconds: the bound on every wait for the server or the listener


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def client(running: Running, username: str | None = None) -> ApiClient:
    api = ApiClient(running.server.url)
    if username is not None:
        api.login(username, PASSWORD)
    return api


@pytest.fixture
def officer(running_sqlite: Running) -> Iterator[ApiClient]:
    with client(running_sqlite, "petugas1") as api:
        yield api


@pytest.fixture
def kiosk(running_sqlite: Running) -> Iterator[ApiClient]:
    with ApiClient(running_sqlite.server.url, running_sqlite.office.kiosk_token) as api:
        yield api


def raises_api(status: int, code: str, call: Callable[[], object]) -> ApiError:
    with pytest.raises(ApiError) as info:
        call()
    assert (info.value.status, info.value.code) == (status, code), info.value
    assert info.value.message
    return info.value


# --- sessions and lists ---------------------------------------------------------------


def test_health_login_whoami_logout(running_sqlite: Running) -> None:
    api = client(running_sqlite)
    health = api.health()
    assert (health.status, health.database) == ("ok", "sqlite")

    login = api.login("petugas1", PASSWORD)
    assert api.token == login.token
    assert login.user.username == "petugas1" and login.user.role is Role.OFFICER
    me = api.whoami()
    assert me.user is not None and me.user.username == "petugas1"
    assert me.branch_id == running_sqlite.office.branch_id

    old_token = api.token
    api.logout()
    assert api.token is None
    raises_api(401, "not_authenticated", api.whoami)
    raises_api(401, "bad_token", ApiClient(running_sqlite.server.url, old_token).whoami)
    # Logging out of a session that already ended is not an error.
    ApiClient(running_sqlite.server.url, old_token).logout()


def test_device_token_whoami(running_sqlite: Running) -> None:
    me = ApiClient(running_sqlite.server.url, running_sqlite.office.display_token).whoami()
    assert me.user is None and me.device_kind is DeviceKind.DISPLAY
    assert me.branch_id == running_sqlite.office.branch_id


def test_lists(running_sqlite: Running) -> None:
    branch = running_sqlite.office.branch_id
    api = client(running_sqlite, "supervisor")
    assert [b.code for b in api.list_branches()] == ["demo"]
    services = api.list_services(branch)
    assert [s.prefix for s in services] == ["A", "B", "C", "D"]
    assert services[0].name == "Perekaman KTP-el"
    counters = {c.number: c for c in api.list_counters(branch)}
    assert sorted(counters) == [1, 2, 3, 4]
    assert counters[2].service_ids == [
        running_sqlite.office.services["A"],
        running_sqlite.office.services["B"],
    ]
    assert all(c.state is CounterState.CLOSED for c in counters.values())
    classes = [p.code for p in api.list_priority_classes(branch)]
    assert sorted(classes) == ["anak", "disabilitas", "ibu_hamil", "lansia"]
    users = {u.username for u in api.list_users()}
    assert {"supervisor", "petugas1", "petugas4"} <= users


def test_admin_sets_up_an_office(running_sqlite: Running) -> None:
    admin = client(running_sqlite, "admin")
    branch = admin.create_branch(
        BranchCreate(code="samsat-1", name="Samsat Kota", timezone="Asia/Makassar")
    )
    assert (branch.code, branch.timezone) == ("samsat-1", "Asia/Makassar")
    service = admin.create_service(ServiceCreate(branch_id=branch.id, prefix="P", name="Pajak"))
    assert (service.prefix, service.branch_id) == ("P", branch.id)
    counter = admin.create_counter(
        CounterCreate(branch_id=branch.id, number=1, name="Loket Pajak", service_ids=[service.id])
    )
    assert counter.service_ids == [service.id] and counter.state is CounterState.CLOSED
    pclass = admin.create_priority_class(
        PriorityClassCreate(branch_id=branch.id, code="lansia", name="Lansia")
    )
    user = admin.create_user(
        UserCreate(
            username="kasir1",
            role=Role.OFFICER,
            branch_id=branch.id,
            password="kasir-password",
            counter_ids=[counter.id],
        )
    )
    assert user.counter_ids == [counter.id]
    device = admin.create_device(DeviceCreate(branch_id=branch.id, kind=DeviceKind.KIOSK, name="K"))
    assert device.token

    kiosk = ApiClient(running_sqlite.server.url, device.token)
    ticket = kiosk.issue_ticket(service.id, priority_class_id=pclass.id)
    assert (ticket.number, ticket.priority, ticket.ahead) == ("P-001", True, 0)

    officer = ApiClient(running_sqlite.server.url)
    officer.login("kasir1", "kasir-password")
    officer.set_counter_state(counter.id, CounterState.OPEN)
    called = officer.call_next(counter.id).ticket
    assert called is not None and called.id == ticket.id

    raises_api(
        409,
        "prefix_taken",
        lambda: admin.create_service(ServiceCreate(branch_id=branch.id, prefix="P", name="Lagi")),
    )
    # Counter 1 and class "lansia" exist in the demo branch too: taken means taken in this one.
    raises_api(
        409,
        ErrorCode.COUNTER_NUMBER_TAKEN,
        lambda: admin.create_counter(
            CounterCreate(branch_id=branch.id, number=1, service_ids=[service.id])
        ),
    )
    raises_api(
        409,
        ErrorCode.PRIORITY_CLASS_TAKEN,
        lambda: admin.create_priority_class(
            PriorityClassCreate(branch_id=branch.id, code="lansia", name="Lagi")
        ),
    )
    raises_api(403, "forbidden", lambda: officer.create_branch(BranchCreate(code="x", name="X")))


def test_running_text(running_sqlite: Running) -> None:
    branch = running_sqlite.office.branch_id
    supervisor = client(running_sqlite, "supervisor")
    out = supervisor.set_running_text(branch, "Selamat datang di Disdukcapil")
    assert out.running_text == "Selamat datang di Disdukcapil"
    assert supervisor.queue_snapshot(branch).branch.running_text == out.running_text


# --- a ticket's life ------------------------------------------------------------------


def test_ticket_lifecycle(running_sqlite: Running, officer: ApiClient, kiosk: ApiClient) -> None:
    office = running_sqlite.office
    a, b, c1 = office.services["A"], office.services["B"], office.counters[1]

    t1 = kiosk.issue_ticket(a)
    t2 = officer.issue_ticket(a, source=TicketSource.WALK_IN)
    assert (t1.number, t1.state, t1.ahead) == ("A-001", TicketState.WAITING, 0)
    assert (t2.number, t2.source, t2.ahead) == ("A-002", TicketSource.WALK_IN, 1)

    opened = officer.set_counter_state(c1, CounterState.OPEN)
    assert opened.state is CounterState.OPEN and opened.officer_id is not None

    first = officer.call_next(c1)
    assert first.finished is None and first.ticket is not None
    assert (first.ticket.id, first.ticket.state, first.ticket.counter_number) == (
        t1.id,
        TicketState.CALLED,
        1,
    )
    assert officer.recall_ticket(t1.id).call_count == 2
    assert officer.start_service(t1.id).state is TicketState.SERVING

    second = officer.call_next(c1, finish_current=True)
    assert second.finished is not None and second.finished.id == t1.id
    assert second.finished.state is TicketState.DONE
    assert second.ticket is not None and second.ticket.id == t2.id

    assert officer.return_ticket(t2.id).state is TicketState.WAITING
    again = officer.call_ticket(c1, number="A-002")
    assert (again.id, again.state) == (t2.id, TicketState.CALLED)
    assert officer.skip_ticket(t2.id).state is TicketState.NO_SHOW

    t3 = kiosk.issue_ticket(a)
    assert officer.call_ticket(c1, ticket_id=t3.id).state is TicketState.CALLED
    moved = officer.transfer_ticket(t3.id, service_id=b, note="juga KK")
    assert (moved.number, moved.service_id, moved.state) == ("A-003", b, TicketState.WAITING)
    assert (moved.transferred_from_id, moved.note) == (t3.id, "juga KK")
    assert officer.get_ticket(t3.id).state is TicketState.TRANSFERRED

    supervisor = client(running_sqlite, "supervisor")
    assert supervisor.cancel_ticket(moved.id).state is TicketState.CANCELLED

    t4 = kiosk.issue_ticket(a)
    assert officer.call_next(c1).ticket is not None
    assert officer.finish_ticket(t4.id).state is TicketState.DONE
    assert officer.call_next(c1).ticket is None  # nobody waits

    status = ApiClient(running_sqlite.server.url).get_ticket_status(t1.code)
    assert (status.number, status.state, status.counter_number) == ("A-001", TicketState.DONE, 1)

    today = officer.counter_today(c1)
    assert (today.counter_id, today.served, today.no_show, today.transferred) == (c1, 2, 1, 1)

    paused = officer.set_counter_state(c1, CounterState.BREAK, "Istirahat siang")
    assert (paused.state, paused.break_reason) == (CounterState.BREAK, "Istirahat siang")
    assert officer.set_counter_state(c1, CounterState.CLOSED).officer_id is None

    snapshot = officer.queue_snapshot(office.branch_id)
    assert snapshot.seq > 0 and snapshot.open_tickets == []
    assert {t.number for t in snapshot.recent_calls} >= {"A-001", "A-002", "A-003", "A-004"}


def test_api_errors_carry_status_and_code(
    running_sqlite: Running, officer: ApiClient, kiosk: ApiClient
) -> None:
    office = running_sqlite.office
    c1, c3 = office.counters[1], office.counters[3]
    waiting = kiosk.issue_ticket(office.services["A"])
    supervisor = client(running_sqlite, "supervisor")

    raises_api(401, "bad_credentials", lambda: ApiClient(officer.base_url).login("petugas1", "x"))
    raises_api(403, "not_your_counter", lambda: officer.call_next(c1))
    raises_api(
        403, "counter_not_assigned", lambda: officer.set_counter_state(c3, CounterState.OPEN)
    )
    raises_api(403, "forbidden", lambda: kiosk.call_next(c1))
    raises_api(403, "not_your_ticket", lambda: officer.finish_ticket(waiting.id))
    raises_api(409, "invalid_transition", lambda: supervisor.finish_ticket(waiting.id))
    raises_api(404, "ticket_not_found", lambda: officer.get_ticket(10**9))
    raises_api(404, "counter_not_found", lambda: supervisor.call_next(10**6))
    raises_api(
        404, "ticket_not_found", lambda: ApiClient(officer.base_url).get_ticket_status("ZZZZ9")
    )
    raises_api(422, "invalid_input", lambda: officer.call_ticket(c1, ticket_id=1, number="A-001"))
    raises_api(422, "invalid_input", lambda: officer.transfer_ticket(waiting.id))
    raises_api(422, "invalid_input", lambda: kiosk.issue_ticket(0))
    officer.set_counter_state(c1, CounterState.OPEN)
    officer.call_next(c1)
    error = raises_api(409, "counter_busy", lambda: officer.call_next(c1))
    assert error.details == {"ticket_id": waiting.id}
    # Nothing above changed the waiting ticket except the one successful call.
    assert officer.get_ticket(waiting.id).call_count == 1


# --- idempotency and retries ------------------------------------------------------------


def test_same_key_gives_the_same_ticket(
    running_sqlite: Running, officer: ApiClient, kiosk: ApiClient
) -> None:
    office = running_sqlite.office
    c1 = office.counters[1]
    t1, t2 = kiosk.issue_ticket(office.services["A"]), kiosk.issue_ticket(office.services["A"])
    officer.set_counter_state(c1, CounterState.OPEN)

    key = new_idempotency_key()
    first = officer.call_next(c1, idempotency_key=key)
    second = officer.call_next(c1, idempotency_key=key)
    assert first.ticket is not None and second.ticket is not None
    assert first.ticket.id == second.ticket.id == t1.id
    assert second == first

    raw = officer.request(
        "POST",
        f"/api/v1/counters/{c1}/call-next",
        json={"finish_current": False},
        idempotency_key=key,
    )
    assert raw.headers["Idempotent-Replayed"] == "true"
    assert raw.json()["ticket"]["id"] == t1.id
    # The same key for a different request is refused, not silently replayed.
    raises_api(
        422,
        "idempotency_key_reused",
        lambda: officer.call_next(c1, finish_current=True, idempotency_key=key),
    )

    assert officer.get_ticket(t1.id).call_count == 1
    assert officer.get_ticket(t2.id).state is TicketState.WAITING
    third = officer.call_next(c1, finish_current=True)  # a new key: a new action
    assert third.ticket is not None and third.ticket.id == t2.id


def test_lost_answer_is_retried_with_the_same_key(
    running_sqlite: Running, officer: ApiClient, kiosk: ApiClient
) -> None:
    office = running_sqlite.office
    c1 = office.counters[1]
    t1, t2 = kiosk.issue_ticket(office.services["A"]), kiosk.issue_ticket(office.services["A"])
    officer.set_counter_state(c1, CounterState.OPEN)
    port = int(running_sqlite.server.url.rsplit(":", 1)[1])

    with FlakyProxy(port) as proxy:
        flaky = ApiClient(proxy.url, officer.token, backoff=0.01)
        proxy.lose_answers = 2  # the server calls a ticket, and the counter never hears
        called = flaky.call_next(c1)
        seen = list(proxy.seen)

    assert called.ticket is not None and called.ticket.id == t1.id
    assert [s.outcome for s in seen] == ["lost", "lost", "answered"]
    assert len({s.idempotency_key for s in seen}) == 1 and seen[0].idempotency_key
    assert [s.replayed for s in seen] == [False, True, True]
    assert officer.get_ticket(t1.id).call_count == 1
    assert officer.get_ticket(t2.id).state is TicketState.WAITING


def test_unavailable_is_retried_then_reported(running_sqlite: Running, kiosk: ApiClient) -> None:
    port = int(running_sqlite.server.url.rsplit(":", 1)[1])
    service = running_sqlite.office.services["A"]
    with FlakyProxy(port) as proxy:
        flaky = ApiClient(proxy.url, kiosk.token, retries=3, backoff=0.01)
        proxy.answer_503 = 3
        ticket = flaky.issue_ticket(service)
        assert ticket.number == "A-001"
        assert [s.outcome for s in proxy.seen] == ["503", "503", "503", "answered"]

        proxy.answer_503 = 10
        with pytest.raises(ServerUnavailable) as info:
            flaky.issue_ticket(service)
        assert (info.value.status, info.value.code) == (503, "database_unavailable")
        assert len(proxy.seen) == 4 + 4
        assert len({s.idempotency_key for s in proxy.seen[4:]}) == 1


def test_refusals_are_not_retried(running_sqlite: Running, officer: ApiClient) -> None:
    port = int(running_sqlite.server.url.rsplit(":", 1)[1])
    with FlakyProxy(port) as proxy:
        flaky = ApiClient(proxy.url, officer.token, retries=3, backoff=0.01)
        raises_api(
            403, "not_your_counter", lambda: flaky.call_next(running_sqlite.office.counters[1])
        )
        assert [s.outcome for s in proxy.seen] == ["answered"]


def test_no_server_is_connection_lost() -> None:
    api = ApiClient(f"http://127.0.0.1:{free_port()}", retries=2, backoff=0.01)
    with pytest.raises(ConnectionLost) as info:
        api.call_next(1)
    assert info.value.attempts == 3


# --- the event listener -------------------------------------------------------------------


class Recorder:
    """Collects a listener's callbacks; every wait is bounded."""

    def __init__(self) -> None:
        self.events: list[EventOut] = []
        self.states: list[ConnectionState] = []
        self._lock = threading.Lock()

    def on_event(self, event: EventOut) -> None:
        with self._lock:
            self.events.append(event)

    def on_state(self, state: ConnectionState) -> None:
        with self._lock:
            self.states.append(state)

    def seqs(self) -> list[int]:
        with self._lock:
            return [e.seq for e in self.events]

    def wait_events(self, count: int) -> list[EventOut]:
        wait_until(lambda: len(self.events) >= count, f"{count} events (have {self.seqs()})")
        with self._lock:
            return list(self.events)

    def wait_state(self, state: ConnectionState, times: int = 1) -> None:
        wait_until(lambda: self.states.count(state) >= times, f"{state} x{times}: {self.states}")


def listen(url: str, token: str, branch: int, rec: Recorder, after: int | None) -> EventListener:
    return EventListener(
        url, token, branch, rec.on_event, rec.on_state, last_event_id=after, max_backoff=1.0
    ).start()


def test_listener_delivers_in_order_and_resumes_exactly(
    running_sqlite: Running, kiosk: ApiClient, officer: ApiClient
) -> None:
    office = running_sqlite.office
    url, token, branch = running_sqlite.server.url, office.display_token, office.branch_id
    a = office.services["A"]
    start = officer.queue_snapshot(branch).seq

    first = Recorder()
    listener = listen(url, token, branch, first, start)
    try:
        first.wait_state(ConnectionState.CONNECTED)
        issued = [kiosk.issue_ticket(a) for _ in range(3)]
        events = first.wait_events(3)
    finally:
        listener.stop()
    assert not listener.is_alive()
    assert first.states == [ConnectionState.CONNECTED, ConnectionState.DISCONNECTED]
    assert [e.seq for e in events] == [start + 1, start + 2, start + 3]
    assert [e.kind for e in events] == ["ticket.issued"] * 3
    assert [e.ticket.id for e in events if e.ticket] == [t.id for t in issued]
    assert listener.last_event_id == start + 3

    # While nobody listens: three more tickets, a counter opens and calls one.
    missed = [kiosk.issue_ticket(a) for _ in range(3)]
    officer.set_counter_state(office.counters[1], CounterState.OPEN)
    called = officer.call_next(office.counters[1]).ticket
    assert called is not None

    second = Recorder()
    resumed = listen(url, token, branch, second, listener.last_event_id)
    try:
        second.wait_events(5)
        sentinel = kiosk.issue_ticket(a)  # a live event after the replay
        events = second.wait_events(6)
        time.sleep(0.3)  # room for a duplicate to show up, were there one
    finally:
        resumed.stop()
    assert [e.seq for e in second.events] == list(range(start + 4, start + 10))
    kinds = [e.kind for e in events]
    assert kinds == ["ticket.issued"] * 3 + ["counter.state", "ticket.called", "ticket.issued"]
    tickets = [e.ticket.id if e.ticket else None for e in events]
    assert tickets[:3] == [t.id for t in missed]
    assert tickets[4:] == [called.id, sentinel.id]
    assert events[3].counter is not None and events[3].counter.state is CounterState.OPEN


def test_listener_stop_is_prompt_between_heartbeats(sqlite_office_db: OfficeTemplate) -> None:
    sqlite_url, office = sqlite_office_db.url, sqlite_office_db.office
    with run_server(sqlite_url, heartbeat_seconds=60) as server:
        rec = Recorder()
        listener = listen(server.url, office.display_token, office.branch_id, rec, None)
        rec.wait_state(ConnectionState.CONNECTED)
        time.sleep(0.2)  # the thread is now blocked reading a silent stream
        began = time.monotonic()
        listener.stop(timeout=10)
        took = time.monotonic() - began
        assert not listener.is_alive()
        assert took < 5, f"stop() took {took:.1f} s; it must not wait for a heartbeat"
        assert rec.states[-1] is ConnectionState.DISCONNECTED


@pytest.mark.allow_error_logs  # the listener logs the refusal it gives up on, as it should
def test_listener_gives_up_on_a_refused_token(running_sqlite: Running) -> None:
    office = running_sqlite.office
    rec = Recorder()
    listener = listen(running_sqlite.server.url, "not-a-token", office.branch_id, rec, None)
    wait_until(lambda: not listener.is_alive(), "the listener to give up")
    assert listener.error is not None
    assert (listener.error.status, listener.error.code) == (401, "bad_token")
    assert rec.states == [ConnectionState.DISCONNECTED]
    assert listener.state is ConnectionState.DISCONNECTED


def test_listener_reconnects_after_a_server_restart(sqlite_office_db: OfficeTemplate) -> None:
    db_url, office = sqlite_office_db.url, sqlite_office_db.office
    port = free_port()
    service = office.services["A"]
    rec = Recorder()

    with run_server(db_url, port=port) as server:
        kiosk = ApiClient(server.url, office.kiosk_token)
        start = ApiClient(server.url, office.display_token).queue_snapshot(office.branch_id).seq
        listener = listen(server.url, office.display_token, office.branch_id, rec, start)
        rec.wait_state(ConnectionState.CONNECTED)
        before = kiosk.issue_ticket(service)
        rec.wait_events(1)
    try:
        rec.wait_state(ConnectionState.RECONNECTING)
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)

        # While the listener's server is down, the office goes on (another process, same data).
        with run_server(db_url) as other:
            other_kiosk = ApiClient(other.url, office.kiosk_token)
            during = [other_kiosk.issue_ticket(service) for _ in range(2)]
        assert listener.is_alive() and rec.seqs() == [start + 1]

        with run_server(db_url, port=port) as server:
            rec.wait_state(ConnectionState.CONNECTED, times=2)
            after = ApiClient(server.url, office.kiosk_token).issue_ticket(service)
            events = rec.wait_events(4)
            time.sleep(0.3)  # room for a duplicate to show up, were there one
    finally:
        listener.stop()

    assert rec.seqs() == [start + 1, start + 2, start + 3, start + 4]
    assert [e.ticket.number for e in events if e.ticket] == ["A-001", "A-002", "A-003", "A-004"]
    assert [e.ticket.id for e in events if e.ticket] == [
        before.id,
        *(t.id for t in during),
        after.id,
    ]
    states = rec.states
    assert states[0] is ConnectionState.CONNECTED and states[-1] is ConnectionState.DISCONNECTED
    assert ConnectionState.RECONNECTING in states[1:-1]
