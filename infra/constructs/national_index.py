"""National index: the function that links signals of one youth across regions.

The rule ``FromRegions`` hands the regions' ``SignalActivated`` / ``SignalRemoved`` / ``YouthMoved`` events
(source ``verwijsindex.region``, from a listed account only) to the national-index function. It keeps
the national table and answers on the national bus with ``RemoteMatch``, ``RemoteSignalDestroyed`` and
``MoveNotice`` events for every region involved (the forwarding rules of constructs/national_bus.py
deliver them). EventBridge
retries delivery for up to 6 hours, the function retries a failed invocation twice; what still fails
waits in an encrypted dead-letter queue.

The linked regions (code -> account, display name, municipalities) are in the SSM parameter
``/verwijsindex/national/regions`` (plain String, advanced tier: up to 8 KB, where a function's whole
environment holds 4 KB); the function gets its name as ``NATIONAL_REGIONS_PARAMETER`` and reads it with
Powertools, cached for 5 minutes. A new region list reaches warm functions within those 5 minutes.

The function may use the national table (no Scan, no batch writes), read that one parameter and put
events on the national bus, nothing else.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from infra.config import REGION_DETAIL_TYPES, REGION_EVENT_SOURCE
from infra.constructs.function import FunctionDefaults, ServiceFunction
from infra.constructs.national_bus import NationalBus
from infra.constructs.national_data import NationalData
from infra.constructs.platform import dead_letter_queue
from infra.national_config import NationalConfig

HANDLER = "national_index.handler.lambda_handler"
RETRY_ATTEMPTS = 10
MAX_EVENT_AGE = Duration.hours(6)
TABLE_ACTIONS = [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
]


class NationalIndex(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: NationalConfig,
        data: NationalData,
        bus: NationalBus,
        defaults: FunctionDefaults,
    ) -> None:
        super().__init__(scope, construct_id)

        self.failures = dead_letter_queue(
            self,
            "InboundFailures",
            key=data.key,
            purpose="regional events the national index could not take",
            recognised_by_nag=True,
        )
        self.regions_parameter = ssm.StringParameter(
            self,
            "Regions",
            parameter_name=config.regions_parameter_name,
            string_value=config.regions_json,
            tier=ssm.ParameterTier.ADVANCED,  # up to 8 KB (checked by NationalConfig)
            description="Verwijsindex national: the linked regions (code -> account, display name, municipalities)",
        )
        self.function = ServiceFunction(
            self,
            "NationalIndex",
            defaults=defaults,
            handler=HANDLER,
            service="national-index",
            description="Verwijsindex national: matches signals across regions, answers the regions involved",
            timeout=Duration.seconds(30),
            environment={
                "NATIONAL_TABLE_NAME": data.table.table_name,
                "NATIONAL_BUS_NAME": bus.bus.event_bus_name,
                "NATIONAL_REGIONS_PARAMETER": self.regions_parameter.parameter_name,
            },
            dead_letter_queue=self.failures,
            retry_attempts=2,
        )
        role = self.function.role
        data.grant(role, TABLE_ACTIONS)  # its KMS grant also covers sending to the encrypted queue
        role.add_to_principal_policy(  # a plain String: no kms:Decrypt
            iam.PolicyStatement(
                sid="ReadTheRegionList",
                actions=["ssm:GetParameter"],
                resources=[self.regions_parameter.parameter_arn],
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="PutOnTheNationalBus", actions=["events:PutEvents"], resources=[bus.bus.event_bus_arn]
            )
        )

        self.rule = events.Rule(
            self,
            "FromRegions",
            event_bus=bus.bus,
            description="Verwijsindex national: signal and move events of the listed regions -> national index",
            event_pattern=events.EventPattern(
                source=[REGION_EVENT_SOURCE],
                account=config.region_accounts,
                detail_type=list(REGION_DETAIL_TYPES),
            ),
            targets=[
                targets.LambdaFunction(
                    self.function.function,
                    retry_attempts=RETRY_ATTEMPTS,
                    max_event_age=MAX_EVENT_AGE,
                    dead_letter_queue=self.failures,
                )
            ],
        )
