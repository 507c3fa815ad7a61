"""Fields, survey programs, places and name patterns of the synthetic profiles.

Data for :mod:`matching.evaluation.synthetic` and :mod:`matching.evaluation.thin`.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "ADJACENT",
    "ASEAN",
    "COUNTRIES",
    "DESCRIPTIONS",
    "DESCRIPTION_KINDS",
    "FIELDS",
    "HOME",
    "KIND_NAMES",
    "MODE_CYCLE",
    "PROGRAMS",
]

FIELDS: Mapping[str, Mapping[str, str]] = {
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
ADJACENT: Mapping[str, tuple[str, ...]] = {
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
PROGRAMS: Mapping[str, Mapping[str, str]] = {
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
COUNTRIES: Mapping[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
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
ASEAN = ("KH", "KH", "TH", "VN", "ID", "MY", "LA", "MM", "PH")
# Countries whose own language a pair may be written in.
HOME = {"km": "KH", "th": "TH", "vi": "VN", "id": "ID"}
# One cycle of pair languages; "en-zh" means A in English and B in Chinese. Rare modes
# come first so that a small n_pairs still has each of them.
MODE_CYCLE = (
    *("zh", "en-zh", "km", "th", "vi", "id", "en", "zh", "en", "en-zh", "en", "zh"),
    *("en",) * 8,
)

KIND_NAMES: Mapping[str, Mapping[str, str]] = {
    "college": {"en": "Polytechnic Institute", "zh": "职业技术学院"},
    "university": {"en": "University of Applied Sciences", "zh": "职业技术大学"},
    "company": {"en": "Technology Co., Ltd.", "zh": "科技有限公司"},
    "government": {"en": "Vocational Training Department", "zh": "职业技能培训中心"},
}
DESCRIPTIONS: Mapping[str, str] = {
    "en": "A {kind} in {city}, {country}, working in {fields}.",
    "zh": "位于{country}{city}的{kind}，主要方向：{fields}。",
    "vi": "{kind} tại {city}, lĩnh vực: {fields}.",
    "id": "{kind} di {city}, bidang: {fields}.",
}
DESCRIPTION_KINDS: Mapping[str, Mapping[str, str]] = {
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
