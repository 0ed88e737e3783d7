"""A region connected to RvIG: OAuth2 with a client certificate, and the BRP Update API poller.

Synthesised once (with cdk-nag): the poller's schedule, the secret parameters for certificate,
key and client secret, what each function is told about the BRP, and the poller's least-privilege
role. The region of test_regional_stack.py (an API key, no Update API) has no poller.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infra.app import build_app
from infra.config import RegionConfig, load_config
from infra.constructs import lifecycle
from infra.constructs.brp_changes import BRP_CHANGES_HANDLER
from tests.infrastructure.templates import (
    Synth,
    as_list,
    nag_violations,
    role_of,
    role_permissions,
    statements_of_role,
    synthesise,
)

pytestmark = pytest.mark.infrastructure

RVIG = {
    "brp_base_url": "https://brp.diginetwerk.example/haalcentraal/api/brp",
    "brp_auth": "oauth2",
    "brp_token_url": "https://auth.diginetwerk.example/token",
    "brp_client_id": "verwijsindex-example",
    "brp_scope": "brp-bevragen brp-update",
    "brp_mutual_tls": True,
    "brp_update_base_url": "https://brp.diginetwerk.example/haalcentraal/api/brpupdate",
    "brp_changes_hour": 6,
}
SECRETS = {"brp-client-secret", "brp-client-certificate", "brp-client-key"}


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synth]:
    outdir = tmp_path_factory.mktemp("cdk.out")
    config = RegionConfig.model_validate({**load_config().model_dump(), **RVIG})
    app, stack = build_app(config, outdir=outdir)
    yield synthesise(app, stack, config, outdir)


def _function(synth: Synth, handler: str) -> str:
    (lid,) = [
        lid
        for lid, res in synth.of_type("AWS::Lambda::Function").items()
        if res["Properties"].get("Handler") == handler
    ]
    return lid


def _parameters(synth: Synth, function_id: str) -> set[str]:
    granted = role_permissions(synth, role_of(synth, function_id))
    return {r.rsplit("/", 1)[1] for r, actions in granted.items() if "ssm:GetParameter" in actions}


def test_cdk_nag_reports_no_unacknowledged_finding(synth: Synth) -> None:
    assert synth.synth_error is None, nag_violations(synth)


def test_the_poller_runs_daily_at_its_hour_in_amsterdam_with_retries_and_a_dead_letter_queue(synth: Synth) -> None:
    poller = _function(synth, BRP_CHANGES_HANDLER)
    (schedule,) = [
        res["Properties"]
        for res in synth.of_type("AWS::Scheduler::Schedule").values()
        if res["Properties"]["Target"]["Arn"]["Fn::GetAtt"][0] == poller
    ]
    assert schedule["ScheduleExpression"] == "cron(30 6 * * ? *)"
    assert schedule["ScheduleExpressionTimezone"] == "Europe/Amsterdam"
    target = schedule["Target"]
    assert target["RetryPolicy"] == {
        "MaximumRetryAttempts": lifecycle.SCHEDULE_RETRY_ATTEMPTS,
        "MaximumEventAgeInSeconds": lifecycle.SCHEDULE_MAX_EVENT_AGE.to_seconds(),
    }
    assert "KmsMasterKeyId" in synth.props(target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0])
    assert '"time":"<aws.scheduler.scheduled-time>"' in target["Input"].replace(" ", "")


def test_functions_that_reach_the_brp_read_the_certificate_key_and_client_secret_only(synth: Synth) -> None:
    for handler in ("place_signal.handler.lambda_handler", "rights_request.handler.lambda_handler"):
        assert _parameters(synth, _function(synth, handler)) == {"pseudonym-key", "national-pseudonym-key"} | SECRETS
    assert (
        _parameters(synth, _function(synth, BRP_CHANGES_HANDLER))
        == {
            "pseudonym-key",
            "national-pseudonym-key",
        }
        | SECRETS
    )
    # A region on OAuth2 has no API key to read.
    assert all(
        "brp-api-key" not in _parameters(synth, lid)
        for lid in synth.of_type("AWS::Lambda::Function")
        if "Role" in synth.props(lid)
    )


def test_the_functions_are_told_how_to_connect_but_never_a_secret(synth: Synth) -> None:
    env = synth.props(_function(synth, BRP_CHANGES_HANDLER))["Environment"]["Variables"]
    assert {k: v for k, v in env.items() if k.startswith("BRP_")} == {
        "BRP_MODE": "haal_centraal",
        "BRP_BASE_URL": RVIG["brp_base_url"],
        "BRP_AUTH": "oauth2",
        "BRP_TOKEN_URL": RVIG["brp_token_url"],
        "BRP_CLIENT_ID": RVIG["brp_client_id"],
        "BRP_SCOPE": RVIG["brp_scope"],
        "BRP_CLIENT_SECRET_PARAMETER": "/verwijsindex/example/brp-client-secret",
        "BRP_CLIENT_CERTIFICATE_PARAMETER": "/verwijsindex/example/brp-client-certificate",
        "BRP_CLIENT_KEY_PARAMETER": "/verwijsindex/example/brp-client-key",
        "BRP_UPDATE_BASE_URL": RVIG["brp_update_base_url"],
    }


def test_the_poller_role_has_least_privilege(synth: Synth) -> None:
    role = role_of(synth, _function(synth, BRP_CHANGES_HANDLER))
    granted = role_permissions(synth, role)
    main = next(r for r in granted if r.endswith(".Arn}") and "Table" in r and "Audit" not in r)
    assert granted[main] == {
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
    }
    actions = {a for s in statements_of_role(synth, role) for a in as_list(s["Action"])}
    assert not any(a.startswith(("ses:", "sqs:ReceiveMessage", "events:")) for a in actions)
    assert "*" not in actions and not any(a.endswith(":*") for a in actions)
    assert not any("/index/" in r for r in granted)  # no index: it reads markers by key
    audit = [r for r in granted if "Audit" in r]
    assert audit and all(granted[r] <= {"dynamodb:PutItem", "kms:Decrypt", "kms:GenerateDataKey"} for r in audit)


def test_a_misconfigured_brp_link_alarms(synth: Synth) -> None:
    (alarm,) = [
        res["Properties"]
        for res in synth.of_type("AWS::CloudWatch::Alarm").values()
        if res["Properties"]["MetricName"] == "BrpLinkMisconfigured"
    ]
    assert alarm["Namespace"] == "Verwijsindex" and alarm["AlarmActions"]
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "verwijsindex"}]
