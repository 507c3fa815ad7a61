"""Q2-Q4 survey answers: questions for the organiser, kept apart from profiles.

Earlier imports wrote them into the description as labelled sentences ("Challenges: ...
Strategies: ... Wishes for the organiser: ..."); :func:`without_legacy_block` takes that
block out again so a re-import moves the answers instead of keeping them twice.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ANSWER_KEYS", "SurveyAnswers", "legacy_block", "without_legacy_block"]

ANSWER_KEYS = ("challenges", "strategies", "wishes")

# The labels earlier imports wrote before each answer, in that order.
_LEGACY_LABELS = {
    "challenges": "Challenges",
    "strategies": "Strategies",
    "wishes": "Wishes for the organiser",
}
_SENTENCE_END = (".", "!", "?", "。", "！", "？")


@dataclass(frozen=True, slots=True)
class SurveyAnswers:
    """One institution's Q2 challenges, Q3 strategies and Q4 wishes for the organiser."""

    challenges: tuple[str, ...] = ()
    strategies: tuple[str, ...] = ()
    wishes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.challenges or self.strategies or self.wishes)

    def items(self, key: str) -> tuple[str, ...]:
        """Return the answer to one question, by key (see :data:`ANSWER_KEYS`)."""
        answer: tuple[str, ...] = getattr(self, key)
        return answer


def legacy_block(answers: SurveyAnswers) -> str:
    """Return the description text an earlier import wrote for these answers."""
    sentences = []
    for key in ANSWER_KEYS:
        if items := answers.items(key):
            text = f"{_LEGACY_LABELS[key]}: {'; '.join(items)}"
            sentences.append(text if text.endswith(_SENTENCE_END) else f"{text}.")
    return " ".join(sentences)


def without_legacy_block(description: str, answers: SurveyAnswers) -> str:
    """Return ``description`` without the block an earlier import wrote for ``answers``.

    Only the exact block those answers produce is removed, at the end where imports put
    it; any other text, including the institution's own edits, is left as it is.
    """
    block = legacy_block(answers)
    if not block or not description.endswith(block):
        return description
    rest = description[: -len(block)]
    if rest and not rest.endswith(" "):
        return description  # the block's label is part of a longer word or sentence
    return rest.rstrip()
