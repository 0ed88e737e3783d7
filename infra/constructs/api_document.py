"""The published contract: GET /openapi.json on both APIs, answered by a small function that reads the
committed OpenAPI documents from the code asset. It touches no data, so its role allows only its logs."""

from __future__ import annotations

from aws_cdk import Duration
from constructs import Construct

from infra.constructs.function import ServiceFunction
from infra.constructs.identity import Identity
from infra.constructs.platform import Platform

HANDLER = "api_document.handler.lambda_handler"


class ApiDocument(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, platform: Platform, identity: Identity) -> None:
        super().__init__(scope, construct_id)
        self.api_document = ServiceFunction(
            self,
            "ApiDocument",
            defaults=platform.defaults,
            handler=HANDLER,
            service="api_document",
            description="Verwijsindex: the OpenAPI document of each API, without a token",
            timeout=Duration.seconds(5),
            memory_size=256,
            environment={"TOKEN_URL": f"{identity.domain.base_url()}/oauth2/token"},
        )
        platform.api.add_document(self.api_document.function)
