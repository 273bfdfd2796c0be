"""Departments (发起/实施部门) of every region tier, with their superiors and kinds.

A department's code is its own USCC (organs: prefix 11), as on real credit-China records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tracer.loaders.generate.codes import PREFIX, CodeBook
from tracer.loaders.generate.regions import CITIES, DISTRICTS, PROVINCES, District, Province

KINDS = (
    "GOVERNMENT",
    "DEVELOPMENT_REFORM",
    "COURT",
    "TAX",
    "MARKET_SUPERVISION",
    "HUMAN_RESOURCES",
    "HOUSING",
    "AUDIT",
    "SASAC",
    "HEALTH",
    "EDUCATION",
    "CIVIL_AFFAIRS",
    "EMERGENCY_MANAGEMENT",
    "ECOLOGY_ENVIRONMENT",
    "FINANCE",
    "PUBLIC_SECURITY",
    "CIVILISATION_OFFICE",
)

# Name after the region prefix; "{b}" is 厅 for provinces and 局 below (and in municipalities).
_NAMES = {
    "GOVERNMENT": "人民政府",
    "DEVELOPMENT_REFORM": "发展和改革委员会",
    "MARKET_SUPERVISION": "市场监督管理局",
    "HUMAN_RESOURCES": "人力资源和社会保障{b}",
    "HOUSING": "住房和城乡建设{b}",
    "AUDIT": "审计{b}",
    "SASAC": "人民政府国有资产监督管理委员会",
    "HEALTH": "卫生健康委员会",
    "EDUCATION": "教育{b}",
    "CIVIL_AFFAIRS": "民政{b}",
    "EMERGENCY_MANAGEMENT": "应急管理{b}",
    "ECOLOGY_ENVIRONMENT": "生态环境{b}",
    "FINANCE": "财政{b}",
    "PUBLIC_SECURITY": "公安{b}",
    "CIVILISATION_OFFICE": "精神文明建设委员会办公室",
}


@dataclass(frozen=True, slots=True)
class Department:
    """One row of ``departments``."""

    code: str
    name: str
    region_code: str
    superior_code: str | None
    kind: str


def _name(kind: str, prefix: str, tier: str, province: Province) -> str:
    if kind == "TAX":
        return f"国家税务总局{prefix}税务局"
    if kind == "COURT":
        court = {"province": "高级人民法院", "city": "中级人民法院", "district": "人民法院"}
        return prefix + court[tier]
    bureau = "厅" if tier == "province" and not province.municipality else "局"
    return prefix + _NAMES[kind].format(b=bureau)


class Directory:
    """All departments, indexed by (kind, region code)."""

    def __init__(self, codes: CodeBook) -> None:
        self._by_region: dict[tuple[str, str], Department] = {}
        self._ordered: list[Department] = []
        for province in PROVINCES:
            for kind in KINDS:
                self._add(codes, kind, province.code, province.name, "province", province, None)
            self._add_customs(codes, province)
        for city in CITIES:
            for kind in KINDS:
                upper = self._by_region[kind, city.province.code].code
                self._add(codes, kind, city.code, city.name, "city", city.province, upper)
        for district in DISTRICTS:
            upper_region = district.city.code if district.city else district.province.code
            for kind in KINDS:
                upper = self._by_region[kind, upper_region].code
                self._add(
                    codes,
                    kind,
                    district.code,
                    district.prefix,
                    "district",
                    district.province,
                    upper,
                )

    def _add(
        self,
        codes: CodeBook,
        kind: str,
        region: str,
        prefix: str,
        tier: str,
        province: Province,
        superior: str | None,
    ) -> None:
        code = codes.organ_uscc(PREFIX["ORGAN"], region)
        department = Department(code, _name(kind, prefix, tier, province), region, superior, kind)
        self._by_region[kind, region] = department
        self._ordered.append(department)

    def _add_customs(self, codes: CodeBook, province: Province) -> None:
        code = codes.organ_uscc(PREFIX["ORGAN"], province.code)
        department = Department(code, f"{province.capital}海关", province.code, None, "CUSTOMS")
        self._by_region["CUSTOMS", province.code] = department
        self._ordered.append(department)

    def __iter__(self) -> Iterator[Department]:
        return iter(self._ordered)

    def __len__(self) -> int:
        return len(self._ordered)

    def local(self, kind: str, district: District) -> Department:
        """The district-level department of ``kind``."""
        return self._by_region[kind, district.code]

    def upper(self, kind: str, district: District) -> Department:
        """The department of ``kind`` one tier above the district (city, or the municipality)."""
        region = district.city.code if district.city else district.province.code
        return self._by_region[kind, region]

    def customs(self, district: District) -> Department:
        """The customs office of the district's province."""
        return self._by_region["CUSTOMS", district.province.code]
