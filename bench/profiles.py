"""A seeded generator of realistic TVET partner profiles, fast enough for a million.

Profiles are drawn from the service's own taxonomy (labels and synonyms of technical
fields and program types) and a small template vocabulary of what TVET institutions in
China and ASEAN ask for and give ("teacher training in X", "X lab equipment",
"internships with free accommodation", "Mandarin + X courses"...). About 84% are written
in English, 10% in Chinese, 3% in Khmer and 3% in Thai; English profiles from Vietnam,
Indonesia and Malaysia sometimes name a field in their own language. Descriptions add a
long tail of city and company names so the vocabulary keeps growing with the corpus, as
real text does. Each profile totals 30 to 120 words (Chinese, Khmer and Thai words
estimated from their length).

Every phrase is formatted once into a pool and shared between profiles, so a million
profiles cost little memory beyond their descriptions. The same seed gives the same
profiles, and the first ``n`` profiles do not depend on how many are asked for.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matching import Profile

__all__ = ["COUNTRIES", "generate"]

COUNTRIES = ("CN", "KH", "TH", "VN", "ID", "MY", "PH", "SG", "BN", "LA", "MM")

_KINDS = (
    ("college", 0.70),
    ("university", 0.12),
    ("company", 0.10),
    ("government", 0.04),
    ("organisation", 0.03),
    ("other", 0.01),
)
_LANGUAGE_SHARES = (("en", 0.84), ("zh", 0.10), ("km", 0.03), ("th", 0.03))
_COUNTRY_BY_LANGUAGE: Mapping[str, Sequence[tuple[str, float]]] = {
    "en": (
        ("CN", 0.30),
        ("KH", 0.08),
        ("TH", 0.08),
        ("VN", 0.10),
        ("ID", 0.12),
        ("MY", 0.10),
        ("PH", 0.08),
        ("SG", 0.05),
        ("BN", 0.02),
        ("LA", 0.04),
        ("MM", 0.03),
    ),
    "zh": (("CN", 0.85), ("MY", 0.10), ("SG", 0.05)),
    "km": (("KH", 1.0),),
    "th": (("TH", 1.0),),
}
# English profiles from these countries name some fields in the local language.
_LOCAL_LABELS = {"VN": "vi", "ID": "id", "MY": "ms"}
_LOCAL_LABEL_SHARE = 0.3
# Average characters per word in scripts written without spaces.
_CHARS_PER_WORD = {"zh": 1.7, "km": 4.0, "th": 4.0}

_NEEDS: Mapping[str, Sequence[str]] = {
    "en": (
        "teacher training in {x}",
        "{x} lab equipment",
        "{x} training equipment and software",
        "internships with free accommodation",
        "internships with free accommodation in {x} companies",
        "scholarships for ASEAN students",
        "joint research on {x}",
        "Mandarin + {x} courses",
        "curriculum development for {x}",
        "dual-qualified teachers for {x}",
        "industry certification in {x}",
        "skills competition coaching in {x}",
        "co-built {x} training base",
        "{x} textbooks in the local language",
        "overseas employment for {x} graduates",
        "short courses on {x} for our teachers",
        "expert visits on {x}",
    ),
    "zh": (
        "{x}教师培训",
        "{x}实训设备",
        "提供免费住宿的实习岗位",
        "东盟留学生奖学金",
        "{x}联合研究",
        "中文+{x}课程",
        "{x}课程标准开发",
        "共建{x}实训基地",
        "{x}双师型教师",
        "{x}职业技能等级证书",
        "{x}技能大赛指导",
        "海外{x}就业渠道",
    ),
    "km": (
        "វគ្គបណ្តុះបណ្តាលគ្រូលើ{x}",
        "ឧបករណ៍មន្ទីរពិសោធន៍{x}",
        "កម្មសិក្សាដែលមានកន្លែងស្នាក់នៅឥតគិតថ្លៃ",
        "អាហារូបករណ៍សម្រាប់និស្សិតអាស៊ាន",
        "ការស្រាវជ្រាវរួមគ្នាលើ{x}",
        "វគ្គសិក្សាភាសាចិន និង{x}",
        "ការអភិវឌ្ឍកម្មវិធីសិក្សា{x}",
    ),
    "th": (
        "การฝึกอบรมครูด้าน{x}",
        "อุปกรณ์ห้องปฏิบัติการ{x}",
        "การฝึกงานพร้อมที่พักฟรี",
        "ทุนการศึกษาสำหรับนักศึกษาอาเซียน",
        "การวิจัยร่วมด้าน{x}",
        "หลักสูตรภาษาจีนและ{x}",
        "การพัฒนาหลักสูตร{x}",
    ),
}
_OFFERS: Mapping[str, Sequence[str]] = {
    "en": (
        "{x} teacher training programme",
        "donated {x} lab equipment",
        "internship placements in {x}",
        "internships with free accommodation",
        "scholarships for ASEAN students",
        "joint research lab on {x}",
        "Mandarin + {x} courses",
        "{x} curriculum and standards",
        "student cohorts for exchange in {x}",
        "experienced {x} instructors",
        "industry certification in {x}",
        "skills competition training in {x}",
        "graduates trained in {x}",
        "local language and culture courses",
        "campus facilities for a joint {x} training centre",
        "hosting visiting teachers of {x}",
    ),
    "zh": (
        "{x}师资培训项目",
        "捐赠{x}实训设备",
        "{x}企业实习岗位",
        "提供免费住宿的实习",
        "面向东盟学生的奖学金",
        "{x}联合研发中心",
        "中文+{x}课程",
        "{x}专业教学标准",
        "{x}留学生培养",
        "{x}专业教师",
        "鲁班工坊{x}培训",
    ),
    "km": (
        "និស្សិតសម្រាប់ការផ្លាស់ប្តូរផ្នែក{x}",
        "វគ្គសិក្សាភាសា និងវប្បធម៌ខ្មែរ",
        "កន្លែងកម្មសិក្សាផ្នែក{x}",
        "គ្រូបង្រៀនជំនាញ{x}",
        "ការស្រាវជ្រាវរួមគ្នាលើ{x}",
    ),
    "th": (
        "นักศึกษาแลกเปลี่ยนสาขา{x}",
        "หลักสูตรภาษาและวัฒนธรรมไทย",
        "ที่ฝึกงานด้าน{x}",
        "ครูผู้เชี่ยวชาญด้าน{x}",
        "การวิจัยร่วมด้าน{x}",
    ),
}
_DESCRIPTION: Mapping[str, Sequence[str]] = {
    "en": (
        "A {kind} in {city} training technicians for {x}.",
        "We run {a} majors and enrol about {b} students a year.",
        "Our graduates work for {brand} and other companies in the region.",
        "We cooperate with industry on {x} and {y}.",
        "The campus has workshops for {x} and a centre for {y}.",
        "We are looking for long-term partners in China and ASEAN.",
        "Our teachers hold national certificates in {x}.",
        "The {brand} training centre on campus opened in {year}.",
        "Since {year} we have sent {a} teachers abroad to study {y}.",
    ),
    "zh": (
        "位于{city}的{kind}，培养{x}技术技能人才。",
        "学校开设{a}个专业，在校生约{b}人。",
        "与{brand}等企业在{x}和{y}领域开展合作。",
        "建有{x}实训中心和{y}工作室。",
        "希望与东盟国家院校建立长期合作关系。",
        "{year}年起已派出{a}名教师赴海外交流{y}。",
    ),
    "km": (
        "{kind}នៅ{city} បណ្តុះបណ្តាលអ្នកបច្ចេកទេស{x}។",
        "យើងស្វែងរកដៃគូរយៈពេលវែងនៅប្រទេសចិន និងអាស៊ាន។",
        "និស្សិតរបស់យើងធ្វើការនៅក្រុមហ៊ុន {brand} ។",
        "យើងមានសិក្ខាសាលាសម្រាប់{x} និង{y}។",
    ),
    "th": (
        "{kind}ใน{city} ผลิตช่างเทคนิคด้าน{x}",
        "เรามองหาพันธมิตรระยะยาวในจีนและอาเซียน",
        "ผู้สำเร็จการศึกษาทำงานกับบริษัท {brand}",
        "วิทยาลัยมีโรงฝึกงานด้าน{x}และ{y}",
    ),
}
_KIND_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "college": "polytechnic college",
        "university": "university of applied sciences",
        "company": "company",
        "government": "provincial education department",
        "organisation": "industry association",
        "other": "training provider",
    },
    "zh": {
        "college": "职业技术学院",
        "university": "应用技术大学",
        "company": "科技公司",
        "government": "教育厅",
        "organisation": "行业协会",
        "other": "培训机构",
    },
    "km": {
        "college": "វិទ្យាស្ថានពហុបច្ចេកទេស",
        "university": "សាកលវិទ្យាល័យ",
        "company": "ក្រុមហ៊ុន",
        "government": "មន្ទីរអប់រំ",
        "organisation": "សមាគម",
        "other": "មជ្ឈមណ្ឌលបណ្តុះបណ្តាល",
    },
    "th": {
        "college": "วิทยาลัยเทคนิค",
        "university": "มหาวิทยาลัยเทคโนโลยี",
        "company": "บริษัท",
        "government": "สำนักงานอาชีวศึกษา",
        "organisation": "สมาคม",
        "other": "ศูนย์ฝึกอบรม",
    },
}
_CITIES: Mapping[str, Sequence[str]] = {
    "CN": ("Nanning", "Liuzhou", "Guilin", "Tianjin", "Shenzhen", "Chongqing", "Kunming", "Wuxi"),
    "KH": ("Phnom Penh", "Siem Reap", "Battambang", "Kampong Cham", "Sihanoukville"),
    "TH": ("Bangkok", "Chiang Mai", "Khon Kaen", "Rayong", "Nakhon Ratchasima"),
    "VN": ("Hanoi", "Ho Chi Minh City", "Da Nang", "Hai Phong", "Can Tho"),
    "ID": ("Jakarta", "Surabaya", "Bandung", "Semarang", "Medan", "Makassar"),
    "MY": ("Kuala Lumpur", "Penang", "Johor Bahru", "Kuching", "Ipoh"),
    "PH": ("Manila", "Cebu", "Davao", "Iloilo", "Baguio"),
    "SG": ("Singapore",),
    "BN": ("Bandar Seri Begawan", "Kuala Belait"),
    "LA": ("Vientiane", "Luang Prabang", "Savannakhet"),
    "MM": ("Yangon", "Mandalay", "Naypyidaw"),
}
_LOCAL_CITIES: Mapping[str, Sequence[str]] = {
    "zh": ("南宁", "柳州", "桂林", "天津", "深圳", "重庆", "昆明", "无锡", "吉隆坡", "新加坡"),
    "km": ("ភ្នំពេញ", "សៀមរាប", "បាត់ដំបង", "កំពង់ចាម"),
    "th": ("กรุงเทพ", "เชียงใหม่", "ขอนแก่น", "ระยอง"),
}
_SYLLABLES = (
    "ka", "lo", "min", "tek", "zhi", "nan", "vo", "ra", "su", "mei", "da", "kon", "phu",
    "xin", "li", "sa", "tra", "wei", "ban", "to", "chen", "ya", "ko", "ri", "hua", "an",
)  # fmt: skip
_BRAND_SUFFIXES = ("tech", "tronics", "motor", "soft", "works", "energy", "logistics", "")
_BRANDS = 20_000
_PARTNER_SHARE = 0.03
_ONE_SIDED_SHARE = 0.04
_MIN_WORDS = 30
_MAX_WORDS = 120


@dataclass(frozen=True, slots=True)
class _Phrase:
    text: str
    words: int


@dataclass(frozen=True, slots=True)
class _Language:
    """Every phrase one language can use, formatted once."""

    code: str
    fields: Sequence[Sequence[_Phrase]]  # per field concept: its names
    programs: Sequence[_Phrase]
    needs: Sequence[Sequence[Sequence[_Phrase]]]  # per template, per concept, per name
    offers: Sequence[Sequence[Sequence[_Phrase]]]
    descriptions: Sequence[str]
    kind_words: Mapping[str, str]
    cities: Sequence[str] | None


def _count_words(text: str, language: str) -> int:
    per_word = _CHARS_PER_WORD.get(language)
    if per_word is None:
        return len(text.split())
    return max(1, round(len(text.replace(" ", "")) / per_word))


def _names(entry: Mapping[str, Any], language: str) -> list[str]:
    """Return the label and synonyms of a concept in ``language``, English if it has none."""
    labels: Mapping[str, str] = entry["labels"]
    synonyms: Mapping[str, Sequence[str]] = entry.get("synonyms", {})
    if language not in labels:
        language = "en"
    names = [labels[language], *synonyms.get(language, ())]
    return list(dict.fromkeys(names))


def _language(code: str, taxonomy: Mapping[str, Any]) -> _Language:
    def phrase(text: str) -> _Phrase:
        return _Phrase(text, _count_words(text, code))

    field_names = [_names(entry, code) for entry in taxonomy["fields"]]

    def pool(templates: Sequence[str]) -> list[list[list[_Phrase]]]:
        out = []
        for template in templates:
            if "{x}" in template:
                out.append([[phrase(template.format(x=n)) for n in ns] for ns in field_names])
            else:
                out.append([[phrase(template)]])
        return out

    return _Language(
        code=code,
        fields=[[phrase(n) for n in ns] for ns in field_names],
        programs=[phrase(_names(entry, code)[0]) for entry in taxonomy["programs"]],
        needs=pool(_NEEDS[code]),
        offers=pool(_OFFERS[code]),
        descriptions=_DESCRIPTION[code],
        kind_words=_KIND_WORDS[code],
        cities=_LOCAL_CITIES.get(code),
    )


def _local_fields(taxonomy: Mapping[str, Any], language: str) -> list[list[_Phrase]]:
    """Field names in ``language`` where the taxonomy has them (empty list otherwise)."""
    out = []
    for entry in taxonomy["fields"]:
        names = [entry["labels"][language]] if language in entry["labels"] else []
        names += entry.get("synonyms", {}).get(language, [])
        out.append([_Phrase(n, len(n.split())) for n in dict.fromkeys(names)])
    return out


def _brands(rng: random.Random) -> list[str]:
    brands = []
    for _ in range(_BRANDS):
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
        brands.append((stem + rng.choice(_BRAND_SUFFIXES)).capitalize())
    return brands


def _cumulative(weights: Sequence[tuple[str, float]]) -> tuple[list[str], list[float]]:
    names = [name for name, _ in weights]
    total = 0.0
    bounds = []
    for _, weight in weights:
        total += weight
        bounds.append(total)
    return names, [bound / total for bound in bounds]


def _pick(rng: random.Random, table: tuple[list[str], list[float]]) -> str:
    names, bounds = table
    draw = rng.random()
    for name, bound in zip(names, bounds, strict=True):
        if draw < bound:
            return name
    return names[-1]


class _Generator:
    def __init__(self, rng: random.Random, taxonomy: Mapping[str, Any]) -> None:
        self.rng = rng
        self.languages = {code: _language(code, taxonomy) for code, _ in _LANGUAGE_SHARES}
        self.local_fields = {c: _local_fields(taxonomy, lang) for c, lang in _LOCAL_LABELS.items()}
        self.concepts = len(taxonomy["fields"])
        self.language_table = _cumulative(_LANGUAGE_SHARES)
        self.country_tables = {k: _cumulative(v) for k, v in _COUNTRY_BY_LANGUAGE.items()}
        self.kind_table = _cumulative(_KINDS)
        self.brands = _brands(rng)

    def brand(self) -> str:
        # Zipf-like: a few companies are named often, most rarely (a long vocabulary tail).
        rank = int(self.rng.paretovariate(1.0)) - 1
        return self.brands[rank % len(self.brands)]

    def concept(self, focus: Sequence[int]) -> int:
        rng = self.rng
        return rng.choice(focus) if rng.random() < 0.8 else rng.randrange(self.concepts)

    def phrases(
        self, pool: Sequence[Sequence[Sequence[_Phrase]]], count: int, focus: Sequence[int]
    ) -> list[_Phrase]:
        rng = self.rng
        chosen: dict[str, _Phrase] = {}
        for _ in range(count):
            template = rng.choice(pool)
            names = template[0] if len(template) == 1 else template[self.concept(focus)]
            item = rng.choice(names)
            chosen.setdefault(item.text.casefold(), item)
        return list(chosen.values())

    def profile(self, pid: int) -> Profile:
        rng = self.rng
        code = _pick(rng, self.language_table)
        language = self.languages[code]
        country = _pick(rng, self.country_tables[code])
        kind = _pick(rng, self.kind_table)
        focus = rng.sample(range(self.concepts), rng.randint(1, 3))

        fields: dict[str, _Phrase] = {}
        local = self.local_fields.get(country) if code == "en" else None
        for concept in [*focus, *([rng.randrange(self.concepts)] if rng.random() < 0.3 else [])]:
            names = language.fields[concept]
            if local and local[concept] and rng.random() < _LOCAL_LABEL_SHARE:
                names = local[concept]
            item = rng.choice(names)
            fields.setdefault(item.text.casefold(), item)

        one_sided = rng.random()
        needs_count = 0 if one_sided < _ONE_SIDED_SHARE / 2 else rng.randint(2, 5)
        offers_count = 0 if 1 - one_sided < _ONE_SIDED_SHARE / 2 else rng.randint(2, 5)
        needs = self.phrases(language.needs, needs_count, focus)
        offers = self.phrases(language.offers, offers_count, focus)
        programs: dict[str, _Phrase] = {}
        if rng.random() < 0.8:
            for item in rng.sample(language.programs, rng.randint(1, 3)):
                programs[item.text] = item

        words = sum(
            p.words for part in (fields.values(), needs, offers, programs.values()) for p in part
        )
        description = self.description(language, country, kind, focus, words)

        partners: frozenset[int] = frozenset()
        if pid > 1 and rng.random() < _PARTNER_SHARE:
            partners = frozenset(rng.randint(1, pid - 1) for _ in range(rng.randint(1, 2)))
        city = rng.choice(language.cities or _CITIES[country])
        return Profile(
            id=pid,
            name=f"{city} {language.kind_words[kind]} No. {pid}",
            country=country,
            kind=kind,
            fields=tuple(p.text for p in fields.values()),
            needs=tuple(p.text for p in needs),
            offers=tuple(p.text for p in offers),
            programs=tuple(programs),
            description=description,
            languages=(code,) if code == "en" else (code, "en"),
            existing_partners=partners,
        )

    def description(
        self, language: _Language, country: str, kind: str, focus: Sequence[int], words: int
    ) -> str:
        """Write sentences until the profile reaches ``target`` words, never past the cap."""
        rng = self.rng
        sentences: list[str] = []
        target = rng.randint(_MIN_WORDS, _MAX_WORDS) - words
        room = _MAX_WORDS - words
        fields = language.fields
        misses = 0
        while target > 0 and misses < 3:
            template = rng.choice(language.descriptions)
            sentence = template.format(
                kind=language.kind_words[kind],
                city=rng.choice(language.cities or _CITIES[country]),
                x=rng.choice(fields[self.concept(focus)]).text,
                y=rng.choice(fields[rng.randrange(self.concepts)]).text,
                brand=self.brand(),
                a=rng.randint(3, 60),
                b=rng.randint(500, 20_000),
                year=rng.randint(1995, 2024),
            )
            count = _count_words(sentence, language.code)
            if count > room:
                misses += 1
                continue
            sentences.append(sentence)
            target -= count
            room -= count
        return ("" if language.code == "zh" else " ").join(sentences)


def generate(n: int, *, seed: int, taxonomy: Mapping[str, Any]) -> Iterator[Profile]:
    """Yield ``n`` profiles with ids 1..n, the same ones for the same seed.

    ``taxonomy`` is the ``seed/taxonomy.json`` shape (``seed.load_taxonomy()``).
    """
    generator = _Generator(random.Random(seed), taxonomy)
    for pid in range(1, n + 1):
        yield generator.profile(pid)
