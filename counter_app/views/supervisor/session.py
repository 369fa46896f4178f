"""Signing in as a supervisor (or an admin of a branch): a plain call, run off the Qt thread."""

from __future__ import annotations

from dataclasses import dataclass

from counter_app.client.api import ApiClient
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.core.vocabulary import Role
from counter_app.schemas.auth import UserOut

SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


@dataclass
class SupervisorSession:
    client: ApiClient
    user: UserOut
    branch_id: int


def sign_in_supervisor(server_url: str, username: str, password: str) -> SupervisorSession:
    client = ApiClient(server_url.strip())
    user = client.login(username.strip(), password).user
    if user.role not in SUPERVISING_ROLES:
        client.logout()
        raise AppError(ErrorCode.NOT_A_SUPERVISOR, "This window is for supervisors and admins.")
    branch_id = user.branch_id
    if branch_id is None:
        # An admin of every branch watches the first one (an office usually has one).
        branches = client.list_branches()
        if not branches:
            raise AppError(ErrorCode.NO_BRANCH, "There is no branch yet.")
        branch_id = branches[0].id
    return SupervisorSession(client, user, branch_id)
