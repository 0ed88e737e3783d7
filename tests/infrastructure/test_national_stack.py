"""The national stack, synthesised once (with cdk-nag) for two linked regions, north and south.

What must hold: only the listed regional accounts may put events on the national bus (and only
regional events); the national table keeps its entries safely; the national function may do exactly
what it needs; every region's answers go to that region's inbox bus and nowhere else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from infra.app import build_national_app
from infra.config import national_inbox_bus_name
from infra.constructs import national_index
from infra.constructs.data import KMS_WRITE
from infra.national_config import (
    DEFAULT_NATIONAL_CONFIG_FILE,
    REGIONS_PARAMETER_LIMIT,
    REGIONS_PARAMETER_NAME,
    NationalConfig,
    load_national_config,
)
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

NATIONAL_ACCOUNT = "999999999999"
NORTH = {
    "code": "north",
    "account": "111111111111",
    "aws_region": "eu-central-1",
    "display_name": "Regio Noord",
    "municipalities": ["0014", "0034"],
}
SOUTH = {
    "code": "south",
    "account": "222222222222",
    "aws_region": "eu-west-1",
    "display_name": "Regio Zuid",
    "municipalities": ["0772", "0855", "0796"],
}
REGIONS = {"north": NORTH, "south": SOUTH}
HANDLER = "national_index.handler.lambda_handler"
XRAY = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}


def national(**changes: Any) -> dict[str, Any]:
    return {
        "account": NATIONAL_ACCOUNT,
        "operations_email": "beheer@landelijk.example.nl",
        "regions": [NORTH, SOUTH],
        **changes,
    }


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synth]:
    outdir = tmp_path_factory.mktemp("cdk.out")
    config = NationalConfig.model_validate(national())
    app, stack = build_national_app(config, outdir=outdir)
    yield synthesise(app, stack, config, outdir)


def the_bus(synth: Synth) -> str:
    (bus,) = synth.of_type("AWS::Events::EventBus")
    return bus


def the_function(synth: Synth) -> str:
    return function_by_handler(synth)[HANDLER]


def the_table(synth: Synth) -> str:
    (table,) = synth.of_type("AWS::DynamoDB::Table")
    return table


def the_key(synth: Synth) -> str:
    (key,) = synth.of_type("AWS::KMS::Key")
    return key


def the_parameter(synth: Synth) -> str:
    (parameter,) = synth.of_type("AWS::SSM::Parameter")
    return parameter


def inbox_arn(region: dict[str, Any]) -> str:
    name = national_inbox_bus_name(region["code"])
    return f"arn:aws:events:{region['aws_region']}:{region['account']}:event-bus/{name}"


def forwarding_rules(synth: Synth) -> dict[str, dict[str, Any]]:
    """region code -> properties of the rule that forwards its answers."""
    return {
        res["Properties"]["EventPattern"]["detail"]["region"][0]: res["Properties"]
        for res in synth.of_type("AWS::Events::Rule").values()
        if res["Properties"]["EventPattern"]["source"] == ["verwijsindex.national"]
    }


# --- the stack as a whole ------------------------------------------------------------------------


def test_cdk_nag_reports_no_unacknowledged_finding(synth: Synth) -> None:
    assert nag_violations(synth) == []
    assert synth.synth_error is None


def test_the_stack_holds_the_national_index_and_nothing_regional(synth: Synth) -> None:
    assert synth.config.stack_name == "Verwijsindex-National"
    top = {lid for lid in synth.resources}
    for prefix in ("Data", "Bus", "Index", "Monitoring"):
        assert any(lid.startswith(prefix) for lid in top), prefix
    for kind in ("AWS::ApiGateway::RestApi", "AWS::Cognito::UserPool", "AWS::SES::EmailIdentity"):
        synth.template.resource_count_is(kind, 0)
    synth.template.resource_count_is("AWS::Lambda::Function", 1)
    synth.template.resource_count_is("AWS::Lambda::EventSourceMapping", 0)


# --- the bus and who may put events on it ----------------------------------------------------------


def test_the_bus_accepts_regional_events_from_the_listed_accounts_only(synth: Synth) -> None:
    bus = the_bus(synth)
    props = synth.props(bus)
    assert props["Name"] == "verwijsindex-national"
    assert "Policy" not in props
    statements = event_bus_statements(synth, bus)
    assert len(statements) == 2  # one per listed account
    principals = set()
    for statement in statements:
        assert statement["Effect"] == "Allow"
        assert statement["Action"] == "events:PutEvents"
        assert statement["Resource"] == {"Fn::GetAtt": [bus, "Arn"]}
        assert statement["Condition"] == {"StringEquals": {"events:source": "verwijsindex.region"}}
        assert set(statement["Principal"]) == {"AWS"}
        principals.add(render(statement["Principal"]["AWS"]))
    assert principals == {"arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"}
    synth.template.resource_count_is("AWS::Events::EventBusPolicy", 2)


def test_no_resource_policy_lets_anyone_else_put_or_send(synth: Synth) -> None:
    text = json.dumps(synth.json)
    assert "aws:PrincipalOrgID" not in text and "aws:PrincipalOrgPaths" not in text
    for res in synth.of_type("AWS::Events::EventBusPolicy").values():
        assert res["Properties"]["Statement"]["Principal"] not in ("*", {"AWS": "*"})
    for res in synth.of_type("AWS::SQS::QueuePolicy").values():
        for statement in res["Properties"]["PolicyDocument"]["Statement"]:
            if statement["Principal"] in ("*", {"AWS": "*"}):  # only the deny of plain HTTP
                assert statement["Effect"] == "Deny"
                assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
            else:
                assert statement["Principal"] == {"Service": "events.amazonaws.com"}
                assert statement["Action"] == "sqs:SendMessage"
                assert "aws:SourceArn" in json.dumps(statement["Condition"])


def test_a_region_sharing_an_account_is_one_statement() -> None:
    shared = {**SOUTH, "account": NORTH["account"]}
    config = NationalConfig.model_validate(national(regions=[NORTH, shared]))
    assert config.region_accounts == [NORTH["account"]]


# --- the national table and its key ------------------------------------------------------------------


def test_the_national_table(synth: Synth) -> None:
    table = the_table(synth)
    res = synth.resources[table]
    props = res["Properties"]
    assert props["KeySchema"] == [
        {"AttributeName": "PK", "KeyType": "HASH"},
        {"AttributeName": "SK", "KeyType": "RANGE"},
    ]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["DeletionProtectionEnabled"] is True
    assert props["SSESpecification"] == {
        "KMSMasterKeyId": {"Fn::GetAtt": [the_key(synth), "Arn"]},
        "SSEEnabled": True,
        "SSEType": "KMS",
    }
    assert "GlobalSecondaryIndexes" not in props
    assert "StreamSpecification" not in props
    assert res["DeletionPolicy"] == "Retain"
    assert res["UpdateReplacePolicy"] == "Retain"


def test_one_rotating_retained_key_encrypts_table_queues_topic_and_logs(synth: Synth) -> None:
    key = the_key(synth)
    res = synth.resources[key]
    assert res["Properties"]["EnableKeyRotation"] is True
    assert res["DeletionPolicy"] == "Retain"
    for queue in synth.of_type("AWS::SQS::Queue").values():
        assert queue["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key, "Arn"]}
    for topic in synth.of_type("AWS::SNS::Topic").values():
        assert topic["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key, "Arn"]}
    for group in synth.of_type("AWS::Logs::LogGroup").values():
        assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [key, "Arn"]}
        assert group["DeletionPolicy"] == "Retain"
    services = {}
    for statement in res["Properties"]["KeyPolicy"]["Statement"]:
        principal = statement["Principal"]
        if "Service" in principal:
            for service in as_list(principal["Service"]):
                services[render(service)] = statement["Condition"]
    assert set(services) == {"logs.${AWS::Region}.amazonaws.com", "cloudwatch.amazonaws.com", "events.amazonaws.com"}
    assert services["events.amazonaws.com"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


# --- the national function ----------------------------------------------------------------------------


def test_the_function_and_its_environment(synth: Synth) -> None:
    props = synth.props(the_function(synth))
    assert props["Architectures"] == ["arm64"]
    assert props["Runtime"] == synth.config.python_runtime
    assert props["TracingConfig"] == {"Mode": "Active"}
    assert props["LoggingConfig"]["LogFormat"] == "JSON"
    assert any(render(layer).startswith("${SsmParameterValueawsservicepowertools") for layer in props["Layers"])
    env = props["Environment"]["Variables"]
    assert set(env) == {
        "NATIONAL_TABLE_NAME",
        "NATIONAL_BUS_NAME",
        "NATIONAL_REGIONS_PARAMETER",
        "POWERTOOLS_METRICS_NAMESPACE",
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_TRACE_DISABLED",
        "LOG_LEVEL",
    }
    assert env["NATIONAL_TABLE_NAME"] == {"Ref": the_table(synth)}
    assert env["NATIONAL_BUS_NAME"] == {"Ref": the_bus(synth)}  # Ref of a bus is its name
    assert env["POWERTOOLS_METRICS_NAMESPACE"] == "Verwijsindex"
    assert env["POWERTOOLS_SERVICE_NAME"] == "national-index"
    assert env["LOG_LEVEL"] == "INFO"
    assert env["POWERTOOLS_TRACE_DISABLED"] == "true"  # Lambda's segments only, unless code_traces
    # The region list is not in the environment (4 KB for all variables): its parameter's name is.
    assert env["NATIONAL_REGIONS_PARAMETER"] == {"Ref": the_parameter(synth)}  # Ref of a parameter is its name
    assert "NATIONAL_REGIONS" not in env


def test_the_region_list_is_an_advanced_string_parameter(synth: Synth) -> None:
    props = synth.props(the_parameter(synth))
    assert props["Name"] == REGIONS_PARAMETER_NAME == "/verwijsindex/national/regions"
    assert props["Type"] == "String"  # not secret: accounts, names and CBS codes; no key needed to read it
    assert props["Tier"] == "Advanced"
    assert json.loads(props["Value"]) == {
        code: {
            "account": region["account"],
            "display_name": region["display_name"],
            "municipalities": region["municipalities"],
        }
        for code, region in REGIONS.items()
    }
    assert props["Value"] == synth.config.regions_json


def test_the_function_role_is_least_privilege(synth: Synth) -> None:
    role = role_of(synth, the_function(synth))
    (trust,) = synth.props(role)["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert "ManagedPolicyArns" not in synth.props(role)
    granted = role_permissions(synth, role)
    log_group = next(iter(synth.of_type("AWS::Logs::LogGroup")))
    (queue,) = [lid for lid in synth.of_type("AWS::SQS::Queue") if lid.startswith("IndexInboundFailures")]
    # parameter + Ref of the parameter, its name "/verwijsindex/national/regions": exactly that parameter's ARN.
    parameter = f"arn:aws:ssm:eu-central-1:{NATIONAL_ACCOUNT}:parameter${{{the_parameter(synth)}}}"
    assert granted == {
        "${" + the_table(synth) + ".Arn}": {
            "dynamodb:GetItem",
            "dynamodb:BatchGetItem",
            "dynamodb:Query",
            "dynamodb:PutItem",
            "dynamodb:DeleteItem",
            "dynamodb:ConditionCheckItem",
            "dynamodb:UpdateItem",
        },
        "${" + the_key(synth) + ".Arn}": set(KMS_WRITE),
        "${" + the_bus(synth) + ".Arn}": {"events:PutEvents"},
        parameter: {"ssm:GetParameter"},  # that one parameter only, and no kms:Decrypt (a plain String)
        "${" + queue + ".Arn}": {"sqs:SendMessage"},
        "${" + log_group + ".Arn}": {"logs:CreateLogStream", "logs:PutLogEvents"},
        "*": XRAY,
    }
    for statement in statements_of_role(synth, role):
        assert "Condition" not in statement


def test_regional_events_from_listed_accounts_reach_the_function(synth: Synth) -> None:
    (rule_id,) = [lid for lid in synth.of_type("AWS::Events::Rule") if lid.startswith("IndexFromRegions")]
    props = synth.props(rule_id)
    assert props["EventBusName"] == {"Ref": the_bus(synth)}
    assert props["EventPattern"] == {
        "source": ["verwijsindex.region"],
        "account": ["111111111111", "222222222222"],
        "detail-type": ["SignalActivated", "SignalRemoved", "YouthMoved", "StatisticsCounted"],
    }
    (target,) = props["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [the_function(synth), "Arn"]}
    assert target["RetryPolicy"] == {
        "MaximumRetryAttempts": national_index.RETRY_ATTEMPTS,
        "MaximumEventAgeInSeconds": national_index.MAX_EVENT_AGE.to_seconds(),
    }
    queue = target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
    assert queue.startswith("IndexInboundFailures")
    assert synth.props(the_function(synth))["DeadLetterConfig"] == {"TargetArn": {"Fn::GetAtt": [queue, "Arn"]}}
    (permission,) = synth.of_type("AWS::Lambda::Permission").values()
    assert permission["Properties"]["Principal"] == "events.amazonaws.com"
    assert permission["Properties"]["SourceArn"] == {"Fn::GetAtt": [rule_id, "Arn"]}


# --- answers: one forwarding rule per region, to its inbox bus only ------------------------------------


def test_each_regions_answers_go_to_its_inbox_bus(synth: Synth) -> None:
    rules = forwarding_rules(synth)
    assert set(rules) == set(REGIONS)
    synth.template.resource_count_is("AWS::Events::Rule", 1 + len(REGIONS))
    roles = set()
    for code, props in rules.items():
        assert props["EventBusName"] == {"Ref": the_bus(synth)}
        assert props["EventPattern"] == {
            "source": ["verwijsindex.national"],
            "detail-type": ["RemoteMatch", "RemoteSignalDestroyed", "MoveNotice", "NationalTotals"],
            "detail": {"region": [code]},
        }
        (target,) = props["Targets"]
        assert render(target["Arn"]) == inbox_arn(REGIONS[code])
        queue = target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
        assert queue.startswith("BusForwardFailures")
        role = target["RoleArn"]["Fn::GetAtt"][0]
        roles.add(role)
        (trust,) = synth.props(role)["AssumeRolePolicyDocument"]["Statement"]
        assert trust["Principal"] == {"Service": "events.amazonaws.com"}
        assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": NATIONAL_ACCOUNT}}
        assert role_permissions(synth, role) == {inbox_arn(REGIONS[code]): {"events:PutEvents"}}
    assert len(roles) == len(REGIONS)  # a role per region: none can put on another region's inbox
    assert inbox_arn(NORTH) == "arn:aws:events:eu-central-1:111111111111:event-bus/verwijsindex-north-national-inbox"


def test_dead_letters_and_errors_raise_alarms(synth: Synth) -> None:
    alarms = [res["Properties"] for res in synth.of_type("AWS::CloudWatch::Alarm").values()]
    queues = {
        render(alarm["Dimensions"][0]["Value"])
        for alarm in alarms
        if alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
    }
    assert {queue.split(".")[0].lstrip("${") for queue in queues} == set(synth.of_type("AWS::SQS::Queue"))
    assert {alarm["MetricName"] for alarm in alarms} == {"ApproximateNumberOfMessagesVisible", "Errors", "Throttles"}
    topic = next(iter(synth.of_type("AWS::SNS::Topic")))
    for alarm in alarms:
        if alarm["MetricName"] in {"Errors", "Throttles"}:
            continue  # rolled up into one composite alarm
        assert alarm["AlarmActions"] == [{"Ref": topic}]
        assert alarm["OKActions"] == [{"Ref": topic}]
    (composite,) = synth.of_type("AWS::CloudWatch::CompositeAlarm").values()
    assert composite["Properties"]["AlarmActions"] == [{"Ref": topic}]
    synth.template.has_resource_properties(
        "AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "beheer@landelijk.example.nl"}
    )


# --- configuration (no synth) ----------------------------------------------------------------------


def test_the_example_national_config_is_valid() -> None:
    config = load_national_config()
    assert config == load_national_config(DEFAULT_NATIONAL_CONFIG_FILE)
    assert config.bus_name == "verwijsindex-national"
    assert config.aws_region == "eu-central-1"
    assert config.powertools_layer_parameter == "/aws/service/powertools/python/arm64/python3.14/3.37.0"
    assert len(config.regions) >= 1


def test_load_national_config_accepts_a_path_relative_to_the_repository(tmp_path: Path) -> None:
    assert load_national_config("infra/national/example.toml") == load_national_config()
    own = tmp_path / "landelijk.toml"
    example = DEFAULT_NATIONAL_CONFIG_FILE.read_text()
    own.write_text(example.replace('bus_name = "verwijsindex-national"', 'bus_name = "vi-nl"'))
    assert load_national_config(own).bus_name == "vi-nl"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"regions": [NORTH, {**SOUTH, "municipalities": ["0772", "0014"]}]}, "0014 is in two regions"),
        ({"regions": [{**NORTH, "municipalities": ["0014", "0014"]}]}, "listed twice"),
        ({"regions": [NORTH, {**SOUTH, "code": "north"}]}, "unique"),
        ({"regions": [{**NORTH, "account": "11111111111"}]}, "account"),
        ({"regions": [{**NORTH, "account": None}]}, "account"),
        ({"regions": [{k: v for k, v in NORTH.items() if k != "account"}]}, "account"),
        ({"regions": [{**NORTH, "municipalities": ["14"]}]}, "municipalities"),
        ({"regions": [{**NORTH, "municipalities": []}]}, "municipalities"),
        ({"regions": [{**NORTH, "code": "North Holland"}]}, "code"),
        ({"regions": []}, "regions"),
        ({"account": "9999"}, "account"),
        ({"bus_name": "no spaces allowed"}, "bus_name"),
        ({"operations_email": "beheer"}, "operations_email"),
        ({"unknown_setting": True}, "unknown_setting"),
        ({"regions": [{**NORTH, "base_url": "https://x.example.nl"}]}, "base_url"),
    ],
)
def test_invalid_national_settings_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        NationalConfig.model_validate(national(**changes))


def test_the_region_list_must_fit_in_an_advanced_parameter() -> None:
    def regions(count: int, per_region: int) -> list[dict[str, Any]]:
        return [
            {
                "code": f"region-{number:02d}",
                "account": f"{number:012d}",
                "display_name": f"Veiligheidsregio nummer {number}",
                "municipalities": [f"{number * per_region + i:04d}" for i in range(per_region)],
            }
            for number in range(1, count + 1)
        ]

    # The whole country (some 25 regions, some 340 municipalities) fits, though not in an environment.
    country = NationalConfig.model_validate(national(regions=regions(25, 14)))
    assert 4096 < len(country.regions_json.encode()) <= REGIONS_PARAMETER_LIMIT == 8192
    with pytest.raises(ValidationError, match=r"SSM parameter /verwijsindex/national/regions .* 8192 bytes"):
        NationalConfig.model_validate(national(regions=regions(60, 20)))
