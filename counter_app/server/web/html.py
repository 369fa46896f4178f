"""What every page shares: the HTML response with its headers and CSRF nonce, the error page,
the CSRF check of a posted form, and a route class that answers bad addresses with a page.

A citizen's browser never gets the API's JSON for input the server cannot use: each form
model (``web.forms``) takes any text, so a form never fails validation, and an address that
does (a malformed code or date in the path, an overlong query) gets the error page.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.responses import HTMLResponse, Response

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.server.api.public import check_rate
from counter_app.server.context import Services, app_services
from counter_app.server.security_headers import page_csp
from counter_app.server.web import csrf, texts
from counter_app.server.web.render import page

HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}  # the rest (Permissions-Policy ...): server/security_headers.py


def html(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page; make sure the browser holds a CSRF nonce and the page its token."""
    svc: Services = app_services(request)
    nonce = request.cookies.get(csrf.COOKIE)
    fresh = not nonce or len(nonce) > 64
    if fresh:
        nonce = csrf.new_nonce()
    assert nonce is not None
    script_nonce = secrets.token_urlsafe(16)
    body = page(
        template,
        csrf_token=csrf.sign(svc.keys.form, nonce),
        script_nonce=script_nonce,
        texts=texts,
        **context,
    )
    headers = {**HEADERS, "Content-Security-Policy": page_csp(script_nonce)}
    response = HTMLResponse(body, status_code=status, headers=headers)
    if fresh:
        response.set_cookie(csrf.COOKIE, nonce, httponly=True, samesite="lax", path="/")
    return response


def error_page(request: Request, error: AppError, back: str | None = None) -> HTMLResponse:
    """The error page: the Indonesian message for ``error``, with its HTTP status."""
    return html(
        request,
        "error.html",
        status=error.status,
        message=texts.message_for(error),
        back=back,
    )


def check_csrf(request: Request, token: str, *, rate_checked: bool = False) -> None:
    """Raise ``AppError`` (forbidden, ``csrf``) unless ``token`` was signed for this browser.

    The client's rate limit is charged first: a stream of posts with bad tokens is limited
    like any other (``rate_checked``: the route charged it already)."""
    if not rate_checked:
        check_rate(request)
    svc: Services = app_services(request)
    if not csrf.valid(svc.keys.form, request.cookies.get(csrf.COOKIE), token):
        raise AppError(ErrorCode.CSRF, "The form token is missing or wrong.")


class PageRoute(APIRoute):
    """A page's route: a request FastAPI cannot validate gets the error page (422), not JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handle(request)
            except RequestValidationError:
                error = AppError(ErrorCode.INVALID_INPUT, "Unusable address or form.")
                return error_page(request, error)

        return page_handler
