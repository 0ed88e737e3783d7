"""National data: the national index table and the one customer-managed key of the national stack.

The table holds, per youth (by national pseudonym, never a BSN), which regions have active signals on
it and where the youth lives, so that a signal in one region can be matched with signals in another
(key layout: functions/national_index). ``PK``/``SK``, no index, no stream; TTL attribute ``ttl`` is only
the safety net that removes entries a region never withdrew. On demand, point-in-time recovery,
deletion protection, RETAIN, encrypted with the key.

The key also encrypts the dead-letter queues, the alarm topic and the log group, so its policy lets
CloudWatch Logs (this account's log groups), CloudWatch alarms and EventBridge (dead letters) use it for
this account only.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.constructs.data import KMS_READ, KMS_WRITE, READ_ACTIONS, WRITE_ACTIONS
from infra.constructs.encryption_keys import (
    allow_log_groups_of_this_account,
    allow_services_of_this_account,
    customer_managed_key,
)

TTL_ATTRIBUTE = "ttl"


class NationalData(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)

        self.key = customer_managed_key(
            self,
            "Key",
            alias="alias/verwijsindex/national",
            description="Verwijsindex national: encrypts the national index, its queues, alarms and logs",
        )
        allow_log_groups_of_this_account(self.key)
        allow_services_of_this_account(
            self.key,
            sid="AlarmsAndEventBridgeOfThisAccount",
            services=["cloudwatch.amazonaws.com", "events.amazonaws.com"],
        )

        self.table = dynamodb.Table(
            self,
            "NationalIndexTable",
            partition_key=dynamodb.Attribute(name="PK", type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name="SK", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=self.key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True, recovery_period_in_days=35
            ),
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
            time_to_live_attribute=TTL_ATTRIBUTE,
        )

    def grant(self, role: iam.IRole, actions: Sequence[str]) -> None:
        """Allow ``actions`` on the national table (it has no index), with the key use they need."""
        unknown = set(actions) - READ_ACTIONS - WRITE_ACTIONS
        if unknown:
            raise ValueError(f"not a DynamoDB item action: {sorted(unknown)}")
        role.add_to_principal_policy(iam.PolicyStatement(actions=sorted(actions), resources=[self.table.table_arn]))
        writes = bool(set(actions) & WRITE_ACTIONS)
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(KMS_WRITE if writes else KMS_READ), resources=[self.key.key_arn])
        )
