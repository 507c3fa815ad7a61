"""What planted partners offer and need: TVET topics with their phrasings per language.

Data for :mod:`matching.evaluation.synthetic`. Only phrasings we are sure of are given, so
Khmer and Thai have fewer topics.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["A_OFFERS", "B_OFFERS", "DECOY_NEEDS", "Phrasings", "Topic"]

Phrasings = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Topic:
    """Something one side offers and the other needs, with its phrasings per language."""

    key: str
    field: str | None
    program: str
    text: Phrasings


B_OFFERS: tuple[Topic, ...] = (
    Topic(
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
    Topic(
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
    Topic(
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
    Topic(
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
    Topic(
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
    Topic(
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
    Topic(
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
    Topic(
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
    Topic(
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
    Topic(
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
    Topic(
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
A_OFFERS: tuple[Topic, ...] = (
    Topic(
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
    Topic(
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
    Topic(
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
    Topic(
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
    Topic(
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
    Topic(
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
DECOY_NEEDS: Phrasings = {
    "en": (
        "investors for a new assembly plant",
        "sales agents for industrial equipment",
        "export credit financing",
        "distributors for spare parts",
    ),
    "zh": ("新工厂投资方", "工业设备销售代理", "出口信贷融资", "零配件经销商"),
}
