"""The emails organisers send (invitations, reminders), in English and Chinese, and which of
the two a recipient gets.

The web catalogues take these in as ``mail.<key>`` (``service/web/locales``), so their
test checks both languages have every key and the same ``{placeholders}``.
"""

from __future__ import annotations

from collections.abc import Iterable

LANGUAGES = ("en", "zh")

# fmt: off
LETTERS: dict[str, dict[str, str]] = {
    "en": {
        "invitation.subject": "Invitation: {workshop}",
        "invitation.body": (
            "{greeting}You are invited to {workshop} ({dates}{venue}).\n\n{message}"
            "Open this link to join as a participant: sign in with your institution's key or "
            "an emailed sign-in link, or register your institution if it is new here.\n\n"
            "{link}\n"
        ),
        "invitation.greeting": "Dear {name},\n\n",
        "invitation.message": "The organisers write:\n\n{message}\n\n",
        "reminder.subject": "{workshop}: how did your meetings go?",
        "reminder.body": (
            "Dear {name},\n\n"
            "After {workshop}, please tell us what came of your meetings: for each partner you "
            "were paired with, whether you met, signed an MoU, or declined. You have answered "
            "for {answered} of your {pairs} pairs.\n\n"
            "Your private link (no key or password needed):\n{link}\n\n"
            "Thank you.\n"
        ),
    },
    "zh": {
        "invitation.subject": "邀请：{workshop}",
        "invitation.body": (
            "{greeting}诚邀贵机构参加{workshop}（{dates}{venue}）。\n\n{message}"
            "打开以下链接即可作为参会机构加入：用本机构的密钥或邮件登录链接登录；"
            "如果贵机构尚未注册，请先注册。\n\n"
            "{link}\n"
        ),
        "invitation.greeting": "尊敬的{name}：\n\n",
        "invitation.message": "组织方留言：\n\n{message}\n\n",
        "reminder.subject": "{workshop}：会谈进展如何？",
        "reminder.body": (
            "尊敬的{name}：\n\n"
            "{workshop}已经结束，请告诉我们会谈的结果：对每一个与贵机构配对的伙伴，"
            "说明是否已会面、已签署合作备忘录（MoU）或已谢绝。贵机构已答复 {pairs} 个配对中的 "
            "{answered} 个。\n\n"
            "贵机构的专用链接（无需密钥或密码）：\n{link}\n\n"
            "谢谢！\n"
        ),
    },
}
# fmt: on


def letter(language: str, key: str, /, **params: object) -> str:
    """Return the mail text ``key`` in ``language`` (English if it is none we write)."""
    texts = LETTERS.get(language, LETTERS["en"])
    return texts[key].format(**params)


def recipient_language(spoken: Iterable[str], fallback: str) -> str:
    """Return the language to write to someone who speaks ``spoken`` (ISO 639-1 codes, as
    a profile lists them): the one language we write that it lists, when it lists exactly
    one of them; otherwise ``fallback`` (the sender's interface language)."""
    ours = [language for language in LANGUAGES if language in set(spoken)]
    if len(ours) == 1:
        return ours[0]
    return fallback if fallback in LANGUAGES else "en"
