"""The server's own TLS certificate, for an office LAN that has no certificate authority.

``counter-app server --tls self-signed`` (or ``counter-app tls make-cert``) makes a key and
a self-signed certificate in the data directory, once, and reuses them afterwards. The
certificate names this PC (its host names, ``localhost``) and its LAN addresses, so a
station can reach it by any of them. No browser or station trusts it by itself: the
stations pin its fingerprint the first time they connect (client/pinning.py, trust on first
use) and refuse a different one later; citizens' phones see a browser warning unless the
office installs a real certificate (``--ssl-certfile``/``--ssl-keyfile``, docs/DEPLOY.md).
The key file is readable by its owner only (0600).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from counter_app.core.fingerprint import sha256_fingerprint

CERT_NAME = "server-cert.pem"
KEY_NAME = "server-key.pem"
VALID_DAYS = 10 * 365  # a LAN server's certificate; renewing would break every station's pin
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class CertFiles:
    cert: Path
    key: Path
    fingerprint: str  # SHA-256, AB:CD:…
    created: bool  # made now (else found from an earlier run)


def lan_names() -> list[str]:
    """This PC's names: host name, fully qualified name, ``localhost``."""
    names = [socket.gethostname(), socket.getfqdn(), "localhost"]
    return list(dict.fromkeys(name for name in names if name))


def lan_addresses() -> list[IpAddress]:
    """Loopback and the addresses this PC has on its networks (as far as can be learnt
    without extra packages: the host name's addresses and the outgoing interface's)."""
    found: list[str] = ["127.0.0.1", "::1"]
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None):
            found.append(str(info[4][0]))
    except OSError:
        pass
    try:
        # No packet is sent: connecting a UDP socket only picks the outgoing interface.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1, never routed
            found.append(str(probe.getsockname()[0]))
    except OSError:
        pass
    addresses: list[IpAddress] = []
    for text in found:
        try:
            address = ipaddress.ip_address(text.split("%")[0])
        except ValueError:
            continue
        if address not in addresses and not address.is_unspecified:
            addresses.append(address)
    return addresses


def make_self_signed(
    directory: Path,
    names: list[str] | None = None,
    addresses: list[IpAddress] | None = None,
    *,
    now: dt.datetime | None = None,
) -> CertFiles:
    """Make (or find from an earlier run) the key and certificate in ``directory``."""
    cert_path, key_path = directory / CERT_NAME, directory / KEY_NAME
    if cert_path.exists() and key_path.exists():
        return CertFiles(cert_path, key_path, file_fingerprint(cert_path), created=False)
    names = names or lan_names()
    addresses = addresses if addresses is not None else lan_addresses()
    now = now or dt.datetime.now(dt.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, names[0][:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "counter-app"),
        ]
    )
    alternative: list[x509.GeneralName] = [x509.DNSName(name) for name in names]
    alternative += [x509.IPAddress(address) for address in addresses]
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(alternative), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write_private(key_path, key_bytes)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    der = cert.public_bytes(serialization.Encoding.DER)
    return CertFiles(cert_path, key_path, sha256_fingerprint(der), created=True)


def file_fingerprint(cert_path: Path) -> str:
    """The SHA-256 fingerprint of the (first) certificate in a PEM file."""
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return sha256_fingerprint(cert.public_bytes(serialization.Encoding.DER))


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file that only its owner can read (0600 from the start)."""
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
