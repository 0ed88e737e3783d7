"""Data: the three DynamoDB tables and the customer-managed key that encrypts them.

- main table (single-table design, key layout in functions/verwijsindex/adapters/dynamo/keys.py):
  ``PK``/``SK``; GSI1 by owner (``GSI1PK``/``GSI1SK``); GSI2 the sparse due-day index
  (``GSI2PK``/``GSI2SK``) that expiry and purge query; GSI3 the sparse outstanding-work index
  (``GSI3PK``/``GSI3SK``) that the sweeper queries; TTL attribute ``ttl`` as a safety net only (the
  legal destruction is done by the purge function, which writes the audit trail); stream
  NEW_AND_OLD_IMAGES for the match function.
- audit table (protocollering): ``PK``/``SK`` and GSI1 (``actor``/``at``); append-only for the
  application: roles get PutItem (and Query for rights requests), never UpdateItem or DeleteItem.
- idempotency table for Powertools idempotency: key ``id``, TTL attribute ``expiration``.

All tables: on demand, point-in-time recovery, deletion protection, RETAIN, encrypted with the key.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

READ_ACTIONS = frozenset({"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan"})
WRITE_ACTIONS = frozenset(
    {
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:ConditionCheckItem",
    }
)
# What DynamoDB needs from a caller to use a table encrypted with a customer-managed key.
KMS_READ = ("kms:Decrypt", "kms:DescribeKey")
KMS_WRITE = ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey")

GSI1 = "GSI1"
GSI2 = "GSI2"
GSI3 = "GSI3"  # outstanding work (sparse): what the sweeper reads
AUDIT_BY_ACTOR = "GSI1"


def _string(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class Data(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, region_code: str) -> None:
        super().__init__(scope, construct_id)

        self.key = kms.Key(
            self,
            "TablesKey",
            alias=f"alias/verwijsindex/{region_code}/tables",
            description=f"Verwijsindex {region_code}: encrypts the signals, audit and idempotency tables",
            enable_key_rotation=True,
            pending_window=Duration.days(30),
            removal_policy=RemovalPolicy.RETAIN,
        )

        self.table = self._table(
            "MainTable",
            partition_key="PK",
            sort_key="SK",
            stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
            time_to_live_attribute="ttl",
        )
        self.table.add_global_secondary_index(
            index_name=GSI1,
            partition_key=_string("GSI1PK"),
            sort_key=_string("GSI1SK"),
            projection_type=dynamodb.ProjectionType.ALL,
        )
        self.table.add_global_secondary_index(
            index_name=GSI2,
            partition_key=_string("GSI2PK"),
            sort_key=_string("GSI2SK"),
            projection_type=dynamodb.ProjectionType.ALL,
        )

        self.table.add_global_secondary_index(
            index_name=GSI3,
            partition_key=_string("GSI3PK"),
            sort_key=_string("GSI3SK"),
            projection_type=dynamodb.ProjectionType.ALL,
        )

        self.audit_table = self._table("AuditTable", partition_key="PK", sort_key="SK")
        self.audit_table.add_global_secondary_index(
            index_name=AUDIT_BY_ACTOR,
            partition_key=_string("actor"),
            sort_key=_string("at"),
            projection_type=dynamodb.ProjectionType.ALL,
        )

        self.idempotency_table = self._table(
            "IdempotencyTable", partition_key="id", time_to_live_attribute="expiration"
        )

    def _table(
        self,
        construct_id: str,
        *,
        partition_key: str,
        sort_key: str | None = None,
        stream: dynamodb.StreamViewType | None = None,
        time_to_live_attribute: str | None = None,
    ) -> dynamodb.Table:
        return dynamodb.Table(
            self,
            construct_id,
            partition_key=_string(partition_key),
            sort_key=_string(sort_key) if sort_key else None,
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=self.key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True, recovery_period_in_days=35
            ),
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
            stream=stream,
            time_to_live_attribute=time_to_live_attribute,
        )

    # --- grants: exact actions on exact resources, and the key use that goes with them ---------

    def grant(
        self,
        role: iam.IRole,
        table: dynamodb.ITable,
        actions: Sequence[str],
        *,
        indexes: Sequence[str] = (),
    ) -> None:
        """Allow ``actions`` on ``table``; Query also on ``indexes`` (index ARNs allow only reads)."""
        unknown = set(actions) - READ_ACTIONS - WRITE_ACTIONS
        if unknown:
            raise ValueError(f"not a DynamoDB item action: {sorted(unknown)}")
        role.add_to_principal_policy(iam.PolicyStatement(actions=sorted(actions), resources=[table.table_arn]))
        if indexes:
            if "dynamodb:Query" not in actions:
                raise ValueError("indexes are only for dynamodb:Query")
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=["dynamodb:Query"],
                    resources=[f"{table.table_arn}/index/{name}" for name in indexes],
                )
            )
        writes = bool(set(actions) & WRITE_ACTIONS)
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(KMS_WRITE if writes else KMS_READ), resources=[self.key.key_arn])
        )

    def grant_audit_append(self, role: iam.IRole, *, query: bool = False) -> None:
        """The audit trail is append-only: PutItem, and Query for whoever answers rights requests."""
        actions = ["dynamodb:PutItem", *(["dynamodb:Query"] if query else [])]
        self.grant(role, self.audit_table, actions, indexes=[AUDIT_BY_ACTOR] if query else ())

    def grant_idempotency(self, role: iam.IRole) -> None:
        """What Powertools' DynamoDBPersistenceLayer calls."""
        self.grant(
            role,
            self.idempotency_table,
            ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
        )
