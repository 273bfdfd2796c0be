"""Synthetic, realistic data sets in the input format of ``tracer load`` (``tracer generate``)."""

from tracer.loaders.generate.dataset import DEFAULT_AS_OF, GenerationSummary, generate_dataset
from tracer.loaders.generate.planted import PlantedCase, PlantedPerson

__all__ = [
    "DEFAULT_AS_OF",
    "GenerationSummary",
    "PlantedCase",
    "PlantedPerson",
    "generate_dataset",
]
