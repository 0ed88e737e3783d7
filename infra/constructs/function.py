"""One Lambda function with its own role, its own encrypted log group and nothing else.

Every function of the stack is built here so that they share the same settings: arm64, the Python
runtime of the config, code from ``functions/`` (one asset, no Docker, with the runtime's bytecode
when the synth has its interpreter), the Powertools public layer,
JSON logs and active X-Ray tracing. Permissions are added by the construct that owns the function,
statement by statement, through ``grant`` helpers that name exact actions and resources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from infra.config import REPO_ROOT, RuntimeSettings
from infra.nag import acknowledge

FUNCTIONS_DIR = REPO_ROOT / "functions"

METRICS_NAMESPACE = "Verwijsindex"  # one CloudWatch namespace for the regions and the national index

XRAY_REASON = (
    "The X-Ray write actions (active tracing) have no resource-level permissions; every data action "
    "of this role names its table, index, parameter, queue or e-mail identity."
)

RUNTIMES = {
    "python3.13": lambda_.Runtime.PYTHON_3_13,
    "python3.14": lambda_.Runtime.PYTHON_3_14,
}

LOG_RETENTION = {
    1: logs.RetentionDays.ONE_DAY,
    7: logs.RetentionDays.ONE_WEEK,
    30: logs.RetentionDays.ONE_MONTH,
    90: logs.RetentionDays.THREE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    731: logs.RetentionDays.TWO_YEARS,
    1827: logs.RetentionDays.FIVE_YEARS,
    3653: logs.RetentionDays.TEN_YEARS,
}


def retention_days(days: int) -> logs.RetentionDays:
    """The CloudWatch retention closest to ``days`` without going under it."""
    for allowed in sorted(LOG_RETENTION):
        if allowed >= days:
            return LOG_RETENTION[allowed]
    return logs.RetentionDays.TEN_YEARS


def function_code(runtime: str) -> lambda_.Code:
    """The single code asset all functions share (the handler string selects the function), with the
    bytecode of `runtime` ("python3.14") when its interpreter is at hand (infra/constructs/bytecode.py)."""
    from infra.constructs.bytecode import code_with_bytecode

    return code_with_bytecode(FUNCTIONS_DIR, runtime)


def function_layers(scope: Construct, settings: RuntimeSettings) -> list[lambda_.ILayerVersion]:
    """The layers every function of a stack gets: Powertools' public layer and, when configured, the
    dependencies layer (``dependencies_layer_dir``)."""
    layers = [powertools_layer(scope, settings)]
    if settings.dependencies_layer_dir:
        layer_dir = REPO_ROOT / settings.dependencies_layer_dir
        if not (layer_dir / "python").is_dir():
            raise FileNotFoundError(f"{layer_dir}/python does not exist: build the dependencies layer first")
        layers.append(
            lambda_.LayerVersion(
                scope,
                "DependenciesLayer",
                description="Python dependencies the Powertools layer does not carry (built for arm64)",
                code=lambda_.Code.from_asset(str(layer_dir)),
                compatible_runtimes=[RUNTIMES[settings.python_runtime]],
                compatible_architectures=[lambda_.Architecture.ARM_64],
            )
        )
    return layers


def powertools_layer(scope: Construct, settings: RuntimeSettings) -> lambda_.ILayerVersion:
    """Powertools' public layer (carries pydantic, aws-xray-sdk, fastjsonschema). Its ARN comes from the
    public SSM parameter Powertools publishes per region, resolved by CloudFormation at deploy time,
    so the synth needs no AWS access."""
    arn = settings.powertools_layer_arn or ssm.StringParameter.value_for_string_parameter(
        scope, settings.powertools_layer_parameter
    )
    return lambda_.LayerVersion.from_layer_version_arn(scope, "PowertoolsLayer", arn)


@dataclass(frozen=True)
class FunctionDefaults:
    """What every function of the stack has in common."""

    code: lambda_.Code
    runtime: lambda_.Runtime
    layers: Sequence[lambda_.ILayerVersion]
    environment: Mapping[str, str]
    logs_key: kms.IKey
    log_retention: logs.RetentionDays
    log_level: str
    code_traces: bool = False


class ServiceFunction(Construct):
    """A function, its role (trusted by Lambda only) and its log group."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        defaults: FunctionDefaults,
        handler: str,
        service: str,
        description: str,
        timeout: Duration,
        memory_size: int = 512,
        environment: Mapping[str, str] | None = None,
        dead_letter_queue: sqs.IQueue | None = None,
        retry_attempts: int | None = None,
        unscoped_actions_reason: str = XRAY_REASON,
    ) -> None:
        super().__init__(scope, construct_id)
        self.service = service

        self.log_group = logs.LogGroup(
            self,
            "Logs",
            retention=defaults.log_retention,
            encryption_key=defaults.logs_key,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Verwijsindex {service}: only what this function uses",
        )
        # Writing its own log streams; the log group exists already, so no CreateLogGroup.
        self.role.add_to_policy(
            iam.PolicyStatement(
                sid="OwnLogStreams",
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[self.log_group.log_group_arn],
            )
        )

        env = {
            **defaults.environment,
            "POWERTOOLS_SERVICE_NAME": service,
            # Powertools' Tracer (and the X-Ray SDK's import) only where the code's traces are kept.
            "POWERTOOLS_TRACE_DISABLED": "false" if defaults.code_traces else "true",
            **(environment or {}),
        }
        log_level = lambda_.ApplicationLogLevel["WARN" if defaults.log_level == "WARNING" else defaults.log_level]
        self.function = lambda_.Function(
            self,
            "Function",
            description=description,
            runtime=defaults.runtime,
            architecture=lambda_.Architecture.ARM_64,
            code=defaults.code,
            handler=handler,
            layers=list(defaults.layers),
            role=self.role,
            timeout=timeout,
            memory_size=memory_size,
            environment=env,
            tracing=lambda_.Tracing.ACTIVE,
            logging_format=lambda_.LoggingFormat.JSON,
            application_log_level_v2=log_level,
            system_log_level_v2=lambda_.SystemLogLevel.WARN,
            log_group=self.log_group,
            dead_letter_queue=dead_letter_queue,
            retry_attempts=retry_attempts,
        )
        # Active tracing adds xray:PutTraceSegments/PutTelemetryRecords on "*". The tests check that
        # no other action of a function role is unscoped, so this acknowledgement hides nothing else.
        acknowledge(self.role, "AwsSolutions-IAM5[Resource::*]", unscoped_actions_reason)
