"""Runtime configuration of a Lambda, read once from its environment (pydantic at the boundary)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class RuntimeConfig(BaseModel):
    """Names of the resources a function uses. Secrets are referenced, not held, in the stack;
    the plain-value variants (PSEUDONYM_KEY, ...) exist only for the local run and tests."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    table_name: str = Field(alias="TABLE_NAME", min_length=3)
    audit_table_name: str = Field(alias="AUDIT_TABLE_NAME", min_length=3)
    idempotency_table_name: str = Field(default="", alias="IDEMPOTENCY_TABLE_NAME")

    pseudonym_key_parameter: str = Field(default="", alias="PSEUDONYM_KEY_PARAMETER")
    pseudonym_key: str = Field(default="", alias="PSEUDONYM_KEY", repr=False)
    national_pseudonym_key_parameter: str = Field(default="", alias="NATIONAL_PSEUDONYM_KEY_PARAMETER")
    national_pseudonym_key: str = Field(default="", alias="NATIONAL_PSEUDONYM_KEY", repr=False)

    # The BRP link (README "Connecting the BRP"). BRP_AUTH api_key: a municipal gateway's key;
    # oauth2: RvIG's client-credentials token. A client certificate (mutual TLS) goes with either.
    brp_mode: Literal["haal_centraal", "fake"] = Field(default="haal_centraal", alias="BRP_MODE")
    brp_base_url: str = Field(default="", alias="BRP_BASE_URL")
    brp_update_base_url: str = Field(default="", alias="BRP_UPDATE_BASE_URL")
    brp_auth: Literal["api_key", "oauth2"] = Field(default="api_key", alias="BRP_AUTH")
    brp_api_key_parameter: str = Field(default="", alias="BRP_API_KEY_PARAMETER")
    brp_api_key: str = Field(default="", alias="BRP_API_KEY", repr=False)
    brp_token_url: str = Field(default="", alias="BRP_TOKEN_URL")
    brp_client_id: str = Field(default="", alias="BRP_CLIENT_ID")
    brp_scope: str = Field(default="", alias="BRP_SCOPE")
    brp_client_secret_parameter: str = Field(default="", alias="BRP_CLIENT_SECRET_PARAMETER")
    brp_client_secret: str = Field(default="", alias="BRP_CLIENT_SECRET", repr=False)
    brp_client_certificate_parameter: str = Field(default="", alias="BRP_CLIENT_CERTIFICATE_PARAMETER")
    brp_client_key_parameter: str = Field(default="", alias="BRP_CLIENT_KEY_PARAMETER")
    brp_ca_bundle_parameter: str = Field(default="", alias="BRP_CA_BUNDLE_PARAMETER")
    brp_budget_seconds: float = Field(default=8.0, gt=0, le=25, alias="BRP_BUDGET_SECONDS")

    ses_sender: str = Field(default="", alias="SES_SENDER")
    ses_configuration_set: str = Field(default="", alias="SES_CONFIGURATION_SET")

    # The national link: the national bus (an ARN in the national account); empty when
    # the region is not linked. The operator's mailbox receives the move notices.
    national_bus_arn: str = Field(
        default="",
        alias="NATIONAL_BUS_ARN",
        pattern=r"^(arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[\w.-]+)?$",
    )
    operator_email: str = Field(default="", alias="OPERATOR_EMAIL")

    # The Cognito user pool of the people (the registry disables a deactivated professional there).
    user_pool_id: str = Field(default="", alias="USER_POOL_ID")

    @model_validator(mode="after")
    def _keys_are_reachable(self) -> RuntimeConfig:
        if not (self.pseudonym_key_parameter or self.pseudonym_key):
            raise ValueError("PSEUDONYM_KEY_PARAMETER (or PSEUDONYM_KEY locally) is required")
        if not (self.national_pseudonym_key_parameter or self.national_pseudonym_key):
            raise ValueError("NATIONAL_PSEUDONYM_KEY_PARAMETER (or NATIONAL_PSEUDONYM_KEY locally) is required")
        if self.brp_auth == "oauth2" and not (self.brp_token_url and self.brp_client_id):
            raise ValueError("BRP_AUTH=oauth2 needs BRP_TOKEN_URL and BRP_CLIENT_ID")
        if bool(self.brp_client_certificate_parameter) != bool(self.brp_client_key_parameter):
            raise ValueError("BRP_CLIENT_CERTIFICATE_PARAMETER and BRP_CLIENT_KEY_PARAMETER go together")
        return self

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RuntimeConfig:
        return cls.model_validate(dict(os.environ if environ is None else environ))
