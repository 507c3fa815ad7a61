"""Meeting request emails, received by a real SMTP server on loopback."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.config import Settings
from tests.conftest import ClientFactory, bearer
from tests.service.meetings.test_meeting_requests import URL, register, send
from tests.support.smtp import mail_settings, smtp_server
from tests.web.conftest import sign_in


def test_the_asked_side_hears_of_a_request_and_the_asker_of_the_answer(
    make_client: ClientFactory, settings: Settings
) -> None:
    with smtp_server() as inbox:
        mail = {
            "rate_limit": "",
            "rate_limit_writes": "",
            "webhook_poll_seconds": 0,
            "smtp_host": inbox.host,
            "smtp_port": inbox.port,
            "smtp_starttls": False,
            "public_url": "https://match.example.org",
        }
        app: TestClient = make_client(settings.model_copy(update=mail))
        _, college_key = register(app, "Kampot Polytechnic", "KH")
        centre, centre_key = register(app, "Tianjin Centre", "CN")
        other, other_key = register(app, "Hanoi College", "VN")

        first = send(app, college_key, centre).json()
        (asked,) = inbox.wait_for(1)
        assert asked["To"] == "tianjin@example.org"
        assert asked["Subject"] == "Kampot Polytechnic asks to meet Tianjin Centre"
        assert "Shall we meet about CNC training?" in asked.get_content()
        assert "https://match.example.org/web/me" in asked.get_content()

        app.post(f"{URL}/{first['id']}/accept", headers=bearer(centre_key))
        accepted = inbox.wait_for(2)[1]
        assert accepted["To"] == "kampot@example.org"
        assert accepted["Subject"] == "Tianjin Centre accepted your meeting request"

        second = send(app, college_key, other).json()
        body = {"reason": "No budget this year"}
        app.post(f"{URL}/{second['id']}/decline", json=body, headers=bearer(other_key))
        declined = inbox.wait_for(4)[3]
        assert declined["To"] == "kampot@example.org"
        assert "Reason given: No budget this year" in declined.get_content()
        # A withdrawal sends nothing.
        third = send(app, centre_key, other).json()
        app.post(f"{URL}/{third['id']}/withdraw", headers=bearer(centre_key))
        assert len(inbox.wait_for(5)) == 5
        assert [m["To"] for m in inbox.messages][4] == "hanoi@example.org"


def test_each_side_reads_its_email_in_the_language_it_uses_on_the_pages(
    make_client: ClientFactory, settings: Settings
) -> None:
    with smtp_server() as inbox:
        quiet = {"rate_limit": "", "rate_limit_writes": "", **mail_settings(inbox)}
        app: TestClient = make_client(settings.model_copy(update=quiet))
        _, college_key = register(app, "Kampot Polytechnic", "KH")
        centre, centre_key = register(app, "Tianjin Centre", "CN")
        # The centre signs in on the Chinese pages: its email is in Chinese from now on.
        app.cookies.set("tvm_lang", "zh")
        assert sign_in(app, centre_key).status_code == 303
        app.cookies.clear()

        first = send(app, college_key, centre).json()
        (asked,) = inbox.wait_for(1)
        assert asked["To"] == "tianjin@example.org"
        assert asked["Subject"] == "Kampot Polytechnic希望与Tianjin Centre会面"
        assert "请在此接受或拒绝" in asked.get_content()
        assert "Shall we meet about CNC training?" in asked.get_content()  # verbatim

        # The college never used the pages: the answer reaches it in English.
        app.post(f"{URL}/{first['id']}/accept", headers=bearer(centre_key))
        accepted = inbox.wait_for(2)[1]
        assert accepted["Subject"] == "Tianjin Centre accepted your meeting request"
