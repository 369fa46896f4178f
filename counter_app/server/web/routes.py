"""The citizen's web pages, one module per page family: booking (``/pesan``), the ticket
status page (``/t/<code>``) and its satisfaction survey."""

from __future__ import annotations

from fastapi import FastAPI

from counter_app.server.web import booking_pages, status_pages, survey_pages


def install(app: FastAPI) -> None:
    for module in (booking_pages, status_pages, survey_pages):
        app.include_router(module.router)
