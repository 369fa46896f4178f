"""Keep bearer tokens out of the access log.

An event stream may carry its token as ``?access_token=`` (a browser's EventSource cannot
set headers), and a careless client may send one anywhere. uvicorn's access log writes the
full path with its query, so this filter rewrites the record's arguments before any handler
formats them: the token's value becomes ``[redacted]``."""

from __future__ import annotations

import logging
import re

ACCESS_LOGGER = "uvicorn.access"
_TOKEN_IN_QUERY = re.compile(r"((?:^|[?&;])access_token=)[^&;#\s]*", re.IGNORECASE)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return _TOKEN_IN_QUERY.sub(lambda m: m.group(1) + REDACTED, text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str) and "access_token" in record.msg:
            record.msg = redact(record.msg)
        return True


def install_access_log_redaction() -> None:
    """Add the filter to uvicorn's access logger (once; call it after uvicorn has set up its
    logging, which keeps filters already on the logger)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RedactTokens) for f in logger.filters):
        logger.addFilter(RedactTokens())
