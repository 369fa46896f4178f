"""A branch keeps its connection to the hub (``server.hub_http``): a busy branch's pushes go on
one kept-alive connection, not one connection (and, over HTTPS, one TLS handshake) each; after
the hub restarts the branch connects again by itself. Connections are counted by a small TCP
relay between the branch and the hub."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.hub_processes import HubProcess, add_branch, hub_cli, hub_sync, wait_for
from tests.e2e.processes import (
    Client,
    ServerPool,
    ServerProcess,
    journal_head,
    login,
    office_toml,
    run_setup,
    service_ids,
)
from tests.support.databases import fresh_pg_database

pytestmark = [pytest.mark.postgres]


class CountingRelay:
    """Listens on its own port and relays each connection to ``target_port``; counts them."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.accepted = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = int(self._listener.getsockname()[1])
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.accepted += 1
                self._open.append(client)
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=2)
            except OSError:  # the hub is away: the branch sees the connection dropped
                client.close()
                continue
            with self._lock:
                self._open.append(upstream)
            for a, b in ((client, upstream), (upstream, client)):
                thread = threading.Thread(target=self._pipe, args=(a, b), daemon=True)
                thread.start()
                self._threads.append(thread)

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        source.settimeout(0.2)
        while not self._stop.is_set():
            try:
                data = source.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                data = b""
            if not data:
                with contextlib.suppress(OSError):
                    sink.shutdown(socket.SHUT_WR)
                return
            try:
                sink.sendall(data)
            except OSError:
                return

    def close(self) -> None:
        self._stop.set()
        self._accepting.join(5)
        for thread in self._threads:
            thread.join(5)
        self._listener.close()
        with self._lock:
            for sock in self._open:
                sock.close()


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    with fresh_pg_database() as url:
        done = hub_cli("init", "--db", url)
        assert done.returncode == 0, done.stderr
        process = HubProcess(url, tmp_path / "hub.log", workers=1)
        try:
            yield process.start()
        finally:
            process.stop()


def _issue_for(kiosk: Client, service: int, seconds: float) -> int:
    issued = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        r = kiosk.post("/tickets", {"service_id": service})
        assert r.status_code == 201, r.text
        issued += 1
        time.sleep(0.15)
    return issued


@pytest.mark.slow
def test_pushes_share_one_connection_and_reconnect_after_a_hub_restart(
    hub: HubProcess, servers: ServerPool, tmp_path: Path
) -> None:
    relay = CountingRelay(hub.port)
    try:
        key = add_branch(hub.db_url, "Cibeber")
        db_url = f"sqlite:///{tmp_path / 'office.sqlite3'}"
        kiosk_token = run_setup(db_url, office_toml(counters=2, code="cibeber"), tmp_path)
        env = {"COUNTER_APP_HUB_URL": f"http://127.0.0.1:{relay.port}", "COUNTER_APP_HUB_KEY": key}
        server = ServerProcess(db_url, servers.log_dir / "cibeber.log", name="cibeber", env=env)
        servers.started.append(server)
        server.start()
        kiosk = Client(server.url, kiosk_token)
        supervisor = login(server.url, "supervisor")
        branch_id = int(supervisor.get("/auth/me").json()["branch_id"])
        service = service_ids(supervisor, branch_id)["A"]
        admin = hub.login()

        def synced() -> bool:
            head = journal_head(supervisor, branch_id)
            row = hub.status(admin)[0]
            return bool(row["hub_seq"] == head and hub_sync(server.url)["state"] == "synced")

        wait_for("first sync", synced, timeout=15)
        before = relay.accepted
        issued = _issue_for(kiosk, service, 4.0)  # about a push every half second
        wait_for("sync of the burst", synced, timeout=15)
        # The pusher's and the booking puller's kept connections, opened again at most once
        # each (by then idle long enough for the hub to close them). One per request before:
        # about eight pushes and four booking polls here.
        assert relay.accepted - before <= 2, (relay.accepted - before, issued)

        hub.stop()
        kiosk.post("/tickets", {"service_id": service})
        wait_for("the branch to notice", lambda: hub_sync(server.url)["state"] == "down", 15)
        hub.start()
        admin = hub.login()
        _issue_for(kiosk, service, 1.0)
        wait_for("catch-up after the restart", synced, timeout=25)
        after_restart = relay.accepted
        _issue_for(kiosk, service, 3.0)
        wait_for("sync on the new connection", synced, timeout=15)
        assert relay.accepted - after_restart <= 2
    finally:
        relay.close()
