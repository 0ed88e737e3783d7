"""The code's own traces (Powertools' Tracer, and with it the X-Ray SDK's import at every cold start)
are switched on per deployment; Lambda's segments are traced either way."""

from __future__ import annotations

import pytest
from aws_cdk import App, Duration, Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk.assertions import Template

from infra.config import RegionConfig, load_config
from infra.constructs.function import FunctionDefaults, ServiceFunction, function_code

pytestmark = pytest.mark.infrastructure


def function_props(code_traces: bool) -> dict[str, object]:
    """One function built from a region config with `code_traces` set as given."""
    config = RegionConfig.model_validate({**load_config().model_dump(), "code_traces": code_traces})
    stack = Stack(App(), "Traces")
    defaults = FunctionDefaults(
        code=function_code("python3.13"),
        runtime=lambda_.Runtime.PYTHON_3_13,
        layers=[],
        environment={},
        logs_key=kms.Key(stack, "Key"),
        log_retention=logs.RetentionDays.ONE_DAY,
        log_level=config.log_level,
        code_traces=config.code_traces,
    )
    ServiceFunction(
        stack,
        "Fn",
        defaults=defaults,
        handler="registry.handler.lambda_handler",
        service="registry",
        description="traces",
        timeout=Duration.seconds(5),
    )
    functions = Template.from_stack(stack).find_resources("AWS::Lambda::Function")
    (props,) = (resource["Properties"] for resource in functions.values())
    return dict(props)


@pytest.mark.parametrize(("code_traces", "disabled"), [(False, "true"), (True, "false")])
def test_the_code_is_traced_only_where_the_config_keeps_its_traces(code_traces: bool, disabled: str) -> None:
    props = function_props(code_traces)
    assert props["TracingConfig"] == {"Mode": "Active"}
    assert props["Environment"]["Variables"]["POWERTOOLS_TRACE_DISABLED"] == disabled  # type: ignore[index]


def test_code_traces_are_off_by_default() -> None:
    assert load_config().code_traces is False
