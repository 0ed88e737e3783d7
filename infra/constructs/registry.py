"""Registry: the operator's register of affiliated organisations, their professionals and case systems.

The registry function reads and writes organisation items in the main table (by owner through GSI1)
and appends to the audit trail. It reaches no BSN, so it gets no pseudonym key and no BRP access.
"""

from __future__ import annotations

from aws_cdk import Duration
from constructs import Construct

from infra.constructs.api import routes_for
from infra.constructs.data import GSI1
from infra.constructs.function import ServiceFunction
from infra.constructs.platform import Platform

HANDLER = "registry.handler.lambda_handler"
ROUTES = routes_for("registry")


class Registry(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, platform: Platform) -> None:
        super().__init__(scope, construct_id)
        data = platform.data

        self.registry = ServiceFunction(
            self,
            "Registry",
            defaults=platform.defaults,
            handler=HANDLER,
            service="registry",
            description="Verwijsindex: register, suspend and reactivate organisations and their professionals",
            timeout=Duration.seconds(15),
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
            ],
            indexes=[GSI1],
        )
        data.grant_audit_append(role)

        platform.api.add_routes(self.registry.function, ROUTES)
