"""Rights: data subjects' requests (inzage, correctie, kopie, bezwaar) handled by the operator.

The rights_request function records and decides requests, reads and changes (or destroys) signals of
the youth concerned, reads the audit trail (Query, by youth or by actor) to answer access and copy
requests, appends to it, looks up the BRP and e-mails the professionals concerned. It also lists the
stuck work for the operator (Query on the sparse outstanding-work index GSI3, its `STUCK#` partitions).
"""

from __future__ import annotations

from aws_cdk import Duration
from constructs import Construct

from infra.constructs.api import routes_for
from infra.constructs.data import GSI1, GSI2, GSI3
from infra.constructs.function import ServiceFunction
from infra.constructs.platform import Platform

HANDLER = "rights_request.handler.lambda_handler"
ROUTES = routes_for("rights_request")


class Rights(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, platform: Platform) -> None:
        super().__init__(scope, construct_id)
        data = platform.data

        self.rights_request = ServiceFunction(
            self,
            "RightsRequest",
            defaults=platform.defaults,
            handler=HANDLER,
            service="rights_request",
            description="Verwijsindex: rights requests (access, correction, copy, objection) and the audit trail",
            timeout=Duration.seconds(25),
        )
        role = self.rights_request.role
        data.grant(
            role,
            data.table,
            [
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:ConditionCheckItem",
            ],
            indexes=[GSI1, GSI2, GSI3],  # GSI3: the operator's list of stuck work
        )
        data.grant_audit_append(role, query=True)
        platform.keys.grant_parameters(role, platform.config.secure_parameter_names)
        platform.email.grant_send(role)

        platform.api.add_routes(self.rights_request.function, ROUTES)
