"""A linked region: the example region with ``national_link.bus_arn`` set, synthesised once.

The region publishes its signal and move events to the national bus and nowhere else, and receives the
national index's answers on its own inbox bus, on which only the national account may put events. The
unlinked case is covered by test_regional_stack.py (no bus, no rule, no PutEvents).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from infra.app import build_app
from infra.config import RegionConfig, load_config
from infra.constructs import matching, national_link
from infra.national_config import LinkedRegion
from tests.infrastructure.templates import (
    Synth,
    as_list,
    event_bus_statements,
    function_by_handler,
    nag_violations,
    render,
    role_of,
    role_permissions,
    statements_of_role,
    synthesise,
)

pytestmark = pytest.mark.infrastructure

REGION_ACCOUNT = "111111111111"
NATIONAL_ACCOUNT = "999999999999"
NATIONAL_BUS_ARN = f"arn:aws:events:eu-central-1:{NATIONAL_ACCOUNT}:event-bus/verwijsindex-national"
OPERATOR_EMAIL = "regie@north.example.nl"
PUBLISH = "national_link.publish.lambda_handler"
INBOX = "national_link.inbox.lambda_handler"
SWEEP = "sweep.handler.lambda_handler"
MATCH = "match.handler.lambda_handler"


def linked_config() -> RegionConfig:
    return RegionConfig.model_validate(
        {
            **load_config().model_dump(),
            "region_code": "north",
            "account": REGION_ACCOUNT,
            "operator_email": OPERATOR_EMAIL,
            "national_link": {"bus_arn": NATIONAL_BUS_ARN},
        }
    )


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synth]:
    outdir = tmp_path_factory.mktemp("cdk.out")
    config = linked_config()
    app, stack = build_app(config, outdir=outdir)
    yield synthesise(app, stack, config, outdir)


def function(synth: Synth, handler: str) -> str:
    return function_by_handler(synth)[handler]


def permissions(synth: Synth, handler: str) -> dict[str, set[str]]:
    return role_permissions(synth, role_of(synth, function(synth, handler)))


def main_table(synth: Synth) -> str:
    tables = synth.of_type("AWS::DynamoDB::Table")
    (lid,) = [lid for lid, res in tables.items() if "StreamSpecification" in res["Properties"]]
    return lid


def audit_table(synth: Synth) -> str:
    (lid,) = [lid for lid in synth.of_type("AWS::DynamoDB::Table") if lid.startswith("DataAuditTable")]
    return lid


def inbox_bus(synth: Synth) -> tuple[str, dict[str, object]]:
    ((lid, res),) = synth.of_type("AWS::Events::EventBus").items()
    return lid, res["Properties"]


# --- the whole stack -------------------------------------------------------------------------


def test_cdk_nag_reports_no_unacknowledged_finding(synth: Synth) -> None:
    assert nag_violations(synth) == []
    assert synth.synth_error is None


def test_every_function_knows_the_national_bus_and_the_operator(synth: Synth) -> None:
    functions = function_by_handler(synth)
    assert {PUBLISH, INBOX} <= set(functions)
    for lid in functions.values():
        env = synth.props(lid)["Environment"]["Variables"]
        assert env["NATIONAL_BUS_ARN"] == NATIONAL_BUS_ARN
        assert env["OPERATOR_EMAIL"] == OPERATOR_EMAIL
        assert env["VI_REGION_CODE"] == "north"
        assert "NATIONAL_LINK_BASE_URL" not in env
    assert synth.props(functions[PUBLISH])["Environment"]["Variables"]["POWERTOOLS_SERVICE_NAME"] == "national-publish"
    assert synth.props(functions[INBOX])["Environment"]["Variables"]["POWERTOOLS_SERVICE_NAME"] == "national-inbox"


def test_only_the_publisher_and_the_sweeper_put_events_and_only_on_the_national_bus(synth: Synth) -> None:
    # The sweeper publishes what the publisher's stream gave up on, through the same code.
    allowed = {role_of(synth, function(synth, PUBLISH)), role_of(synth, function(synth, SWEEP))}
    putting = set()
    for res in synth.of_type("AWS::IAM::Policy").values():
        for statement in res["Properties"]["PolicyDocument"]["Statement"]:
            events_actions = {a for a in as_list(statement["Action"]) if a.startswith("events:")}
            if events_actions:
                (role,) = res["Properties"]["Roles"]
                putting.add(role["Ref"])
                assert events_actions == {"events:PutEvents"}
                assert statement["Resource"] == NATIONAL_BUS_ARN
    assert putting == allowed


# --- publish: the stream -> the national bus ---------------------------------------------------


def test_the_publisher_reads_signals_and_moves_from_the_stream(synth: Synth) -> None:
    mappings = {
        res["Properties"]["FunctionName"]["Ref"]: res["Properties"]
        for res in synth.of_type("AWS::Lambda::EventSourceMapping").values()
    }
    assert set(mappings) == {function(synth, PUBLISH), function(synth, "match.handler.lambda_handler")}
    props = mappings[function(synth, PUBLISH)]
    assert props["EventSourceArn"] == {"Fn::GetAtt": [main_table(synth), "StreamArn"]}
    assert props["StartingPosition"] == "TRIM_HORIZON"
    assert props["BatchSize"] == matching.BATCH_SIZE
    assert props["BisectBatchOnFunctionError"] is True
    assert props["MaximumRetryAttempts"] == matching.RETRY_ATTEMPTS
    assert props["MaximumRecordAgeInSeconds"] == matching.MAX_RECORD_AGE.to_seconds()
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["ParallelizationFactor"] == 1
    patterns = [json.loads(f["Pattern"]) for f in props["FilterCriteria"]["Filters"]]
    assert patterns == [
        {"eventName": ["INSERT", "MODIFY"], "dynamodb": {"NewImage": {"entity": {"S": ["signal"]}}}},
        {"eventName": ["REMOVE"], "dynamodb": {"OldImage": {"entity": {"S": ["signal"]}}}},
        {"eventName": ["MODIFY"], "dynamodb": {"NewImage": {"entity": {"S": ["youth"]}}}},
        {"eventName": ["INSERT", "MODIFY"], "dynamodb": {"NewImage": {"entity": {"S": ["statistics"]}}}},
    ]
    queue = props["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]
    assert queue.startswith("NationalLinkPublishFailures")
    assert "KmsMasterKeyId" in synth.props(queue)


def test_the_publisher_role_reads_the_table_and_puts_on_the_national_bus_only(synth: Synth) -> None:
    granted = permissions(synth, PUBLISH)
    table = "${" + main_table(synth) + ".Arn}"
    # GetItem: the PARENTS item and organisation names; Query: a youth's signals (the base table only);
    # UpdateItem: a published signal is no longer outstanding work; DeleteItem: a destroyed signal's
    # tombstone, once its removal is published.
    assert granted[table] == {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
    assert not [r for r in granted if r.startswith(table + "/index/")]
    assert granted[NATIONAL_BUS_ARN] == {"events:PutEvents"}
    assert "${" + audit_table(synth) + ".Arn}" not in granted
    actions = {action for resource_actions in granted.values() for action in resource_actions}
    assert not {a for a in actions if a.split(":")[0] in {"ses", "ssm"}}
    assert {a for a in actions if a.startswith("events:")} == {"events:PutEvents"}
    assert granted["*"] <= {"xray:PutTraceSegments", "xray:PutTelemetryRecords", "dynamodb:ListStreams"}


# --- inbox: the national account -> the inbox bus -> the inbox function --------------------------


def test_a_linked_region_may_write_and_clear_the_tombstones_of_destroyed_signals(synth: Synth) -> None:
    """Every function that destroys a signal writes its tombstone (PutItem, in the destroying
    transaction); the publisher and the sweeper delete it once the removal is published."""
    table = "${" + main_table(synth) + ".Arn}"
    handlers = function_by_handler(synth)
    for handler in (
        "brp_notifications.handler.lambda_handler",
        "brp_changes.handler.lambda_handler",
        "expire.purge.lambda_handler",
        "place_signal.handler.lambda_handler",
        "rights_request.handler.lambda_handler",
    ):
        if handler in handlers:
            assert "dynamodb:PutItem" in permissions(synth, handler).get(table, set()), handler
    for handler in (PUBLISH, SWEEP):
        assert "dynamodb:DeleteItem" in permissions(synth, handler)[table], handler


def test_only_the_national_account_may_put_national_events_on_the_inbox_bus(synth: Synth) -> None:
    bus, props = inbox_bus(synth)
    assert props["Name"] == "verwijsindex-north-national-inbox"
    assert props["Name"] == LinkedRegion(code="north", account=REGION_ACCOUNT, municipalities=["0014"]).inbox_bus_name
    assert "Policy" not in props
    (statement,) = event_bus_statements(synth, bus)
    assert statement["Effect"] == "Allow"
    assert render(statement["Principal"]["AWS"]) == f"arn:aws:iam::{NATIONAL_ACCOUNT}:root"
    assert statement["Action"] == "events:PutEvents"
    assert statement["Resource"] == {"Fn::GetAtt": [bus, "Arn"]}
    assert statement["Condition"] == {"StringEquals": {"events:source": "verwijsindex.national"}}
    synth.template.resource_count_is("AWS::Events::EventBusPolicy", 1)


def test_the_inbox_rule_takes_this_regions_answers_from_the_national_account(synth: Synth) -> None:
    bus, _ = inbox_bus(synth)
    ((rule_id, rule),) = synth.of_type("AWS::Events::Rule").items()
    props = rule["Properties"]
    assert props["EventBusName"] == {"Ref": bus}
    assert props["EventPattern"] == {
        "source": ["verwijsindex.national"],
        "account": [NATIONAL_ACCOUNT],
        "detail-type": ["RemoteMatch", "RemoteSignalDestroyed", "MoveNotice", "NationalTotals"],
        "detail": {"region": ["north"]},
    }
    (target,) = props["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [function(synth, INBOX), "Arn"]}
    assert target["RetryPolicy"] == {
        "MaximumRetryAttempts": national_link.INBOX_RETRY_ATTEMPTS,
        "MaximumEventAgeInSeconds": national_link.INBOX_MAX_EVENT_AGE.to_seconds(),
    }
    queue = target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
    assert queue.startswith("NationalLinkInboxFailures")
    assert "KmsMasterKeyId" in synth.props(queue)
    (permission,) = [
        res["Properties"]
        for res in synth.of_type("AWS::Lambda::Permission").values()
        if res["Properties"]["Principal"] == "events.amazonaws.com"
    ]
    assert permission["FunctionName"] == {"Fn::GetAtt": [function(synth, INBOX), "Arn"]}
    assert permission["SourceArn"] == {"Fn::GetAtt": [rule_id, "Arn"]}
    # A failed invocation is retried twice, then lands in the same queue.
    (invoke_config,) = [
        res["Properties"]
        for res in synth.of_type("AWS::Lambda::EventInvokeConfig").values()
        if res["Properties"]["FunctionName"] == {"Ref": function(synth, INBOX)}
    ]
    assert invoke_config["MaximumRetryAttempts"] == 2
    assert synth.props(function(synth, INBOX))["DeadLetterConfig"] == {"TargetArn": {"Fn::GetAtt": [queue, "Arn"]}}


def test_the_inbox_role_records_remote_matches_audits_and_mails(synth: Synth) -> None:
    granted = permissions(synth, INBOX)
    table = "${" + main_table(synth) + ".Arn}"
    assert granted[table] == {
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",  # the strongly consistent re-read of the local signal
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:DeleteItem",  # forgetting matches with a signal destroyed in another region
        "dynamodb:BatchWriteItem",
    }
    assert granted[table + "/index/GSI1"] == {"dynamodb:Query"}
    assert table + "/index/GSI2" not in granted
    assert granted["${" + audit_table(synth) + ".Arn}"] == {"dynamodb:PutItem"}
    actions = {action for resource_actions in granted.values() for action in resource_actions}
    assert not {a for a in actions if a.split(":")[0] in {"ssm", "events"}}
    assert "ses:SendEmail" in actions
    for statement in statements_of_role(synth, role_of(synth, function(synth, INBOX))):
        if "ses:SendEmail" in as_list(statement["Action"]):
            assert statement["Condition"] == {"StringEquals": {"ses:FromAddress": "noreply@verwijsindex.example.nl"}}
    assert granted["*"] <= {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}


def test_eventbridge_may_use_the_messaging_key_for_this_account_only(synth: Synth) -> None:
    (key,) = [lid for lid in synth.of_type("AWS::KMS::Key") if lid.startswith("KeysMessagingKey")]
    statements = synth.props(key)["KeyPolicy"]["Statement"]
    (events_statement,) = [s for s in statements if s.get("Sid") == "EventBridgeDeadLettersOfThisAccount"]
    assert events_statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert set(events_statement["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey"}
    assert events_statement["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


def test_the_link_is_monitored(synth: Synth) -> None:
    alarms = [res["Properties"] for res in synth.of_type("AWS::CloudWatch::Alarm").values()]
    queues = {
        render(dimension["Value"])
        for alarm in alarms
        if alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
        for dimension in alarm["Dimensions"]
    }
    assert any("NationalLinkPublishFailures" in queue for queue in queues)
    assert any("NationalLinkInboxFailures" in queue for queue in queues)
    # Both stream consumers are watched for falling behind.
    ages = {render(alarm["Dimensions"][0]["Value"]) for alarm in alarms if alarm["MetricName"] == "IteratorAge"}
    assert ages == {"${" + function(synth, PUBLISH) + "}", "${" + function(synth, MATCH) + "}"}
    errors = {render(alarm["Dimensions"][0]["Value"]) for alarm in alarms if alarm["MetricName"] == "Errors"}
    assert "${" + function(synth, PUBLISH) + "}" in errors
    assert "${" + function(synth, INBOX) + "}" in errors
