"""The regional stack, synthesised once (with cdk-nag) for a region that switches every option on
except the national link (tests/infrastructure/test_national_link.py synthesises a linked region).

Each test names the property of the stack it checks. The template is read as plain JSON next to CDK's
``Template`` assertions, because least-privilege checks need whole policy documents.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Match

from infra.app import build_app
from infra.config import RegionConfig, load_config
from infra.constructs import lifecycle, matching, monitoring, reconciliation, registry, rights, signals
from infra.constructs.api import DOCUMENT_PATH, FORBIDDEN_PREFIX, Route
from tests.infrastructure.templates import (
    Synth,
    as_list,
    function_by_handler,
    nag_violations,
    render,
    role_of,
    role_permissions,
    statements_of_role,
    synthesise,
)

pytestmark = pytest.mark.infrastructure

ACCOUNT = "123456789012"
TRUSTSTORE = "s3://vi-test-truststore/case-systems/truststore.pem"
CASE_SYSTEMS = [
    {"name": "dossier-a", "rate_limit": 5, "burst_limit": 10, "quota_per_day": 50000},
    {"name": "dossier-b", "rate_limit": 20, "burst_limit": 40, "quota_per_day": None},
]
HANDLERS = {
    "place_signal": "place_signal.handler.lambda_handler",
    "registry": "registry.handler.lambda_handler",
    "match": "match.handler.lambda_handler",
    "expire": "expire.handler.lambda_handler",
    "purge": "expire.purge.lambda_handler",
    "brp_notifications": "brp_notifications.handler.lambda_handler",
    "rights_request": "rights_request.handler.lambda_handler",
    "portal": "portal.handler.lambda_handler",
    "sweep": "sweep.handler.lambda_handler",
    "email_events": "email_events.handler.lambda_handler",
}
UNSCOPED_ALLOWED = {"xray:PutTraceSegments", "xray:PutTelemetryRecords", "dynamodb:ListStreams"}


def full_config(layer_dir: Path) -> RegionConfig:
    """The example region with every option switched on."""
    example = load_config()
    return RegionConfig.model_validate(
        {
            **example.model_dump(),
            "account": ACCOUNT,
            "operations_email": "beheer@example.nl",
            "operator_email": "regie@example.nl",
            "api_domain": {
                "domain_name": "api.verwijsindex.example.nl",
                "certificate_arn": f"arn:aws:acm:eu-central-1:{ACCOUNT}:certificate/portal",
            },
            "case_system_api_domain": {
                "domain_name": "koppeling.verwijsindex.example.nl",
                "certificate_arn": f"arn:aws:acm:eu-central-1:{ACCOUNT}:certificate/cases",
                "mtls_truststore_uri": TRUSTSTORE,
                "mtls_truststore_version": "v1",
            },
            "case_systems": CASE_SYSTEMS,
            "dependencies_layer_dir": str(layer_dir),
        }
    )


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synth]:
    layer_dir = tmp_path_factory.mktemp("layer")
    (layer_dir / "python").mkdir()
    (layer_dir / "python" / "placeholder.py").write_text("")
    outdir = tmp_path_factory.mktemp("cdk.out")
    config = full_config(layer_dir)
    app, stack = build_app(config, outdir=outdir)
    yield synthesise(app, stack, config, outdir)


# --- helpers ---------------------------------------------------------------------------------


def tables(synth: Synth) -> dict[str, str]:
    """main / audit / idempotency / sessions -> logical id."""
    found: dict[str, str] = {}
    for lid, res in synth.of_type("AWS::DynamoDB::Table").items():
        keys = {k["AttributeName"] for k in res["Properties"]["KeySchema"]}
        ttl = res["Properties"].get("TimeToLiveSpecification", {}).get("AttributeName")
        if keys == {"id"} and ttl == "ttl":
            found["sessions"] = lid
        elif keys == {"id"}:
            found["idempotency"] = lid
        elif "StreamSpecification" in res["Properties"]:
            found["main"] = lid
        else:
            found["audit"] = lid
    return found


def functions_by_service(synth: Synth) -> dict[str, str]:
    by_handler = {handler: service for service, handler in HANDLERS.items()}
    return {
        by_handler[res["Properties"]["Handler"]]: lid
        for lid, res in synth.of_type("AWS::Lambda::Function").items()
        if res["Properties"].get("Handler") in by_handler
    }


def permissions(synth: Synth, service: str) -> dict[str, set[str]]:
    """rendered resource -> allowed actions, for the role of one function."""
    return role_permissions(synth, role_of(synth, functions_by_service(synth)[service]))


def table_actions(synth: Synth, service: str, table: str, suffix: str = "") -> set[str]:
    arn = "${" + tables(synth)[table] + ".Arn}" + suffix
    return permissions(synth, service).get(arn, set())


# --- 9. cdk-nag ------------------------------------------------------------------------------


def test_cdk_nag_reports_no_unacknowledged_finding(synth: Synth) -> None:
    assert nag_violations(synth) == []
    assert synth.synth_error is None


def test_cdk_nag_runs_and_would_report(tmp_path: Path) -> None:
    """Guard against a silently disabled plugin: a bare queue must be reported."""
    import aws_cdk as cdk
    from aws_cdk import aws_sqs as sqs

    from infra.nag import add_nag

    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Probe")
    sqs.Queue(stack, "Bare")
    add_nag(app)
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    rules = {v["ruleName"] for p in report["pluginReports"] for v in p["violations"]}
    assert {"AwsSolutions-SQS3", "AwsSolutions-SQS4"} <= rules


# --- 1. app, config, constructs ----------------------------------------------------------------


def test_stack_is_parameterised_by_the_region(synth: Synth) -> None:
    env = synth.props(functions_by_service(synth)["place_signal"])["Environment"]["Variables"]
    assert env["VI_REGION_CODE"] == "example"
    assert env["SES_SENDER"] == "noreply@verwijsindex.example.nl"
    assert env["BRP_BASE_URL"] == "https://brp.example.nl/haalcentraal/api/brp"
    assert env["OPERATOR_EMAIL"] == "regie@example.nl"
    assert synth.config.stack_name == "Verwijsindex-example"


def test_an_unlinked_region_has_no_national_link(synth: Synth) -> None:
    for lid in functions_by_service(synth).values():
        env = synth.props(lid)["Environment"]["Variables"]
        assert "NATIONAL_BUS_ARN" not in env
        assert "NATIONAL_LINK_BASE_URL" not in env
    assert not any(lid.startswith("NationalLink") for lid in synth.resources)
    for kind in ("AWS::Events::EventBus", "AWS::Events::EventBusPolicy", "AWS::Events::Rule"):
        synth.template.resource_count_is(kind, 0)
    assert "events:PutEvents" not in json.dumps(synth.json)


def test_constructs_split_by_concern(synth: Synth) -> None:
    top = {lid.split("/")[0] for lid in synth.resources}
    prefixes = {"Keys", "Data", "Email", "Identity", "Api", "Signals", "Registry", "Matching", "Lifecycle", "Rights"}
    for prefix in prefixes | {"Monitoring"}:
        assert any(lid.startswith(prefix) for lid in top), prefix


def test_no_resource_depends_on_docker_or_lookups(synth: Synth) -> None:
    text = json.dumps(synth.json)
    assert "cdk-hnb659fds-container-assets" not in text
    # The only deploy-time lookups are CloudFormation SSM parameters: Powertools' layer and the bootstrap.
    parameters = synth.json["Parameters"]
    assert {p["Type"] for p in parameters.values()} == {"AWS::SSM::Parameter::Value<String>"}
    assert any(p["Default"] == synth.config.powertools_layer_parameter for p in parameters.values())


# --- 2. data ---------------------------------------------------------------------------------


def test_every_table_is_on_demand_encrypted_recoverable_and_retained(synth: Synth) -> None:
    keys = synth.of_type("AWS::KMS::Key")
    found = synth.of_type("AWS::DynamoDB::Table")
    assert len(found) == 4  # main, audit, idempotency, portal sessions
    for lid, res in found.items():
        props = res["Properties"]
        assert props["BillingMode"] == "PAY_PER_REQUEST", lid
        assert props["SSESpecification"]["SSEEnabled"] is True
        assert props["SSESpecification"]["SSEType"] == "KMS"
        assert props["SSESpecification"]["KMSMasterKeyId"]["Fn::GetAtt"][0] in keys
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert props["DeletionProtectionEnabled"] is True
        assert res["DeletionPolicy"] == "Retain"
        assert res["UpdateReplacePolicy"] == "Retain"


def test_main_table_keys_indexes_stream_and_ttl(synth: Synth) -> None:
    synth.template.has_resource_properties(
        "AWS::DynamoDB::Table",
        {
            "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
            "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
            "TimeToLiveSpecification": {"AttributeName": "ttl", "Enabled": True},
            "GlobalSecondaryIndexes": [
                Match.object_like(
                    {
                        "IndexName": "GSI1",
                        "KeySchema": [
                            {"AttributeName": "GSI1PK", "KeyType": "HASH"},
                            {"AttributeName": "GSI1SK", "KeyType": "RANGE"},
                        ],
                    }
                ),
                Match.object_like(
                    {
                        "IndexName": "GSI2",
                        "KeySchema": [
                            {"AttributeName": "GSI2PK", "KeyType": "HASH"},
                            {"AttributeName": "GSI2SK", "KeyType": "RANGE"},
                        ],
                    }
                ),
                Match.object_like(
                    {
                        "IndexName": "GSI3",  # outstanding work, read by the sweeper
                        "KeySchema": [
                            {"AttributeName": "GSI3PK", "KeyType": "HASH"},
                            {"AttributeName": "GSI3SK", "KeyType": "RANGE"},
                        ],
                    }
                ),
            ],
        },
    )


def test_audit_and_idempotency_tables(synth: Synth) -> None:
    found = tables(synth)
    audit = synth.props(found["audit"])
    assert audit["GlobalSecondaryIndexes"][0]["KeySchema"] == [
        {"AttributeName": "actor", "KeyType": "HASH"},
        {"AttributeName": "at", "KeyType": "RANGE"},
    ]
    assert "StreamSpecification" not in audit
    idempotency = synth.props(found["idempotency"])
    assert idempotency["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}


def test_every_key_rotates_and_is_retained(synth: Synth) -> None:
    keys = synth.of_type("AWS::KMS::Key")
    assert len(keys) == 5  # tables, messaging, logs, parameters, transfers
    for lid, res in keys.items():
        assert res["Properties"]["EnableKeyRotation"] is True, lid
        assert res["DeletionPolicy"] == "Retain", lid


def test_transfer_files_wait_encrypted_under_their_own_key_private_and_briefly(synth: Synth) -> None:
    """Files of signals moving in and out: KMS by default, no public access, TLS only, deleted after a
    week, access logged; no function may reach them (the operator's commands use their own role)."""
    buckets = synth.of_type("AWS::S3::Bucket")
    (transfer,) = (lid for lid in buckets if lid.startswith("TransfersBucket"))
    (logs,) = (lid for lid in buckets if lid.startswith("TransfersAccessLogs"))
    props = synth.props(transfer)
    (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    key = rule["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]["Fn::GetAtt"][0]
    assert key.startswith("TransfersTransferKey") and key in synth.of_type("AWS::KMS::Key")
    for lid in (transfer, logs):
        assert synth.props(lid)["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        assert synth.resources[lid]["DeletionPolicy"] == "Retain"
    (expiry,) = props["LifecycleConfiguration"]["Rules"]
    assert expiry["ExpirationInDays"] == 7
    assert props["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": logs}
    policies = [
        p for p in synth.of_type("AWS::S3::BucketPolicy").values() if p["Properties"]["Bucket"] == {"Ref": transfer}
    ]
    (policy,) = policies
    (deny,) = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    for service, lid in functions_by_service(synth).items():
        for statement in statements_of_role(synth, role_of(synth, lid)):
            assert not any(str(a).startswith("s3:") for a in as_list(statement["Action"])), service
    outputs = synth.json["Outputs"]
    assert outputs["TransferBucket"]["Value"] == {"Ref": transfer}
    assert outputs["TransferKeyArn"]["Value"] == {"Fn::GetAtt": [key, "Arn"]}


def test_every_queue_topic_and_log_group_uses_a_customer_managed_key(synth: Synth) -> None:
    keys = synth.of_type("AWS::KMS::Key")

    def key_of(value: Any) -> str:
        return str(value["Fn::GetAtt"][0])

    queues = synth.of_type("AWS::SQS::Queue")
    assert len(queues) == 3  # stream failures, schedule failures, e-mail event failures
    for res in queues.values():
        assert key_of(res["Properties"]["KmsMasterKeyId"]) in keys
    topics = synth.of_type("AWS::SNS::Topic")
    assert len(topics) == 2
    for res in topics.values():
        assert key_of(res["Properties"]["KmsMasterKeyId"]) in keys
    for lid, res in synth.of_type("AWS::Logs::LogGroup").items():
        assert key_of(res["Properties"]["KmsKeyId"]) in keys, lid
        assert res["DeletionPolicy"] == "Retain"


def test_queues_and_topics_refuse_plain_http(synth: Synth) -> None:
    for kind in ("AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy"):
        policies = synth.of_type(kind)
        assert policies
        for res in policies.values():
            denies = [s for s in res["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
            assert any(s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in denies)


# --- 3. functions ------------------------------------------------------------------------------


def test_functions_runtime_architecture_code_layers_logs_tracing(synth: Synth) -> None:
    functions = functions_by_service(synth)
    assert set(functions) == set(HANDLERS)
    code_keys = set()
    for service, lid in functions.items():
        props = synth.props(lid)
        assert props["Runtime"] == synth.config.python_runtime, service
        assert props["Architectures"] == ["arm64"]
        assert props["TracingConfig"] == {"Mode": "Active"}
        assert props["LoggingConfig"]["LogFormat"] == "JSON"
        assert props["LoggingConfig"]["LogGroup"]["Ref"] in synth.of_type("AWS::Logs::LogGroup")
        layers = [render(layer) for layer in props["Layers"]]
        assert any(layer.startswith("${SsmParameterValueawsservicepowertools") for layer in layers)
        assert len(layers) == 2  # Powertools + the configured dependencies layer
        if service != "portal":  # the portal's asset adds Jinja2 and the NL Design System CSS
            code_keys.add(props["Code"]["S3Key"])
        env = props["Environment"]["Variables"]
        assert env["POWERTOOLS_SERVICE_NAME"] == service
        for name in (
            "TABLE_NAME",
            "AUDIT_TABLE_NAME",
            "PSEUDONYM_KEY_PARAMETER",
            "NATIONAL_PSEUDONYM_KEY_PARAMETER",
            "BRP_BASE_URL",
            "BRP_API_KEY_PARAMETER",
            "SES_SENDER",
            "SES_CONFIGURATION_SET",
            "VI_REGION_CODE",
            "POWERTOOLS_METRICS_NAMESPACE",
            "LOG_LEVEL",
        ):
            assert env.get(name), (service, name)
        assert env["BRP_MODE"] == "haal_centraal"
        assert env["POWERTOOLS_TRACE_DISABLED"] == "true"  # Lambda's segments only, unless code_traces
        assert ("IDEMPOTENCY_TABLE_NAME" in env) == (service == "place_signal")
    assert len(code_keys) == 1  # one asset from functions/, shared


def test_one_role_per_function(synth: Synth) -> None:
    roles = [role_of(synth, lid) for lid in functions_by_service(synth).values()]
    assert len(set(roles)) == len(roles)
    for role in roles:
        (trust,) = synth.props(role)["AssumeRolePolicyDocument"]["Statement"]
        assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
        assert "ManagedPolicyArns" not in synth.props(role)


def test_no_function_role_has_a_wildcard_action_or_unscoped_data_access(synth: Synth) -> None:
    for service, lid in functions_by_service(synth).items():
        for statement in statements_of_role(synth, role_of(synth, lid)):
            actions = set(as_list(statement["Action"]))
            resources = [render(r) for r in as_list(statement["Resource"])]
            if "*" in resources:
                assert actions <= UNSCOPED_ALLOWED, (service, actions)
            for action in actions:
                prefix, name = action.split(":")
                assert name != "*" and prefix != "*", (service, action)
                if prefix in {"dynamodb", "ssm", "ses", "sqs", "s3", "lambda", "cognito-idp"}:
                    assert "*" not in name, (service, action)
                assert "*" not in name, (service, action)  # kms:ReEncrypt* and the like included


def test_the_audit_trail_is_append_only(synth: Synth) -> None:
    audit = "${" + tables(synth)["audit"] + ".Arn}"
    forbidden = {"dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLUpdate"}
    for res in synth.of_type("AWS::IAM::Policy").values():
        for statement in res["Properties"]["PolicyDocument"]["Statement"]:
            rendered = [render(r) for r in as_list(statement["Resource"])]
            if any(r.startswith(audit) for r in rendered):
                assert not set(as_list(statement["Action"])) & forbidden
    for service in HANDLERS:
        audit_actions = table_actions(synth, service, "audit")
        # Reading the trail: the rights function's API routes and the console's audit pages.
        readers = {"rights_request", "portal"}
        expected = {"dynamodb:PutItem", "dynamodb:Query"} if service in readers else {"dynamodb:PutItem"}
        assert audit_actions == expected, service
    for service in HANDLERS:
        granted = table_actions(synth, service, "audit", "/index/GSI1")
        assert granted == ({"dynamodb:Query"} if service in {"rights_request", "portal"} else set()), service


READ = {"GetItem", "BatchGetItem", "Query"}
DESTROY = {"DeleteItem", "BatchWriteItem"}
MAIN_TABLE = {
    "place_signal": READ | {"PutItem", "UpdateItem", "ConditionCheckItem"} | DESTROY,
    "registry": READ | {"PutItem", "UpdateItem", "ConditionCheckItem", "DeleteItem"},
    "match": READ | {"PutItem", "UpdateItem"},
    "expire": READ | {"PutItem", "UpdateItem", "ConditionCheckItem"} | DESTROY,
    "purge": READ | {"PutItem", "UpdateItem", "ConditionCheckItem"} | DESTROY,
    "brp_notifications": READ | {"UpdateItem"} | DESTROY,
    "rights_request": READ | {"PutItem", "UpdateItem", "ConditionCheckItem"} | DESTROY,
    "sweep": READ | {"PutItem", "UpdateItem"},
    "email_events": {"PutItem", "UpdateItem"},  # an undeliverable address; a notification `bounced`
}
MAIN_INDEXES = {
    "place_signal": {"GSI1"},
    "registry": {"GSI1"},
    "match": {"GSI1"},
    "expire": {"GSI2"},
    "purge": {"GSI2"},
    "rights_request": {"GSI1", "GSI2", "GSI3"},  # GSI2: the requests of one status; GSI3: stuck work
    "sweep": {"GSI1", "GSI3"},
}


@pytest.mark.parametrize("service", sorted(HANDLERS))
def test_each_role_has_exactly_its_table_actions(synth: Synth, service: str) -> None:
    expected = {f"dynamodb:{action}" for action in MAIN_TABLE[service]}
    assert table_actions(synth, service, "main") == expected
    for index in ("GSI1", "GSI2", "GSI3"):
        on_index = table_actions(synth, service, "main", f"/index/{index}")
        assert on_index == ({"dynamodb:Query"} if index in MAIN_INDEXES.get(service, set()) else set()), index
    idempotency = table_actions(synth, service, "idempotency")
    if service == "place_signal":
        assert idempotency == {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
    else:
        assert idempotency == set()
    granted = permissions(synth, service)
    tables_key = next(r for r in granted if "TablesKey" in r)
    assert "kms:Decrypt" in granted[tables_key]
    stream = "${" + tables(synth)["main"] + ".StreamArn}"
    assert (stream in granted) == (service == "match")


# Only what the code reads: matching, sending and sweeping use stored pseudonyms, never a key or the BRP.
PARAMETERS = {
    "place_signal": {"pseudonym-key", "national-pseudonym-key", "brp-api-key"},
    "rights_request": {"pseudonym-key", "national-pseudonym-key", "brp-api-key"},
    "brp_notifications": {"pseudonym-key", "national-pseudonym-key"},
}
# purge destroys, it never e-mails; the portal sends the console's invitations and objection e-mails
SENDS_EMAIL = {"match", "expire", "rights_request", "sweep", "email_events", "portal"}


@pytest.mark.parametrize("service", sorted(HANDLERS))
def test_each_role_reads_only_its_parameters_and_sends_only_if_it_mails(synth: Synth, service: str) -> None:
    granted = permissions(synth, service)
    parameters = {resource.rsplit("/", 1)[1] for resource, actions in granted.items() if "ssm:GetParameter" in actions}
    assert parameters == PARAMETERS.get(service, set())
    assert all(actions == {"ssm:GetParameter"} for r, actions in granted.items() if ":parameter/" in r)
    sends = [r for r, actions in granted.items() if "ses:SendEmail" in actions]
    assert bool(sends) == (service in SENDS_EMAIL)
    role = role_of(synth, functions_by_service(synth)[service])
    for statement in statements_of_role(synth, role):
        if "ses:SendEmail" in as_list(statement["Action"]):
            assert statement["Condition"] == {"StringEquals": {"ses:FromAddress": "noreply@verwijsindex.example.nl"}}
        if "kms:Decrypt" in as_list(statement["Action"]) and "ParametersKey" in render(statement["Resource"]):
            assert "kms:ViaService" in json.dumps(statement["Condition"])


# --- 4. API ------------------------------------------------------------------------------------


def method_paths(synth: Synth) -> dict[str, list[tuple[str, str, dict[str, Any]]]]:
    """api logical id -> [(HTTP method, full path, properties)]."""
    resources = synth.of_type("AWS::ApiGateway::Resource")

    def path_of(ref: Any) -> str:
        if "Fn::GetAtt" in ref:  # the root resource
            return ""
        lid = ref["Ref"]
        props = resources[lid]["Properties"]
        return path_of(props["ParentId"]) + "/" + str(props["PathPart"])

    found: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for res in synth.of_type("AWS::ApiGateway::Method").values():
        props = res["Properties"]
        found.setdefault(props["RestApiId"]["Ref"], []).append(
            (props["HttpMethod"], path_of(props["ResourceId"]) or "/", props)
        )
    return found


def apis(synth: Synth) -> tuple[str, str]:
    portal = next(lid for lid in synth.of_type("AWS::ApiGateway::RestApi") if lid.startswith("ApiPortalApi"))
    cases = next(lid for lid in synth.of_type("AWS::ApiGateway::RestApi") if "CaseSystem" in lid)
    return portal, cases


def pages_api(synth: Synth) -> str:
    return next(lid for lid in synth.of_type("AWS::ApiGateway::RestApi") if lid.startswith("PortalPages"))


def test_routes_go_to_their_function(synth: Synth) -> None:
    portal, cases = apis(synth)
    paths = method_paths(synth)
    functions = functions_by_service(synth)
    expected_portal = {
        (route.method, route.path, service)
        for service, routes in (
            ("place_signal", signals.ROUTES),
            ("registry", registry.ROUTES),
            ("brp_notifications", lifecycle.BRP_ROUTES),
            ("rights_request", rights.ROUTES),
        )
        for route in routes
    }

    def target(props: dict[str, Any]) -> str:
        uri = render(props["Integration"]["Uri"])
        return next(service for service, lid in functions.items() if "${" + lid + ".Arn}" in uri)

    document_function = function_by_handler(synth)["api_document.handler.lambda_handler"]
    for api in (portal, cases):
        (document,) = [props for m, p, props in paths[api] if (m, p) == ("GET", DOCUMENT_PATH)]
        assert "${" + document_function + ".Arn}" in render(document["Integration"]["Uri"])
        paths[api] = [(m, p, props) for m, p, props in paths[api] if (m, p) != ("GET", DOCUMENT_PATH)]
    assert {(m, p, target(props)) for m, p, props in paths[portal]} == expected_portal
    assert {(m, p, target(props)) for m, p, props in paths[cases]} == {
        (route.method, route.path, "place_signal") for route in signals.ROUTES
    }
    for _, _, props in paths[portal] + paths[cases]:
        assert props["Integration"]["Type"] == "AWS_PROXY"


def test_the_operators_list_of_stuck_work_is_an_operator_route_of_the_rights_function(synth: Synth) -> None:
    portal, cases = apis(synth)
    paths = method_paths(synth)
    (props,) = [props for m, p, props in paths[portal] if (m, p) == ("GET", "/operations/stuck")]
    assert "${" + functions_by_service(synth)["rights_request"] + ".Arn}" in render(props["Integration"]["Uri"])
    assert props["AuthorizationType"] == "COGNITO_USER_POOLS"
    assert not [p for _, p, _ in paths[cases] if p.startswith("/operations")]  # never for case systems
    # It reads the STUCK# partitions of the sparse index: Query there, no Scan anywhere.
    assert table_actions(synth, "rights_request", "main", "/index/GSI3") == {"dynamodb:Query"}
    assert not any("dynamodb:Scan" in actions for actions in permissions(synth, "rights_request").values())


def test_statistics_is_an_operator_route_of_the_rights_function_only_on_the_portal_api(synth: Synth) -> None:
    portal, cases = apis(synth)
    paths = method_paths(synth)
    (method,) = [props for m, p, props in paths[portal] if (m, p) == ("GET", "/statistics")]
    rights_function = functions_by_service(synth)["rights_request"]
    assert "${" + rights_function + ".Arn}" in render(method["Integration"]["Uri"])
    assert method["AuthorizationType"] == "COGNITO_USER_POOLS"
    assert not [p for _, p, _ in paths[cases] if p.startswith("/statistics")]
    # Counters are read with a Query of the main table, which the rights function already has.
    assert "dynamodb:Query" in table_actions(synth, "rights_request", "main")


def test_every_method_is_authorised_and_validated(synth: Synth) -> None:
    portal, cases = apis(synth)
    authorizers = synth.of_type("AWS::ApiGateway::Authorizer")
    assert len(authorizers) == 2
    for res in authorizers.values():
        assert res["Properties"]["Type"] == "COGNITO_USER_POOLS"
        assert res["Properties"]["IdentitySource"] == "method.request.header.Authorization"
    validators = synth.of_type("AWS::ApiGateway::RequestValidator")
    for res in validators.values():
        assert res["Properties"]["ValidateRequestBody"] is True
        assert res["Properties"]["ValidateRequestParameters"] is True
    for api, methods in method_paths(synth).items():
        if api == pages_api(synth):
            continue  # the portal's pages check their server-side session themselves (test_portal_pages_*)
        for method, path, props in methods:
            if (method, path) == ("GET", DOCUMENT_PATH):  # the published contract: no data, no token
                assert props["AuthorizationType"] == "NONE"
                continue
            assert props["AuthorizationType"] == "COGNITO_USER_POOLS", (method, path)
            assert props["AuthorizerId"]["Ref"] in authorizers
            assert props["RequestValidatorId"]["Ref"] in validators
            assert props["RequestParameters"] == {"method.request.header.Authorization": True}
            if api == cases:
                assert props["AuthorizationScopes"] == ["verwijsindex/signals"]
                assert props["ApiKeyRequired"] is True
            else:
                assert "AuthorizationScopes" not in props
    bodies = {(r.method, r.path) for module in (signals, registry, rights) for r in module.ROUTES if r.body}
    for method, path, props in method_paths(synth)[portal]:
        if (method, path) == ("GET", DOCUMENT_PATH):
            continue
        assert ("RequestModels" in props) == ((method, path) in bodies or path == "/brp/notifications")


def test_no_local_path_exists(synth: Synth) -> None:
    assert "_local" not in json.dumps(synth.json)
    for res in synth.of_type("AWS::ApiGateway::Resource").values():
        assert not res["Properties"]["PathPart"].startswith("_")
    for bad in (FORBIDDEN_PREFIX, FORBIDDEN_PREFIX + "/token"):
        with pytest.raises(ValueError, match="_local"):
            Route("POST", bad)


def test_stages_log_throttle_and_trace(synth: Synth) -> None:
    stages = synth.of_type("AWS::ApiGateway::Stage")
    assert len(stages) == 3  # portal API, case-system API, portal pages
    log_groups = synth.of_type("AWS::Logs::LogGroup")
    for res in stages.values():
        props = res["Properties"]
        assert props["TracingEnabled"] is True
        assert render(props["AccessLogSetting"]["DestinationArn"]).split(":log-group:")[1].strip("${}") in log_groups
        access_format = json.loads(props["AccessLogSetting"]["Format"])
        assert {"requestId", "ip", "status"} <= set(access_format)
        if pages_api(synth) not in json.dumps(props["RestApiId"]):  # the pages have no token or key
            assert {"sub", "clientId", "apiKeyId"} <= set(access_format)
        (settings,) = props["MethodSettings"]
        assert settings["LoggingLevel"] == "ERROR"
        assert settings["DataTraceEnabled"] is False
        assert settings["ThrottlingRateLimit"] == synth.config.api_rate_limit
        assert settings["ThrottlingBurstLimit"] == synth.config.api_burst_limit
    synth.template.resource_count_is("AWS::ApiGateway::Account", 1)


def test_a_usage_plan_and_api_key_per_case_system(synth: Synth) -> None:
    _, cases = apis(synth)
    plans = synth.of_type("AWS::ApiGateway::UsagePlan")
    assert len(plans) == len(CASE_SYSTEMS)
    by_name = {res["Properties"]["UsagePlanName"]: res["Properties"] for res in plans.values()}
    for client in CASE_SYSTEMS:
        plan = by_name[f"verwijsindex-example-{client['name']}"]
        assert plan["Throttle"] == {"RateLimit": client["rate_limit"], "BurstLimit": client["burst_limit"]}
        if client["quota_per_day"]:
            assert plan["Quota"] == {"Limit": client["quota_per_day"], "Period": "DAY"}
        else:
            assert "Quota" not in plan
        assert plan["ApiStages"][0]["ApiId"] == {"Ref": cases}
    synth.template.resource_count_is("AWS::ApiGateway::ApiKey", len(CASE_SYSTEMS))
    synth.template.resource_count_is("AWS::ApiGateway::UsagePlanKey", len(CASE_SYSTEMS))


def test_waf_rate_limit_on_both_apis(synth: Synth) -> None:
    (acl_id, acl) = next(iter(synth.of_type("AWS::WAFv2::WebACL").items()))
    props = acl["Properties"]
    assert props["Scope"] == "REGIONAL"
    rate = next(rule for rule in props["Rules"] if "RateBasedStatement" in rule["Statement"])
    assert rate["Action"] == {"Block": {}}
    assert rate["Statement"]["RateBasedStatement"]["Limit"] == synth.config.waf_rate_limit_per_ip
    assert rate["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"
    stages = set(synth.of_type("AWS::ApiGateway::Stage"))
    associated = set()
    for res in synth.of_type("AWS::WAFv2::WebACLAssociation").values():
        assert res["Properties"]["WebACLArn"] == {"Fn::GetAtt": [acl_id, "Arn"]}
        associated.add(next(lid for lid in stages if lid in render(res["Properties"]["ResourceArn"])))
    assert associated == stages
    logging = next(iter(synth.of_type("AWS::WAFv2::LoggingConfiguration").values()))["Properties"]
    assert {"SingleHeader": {"Name": "authorization"}} in logging["RedactedFields"]


def test_custom_domains_and_mutual_tls(synth: Synth) -> None:
    portal, cases = apis(synth)
    domains = {
        res["Properties"]["DomainName"]: res["Properties"]
        for res in synth.of_type("AWS::ApiGateway::DomainName").values()
    }
    assert set(domains) == {"api.verwijsindex.example.nl", "koppeling.verwijsindex.example.nl"}
    mtls = domains["koppeling.verwijsindex.example.nl"]
    assert mtls["MutualTlsAuthentication"] == {
        "TruststoreUri": TRUSTSTORE,
        "TruststoreVersion": "v1",
    }
    assert mtls["SecurityPolicy"] == "TLS_1_2"
    assert mtls["EndpointConfiguration"] == {"Types": ["REGIONAL"]}
    assert "MutualTlsAuthentication" not in domains["api.verwijsindex.example.nl"]
    for api in (portal, cases):  # nobody goes around the custom domain
        assert synth.props(api)["DisableExecuteApiEndpoint"] is True
    synth.template.resource_count_is("AWS::ApiGateway::BasePathMapping", 2)


def test_cognito_groups_org_id_and_case_system_scopes(synth: Synth) -> None:
    pool = next(iter(synth.of_type("AWS::Cognito::UserPool").values()))
    props = pool["Properties"]
    assert props["AdminCreateUserConfig"] == {"AllowAdminCreateUserOnly": True}
    assert props["MfaConfiguration"] == "ON"
    assert props["UserPoolAddOns"] == {"AdvancedSecurityMode": "ENFORCED"}
    assert {
        k: v
        for k, v in next(a for a in props["Schema"] if a["Name"] == "org_id").items()
        if k != "StringAttributeConstraints"
    } == {"AttributeDataType": "String", "Mutable": True, "Name": "org_id"}
    assert pool["DeletionPolicy"] == "Retain"
    groups = {res["Properties"]["GroupName"] for res in synth.of_type("AWS::Cognito::UserPoolGroup").values()}
    assert groups == {"professional", "operator", "brp"}
    synth.template.has_resource_properties(
        "AWS::Cognito::UserPoolResourceServer",
        {"Identifier": "verwijsindex", "Scopes": [Match.object_like({"ScopeName": "signals"})]},
    )
    clients = [res["Properties"] for res in synth.of_type("AWS::Cognito::UserPoolClient").values()]
    machines = [c for c in clients if c.get("AllowedOAuthFlows") == ["client_credentials"]]
    assert len(machines) == len(CASE_SYSTEMS)
    for client in machines:
        assert client["GenerateSecret"] is True
        assert [render(scope) for scope in client["AllowedOAuthScopes"]] == [
            "${" + next(iter(synth.of_type("AWS::Cognito::UserPoolResourceServer"))) + "}/signals"
        ]
    (portal_client,) = [c for c in clients if c.get("AllowedOAuthFlows") == ["code"]]
    assert "custom:org_id" in portal_client["ReadAttributes"]
    assert "custom:org_id" not in portal_client["WriteAttributes"]


# --- 5. matching -------------------------------------------------------------------------------


def test_stream_event_source(synth: Synth) -> None:
    (mapping,) = synth.of_type("AWS::Lambda::EventSourceMapping").values()
    props = mapping["Properties"]
    assert props["FunctionName"] == {"Ref": functions_by_service(synth)["match"]}
    assert props["EventSourceArn"] == {"Fn::GetAtt": [tables(synth)["main"], "StreamArn"]}
    assert props["BatchSize"] == matching.BATCH_SIZE
    assert props["BisectBatchOnFunctionError"] is True
    assert props["MaximumRetryAttempts"] == matching.RETRY_ATTEMPTS
    assert 0 < props["MaximumRetryAttempts"] <= 10
    assert props["MaximumRecordAgeInSeconds"] == matching.MAX_RECORD_AGE.to_seconds()
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    patterns = [json.loads(f["Pattern"]) for f in props["FilterCriteria"]["Filters"]]
    assert patterns == [
        {"eventName": ["INSERT", "MODIFY"], "dynamodb": {"NewImage": {"entity": {"S": ["signal"]}}}},
        {"eventName": ["INSERT"], "dynamodb": {"NewImage": {"entity": {"S": ["notification"]}}}},
    ]
    queue = props["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]
    assert "KmsMasterKeyId" in synth.props(queue)


# --- 6. schedules ------------------------------------------------------------------------------


def test_schedules_run_in_amsterdam_time_with_retries_and_a_dead_letter_queue(synth: Synth) -> None:
    schedules = synth.of_type("AWS::Scheduler::Schedule")
    functions = functions_by_service(synth)
    targets = {}
    for res in schedules.values():
        props = res["Properties"]
        target = props["Target"]
        dlq = target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
        assert "KmsMasterKeyId" in synth.props(dlq)
        assert json.loads(target["Input"])["time"] == "<aws.scheduler.scheduled-time>"
        targets[target["Arn"]["Fn::GetAtt"][0]] = props
    assert set(targets) == {functions["expire"], functions["purge"], functions["sweep"]}
    for job in ("expire", "purge"):
        props = targets[functions[job]]
        assert props["ScheduleExpressionTimezone"] == "Europe/Amsterdam"
        assert props["ScheduleExpression"].startswith("cron(")
        assert props["Target"]["RetryPolicy"] == {
            "MaximumRetryAttempts": lifecycle.SCHEDULE_RETRY_ATTEMPTS,
            "MaximumEventAgeInSeconds": lifecycle.SCHEDULE_MAX_EVENT_AGE.to_seconds(),
        }
    role = next(iter(schedules.values()))["Properties"]["Target"]["RoleArn"]["Fn::GetAtt"][0]
    actions = {a for s in statements_of_role(synth, role) for a in as_list(s["Action"])}
    assert actions == {"lambda:InvokeFunction", "sqs:SendMessage", "kms:GenerateDataKey", "kms:Decrypt"}


def test_the_sweeper_runs_every_few_minutes_within_its_interval(synth: Synth) -> None:
    sweep = functions_by_service(synth)["sweep"]
    (props,) = [
        res["Properties"]
        for res in synth.of_type("AWS::Scheduler::Schedule").values()
        if res["Properties"]["Target"]["Arn"]["Fn::GetAtt"][0] == sweep
    ]
    assert props["ScheduleExpression"] == f"rate({reconciliation.SWEEP_EVERY.to_minutes()} minutes)"
    assert reconciliation.SWEEP_EVERY.to_minutes() <= 10
    assert synth.props(sweep)["Timeout"] < reconciliation.SWEEP_EVERY.to_seconds()
    # It reads only the outstanding-work index (never a Scan) and sends e-mail as the match function does.
    assert table_actions(synth, "sweep", "main", "/index/GSI3") == {"dynamodb:Query"}
    assert not any("dynamodb:Scan" in actions for actions in permissions(synth, "sweep").values())


# --- 7. e-mail ---------------------------------------------------------------------------------


def test_ses_domain_identity_with_dkim_and_event_publishing(synth: Synth) -> None:
    synth.template.has_resource_properties(
        "AWS::SES::EmailIdentity",
        {
            "EmailIdentity": "verwijsindex.example.nl",
            "DkimAttributes": {"SigningEnabled": True},
            "DkimSigningAttributes": {"NextSigningKeyLength": "RSA_2048_BIT"},
            "ConfigurationSetAttributes": Match.any_value(),
        },
    )
    synth.template.has_resource_properties(
        "AWS::SES::ConfigurationSet",
        {"Name": "verwijsindex-example", "DeliveryOptions": {"TlsPolicy": "REQUIRE"}},
    )
    (destination,) = synth.of_type("AWS::SES::ConfigurationSetEventDestination").values()
    event = destination["Properties"]["EventDestination"]
    assert {"bounce", "complaint"} <= set(event["MatchingEventTypes"])
    topic = event["SnsDestination"]["TopicARN"]["Ref"]
    assert "KmsMasterKeyId" in synth.props(topic)


def test_bounces_and_complaints_reach_the_email_events_function_and_no_mailbox(synth: Synth) -> None:
    (destination,) = synth.of_type("AWS::SES::ConfigurationSetEventDestination").values()
    topic = destination["Properties"]["EventDestination"]["SnsDestination"]["TopicARN"]["Ref"]
    subscribers = [
        res["Properties"]
        for res in synth.of_type("AWS::SNS::Subscription").values()
        if res["Properties"]["TopicArn"] == {"Ref": topic}
    ]
    assert [(s["Protocol"], s["Endpoint"]) for s in subscribers] == [
        ("lambda", {"Fn::GetAtt": [functions_by_service(synth)["email_events"], "Arn"]})
    ]
    function = synth.props(functions_by_service(synth)["email_events"])
    assert function["Environment"]["Variables"]["OPERATOR_EMAIL"] == "regie@example.nl"  # the operator is told
    alarms = {
        res["Properties"]["MetricName"]: res["Properties"] for res in synth.of_type("AWS::CloudWatch::Alarm").values()
    }
    for metric, review_rate in (("Reputation.BounceRate", 0.05), ("Reputation.ComplaintRate", 0.001)):
        assert alarms[metric]["Namespace"] == "AWS/SES"
        assert 0 < alarms[metric]["Threshold"] < review_rate
        assert alarms[metric]["AlarmActions"]


# --- 8. monitoring -----------------------------------------------------------------------------


def test_alarms_and_dashboard(synth: Synth) -> None:
    alarms = [res["Properties"] for res in synth.of_type("AWS::CloudWatch::Alarm").values()]
    topic = next(lid for lid in synth.of_type("AWS::SNS::Topic") if "AlarmTopic" in lid)
    by_metric: dict[str, int] = {}
    for alarm in alarms:
        by_metric[alarm["MetricName"]] = by_metric.get(alarm["MetricName"], 0) + 1
        if alarm["MetricName"] in {"Errors", "Throttles"}:
            assert "AlarmActions" not in alarm  # rolled up into the composite alarm
        else:
            assert alarm["AlarmActions"] == [{"Ref": topic}], alarm["MetricName"]
            assert alarm["OKActions"] == [{"Ref": topic}], alarm["MetricName"]  # the all-clear
    assert by_metric["ApproximateNumberOfMessagesVisible"] == 3
    functions = len(HANDLERS) + 1  # and the function that serves GET /openapi.json
    assert by_metric["Errors"] == functions
    assert by_metric["Throttles"] == functions
    assert by_metric["5XXError"] == 3
    assert by_metric["IteratorAge"] == 1
    synth.template.resource_count_is("AWS::CloudWatch::Dashboard", 1)


# --- the portal for professionals ----------------------------------------------------------------

# The portal calls the same use cases as the signals function: the same table and parameter rights;
# its console also lists rights requests by status (GSI2) and the work the sweeper gave up on (GSI3).
MAIN_TABLE["portal"] = MAIN_TABLE["place_signal"]
MAIN_INDEXES["portal"] = {"GSI1", "GSI2", "GSI3"}
PARAMETERS["portal"] = PARAMETERS["place_signal"]


def portal_environment(synth: Synth) -> dict[str, Any]:
    env: dict[str, Any] = synth.props(functions_by_service(synth)["portal"])["Environment"]["Variables"]
    return env


def test_portal_pages_reach_only_the_portal_function_which_checks_the_session(synth: Synth) -> None:
    methods = method_paths(synth)[pages_api(synth)]
    assert {(method, path) for method, path, _ in methods} == {
        ("GET", "/"),
        ("ANY", "/portaal"),
        ("ANY", "/portaal/{proxy+}"),
    }
    portal = functions_by_service(synth)["portal"]
    for _, _, props in methods:
        assert props["AuthorizationType"] == "NONE"  # the function refuses every page without a session
        assert portal in render(props["Integration"]["Uri"])
    env = portal_environment(synth)
    assert env["PORTAL_LOGIN"] == "cognito"  # the local sign-in page never exists in the stack
    associations = [
        render(r["Properties"]["ResourceArn"]) for r in synth.of_type("AWS::WAFv2::WebACLAssociation").values()
    ]
    assert any(pages_api(synth) in arn for arn in associations)


def test_portal_sessions_table_expires_sessions_and_finds_them_by_user(synth: Synth) -> None:
    sessions = synth.props(tables(synth)["sessions"])
    assert sessions["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert sessions["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    (index,) = sessions["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "by_user" and index["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert portal_environment(synth)["SESSION_TABLE_NAME"] == {"Ref": tables(synth)["sessions"]}
    assert table_actions(synth, "portal", "sessions") == {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
    }
    # Only the portal touches the sessions.
    for service in HANDLERS:
        if service != "portal":
            assert table_actions(synth, service, "sessions") == set(), service


def test_portal_session_cookie_and_security_headers_in_the_deployed_function(synth: Synth) -> None:
    """The deployed function's own settings decide cookie and headers: rendered here from the same code."""
    from portal.config import PortalConfig
    from portal.security import security_headers
    from portal.sessions import SESSION_COOKIE
    from portal.sessions import cookie as make_cookie

    env = {k: v if isinstance(v, str) else "resolved-at-deploy" for k, v in portal_environment(synth).items()}
    env.update({"COGNITO_DOMAIN": "https://login.example.org", "PORTAL_PUBLIC_ORIGIN": "https://portaal.example.org"})
    config = PortalConfig.model_validate(env)
    assert config.login == "cognito" and config.session_hours == 8 and config.idle_minutes == 30

    cookie = str(make_cookie(SESSION_COOKIE, "v", config.session_hours * 3600))
    assert cookie.startswith("__Host-") and "; Path=/;" in cookie
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie and "Domain" not in cookie
    headers = security_headers(config)
    assert "script-src 'none'" in headers["Content-Security-Policy"]
    assert "form-action 'self' https://login.example.org" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=63072000")
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"


def test_portal_signs_in_with_managed_login_code_flow_and_required_totp(synth: Synth) -> None:
    (pool,) = synth.of_type("AWS::Cognito::UserPool").values()
    assert pool["Properties"]["MfaConfiguration"] == "ON"
    assert pool["Properties"]["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    (domain,) = synth.of_type("AWS::Cognito::UserPoolDomain").values()
    assert domain["Properties"]["ManagedLoginVersion"] == 2
    clients = synth.of_type("AWS::Cognito::UserPoolClient")
    portal_client = next(
        c["Properties"] for c in clients.values() if c["Properties"].get("ClientName", "").endswith("-portal")
    )
    assert portal_client["AllowedOAuthFlows"] == ["code"]
    assert portal_client["GenerateSecret"] is False  # a public client: PKCE instead of a secret in the function
    assert any(render(url).endswith("/portaal/callback") for url in portal_client["CallbackURLs"])
    assert [render(url) for url in portal_client["LogoutURLs"]] == [
        next(render(url) for url in portal_client["CallbackURLs"]).replace("/callback", "/inloggen")
    ]
    (branding,) = synth.of_type("AWS::Cognito::ManagedLoginBranding").values()
    assert branding["Properties"]["UseCognitoProvidedValues"] is True
    env = portal_environment(synth)
    assert render(env["COGNITO_CLIENT_ID"]).startswith("${IdentityUserPoolPortalClient")
    sign_out = [
        s
        for s in statements_of_role(synth, role_of(synth, functions_by_service(synth)["portal"]))
        if "cognito-idp:AdminUserGlobalSignOut" in as_list(s["Action"])
    ]
    assert len(sign_out) == 1 and "IdentityUserPool" in render(sign_out[0]["Resource"])


def test_portal_code_carries_jinja2_and_the_design_system_css() -> None:
    from infra.constructs.portal_bundle import PortalBundling

    with __import__("tempfile").TemporaryDirectory() as out:
        assert PortalBundling("python3.14").try_bundle(out, image=None)  # type: ignore[arg-type]
        root = Path(out)
        assert (root / "jinja2" / "__init__.py").is_file() and (root / "markupsafe" / "__init__.py").is_file()
        assert not list(root.rglob("*.so"))  # compiled for this machine, not for arm64 Lambda
        assert ".utrecht-button" in (root / "portal/static/vendor/components.css").read_text()
        assert "--utrecht-" in (root / "portal/static/vendor/theme.css").read_text()
        assert (root / "portal/templates/layout.html").is_file() and (root / "portal/handler.py").is_file()


def test_function_errors_and_throttles_raise_one_composite_alarm(synth: Synth) -> None:
    (composite,) = [res["Properties"] for res in synth.of_type("AWS::CloudWatch::CompositeAlarm").values()]
    topic = next(lid for lid in synth.of_type("AWS::SNS::Topic") if "AlarmTopic" in lid)
    assert composite["AlarmActions"] == [{"Ref": topic}] and composite["OKActions"] == [{"Ref": topic}]
    rule = json.dumps(composite["AlarmRule"])
    per_function = [
        lid
        for lid, res in synth.of_type("AWS::CloudWatch::Alarm").items()
        if res["Properties"]["MetricName"] in {"Errors", "Throttles"}
    ]
    assert len(per_function) == 2 * (len(HANDLERS) + 1)  # and the function that serves GET /openapi.json
    assert all(lid in rule for lid in per_function)


def test_heartbeats_alarm_when_a_job_has_not_completed_in_26_hours(synth: Synth) -> None:
    alarms = {
        res["Properties"]["MetricName"]: res["Properties"] for res in synth.of_type("AWS::CloudWatch::Alarm").values()
    }
    for job in ("ExpireCompleted", "PurgeCompleted", "SweepCompleted"):
        alarm = alarms[job]
        assert alarm["Namespace"] == monitoring.CUSTOM_NAMESPACE
        assert alarm["Dimensions"] == [{"Name": "service", "Value": "verwijsindex"}]
        assert alarm["Statistic"] == "Sum" and alarm["Period"] == 26 * 3600
        assert alarm["EvaluationPeriods"] == 1
        assert alarm["ComparisonOperator"] == "LessThanThreshold" and alarm["Threshold"] == 1
        assert alarm["TreatMissingData"] == "breaching"  # a job that never ran alarms too


def test_the_custom_failure_metrics_alarm(synth: Synth) -> None:
    alarms = {
        res["Properties"]["MetricName"]: res["Properties"] for res in synth.of_type("AWS::CloudWatch::Alarm").values()
    }
    for metric in ("WorkStuck", "RenewalEmailsFailed"):
        assert alarms[metric]["Namespace"] == monitoring.CUSTOM_NAMESPACE
        assert alarms[metric]["ComparisonOperator"] == "GreaterThanThreshold" and alarms[metric]["Threshold"] == 0


def test_the_committed_openapi_documents_list_every_deployed_route(synth: Synth) -> None:
    from infra.openapi import CASE_SYSTEMS, REGIONAL

    def operations(document: Path) -> set[tuple[str, str]]:
        paths = json.loads(document.read_text(encoding="utf-8"))["paths"]
        return {(method.upper(), path) for path, methods in paths.items() for method in methods}

    portal, cases = apis(synth)
    deployed = method_paths(synth)
    document = {("GET", DOCUMENT_PATH)}
    assert {(method, path) for method, path, _ in deployed[portal]} == operations(REGIONAL) | document
    assert {(method, path) for method, path, _ in deployed[cases]} == operations(CASE_SYSTEMS) | document
    stages = [synth.props(lid) for lid in synth.of_type("AWS::ApiGateway::Stage")]
    variables = {props["Variables"]["document"] for props in stages if props["RestApiId"]["Ref"] in (portal, cases)}
    assert variables == {"regional", "case-systems"}


def test_what_api_gateway_answers_itself_is_a_problem(synth: Synth) -> None:
    expected = {
        "UNAUTHORIZED": "401",
        "ACCESS_DENIED": "403",
        "INVALID_API_KEY": "403",
        "BAD_REQUEST_BODY": "400",
        "THROTTLED": "429",
        "QUOTA_EXCEEDED": "429",
        "MISSING_AUTHENTICATION_TOKEN": "404",
    }
    responses = [res["Properties"] for res in synth.of_type("AWS::ApiGateway::GatewayResponse").values()]
    assert len(responses) == 2 * len(expected)
    for props in responses:
        status = expected[props["ResponseType"]]
        assert props["StatusCode"] == status
        assert props["ResponseParameters"] == {"gatewayresponse.header.Content-Type": "'application/problem+json'"}
        template = props["ResponseTemplates"]["application/json"]
        assert '"type": "about:blank"' in template and f'"status": {status}' in template


def test_a_caller_past_the_refusal_limit_raises_an_alarm(synth: Synth) -> None:
    [alarm] = [
        res["Properties"]
        for res in synth.of_type("AWS::CloudWatch::Alarm").values()
        if res["Properties"]["MetricName"] == "RefusalLimitReached"
    ]
    assert alarm["Namespace"] == "Verwijsindex"
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "verwijsindex"}]
    assert (alarm["Statistic"], alarm["Threshold"], alarm["ComparisonOperator"]) == (
        "Sum",
        0,
        "GreaterThanThreshold",
    )
    assert alarm["AlarmActions"]


def test_only_the_registry_and_the_console_manage_accounts_and_only_in_their_own_pool(synth: Synth) -> None:
    [pool] = synth.of_type("AWS::Cognito::UserPool")
    for service, lid in functions_by_service(synth).items():
        cognito = [
            (sorted(as_list(statement["Action"])), [render(r) for r in as_list(statement["Resource"])])
            for statement in statements_of_role(synth, role_of(synth, lid))
            if any(str(action).startswith("cognito-idp:") for action in as_list(statement["Action"]))
        ]
        env = synth.props(lid)["Environment"]["Variables"]
        if service == "registry":
            assert cognito == [
                (["cognito-idp:AdminDisableUser", "cognito-idp:AdminUserGlobalSignOut"], ["${" + pool + ".Arn}"])
            ]
            assert env["USER_POOL_ID"] == {"Ref": pool}
        elif service == "portal":
            # Signing its own user out; the console's invitation (account in the professional
            # group) and deactivation. No reads of users, no deletes, no attribute changes.
            assert sorted(cognito) == [
                (
                    ["cognito-idp:AdminAddUserToGroup", "cognito-idp:AdminCreateUser", "cognito-idp:AdminDisableUser"],
                    ["${" + pool + ".Arn}"],
                ),
                (["cognito-idp:AdminUserGlobalSignOut"], ["${" + pool + ".Arn}"]),
            ]
            assert env["USER_POOL_ID"] == {"Ref": pool}
        else:
            assert cognito == [], service
