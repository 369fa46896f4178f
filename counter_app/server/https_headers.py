"""Under HTTPS: cookies only over HTTPS (``Secure``) and HSTS; under plain HTTP, neither.

One middleware rather than a flag at each ``set_cookie``: the booking pages' cancel token
and the CSRF nonce (and any cookie added later) all get ``Secure`` when the request came over
HTTPS, so a browser never sends them over the office Wi-Fi in clear. HSTS tells the browser
to use HTTPS for this host from then on; it is sent only over HTTPS (a browser ignores it
over HTTP, and a server reached by plain HTTP must stay reachable).

Behind a reverse proxy that ends TLS, the scheme uvicorn sees is ``http`` unless it trusts
the proxy's ``X-Forwarded-Proto`` (``--forwarded-allow-ips``, docs/DEPLOY.md).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS = b"max-age=31536000"  # one year; no includeSubDomains: the office's other hosts vary


def secure_cookie(value: bytes) -> bytes:
    """``Set-Cookie`` value with the ``Secure`` attribute (once)."""
    attributes = [part.strip().lower() for part in value.split(b";")[1:]]
    return value if b"secure" in attributes else value + b"; Secure"


class HttpsHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("scheme") != "https":
            await self.app(scope, receive, send)
            return

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, secure_cookie(value) if name.lower() == b"set-cookie" else value)
                    for name, value in message.get("headers", [])
                ]
                if not any(name.lower() == b"strict-transport-security" for name, _ in headers):
                    headers.append((b"strict-transport-security", HSTS))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_secure)
