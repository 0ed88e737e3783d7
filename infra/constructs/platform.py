"""What the service constructs share: the config, keys, tables, e-mail, the API and function defaults."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.config import RegionConfig
from infra.constructs.api import Api
from infra.constructs.data import Data
from infra.constructs.email import Email
from infra.constructs.encryption_keys import Keys
from infra.constructs.function import FunctionDefaults
from infra.nag import acknowledge


@dataclass(frozen=True)
class Platform:
    config: RegionConfig
    keys: Keys
    data: Data
    email: Email
    api: Api
    defaults: FunctionDefaults


def dead_letter_queue(
    scope: Construct, construct_id: str, *, key: kms.IKey, purpose: str, recognised_by_nag: bool = False
) -> sqs.Queue:
    """An encrypted queue that receives what failed for good; monitoring alarms on its depth."""
    queue = sqs.Queue(
        scope,
        construct_id,
        encryption=sqs.QueueEncryption.KMS,
        encryption_master_key=key,
        enforce_ssl=True,
        retention_period=Duration.days(14),
        removal_policy=RemovalPolicy.RETAIN,
    )
    if not recognised_by_nag:
        # cdk-nag recognises a queue used as a Lambda function's dead-letter queue, but not one used as
        # the on-failure destination of an event source mapping or of a schedule.
        acknowledge(
            queue,
            "AwsSolutions-SQS3",
            f"This queue is itself a dead-letter queue ({purpose}); a dead-letter queue of a "
            "dead-letter queue would only hide failures that the depth alarm already reports.",
        )
    return queue


def stream_filter(event_names: Sequence[str], image: str, entity: str) -> dict[str, Any]:
    """An event source mapping filter: records of these event names whose `image` (NewImage or
    OldImage) is an item of this entity (the single table's `entity` attribute)."""
    names = (
        lambda_.FilterRule.is_equal(event_names[0]) if len(event_names) == 1 else lambda_.FilterRule.or_(*event_names)
    )
    return {"eventName": names, "dynamodb": {image: {"entity": {"S": lambda_.FilterRule.is_equal(entity)}}}}
