"""The server's own TLS certificate, for an office LAN that has no certificate authority.

``counter-app server --tls self-signed`` (or ``counter-app tls make-cert``) makes a key and
a self-signed certificate in the data directory, once, and reuses them afterwards. The
certificate names this PC (its host names, ``localhost``) and its LAN addresses, so a
station can reach it by any of them. No browser or station trusts it by itself: the
stations pin its fingerprint the first time they connect (client/pinning.py, trust on first
use) and refuse a different one later; citizens' phones see a browser warning unless the
office installs a real certificate (``--ssl-certfile``/``--ssl-keyfile``, docs/DEPLOY.md).
The key file is readable by its owner only (0600).

Making a certificate needs the ``cryptography`` package (the ``[tls]`` extra,
docs/INSTALL.md); reading a fingerprint and finding this PC's addresses need only the
standard library, so announcing the server loads no cryptography.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from counter_app.core.fingerprint import sha256_fingerprint

PEM_BEGIN = "-----BEGIN CERTIFICATE-----"
PEM_END = "-----END CERTIFICATE-----"
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
    # Not installed by a plain install: counter-app[tls] (the CLI names the extra).
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

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
    """The SHA-256 fingerprint of the (first) certificate in a PEM file (a file with its
    chain starts with the server's own). ``ValueError`` if there is no such certificate."""
    text = cert_path.read_text(encoding="ascii", errors="replace")
    start = text.find(PEM_BEGIN)
    end = text.find(PEM_END, start + len(PEM_BEGIN))
    if start < 0 or end < 0:
        raise ValueError("no PEM certificate in the file")
    body = "".join(text[start + len(PEM_BEGIN) : end].split())
    try:
        der = base64.b64decode(body, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"the certificate is not valid base64: {exc}") from None
    if not der.startswith(b"\x30"):  # a DER certificate is an ASN.1 SEQUENCE
        raise ValueError("the PEM block is not a certificate")
    return sha256_fingerprint(der)


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file that only its owner can read (0600 from the start)."""
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
