"""Signing in and opening a counter: plain calls, run off the Qt thread by the dialogs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from counter_app.client.api import ApiClient
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.core.vocabulary import CounterState
from counter_app.schemas.auth import UserOut
from counter_app.schemas.office import CounterOut


class SignedIn(Protocol):
    """Any signed-in window's session: an officer's or a supervisor's."""

    client: ApiClient


@dataclass
class OfficerSession:
    client: ApiClient
    user: UserOut
    branch_id: int
    counters: list[CounterOut]  # the counters this officer may open

    def counter_by_number(self, number: int) -> CounterOut:
        for counter in self.counters:
            if counter.number == number:
                return counter
        raise AppError(ErrorCode.COUNTER_NOT_FOUND, f"No counter {number} for you.")


def sign_in(server_url: str, username: str, password: str) -> OfficerSession:
    client = ApiClient(server_url.strip())
    result = client.login(username.strip(), password)
    user = result.user
    if user.branch_id is None:
        raise AppError(ErrorCode.NO_BRANCH, "This account belongs to no branch.")
    counters = client.list_counters(user.branch_id)
    if user.counter_ids:
        counters = [c for c in counters if c.id in set(user.counter_ids)]
    return OfficerSession(client, user, user.branch_id, counters)


def open_counter(session: OfficerSession, counter_id: int) -> CounterOut:
    return session.client.set_counter_state(counter_id, CounterState.OPEN)
