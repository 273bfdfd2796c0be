"""Names: Chinese personal names with a realistic surname distribution, foreign names, and the
parts of organisation names (字号, industries, shop and product words)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from tracer.loaders.generate.draw import Weighted


def _unique(words: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(words.split()))


# Surname frequencies (per cent of the population, 2020 census order of magnitude).
_SURNAMES = (
    ("王", 7.12), ("李", 7.00), ("张", 6.74), ("刘", 5.10), ("陈", 4.61), ("杨", 3.22),
    ("黄", 2.45), ("赵", 2.19), ("吴", 2.08), ("周", 1.95), ("徐", 1.45), ("孙", 1.38),
    ("马", 1.29), ("朱", 1.26), ("胡", 1.20), ("郭", 1.18), ("何", 1.17), ("林", 1.13),
    ("高", 1.08), ("罗", 1.07), ("郑", 0.97), ("梁", 0.92), ("谢", 0.79), ("宋", 0.67),
    ("唐", 0.64), ("许", 0.62), ("韩", 0.61), ("邓", 0.60), ("冯", 0.59), ("曹", 0.56),
    ("彭", 0.55), ("曾", 0.53), ("肖", 0.51), ("田", 0.49), ("董", 0.48), ("潘", 0.47),
    ("袁", 0.46), ("蔡", 0.45), ("蒋", 0.44), ("余", 0.43), ("于", 0.42), ("杜", 0.41),
    ("叶", 0.40), ("程", 0.39), ("魏", 0.38), ("苏", 0.37), ("吕", 0.36), ("丁", 0.35),
    ("任", 0.34), ("卢", 0.33), ("姚", 0.32), ("沈", 0.31), ("钟", 0.30), ("姜", 0.29),
    ("崔", 0.28), ("谭", 0.27), ("陆", 0.26), ("范", 0.25), ("汪", 0.24), ("廖", 0.23),
    ("石", 0.22), ("金", 0.21), ("韦", 0.20), ("贾", 0.19), ("夏", 0.18), ("付", 0.17),
    ("方", 0.16), ("邹", 0.15), ("熊", 0.14), ("白", 0.13), ("孟", 0.12), ("秦", 0.11),
    ("邱", 0.10), ("侯", 0.10), ("江", 0.09), ("尹", 0.09), ("薛", 0.08), ("闫", 0.08),
    ("段", 0.07), ("雷", 0.07), ("龙", 0.06), ("黎", 0.06), ("史", 0.05), ("陶", 0.05),
    ("欧阳", 0.04), ("司马", 0.01), ("诸葛", 0.01), ("上官", 0.01),
)  # fmt: skip

# Given-name characters, most common first (weights fall off like Zipf's law).
_MALE = _unique(
    "伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宇 浩 凯 健 俊 帆 帅 旭 宁 龙 林 阳 "
    "建 国 峰 亮 成 志 东 文 海 斌 晨 瑞 博 彬 坤 鸿 春 江 永 兴 德 新 庆 立 振 良 海 洋 锋 "
    "毅 刚 俊 昊 睿 哲 轩 铭 泽 宏 涵 嘉 子 天 思 一 梓 皓 煜 承 景 晟 延 清 正 光 耀 远 "
    "家 卫 忠 军 华 祥 荣 贵 福 生 学 长 中 金 松 柏 云 晖 广 胜 兵 力 威 维 勤 思 智 翔"
)
_FEMALE = _unique(
    "芳 娜 敏 静 丽 艳 娟 霞 燕 玲 桂 英 秀 兰 萍 红 梅 琳 雪 婷 慧 颖 倩 洁 晶 莉 丹 璐 佳 欣 "
    "月 琴 云 凤 洁 悦 薇 蕾 岚 晓 彤 雯 琪 瑶 怡 馨 茜 蓉 莹 艺 "
    "诗 雨 梦 涵 可 欣 若 思 语 嘉 宁 萱 妍 菲 曼 妮 媛 婉 秋 春 冬 晴 露 华 美 淑 惠 "
    "佩 珊 珍 珠 爱 凌 青 文 心 小 玉 海 君 素 清 宇 真 怡 媛 琼 蓓 嫣 岚 虹 翠 芬 慧"
)

FOREIGN_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "USA": (("Smith", "Johnson", "Brown", "Miller", "Davis"), ("John", "Michael", "Sarah")),
    "GBR": (("Taylor", "Wilson", "Evans", "Clarke"), ("James", "Oliver", "Emma")),
    "JPN": (("Tanaka", "Suzuki", "Sato", "Watanabe"), ("Hiroshi", "Kenji", "Yuki")),
    "KOR": (("Kim", "Lee", "Park", "Choi"), ("Min-jun", "Ji-ho", "Seo-yeon")),
    "SGP": (("Tan", "Lim", "Ng", "Wong"), ("Wei Ming", "Jia Hui", "Kok Leong")),
    "DEU": (("Muller", "Schmidt", "Fischer", "Weber"), ("Thomas", "Andreas", "Anna")),
    "MYS": (("Lee", "Chong", "Abdullah", "Ong"), ("Ahmad", "Mei Ling", "Chee Keong")),
}

BRAND_CHARS = _unique(
    "华 鑫 源 恒 泰 达 通 盛 宏 兴 瑞 隆 嘉 信 德 安 祥 福 丰 昌 荣 和 金 利 富 泓 博 远 锦 辉 "
    "星 晨 宇 中 天 海 新 益 正 宁 永 康 光 明 润 佳 奥 创 汇 峰 弘 泽 凯 旭 腾 宸 睿 骏 晟 翔 "
    "诚 聚 鼎 众 合 力 联 亿 万 东 方 启 航 云 科 美 百 世 纪 龙 腾"
)


@dataclass(frozen=True, slots=True)
class Industry:
    """An industry of ordinary enterprises: name word, weight and registered-practitioner kind."""

    word: str
    weight: float
    qualification: str | None = None
    hazard: bool = False
    labour: bool = False


INDUSTRIES = (
    Industry("科技", 14),
    Industry("商贸", 12),
    Industry("建筑工程", 7, "注册建造师", hazard=True, labour=True),
    Industry("市政工程", 2, "注册建造师", hazard=True, labour=True),
    Industry("建筑劳务", 2, None, labour=True),
    Industry("装饰工程", 3, "注册建造师", labour=True),
    Industry("工程监理", 1, "注册监理工程师", hazard=True),
    Industry("工程造价咨询", 1, "注册造价工程师"),
    Industry("建筑设计", 1, "注册建筑师"),
    Industry("房地产开发", 3),
    Industry("医药", 2, "执业药师", hazard=True),
    Industry("大药房", 2, "执业药师", hazard=True),
    Industry("会计师事务所", 1, "注册会计师"),
    Industry("餐饮管理", 5, hazard=True),
    Industry("食品", 3, hazard=True),
    Industry("物流", 4),
    Industry("信息技术", 6),
    Industry("文化传媒", 4),
    Industry("环保科技", 2, hazard=True),
    Industry("机械制造", 3, hazard=True),
    Industry("化工", 1, hazard=True),
    Industry("电子商务", 4),
    Industry("物业管理", 3),
    Industry("汽车销售", 2),
    Industry("农业开发", 2),
    Industry("投资管理", 3),
    Industry("实业", 4),
)
INDUSTRY_WEIGHTS = tuple(i.weight for i in INDUSTRIES)

SOE_TOP_WORDS = (
    "城市建设投资",
    "交通投资",
    "国有资本运营",
    "水务",
    "能源",
    "文化旅游发展",
    "产业投资",
)
SHOP_WORDS = ("便利店", "餐馆", "五金店", "理发店", "水果店", "服装店", "烟酒店", "汽车修理部",
              "小吃店", "百货商店", "建材经营部", "农家乐")  # fmt: skip
COOP_WORDS = ("蔬菜种植", "生猪养殖", "茶叶", "水果种植", "中药材种植", "农机服务", "花卉种植")
SOCIETY_WORDS = ("建筑业协会", "个体劳动者协会", "餐饮行业协会", "软件行业协会", "总商会")
PRIVATE_NONPROFIT_WORDS = ("职业培训学校", "养老院", "幼儿园", "康复中心")


def _zipf(count: int) -> list[float]:
    """Weights of a mild Zipf law: the most common characters are a few times likelier."""
    return [1.0 / (rank + 1) ** 0.6 for rank in range(count)]


_SURNAME = Weighted([surname for surname, _ in _SURNAMES], [weight for _, weight in _SURNAMES])
_MALE_GIVEN = Weighted(_MALE, _zipf(len(_MALE)))
_FEMALE_GIVEN = Weighted(_FEMALE, _zipf(len(_FEMALE)))


class NameMaker:
    """Draws names from one ``random.Random`` (deterministic for a seed)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def person(self, male: bool) -> str:
        """A Chinese name: surname and one (two-character name) or two given characters."""
        rng = self.rng
        surname = _SURNAME.draw(rng)
        given = _MALE_GIVEN if male else _FEMALE_GIVEN
        if rng.random() < 0.15:
            return surname + given.draw(rng)
        return surname + given.draw(rng) + given.draw(rng)

    def foreign(self, nationality: str) -> str:
        """A Latin-script name for a foreign national."""
        surnames, given = FOREIGN_NAMES[nationality]
        return f"{self.rng.choice(given)} {self.rng.choice(surnames)}"

    def brand(self) -> str:
        """A trade name (字号) of two (sometimes three) characters."""
        count = 3 if self.rng.random() < 0.1 else 2
        return "".join(self.rng.sample(BRAND_CHARS, count))
