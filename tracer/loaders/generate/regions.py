"""A small table of real administrative divisions (GB/T 2260): provinces, cities, districts.

Districts carry the six-digit code used in USCC positions 3-8 and resident ID positions 1-6,
a weight (share of enterprises registered there) and the street names used in addresses.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Province:
    """A province-level division; ``municipality`` for 直辖市 (no city tier)."""

    code: str
    name: str
    abbr: str
    municipality: bool
    capital: str


@dataclass(frozen=True, slots=True)
class City:
    """A prefecture-level city (absent for municipalities)."""

    code: str
    name: str
    province: Province


@dataclass(frozen=True, slots=True)
class District:
    """A county-level district: the registration region of enterprises."""

    code: str
    name: str
    province: Province
    city: City | None
    weight: float

    @property
    def prefix(self) -> str:
        """Full name as used in organisation names: 北京市朝阳区, 昆明市五华区."""
        upper = self.province.name if self.city is None else self.city.name
        return upper + self.name

    @property
    def town(self) -> str:
        """The city (or municipality) name: 北京市, 昆明市."""
        return self.province.name if self.city is None else self.city.name

    @property
    def short_town(self) -> str:
        """The city name without 市, used in enterprise names: 北京, 昆明."""
        return self.town.removesuffix("市")

    @property
    def doc_prefix(self) -> str:
        """Prefix of administrative document numbers: 京朝, 滇五."""
        return self.province.abbr + self.name[0]

    @property
    def court_code(self) -> str:
        """Province abbreviation and the last four digits of the code: 京0105 (case numbers)."""
        return self.province.abbr + self.code[2:]


_PROVINCES = {
    "11": Province("110000", "北京市", "京", True, "北京"),
    "31": Province("310000", "上海市", "沪", True, "上海"),
    "50": Province("500000", "重庆市", "渝", True, "重庆"),
    "44": Province("440000", "广东省", "粤", False, "广州"),
    "53": Province("530000", "云南省", "滇", False, "昆明"),
    "21": Province("210000", "辽宁省", "辽", False, "沈阳"),
    "33": Province("330000", "浙江省", "浙", False, "杭州"),
    "51": Province("510000", "四川省", "川", False, "成都"),
    "32": Province("320000", "江苏省", "苏", False, "南京"),
    "42": Province("420000", "湖北省", "鄂", False, "武汉"),
}

_CITIES = {
    code: City(code, name, _PROVINCES[code[:2]])
    for code, name in (
        ("440100", "广州市"),
        ("440300", "深圳市"),
        ("530100", "昆明市"),
        ("210100", "沈阳市"),
        ("210500", "本溪市"),
        ("330100", "杭州市"),
        ("510100", "成都市"),
        ("320100", "南京市"),
        ("320500", "苏州市"),
        ("420100", "武汉市"),
    )
}

_DISTRICTS = (
    ("110101", "东城区", 2.0),
    ("110102", "西城区", 2.5),
    ("110105", "朝阳区", 6.0),
    ("110106", "丰台区", 2.5),
    ("110108", "海淀区", 5.0),
    ("310101", "黄浦区", 2.0),
    ("310104", "徐汇区", 2.5),
    ("310115", "浦东新区", 6.5),
    ("500103", "渝中区", 2.0),
    ("500105", "江北区", 1.5),
    ("500112", "渝北区", 2.5),
    ("440104", "越秀区", 2.0),
    ("440106", "天河区", 4.0),
    ("440304", "福田区", 4.0),
    ("440305", "南山区", 4.5),
    ("530102", "五华区", 1.5),
    ("530103", "盘龙区", 1.2),
    ("530111", "官渡区", 1.5),
    ("210102", "和平区", 1.2),
    ("210502", "平山区", 0.6),
    ("210503", "溪湖区", 0.4),
    ("330106", "西湖区", 2.5),
    ("330108", "滨江区", 2.0),
    ("510104", "锦江区", 1.8),
    ("510107", "武侯区", 2.2),
    ("320102", "玄武区", 1.5),
    ("320505", "虎丘区", 2.0),
    ("420106", "武昌区", 2.0),
)

#: Birth places that are not registration regions (resident ID area codes only).
_BIRTH_ONLY = (
    "120101",  # 天津市和平区
    "130102",  # 石家庄市长安区
    "230103",  # 哈尔滨市南岗区
    "340104",  # 合肥市蜀山区
    "350203",  # 厦门市思明区
    "360102",  # 南昌市东湖区
    "370102",  # 济南市历下区
    "410105",  # 郑州市金水区
    "430104",  # 长沙市岳麓区
    "610113",  # 西安市雁塔区
)

STREETS = (
    "建国路",
    "人民路",
    "解放路",
    "中山路",
    "和平路",
    "新华路",
    "长江路",
    "黄河路",
    "科技园路",
    "工业大道",
    "滨江路",
    "光明路",
    "文化路",
    "学府路",
    "东风路",
    "青年路",
    "朝阳路",
    "金融街",
    "创业大道",
    "环城北路",
    "高新大道",
    "胜利街",
    "民族路",
    "迎宾大道",
)


def _district(code: str, name: str, weight: float) -> District:
    province = _PROVINCES[code[:2]]
    city = None if province.municipality else _CITIES[code[:4] + "00"]
    return District(code, name, province, city, weight)


DISTRICTS: tuple[District, ...] = tuple(_district(*row) for row in _DISTRICTS)
CITIES: tuple[City, ...] = tuple(_CITIES.values())
PROVINCES: tuple[Province, ...] = tuple(_PROVINCES.values())
DISTRICT_WEIGHTS: tuple[float, ...] = tuple(d.weight for d in DISTRICTS)
BIRTH_AREAS: tuple[str, ...] = tuple(d.code for d in DISTRICTS) + _BIRTH_ONLY
