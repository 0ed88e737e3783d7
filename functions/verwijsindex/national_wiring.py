"""Composition root of the national index function (the national stack's only Lambda).

Tests and the local run install their own services (fixed clock, in-process bus) instead.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import boto3
from pydantic import BaseModel, ConfigDict, Field, field_validator

from verwijsindex.adapters.dynamo.national_store import NationalStatisticsStore, NationalStore
from verwijsindex.adapters.national_bus import EventBridgePublisher
from verwijsindex.composition import Installed
from verwijsindex.domain.clock import Clock, SystemClock
from verwijsindex.domain.national import LinkedRegion
from verwijsindex.logic.national_index import NationalIndex
from verwijsindex.ports.events import EventPublisher

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class NationalConfig(BaseModel):
    """The national function's environment (pydantic at the boundary)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    table_name: str = Field(alias="NATIONAL_TABLE_NAME", min_length=3)
    bus_name: str = Field(alias="NATIONAL_BUS_NAME", min_length=1)
    regions: dict[str, LinkedRegion] = Field(alias="NATIONAL_REGIONS", min_length=1)

    @field_validator("regions", mode="before")
    @classmethod
    def _json(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> NationalConfig:
        """The regions come from NATIONAL_REGIONS_PARAMETER (an SSM parameter: the whole country's
        municipalities do not fit in Lambda's 4 KB of environment) or, locally, NATIONAL_REGIONS."""
        values = dict(os.environ if environ is None else environ)
        parameter = values.get("NATIONAL_REGIONS_PARAMETER")
        if parameter and "NATIONAL_REGIONS" not in values:
            from aws_lambda_powertools.utilities.parameters import get_parameter

            values["NATIONAL_REGIONS"] = str(get_parameter(parameter, max_age=300))
        return cls.model_validate(values)


@dataclass
class NationalServices:
    config: NationalConfig
    clock: Clock
    dynamodb: DynamoDBClient
    bus: EventPublisher

    @cached_property
    def store(self) -> NationalStore:
        return NationalStore(self.dynamodb, self.config.table_name)

    @cached_property
    def index(self) -> NationalIndex:
        return NationalIndex(
            store=self.store,
            regions=self.config.regions,
            clock=self.clock,
            statistics=NationalStatisticsStore(self.dynamodb, self.config.table_name),
        )


def build(config: NationalConfig | None = None) -> NationalServices:
    config = config or NationalConfig.from_env()
    return NationalServices(
        config=config,
        clock=SystemClock(),
        dynamodb=boto3.client("dynamodb"),
        bus=EventBridgePublisher(boto3.client("events"), config.bus_name),
    )


_services: Installed[NationalServices] = Installed(build)
install = _services.install
current = _services.current
using = _services.using
