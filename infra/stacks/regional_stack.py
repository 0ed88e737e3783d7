"""One Verwijsindex region: everything a region runs, deployed with one ``cdk deploy``."""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack, Tags
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from infra.config import REPO_ROOT, RegionConfig
from infra.constructs.api import Api
from infra.constructs.data import Data
from infra.constructs.email import Email
from infra.constructs.function import RUNTIMES, FunctionDefaults, function_code, retention_days
from infra.constructs.identity import Identity
from infra.constructs.keys import Keys
from infra.constructs.lifecycle import Lifecycle
from infra.constructs.matching import Matching
from infra.constructs.monitoring import Monitoring
from infra.constructs.platform import Platform
from infra.constructs.registry import Registry
from infra.constructs.rights import Rights
from infra.constructs.signals import Signals

METRICS_NAMESPACE = "Verwijsindex"


class RegionalStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, config: RegionConfig, **kwargs: Any) -> None:
        super().__init__(
            scope,
            construct_id,
            description=(
                f"Verwijsindex (referral index, Jeugdwet 7.1) for region {config.display_name or config.region_code}"
            ),
            termination_protection=config.termination_protection,
            **kwargs,
        )
        self.config = config
        Tags.of(self).add("project", "verwijsindex")
        Tags.of(self).add("verwijsindex:region", config.region_code)

        keys = Keys(self, "Keys", config=config)
        data = Data(self, "Data", region_code=config.region_code)
        email = Email(self, "Email", config=config, key=keys.messaging)
        identity = Identity(self, "Identity", config=config)
        log_retention = retention_days(config.log_retention_days)
        api = Api(self, "Api", config=config, identity=identity, logs_key=keys.logs, log_retention=log_retention)

        runtime = RUNTIMES[config.python_runtime]
        layers = [self._powertools_layer(config)]
        if config.dependencies_layer_dir:
            layer_dir = REPO_ROOT / config.dependencies_layer_dir
            if not (layer_dir / "python").is_dir():
                raise FileNotFoundError(f"{layer_dir}/python does not exist: build the dependencies layer first")
            layers.append(
                lambda_.LayerVersion(
                    self,
                    "DependenciesLayer",
                    description="Python dependencies the Powertools layer does not carry (built for arm64)",
                    code=lambda_.Code.from_asset(str(layer_dir)),
                    compatible_runtimes=[runtime],
                    compatible_architectures=[lambda_.Architecture.ARM_64],
                )
            )

        environment = {
            "TABLE_NAME": data.table.table_name,
            "AUDIT_TABLE_NAME": data.audit_table.table_name,
            "PSEUDONYM_KEY_PARAMETER": config.pseudonym_key_parameter_name,
            "NATIONAL_PSEUDONYM_KEY_PARAMETER": config.national_pseudonym_key_parameter_name,
            "BRP_MODE": "haal_centraal",
            "BRP_BASE_URL": config.brp_base_url,
            "BRP_API_KEY_PARAMETER": config.brp_api_key_parameter_name,
            "SES_SENDER": email.sender,
            "SES_CONFIGURATION_SET": email.configuration_set_name,
            "VI_REGION_CODE": config.region_code,
            "VI_ACTIVE_PERIOD_YEARS": str(config.retention.active_period_years),
            "VI_ARCHIVE_PERIOD_YEARS": str(config.retention.archive_period_years),
            "VI_AGE_LIMIT_YEARS": str(config.retention.age_limit_years),
            "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
            "LOG_LEVEL": config.log_level,
        }
        if config.national_link.base_url:
            environment["NATIONAL_LINK_BASE_URL"] = config.national_link.base_url

        platform = Platform(
            config=config,
            keys=keys,
            data=data,
            email=email,
            api=api,
            defaults=FunctionDefaults(
                code=function_code(),
                runtime=runtime,
                layers=layers,
                environment=environment,
                logs_key=keys.logs,
                log_retention=log_retention,
                log_level=config.log_level,
            ),
        )
        self.keys = keys
        self.data = data
        self.email = email
        self.identity = identity
        self.api = api
        self.signals = Signals(self, "Signals", platform=platform)
        self.registry = Registry(self, "Registry", platform=platform)
        self.matching = Matching(self, "Matching", platform=platform)
        self.lifecycle = Lifecycle(self, "Lifecycle", platform=platform)
        self.rights = Rights(self, "Rights", platform=platform)

        self.functions = [
            self.signals.place_signal,
            self.registry.registry,
            self.matching.match,
            self.lifecycle.expire,
            self.lifecycle.purge,
            self.lifecycle.brp_notifications,
            self.rights.rights_request,
        ]
        self.monitoring = Monitoring(
            self,
            "Monitoring",
            config=config,
            key=keys.messaging,
            functions=self.functions,
            queues={"MatchFailures": self.matching.failures, "ScheduleFailures": self.lifecycle.failures},
            apis=api.apis,
            stream_consumer=self.matching.match,
        )

    def _powertools_layer(self, config: RegionConfig) -> lambda_.ILayerVersion:
        """Powertools' public layer (carries pydantic, aws-xray-sdk, fastjsonschema). Its ARN comes from the
        public SSM parameter Powertools publishes per region, resolved by CloudFormation at deploy time,
        so the synth needs no AWS access."""
        arn = config.powertools_layer_arn or ssm.StringParameter.value_for_string_parameter(
            self, config.powertools_layer_parameter
        )
        return lambda_.LayerVersion.from_layer_version_arn(self, "PowertoolsLayer", arn)
