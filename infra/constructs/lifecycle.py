"""Lifecycle: expiry, destruction and BRP notifications.

- expire (daily): closes signals whose active period ended and asks their owners whether to renew;
- purge (daily): destroys what must go (5 years after closing, the 23rd birthday) with its audit entry;
- brp_notifications (API, group brp): a death destroys the youth's signals as soon as possible.

Both daily runs are EventBridge Scheduler schedules in Europe/Amsterdam (the due-day index uses Dutch
calendar days), with a retry policy and an encrypted dead-letter queue; the functions themselves
retry an asynchronous failure twice and then send the event to the same queue.
"""

from __future__ import annotations

from aws_cdk import Duration, Stack, TimeZone
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as targets
from constructs import Construct

from infra.constructs.api import routes_for
from infra.constructs.data import GSI2
from infra.constructs.function import ServiceFunction
from infra.constructs.platform import Platform, dead_letter_queue
from infra.nag import acknowledge, logical_id

EXPIRE_HANDLER = "expire.handler.lambda_handler"
PURGE_HANDLER = "expire.purge.lambda_handler"
BRP_HANDLER = "brp_notifications.handler.lambda_handler"
TIME_ZONE = TimeZone.of("Europe/Amsterdam")  # an IANA link (to Europe/Brussels), so no CDK constant
SCHEDULE_RETRY_ATTEMPTS = 3
SCHEDULE_MAX_EVENT_AGE = Duration.hours(6)
BRP_ROUTES = routes_for("brp_notifications")

LIFECYCLE_ACTIONS = [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
]


class Lifecycle(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, platform: Platform) -> None:
        super().__init__(scope, construct_id)
        data = platform.data
        code = platform.config.region_code

        self.failures = dead_letter_queue(
            self,
            "ScheduleFailures",
            key=platform.keys.messaging,
            purpose="scheduled runs of expire and purge that could not be delivered or kept failing",
            recognised_by_nag=True,
        )

        self.expire = ServiceFunction(
            self,
            "Expire",
            defaults=platform.defaults,
            handler=EXPIRE_HANDLER,
            service="expire",
            description="Verwijsindex: closes signals whose active period ended (daily)",
            timeout=Duration.minutes(10),
            memory_size=1024,
            dead_letter_queue=self.failures,
            retry_attempts=2,
        )
        self.purge = ServiceFunction(
            self,
            "Purge",
            defaults=platform.defaults,
            handler=PURGE_HANDLER,
            service="purge",
            description="Verwijsindex: destroys signals at the end of the archive period or at 23 (daily)",
            timeout=Duration.minutes(10),
            memory_size=1024,
            dead_letter_queue=self.failures,
            retry_attempts=2,
        )
        for job in (self.expire, self.purge):
            data.grant(job.role, data.table, LIFECYCLE_ACTIONS, indexes=[GSI2])
            data.grant_audit_append(job.role)
            platform.keys.messaging.grant(job.role, "kms:GenerateDataKey", "kms:Decrypt")
        platform.email.grant_send(self.expire.role)  # the renewal question; purge never e-mails

        group = scheduler.ScheduleGroup(self, "Schedules", schedule_group_name=f"verwijsindex-{code}")
        self.schedule_group = group
        self.scheduler_role = iam.Role(
            self,
            "SchedulerRole",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": Stack.of(self).account}},
            ),
            description="EventBridge Scheduler: invokes expire and purge, sends failures to the DLQ",
        )
        self.schedules: dict[str, scheduler.Schedule] = {}
        for name, job, hour in (("ExpireDaily", self.expire, "1"), ("PurgeDaily", self.purge, "2")):
            self.schedules[name] = scheduler.Schedule(
                self,
                name,
                schedule_group=group,
                description=f"Verwijsindex {code}: {job.service} every night (Europe/Amsterdam)",
                schedule=scheduler.ScheduleExpression.cron(minute="15", hour=hour, time_zone=TIME_ZONE),
                target=targets.LambdaInvoke(
                    job.function,
                    role=self.scheduler_role,
                    retry_attempts=SCHEDULE_RETRY_ATTEMPTS,
                    max_event_age=SCHEDULE_MAX_EVENT_AGE,
                    dead_letter_queue=self.failures,
                    # "now" for the run is the scheduled time: a retried or late run still acts
                    # as of the night it was due (the handler reads the event's `time`).
                    input=scheduler.ScheduleTargetInput.from_object(
                        {"source": "aws.scheduler", "time": scheduler.ContextAttribute.scheduled_time}
                    ),
                ),
            )
        for job in (self.expire, self.purge):
            acknowledge(
                self.scheduler_role,
                f"AwsSolutions-IAM5[Resource::<{logical_id(job.function)}.Arn>:*]",
                "CDK's invoke grant also names the versions and aliases of the same function.",
            )
        # The scheduler sends undeliverable runs to the encrypted queue with this role.
        platform.keys.messaging.grant(self.scheduler_role, "kms:GenerateDataKey", "kms:Decrypt")

        self.brp_notifications = ServiceFunction(
            self,
            "BrpNotifications",
            defaults=platform.defaults,
            handler=BRP_HANDLER,
            service="brp_notifications",
            description="Verwijsindex: BRP notifications (death: destroy the youth's signals at once)",
            timeout=Duration.seconds(20),
        )
        role = self.brp_notifications.role
        data.grant(
            role,
            data.table,
            [
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:UpdateItem",  # a move is recorded on the youth marker
                "dynamodb:DeleteItem",
                "dynamodb:BatchWriteItem",
                # A linked region writes a destroyed signal's tombstone for the national index.
                *(["dynamodb:PutItem"] if platform.config.national_link.bus_arn else []),
            ],
        )
        data.grant_audit_append(role)
        platform.keys.grant_parameters(
            role,
            [platform.config.pseudonym_key_parameter_name, platform.config.national_pseudonym_key_parameter_name],
        )
        platform.api.add_routes(self.brp_notifications.function, BRP_ROUTES)
