"""Weighted draws: the same values from the same random stream as ``random.Random.choices``."""

from __future__ import annotations

import random

import pytest

from tracer.loaders.generate.draw import Weighted


@pytest.mark.parametrize(
    ("population", "weights"),
    [(("a", "b", "c"), (58, 28, 14)), (tuple(range(30)), [1 / (r + 1) ** 0.6 for r in range(30)])],
)
def test_draws_what_choices_draws(population: tuple[object, ...], weights: list[float]) -> None:
    weighted = Weighted(population, weights)
    mine, theirs = random.Random(5), random.Random(5)
    drawn = [weighted.draw(mine) for _ in range(5_000)]
    assert drawn == [theirs.choices(population, weights)[0] for _ in range(5_000)]
    assert mine.random() == theirs.random()
    assert set(drawn) == set(population)


def test_one_weight_per_member() -> None:
    with pytest.raises(ValueError, match="one weight"):
        Weighted("ab", (1,))
