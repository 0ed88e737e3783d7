"""Region settings: the legal values are the defaults, a region may only choose them explicitly."""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

ENV_PREFIX = "VI_"


class RegionSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    region_code: str = Field(default="local", min_length=1, max_length=32, pattern=r"^[a-z0-9-]+$")
    # Jeugdwet 7.1.4.5: a signal is active at most 2 years.
    active_period_years: int = Field(default=2, ge=1, le=2)
    # Jeugdwet 7.1.4.6: kept 5 years after closing as history, then destroyed.
    archive_period_years: int = Field(default=5, ge=1, le=5)
    # The index is for youths under 23; everything is destroyed on the 23rd birthday.
    age_limit_years: int = Field(default=23, ge=18, le=23)
    # Reconciliation: work the stream has not finished this long after it started is run again
    # by the sweeper (longer than the stream's retries take), at most this many times.
    sweep_after_minutes: int = Field(default=15, ge=5, le=24 * 60)
    sweep_max_attempts: int = Field(default=5, ge=1, le=100)
    # Not in the law: a caller whose placements were refused this often today (unknown BSN,
    # deceased, too old) gets 429 until the next Dutch day, so nobody probes BSNs unseen.
    refusals_per_day: int = Field(default=20, ge=1, le=1000)
    # Days a deactivated professional's active signals may wait for a colleague before the
    # operator's listing calls them overdue.
    handover_days: int = Field(default=14, ge=1, le=90)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RegionSettings:
        env = os.environ if environ is None else environ
        values = {name: env[ENV_PREFIX + name.upper()] for name in cls.model_fields if ENV_PREFIX + name.upper() in env}
        return cls.model_validate(values)
