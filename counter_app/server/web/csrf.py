"""Anti-CSRF for the booking forms: a signed double-submit token.

Each browser gets a random nonce in a cookie (``HttpOnly``, ``SameSite=Lax``); every form
carries ``HMAC(form key, nonce)`` in a hidden field. A POST is accepted only when the field
matches the cookie's nonce. Another site can make the browser send the cookie, but cannot read
it or the page, so it cannot produce the field; and a planted cookie does not help without the
server's key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

COOKIE = "csrf"
FIELD = "csrf_token"


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def sign(key: bytes, nonce: str) -> str:
    return hmac.new(key, b"csrf:" + nonce.encode(), hashlib.sha256).hexdigest()


def valid(key: bytes, nonce: str | None, token: str | None) -> bool:
    if not nonce or not token or len(nonce) > 64:
        return False
    return hmac.compare_digest(sign(key, nonce), token)
