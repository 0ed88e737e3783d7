"""Signals: the place_signal function behind both APIs (professionals and case systems).

It places, lists, reads and closes signals, shows matches and history, and records coordination. It
reads and writes the main table (transactions with condition checks for the one-active-signal guard),
appends to the audit trail, keeps idempotency records (Powertools), reads the pseudonym keys and the BRP
API key, and calls the BRP over HTTPS.
"""

from __future__ import annotations

from aws_cdk import Duration
from constructs import Construct

from infra.constructs.api import routes_for
from infra.constructs.data import GSI1
from infra.constructs.function import ServiceFunction
from infra.constructs.platform import Platform

HANDLER = "place_signal.handler.lambda_handler"
ROUTES = routes_for("place_signal")


class Signals(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, platform: Platform) -> None:
        super().__init__(scope, construct_id)
        data = platform.data

        self.place_signal = ServiceFunction(
            self,
            "PlaceSignal",
            defaults=platform.defaults,
            handler=HANDLER,
            service="place_signal",
            description="Verwijsindex: place, read and close signals; matches, history, coordination",
            timeout=Duration.seconds(20),
            environment={"IDEMPOTENCY_TABLE_NAME": data.idempotency_table.table_name},
        )
        role = self.place_signal.role
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
                "dynamodb:BatchWriteItem",  # destroying a signal withdrawn as unjustified, with its matches
                "dynamodb:ConditionCheckItem",
            ],
            indexes=[GSI1],
        )
        data.grant_audit_append(role)
        data.grant_idempotency(role)
        platform.keys.grant_parameters(role, platform.config.secure_parameter_names)

        platform.api.add_routes(self.place_signal.function, ROUTES)
