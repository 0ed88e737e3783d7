"""The portal's configuration, read once from its environment (pydantic at the boundary)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class PortalConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    session_table_name: str = Field(alias="SESSION_TABLE_NAME", min_length=3)
    # Where the portal lives as the browser sees it ("/prod/portaal" behind a stage without domain).
    base_path: str = Field(default="/portaal", alias="PORTAL_BASE_PATH", pattern=r"^(/[\w.-]+)+$")
    # The CSS class the region's design-token file defines (NL Design System theme).
    theme_class: str = Field(default="utrecht-theme", alias="PORTAL_THEME_CLASS", pattern=r"^[a-z][a-z0-9-]*$")
    region_name: str = Field(default="Verwijsindex", alias="PORTAL_REGION_NAME", max_length=100)
    # "local": the sign-in page lists the sample users (make run, tests); never set in the stack.
    login: Literal["cognito", "local"] = Field(default="cognito", alias="PORTAL_LOGIN")
    cognito_domain: str = Field(default="", alias="COGNITO_DOMAIN", pattern=r"^(https://[\w.-]+)?$")
    cognito_client_id: str = Field(default="", alias="COGNITO_CLIENT_ID")
    cognito_user_pool_id: str = Field(default="", alias="COGNITO_USER_POOL_ID")
    cognito_issuer: str = Field(default="", alias="COGNITO_ISSUER")
    # The portal's own origin, e.g. https://portaal.regio.example.org (callback and sign-out URLs).
    public_origin: str = Field(default="", alias="PORTAL_PUBLIC_ORIGIN", pattern=r"^(https?://[\w.:-]+)?$")
    session_hours: int = Field(default=8, alias="PORTAL_SESSION_HOURS", ge=1, le=12)
    idle_minutes: int = Field(default=30, alias="PORTAL_IDLE_MINUTES", ge=5, le=120)

    @model_validator(mode="after")
    def _cognito_is_complete(self) -> PortalConfig:
        if self.login == "cognito":
            needed = (self.cognito_domain, self.cognito_client_id, self.cognito_issuer, self.public_origin)
            if not all(needed):
                raise ValueError(
                    "COGNITO_DOMAIN, COGNITO_CLIENT_ID, COGNITO_ISSUER and PORTAL_PUBLIC_ORIGIN are required"
                )
        return self

    @property
    def callback_url(self) -> str:
        return f"{self.public_origin}{self.base_path}/callback"

    @property
    def signed_out_url(self) -> str:
        return f"{self.public_origin}{self.base_path}/inloggen"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> PortalConfig:
        return cls.model_validate(dict(os.environ if environ is None else environ))
