"""What the OpenAPI document says about every operation besides its models: who may call it
(security schemes as deployed) and which problems it can answer, with the body really sent."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel, ConfigDict, Field

from verwijsindex.api.identity import SIGNALS_SCOPE, Group
from verwijsindex.api.problems import PROBLEM_JSON


class Tag(StrEnum):
    """The groups of operations in the document, each with the description it shows."""

    description: str

    def __new__(cls, value: str, description: str) -> Tag:
        tag = str.__new__(cls, value)
        tag._value_ = value
        tag.description = description
        return tag

    SIGNALS = "signals", "Place, list, read and close signals (professionals and case systems)."
    MATCHES = "matches", "Matches of a signal, the history of a youth, and coordination of a match."
    REGISTRY = "registry", "The region's affiliated organisations and their professionals (operator)."
    RIGHTS = "rights", "Rights requests of families through the municipality (operator)."
    AUDIT = "audit", "The audit trail (operator)."
    STATISTICS = "statistics", "Counts of the index's use without personal data (operator)."
    BRP = "brp", "Deaths and moves reported by the BRP subscription."
    OPERATIONS = "operations", "Work the index could not finish by itself, for the operator to follow up."


# Security schemes, named as in the document's components.
ID_TOKEN = "idToken"  # noqa: S105 - a scheme's name, not a secret
CASE_SYSTEM_TOKEN = "caseSystemToken"  # noqa: S105 - a scheme's name, not a secret
CASE_SYSTEM_API_KEY = "caseSystemApiKey"

# The token URL of the example region (infra/regions/example.toml); a deployed API's
# /openapi.json names its own.
EXAMPLE_TOKEN_URL = "https://verwijsindex-example.auth.eu-west-1.amazoncognito.com/oauth2/token"  # noqa: S105

SECURITY_SCHEMES: dict[str, Any] = {
    ID_TOKEN: {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": (
            "People (portal API): the Cognito ID token of a signed-in user, whose `cognito:groups` "
            "name their role (professional, operator, brp) and whose `custom:org_id` names a "
            "professional's organisation. The requirement of each operation lists the groups that "
            "may call it."
        ),
    },
    CASE_SYSTEM_TOKEN: {
        "type": "oauth2",
        "description": (
            "Case systems (case-system API): an access token from the OAuth2 client-credentials "
            f"grant with scope `{SIGNALS_SCOPE}`, sent as `Authorization: Bearer <token>`."
        ),
        "flows": {
            "clientCredentials": {
                "tokenUrl": EXAMPLE_TOKEN_URL,
                "scopes": {SIGNALS_SCOPE: "Place, read and close the signals of the client's organisation."},
            }
        },
    },
    CASE_SYSTEM_API_KEY: {
        "type": "apiKey",
        "in": "header",
        "name": "x-api-key",
        "description": "Case systems: the API key of the client's usage plan (throttling and quota).",
    },
}


def people(*groups: Group) -> list[dict[str, list[str]]]:
    """An operation for people in one of `groups` (portal API only)."""
    return [{ID_TOKEN: [group.value for group in groups]}]


def people_and_case_systems(*groups: Group) -> list[dict[str, list[str]]]:
    """An operation on both APIs: people in `groups`, or a case system with token and API key."""
    return [*people(*groups), {CASE_SYSTEM_TOKEN: [SIGNALS_SCOPE], CASE_SYSTEM_API_KEY: []}]


def serves_case_systems(security: list[dict[str, list[str]]] | None) -> bool:
    return any(CASE_SYSTEM_TOKEN in requirement for requirement in security or [])


class FieldError(BaseModel):
    model_config = ConfigDict(title="FieldError")

    field: str = Field(
        description="The field at fault: a dotted path into the body (`professional.email`), a query "
        "parameter or a header (`Idempotency-Key`).",
        examples=["bsn"],
    )
    message: str = Field(description="What is wrong with it; never a repetition of the value sent.")


class Problem(BaseModel):
    """An RFC 9457 problem: every error of this API has this body, as application/problem+json."""

    model_config = ConfigDict(title="Problem")

    type: str = Field(default="about:blank", description="Always `about:blank`: the status says it all.")
    title: str = Field(description="The HTTP status phrase.", examples=["Unprocessable Entity"])
    status: int = Field(description="The HTTP status code, repeated.", examples=[422])
    detail: str = Field(description="What went wrong, for a person to read.", examples=["not a valid BSN"])
    errors: list[FieldError] | None = Field(
        default=None, description="Present when fields are at fault: one entry per field and problem."
    )


# Why each status can be answered; an operation lists the ones that apply to it.
PROBLEM_REASONS: dict[int, str] = {
    400: "The body is not JSON, or nests more than 32 levels deep.",
    401: "No valid token (answered by API Gateway's authorizer before any function runs).",
    403: "The caller may not do this: wrong group or scope, an unregistered or suspended organisation.",
    404: "Nothing with this id that the caller's organisation may see (the same answer whether it "
    "exists elsewhere or not).",
    409: "The request conflicts with the current state.",
    413: "The body is larger than 8 KiB.",
    415: "The body is not sent as application/json.",
    422: "A field is invalid; `errors` names each field at fault. Nothing was stored.",
    429: "Too many requests: throttled by API Gateway or the usage plan; retry later.",
    500: "Something failed on our side; nothing changed unless a response said so.",
    503: "The person registry (BRP) cannot be reached; nothing was stored. Retry later.",
}
ALWAYS = (401, 403, 422, 429, 500)
WITH_BODY = (400, 413, 415)
Responses = dict[int, OpenAPIResponse]


def problems(*statuses: int, body: bool = False) -> Responses:
    """The problem responses of an operation: `statuses`, those of every operation, and with
    `body` those of an operation that reads a JSON body."""
    chosen = sorted({*statuses, *ALWAYS, *(WITH_BODY if body else ())})
    return {
        status: {"description": PROBLEM_REASONS[status], "content": {PROBLEM_JSON: {"model": Problem}}}
        for status in chosen
    }


def answers(success: str | Mapping[int, str | OpenAPIResponse], *statuses: int, body: bool = False) -> Responses:
    """The responses of an operation: its success (200 unless the keys say otherwise), described
    in words, its model taken from the function's return annotation (or a response in full where
    it answers other media types too); then its `problems`."""
    described = {200: success} if isinstance(success, str) else success
    return {
        **{status: {"description": r} if isinstance(r, str) else r for status, r in described.items()},
        **problems(*statuses, body=body),
    }


def answer_or_text(description: str, model: Any, media_type: str, text: str) -> OpenAPIResponse:
    """JSON, or the same answer as a text document of another media type (a page, a CSV file)."""
    return {
        "description": description,
        "content": {
            "application/json": {"model": model},
            media_type: {"schema": {"type": "string", "description": text}},
        },
    }
