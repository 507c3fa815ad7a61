"""A claim through the clients, against a live server that mails to a loopback SMTP server:
claimed by anyone, confirmed by the emailed link (a page), approved by the admin's client."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from service.claims.models import ClaimStatus
from service.claims.schemas import ListedStatus
from service.client import ApiError, TvetMatchClient
from service.institutions.models import InstitutionPrivate
from tests.conftest import ADMIN_TOKEN
from tests.support.forked import Forker
from tests.support.server import Server, running_server, server_env
from tests.support.smtp import Inbox, mail_env, smtp_server
from tests.web.conftest import csrf_token

pytestmark = pytest.mark.http
CLAIMANT = "director@npic.example.org"
_VERIFY = re.compile(r"(/web/claims/verify\?token=([\w-]+))")


@pytest.fixture(scope="module")
def mailed(
    tmp_path_factory: pytest.TempPathFactory, forker: Forker
) -> Iterator[tuple[Server, Inbox]]:
    """A seeded server whose mail goes to a loopback SMTP server."""
    folder = tmp_path_factory.mktemp("client-claims")
    with smtp_server() as inbox:
        env = server_env(data_dir=folder / "data", database_url=None)
        env.update(mail_env(inbox))
        with running_server(env, folder / "server.log", forker=forker) as server:
            yield server, inbox


def confirm(url: str, inbox: Inbox) -> None:
    """Open the emailed link and confirm the address, as the claimant does on the page."""
    (message,) = inbox.wait_for(1)
    assert message["To"] == CLAIMANT
    found = _VERIFY.search(message.get_content())
    assert found
    with httpx.Client(base_url=url) as browser:
        page = browser.get(found.group(1))
        data = {"csrf_token": csrf_token(page), "token": found.group(2)}
        assert browser.post("/web/claims/verify", data=data).status_code == 200


def test_a_claim_is_made_and_approved_through_the_clients(
    mailed: tuple[Server, Inbox],
) -> None:
    server, inbox = mailed
    with TvetMatchClient(server.url) as anyone:
        npic = anyone.list_institutions(q="NPIC").items[0]
        made = anyone.create_claim({"institution_id": npic.id, "email": CLAIMANT})
        assert made.status == ClaimStatus.unverified
    confirm(server.url, inbox)
    with TvetMatchClient(server.url, key=ADMIN_TOKEN) as admin:
        pending = admin.list_claims(status=ListedStatus.pending)
        assert [claim.id for claim in pending.items] == [made.id]
        approved = admin.approve_claim(made.id)
        assert approved.status == ClaimStatus.approved
        profile = admin.read_institution(npic.id)
        assert isinstance(profile, InstitutionPrivate)
        assert profile.contact_email == CLAIMANT
        with pytest.raises(ApiError) as decided:
            admin.reject_claim(made.id)
        assert decided.value.status == 409
        assert [claim.id for claim in admin.iter_claims(status=ListedStatus.approved)] == [made.id]
    assert inbox.wait_for(2)[1]["To"] == CLAIMANT  # the sign-in link that gives the key
