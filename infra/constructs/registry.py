"""Registry: the operator's register of affiliated organisations, their professionals and case systems.

The registry function reads and writes organisation items in the main table (by owner through GSI1)
and appends to the audit trail. Offboarding hands a professional's signals to a colleague (signals,
guards and notifications in the main table) and disables the Cognito account: exactly
AdminDisableUser and AdminUserGlobalSignOut on the region's user pool. It reaches no BSN, so it gets
no pseudonym key and no BRP access.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.constructs.api import routes_for
from infra.constructs.data import GSI1
from infra.constructs.function import ServiceFunction
from infra.constructs.platform import Platform

HANDLER = "registry.handler.lambda_handler"
ROUTES = routes_for("registry")


class Registry(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, platform: Platform, user_pool: cognito.IUserPool
    ) -> None:
        super().__init__(scope, construct_id)
        data = platform.data

        self.registry = ServiceFunction(
            self,
            "Registry",
            defaults=platform.defaults,
            handler=HANDLER,
            service="registry",
            description="Verwijsindex: register, suspend and reactivate organisations and their professionals",
            timeout=Duration.seconds(30),  # a reassignment rewrites each of the professional's signals
            environment={"USER_POOL_ID": user_pool.user_pool_id},
        )
        role = self.registry.role
        data.grant(
            role,
            data.table,
            [
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:ConditionCheckItem",
                "dynamodb:DeleteItem",  # a handover marker once the signals have a colleague; moved guards
            ],
            indexes=[GSI1],
        )
        data.grant_audit_append(role)
        # Deactivating a professional disables their account and ends every session they hold.
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["cognito-idp:AdminDisableUser", "cognito-idp:AdminUserGlobalSignOut"],
                resources=[user_pool.user_pool_arn],
            )
        )

        platform.api.add_routes(self.registry.function, ROUTES)
