"""The national function's configuration, as the national stack provides it."""

from __future__ import annotations

import json

import boto3
import pytest
from pydantic import ValidationError

from verwijsindex.config import RuntimeConfig
from verwijsindex.national_wiring import NationalConfig

REGIONS = {
    "north": {"account": "111111111111", "display_name": "Noord", "municipalities": ["0014"]},
    "south": {"account": "222222222222", "display_name": "Zuid", "municipalities": ["0772", "0855"]},
}


def test_the_regions_come_from_an_ssm_parameter_in_the_stack(aws: None) -> None:
    boto3.client("ssm").put_parameter(
        Name="/verwijsindex/national/regions", Value=json.dumps(REGIONS), Type="String", Tier="Advanced"
    )
    config = NationalConfig.from_env(
        {
            "NATIONAL_TABLE_NAME": "verwijsindex-national",
            "NATIONAL_BUS_NAME": "verwijsindex-national",
            "NATIONAL_REGIONS_PARAMETER": "/verwijsindex/national/regions",
        }
    )
    assert config.regions["south"].municipalities == ("0772", "0855")
    assert config.regions["north"].account == "111111111111"


def test_a_region_list_with_mistakes_is_refused() -> None:
    base = {"NATIONAL_TABLE_NAME": "verwijsindex-national", "NATIONAL_BUS_NAME": "bus"}
    for regions in ({}, {"north": {**REGIONS["north"], "account": "1111"}}, {"north": {**REGIONS["north"], "x": 1}}):
        with pytest.raises(ValidationError):
            NationalConfig.from_env({**base, "NATIONAL_REGIONS": json.dumps(regions)})


def test_a_region_is_linked_only_by_a_national_bus_arn() -> None:
    base = {
        "TABLE_NAME": "main",
        "AUDIT_TABLE_NAME": "audit",
        "PSEUDONYM_KEY": "k" * 16,
        "NATIONAL_PSEUDONYM_KEY": "n" * 16,
    }
    arn = "arn:aws:events:eu-central-1:999999999999:event-bus/verwijsindex-national"
    assert RuntimeConfig.from_env({**base, "NATIONAL_BUS_ARN": arn}).national_bus_arn == arn
    assert RuntimeConfig.from_env(base).national_bus_arn == ""
    with pytest.raises(ValidationError):
        RuntimeConfig.from_env({**base, "NATIONAL_BUS_ARN": "https://landelijk.example.nl"})
