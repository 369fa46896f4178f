"""Idempotency-Key over HTTP: a retry gets the first answer and causes no second effect."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import requests

from tests.conftest import Running
from tests.support.queue_ops import (
    expect_error,
    issue,
    journal_seq,
    ok,
    set_state,
    state_of,
    waiting_numbers,
)

REPLAYED = "Idempotent-Replayed"


def test_retry_with_the_same_key_replays_the_first_answer(running: Running) -> None:
    office = running.office
    kiosk = running.kiosk
    petugas1 = running.login("petugas1")
    viewer = running.display
    counter1 = office.counters[1]
    branch = office.branch_id

    key = uuid.uuid4().hex
    first = kiosk.post("/api/v1/tickets", {"service_id": office.services["A"]}, key=key)
    assert first.status_code == 201 and REPLAYED not in first.headers
    seq = journal_seq(viewer, branch)
    retry = kiosk.post("/api/v1/tickets", {"service_id": office.services["A"]}, key=key)
    assert retry.status_code == 201 and retry.headers[REPLAYED] == "true"
    assert retry.content == first.content
    assert retry.headers["content-type"] == "application/json"
    assert journal_seq(viewer, branch) == seq
    assert waiting_numbers(viewer, branch)["A"] == ["A-001"]
    assert issue(kiosk, office.services["A"])["number"] == "A-002"

    # A counter whose answer was lost retries call-next and gets the same ticket again.
    set_state(petugas1, counter1, "open")
    key = uuid.uuid4().hex
    called = petugas1.post(f"/api/v1/counters/{counter1}/call-next", key=key)
    seq = journal_seq(viewer, branch)
    again = petugas1.post(f"/api/v1/counters/{counter1}/call-next", key=key)
    assert (again.status_code, again.headers[REPLAYED]) == (200, "true")
    assert again.content == called.content and again.json()["ticket"]["number"] == "A-001"
    assert journal_seq(viewer, branch) == seq
    ticket_id = called.json()["ticket"]["id"]
    assert (state_of(viewer, ticket_id), waiting_numbers(viewer, branch)["A"]) == (
        "called",
        ["A-002"],
    )
    assert viewer.get(f"/api/v1/tickets/{ticket_id}").json()["call_count"] == 1
    # A fresh key really is a second call, refused while A-001 is open.
    expect_error(petugas1.post(f"/api/v1/counters/{counter1}/call-next"), 409, "counter_busy")

    # A refused request is not remembered: the same key works once the state allows it.
    key = uuid.uuid4().hex
    expect_error(
        petugas1.post(f"/api/v1/counters/{counter1}/call-next", key=key), 409, "counter_busy"
    )
    finish_key = uuid.uuid4().hex
    finished = petugas1.post(f"/api/v1/tickets/{ticket_id}/finish", key=finish_key)
    finished_again = petugas1.post(f"/api/v1/tickets/{ticket_id}/finish", key=finish_key)
    assert (finished.status_code, finished_again.status_code) == (200, 200)
    assert finished_again.content == finished.content and finished_again.headers[REPLAYED]
    later = petugas1.post(f"/api/v1/counters/{counter1}/call-next", key=key)
    assert later.status_code == 200 and REPLAYED not in later.headers
    assert later.json()["ticket"]["number"] == "A-002"

    # Keys belong to their caller: the same key from someone else is a new request.
    shared = uuid.uuid4().hex
    by_kiosk = kiosk.post("/api/v1/tickets", {"service_id": office.services["B"]}, key=shared)
    by_officer = petugas1.post("/api/v1/tickets", {"service_id": office.services["B"]}, key=shared)
    assert (by_kiosk.json()["number"], by_officer.json()["number"]) == ("B-001", "B-002")
    assert REPLAYED not in by_officer.headers


def test_same_key_for_a_different_request_is_422(running: Running) -> None:
    office = running.office
    kiosk = running.kiosk
    supervisor = running.login("supervisor")
    key = uuid.uuid4().hex
    first = ok(kiosk.post("/api/v1/tickets", {"service_id": office.services["A"]}, key=key), 201)
    seq = journal_seq(supervisor, office.branch_id)

    expect_error(
        kiosk.post("/api/v1/tickets", {"service_id": office.services["B"]}, key=key),
        422,
        "idempotency_key_reused",
    )
    expect_error(
        kiosk.post(
            "/api/v1/tickets",
            {"service_id": office.services["A"], "source": "walk_in"},
            key=key,
        ),
        422,
        "idempotency_key_reused",
    )
    # The same key on another route, by the same caller.
    key2 = uuid.uuid4().hex
    ok(
        supervisor.post(
            f"/api/v1/tickets/{first['id']}/transfer",
            {"service_id": office.services["B"]},
            key=key2,
        )
    )
    expect_error(
        supervisor.post(f"/api/v1/tickets/{first['id']}/cancel", key=key2),
        422,
        "idempotency_key_reused",
    )
    assert journal_seq(supervisor, office.branch_id) == seq + 1  # the transfer only
    assert waiting_numbers(supervisor, office.branch_id) == {
        "A": [],
        "B": ["A-001"],
        "C": [],
        "D": [],
    }


def fire_together(count: int, send: Any) -> list[requests.Response]:
    """Run ``send(session)`` in ``count`` threads released at the same moment."""
    barrier = threading.Barrier(count)
    results: list[requests.Response | BaseException] = [RuntimeError("no answer")] * count

    def worker(index: int) -> None:
        with requests.Session() as session:
            barrier.wait(timeout=10)
            try:
                results[index] = send(session)
            except BaseException as exc:  # reported below, in the test's thread
                results[index] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    responses = []
    for result in results:
        assert isinstance(result, requests.Response), repr(result)
        responses.append(result)
    return responses


def test_concurrent_duplicates_have_one_effect(running: Running) -> None:
    office = running.office
    viewer = running.display
    petugas1 = running.login("petugas1")
    base = running.server.url
    seq = journal_seq(viewer, office.branch_id)

    key = uuid.uuid4().hex
    issued = fire_together(
        8,
        lambda s: s.post(
            f"{base}/api/v1/tickets",
            json={"service_id": office.services["A"]},
            headers={"Authorization": f"Bearer {office.kiosk_token}", "Idempotency-Key": key},
            timeout=30,
        ),
    )
    assert [r.status_code for r in issued] == [201] * 8
    assert len({r.content for r in issued}) == 1
    assert sum(REPLAYED in r.headers for r in issued) == 7
    assert journal_seq(viewer, office.branch_id) == seq + 1
    assert waiting_numbers(viewer, office.branch_id)["A"] == ["A-001"]

    issue(running.kiosk, office.services["A"])
    set_state(petugas1, office.counters[1], "open")
    key = uuid.uuid4().hex
    calls = fire_together(
        8,
        lambda s: s.post(
            f"{base}/api/v1/counters/{office.counters[1]}/call-next",
            headers={"Authorization": f"Bearer {petugas1.token}", "Idempotency-Key": key},
            timeout=30,
        ),
    )
    assert [r.status_code for r in calls] == [200] * 8
    assert len({r.content for r in calls}) == 1
    assert sum(REPLAYED in r.headers for r in calls) == 7
    assert calls[0].json()["ticket"]["number"] == "A-001"
    assert waiting_numbers(viewer, office.branch_id)["A"] == ["A-002"]
    assert journal_seq(viewer, office.branch_id) == seq + 4  # issue, issue, open, call
