"""Pseudonym keys as deployed: SSM SecureStrings read through Powertools Parameters on first use."""

from __future__ import annotations

import boto3
import pytest

from verwijsindex.adapters.pseudonym import Pseudonymiser, ssm_key, static_key


@pytest.mark.usefixtures("aws")
def test_a_key_in_ssm_gives_the_same_pseudonyms_as_the_same_key_given_directly() -> None:
    value = "ssm-regional-key-0123456789"
    boto3.client("ssm").put_parameter(Name="/test/pseudonym-key", Value=value, Type="SecureString")
    national = static_key("national-key-0123456789")
    from_ssm = Pseudonymiser(ssm_key("/test/pseudonym-key"), national)
    direct = Pseudonymiser(static_key(value), national)
    assert from_ssm.regional("999990469") == direct.regional("999990469")
    assert from_ssm.regional("999990469") != Pseudonymiser(static_key("another-key-0123456789"), national).regional(
        "999990469"
    )
