"""A real SMTP server on loopback (aiosmtpd) that keeps the messages it receives."""

from __future__ import annotations

import errno
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

_START_ATTEMPTS = 3


@dataclass
class Inbox:
    """What the server received, and where it listens."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """Return the messages once ``count`` have arrived (they are sent synchronously,
        so this rarely waits)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.messages) >= count, f"{len(self.messages)} of {count} messages came"
        return list(self.messages)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def smtp_server() -> Iterator[Inbox]:
    """Run an SMTP server on a free loopback port for the duration of the block."""
    for attempt in range(1, _START_ATTEMPTS + 1):
        inbox = Inbox(host="127.0.0.1", port=_free_port())
        controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
        try:
            controller.start()
            break
        except OSError as error:
            # Taken between picking and binding (by another test worker or run): try another.
            if error.errno != errno.EADDRINUSE or attempt == _START_ATTEMPTS:
                raise
    try:
        yield inbox
    finally:
        controller.stop()


def mail_settings(inbox: Inbox, public_url: str = "https://match.example.org/") -> dict[str, Any]:
    """Settings that send mail to ``inbox`` (no TLS on loopback), links under ``public_url``."""
    return {
        "smtp_host": inbox.host,
        "smtp_port": inbox.port,
        "smtp_starttls": False,
        "smtp_from": "tvet-match <no-reply@match.example.org>",
        "public_url": public_url,
    }


def mail_env(inbox: Inbox) -> dict[str, str]:
    """The environment of a server process that sends its mail to ``inbox``."""
    return {
        "TVETMATCH_SMTP_HOST": inbox.host,
        "TVETMATCH_SMTP_PORT": str(inbox.port),
        "TVETMATCH_SMTP_STARTTLS": "false",
    }
