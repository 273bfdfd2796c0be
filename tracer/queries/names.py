"""Names as search keys: normalisation, pinyin keys (stored on nodes at load time), the
full-text query that gathers a bounded pool of candidates, and the score that ranks them.

A name is never an identity (DOMAIN §2, 重名): everything here produces *candidates to verify*.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pypinyin import Style
from pypinyin.converter import DefaultConverter
from pypinyin.core import Pinyin
from rapidfuzz import fuzz

#: Legal-form endings compared away in enterprise names (有限公司 …), longest first.
_LEGAL_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "专业合作社",
    "合作社",
    "集团",
    "公司",
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z0-9]+")
_SEPARATORS = re.compile(r"[\s·•・.\-_]+")
#: Scores below this are not candidates.
MIN_SCORE = 0.5


class MatchKind(StrEnum):
    """How a candidate's name matched the search text."""

    EXACT = "EXACT"
    SUBSTRING = "SUBSTRING"
    PINYIN = "PINYIN"
    PINYIN_INITIALS = "PINYIN_INITIALS"
    FUZZY = "FUZZY"


@dataclass(frozen=True, slots=True)
class NameKeys:
    """The search keys of one name: ``zhang wei``, ``zhangwei``, ``zw``."""

    pinyin: str
    joined: str
    initials: str

    def properties(self) -> dict[str, str]:
        """The node properties the full-text indexes cover (``schema.cypher``)."""
        return {
            "name_pinyin": self.pinyin,
            "name_pinyin_joined": self.joined,
            "name_initials": self.initials,
        }

    @classmethod
    def of(cls, pinyin: str) -> NameKeys:
        """The keys whose spaced pinyin is ``pinyin`` (the others follow from it)."""
        words = pinyin.split()
        return cls(pinyin, "".join(words), "".join(word[0] for word in words))


@dataclass(frozen=True)
class Match:
    """A candidate's score (0..1) and how it matched."""

    kind: MatchKind
    score: float


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, tone marks dropped (``ü`` as ``v``), separators
    (spaces, ·) removed next to CJK characters and collapsed to one space elsewhere."""
    plain = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).lower())
    unmarked = "".join(c for c in plain.replace("u\u0308", "v") if not unicodedata.combining(c))
    folded = _SEPARATORS.sub(" ", unicodedata.normalize("NFC", unmarked)).strip()
    return re.sub(r"(?<=[^a-z0-9]) | (?=[^a-z0-9])", "", folded)


class _SegmentCache(DefaultConverter):
    """pypinyin's converter, each segment converted once: the segmenter cuts a name into
    phrases and characters that convert the same way wherever they occur (北京, 建设, 有限公司,
    张 …), and names repeat them, so a national register's names cost their segmentation."""

    def __init__(self) -> None:
        super().__init__()
        self._known: dict[tuple[object, ...], list[list[str]]] = {}

    def convert(
        self,
        words: str,
        style: Style,
        heteronym: bool,
        errors: Callable[[str], str] | str,
        strict: bool = True,
        **kwargs: Any,
    ) -> list[list[str]]:
        key = (words, style, heteronym, errors, strict)
        found = self._known.get(key)
        if found is None:
            found = super().convert(words, style, heteronym, errors, strict, **kwargs)
            if len(self._known) < _SEGMENTS_KEPT:
                self._known[key] = found
        return [list(readings) for readings in found]


#: Segments kept converted (the phrase dictionary and common characters fit many times over).
_SEGMENTS_KEPT = 200_000
_PINYIN = Pinyin(_SegmentCache())


def _syllables(text: str) -> list[str]:
    words: list[str] = []
    for piece in _PINYIN.lazy_pinyin(text, style=Style.NORMAL, errors="default"):
        words.extend(_WORD.findall(piece.lower()))
    return words


def name_keys(name: str) -> NameKeys:
    """Pinyin keys of a name (toneless, ``ü`` as ``v``; a polyphone takes its usual reading)."""
    words = _syllables(normalise(name))
    return NameKeys.of(" ".join(words))


#: The spaced pinyin of names, by name (``name_key_table``; ``NameKeys.of`` gives the keys):
#: one string a name, a third of the memory of the keys (a loader keeps a million names).
NameKeyTable = dict[str, str]


def name_key_table(names: Iterable[object]) -> NameKeyTable:
    """The spaced pinyin of every distinct name in ``names`` (values that are not text are
    skipped), each computed once: pypinyin is pure Python (~30 µs a name) and a national
    register repeats most personal names."""
    distinct = {name for name in names if isinstance(name, str)}
    return {name: name_keys(name).pinyin for name in distinct}


def has_cjk(text: str) -> bool:
    """True when the text contains a Chinese character."""
    return _CJK.search(text) is not None


def _core(name: str) -> str:
    """An enterprise name without its legal form (``某某建设有限公司`` → ``某某建设``)."""
    for ending in _LEGAL_FORMS:
        if name.endswith(ending) and len(name) > len(ending):
            return name[: -len(ending)]
    return name


def lucene_query(text: str) -> str:
    """The full-text query (``cjk`` analyzer) that gathers candidates for ``text``: CJK bigrams of
    the name and the pinyin of the text (homophones: 张玮 finds 张伟) for Chinese text; pinyin
    words, the joined pinyin (exact, prefix, one edit) and initials for Latin text. Only
    ``[a-z0-9]`` and CJK characters reach the query, so nothing in it is Lucene syntax."""
    query = normalise(text)
    keys = name_keys(query)
    clauses: list[str] = []
    if has_cjk(query):
        chars = "".join(_CJK.findall(query))
        clauses.append(f"name:{chars}*" if len(chars) == 1 else f"name:({chars})")
        if keys.pinyin:
            clauses.append(f'name_pinyin:"{keys.pinyin}"')
    elif keys.joined:
        joined = keys.joined
        clauses += [f"name:({keys.pinyin})", f'name_pinyin:"{keys.pinyin}"']
        clauses += [f"name_pinyin_joined:{joined}", f"name_pinyin_joined:{joined}*"]
        if len(joined) >= 5:
            clauses.append(f"name_pinyin_joined:{joined}~1")
        if len(joined) <= 6:
            clauses.append(f"name_initials:{joined}")
    return " OR ".join(clauses)


def _chinese_match(query: str, name: str) -> Match | None:
    if query in name or _core(name) in query:
        shorter, longer = sorted((len(query), len(_core(name))))
        return Match(MatchKind.SUBSTRING, round(0.6 + 0.3 * shorter / max(longer, 1), 3))
    if name_keys(query).joined == name_keys(name).joined:
        return Match(MatchKind.PINYIN, 0.85)
    ratio = fuzz.ratio(query, name) / 100
    if ratio >= 0.5:
        return Match(MatchKind.FUZZY, round(0.8 * ratio, 3))
    return None


def _latin_match(query: NameKeys, name: NameKeys) -> Match | None:
    if not query.joined:
        return None
    if query.joined == name.joined:
        return Match(MatchKind.PINYIN, 0.9)
    if query.joined == name.initials:
        return Match(MatchKind.PINYIN_INITIALS, 0.7)
    if name.joined.startswith(query.joined):
        return Match(MatchKind.PINYIN, round(0.5 + 0.3 * len(query.joined) / len(name.joined), 3))
    ratio = fuzz.ratio(query.joined, name.joined) / 100
    if ratio >= 0.75:
        return Match(MatchKind.FUZZY, round(0.75 * ratio, 3))
    return None


def match(text: str, name: str | None) -> Match | None:
    """How well ``name`` matches the search ``text``: EXACT 1.0; SUBSTRING 0.6–0.9 (by how much
    of the longer the shorter covers; legal forms ignored); PINYIN 0.85–0.9 (same sound) or a
    pinyin prefix; PINYIN_INITIALS 0.7; FUZZY up to 0.8 (edit similarity). None below
    ``MIN_SCORE``."""
    if not name:
        return None
    query, candidate = normalise(text), normalise(name)
    if not query:
        return None
    if query == candidate:
        return Match(MatchKind.EXACT, 1.0)
    found = (
        _chinese_match(query, candidate)
        if has_cjk(query)
        else _latin_match(name_keys(query), name_keys(candidate))
    )
    return found if found is not None and found.score >= MIN_SCORE else None
