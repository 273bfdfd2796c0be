"""The generator's identifiers carry the check characters ``tracer.domain.identifiers`` computes."""

from __future__ import annotations

import random

from tracer.domain.identifiers import (
    USCC_CHARSET,
    org_code_check_char,
    resident_id_check_char,
    uscc_check_char,
)
from tracer.loaders.generate.codes import CodeBook, uscc_from_org


def test_uscc_check_characters() -> None:
    rng = random.Random(3)
    for _ in range(20_000):
        if rng.random() < 0.5:
            org8 = f"{rng.randrange(10**8):08d}"
        else:
            org8 = "MA" + "".join(rng.choice(USCC_CHARSET) for _ in range(6))
        code = uscc_from_org(rng.choice(("11", "12", "51", "91", "92")), "110105", org8)
        assert code[16] == org_code_check_char(org8)
        assert code[17] == uscc_check_char(code[:17])


def test_resident_id_check_characters_and_birth_dates() -> None:
    rng = random.Random(4)
    book = CodeBook(seed=9)
    for _ in range(20_000):
        year = rng.randint(1950, 2004)
        male = rng.random() < 0.5
        number, born = book.resident_id(year, male)
        assert number[17] == resident_id_check_char(number[:17])
        assert born.year == year and number[6:14] == f"{born:%Y%m%d}"
        assert int(number[16]) % 2 == male
    unused = book.unused_resident_id()
    assert unused[17] == resident_id_check_char(unused[:17])
    assert unused[6:10] == "1971"
