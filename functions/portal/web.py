"""The portal's composition root: its sessions, renderer and sign-in, next to the region's
services (the same use cases the API calls)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

import boto3

from portal.config import PortalConfig
from portal.rendering import Renderer
from portal.sessions import Principal, Sessions
from verwijsindex import wiring
from verwijsindex.adapters.cognito import CognitoLogin
from verwijsindex.adapters.dynamo.session_store import SessionStore
from verwijsindex.composition import Installed


@dataclass
class Portal:
    config: PortalConfig
    # The people the local sign-in page offers, as they are now (make run and tests only).
    local_users: Callable[[], list[Principal]] = field(default=list)

    @property
    def services(self) -> wiring.Services:
        return wiring.current()

    @cached_property
    def sessions(self) -> Sessions:
        return Sessions(
            store=SessionStore(self.services.dynamodb, self.config.session_table_name),
            clock=self.services.clock,
            lifetime=timedelta(hours=self.config.session_hours),
            idle=timedelta(minutes=self.config.idle_minutes),
        )

    @cached_property
    def renderer(self) -> Renderer:
        return Renderer(
            base_path=self.config.base_path, theme_class=self.config.theme_class, region_name=self.config.region_name
        )

    @cached_property
    def cognito(self) -> CognitoLogin | None:
        if self.config.login != "cognito":
            return None
        return CognitoLogin(
            domain=self.config.cognito_domain,
            client_id=self.config.cognito_client_id,
            issuer=self.config.cognito_issuer,
            user_pool_id=self.config.cognito_user_pool_id,
            callback_url=self.config.callback_url,
            signed_out_url=self.config.signed_out_url,
            idp=boto3.client("cognito-idp"),
        )


_portal: Installed[Portal] = Installed(lambda: Portal(PortalConfig.from_env()))
install = _portal.install
current = _portal.current
