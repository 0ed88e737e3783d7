"""Matching: the match function reads the main table's stream and e-mails the professionals.

The event source mapping only delivers what the function acts on (the stream carries every item of
the single table): signals inserted or modified, and notifications inserted. It works in batches,
with partial batch responses, bisection on error and bounded retries; what still fails is described
in an encrypted dead-letter queue (the records themselves stay in the stream for 24 hours, long
enough to replay them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jsii
from aws_cdk import Duration
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.constructs.data import GSI1
from infra.constructs.function import ServiceFunction
from infra.constructs.platform import Platform, dead_letter_queue, stream_filter

HANDLER = "match.handler.lambda_handler"
BATCH_SIZE = 25
RETRY_ATTEMPTS = 5
MAX_RECORD_AGE = Duration.hours(6)
# What the match function acts on (functions/verwijsindex/logic/matching.py, work_for): signals written
# (INSERT, or MODIFY when they become active) and notifications created (INSERT), to be e-mailed.
SIGNAL_FILTER = stream_filter(("INSERT", "MODIFY"), "NewImage", "signal")
NOTIFICATION_FILTER = stream_filter(("INSERT",), "NewImage", "notification")


@jsii.implements(lambda_.IEventSourceDlq)
class QueueOnFailure:
    """The on-failure destination of a stream consumer: SendMessage on one queue and the key use that
    needs, nothing more (CDK's SqsDlq grants every send action and kms:ReEncrypt* as well)."""

    def __init__(self, queue: sqs.IQueue, key: kms.IKey) -> None:
        self.queue = queue
        self.key = key

    def bind(
        self, _target: lambda_.IEventSourceMapping, target_handler: lambda_.IFunction
    ) -> lambda_.DlqDestinationConfig:
        target_handler.add_to_role_policy(
            iam.PolicyStatement(actions=["sqs:SendMessage"], resources=[self.queue.queue_arn])
        )
        target_handler.add_to_role_policy(
            iam.PolicyStatement(actions=["kms:GenerateDataKey", "kms:Decrypt"], resources=[self.key.key_arn])
        )
        return lambda_.DlqDestinationConfig(destination=self.queue.queue_arn)


def table_stream_source(
    table: dynamodb.ITable, filters: Sequence[dict[str, Any]], failures: sqs.IQueue, key: kms.IKey
) -> sources.DynamoEventSource:
    """The main table's stream as a consumer of it reads it (the match function, the national
    publisher): in order, in batches with partial responses, bisected and retried, then the
    batch is described in the dead-letter queue."""
    return sources.DynamoEventSource(
        table,
        starting_position=lambda_.StartingPosition.TRIM_HORIZON,
        batch_size=BATCH_SIZE,
        bisect_batch_on_error=True,
        retry_attempts=RETRY_ATTEMPTS,
        max_record_age=MAX_RECORD_AGE,
        report_batch_item_failures=True,
        parallelization_factor=1,
        filters=[lambda_.FilterCriteria.filter(f) for f in filters],
        on_failure=QueueOnFailure(failures, key),
    )


class Matching(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, platform: Platform) -> None:
        super().__init__(scope, construct_id)
        data = platform.data

        self.failures = dead_letter_queue(
            self, "StreamFailures", key=platform.keys.messaging, purpose="stream batches the match function gave up on"
        )
        self.match = ServiceFunction(
            self,
            "Match",
            defaults=platform.defaults,
            handler=HANDLER,
            service="match",
            description="Verwijsindex: finds client and family matches for new signals and e-mails them",
            timeout=Duration.minutes(2),
            unscoped_actions_reason=(
                "dynamodb:ListStreams (added by the stream event source) and the X-Ray write actions "
                "have no resource-level permissions; every data action of this role names its table, "
                "index, stream, parameter or e-mail identity."
            ),
        )
        role = self.match.role
        data.grant(
            role,
            data.table,
            ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
            indexes=[GSI1],
        )
        data.grant_audit_append(role)  # a new match is written with its audit entries, in one transaction
        # No parameter: matching and sending use stored pseudonyms only, never a key or the BRP.
        platform.email.grant_send(role)

        self.event_source = table_stream_source(
            data.table, [SIGNAL_FILTER, NOTIFICATION_FILTER], self.failures, platform.keys.messaging
        )
        self.match.function.add_event_source(self.event_source)
