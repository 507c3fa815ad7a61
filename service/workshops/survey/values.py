"""Survey cell values: countries, kinds and languages as people write them, to codes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from service.values.codes import COUNTRIES, LANGUAGES
from service.workshops.survey.columns import fold
from service.workshops.survey.messages import Refused


def _index(names: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Map each folded name to its code (or kind)."""
    return {fold(name): code for code, spellings in names.items() for name in spellings}


# English names from the ISO table, plus the spellings people type on a survey form.
_COUNTRY_NAMES = _index({code: (name,) for code, name in COUNTRIES.items()}) | _index(
    {
        "CN": ("People's Republic of China", "PRC", "Mainland China", "中国", "中國"),
        "KH": ("Kingdom of Cambodia", "柬埔寨", "កម្ពុជា"),
        "BN": ("Brunei", "文莱"),
        "ID": ("印度尼西亚", "印尼"),
        "LA": ("Laos", "Lao PDR", "Lao", "老挝"),
        "MY": ("马来西亚",),
        "MM": ("Burma", "缅甸"),
        "PH": ("The Philippines", "菲律宾"),
        "SG": ("新加坡",),
        "TH": ("泰国", "ประเทศไทย"),
        "VN": ("Vietnam", "Việt Nam", "越南"),
        "TL": ("East Timor", "Timor Leste", "东帝汶"),
        "RU": ("Russia", "俄罗斯"),
        "KR": ("South Korea", "Korea"),
        "GB": ("UK", "Great Britain"),
        "US": ("USA", "United States of America"),
        "TW": ("Taiwan",),
        "HK": ("Hong Kong SAR",),
        "MO": ("Macau",),
    }
)

# fmt: off
_KINDS = _index({
    "college": (
        "college", "school", "polytechnic", "institute", "TVET institution", "TVET institute",
        "TVET school", "TVET college", "TVET provider", "vocational school", "vocational college",
        "technical school", "technical college", "technical institute", "technician college",
        "community college", "training centre", "training center", "vocational training centre",
        "vocational training center", "职业学院", "职业技术学院", "技师学院", "学校",
    ),
    "university": ("university", "大学"),
    "company": ("company", "enterprise", "industry", "business", "private sector", "企业", "公司"),
    "government": (
        "government", "ministry", "government agency", "department", "public agency", "政府",
        "政府部门",
    ),
    "organisation": (
        "organisation", "organization", "NGO", "network", "association", "foundation",
        "international organisation", "international organization", "协会",
    ),
    "other": ("other",),
})
# fmt: on

# ISO 639-1 English names ("Malay (macrolanguage)" also as "Malay"), plus survey spellings.
_LANGUAGE_NAMES = _index(
    {code: (name, name.split(" (")[0]) for code, name in LANGUAGES.items()}
) | _index(
    {
        "zh": ("Mandarin", "Mandarin Chinese", "Putonghua", "中文", "汉语", "普通话"),
        "en": ("英语", "英文"),
        "km": ("Cambodian", "ខ្មែរ", "ភាសាខ្មែរ", "高棉语"),
        "th": ("ภาษาไทย", "泰语"),
        "vi": ("Tiếng Việt", "越南语"),
        "id": ("Bahasa Indonesia", "印尼语"),
        "ms": ("Bahasa Melayu", "Bahasa Malaysia", "马来语"),
        "lo": ("Laotian", "老挝语"),
        "my": ("Myanmar", "缅甸语"),
        # Filipino has no ISO 639-1 code; it is standardised Tagalog, which has "tl".
        "tl": ("Filipino", "Pilipino"),
        "ru": ("俄语",),
        "pt": ("葡萄牙语",),
    }
)

# Languages a survey names that ISO 639-1 leaves out: refuse them by name, not as typos.
_NO_TWO_LETTER_CODE = frozenset(
    fold(name)
    for name in ("Tetum", "Tetun", "Cantonese", "Hokkien", "Hakka", "Hmong", "Cebuano", "Ilocano")
)

_SPLIT = re.compile(r"[;；\r\n]+")


def items(cell: str) -> list[str]:
    return [item.strip() for item in _SPLIT.split(cell) if item.strip()]


def country(value: str) -> str:
    if re.fullmatch(r"[A-Za-z]{2}", value) and value.upper() in COUNTRIES:
        return value.upper()
    code = _COUNTRY_NAMES.get(fold(value))
    if code is None:
        raise Refused("unknown_country", value=value)
    return code


def kind(value: str) -> str:
    kind = _KINDS.get(fold(value))
    if kind is None:
        raise Refused("unknown_kind", value=value)
    return kind


def language(value: str) -> str:
    folded = fold(value)
    # A locale tag (zh-CN, en_US) names its language first.
    primary = re.split(r"[-_]", folded)[0]
    if len(primary) == 2 and primary in LANGUAGES:
        return primary
    if folded in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[folded]
    if folded in _NO_TWO_LETTER_CODE:
        raise Refused("no_language_code", value=value)
    raise Refused("unknown_language", value=value)


CONVERTERS: dict[str, Callable[[str], str]] = {"country": country, "kind": kind}
