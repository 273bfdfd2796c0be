"""Settings of credit reports (pydantic-settings, prefix ``TRACER_REPORT_``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ReportSettings(BaseSettings):
    """Who issues the reports of this deployment."""

    model_config = SettingsConfigDict(env_prefix="TRACER_REPORT_", extra="ignore")

    issuer: str = Field(
        default="Liability Tracer",
        min_length=1,
        max_length=200,
        description="The issuer printed on every report (e.g. the credit centre's name).",
    )


@lru_cache(maxsize=1)
def get_report_settings() -> ReportSettings:
    """The process-wide report settings (cached)."""
    return ReportSettings()
