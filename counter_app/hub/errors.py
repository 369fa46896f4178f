"""How the hub answers what went wrong: its refusals, invalid input, and its database being
away, as JSON with an error code (docs/HUB.md)."""

from __future__ import annotations

import logging

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.hub.store import HubRefusalError

log = logging.getLogger(__name__)


def database_away_answer(detail: object) -> JSONResponse:
    """503 ``database_unavailable``: PostgreSQL restarting or unreachable. Branches retry
    later (their pushes are idempotent); the pools replace the lost connections."""
    log.warning("hub database unavailable: %s", str(detail).strip()[:300])
    body = {"error": ErrorCode.DATABASE_UNAVAILABLE, "message": "the hub's database is away"}
    return JSONResponse(body, status_code=503, headers={"Retry-After": "1"})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HubRefusalError)
    async def refused(_request: Request, exc: HubRefusalError) -> JSONResponse:
        body: dict[str, object] = {"error": exc.code, "message": exc.message, **exc.extra}
        return JSONResponse(body, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid"}
        where = ".".join(str(p) for p in first["loc"])
        body = {"error": ErrorCode.INVALID_INPUT, "message": f"{where}: {first['msg']}"}
        return JSONResponse(body, status_code=422)

    @app.exception_handler(OperationalError)
    async def database_away(_request: Request, exc: OperationalError) -> JSONResponse:
        return database_away_answer(exc.orig)

    # The booking's pool (hub.pg_pool) speaks psycopg directly; its PoolTimeout is one too.
    @app.exception_handler(psycopg.OperationalError)
    async def database_away_direct(
        _request: Request, exc: psycopg.OperationalError
    ) -> JSONResponse:
        return database_away_answer(exc)

    @app.exception_handler(AppError)
    async def app_refused(_request: Request, exc: AppError) -> JSONResponse:
        body: dict[str, object] = {"error": exc.code, "message": exc.message, **exc.details}
        retry_after = exc.details.get("retry_after")
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        return JSONResponse(body, status_code=exc.status, headers=headers)
