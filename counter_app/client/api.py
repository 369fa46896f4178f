"""The typed HTTP client: one method per server operation, returning the wire models.

Every call blocks; the desktop windows run them in worker threads. One client may be shared
by several threads (``requests.Session`` pools connections safely); ``login`` and ``logout``
change its token, so do those from one place.

Retries: a request that gets no answer (refused, reset, timed out) or a 502/503/504 is sent
again after a short, growing pause, up to ``retries`` more times. Every state-changing request
carries an ``Idempotency-Key`` and every retry sends the *same* key, so the server applies it
once and answers a retry with its stored first answer: a counter whose response to
``call_next`` was lost gets the same ticket on the retry, never a second one. A caller that
retries by itself (a button pressed again after an error) passes its own key to get the same
guarantee. Any other 4xx/5xx answer raises :class:`ApiError` at once.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from dataclasses import dataclass
from datetime import date
from types import TracebackType
from typing import Any, Final, TypeVar, cast
from urllib.parse import quote

import requests
from pydantic import BaseModel, TypeAdapter, ValidationError

from counter_app.client.errors import ApiError, ConnectionLost, ServerUnavailable
from counter_app.client.pinning import pinned_session
from counter_app.core.backoff import full_jitter
from counter_app.core.vocabulary import CounterState, FaultKind, TicketSource
from counter_app.schemas.auth import (
    DeviceCreate,
    DeviceCreated,
    LoginResponse,
    PasswordChange,
    UserCreate,
    UserOut,
    WhoAmI,
)
from counter_app.schemas.devices import (
    DeviceFaultOut,
    DeviceOut,
    DeviceTokenOut,
    PairingClaimOut,
    PairingClaimRequest,
    PairingCodeOut,
    PairingCodeRequest,
    RotateDeviceRequest,
)
from counter_app.schemas.health import Health
from counter_app.schemas.office import (
    BranchCreate,
    BranchOut,
    CounterCreate,
    CounterOut,
    CounterToday,
    PriorityClassCreate,
    PriorityClassOut,
    ServiceCreate,
    ServiceOut,
)
from counter_app.schemas.reports import ReportSummary
from counter_app.schemas.staffing import StaffingAdvice
from counter_app.schemas.survey import SurveyAnswers, SurveyStatus, SurveySubmitted
from counter_app.schemas.tickets import CallNextResponse, QueueSnapshot, TicketOut, TicketStatus
from counter_app.schemas.training import SetTrainingRequest, TrainingOut

log = logging.getLogger(__name__)

API: Final = "/api/v1"
RETRY_STATUSES: Final = frozenset({502, 503, 504})
# A report over many months takes the server a second or two, more on a busy machine.
REPORT_READ_TIMEOUT: Final = 120.0
Timeout = float | tuple[float, float]
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

_adapters: dict[Any, TypeAdapter[Any]] = {}


@dataclass(frozen=True)
class ReportFile:
    """A report file as the server made it (``report_export``)."""

    filename: str  # the name the server suggests, e.g. laporan-1-2026-03-02_2026-03-02.xlsx
    media_type: str
    content: bytes


def new_idempotency_key() -> str:
    """A fresh key for one user action; keep it to retry that action safely."""
    return str(uuid.uuid4())


def _adapter(kind: type[M]) -> TypeAdapter[M]:
    found = _adapters.get(kind)
    if found is None:
        found = _adapters[kind] = TypeAdapter(kind)
    return cast("TypeAdapter[M]", found)


def _list_adapter(kind: type[M]) -> TypeAdapter[list[M]]:
    key = ("list", kind)
    found = _adapters.get(key)
    if found is None:
        found = _adapters[key] = TypeAdapter(list[kind])  # type: ignore[valid-type]
    return cast("TypeAdapter[list[M]]", found)


class ApiClient:
    """A client of one server. ``base_url`` is e.g. ``http://192.168.1.10:8750``."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        timeout: Timeout = (3.05, 10),
        retries: int = 3,
        *,
        backoff: float = 0.2,
        max_backoff: float = 2.0,
    ) -> None:
        if retries < 0:
            raise ValueError("retries cannot be negative")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        pinned_session(self.session)  # https://: the server's certificate, pinned on first use

    # --- lifecycle ---

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- the transport ---

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        idempotency_key: str | None = None,
        auth: bool = True,
        params: dict[str, str] | None = None,
        timeout: Timeout | None = None,
    ) -> requests.Response:
        """Send one request with retries; return the successful response or raise.

        ``idempotency_key`` is sent as the ``Idempotency-Key`` header on every attempt;
        ``timeout`` replaces the client's own for this request.
        """
        url = self.base_url + path
        headers: dict[str, str] = {}
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        attempts = self.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self.session.request(
                    method,
                    url,
                    json=json,
                    params=params,
                    headers=headers,
                    timeout=timeout or self.timeout,
                )
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                if last:
                    raise ConnectionLost(
                        f"No answer from {self.base_url} after {attempts} attempts: {exc}",
                        attempts,
                    ) from exc
                log.info("%s %s: %s; retrying", method, path, exc)
            else:
                status = response.status_code
                if status < 400:
                    return response
                if status not in RETRY_STATUSES:
                    raise ApiError.from_response(status, response.content)
                if last:
                    error = ApiError.from_response(status, response.content)
                    raise ServerUnavailable(status, error.code, error.message, error.details)
                log.info("%s %s: status %s; retrying", method, path, status)
                response.close()
            time.sleep(self._pause(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def _pause(self, attempt: int) -> float:
        # Jittered, so counters that lost the server together do not all come back at once.
        return full_jitter(attempt, base=self.backoff, cap=self.max_backoff)

    def _get(self, path: str, kind: type[M]) -> M:
        return self._parse(self.request("GET", path), kind)

    def _get_list(self, path: str, kind: type[M]) -> list[M]:
        return self._validate(self.request("GET", path), _list_adapter(kind))

    def _send(
        self,
        method: str,
        path: str,
        kind: type[M],
        body: BaseModel | dict[str, Any] | None = None,
        key: str | None = None,
    ) -> M:
        """A state-changing call: always with an idempotency key (a new one unless given)."""
        payload = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
        response = self.request(
            method, path, json=payload, idempotency_key=key or new_idempotency_key()
        )
        return self._parse(response, kind)

    def _parse(self, response: requests.Response, kind: type[M]) -> M:
        return self._validate(response, _adapter(kind))

    @staticmethod
    def _validate(response: requests.Response, adapter: TypeAdapter[T]) -> T:
        try:
            return adapter.validate_json(response.content)
        except ValidationError as exc:
            raise ApiError(
                response.status_code,
                "unexpected_response",
                f"The server's answer to {response.request.method} {response.url} "
                f"could not be read: {exc.error_count()} problem(s)",
            ) from exc

    # --- health and sessions ---

    def health(self) -> Health:
        return self._parse(self.request("GET", f"{API}/health", auth=False), Health)

    def login(self, username: str, password: str) -> LoginResponse:
        """Log in and keep the token for the following calls."""
        response = self.request(
            "POST",
            f"{API}/auth/login",
            json={"username": username, "password": password},
            auth=False,
        )
        result = self._parse(response, LoginResponse)
        self.token = result.token
        return result

    def logout(self) -> None:
        """End the session (the server closes an officer's idle counter with it).

        A session that has already ended (401) counts as logged out.
        """
        try:
            self.request("POST", f"{API}/auth/logout")
        except ApiError as exc:
            if exc.status != 401:
                raise
        self.token = None

    def whoami(self) -> WhoAmI:
        return self._get(f"{API}/auth/me", WhoAmI)

    # --- office set-up and lists ---

    def list_branches(self) -> list[BranchOut]:
        return self._get_list(f"{API}/branches", BranchOut)

    def list_services(self, branch_id: int) -> list[ServiceOut]:
        return self._get_list(f"{API}/branches/{int(branch_id)}/services", ServiceOut)

    def list_counters(self, branch_id: int) -> list[CounterOut]:
        return self._get_list(f"{API}/branches/{int(branch_id)}/counters", CounterOut)

    def list_priority_classes(self, branch_id: int) -> list[PriorityClassOut]:
        return self._get_list(f"{API}/branches/{int(branch_id)}/priority-classes", PriorityClassOut)

    def list_users(self) -> list[UserOut]:
        return self._get_list(f"{API}/users", UserOut)

    def disable_user(self, user_id: int, *, idempotency_key: str | None = None) -> UserOut:
        """An admin ends a user's sessions and refuses their logins."""
        return self._send(
            "POST", f"{API}/users/{int(user_id)}/disable", UserOut, None, idempotency_key
        )

    def enable_user(self, user_id: int, *, idempotency_key: str | None = None) -> UserOut:
        return self._send(
            "POST", f"{API}/users/{int(user_id)}/enable", UserOut, None, idempotency_key
        )

    def set_password(
        self, user_id: int, new_password: str, old_password: str | None = None
    ) -> UserOut:
        """One's own password (with the current one) or, for an admin, anyone's."""
        body = PasswordChange(new_password=new_password, old_password=old_password)
        return self._send("PUT", f"{API}/users/{int(user_id)}/password", UserOut, body)

    def create_branch(self, data: BranchCreate, *, idempotency_key: str | None = None) -> BranchOut:
        return self._send("POST", f"{API}/branches", BranchOut, data, idempotency_key)

    def create_service(
        self, data: ServiceCreate, *, idempotency_key: str | None = None
    ) -> ServiceOut:
        return self._send("POST", f"{API}/services", ServiceOut, data, idempotency_key)

    def create_counter(
        self, data: CounterCreate, *, idempotency_key: str | None = None
    ) -> CounterOut:
        return self._send("POST", f"{API}/counters", CounterOut, data, idempotency_key)

    def create_priority_class(
        self, data: PriorityClassCreate, *, idempotency_key: str | None = None
    ) -> PriorityClassOut:
        return self._send(
            "POST", f"{API}/priority-classes", PriorityClassOut, data, idempotency_key
        )

    def create_user(self, data: UserCreate, *, idempotency_key: str | None = None) -> UserOut:
        return self._send("POST", f"{API}/users", UserOut, data, idempotency_key)

    def list_devices(self) -> list[DeviceOut]:
        """The stations of the caller's branch (a supervisor or admin)."""
        return self._get_list(f"{API}/devices", DeviceOut)

    def revoke_device(self, device_id: int) -> DeviceOut:
        return self._send("POST", f"{API}/devices/{int(device_id)}/revoke", DeviceOut)

    def rotate_device_token(
        self, device_id: int, expires_days: int | None = None
    ) -> DeviceTokenOut:
        body = RotateDeviceRequest(expires_days=expires_days)
        return self._send("POST", f"{API}/devices/{int(device_id)}/rotate", DeviceTokenOut, body)

    def create_pairing_code(self, data: PairingCodeRequest) -> PairingCodeOut:
        """A single-use code (10 minutes) to type on a new station."""
        return self._send("POST", f"{API}/pairing/codes", PairingCodeOut, data)

    def claim_pairing_code(self, code: str) -> PairingClaimOut:
        """Public: this station's own device token for a pairing code."""
        return self._send(
            "POST", f"{API}/pairing/claim", PairingClaimOut, PairingClaimRequest(code=code)
        )

    def create_device(
        self, data: DeviceCreate, *, idempotency_key: str | None = None
    ) -> DeviceCreated:
        """Register a kiosk or display; the answer holds its token (shown once)."""
        return self._send("POST", f"{API}/devices", DeviceCreated, data, idempotency_key)

    def set_running_text(
        self, branch_id: int, text: str, *, idempotency_key: str | None = None
    ) -> BranchOut:
        return self._send(
            "PUT",
            f"{API}/branches/{int(branch_id)}/running-text",
            BranchOut,
            {"text": text},
            idempotency_key,
        )

    # --- acting for a counter ---

    def set_counter_state(
        self,
        counter_id: int,
        state: CounterState,
        reason: str = "",
        *,
        idempotency_key: str | None = None,
    ) -> CounterOut:
        """Open, pause (``break``, with a reason) or close a counter."""
        return self._send(
            "POST",
            f"{API}/counters/{int(counter_id)}/state",
            CounterOut,
            {"state": CounterState(state).value, "reason": reason},
            idempotency_key,
        )

    def call_next(
        self,
        counter_id: int,
        finish_current: bool = False,
        *,
        idempotency_key: str | None = None,
    ) -> CallNextResponse:
        """Call the next ticket by the branch's call order; ``ticket`` is None if nobody waits."""
        return self._send(
            "POST",
            f"{API}/counters/{int(counter_id)}/call-next",
            CallNextResponse,
            {"finish_current": finish_current},
            idempotency_key,
        )

    def call_ticket(
        self,
        counter_id: int,
        ticket_id: int | None = None,
        number: str | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> TicketOut:
        """Call one given ticket, by id or by its visible number (``A-007``); give one."""
        body: dict[str, Any] = {}
        if ticket_id is not None:
            body["ticket_id"] = ticket_id
        if number is not None:
            body["number"] = number
        return self._send(
            "POST", f"{API}/counters/{int(counter_id)}/call", TicketOut, body, idempotency_key
        )

    def counter_today(self, counter_id: int) -> CounterToday:
        """The counter's own figures for the current service day."""
        return self._get(f"{API}/counters/{int(counter_id)}/today", CounterToday)

    # --- tickets ---

    def issue_ticket(
        self,
        service_id: int,
        priority_class_id: int | None = None,
        source: TicketSource | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> TicketOut:
        """Take a number; the answer includes the people ahead and the estimated wait."""
        body: dict[str, Any] = {"service_id": service_id}
        if priority_class_id is not None:
            body["priority_class_id"] = priority_class_id
        if source is not None:
            body["source"] = TicketSource(source).value
        return self._send("POST", f"{API}/tickets", TicketOut, body, idempotency_key)

    def check_in_booking(self, code: str, *, idempotency_key: str | None = None) -> TicketOut:
        """A kiosk checks in an online booking by its code; the answer is the new ticket.

        Errors: ``booking_not_found`` (404); ``booking_too_early``, ``booking_too_late``,
        ``booking_cancelled``, ``booking_already_checked_in`` (409)."""
        return self._send(
            "POST", f"{API}/bookings/check-in", TicketOut, {"code": code}, idempotency_key
        )

    def get_ticket(self, ticket_id: int) -> TicketOut:
        return self._get(f"{API}/tickets/{int(ticket_id)}", TicketOut)

    def _act(self, ticket_id: int, action: str, key: str | None) -> TicketOut:
        return self._send("POST", f"{API}/tickets/{int(ticket_id)}/{action}", TicketOut, None, key)

    def recall_ticket(self, ticket_id: int, *, idempotency_key: str | None = None) -> TicketOut:
        """Announce the called ticket once more."""
        return self._act(ticket_id, "recall", idempotency_key)

    def start_service(self, ticket_id: int, *, idempotency_key: str | None = None) -> TicketOut:
        """The citizen has arrived at the counter: start serving."""
        return self._act(ticket_id, "start", idempotency_key)

    start_ticket = start_service

    def finish_ticket(self, ticket_id: int, *, idempotency_key: str | None = None) -> TicketOut:
        return self._act(ticket_id, "finish", idempotency_key)

    def skip_ticket(self, ticket_id: int, *, idempotency_key: str | None = None) -> TicketOut:
        """The citizen did not come: no-show."""
        return self._act(ticket_id, "skip", idempotency_key)

    def undo_skip(self, ticket_id: int, *, idempotency_key: str | None = None) -> TicketOut:
        """Take back a skip made seconds ago: the ticket is the counter's called one again."""
        return self._act(ticket_id, "undo-skip", idempotency_key)

    def return_ticket(self, ticket_id: int, *, idempotency_key: str | None = None) -> TicketOut:
        """Put a called ticket back in the queue at its place."""
        return self._act(ticket_id, "return", idempotency_key)

    def cancel_ticket(self, ticket_id: int, *, idempotency_key: str | None = None) -> TicketOut:
        return self._act(ticket_id, "cancel", idempotency_key)

    def move_ticket_to_front(
        self, ticket_id: int, *, idempotency_key: str | None = None
    ) -> TicketOut:
        """A supervisor puts a waiting ticket first in its queue (it is called next)."""
        return self._act(ticket_id, "front", idempotency_key)

    def transfer_ticket(
        self,
        ticket_id: int,
        service_id: int | None = None,
        counter_id: int | None = None,
        note: str = "",
        *,
        idempotency_key: str | None = None,
    ) -> TicketOut:
        """Continue the ticket, same number, in another service or at a named counter."""
        body: dict[str, Any] = {"note": note}
        if service_id is not None:
            body["service_id"] = service_id
        if counter_id is not None:
            body["counter_id"] = counter_id
        return self._send(
            "POST", f"{API}/tickets/{int(ticket_id)}/transfer", TicketOut, body, idempotency_key
        )

    # --- devices ---

    def report_device_fault(
        self, kind: FaultKind, message: str, *, idempotency_key: str | None = None
    ) -> DeviceFaultOut:
        """A device (with its own token) tells the supervisors that a part of it failed."""
        return self._send(
            "POST",
            f"{API}/devices/fault",
            DeviceFaultOut,
            {"kind": FaultKind(kind).value, "message": message[:500]},
            idempotency_key,
        )

    # --- what anyone may see, and the live side ---

    def get_ticket_status(self, code: str) -> TicketStatus:
        """The public status of a ticket by its code (no login needed)."""
        path = f"{API}/public/tickets/{quote(code, safe='')}"
        return self._parse(self.request("GET", path, auth=False), TicketStatus)

    def survey_status(self, code: str) -> SurveyStatus:
        """Whether the ticket with this code may answer the satisfaction survey."""
        path = f"{API}/public/tickets/{quote(code, safe='')}/survey"
        return self._parse(self.request("GET", path, auth=False), SurveyStatus)

    def submit_survey(self, code: str, answers: SurveyAnswers) -> SurveySubmitted:
        """The ticket's one survey response. Sent with this client's token, if it has one, so
        the server records it as given at the counter. No idempotency key: a retry after a
        lost answer is refused as ``survey_already_answered`` (show it as "thank you")."""
        path = f"{API}/public/tickets/{quote(code, safe='')}/survey"
        response = self.request("POST", path, json=answers.model_dump(mode="json"))
        return self._parse(response, SurveySubmitted)

    # --- reports (a supervisor or admin of the branch) ---

    def report_summary(self, branch_id: int, first: date, last: date) -> ReportSummary:
        """The branch's figures for the service days ``first`` to ``last`` (both included)."""
        response = self.request(
            "GET",
            f"{API}/branches/{int(branch_id)}/reports/summary",
            params={"from": first.isoformat(), "to": last.isoformat()},
            timeout=(self._connect_timeout(), REPORT_READ_TIMEOUT),
        )
        return self._parse(response, ReportSummary)

    def staffing_advice(
        self, branch_id: int, weekday: int | None = None, weeks: int = 4
    ) -> StaffingAdvice:
        """Counters per hour per service to keep waits on target (docs/REPORTS.md)."""
        params: dict[str, Any] = {"weeks": weeks}
        if weekday is not None:
            params["weekday"] = weekday
        response = self.request(
            "GET",
            f"{API}/branches/{int(branch_id)}/staffing",
            params=params,
            timeout=(self._connect_timeout(), REPORT_READ_TIMEOUT),
        )
        return self._parse(response, StaffingAdvice)

    def set_training(self, branch_id: int, on: bool, counter_id: int | None = None) -> TrainingOut:
        """Training mode on or off, branch-wide or for one counter (docs/TRAINING.md)."""
        return self._send(
            "POST",
            f"{API}/branches/{int(branch_id)}/training",
            TrainingOut,
            SetTrainingRequest(on=on, counter_id=counter_id),
        )

    def report_export(
        self,
        branch_id: int,
        first: date,
        last: date,
        file_format: str = "xlsx",
        table: str = "summary",
        lang: str = "id",
    ) -> ReportFile:
        """The same report as a file: ``xlsx`` (every table) or ``csv`` (one ``table``:
        ``summary``, ``hours`` or ``survey``); headers in ``lang`` (``id`` or ``en``)."""
        response = self.request(
            "GET",
            f"{API}/branches/{int(branch_id)}/reports/export",
            params={
                "from": first.isoformat(),
                "to": last.isoformat(),
                "format": file_format,
                "table": table,
                "lang": lang,
            },
            timeout=(self._connect_timeout(), REPORT_READ_TIMEOUT),
        )
        disposition = response.headers.get("Content-Disposition", "")
        found = re.search(r'filename="([^"]+)"', disposition)
        return ReportFile(
            filename=found.group(1) if found else f"laporan.{file_format}",
            media_type=response.headers.get("Content-Type", "application/octet-stream"),
            content=response.content,
        )

    def _connect_timeout(self) -> float:
        return self.timeout[0] if isinstance(self.timeout, tuple) else self.timeout

    def queue_snapshot(self, branch_id: int) -> QueueSnapshot:
        """Everything for a first paint; listen for events after its ``seq``."""
        return self._get(f"{API}/branches/{int(branch_id)}/snapshot", QueueSnapshot)
