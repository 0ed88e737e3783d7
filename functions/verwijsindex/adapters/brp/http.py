"""HTTP to the BRP APIs (Haal Centraal bevragen and the BRP Update API), as a region connects.

- Authentication: RvIG serves the BRP API over Diginetwerk with mutual TLS (the region's
  PKIoverheid certificate and key) and an OAuth2 client-credentials token; a municipal gateway
  usually takes an API key instead. Both modes, with or without the client certificate.
- Failures are sorted by what helps: 429/502/503/504 and timeouts are retried with backoff
  (honouring Retry-After) within the request's time budget, then reported as unavailable;
  400/401/403/404/406/415 mean the link is configured wrongly and are never retried; a circuit
  breaker stops every Lambda from waiting out its timeout while the BRP is down.
- Nothing here lets a BSN reach a message or a log: errors name the status or the exception
  type only, and urllib3's own log lines (which carry the URL path, where the Update API puts
  the BSN) are redacted.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import urllib3
from pydantic import BaseModel, ConfigDict, ValidationError

from verwijsindex.ports.person_registry import (
    InvalidParam,
    PersonRegistryError,
    RegistryMisconfigured,
    RegistryUnavailable,
)

_NINE_DIGITS = re.compile(r"(?<![0-9])[0-9]{9}(?![0-9])")


def redact(text: str) -> str:
    """Every run of exactly nine digits (a possible BSN) replaced."""
    return _NINE_DIGITS.sub("<bsn>", text)


class _RedactBsn(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


for _name in ("urllib3.connectionpool", "urllib3.poolmanager", "urllib3.util.retry", "urllib3.response"):
    logging.getLogger(_name).addFilter(_RedactBsn())

# Statuses that say "not now": worth another try within the budget.
_TRANSIENT = frozenset({429, 502, 503, 504})
# Statuses that say "this request is wrong as such": our configuration, not the BRP's state.
_MISCONFIGURED = frozenset({400, 401, 403, 404, 405, 406, 415})


class _Problem(BaseModel):
    """A Haal Centraal problem body (RFC 7807 plus `code` and `invalidParams`)."""

    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True)

    code: str = ""
    invalidParams: tuple[InvalidParam, ...] = ()


def _problem(data: bytes) -> _Problem:
    try:
        problem = _Problem.model_validate(json.loads(data))
    except (ValueError, ValidationError):
        return _Problem()
    # Names and reasons are the API's own texts; a value could still be quoted in a reason.
    params = tuple(
        InvalidParam(name=redact(p.name)[:100], code=redact(p.code)[:50], reason=redact(p.reason)[:200])
        for p in problem.invalidParams
    )
    return _Problem(code=redact(problem.code)[:50], invalidParams=params)


def retry_after_seconds(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Retry-After as seconds or as an HTTP date (RFC 9110 10.2.3); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now())
    except (TypeError, ValueError):
        return None


# --- authentication -----------------------------------------------------------------------------


class Auth(Protocol):
    def headers(self) -> dict[str, str]: ...

    def rejected(self) -> bool:
        """The BRP answered 401: forget what may be stale; True if a new attempt can help."""
        ...


def _secret(source: str | Callable[[], str], what: str) -> str:
    if isinstance(source, str):
        return source
    try:
        return source()
    except Exception as error:
        raise RegistryMisconfigured(f"BRP {what} is not available ({type(error).__name__})", status=0) from None


@dataclass
class ApiKeyAuth:
    """A municipal gateway's API key in `X-API-Key`; read per request, so a rotated key is picked up."""

    key: str | Callable[[], str]
    header: str = "X-API-Key"

    def headers(self) -> dict[str, str]:
        return {self.header: _secret(self.key, "API key")}

    def rejected(self) -> bool:
        return False


class _Token(BaseModel):
    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True)

    access_token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme's name, not a secret
    expires_in: float = 300.0


@dataclass
class OAuth2ClientCredentials:
    """An OAuth2 client-credentials token (RFC 6749 4.4), cached until shortly before it expires.

    The client authenticates with HTTP Basic (RFC 6749 2.3.1); over mutual TLS the token
    endpoint sees the same certificate as the API."""

    token_url: str
    client_id: str
    client_secret: str | Callable[[], str]
    http: urllib3.PoolManager
    scope: str = ""
    timeout_seconds: float = 5.0
    clock: Callable[[], float] = time.monotonic
    margin_seconds: float = 30.0
    _token: str = field(default="", init=False, repr=False)
    _valid_until: float = field(default=0.0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._current()}"}

    def rejected(self) -> bool:
        with self._lock:
            had_token = bool(self._token)
            self._token, self._valid_until = "", 0.0
        return had_token

    def _current(self) -> str:
        with self._lock:
            if self._token and self.clock() < self._valid_until:
                return self._token
            token = self._fetch()
            self._token = token.access_token
            self._valid_until = self.clock() + max(0.0, token.expires_in - self.margin_seconds)
            return self._token

    def _fetch(self) -> _Token:
        fields = {"grant_type": "client_credentials"}
        if self.scope:
            fields["scope"] = self.scope
        basic = urllib3.make_headers(basic_auth=f"{self.client_id}:{_secret(self.client_secret, 'client secret')}")
        try:
            response = self.http.request(
                "POST",
                self.token_url,
                fields=fields,
                encode_multipart=False,
                headers={**basic, "Accept": "application/json"},
                timeout=urllib3.Timeout(total=self.timeout_seconds),
                retries=False,
            )
        except urllib3.exceptions.HTTPError as error:
            raise RegistryUnavailable(f"BRP token request failed: {type(error).__name__}") from None
        if response.status in _TRANSIENT or response.status >= 500:
            raise RegistryUnavailable(
                f"BRP token endpoint answered HTTP {response.status}",
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            )
        if response.status != 200:
            # 400 invalid_client / 401: the client id, secret or certificate is wrong.
            raise RegistryMisconfigured(f"BRP token endpoint answered HTTP {response.status}", status=response.status)
        try:
            return _Token.model_validate(json.loads(response.data))
        except (ValueError, ValidationError):
            raise RegistryMisconfigured("BRP token endpoint reply is not a token", status=response.status) from None


# --- mutual TLS ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientCertificate:
    """The region's PKIoverheid certificate (with its chain) and private key, as PEM text;
    optionally the CA bundle that signed the BRP's server certificate."""

    certificate_pem: str
    key_pem: str
    ca_bundle_pem: str = ""


def pool(certificate: ClientCertificate | None = None, *, maxsize: int = 4) -> urllib3.PoolManager:
    """A connection pool; with a client certificate for mutual TLS.

    urllib3 retries nothing itself: the client below decides, within its budget."""
    if certificate is None:
        return urllib3.PoolManager(retries=False, maxsize=maxsize)
    context = urllib3.util.ssl_.create_urllib3_context()
    # ssl loads a certificate and key from files only: private ones, in a private directory.
    directory = tempfile.mkdtemp(prefix="brp-tls-")
    cert_path, key_path = os.path.join(directory, "client.pem"), os.path.join(directory, "client.key")
    for path, text in ((cert_path, certificate.certificate_pem), (key_path, certificate.key_pem)):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(text)
    try:
        context.load_cert_chain(cert_path, key_path)
    except (ssl.SSLError, OSError) as error:
        raise RegistryMisconfigured(f"BRP client certificate cannot be loaded ({type(error).__name__})", 0) from None
    finally:
        os.unlink(key_path)  # loaded into the context; no copy of the key stays on disk
        os.unlink(cert_path)
        os.rmdir(directory)
    if certificate.ca_bundle_pem:
        context.load_verify_locations(cadata=certificate.ca_bundle_pem)
    else:
        context.load_default_certs()
    return urllib3.PoolManager(retries=False, maxsize=maxsize, ssl_context=context)


# --- the circuit breaker -------------------------------------------------------------------------


@dataclass
class CircuitBreaker:
    """Closed: requests pass. After `threshold` unavailable answers in a row: open, every request
    fails at once for `cooldown_seconds`. Then one trial request; its outcome closes or reopens.

    Per Lambda container: a cold container tries again, which is the trial a fleet needs."""

    threshold: int = 5
    cooldown_seconds: float = 30.0
    clock: Callable[[], float] = time.monotonic
    _failures: int = field(default=0, init=False)
    _open_until: float = field(default=0.0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def before(self) -> None:
        with self._lock:
            if self._failures < self.threshold:
                return
            now = self.clock()
            if now < self._open_until:
                raise RegistryUnavailable("BRP circuit is open", retry_after=self._open_until - now)
            # Half open: this request is the trial; others wait another cool-down meanwhile.
            self._open_until = now + self.cooldown_seconds

    def succeeded(self) -> None:
        with self._lock:
            self._failures = 0
            self._open_until = 0.0

    def failed(self) -> None:
        with self._lock:
            self._failures += 1
            if self._failures >= self.threshold:
                self._open_until = self.clock() + self.cooldown_seconds

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._failures >= self.threshold and self.clock() < self._open_until


# --- the client ----------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    data: bytes


@dataclass
class BrpHttp:
    """One BRP request with its retries, inside a time budget shorter than the caller's own
    timeout (API Gateway gives 29 s; a placement should answer well within that)."""

    auth: Auth
    http: urllib3.PoolManager = field(default_factory=pool)
    budget_seconds: float = 8.0
    attempt_timeout_seconds: float = 3.0
    backoff_seconds: float = 0.2
    breaker: CircuitBreaker = field(default_factory=CircuitBreaker)
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random

    def send(self, method: str, url: str, body: Mapping[str, Any] | None = None, *, ok: frozenset[int]) -> Reply:
        """The reply when its status is in `ok`; otherwise RegistryUnavailable, RegistryMisconfigured
        or PersonRegistryError. Messages never hold the URL (the Update API puts a BSN in it)."""
        self.breaker.before()
        deadline = self.clock() + self.budget_seconds
        attempt, reauthenticated = 0, False
        payload = None if body is None else json.dumps(body).encode()
        while True:
            attempt += 1
            remaining = deadline - self.clock()
            retry_after: float | None = None
            try:
                response = self.http.request(
                    method,
                    url,
                    body=payload,
                    headers={
                        "Accept": "application/json",
                        **({"Content-Type": "application/json"} if payload is not None else {}),
                        **self.auth.headers(),
                    },
                    timeout=urllib3.Timeout(total=max(0.05, min(self.attempt_timeout_seconds, remaining))),
                    retries=False,
                    redirect=False,
                )
            except RegistryUnavailable:
                self.breaker.failed()
                raise
            except urllib3.exceptions.SSLError as error:
                # A refused certificate (ours or theirs) stays refused: the link's configuration.
                raise RegistryMisconfigured(f"BRP TLS handshake failed: {type(error).__name__}", status=0) from None
            except urllib3.exceptions.HTTPError as error:
                reason = f"BRP request failed: {type(error).__name__}"
            else:
                if response.status in ok:
                    self.breaker.succeeded()
                    return Reply(response.status, response.data)
                if response.status == 401 and not reauthenticated and self.auth.rejected():
                    reauthenticated = True  # a token revoked early: one fresh token, at once
                    continue
                if response.status in _MISCONFIGURED:
                    problem = _problem(response.data)
                    raise RegistryMisconfigured(
                        f"BRP answered HTTP {response.status}" + (f" ({problem.code})" if problem.code else ""),
                        status=response.status,
                        code=problem.code,
                        invalid_params=problem.invalidParams,
                    )
                if response.status not in _TRANSIENT:
                    self.breaker.failed()
                    raise RegistryUnavailable(f"BRP answered HTTP {response.status}")
                reason = f"BRP answered HTTP {response.status}"
                retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            delay = self.backoff_seconds * (2 ** (attempt - 1)) * (0.5 + self.jitter() / 2)
            if retry_after is not None:
                delay = max(delay, retry_after)
            if self.clock() + delay >= deadline:
                self.breaker.failed()
                raise RegistryUnavailable(f"{reason}; gave up after {attempt} attempt(s)", retry_after=retry_after)
            self.sleep(delay)


def parse_json(reply: Reply, what: str) -> Any:
    try:
        return json.loads(reply.data)
    except ValueError:
        # `from None`: the parser's error could quote the reply, BSN and name included.
        raise PersonRegistryError(f"{what} reply is not JSON") from None
