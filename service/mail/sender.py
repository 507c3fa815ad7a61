"""Send plain-text email over SMTP (``smtplib``), or say that none can be sent.

One connection per message: the service sends few (sign-in links, meeting notices), and
a fresh connection never holds a socket the SMTP server has since closed.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from service.config import Settings

log = logging.getLogger(__name__)
_TIMEOUT_SECONDS = 10.0


class MailFailed(Exception):
    """The SMTP server could not be reached or refused the message."""


@dataclass(frozen=True, slots=True)
class Mailer:
    """Where and how to send email."""

    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    starttls: bool = True

    def send(self, *, to: str, subject: str, body: str) -> None:
        """Send one plain-text message; raise :class:`MailFailed` if it cannot be sent."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain="tvet-match")
        message.set_content(body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=_TIMEOUT_SECONDS) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            log.warning("could not send email to the SMTP server %s: %s", self.host, error)
            raise MailFailed(str(error)) from error


def mailer_for(settings: Settings) -> Mailer | None:
    """Return the configured mailer, or ``None`` when ``TVETMATCH_SMTP_HOST`` is unset."""
    if not settings.smtp_host:
        return None
    return Mailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_from,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        starttls=settings.smtp_starttls,
    )
