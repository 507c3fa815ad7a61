"""The web tests' loopback SMTP server and the app that mails to it, for the claim API."""

from tests.web.conftest import inbox, mailing

__all__ = ["inbox", "mailing"]
