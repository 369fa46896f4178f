"""The live event stream of one branch, read by a background thread.

The listener keeps one ``GET /api/v1/branches/{id}/events`` open, hands every event to
``on_event`` in journal order, and remembers the last ``id``. When the connection drops it
reconnects after a growing, jittered pause and sends ``Last-Event-ID``, so the server replays
exactly what was missed; an event already seen is never handed over twice.

Callbacks run on the listener's thread (the Qt bridge turns them into signals). ``on_state``
hears each change of :class:`ConnectionState`:

- ``connected``: the stream is open;
- ``reconnecting``: the stream is down and the listener will try again;
- ``disconnected``: the listener has ended: ``stop()`` was called, or the server refused the
  stream for good (bad token, unknown branch); the refusal is kept in ``error``.

Start from a snapshot: ``snap = client.queue_snapshot(b)`` then
``EventListener(url, token, b, on_event, last_event_id=snap.seq).start()``.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from enum import StrEnum
from types import TracebackType
from typing import Final

import requests
from pydantic import ValidationError

from counter_app.client.errors import ApiError, CertificateChanged
from counter_app.client.pinning import pinned_session
from counter_app.client.sse import SseEvent, SseParser
from counter_app.core.backoff import full_jitter
from counter_app.schemas.tickets import EventOut

log = logging.getLogger(__name__)

READ_SIZE: Final = 64 * 1024
# Answers that a later attempt with the same token cannot change.
FATAL_STATUSES: Final = frozenset({400, 401, 403, 404, 409, 410, 422})


class ConnectionState(StrEnum):
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    DISCONNECTED = "disconnected"


class EventListener:
    """Follows one branch's events on a daemon thread until :meth:`stop`.

    ``read_timeout`` must be longer than the server's heartbeat interval (15 s by default): a
    stream silent for that long is taken as dead and reopened. The pause before a reconnect
    is drawn up to a ceiling that starts at the server's ``retry:`` advice (else
    ``initial_backoff``) and doubles with every failed attempt up to ``max_backoff``
    (``core.backoff``), so that all windows of an office do not come back in the same instant
    after a server restart.
    """

    def __init__(
        self,
        base_url: str,
        token: str | None,
        branch_id: int,
        on_event: Callable[[EventOut], None],
        on_state: Callable[[ConnectionState], None] | None = None,
        last_event_id: int | None = None,
        *,
        connect_timeout: float = 3.05,
        read_timeout: float = 45.0,
        initial_backoff: float = 1.0,
        max_backoff: float = 30.0,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/api/v1/branches/{int(branch_id)}/events"
        self.token = token
        self.branch_id = branch_id
        self.on_event = on_event
        self.on_state = on_state
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.error: ApiError | None = None
        self._last_event_id = last_event_id
        self._server_retry: float | None = None
        self._opened = 0  # streams opened so far
        self._state = ConnectionState.DISCONNECTED
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._response: requests.Response | None = None
        self._session = requests.Session()
        pinned_session(self._session)  # https://: the certificate pinned on first use
        self._thread = threading.Thread(
            target=self._run, name=f"events-branch-{branch_id}", daemon=True
        )

    # --- public ---

    @property
    def last_event_id(self) -> int | None:
        """The ``seq`` of the last event handed to ``on_event`` (or the starting point)."""
        return self._last_event_id

    @property
    def state(self) -> ConnectionState:
        return self._state

    def start(self) -> EventListener:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """End the listener: close the stream now and wait (up to ``timeout``) for the thread.

        Safe to call from any thread, several times, and from inside a callback.
        """
        self._stopping.set()
        with self._lock:
            response = self._response
        if response is not None:
            _abort(response)
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def __enter__(self) -> EventListener:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- the thread ---

    def _run(self) -> None:
        failures = 0
        try:
            while not self._stopping.is_set():
                opened = self._opened
                try:
                    self._follow()
                except ApiError as exc:
                    if exc.status in FATAL_STATUSES:
                        log.error("event stream refused for good: %s", exc)
                        self.error = exc
                        return
                    log.warning("event stream refused: %s", exc)
                except CertificateChanged as exc:
                    log.warning("event stream not opened: %s", exc)
                except Exception as exc:  # network failures come in many types; all mean retry
                    if self._stopping.is_set():
                        return
                    log.info("event stream lost: %s: %s", type(exc).__name__, exc)
                if self._stopping.is_set():
                    return
                if self._opened != opened:
                    failures = 0  # it worked for a while: start again from a short pause
                self._set_state(ConnectionState.RECONNECTING)
                if self._stopping.wait(self._pause(failures)):
                    return
                failures += 1
        finally:
            self._session.close()
            # Always said, even if never connected: the listener has ended.
            self._set_state(ConnectionState.DISCONNECTED, always=True)

    def _pause(self, failures: int) -> float:
        base = self._server_retry if self._server_retry is not None else self.initial_backoff
        return full_jitter(failures, base=base, cap=self.max_backoff)

    def _follow(self) -> None:
        """One connection, read until it ends (or raise why it could not be read)."""
        headers = {
            "Accept": "text/event-stream",
            "Cache-Control": "no-cache",
            # A compressed stream would be buffered by the decoder, delaying events.
            "Accept-Encoding": "identity",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self._last_event_id is not None:
            headers["Last-Event-ID"] = str(self._last_event_id)
        response = self._session.get(
            self.url,
            headers=headers,
            stream=True,
            timeout=(self.connect_timeout, self.read_timeout),
        )
        with self._lock:
            self._response = response
        try:
            if self._stopping.is_set():
                return
            if response.status_code != 200:
                raise ApiError.from_response(response.status_code, response.content)
            self._opened += 1
            self._set_state(ConnectionState.CONNECTED)
            parser = SseParser()
            raw = response.raw
            while not self._stopping.is_set():
                chunk = raw.read1(READ_SIZE)
                if not chunk:
                    break  # the server ended the stream (restart, or this client fell behind)
                for event in parser.feed(chunk):
                    self._deliver(event)
                    if self._stopping.is_set():
                        break
                if parser.retry_ms is not None:
                    self._server_retry = parser.retry_ms / 1000
            parser.close()
        finally:
            with self._lock:
                self._response = None
            response.close()

    def _deliver(self, frame: SseEvent) -> None:
        seq = _as_seq(frame.id)
        if seq is not None and self._last_event_id is not None and seq <= self._last_event_id:
            return  # already handed over
        try:
            event = EventOut.model_validate_json(frame.data)
        except ValidationError as exc:
            log.error("unreadable %s event %s skipped: %s", frame.event, frame.id, exc)
        else:
            try:
                self.on_event(event)
            except Exception:
                log.exception("on_event failed for event %s", frame.id)
        if seq is not None:
            self._last_event_id = seq

    def _set_state(self, state: ConnectionState, *, always: bool = False) -> None:
        if state == self._state and not always:
            return
        self._state = state
        if self.on_state is not None:
            try:
                self.on_state(state)
            except Exception:
                log.exception("on_state failed for %s", state)


def _as_seq(value: str | None) -> int | None:
    if value is None or not value.isascii() or not value.isdigit():
        return None
    return int(value)


def _abort(response: requests.Response) -> None:
    """Close a streaming response from another thread, waking a reader blocked on it.

    Closing alone does not interrupt a ``recv`` already waiting in another thread (it would
    sit until the next heartbeat); shutting the socket down does.
    """
    connection = getattr(response.raw, "connection", None)
    sock = getattr(connection, "sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):  # already closed by the other side
            sock.shutdown(socket.SHUT_RDWR)
    response.close()
