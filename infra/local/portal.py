"""The portal in the local run: /portaal/* goes to the portal Lambda's handler as API Gateway
would deliver it (all headers, form bodies, cookies back), `/` redirects there, and
`GET /_local/login?user_id=<sub>` signs in as any registered professional (the seed ones and those
the operator invited) or the operator."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from infra.local.events import LocalContext, rest_event

# (status, headers as sent, body)
RawResponse = tuple[int, list[tuple[str, str]], bytes]
SESSION_TABLE = "verwijsindex-local-sessions"
PORTAL = "/portaal"


class LocalPortal:
    def __init__(self, services: Any, operators: list[dict[str, Any]]) -> None:
        import boto3

        from infra.local.tables import create_session_table
        from portal import web
        from portal.config import PortalConfig
        from portal.signing_in import principal_for

        create_session_table(boto3.client("dynamodb"), SESSION_TABLE)
        self.services = services
        self.operators = {o["sub"]: o for o in operators}

        def people() -> list[Any]:
            """The operators, then every active professional the registry knows now: the seed
            organisations' and whoever the operator invited since."""
            found = [principal_for(services, user_id=o["sub"], org_id=None, groups=o["groups"]) for o in operators]
            registry = services.registry_store
            for organisation in registry.list_organisations():
                for professional in registry.list_professionals(organisation.org_id):
                    if professional.status.value == "active":
                        found.append(
                            principal_for(
                                services,
                                user_id=professional.user_id,
                                org_id=organisation.org_id,
                                groups=["professional"],
                            )
                        )
            return found

        config = PortalConfig.model_validate(
            {"SESSION_TABLE_NAME": SESSION_TABLE, "PORTAL_LOGIN": "local", "PORTAL_REGION_NAME": "Verwijsindex"}
        )
        web.install(web.Portal(config=config, local_users=people))

    @staticmethod
    def owns(path: str) -> bool:
        return path in {"/", PORTAL, "/_local/login"} or path.startswith(PORTAL + "/")

    def respond(self, method: str, url: str, headers: dict[str, str], body: str) -> RawResponse:
        parts = urlsplit(url)
        path = parts.path
        if path == "/":
            return 302, [("Location", PORTAL + "/")], b""
        if path == "/_local/login":
            return self._login(dict(parse_qsl(parts.query)).get("user_id", ""))
        from portal.handler import lambda_handler

        query = dict(parse_qsl(parts.query, keep_blank_values=True)) or None
        event = rest_event(method, path, body=body or None, headers=headers, query=query)
        return _raw(lambda_handler(event, LocalContext()))  # type: ignore[arg-type]

    def _login(self, user_id: str) -> RawResponse:
        from portal.handler import start_session
        from portal.signing_in import principal_for

        if user_id in self.operators:
            principal = principal_for(
                self.services, user_id=user_id, org_id=None, groups=self.operators[user_id]["groups"]
            )
        else:
            org_id = self._organisation_of(user_id)
            if org_id is None:
                body = {
                    "type": "about:blank",
                    "title": "Not Found",
                    "status": 404,
                    "detail": "No such registered user.",
                }
                return 404, [("Content-Type", "application/problem+json")], json.dumps(body).encode()
            principal = principal_for(self.services, user_id=user_id, org_id=org_id, groups=["professional"])
        cookie = start_session(principal)
        return 303, [("Location", PORTAL + "/"), ("Set-Cookie", str(cookie))], b""

    def _organisation_of(self, user_id: str) -> str | None:
        registry = self.services.registry_store
        for organisation in registry.list_organisations():
            if registry.get_professional(organisation.org_id, user_id) is not None:
                return str(organisation.org_id)
        return None


def start_portal() -> LocalPortal:
    """The portal over the region that LocalRegion.start() installed, with its seed users."""
    from infra.local.region import OPERATOR
    from verwijsindex import wiring

    return LocalPortal(wiring.current(), [OPERATOR])


def _raw(response: dict[str, Any]) -> RawResponse:
    headers: list[tuple[str, str]] = []
    multi: dict[str, list[str]] = response.get("multiValueHeaders") or {}
    for name, value in (response.get("headers") or {}).items():
        if name not in multi:
            headers.append((name, str(value)))
    for name, values in multi.items():
        headers += [(name, str(v)) for v in values]
    return response["statusCode"], headers, (response.get("body") or "").encode("utf-8")
