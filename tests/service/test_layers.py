"""The domains write emails without the web pages: no domain module imports ``service.web``.

Each module is imported alone in a fresh interpreter, so an import cycle through the pages
(a domain → the catalogues → the pages → the domain) fails here instead of only when some
other module happened to be imported first.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN_MODULES = [
    "service.i18n",
    "service.mail.languages",
    "service.meetings.notices",
    "service.claims.writes",
    "service.workshops.operations",
    "service.workshops.invitations",
    "service.workshops.participant_reports",
]


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_a_domain_module_imports_alone_without_the_pages(module: str) -> None:
    pages = "sorted(m for m in sys.modules if m.split('.')[:2] == ['service', 'web'])"
    probe = f"import sys, {module}; print({pages})"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
