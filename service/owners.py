"""Who owns a saved search or a webhook, named in one short string.

``institution:<id>`` for an institution (any of its keys), ``key:<id>`` for an organiser
or admin key, ``admin`` for the admin token. Admins may manage everything; anyone else
only what their own name owns.
"""

from __future__ import annotations

from service.auth import Caller, Role
from service.errors import NotAuthenticated

ADMIN_TOKEN_OWNER = "admin"


def owner_of(caller: Caller) -> str:
    """Return the owner name of a caller with a key (anonymous callers have none)."""
    if caller.role is Role.anonymous:
        raise NotAuthenticated("this needs an API key")
    if caller.role is Role.institution:
        return f"institution:{caller.institution_id}"
    if caller.key_id is not None:
        return f"key:{caller.key_id}"
    return ADMIN_TOKEN_OWNER


def may_manage(caller: Caller, owner: str) -> bool:
    """Whether the caller may read or change something owned by ``owner``."""
    if caller.role is Role.admin:
        return True
    return caller.role is not Role.anonymous and owner_of(caller) == owner
