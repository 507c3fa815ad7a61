"""A seeded synthetic evaluation set: planted partnerships among look-alikes and decoys.

``generate(n_pairs=60, seed=0)`` returns a dataset in the JSON format read by
:func:`matching.evaluation.load_dataset`. Each planted pair is a complement: side A (an
ASEAN institution, mostly) needs X and offers Y, side B (a Chinese one, mostly) offers X
and needs Y, in shared or adjacent fields and different countries. Around the pairs:

* look-alikes: one or two copies of A from another country, with the same fields, needs
  and offers, reworded (another phrasing where one exists, items reordered). They are not
  partners of anyone; whole-profile similarity ranks them first for A;
* one-sided decoys (for about half the pairs): companies that offer what A needs but need
  something nobody offers;
* languages: most pairs are written in English; some wholly in Simplified Chinese; some
  mixed (A in English, B in Chinese: these can only meet once terms are mapped across
  languages); some in Khmer, Thai, Vietnamese or Indonesian (B then being, say, a Chinese
  college's Khmer-language profile). Look-alikes and decoys write in A's language.

The vocabulary below is data: TVET topics and fields with phrasings per language. Only
phrasings we are sure of are given, so Khmer and Thai have fewer topics. Profiles are
shuffled before ids are given, so ties broken by id favour no role. The same seed gives
the same output.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["generate"]

Phrasings = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class _Topic:
    """Something one side offers and the other needs, with its phrasings per language."""

    key: str
    field: str | None
    program: str
    text: Phrasings


_FIELDS: Mapping[str, Mapping[str, str]] = {
    "cnc": {
        "en": "CNC machining",
        "zh": "数控技术",
        "vi": "gia công CNC",
        "id": "teknik pemesinan CNC",
    },
    "nev": {
        "en": "new energy vehicles",
        "zh": "新能源汽车技术",
        "vi": "ô tô điện",
        "id": "kendaraan listrik",
        "th": "ยานยนต์ไฟฟ้า",
    },
    "robotics": {
        "en": "industrial robotics",
        "zh": "工业机器人技术",
        "vi": "robot công nghiệp",
        "id": "robotika industri",
        "th": "หุ่นยนต์อุตสาหกรรม",
    },
    "hvac": {
        "en": "HVAC and refrigeration",
        "zh": "制冷与空调技术",
        "vi": "điện lạnh",
        "id": "teknik pendingin dan tata udara",
        "th": "เครื่องปรับอากาศและเครื่องทำความเย็น",
    },
    "agriculture": {
        "en": "smart agriculture",
        "zh": "智慧农业",
        "vi": "nông nghiệp thông minh",
        "id": "pertanian cerdas",
        "th": "การเกษตร",
    },
    "logistics": {
        "en": "logistics management",
        "zh": "现代物流管理",
        "vi": "logistics",
        "id": "logistik",
    },
    "welding": {
        "en": "welding technology",
        "zh": "焊接技术",
        "vi": "công nghệ hàn",
        "id": "teknik pengelasan",
        "th": "งานเชื่อม",
    },
    "automation": {
        "en": "PLC and electrical automation",
        "zh": "电气自动化技术",
        "vi": "tự động hóa",
        "id": "otomasi industri",
    },
    "hospitality": {
        "en": "hotel and tourism management",
        "zh": "酒店管理与旅游",
        "vi": "quản trị khách sạn",
        "id": "perhotelan dan pariwisata",
        "th": "การโรงแรมและการท่องเที่ยว",
        "km": "ទេសចរណ៍ និងសណ្ឋាគារ",
    },
    "language": {
        "en": "Chinese language education",
        "zh": "国际中文教育",
        "vi": "tiếng Trung",
        "id": "bahasa Mandarin",
        "th": "ภาษาจีน",
        "km": "ភាសាចិន",
    },
}
# A partner may work in a neighbouring field rather than the same one.
_ADJACENT: Mapping[str, tuple[str, ...]] = {
    "cnc": ("robotics", "automation", "welding"),
    "robotics": ("cnc", "automation"),
    "automation": ("robotics", "nev", "hvac"),
    "welding": ("cnc",),
    "nev": ("automation",),
    "hvac": ("automation",),
    "agriculture": ("logistics",),
    "logistics": ("agriculture",),
    "hospitality": ("language",),
    "language": ("hospitality",),
}
# Survey boxes, as the service's forms write them.
_PROGRAMS: Mapping[str, Mapping[str, str]] = {
    "teacher training": {"zh": "师资培训"},
    "training base or lab": {"zh": "实训基地"},
    "equipment": {"zh": "设备"},
    "language courses": {"zh": "语言课程"},
    "scholarships": {"zh": "奖学金"},
    "internships": {"zh": "实习"},
    "joint research": {"zh": "联合研究"},
    "student exchange": {"zh": "学生交流"},
}

# What side B offers and side A needs.
_B_OFFERS: tuple[_Topic, ...] = (
    _Topic(
        "cnc-teacher-training",
        "cnc",
        "teacher training",
        {
            "en": (
                "CNC teacher training",
                "training for CNC instructors",
                "CNC teacher training programme",
            ),
            "zh": ("数控教师培训", "数控专业师资培训"),
            "vi": ("đào tạo giáo viên CNC",),
            "id": ("pelatihan guru CNC",),
        },
    ),
    _Topic(
        "nev-maintenance",
        "nev",
        "teacher training",
        {
            "en": (
                "new energy vehicle maintenance training",
                "NEV maintenance and repair courses",
                "electric vehicle maintenance training",
            ),
            "zh": ("新能源汽车维修培训", "新能源汽车检测与维修课程"),
            "vi": ("đào tạo bảo dưỡng ô tô điện",),
            "id": ("pelatihan perawatan kendaraan listrik",),
            "th": ("การฝึกอบรมซ่อมบำรุงรถยนต์ไฟฟ้า",),
        },
    ),
    _Topic(
        "robot-programming",
        "robotics",
        "teacher training",
        {
            "en": (
                "industrial robot programming course",
                "industrial robot programming training",
                "courses in programming industrial robots",
            ),
            "zh": ("工业机器人编程课程", "工业机器人编程培训"),
            "vi": ("khóa học lập trình robot công nghiệp",),
            "id": ("kursus pemrograman robot industri",),
            "th": ("หลักสูตรการเขียนโปรแกรมหุ่นยนต์อุตสาหกรรม",),
        },
    ),
    _Topic(
        "hvac-training",
        "hvac",
        "teacher training",
        {
            "en": (
                "HVAC and refrigeration training",
                "refrigeration and air-conditioning technician training",
                "HVAC technician courses",
            ),
            "zh": ("暖通空调与制冷技术培训", "制冷与空调维修培训"),
            "vi": ("đào tạo kỹ thuật điện lạnh",),
            "id": ("pelatihan teknik pendingin dan tata udara",),
            "th": ("การฝึกอบรมช่างเครื่องปรับอากาศ",),
        },
    ),
    _Topic(
        "agri-drones",
        "agriculture",
        "training base or lab",
        {
            "en": (
                "smart agriculture drone training",
                "agricultural drone operation courses",
                "training in crop-spraying drones",
            ),
            "zh": ("智慧农业无人机培训", "农业植保无人机操作课程"),
            "vi": ("đào tạo vận hành máy bay không người lái nông nghiệp",),
            "id": ("pelatihan drone pertanian",),
            "th": ("การฝึกอบรมโดรนเพื่อการเกษตร",),
        },
    ),
    _Topic(
        "logistics-software",
        "logistics",
        "equipment",
        {
            "en": (
                "logistics management software",
                "warehouse and logistics management software",
                "logistics software licences for teaching",
            ),
            "zh": ("物流管理软件", "智慧仓储与物流管理软件"),
            "vi": ("phần mềm quản lý logistics",),
            "id": ("perangkat lunak manajemen logistik",),
        },
    ),
    _Topic(
        "welding-certification",
        "welding",
        "teacher training",
        {
            "en": (
                "welding certification",
                "international welding certification training",
                "welder certification courses",
            ),
            "zh": ("焊接技能认证", "焊工国际资格认证培训"),
            "vi": ("đào tạo chứng chỉ hàn",),
            "id": ("sertifikasi pengelasan",),
            "th": ("การฝึกอบรมช่างเชื่อม",),
        },
    ),
    _Topic(
        "plc-lab",
        "automation",
        "training base or lab",
        {
            "en": (
                "PLC automation lab equipment",
                "PLC automation training lab",
                "equipment for a PLC automation laboratory",
            ),
            "zh": ("PLC自动化实训室建设", "PLC自动化实训设备"),
            "vi": ("thiết bị phòng thực hành tự động hóa PLC",),
            "id": ("peralatan laboratorium otomasi PLC",),
        },
    ),
    _Topic(
        "mandarin-courses",
        "language",
        "language courses",
        {
            "en": (
                "Mandarin language courses",
                "Mandarin classes for students and staff",
                "Chinese language courses",
            ),
            "zh": ("汉语课程", "中文语言培训课程"),
            "vi": ("khóa học tiếng Trung",),
            "id": ("kursus bahasa Mandarin",),
            "th": ("หลักสูตรภาษาจีน",),
            "km": ("វគ្គសិក្សាភាសាចិន", "វគ្គភាសាចិន"),
        },
    ),
    _Topic(
        "asean-scholarships",
        None,
        "scholarships",
        {
            "en": (
                "scholarships for ASEAN students",
                "full scholarships for students from ASEAN countries",
            ),
            "zh": ("东盟留学生奖学金", "面向东盟国家学生的奖学金"),
            "vi": ("học bổng cho sinh viên ASEAN",),
            "id": ("beasiswa untuk mahasiswa ASEAN",),
            "th": ("ทุนการศึกษาสำหรับนักศึกษาอาเซียน",),
            "km": ("អាហារូបករណ៍សម្រាប់និស្សិតអាស៊ាន",),
        },
    ),
    _Topic(
        "china-internships",
        None,
        "internships",
        {
            "en": (
                "internships in China with free accommodation",
                "paid internships at Chinese companies with free accommodation",
            ),
            "zh": ("来华实习并提供免费住宿", "在华企业带薪实习 免费住宿"),
            "vi": ("thực tập tại Trung Quốc với chỗ ở miễn phí",),
            "id": ("magang di Tiongkok dengan akomodasi gratis",),
            "th": ("ฝึกงานที่ประเทศจีนพร้อมที่พักฟรี",),
            "km": ("កម្មសិក្សានៅប្រទេសចិន និងកន្លែងស្នាក់នៅឥតគិតថ្លៃ",),
        },
    ),
)

# What side A offers and side B needs.
_A_OFFERS: tuple[_Topic, ...] = (
    _Topic(
        "hotel-internships",
        "hospitality",
        "internships",
        {
            "en": (
                "hotel management internships",
                "internship placements in partner hotels",
                "hotel internships for visiting students",
            ),
            "zh": ("酒店管理实习岗位", "合作酒店实习安排"),
            "vi": ("thực tập quản lý khách sạn",),
            "id": ("magang manajemen perhotelan",),
            "th": ("ฝึกงานด้านการโรงแรม",),
            "km": ("កម្មសិក្សាផ្នែកសណ្ឋាគារ",),
        },
    ),
    _Topic(
        "student-interns",
        None,
        "internships",
        {
            "en": (
                "skilled student interns for Chinese companies",
                "student interns for overseas internships",
                "graduates for internships at Chinese enterprises",
            ),
            "zh": ("东南亚技能型实习生", "输送海外实习学生"),
            "vi": ("sinh viên thực tập",),
            "id": ("mahasiswa magang",),
            "th": ("นักศึกษาฝึกงาน",),
            "km": ("និស្សិតកម្មសិក្សា",),
        },
    ),
    _Topic(
        "training-base",
        None,
        "training base or lab",
        {
            "en": (
                "a local practical training base in the special economic zone",
                "practical training base near the industrial park",
            ),
            "zh": ("经济特区本地实训基地", "工业园区实训基地"),
            "vi": ("cơ sở thực hành tại khu công nghiệp",),
            "id": ("tempat praktik di kawasan industri",),
        },
    ),
    _Topic(
        "local-language",
        None,
        "language courses",
        {
            "en": (
                "local language and culture courses",
                "language and culture courses for visiting teachers",
            ),
            "zh": ("当地语言文化课程", "来访教师语言文化培训"),
            "vi": ("khóa học tiếng Việt",),
            "id": ("kursus bahasa Indonesia",),
            "th": ("หลักสูตรภาษาไทย",),
            "km": ("វគ្គភាសាខ្មែរ",),
        },
    ),
    _Topic(
        "demo-farms",
        "agriculture",
        "joint research",
        {
            "en": (
                "demonstration farms for drone field trials",
                "farm sites for agricultural field trials",
            ),
            "zh": ("农业示范基地", "无人机田间试验农场"),
            "vi": ("trang trại thử nghiệm nông nghiệp",),
            "id": ("lahan percobaan pertanian",),
            "th": ("แปลงสาธิตการเกษตร",),
        },
    ),
    _Topic(
        "student-recruitment",
        None,
        "student exchange",
        {
            "en": (
                "recruitment of students to study in China",
                "help recruiting students for Chinese colleges",
            ),
            "zh": ("东盟生源招生合作", "协助招收来华留学生"),
            "vi": ("tuyển sinh du học Trung Quốc",),
            "id": ("rekrutmen mahasiswa untuk studi di Tiongkok",),
        },
    ),
)

# Needs of one-sided decoys: nobody in the set offers them.
_DECOY_NEEDS: Phrasings = {
    "en": (
        "investors for a new assembly plant",
        "sales agents for industrial equipment",
        "export credit financing",
        "distributors for spare parts",
    ),
    "zh": ("新工厂投资方", "工业设备销售代理", "出口信贷融资", "零配件经销商"),
}

_COUNTRIES: Mapping[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    # code: (English name, Chinese name, ((city, Chinese city), ...))
    "CN": (
        "China",
        "中国",
        (
            ("Wuxi", "无锡"),
            ("Liuzhou", "柳州"),
            ("Nanning", "南宁"),
            ("Shenzhen", "深圳"),
            ("Guangzhou", "广州"),
            ("Chongqing", "重庆"),
            ("Kunming", "昆明"),
            ("Hefei", "合肥"),
            ("Changzhou", "常州"),
            ("Tianjin", "天津"),
            ("Shenyang", "沈阳"),
            ("Foshan", "佛山"),
            ("Ningbo", "宁波"),
            ("Jinan", "济南"),
        ),
    ),
    "KH": (
        "Cambodia",
        "柬埔寨",
        (
            ("Phnom Penh", "金边"),
            ("Siem Reap", "暹粒"),
            ("Battambang", "马德望"),
            ("Kampot", "贡布"),
            ("Takeo", "茶胶"),
            ("Sihanoukville", "西哈努克"),
        ),
    ),
    "TH": (
        "Thailand",
        "泰国",
        (
            ("Chonburi", "春武里"),
            ("Chiang Mai", "清迈"),
            ("Khon Kaen", "孔敬"),
            ("Rayong", "罗勇"),
            ("Bangkok", "曼谷"),
        ),
    ),
    "VN": (
        "Vietnam",
        "越南",
        (
            ("Hanoi", "河内"),
            ("Da Nang", "岘港"),
            ("Hai Phong", "海防"),
            ("Can Tho", "芹苴"),
            ("Hue", "顺化"),
        ),
    ),
    "ID": (
        "Indonesia",
        "印度尼西亚",
        (
            ("Surabaya", "泗水"),
            ("Bandung", "万隆"),
            ("Semarang", "三宝垄"),
            ("Medan", "棉兰"),
            ("Batam", "巴淡"),
        ),
    ),
    "MY": ("Malaysia", "马来西亚", (("Penang", "槟城"), ("Johor Bahru", "新山"), ("Ipoh", "怡保"))),
    "LA": ("Laos", "老挝", (("Vientiane", "万象"), ("Luang Prabang", "琅勃拉邦"))),
    "MM": ("Myanmar", "缅甸", (("Mandalay", "曼德勒"), ("Yangon", "仰光"))),
    "PH": ("Philippines", "菲律宾", (("Cebu", "宿务"), ("Davao", "达沃"))),
}
# Cambodia weighs double: the China-Cambodia workshop is where this set comes from.
_ASEAN = ("KH", "KH", "TH", "VN", "ID", "MY", "LA", "MM", "PH")
# Countries whose own language a pair may be written in.
_HOME = {"km": "KH", "th": "TH", "vi": "VN", "id": "ID"}
# One cycle of pair languages; "en-zh" means A in English and B in Chinese. Rare modes
# come first so that a small n_pairs still has each of them.
_MODE_CYCLE = (
    *("zh", "en-zh", "km", "th", "vi", "id", "en", "zh", "en", "en-zh", "en", "zh"),
    *("en",) * 8,
)

_KIND_NAMES: Mapping[str, Mapping[str, str]] = {
    "college": {"en": "Polytechnic Institute", "zh": "职业技术学院"},
    "university": {"en": "University of Applied Sciences", "zh": "职业技术大学"},
    "company": {"en": "Technology Co., Ltd.", "zh": "科技有限公司"},
    "government": {"en": "Vocational Training Department", "zh": "职业技能培训中心"},
}
_DESCRIPTIONS: Mapping[str, str] = {
    "en": "A {kind} in {city}, {country}, working in {fields}.",
    "zh": "位于{country}{city}的{kind}，主要方向：{fields}。",
    "vi": "{kind} tại {city}, lĩnh vực: {fields}.",
    "id": "{kind} di {city}, bidang: {fields}.",
}
_DESCRIPTION_KINDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "college": "technical college",
        "university": "university",
        "company": "company",
        "government": "government department",
    },
    "zh": {
        "college": "职业院校",
        "university": "大学",
        "company": "企业",
        "government": "政府部门",
    },
    "vi": {
        "college": "Trường cao đẳng",
        "university": "Trường đại học",
        "company": "Công ty",
        "government": "Cơ quan",
    },
    "id": {
        "college": "Politeknik",
        "university": "Universitas",
        "company": "Perusahaan",
        "government": "Dinas",
    },
}


@dataclass(frozen=True, slots=True)
class _Side:
    """What one profile is about, before it is written out in a language."""

    kind: str
    country: str
    language: str
    fields: tuple[str, ...]
    needs: tuple[_Topic, ...]
    offers: tuple[_Topic, ...]
    decoy_needs: bool = False


class _Writer:
    """Writes sides out as profile dicts, choosing names, phrasings and order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()

    def word(self, side: _Side, *, unlike: Mapping[str, str] | None = None) -> dict[str, str]:
        """Choose a phrasing per topic of ``side``, another than ``unlike``'s where one exists.

        Partners choose freely and look-alikes avoid the original's phrasing: then a
        partner's phrase equals the original's as often as a look-alike's, so no role is
        favoured by wording.
        """
        unlike = unlike or {}
        chosen = {}
        for topic in (*side.needs, *side.offers):
            options = topic.text[side.language]
            chosen[topic.key] = self.rng.choice(
                [o for o in options if o != unlike.get(topic.key)] or options
            )
        return chosen

    def write(self, key: str, side: _Side, wording: Mapping[str, str]) -> dict[str, Any]:
        """Return ``side`` as a dataset profile, with the phrasings chosen by :meth:`word`."""
        lang = side.language
        needs = (
            self._decoy_needs(lang)
            if side.decoy_needs
            else [wording[topic.key] for topic in side.needs]
        )
        offers = [wording[topic.key] for topic in side.offers]
        self.rng.shuffle(needs)
        self.rng.shuffle(offers)
        programs = list(dict.fromkeys(t.program for t in (*side.needs, *side.offers)))
        city, city_zh = self.rng.choice(_COUNTRIES[side.country][2])
        return {
            "key": key,
            "name": self._name(side, city, city_zh),
            "country": side.country,
            "kind": side.kind,
            "fields": [_FIELDS[f][lang] for f in side.fields],
            "needs": needs,
            "offers": offers,
            "programs": [_PROGRAMS[p].get(lang, p) if lang == "zh" else p for p in programs],
            "description": self._description(side, city, city_zh),
            "languages": [lang],
        }

    def _decoy_needs(self, lang: str) -> list[str]:
        return self.rng.sample(list(_DECOY_NEEDS.get(lang, _DECOY_NEEDS["en"])), 2)

    def _name(self, side: _Side, city: str, city_zh: str) -> str:
        if side.language == "zh":
            base = f"{city_zh}示例{_KIND_NAMES[side.kind]['zh']}"
        else:
            base = f"{city} Synthetic {_KIND_NAMES[side.kind]['en']}"
        name, number = base, 1
        while name in self.names:
            number += 1
            name = f"{base} {number}"
        self.names.add(name)
        return name

    def _description(self, side: _Side, city: str, city_zh: str) -> str:
        lang = side.language
        template = _DESCRIPTIONS.get(lang)
        if template is None:
            return ""  # no sentence we are sure of in this language
        country_en, country_zh, _ = _COUNTRIES[side.country]
        separator = "、" if lang == "zh" else ", "
        return template.format(
            kind=_DESCRIPTION_KINDS[lang][side.kind],
            city=city_zh if lang == "zh" else city,
            country=country_zh if lang == "zh" else country_en,
            fields=separator.join(_FIELDS[f][lang] for f in side.fields),
        )


def _speaks(topic: _Topic, *langs: str) -> bool:
    return all(lang in topic.text for lang in langs) and (
        topic.field is None or all(lang in _FIELDS[topic.field] for lang in langs)
    )


def _fields(topics: Sequence[_Topic]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.field for t in topics if t.field is not None))


def _pick(rng: random.Random, kinds: Mapping[str, float]) -> str:
    return rng.choices(list(kinds), weights=list(kinds.values()))[0]


def _plant(rng: random.Random, mode: str) -> tuple[_Side, _Side]:
    """Return the two sides of one planted partnership."""
    lang_a, lang_b = ("en", "zh") if mode == "en-zh" else (mode, mode)
    b_offers = [t for t in _B_OFFERS if _speaks(t, lang_a, lang_b)]
    a_offers = [t for t in _A_OFFERS if _speaks(t, lang_a, lang_b)]
    core = rng.choice([t for t in b_offers if t.field is not None])
    needs = [core, *rng.sample([t for t in b_offers if t is not core], rng.randint(0, 1))]
    offers = rng.sample(a_offers, rng.randint(1, 2))
    extra = [t for t in b_offers if t not in needs]
    country_a = _HOME.get(mode) or rng.choice(_ASEAN)
    country_b = "CN"
    if mode == "en" and rng.random() < 0.2:
        country_b = rng.choice([c for c in _ASEAN if c != country_a])
    fields_a = _fields([*needs, *offers])
    assert core.field is not None
    field_b = core.field
    neighbours = [f for f in _ADJACENT[core.field] if _speaks_field(f, lang_b)]
    if neighbours and rng.random() < 0.3:
        field_b = rng.choice(neighbours)
    side_a = _Side(
        kind=_pick(rng, {"college": 0.75, "university": 0.1, "government": 0.15}),
        country=country_a,
        language=lang_a,
        fields=fields_a,
        needs=tuple(needs),
        offers=tuple(offers),
    )
    side_b = _Side(
        kind=_pick(rng, {"college": 0.6, "company": 0.25, "university": 0.15}),
        country=country_b,
        language=lang_b,
        fields=tuple(dict.fromkeys((field_b, *_fields(offers)))),
        needs=tuple(offers),
        # B also offers something A did not ask for, as real profiles do.
        offers=(*needs, *rng.sample(extra, min(len(extra), rng.randint(0, 1)))),
    )
    return side_a, side_b


def _speaks_field(field: str, lang: str) -> bool:
    return lang in _FIELDS[field]


def generate(*, n_pairs: int = 60, seed: int = 0) -> dict[str, Any]:
    """Return a synthetic evaluation dataset (the JSON format of ``matching.evaluation``).

    Parameters
    ----------
    n_pairs:
        Number of planted partnerships; the set holds about four profiles per pair.
    seed:
        Seed of the ``random.Random`` behind every choice; the same seed gives the same
        dataset.
    """
    if n_pairs < 1:
        raise ValueError(f"n_pairs must be at least 1, got {n_pairs}")
    rng = random.Random(seed)
    writer = _Writer(rng)
    modes = [_MODE_CYCLE[i % len(_MODE_CYCLE)] for i in range(n_pairs)]
    rng.shuffle(modes)
    profiles: list[dict[str, Any]] = []
    pairs: list[list[str]] = []
    for number, mode in enumerate(modes, start=1):
        prefix = f"p{number:02d}-{mode}"
        side_a, side_b = _plant(rng, mode)
        wording_a = writer.word(side_a)
        profiles.append(writer.write(f"{prefix}-a", side_a, wording_a))
        profiles.append(writer.write(f"{prefix}-b", side_b, writer.word(side_b)))
        pairs.append([f"{prefix}-a", f"{prefix}-b"])
        others = [c for c in _ASEAN if c != side_a.country]
        for copy in range(1, rng.randint(1, 2) + 1):
            look_alike = _Side(
                kind=side_a.kind,
                country=rng.choice(others),
                language=side_a.language,
                fields=side_a.fields,
                needs=side_a.needs,
                offers=side_a.offers,
            )
            wording = writer.word(look_alike, unlike=wording_a)
            profiles.append(writer.write(f"{prefix}-like{copy}", look_alike, wording))
        if rng.random() < 0.5:
            decoy = _Side(
                kind="company",
                country=rng.choice(("CN", "CN", *others)),
                language=side_a.language,
                fields=_fields(side_a.needs),
                needs=(),
                offers=side_a.needs,
                decoy_needs=True,
            )
            profiles.append(writer.write(f"{prefix}-decoy", decoy, writer.word(decoy)))
    rng.shuffle(profiles)
    return {
        "name": "generated",
        "description": (
            f"Synthetic set from matching.synthetic.generate(n_pairs={n_pairs}, seed={seed}): "
            "planted complementary pairs, look-alikes of one side that are not partners, "
            "one-sided decoys; English, Chinese, mixed English/Chinese, Khmer, Thai, "
            "Vietnamese and Indonesian profiles."
        ),
        "profiles": profiles,
        "pairs": pairs,
    }
