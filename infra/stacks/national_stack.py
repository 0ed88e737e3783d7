"""The national index: one stack in the national account that links the regions.

The regions put their signal and move events on the national bus (constructs/national_bus.py: only the
listed accounts, only source ``verwijsindex.region``); the national-index function keeps the national
table and answers with remote-match and move-notice events, which the bus forwards to each region's
inbox bus. Regions never reach each other directly, and nothing here holds a BSN: youths are known by
the national pseudonym that every linked region computes with the same key.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Stack, Tags
from constructs import Construct

from infra.constructs.function import (
    METRICS_NAMESPACE,
    RUNTIMES,
    FunctionDefaults,
    function_code,
    function_layers,
    retention_days,
)
from infra.constructs.monitoring import Monitoring
from infra.constructs.national_bus import NationalBus
from infra.constructs.national_data import NationalData
from infra.constructs.national_index import NationalIndex
from infra.national_config import NationalConfig


class NationalStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, config: NationalConfig, **kwargs: Any) -> None:
        super().__init__(
            scope,
            construct_id,
            description=(
                "Verwijsindex national index: links the signals of "
                f"{len(config.regions)} region(s) ({', '.join(region.code for region in config.regions)})"
            ),
            termination_protection=config.termination_protection,
            **kwargs,
        )
        self.config = config
        Tags.of(self).add("project", "verwijsindex")
        Tags.of(self).add("verwijsindex:region", "national")

        self.data = NationalData(self, "Data")
        self.bus = NationalBus(self, "Bus", config=config, key=self.data.key)
        defaults = FunctionDefaults(
            code=function_code(config.python_runtime),
            runtime=RUNTIMES[config.python_runtime],
            layers=function_layers(self, config),
            environment={
                "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
                "LOG_LEVEL": config.log_level,
            },
            logs_key=self.data.key,
            log_retention=retention_days(config.log_retention_days),
            log_level=config.log_level,
            code_traces=config.code_traces,
        )
        self.index = NationalIndex(self, "Index", config=config, data=self.data, bus=self.bus, defaults=defaults)

        self.functions = [self.index.function]
        self.monitoring = Monitoring(
            self,
            "Monitoring",
            name="national",
            operations_email=config.operations_email,
            key=self.data.key,
            functions=self.functions,
            queues={"InboundFailures": self.index.failures, "ForwardFailures": self.bus.forward_failures},
        )
