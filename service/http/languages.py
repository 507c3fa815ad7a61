"""The language an answer is written in: ``Accept-Language`` against the languages we
can write.

Reasons of a match are put in words for whoever reads them (``matching.explain.say``):
English or Chinese. The header's tags are taken by their primary subtag (``zh-CN`` and
``zh-Hant`` ask for ``zh``), best q-value first, then in the order sent; ``q=0`` refuses
a language. The first one we write wins; none of them (``fr``, ``*``), or no header,
gets English. The answer says which it used (``Content-Language``) and that it depends on
the header (``Vary: Accept-Language``), so a cache keeps one copy per language.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated

from fastapi import Depends, Header, Response

from matching.explain import LANGUAGES

DEFAULT = "en"
_MAX_HEADER = 500


def primary(tag: str) -> str:
    """Return a language tag's primary subtag, lower case: ``zh`` for ``zh-Hans-CN``."""
    return tag.strip().lower().replace("_", "-").split("-", 1)[0]


def preferred(header: str, supported: Collection[str]) -> list[str]:
    """Return the supported languages an ``Accept-Language`` header asks for, best first."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        language = primary(tag)
        if language in supported and weight > 0:
            ranked.append((-weight, position, language))
    return list(dict.fromkeys(language for _, _, language in sorted(ranked)))


def vary(response: Response, header: str) -> None:
    """Add ``header`` to the answer's ``Vary`` (once)."""
    present = [part.strip() for part in response.headers.get("Vary", "").split(",") if part]
    if header.lower() not in (part.lower() for part in present):
        response.headers["Vary"] = ", ".join([*present, header])


async def reason_language(
    response: Response,
    accept_language: Annotated[
        str | None,
        Header(
            alias="Accept-Language",
            max_length=_MAX_HEADER,
            description="The language of the reasons: `en` or `zh` (q-values respected); "
            "any other, or none, gets English. `Content-Language` says which was used.",
        ),
    ] = None,
) -> str:
    """Return the language to put reasons in, and say so on the answer."""
    # async: no IO, and a sync dependency costs every request a hop to the thread pool.
    language = next(iter(preferred(accept_language or "", LANGUAGES)), DEFAULT)
    response.headers["Content-Language"] = language
    vary(response, "Accept-Language")
    return language


ReasonLanguageDep = Annotated[str, Depends(reason_language)]
"""The language of the reasons in this answer (``en`` or ``zh``)."""


def mail_language(
    accept_language: Annotated[
        str | None,
        Header(
            alias="Accept-Language",
            max_length=_MAX_HEADER,
            description="The language of the emails this sends (`en` or `zh`), where the "
            "recipient's profile does not say one; any other, or none, gets English.",
        ),
    ] = None,
) -> str:
    """Return the language the caller writes its emails in (an organiser's interface
    language, over the API)."""
    return next(iter(preferred(accept_language or "", LANGUAGES)), DEFAULT)


MailLanguageDep = Annotated[str, Depends(mail_language)]
"""The language of the emails a request sends, where the recipient's is not known."""
