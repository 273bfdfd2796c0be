"""Weighted draws with the cumulative weights summed once, not at every draw."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterable
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed population with fixed weights. ``draw`` returns what
    ``rng.choices(population, weights)[0]`` returns and takes the same one number from ``rng``
    (so a seed gives the same data set either way)."""

    __slots__ = ("_cumulative", "_last", "_population", "_total")

    def __init__(self, population: Iterable[T], weights: Iterable[float]) -> None:
        self._population = tuple(population)
        self._cumulative = list(accumulate(weights))
        if len(self._cumulative) != len(self._population):
            raise ValueError("one weight per member of the population")
        self._total = self._cumulative[-1] + 0.0
        self._last = len(self._population) - 1

    def draw(self, rng: random.Random) -> T:
        """One member, with probability proportional to its weight."""
        index = bisect(self._cumulative, rng.random() * self._total, 0, self._last)
        return self._population[index]
