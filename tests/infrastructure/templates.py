"""What the infrastructure tests share: one synth of an app (with cdk-nag), its template read as JSON.

The template is read as plain JSON next to CDK's ``Template`` assertions, because least-privilege checks
need whole policy documents.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import App, Stack
from aws_cdk.assertions import Template


@dataclass(frozen=True)
class Synth:
    config: Any  # the RegionConfig or NationalConfig the stack was built from
    template: Template
    json: dict[str, Any]
    report: dict[str, Any]
    synth_error: str | None

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        resources: dict[str, dict[str, Any]] = self.json["Resources"]
        return resources

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {lid: res for lid, res in self.resources.items() if res["Type"] == kind}

    def props(self, logical_id: str) -> dict[str, Any]:
        props: dict[str, Any] = self.resources[logical_id].get("Properties", {})
        return props


def synthesise(app: App, stack: Stack, config: Any, outdir: Path) -> Synth:
    """Synthesise ``app`` once; a cdk-nag violation is kept as ``synth_error`` for the nag test to report."""
    error = None
    try:
        app.synth()
    except RuntimeError as exc:  # the nag plugin reports violations by failing the synth
        error = str(exc)
    template_json = json.loads((outdir / f"{stack.stack_name}.template.json").read_text())
    report = json.loads((outdir / "validation-report.json").read_text())
    return Synth(config, Template.from_json(template_json), template_json, report, error)


def nag_violations(synth: Synth) -> list[str]:
    return [
        f"{violation['ruleName']} at {construct['constructPath']}"
        for plugin in synth.report["pluginReports"]
        for violation in plugin.get("violations", [])
        for construct in violation.get("violatingConstructs", [])
    ]


def render(value: Any) -> str:
    """An intrinsic as readable text: {"Fn::GetAtt": ["T", "Arn"]} -> "${T.Arn}"."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if "Ref" in value:
            return "${" + str(value["Ref"]) + "}"
        if "Fn::GetAtt" in value:
            return "${" + ".".join(value["Fn::GetAtt"]) + "}"
        if "Fn::Join" in value:
            separator, parts = value["Fn::Join"]
            return str(separator).join(render(part) for part in parts)
        if "Fn::Sub" in value:
            return str(value["Fn::Sub"])
    return json.dumps(value, sort_keys=True)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def function_by_handler(synth: Synth) -> dict[str, str]:
    """handler -> logical id of the function."""
    return {
        res["Properties"]["Handler"]: lid
        for lid, res in synth.of_type("AWS::Lambda::Function").items()
        if "Handler" in res["Properties"]
    }


def role_of(synth: Synth, function_id: str) -> str:
    role: str = synth.props(function_id)["Role"]["Fn::GetAtt"][0]
    return role


def statements_of_role(synth: Synth, role_id: str) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = []
    for res in synth.of_type("AWS::IAM::Policy").values():
        if {"Ref": role_id} in res["Properties"].get("Roles", []):
            statements.extend(res["Properties"]["PolicyDocument"]["Statement"])
    for policy in synth.props(role_id).get("Policies", []):
        statements.extend(policy["PolicyDocument"]["Statement"])
    return statements


def role_permissions(synth: Synth, role_id: str) -> dict[str, set[str]]:
    """rendered resource -> allowed actions, for one role (every statement must be an Allow)."""
    granted: dict[str, set[str]] = {}
    for statement in statements_of_role(synth, role_id):
        assert statement["Effect"] == "Allow"
        for resource in as_list(statement["Resource"]):
            granted.setdefault(render(resource), set()).update(as_list(statement["Action"]))
    return granted


def event_bus_statements(synth: Synth, bus_id: str) -> list[dict[str, Any]]:
    """Every statement of the resource policy of one bus (CDK writes one EventBusPolicy per statement)."""
    statements = []
    for res in synth.of_type("AWS::Events::EventBusPolicy").values():
        props = res["Properties"]
        if props["EventBusName"] == {"Ref": bus_id}:
            assert "Principal" not in props and "Condition" not in props  # the legacy form: never used
            assert props["StatementId"] == props["Statement"]["Sid"]
            statements.append(props["Statement"])
    return statements
