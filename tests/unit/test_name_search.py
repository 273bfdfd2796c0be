"""Name search without a database: normalisation, pinyin keys, the full-text query, scoring."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from tracer.queries.names import (
    MatchKind,
    NameKeys,
    lucene_query,
    match,
    name_keys,
    normalise,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张 伟", "张伟"),
        ("欧阳·娜娜", "欧阳娜娜"),
        ("  ZHANG   Wei ", "zhang wei"),
        ("Zhāng Wěi", "zhang wei"),
        ("Lǚ", "lv"),
        ("ＺＨＡＮＧ", "zhang"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_name_keys() -> None:
    keys = name_keys("欧阳娜娜")
    assert (keys.pinyin, keys.joined, keys.initials) == ("ou yang na na", "ouyangnana", "oynn")
    assert name_keys("吕布").joined == "lvbu"
    assert name_keys("JOHN SMITH").properties() == {
        "name_pinyin": "john smith",
        "name_pinyin_joined": "johnsmith",
        "name_initials": "js",
    }


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("张伟", "张伟", MatchKind.EXACT),
        ("张玮", "张伟", MatchKind.PINYIN),
        ("zhang wei", "张伟", MatchKind.PINYIN),
        ("zhangwei", "张伟", MatchKind.PINYIN),
        ("ZhangWei", "张伟", MatchKind.PINYIN),
        ("zw", "张伟", MatchKind.PINYIN_INITIALS),
        ("重庆某某建设", "某某建设有限公司", MatchKind.SUBSTRING),
        ("某某建设", "重庆某某建设有限公司", MatchKind.SUBSTRING),
        ("zhangwie", "张伟", MatchKind.FUZZY),
        ("张小伟", "张小军", MatchKind.FUZZY),
    ],
)
def test_match_kinds(text: str, name: str, kind: MatchKind) -> None:
    found = match(text, name)
    assert found is not None and found.kind is kind


def test_scores_rank_exact_over_sound_over_initials() -> None:
    scores = [match(text, "张伟") for text in ("张伟", "zhangwei", "张玮", "zw")]
    values = [found.score for found in scores if found is not None]
    assert len(values) == 4 and values == sorted(values, reverse=True) and values[0] == 1.0
    assert all(0 < value <= 1 for value in values)


@pytest.mark.parametrize(("text", "name"), [("张伟", "李四"), ("zw", "李四"), ("张伟", None)])
def test_no_match(text: str, name: str | None) -> None:
    assert match(text, name) is None


def test_lucene_query_carries_no_syntax() -> None:
    query = lucene_query('张伟" OR name:* AND (x) \\ ~')
    assert query.startswith("name:(张伟) OR ")
    assert '"' in query and "\\" not in query and "AND" not in query
    # Only the clauses the builder writes: CJK bigrams and the pinyin phrase for Chinese text.
    assert lucene_query("张玮") == 'name:(张玮) OR name_pinyin:"zhang wei"'
    assert lucene_query("张") == 'name:张* OR name_pinyin:"zhang"'
    assert "name_initials:zw" in lucene_query("zw")
    assert lucene_query("·!") == ""


POLYPHONES = [
    "单田芳", "曾国藩", "朝阳区长沙银行有限公司", "重庆银行股份有限公司", "欧阳娜娜", "尉迟恭",
    "乐嘉", "覃某", "区某某", "查良镛", "解放", "北京朝阳建设有限公司", "长江实业", "John Smith",
    "张三1号", "银行行长", "音乐乐器行",
]  # fmt: skip


def test_pinyin_keys_are_pypinyins_own_reading_from_the_first_name_to_the_last() -> None:
    """Segments converted once and then reused give exactly pypinyin's ``lazy_pinyin`` of the
    whole name (its phrase dictionary decides polyphones: 长沙 chang, 行长 hang zhang …), also
    when the same segment comes back in another name."""
    for _round in range(2):
        for name in POLYPHONES:
            expected = [
                word
                for piece in lazy_pinyin(normalise(name), style=Style.NORMAL)
                for word in re.findall("[a-z0-9]+", piece.lower())
            ]
            assert name_keys(name).pinyin == " ".join(expected), name
    assert name_keys("银行行长").pinyin == "yin hang hang zhang"


#: Chinese, Latin with an accent, digits, separators (a middle dot, an ideographic space).
NAME_CHARACTERS = "张伟欧阳娜·吕布 JohnSMITHé3'-\u3000北京有限公司"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(NAME_CHARACTERS), max_size=12))
def test_the_keys_follow_from_the_spaced_pinyin_the_loader_keeps(name: str) -> None:
    keys = name_keys(name)
    assert NameKeys.of(keys.pinyin) == keys
