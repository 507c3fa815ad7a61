"""Every API operation the clients offer, each written once, by domain.

An operation is a method of a domain's mixin (:class:`Institutions`, :class:`Workshops`...)
named after the ``operationId`` it calls (``tests/service/client`` checks each against the
service's OpenAPI document). It does no I/O: it returns the :class:`~service.client.Call`
to send, and :func:`~service.client.methods.operation` makes it a method of both clients
(:class:`Operations` is their base). The request and answer types are the service's own
public schemas, so the client cannot drift from what the API accepts and answers.
"""

from service.client.operations.alerts import Alerts
from service.client.operations.calendars import Calendars
from service.client.operations.claims import Claims
from service.client.operations.common import Data, Profile
from service.client.operations.institutions import Institutions
from service.client.operations.keys import Keys
from service.client.operations.meetings import Meetings
from service.client.operations.opportunities import Opportunities
from service.client.operations.survey import Survey
from service.client.operations.webhooks import Webhooks
from service.client.operations.workshops import ExportKind, Workshops


class Operations(
    Institutions,
    Keys,
    Workshops,
    Survey,
    Opportunities,
    Alerts,
    Webhooks,
    Meetings,
    Claims,
    Calendars,
):
    """Every operation of the API, for both clients to inherit."""


__all__ = [
    "Alerts",
    "Calendars",
    "Claims",
    "Data",
    "ExportKind",
    "Institutions",
    "Keys",
    "Meetings",
    "Operations",
    "Opportunities",
    "Profile",
    "Survey",
    "Webhooks",
    "Workshops",
]
