"""Synthetic, realistic data sets in the input format of ``tracer load`` (``tracer generate``).

Every draw comes from one ``random.Random`` per data set (and one for the corrupter) in a fixed
order. Benchmarks and tests rely on a seed giving the same files, so a speed-up takes the same
numbers in the same order (``draw.Weighted`` draws what ``Random.choices`` draws);
``python -m bench generate N --baseline REV`` checks the files against revision ``REV``'s. Most
of the time is per-row Python (persons and positions: about 12 rows per organisation); joining,
encoding and writing the CSV rows is 10-20 % of it.
"""

from tracer.loaders.generate.dataset import DEFAULT_AS_OF, GenerationSummary, generate_dataset
from tracer.loaders.generate.planted import PlantedCase, PlantedPerson

__all__ = [
    "DEFAULT_AS_OF",
    "GenerationSummary",
    "PlantedCase",
    "PlantedPerson",
    "generate_dataset",
]
