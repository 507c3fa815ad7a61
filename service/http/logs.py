"""Log lines that name their request: one JSON object per line, or plain text."""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["json", "text"]

# Set by the request middleware; copied into the threads that run sync routes, so every
# record emitted while handling a request carries its id.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

# Attributes every LogRecord has; anything else on a record came in through `extra=`
# (uvicorn's color_message repeats the message with terminal colours).
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "color_message",
}


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request being handled (or ``default``)."""

    def __init__(self, default: str | None = None) -> None:
        super().__init__()
        self.default = default

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id.get() or self.default
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.get(),
        }
        for name, value in record.__dict__.items():
            if name not in _STANDARD and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(log_format: LogFormat, level: str | int = "INFO") -> None:
    """Send every log record to stderr in ``log_format``, replacing other root handlers."""
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.addFilter(RequestIdFilter())
        handler.setFormatter(JsonFormatter())
    else:
        handler.addFilter(RequestIdFilter(default="-"))
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    # What no line shows is not gathered for each record (the logging HOWTO's
    # "Optimization"): the caller's file and line (a walk up the stack), the thread and
    # the process. Every request writes an access line, so this is per request.
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
