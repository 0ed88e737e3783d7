"""The portal's server-side sessions (backend-for-frontend): the browser holds only a random
cookie value; who the person is, and the CSRF token of their forms, stay on the server."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools.shared.cookies import Cookie, SameSite
from pydantic import BaseModel, ConfigDict

from verwijsindex.adapters.dynamo.session_store import SessionStore, StoredSession
from verwijsindex.api.identity import Caller, CallerKind, Group
from verwijsindex.domain.clock import Clock

# `__Host-`: the browser accepts it only with Secure, Path=/ and no Domain, so no other site or
# subdomain can set or overwrite it. HttpOnly keeps it from page scripts; Lax keeps it off
# cross-site form posts and still lets the sign-in redirect back in.
SESSION_COOKIE = "__Host-vi-sessie"
LOGIN_COOKIE = "__Host-vi-inloggen"
LOGIN_MINUTES = 10
# Re-saving a session on every page would double its writes; a minute of slack on the idle limit.
TOUCH_AFTER = timedelta(minutes=1)


class Principal(BaseModel):
    """Who signed in, as the identity provider (or the local sign-in) vouched for them."""

    model_config = ConfigDict(frozen=True)

    user_id: str
    org_id: str | None = None
    groups: tuple[str, ...] = ()
    name: str
    organisation: str = ""
    username: str = ""  # the Cognito user name, for signing out everywhere

    def caller(self) -> Caller:
        return Caller(kind=CallerKind.USER, subject=self.user_id, org_id=self.org_id, groups=frozenset(self.groups))

    @property
    def is_professional(self) -> bool:
        return Group.PROFESSIONAL.value in self.groups

    @property
    def is_operator(self) -> bool:
        return Group.OPERATOR.value in self.groups


class Session(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    principal: Principal
    csrf: str
    started_at: datetime
    seen_at: datetime

    def csrf_matches(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf, token or "")


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def cookie(name: str, value: str, max_age: int) -> Cookie:
    return Cookie(
        name=name, value=value, path="/", secure=True, http_only=True, same_site=SameSite.LAX_MODE, max_age=max_age
    )


def expired_cookie(name: str) -> Cookie:
    return cookie(name, "", 0)


@dataclass
class Sessions:
    store: SessionStore
    clock: Clock
    lifetime: timedelta
    idle: timedelta

    def start(self, principal: Principal) -> tuple[str, Session]:
        """A new session; the caller sets the returned value as the session cookie."""
        value = secrets.token_urlsafe(32)
        now = self.clock.now()
        session = Session(
            key=_hash(value), principal=principal, csrf=secrets.token_urlsafe(32), started_at=now, seen_at=now
        )
        self._save(session)
        return value, session

    def session_cookie(self, value: str) -> Cookie:
        return cookie(SESSION_COOKIE, value, int(self.lifetime.total_seconds()))

    def current(self, value: str | None) -> Session | None:
        if not value:
            return None
        now = self.clock.now()
        stored = self.store.get(_hash(value), now)
        if stored is None or stored.kind != "session":
            return None
        session = Session.model_validate(stored.data)
        if now - session.seen_at >= TOUCH_AFTER:
            session = session.model_copy(update={"seen_at": now})
            self._save(session)
        return session

    def end(self, session: Session) -> None:
        self.store.delete(session.key)

    def end_everywhere(self, session: Session) -> int:
        """Every session of this person, in every browser."""
        self.store.delete(session.key)
        return self.store.delete_for_user(session.principal.user_id)

    def _save(self, session: Session) -> None:
        expires = min(session.started_at + self.lifetime, session.seen_at + self.idle)
        self.store.put(
            StoredSession(
                key=session.key,
                kind="session",
                user_id=session.principal.user_id,
                data=session.model_dump(mode="json"),
                expires_at=expires,
            )
        )

    # --- a sign-in in progress (authorization code flow with PKCE) ----------------------------

    def start_login(self, data: dict[str, Any]) -> str:
        value = secrets.token_urlsafe(32)
        expires = self.clock.now() + timedelta(minutes=LOGIN_MINUTES)
        self.store.put(StoredSession(key=_hash(value), kind="login", data=data, expires_at=expires))
        return value

    def take_login(self, value: str | None) -> dict[str, Any] | None:
        """The sign-in started in this browser, once: a replayed callback finds nothing."""
        if not value:
            return None
        key = _hash(value)
        stored = self.store.get(key, self.clock.now())
        self.store.delete(key)
        return stored.data if stored is not None and stored.kind == "login" else None
