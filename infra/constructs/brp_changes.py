"""The BRP change poller: deaths, moves and emigration from the BRP Update API, once a day.

Only in a region with ``brp_update_base_url``. An EventBridge Scheduler schedule (Europe/Amsterdam)
invokes it with the scheduled time, with the lifecycle's retry policy and dead-letter queue. Its
role reads the youth markers it needs (BatchGetItem), destroys a deceased youth and records a
move exactly as the BRP notification route does, appends to the audit trail, and reads the
pseudonym keys and the BRP's secret parameters (API key or client secret, client certificate
and key): no e-mail, no index, no other parameter.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as targets
from constructs import Construct

from infra.constructs.function import ServiceFunction
from infra.constructs.lifecycle import SCHEDULE_MAX_EVENT_AGE, SCHEDULE_RETRY_ATTEMPTS, TIME_ZONE, Lifecycle
from infra.constructs.platform import Platform
from infra.nag import acknowledge, logical_id

BRP_CHANGES_HANDLER = "brp_changes.handler.lambda_handler"
BRP_CHANGES_ACTIONS = [
    "dynamodb:GetItem",  # the run's marker
    "dynamodb:BatchGetItem",  # which changed youths the index holds
    "dynamodb:Query",  # a youth's partition, to destroy it
    "dynamodb:UpdateItem",  # the run's marker; a move on the youth marker
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
]


class BrpChanges(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, platform: Platform, lifecycle: Lifecycle) -> None:
        super().__init__(scope, construct_id)
        config = platform.config
        self.poller = ServiceFunction(
            self,
            "Poller",
            defaults=platform.defaults,
            handler=BRP_CHANGES_HANDLER,
            service="brp_changes",
            description="Verwijsindex: deaths, moves and emigration from the BRP Update API (daily)",
            timeout=Duration.minutes(10),
            memory_size=512,
            dead_letter_queue=lifecycle.failures,
            retry_attempts=2,
        )
        role = self.poller.role
        # A linked region writes a destroyed signal's tombstone for the national index.
        linked = ["dynamodb:PutItem"] if config.national_link.bus_arn else []
        platform.data.grant(role, platform.data.table, [*BRP_CHANGES_ACTIONS, *linked])
        platform.data.grant_audit_append(role)
        platform.keys.grant_parameters(
            role,
            [
                config.pseudonym_key_parameter_name,
                config.national_pseudonym_key_parameter_name,
                *config.brp_secret_parameter_names,
            ],
        )
        self.schedule = scheduler.Schedule(
            self,
            "Daily",
            schedule_group=lifecycle.schedule_group,
            description=f"Verwijsindex {config.region_code}: BRP changes every day (Europe/Amsterdam)",
            schedule=scheduler.ScheduleExpression.cron(
                minute="30", hour=str(config.brp_changes_hour), time_zone=TIME_ZONE
            ),
            target=targets.LambdaInvoke(
                self.poller.function,
                role=lifecycle.scheduler_role,
                retry_attempts=SCHEDULE_RETRY_ATTEMPTS,
                max_event_age=SCHEDULE_MAX_EVENT_AGE,
                dead_letter_queue=lifecycle.failures,
                input=scheduler.ScheduleTargetInput.from_object(
                    {"source": "aws.scheduler", "time": scheduler.ContextAttribute.scheduled_time}
                ),
            ),
        )
        acknowledge(
            lifecycle.scheduler_role,
            f"AwsSolutions-IAM5[Resource::<{logical_id(self.poller.function)}.Arn>:*]",
            "CDK's invoke grant also names the versions and aliases of the same function.",
        )
