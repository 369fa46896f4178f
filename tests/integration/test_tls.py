"""HTTPS: a live server on a certificate it made itself, stations pinning it on first use
and refusing another one, and the pages' cookies and HSTS under HTTPS only."""

from __future__ import annotations

import hashlib
import stat
import threading
from collections.abc import Iterator
from ipaddress import ip_address
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from counter_app.cli import main, tls_files
from counter_app.client.api import ApiClient
from counter_app.client.errors import CertificateChanged, ConnectionLost
from counter_app.client.events import ConnectionState, EventListener
from counter_app.client.pinning import MemoryPins, pin_store, use_pin_store
from counter_app.config import Settings
from counter_app.core.fingerprint import same_fingerprint
from counter_app.server.tls import CertFiles, file_fingerprint, make_self_signed
from tests.conftest import OfficeTemplate, sqlite_copy
from tests.support.live_server import run_server
from tests.support.office import PASSWORD
from tests.support.ports import free_port

LOOPBACK = [ip_address("127.0.0.1")]
WAIT_SECONDS = 10.0
CLOSE = {"Connection": "close"}  # no idle connection keeps the stopping server waiting


def cert(directory: Path) -> CertFiles:
    return make_self_signed(directory, ["localhost"], LOOPBACK)


@pytest.fixture
def pins() -> Iterator[MemoryPins]:
    """A fresh pin store for the clients of one test (the station's settings, in memory)."""
    before = pin_store()
    store = MemoryPins()
    use_pin_store(store)
    yield store
    use_pin_store(before)


@pytest.fixture
def db_url(sqlite_office_template: OfficeTemplate, tmp_path: Path) -> str:
    return sqlite_copy(sqlite_office_template, tmp_path)


def test_a_station_pins_the_certificate_on_first_use_and_signs_in_over_https(
    db_url: str, tmp_path: Path, pins: MemoryPins
) -> None:
    first = cert(tmp_path / "a")
    with run_server(db_url, tls=(first.cert, first.key)) as server:
        assert server.url.startswith("https://")
        with ApiClient(server.url, retries=0) as client:
            assert client.health().status == "ok"
            address = server.url.removeprefix("https://")
            pinned = pins.pinned(address)
            assert pinned is not None and same_fingerprint(pinned, first.fingerprint)
            client.login("petugas1", PASSWORD)
            assert client.whoami().user.username == "petugas1"


def test_a_different_certificate_later_is_refused_before_anything_is_sent(
    db_url: str, tmp_path: Path, pins: MemoryPins
) -> None:
    first, second = cert(tmp_path / "a"), cert(tmp_path / "b")
    assert first.fingerprint != second.fingerprint
    port = free_port()
    with (
        run_server(db_url, port=port, tls=(first.cert, first.key)) as server,
        ApiClient(server.url, retries=0) as client,
    ):
        client.health()
    with run_server(db_url, port=port, tls=(second.cert, second.key)) as server:
        with (
            ApiClient(server.url, retries=0) as client,
            pytest.raises(CertificateChanged) as refused,
        ):
            client.login("petugas1", PASSWORD)
        assert same_fingerprint(refused.value.presented, second.fingerprint)
        assert same_fingerprint(refused.value.pinned, first.fingerprint)
        assert refused.value.address == f"127.0.0.1:{port}"
        # The event stream is refused too (and keeps trying, in case the pin is reset).
        states: list[ConnectionState] = []
        retrying = threading.Event()

        def seen(state: ConnectionState) -> None:
            states.append(state)
            if state is ConnectionState.RECONNECTING:
                retrying.set()

        with EventListener(server.url, None, 1, lambda _e: None, seen):  # refused at handshake
            assert retrying.wait(WAIT_SECONDS)
        assert ConnectionState.CONNECTED not in states
        # Once the administrator forgets the old pin, the new certificate is pinned.
        pins.forget(refused.value.address)
        with ApiClient(server.url, retries=0) as client:
            assert client.health().status == "ok"


def test_the_event_stream_connects_over_https(
    db_url: str, sqlite_office_template: OfficeTemplate, tmp_path: Path, pins: MemoryPins
) -> None:
    branch = sqlite_office_template.office.branch_id
    files = cert(tmp_path / "a")
    with run_server(db_url, tls=(files.cert, files.key)) as server:
        with ApiClient(server.url, retries=0) as client:
            token = client.login("supervisor", PASSWORD).token
        connected = threading.Event()

        def seen(state: ConnectionState) -> None:
            if state is ConnectionState.CONNECTED:
                connected.set()

        with EventListener(server.url, token, branch, lambda _e: None, seen):
            assert connected.wait(WAIT_SECONDS)


def test_plain_http_is_not_pinned(db_url: str, pins: MemoryPins) -> None:
    with run_server(db_url) as server, ApiClient(server.url, retries=0) as client:
        assert client.health().status == "ok"
    assert pins.pinned(server.url.removeprefix("http://")) is None


def test_a_server_that_is_gone_is_a_lost_connection_not_a_changed_certificate(
    pins: MemoryPins,
) -> None:
    with (
        ApiClient(f"https://127.0.0.1:{free_port()}", retries=0) as client,
        pytest.raises(ConnectionLost),
    ):
        client.health()


def test_cookies_are_secure_and_hsts_is_sent_under_https_only(db_url: str, tmp_path: Path) -> None:
    files = cert(tmp_path / "a")
    with run_server(db_url, tls=(files.cert, files.key)) as server:
        page = requests.get(
            server.url + "/pesan", verify=str(files.cert), timeout=10, headers=CLOSE
        )
        assert page.status_code == 200
        cookie = page.headers["set-cookie"]
        assert "secure" in [part.strip().lower() for part in cookie.split(";")]
        assert page.headers["strict-transport-security"].startswith("max-age=")
    with run_server(db_url) as server:
        page = requests.get(server.url + "/pesan", timeout=10, headers=CLOSE)
        assert page.status_code == 200
        assert "secure" not in page.headers["set-cookie"].lower()
        assert "strict-transport-security" not in page.headers


def test_make_cert_names_this_pc_keeps_the_key_private_and_is_reused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = tmp_path / "tls"
    assert main(["tls", "make-cert", "--dir", str(directory), "--name", "loket.kantor"]) == 0
    made = capsys.readouterr().out
    key, certificate = directory / "server-key.pem", directory / "server-cert.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    loaded = x509.load_pem_x509_certificate(certificate.read_bytes())
    names = loaded.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "loket.kantor" in names.get_values_for_type(x509.DNSName)
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert ip_address("127.0.0.1") in names.get_values_for_type(x509.IPAddress)
    fingerprint = file_fingerprint(certificate)
    assert fingerprint in made
    # A second run keeps the same certificate: the stations' pins stay valid.
    assert main(["tls", "make-cert", "--dir", str(directory)]) == 0
    assert "kept" in capsys.readouterr().out
    assert main(["tls", "fingerprint", str(certificate)]) == 0
    assert capsys.readouterr().out.strip() == fingerprint


def test_server_refuses_a_certificate_without_its_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["server", "--db", f"sqlite:///{tmp_path}/x.db", "--ssl-certfile", "c.pem"])
    assert code == 2
    assert "go together" in capsys.readouterr().err


def test_server_tls_self_signed_makes_the_certificate_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(db_url=f"sqlite:///{tmp_path}/x.db", tls_self_signed=True, tls_dir=tmp_path)
    files = tls_files(settings)
    assert files is not None
    first = capsys.readouterr().out
    assert "made" in first and file_fingerprint(files[0]) in first
    assert tls_files(settings) == files
    assert "found" in capsys.readouterr().out
    plain = Settings(db_url=f"sqlite:///{tmp_path}/x.db")
    assert tls_files(plain) is None


def test_the_fingerprint_read_without_cryptography_is_the_certificates(tmp_path: Path) -> None:
    """file_fingerprint reads the PEM with the standard library (announcing loads no
    cryptography): it gives the DER's SHA-256 as cryptography computes it, takes the first
    certificate of a chain, and refuses a file with no certificate in it."""
    made = cert(tmp_path / "a")
    other = cert(tmp_path / "b")
    der = x509.load_pem_x509_certificate(made.cert.read_bytes()).public_bytes(
        serialization.Encoding.DER
    )
    expected = ":".join(f"{byte:02X}" for byte in hashlib.sha256(der).digest())
    assert file_fingerprint(made.cert) == made.fingerprint == expected
    chain = tmp_path / "chain.pem"
    chain.write_bytes(made.cert.read_bytes() + other.cert.read_bytes())
    assert file_fingerprint(chain) == expected
    for bad in (
        "no certificate here",
        "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n",
    ):
        broken = tmp_path / "broken.pem"
        broken.write_text(bad)
        with pytest.raises(ValueError):
            file_fingerprint(broken)
