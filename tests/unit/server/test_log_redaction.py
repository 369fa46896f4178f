"""Tokens in a query string never reach the access log's text."""

from __future__ import annotations

import logging

from counter_app.server.log_redaction import RedactTokens, redact


def test_redact_replaces_only_the_token_value() -> None:
    assert redact("/api/v1/branches/1/events?access_token=abc-DEF_1&after=3") == (
        "/api/v1/branches/1/events?access_token=[redacted]&after=3"
    )
    assert redact("/x?after=3&ACCESS_TOKEN=zz") == "/x?after=3&ACCESS_TOKEN=[redacted]"
    assert redact("/x?my_access_token=keep") == "/x?my_access_token=keep"


def test_the_filter_rewrites_the_record_arguments() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/e?access_token=secret", "1.1", 200),
        None,
    )
    assert RedactTokens().filter(record)
    assert "secret" not in record.getMessage()
    assert "access_token=[redacted]" in record.getMessage()
