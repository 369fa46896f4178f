"""Who is asking: idempotency scopes, roles and branches."""

from __future__ import annotations

import pytest

from counter_app.core.actor import ANONYMOUS, Actor
from counter_app.core.errors import AppError, ErrorKind
from counter_app.core.vocabulary import DeviceKind, Role

OFFICER = Actor(user_id=11, username="petugas1", role=Role.OFFICER, branch_id=1)
SUPERVISOR = Actor(user_id=12, username="supervisor", role=Role.SUPERVISOR, branch_id=1)
ADMIN = Actor(user_id=1, username="admin", role=Role.ADMIN)
KIOSK = Actor(device_id=7, device_kind=DeviceKind.KIOSK, branch_id=1)
DISPLAY = Actor(device_id=8, device_kind=DeviceKind.DISPLAY, branch_id=1)


@pytest.mark.parametrize(
    ("actor", "scope"),
    [
        (OFFICER, "user:11"),
        (ADMIN, "user:1"),
        (Actor(user_id=0, role=Role.OFFICER), "user:0"),
        (KIOSK, "device:7"),
        (Actor(user_id=3, device_id=4), "user:3"),
        (ANONYMOUS, "anonymous"),
    ],
)
def test_scope(actor: Actor, scope: str) -> None:
    assert actor.scope == scope


def test_is_anonymous() -> None:
    assert ANONYMOUS.is_anonymous
    assert Actor(branch_id=1).is_anonymous
    assert not OFFICER.is_anonymous
    assert not KIOSK.is_anonymous


def test_anonymous_is_unauthorized() -> None:
    with pytest.raises(AppError) as caught:
        ANONYMOUS.require_role(Role.OFFICER)
    assert caught.value.kind is ErrorKind.UNAUTHORIZED
    assert caught.value.code == "not_authenticated"


@pytest.mark.parametrize(
    ("actor", "needed", "allowed"),
    [
        (OFFICER, Role.OFFICER, True),
        (OFFICER, Role.SUPERVISOR, False),
        (OFFICER, Role.ADMIN, False),
        (SUPERVISOR, Role.OFFICER, True),
        (SUPERVISOR, Role.SUPERVISOR, True),
        (SUPERVISOR, Role.ADMIN, False),
        (ADMIN, Role.OFFICER, True),
        (ADMIN, Role.SUPERVISOR, True),
        (ADMIN, Role.ADMIN, True),
        (KIOSK, Role.OFFICER, False),
        (DISPLAY, Role.OFFICER, False),
    ],
)
def test_require_role(actor: Actor, needed: Role, allowed: bool) -> None:
    if allowed:
        actor.require_role(needed)
        return
    with pytest.raises(AppError) as caught:
        actor.require_role(needed)
    assert caught.value.kind is ErrorKind.FORBIDDEN
    assert caught.value.code == "forbidden"
    assert caught.value.message == f"This needs the {needed.value} role."


def test_require_branch_within_own_branch() -> None:
    OFFICER.require_branch(1)
    KIOSK.require_branch(1)


@pytest.mark.parametrize("actor", [OFFICER, SUPERVISOR, KIOSK])
def test_require_branch_refuses_another_branch(actor: Actor) -> None:
    with pytest.raises(AppError) as caught:
        actor.require_branch(2)
    assert caught.value.kind is ErrorKind.FORBIDDEN
    assert caught.value.code == "wrong_branch"


def test_all_branch_admin_acts_anywhere() -> None:
    ADMIN.require_branch(1)
    ADMIN.require_branch(2)


@pytest.mark.parametrize(
    ("actor", "can"),
    [(KIOSK, True), (OFFICER, True), (ADMIN, True), (DISPLAY, False), (ANONYMOUS, False)],
)
def test_can_issue_tickets(actor: Actor, can: bool) -> None:
    assert actor.can_issue_tickets() is can
