"""Customer-managed KMS keys (rotation on, RETAIN) for everything that is not a table.

- messaging: every SQS queue and SNS topic (CloudWatch alarms and SES publish to encrypted topics, so
  those two services may use the key, for this account only);
- logs: every CloudWatch log group (function logs, API access logs, WAF logs);
- parameters: the SecureString parameters the operator creates (pseudonym keys, BRP API key), unless
  the region brings its own key (``parameters_kms_key_arn``).

The tables' key lives with the tables (constructs/data.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Aws, Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.config import RegionConfig


def customer_managed_key(scope: Construct, construct_id: str, *, alias: str, description: str) -> kms.Key:
    """A symmetric key with yearly rotation, kept (RETAIN) when the stack goes."""
    return kms.Key(
        scope,
        construct_id,
        alias=alias,
        description=description,
        enable_key_rotation=True,
        pending_window=Duration.days(30),
        removal_policy=RemovalPolicy.RETAIN,
    )


def allow_services_of_this_account(key: kms.IKey, *, sid: str, services: Sequence[str]) -> None:
    """Let AWS services encrypt for this account with ``key`` (publishing to an encrypted topic, sending
    to an encrypted queue): Decrypt and GenerateDataKey, on behalf of this account only."""
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid=sid,
            principals=[iam.ServicePrincipal(service) for service in services],
            actions=["kms:Decrypt", "kms:GenerateDataKey"],
            resources=["*"],
            conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
        )
    )


def allow_log_groups_of_this_account(key: kms.IKey) -> None:
    """Let CloudWatch Logs encrypt this account's log groups (and nothing else) with ``key``."""
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid="CloudWatchLogsOfThisAccount",
            principals=[iam.ServicePrincipal(f"logs.{Aws.REGION}.amazonaws.com")],
            actions=[
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ReEncryptFrom",
                "kms:ReEncryptTo",
                "kms:GenerateDataKey",
                "kms:GenerateDataKeyWithoutPlaintext",
                "kms:DescribeKey",
            ],
            resources=["*"],
            conditions={
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": (
                        f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:*"
                    )
                }
            },
        )
    )


class Keys(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: RegionConfig) -> None:
        super().__init__(scope, construct_id)
        code = config.region_code

        self.messaging = customer_managed_key(
            self,
            "MessagingKey",
            alias=f"alias/verwijsindex/{code}/messaging",
            description=f"Verwijsindex {code}: encrypts the dead-letter queues and notification topics",
        )
        allow_services_of_this_account(
            self.messaging,
            sid="AlarmsAndSesPublishToEncryptedTopics",
            services=["cloudwatch.amazonaws.com", "ses.amazonaws.com"],
        )

        self.logs = customer_managed_key(
            self,
            "LogsKey",
            alias=f"alias/verwijsindex/{code}/logs",
            description=f"Verwijsindex {code}: encrypts the CloudWatch log groups",
        )
        allow_log_groups_of_this_account(self.logs)

        self.parameters: kms.IKey
        if config.parameters_kms_key_arn:
            self.parameters = kms.Key.from_key_arn(self, "ParametersKey", config.parameters_kms_key_arn)
        else:
            self.parameters = customer_managed_key(
                self,
                "ParametersKey",
                alias=f"alias/verwijsindex/{code}/parameters",
                description=(
                    f"Verwijsindex {code}: encrypts the SecureString parameters (pseudonym keys, BRP API key)"
                ),
            )

    def grant_parameters(self, role: iam.IRole, names: Sequence[str]) -> None:
        """Read exactly these SecureString parameters (and decrypt them, through SSM only)."""
        stack = Stack.of(self)
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["ssm:GetParameter"],
                resources=[
                    stack.format_arn(service="ssm", resource="parameter", resource_name=name.lstrip("/"))
                    for name in names
                ],
            )
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["kms:Decrypt"],
                resources=[self.parameters.key_arn],
                conditions={"StringEquals": {"kms:ViaService": f"ssm.{Aws.REGION}.amazonaws.com"}},
            )
        )
