"""The region configuration (infra/config.py): what an operator can get wrong is refused before any synth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from infra.config import DEFAULT_CONFIG_FILE, RegionConfig, load_config

pytestmark = pytest.mark.infrastructure

NATIONAL_BUS_ARN = "arn:aws:events:eu-central-1:999999999999:event-bus/verwijsindex-national"


def example(**changes: Any) -> dict[str, Any]:
    return {**load_config().model_dump(), **changes}


def test_the_example_region_is_valid() -> None:
    config = load_config()
    assert config.region_code == "example"
    assert config.stack_name == "Verwijsindex-example"
    assert config.sender_address == "noreply@verwijsindex.example.nl"
    assert config.secure_parameter_names == (
        "/verwijsindex/example/pseudonym-key",
        "/verwijsindex/example/national-pseudonym-key",
        "/verwijsindex/example/brp-api-key",
    )
    assert config.powertools_layer_parameter == "/aws/service/powertools/python/arm64/python3.14/3.37.0"
    assert config.retention.active_period_years == 2
    assert config.retention.archive_period_years == 5
    assert config.retention.age_limit_years == 23


def test_load_config_accepts_a_path_relative_to_the_repository(tmp_path: Path) -> None:
    assert load_config("infra/regions/example.toml") == load_config(DEFAULT_CONFIG_FILE)
    own = tmp_path / "noord.toml"
    own.write_text(DEFAULT_CONFIG_FILE.read_text().replace('region_code = "example"', 'region_code = "noord"'))
    assert load_config(own).stack_name == "Verwijsindex-noord"


@pytest.mark.parametrize(
    "changes",
    [
        {"region_code": "Noord Holland"},
        {"brp_base_url": "http://brp.example.nl"},
        {"sender_domain": "not a domain"},
        {"retention": {"active_period_years": 3}},
        {"retention": {"archive_period_years": 6}},
        {"retention": {"age_limit_years": 24}},
        {"case_systems": [{"name": "same"}, {"name": "same"}]},
        {"case_systems": [{"name": "a-b", "rate_limit": 0}]},
        {"pseudonym_key_parameter": "no-leading-slash"},
        {"portal_callback_urls": ["http://insecure.example.nl/cb"]},
        {"national_link": {"base_url": "https://landelijk.example.nl"}},  # replaced by bus_arn
        {"national_link": {"bus_arn": "arn:aws:sqs:eu-central-1:123456789012:verwijsindex-national"}},
        {"national_link": {"bus_arn": "arn:aws:events:eu-central-1:1234:event-bus/verwijsindex-national"}},
        {"national_link": {"bus_arn": "arn:aws:events:eu-central-1:123456789012:rule/verwijsindex-national"}},
        {"national_link": {"bus_arn": NATIONAL_BUS_ARN, "national_account": "12345"}},
        {"national_link": {"national_account": "123456789012"}},  # an account without a bus links nothing
        {"operator_email": "regievoerder"},
        {"account": "12345"},
        {"unknown_setting": True},
        {
            "case_system_api_domain": {
                "domain_name": "koppeling.example.nl",
                "certificate_arn": "arn:aws:acm:eu-central-1:123456789012:certificate/x",
                "mtls_truststore_uri": "https://bucket/truststore.pem",
            }
        },
    ],
)
def test_invalid_settings_are_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        RegionConfig.model_validate(example(**changes))


def test_parameter_names_can_be_chosen() -> None:
    config = RegionConfig.model_validate(
        example(
            pseudonym_key_parameter="/vi/noord/key",
            brp_api_key_parameter="/vi/noord/brp",
            national_link={"pseudonym_key_parameter": "/vi/national/key"},
        )
    )
    assert config.secure_parameter_names == ("/vi/noord/key", "/vi/national/key", "/vi/noord/brp")


def test_the_example_region_is_not_linked() -> None:
    config = load_config()
    assert config.national_link.linked is False
    assert config.national_link.bus_arn is None
    assert config.national_link.account is None
    assert config.operator_email is None


def test_a_linked_region_knows_the_national_account_and_its_inbox() -> None:
    config = RegionConfig.model_validate(
        example(region_code="noord", national_link={"bus_arn": NATIONAL_BUS_ARN}, operator_email="regie@noord.nl")
    )
    assert config.national_link.linked is True
    assert config.national_link.account == "999999999999"  # the account that owns the bus
    assert config.national_inbox_bus_name == "verwijsindex-noord-national-inbox"
    assert config.operator_email == "regie@noord.nl"
    own = RegionConfig.model_validate(
        example(national_link={"bus_arn": NATIONAL_BUS_ARN, "national_account": "888888888888"})
    )
    assert own.national_link.account == "888888888888"
