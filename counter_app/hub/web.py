"""The hub's web pages (``/pusat``): log in with a hub account, the regional dashboard and
the reports across branches (docs/HUB.md, "Regional view and reports").

Server-rendered HTML (Indonesian) that works without script; with script the dashboard's
table is fetched again every few seconds. The session is a hub token (``store.login``, the
API's own) in an ``HttpOnly``, ``SameSite=Strict`` cookie; every form carries a signed
double-submit CSRF token as the branch's pages do (``server/web/csrf.py``): a random nonce
in a cookie, ``HMAC(form key, nonce)`` in the form. The form key is shared by every hub
process through the hub's database (``hub_web_keys``), so any process checks any form.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.hub import reports, store
from counter_app.hub.api import _in_transaction
from counter_app.hub.login import guarded_login
from counter_app.hub.models import HubToken, HubUser, HubWebKey
from counter_app.hub.report_api import report_csv_table
from counter_app.hub.store import HubActor, HubRefusalError
from counter_app.schemas.hub import DashboardRow, HubReport
from counter_app.schemas.reports import FiguresOut, IkmOut
from counter_app.store.auth import token_digest

router = APIRouter(include_in_schema=False)
SESSION_COOKIE = "hub_session"
CSRF_COOKIE = "hub_csrf"
CSRF_FIELD = "csrf_token"
REFRESH_MS = 10_000
TEXT_LIMIT = 200
WIB = ZoneInfo("Asia/Jakarta")
FRESHNESS_WORDS = {
    "fresh": "terkini",
    "stale": "terlambat",
    "offline": "luring",
    "never": "belum pernah",
}
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}


def _csp(script_nonce: str) -> str:
    return (
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        f"script-src 'nonce-{script_nonce}'; connect-src 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'self'; object-src 'none'"
    )


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("counter_app.hub", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


# --- what the templates show ----------------------------------------------------------------


def _num(value: int | None) -> str:
    return "–" if value is None else str(value)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes = int(seconds // 60)
    return f"{minutes // 60} j {minutes % 60} mnt" if minutes >= 60 else f"{minutes} mnt"


def _age(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{int(seconds)} dtk lalu"
    if seconds < 3600:
        return f"{int(seconds // 60)} mnt lalu"
    if seconds < 2 * 86400:
        return f"{int(seconds // 3600)} jam lalu"
    return f"{int(seconds // 86400)} hari lalu"


def _span(seconds: int) -> str:
    return f"{seconds // 60} menit" if seconds >= 120 else f"{seconds} detik"


def _share(row: DashboardRow) -> Markup:
    if row.within_target_share is None:
        text = "–" if row.service_day is not None else "target belum diketahui"
        return Markup(escape(text))
    percent = round(row.within_target_share * 100)
    css = "low" if percent < 80 else ""
    counts = f"<small>({row.within_target}/{row.called})</small>"
    return Markup(f'<span><b class="{css}">{percent}&nbsp;%</b> {counts}</span>')


def _clock(moment: datetime) -> str:
    return moment.astimezone(WIB).strftime("%H.%M.%S")


def _minutes(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds / 60:.1f}".replace(".", ",")


def _cells(f: FiguresOut, survey: IkmOut | None) -> Markup:
    share = (
        "–"
        if f.within_target_share is None
        else f"{f.within_target_share * 100:.1f}".replace(".", ",") + " %"
    )
    ikm = "–"
    if survey is not None and survey.index is not None:
        ikm = f"{survey.index:.2f}".replace(".", ",") + f" ({survey.grade}, {survey.responses})"
    values = [
        _num(f.issued),
        str(f.served),
        str(f.no_show),
        str(f.cancelled),
        str(f.transferred),
        str(f.expired),
        _minutes(f.mean_wait_seconds),
        _minutes(f.p90_wait_seconds),
        share,
        _minutes(f.mean_service_seconds),
        ikm,
    ]
    return Markup("".join(f"<td>{escape(v)}</td>" for v in values))


# --- the session and the forms ----------------------------------------------------------------


def _form_key(request: Request, session: Session) -> bytes:
    known: bytes | None = getattr(request.app.state, "hub_form_key", None)
    if known is not None:
        return known
    session.execute(
        pg_insert(HubWebKey)
        .values(name="form", value=secrets.token_bytes(32))
        .on_conflict_do_nothing(index_elements=[HubWebKey.name])
    )
    key = bytes(session.scalars(select(HubWebKey.value).where(HubWebKey.name == "form")).one())
    request.app.state.hub_form_key = key
    return key


def _sign(key: bytes, nonce: str) -> str:
    return hmac.new(key, b"hub-csrf:" + nonce.encode(), hashlib.sha256).hexdigest()


def _csrf_valid(key: bytes, nonce: str | None, token: str | None) -> bool:
    if not nonce or not token or len(nonce) > 64:
        return False
    return hmac.compare_digest(_sign(key, nonce), token)


def _secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


class _User:
    def __init__(self, username: str, actor: HubActor) -> None:
        self.username = username
        self.actor = actor
        self.region = actor.region


def _user(session: Session, request: Request, now: datetime) -> _User | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 100:
        return None
    actor = store.actor_for_token(session, token, now)
    if actor is None:
        return None
    username = session.scalar(select(HubUser.username).where(HubUser.id == actor.user_id))
    return _User(str(username), actor)


def _page(
    request: Request, key: bytes, template: str, *, status: int = 200, **context: Any
) -> HTMLResponse:
    nonce = request.cookies.get(CSRF_COOKIE)
    fresh = not nonce or len(nonce) > 64
    if fresh:
        nonce = secrets.token_urlsafe(18)
    assert nonce is not None
    script_nonce = secrets.token_urlsafe(16)
    context.setdefault("user", None)
    body = (
        _environment()
        .get_template(template)
        .render(
            csrf_token=_sign(key, nonce),
            script_nonce=script_nonce,
            num=_num,
            duration=_duration,
            age=_age,
            span=_span,
            share=_share,
            clock=_clock,
            cells=_cells,
            freshness_words=FRESHNESS_WORDS,
            refresh_ms=REFRESH_MS,
            **context,
        )
    )
    headers = {**HEADERS, "Content-Security-Policy": _csp(script_nonce)}
    response = HTMLResponse(body, status_code=status, headers=headers)
    if fresh:
        response.set_cookie(
            CSRF_COOKIE,
            nonce,
            httponly=True,
            samesite="lax",
            path="/pusat",
            secure=_secure(request),
        )
    return response


def _to_login() -> Response:
    return RedirectResponse("/pusat/masuk", status_code=303, headers=HEADERS)


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value[:TEXT_LIMIT] if isinstance(value, str) else ""


# --- pages ------------------------------------------------------------------------------------


@router.get("/pusat/masuk")
async def login_page(request: Request) -> Response:
    def work(session: Session) -> Response:
        key = _form_key(request, session)
        return _page(request, key, "login.html", error=None, username="")

    return await _in_transaction(request, work)


@router.post("/pusat/masuk")
async def login_form(request: Request) -> Response:
    form = await request.form()
    username, password = _text(form, "username").strip(), _text(form, "password")
    token = _text(form, CSRF_FIELD)
    key = await _in_transaction(request, lambda session: _form_key(request, session))

    def again(status: int, message: str) -> Response:
        return _page(request, key, "login.html", status=status, error=message, username=username)

    if not _csrf_valid(key, request.cookies.get(CSRF_COOKIE), token):
        return again(403, "Formulir kedaluwarsa. Silakan coba lagi.")
    try:  # throttled and logged as the API's login (hub.login)
        session_token, _user_row = await guarded_login(request, username, password)
    except HubRefusalError:
        return again(401, "Nama pengguna atau kata sandi salah.")
    except AppError as exc:
        if exc.code is ErrorCode.LOGIN_THROTTLED:
            wait = exc.details.get("retry_after", 60)
            return again(429, f"Terlalu banyak percobaan masuk. Coba lagi dalam {wait} detik.")
        return again(503, "Server sedang sibuk. Coba lagi sebentar lagi.")
    response = RedirectResponse("/pusat", status_code=303, headers=HEADERS)
    response.set_cookie(
        SESSION_COOKIE,
        session_token,
        max_age=int(store.TOKEN_TTL.total_seconds()),
        httponly=True,
        samesite="strict",
        path="/pusat",
        secure=_secure(request),
    )
    return response


@router.post("/pusat/keluar")
async def logout_form(request: Request) -> Response:
    form = await request.form()
    token = _text(form, CSRF_FIELD)

    def work(session: Session) -> Response:
        key = _form_key(request, session)
        if not _csrf_valid(key, request.cookies.get(CSRF_COOKIE), token):
            message = "Formulir kedaluwarsa. Silakan coba lagi."
            return _page(request, key, "error.html", status=403, message=message)
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            session.execute(delete(HubToken).where(HubToken.digest == token_digest(cookie)))
        response = _to_login()
        response.delete_cookie(SESSION_COOKIE, path="/pusat")
        return response

    return await _in_transaction(request, work)


@router.get("/pusat")
async def dashboard_page(request: Request) -> Response:
    now = datetime.now(UTC)

    def work(session: Session) -> Response:
        key = _form_key(request, session)
        user = _user(session, request, now)
        if user is None:
            return _to_login()
        board = reports.dashboard(session, user.actor, now)
        return _page(request, key, "dashboard.html", user=user, board=board)

    return await _in_transaction(request, work)


@router.get("/pusat/tabel")
async def dashboard_table(request: Request) -> Response:
    """The dashboard's table alone, for the page's script (401 once the session ended)."""
    now = datetime.now(UTC)

    def work(session: Session) -> Response:
        key = _form_key(request, session)
        user = _user(session, request, now)
        if user is None:
            return Response("", status_code=401, headers=HEADERS)
        board = reports.dashboard(session, user.actor, now)
        return _page(request, key, "dashboard_table.html", user=user, board=board)

    return await _in_transaction(request, work)


def _day(text: str, default: date) -> date | None:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _period(request: Request, now: datetime) -> tuple[date | None, date | None, int | None]:
    today = now.astimezone(WIB).date()
    params = request.query_params
    first = _day(params.get("dari", "")[:20], today)
    last = _day(params.get("sampai", "")[:20], today)
    chosen_text = params.get("kantor", "")[:12]
    chosen = int(chosen_text) if chosen_text.isdigit() and int(chosen_text) < 2**31 else None
    return first, last, chosen


@router.get("/pusat/laporan")
async def report_page(request: Request) -> Response:
    now = datetime.now(UTC)
    first, last, chosen = _period(request, now)

    def work(session: Session) -> Response:
        key = _form_key(request, session)
        user = _user(session, request, now)
        if user is None:
            return _to_login()
        choices = reports.visible_branches(session, user.actor)
        context: dict[str, Any] = {
            "user": user,
            "choices": choices,
            "chosen": chosen,
            "first": first or "",
            "last": last or "",
            "report": None,
            "problem": None,
            "csv_link": "",
            "xlsx_link": "",
            "generated": "",
        }
        if first is None or last is None:
            context["problem"] = "Tanggal tidak dapat dibaca; gunakan pemilih tanggal."
            return _page(request, key, "report.html", status=422, **context)
        try:
            report = reports.hub_report(session, user.actor, first, last, now, chosen)
        except (AppError, HubRefusalError) as exc:
            context["problem"] = _message(exc)
            status = exc.status if isinstance(exc, HubRefusalError) else 422
            return _page(request, key, "report.html", status=status, **context)
        query = f"dari={first.isoformat()}&sampai={last.isoformat()}"
        if chosen is not None:
            query += f"&kantor={chosen}"
        context["report"] = report
        context["csv_link"] = f"/pusat/laporan.csv?{query}"
        context["xlsx_link"] = f"/pusat/laporan.xlsx?{query}"
        context["generated"] = report.generated_at.astimezone(WIB).strftime("%d-%m-%Y %H.%M")
        return _page(request, key, "report.html", **context)

    return await _in_transaction(request, work)


def _message(exc: AppError | HubRefusalError) -> str:
    code = exc.code
    if code is ErrorCode.BAD_RANGE:
        return "Tanggal akhir sebelum tanggal awal."
    if code is ErrorCode.RANGE_TOO_LONG:
        return "Laporan mencakup paling lama 366 hari."
    if code is ErrorCode.BRANCH_NOT_FOUND:
        return "Kantor itu tidak ada atau tidak dapat Anda lihat."
    return "Laporan tidak dapat dibuat."


@router.get("/pusat/laporan.csv")
async def report_csv(request: Request) -> Response:
    return await _report_file(request, "csv")


@router.get("/pusat/laporan.xlsx")
async def report_xlsx(request: Request) -> Response:
    return await _report_file(request, "xlsx")


async def _report_file(request: Request, kind: str) -> Response:
    """The report page's table as a file (the API's ``hub_report_csv``/``_xlsx``)."""
    now = datetime.now(UTC)
    first, last, chosen = _period(request, now)

    def work(session: Session) -> Response | HubReport:
        user = _user(session, request, now)
        if user is None:
            return _to_login()
        if first is None or last is None:
            raise HubRefusalError(ErrorCode.INVALID_INPUT, "unreadable date")
        try:
            return reports.hub_report(session, user.actor, first, last, now, chosen)
        except AppError as exc:
            raise HubRefusalError(exc.code, exc.message) from None

    found = await _in_transaction(request, work)
    if isinstance(found, Response):
        return found
    if kind == "xlsx":
        from counter_app.hub.report_api import XLSX_TYPE, report_workbook

        body, name = report_workbook(found)
        media = XLSX_TYPE
    else:
        from counter_app.export.csv_file import table_csv

        body, media = table_csv(report_csv_table(found)), "text/csv; charset=utf-8"
        name = f"laporan-pusat-{found.first_day.isoformat()}_{found.last_day.isoformat()}.csv"
    return Response(
        body,
        media_type=media,
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )
