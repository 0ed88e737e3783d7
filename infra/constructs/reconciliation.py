"""Reconciliation: the sweeper, every few minutes, reruns the work the stream lost.

It reads only the sparse outstanding-work index (GSI3) and runs what is older than the region's
threshold through the same code as the stream consumers: it matches signals (writing matches and
notifications with their audit entries), sends e-mails, and in a linked region publishes to the
national bus. So it has the match function's permissions, Query on GSI3, and PutEvents on the
national bus when linked; no parameter, no BRP. Its schedule shares the nightly jobs' group, role and
dead-letter queue; a run that fails is simply followed by the next one.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as targets
from constructs import Construct

from infra.constructs.data import GSI1, GSI3
from infra.constructs.function import ServiceFunction
from infra.constructs.lifecycle import Lifecycle
from infra.constructs.platform import Platform
from infra.nag import acknowledge, logical_id

SWEEP_HANDLER = "sweep.handler.lambda_handler"
SWEEP_EVERY = Duration.minutes(5)
SWEEP_TIMEOUT = Duration.minutes(4)  # shorter than the interval: runs rarely overlap (and may)


class Reconciliation(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, platform: Platform, lifecycle: Lifecycle) -> None:
        super().__init__(scope, construct_id)
        data = platform.data
        code = platform.config.region_code

        self.sweep = ServiceFunction(
            self,
            "Sweep",
            defaults=platform.defaults,
            handler=SWEEP_HANDLER,
            service="sweep",
            description="Verwijsindex: reruns matching, e-mails and national events the stream did not finish",
            timeout=SWEEP_TIMEOUT,
            memory_size=1024,
        )
        role = self.sweep.role
        bus_arn = platform.config.national_link.bus_arn
        data.grant(
            role,
            data.table,
            [
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                # A linked region: a destroyed signal's tombstone goes once its removal is published.
                *(["dynamodb:DeleteItem"] if bus_arn else []),
            ],
            indexes=[GSI1, GSI3],
        )
        data.grant_audit_append(role)
        platform.email.grant_send(role)
        if bus_arn:
            role.add_to_principal_policy(
                iam.PolicyStatement(sid="PutOnTheNationalBus", actions=["events:PutEvents"], resources=[bus_arn])
            )

        self.schedule = scheduler.Schedule(
            self,
            "SweepSchedule",
            schedule_group=lifecycle.schedule_group,
            description=f"Verwijsindex {code}: sweep outstanding work every {SWEEP_EVERY.to_minutes()} minutes",
            schedule=scheduler.ScheduleExpression.rate(SWEEP_EVERY),
            target=targets.LambdaInvoke(
                self.sweep.function,
                role=lifecycle.scheduler_role,
                retry_attempts=0,  # the next run is minutes away
                max_event_age=Duration.minutes(5),
                dead_letter_queue=lifecycle.failures,
                input=scheduler.ScheduleTargetInput.from_object(
                    {"source": "aws.scheduler", "time": scheduler.ContextAttribute.scheduled_time}
                ),
            ),
        )
        acknowledge(
            lifecycle.scheduler_role,
            f"AwsSolutions-IAM5[Resource::<{logical_id(self.sweep.function)}.Arn>:*]",
            "CDK's invoke grant also names the versions and aliases of the same function.",
        )
