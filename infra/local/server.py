"""`make run`: the region's handlers behind a local HTTP server on an embedded moto.

HTTP requests become API Gateway proxy events with the claims a Cognito authorizer
would add; /_local/* endpoints exist only here, never in the CDK stack.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable
from datetime import date, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from infra.local.clock import TODAY_SETTING, LocalClock
from infra.local.contract import contract_response
from infra.local.events import LocalContext, machine_claims, rest_event, user_claims
from infra.local.nation import RegionView, start_nation
from infra.local.portal import LocalPortal, RawResponse, start_portal
from infra.local.region import LocalRegion
from infra.local.tokens import LocalTokens
from verwijsindex.domain.clock import AMSTERDAM
from verwijsindex.domain.models import Youth

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sub: str
    org_id: str | None = None
    groups: list[str] = []
    # Set client_id (and scopes) to act as a case system using client credentials.
    client_id: str | None = None
    scopes: list[str] = []


class ScheduleRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: datetime | None = None  # default: the run's clock


class ClockRequest(BaseModel):
    """Where to move the run's clock: to a day (same time of day) or to a moment."""

    model_config = ConfigDict(extra="forbid")

    today: date | None = None
    at: datetime | None = None

    @model_validator(mode="after")
    def _one_of(self) -> ClockRequest:
        if (self.today is None) == (self.at is None):
            raise ValueError("give either today or at")
        return self


class LocalApp:
    """Routes requests: API paths to the Lambda handlers, /_local/* to the emulation."""

    def __init__(
        self, region: LocalRegion | RegionView, lock: threading.RLock | None = None, portal: LocalPortal | None = None
    ) -> None:
        self.region = region
        self.portal = portal
        self.tokens = LocalTokens(disabled=region.accounts.is_disabled)
        # Handlers share moto and the installed services: one request at a time, like one Lambda
        # (one lock for all servers of the process when several regions run in it).
        self._lock = lock or threading.RLock()
        self.last_allow: str | None = None

    def respond(self, method: str, url: str, headers: dict[str, str], body: str) -> RawResponse:
        """Any request with the headers to send: the portal's pages, else the API."""
        if self.portal is not None and self.portal.owns(urlsplit(url).path):
            with self._lock:
                return self.portal.respond(method, url, headers, body)
        with self._lock:  # the Allow header belongs to this request's response
            status, content_type, text = self.handle(method, url, headers, body)
            allow, self.last_allow = self.last_allow, None
        response_headers = [("Content-Type", content_type), *([("Allow", allow)] if allow else [])]
        return status, response_headers, text.encode("utf-8")

    def handle(self, method: str, url: str, headers: dict[str, str], body: str) -> tuple[int, str, str]:
        parts = urlsplit(url)
        path = parts.path.rstrip("/") or "/"
        with self._lock:
            if path.startswith("/_local/"):
                return self._local(method, path, body)
            if (document := contract_response(method, path)) is not None:
                return document
            handler = self.region.handler_for(path)
            if handler is None:
                return _problem(404, "No such resource.")
            claims = self.tokens.claims(headers.get("authorization"))
            if claims is None:  # API Gateway's Cognito authorizer answers before any function runs
                return _problem(401, "Send a valid token: Authorization: Bearer <token>.")
            if claims.get("token_use") == "access" and not headers.get("x-api-key"):
                # The case-system API requires its API key (locally any value will do).
                return _problem(403, "Send the API key of your usage plan as x-api-key.")
            query = dict(parse_qsl(parts.query)) or None
            forwarded = {k: v for k, v in headers.items() if k.lower() in {"idempotency-key", "content-type"}}
            event = rest_event(method, path, body=body or None, claims=claims, headers=forwarded, query=query)
            response = handler(event, LocalContext())
            self.region.after_request()
        response_headers = {
            **(response.get("headers") or {}),
            **{k: v[-1] for k, v in (response.get("multiValueHeaders") or {}).items() if v},
        }
        self.last_allow = response_headers.get("Allow")
        return response["statusCode"], response_headers.get("Content-Type", "application/json"), response["body"]

    def _local(self, method: str, path: str, body: str) -> tuple[int, str, str]:
        endpoints: dict[tuple[str, str], Callable[[str], tuple[int, str, str]]] = {
            ("POST", "/_local/token"): self._token,
            ("POST", "/_local/brp/persons"): self._add_person,
            ("GET", "/_local/outbox"): lambda _: _json(200, self.region.outbox()),
            ("GET", "/_local/clock"): lambda _: self._clock_reading(),
            ("POST", "/_local/clock"): self._move_clock,
        }
        try:
            if (method, path) in endpoints:
                return endpoints[method, path](body)
            if method == "POST" and path.startswith("/_local/schedules/"):
                return self._schedule(path.removeprefix("/_local/schedules/"), body)
        except ValidationError as error:
            errors = [
                {"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]}
                for e in error.errors(include_input=False)
            ]
            return _problem(422, "The request is not valid.", errors)
        return _problem(404, "No such local endpoint.")

    def _token(self, body: str) -> tuple[int, str, str]:
        request = TokenRequest.model_validate_json(body or "{}")
        if self.tokens.disabled(request.client_id or request.sub):
            return _problem(403, "This account is disabled.")
        claims = (
            machine_claims(request.client_id, request.scopes)
            if request.client_id
            else user_claims(request.sub, request.org_id, request.groups)
        )
        return _json(200, {"token": self.tokens.issue(claims)})

    def _add_person(self, body: str) -> tuple[int, str, str]:
        self.region.persons.add(Youth.model_validate_json(body or "{}"))
        return _json(201, {"added": True})

    def _clock_reading(self) -> tuple[int, str, str]:
        clock = self.region.clock
        return _json(200, {"now": clock.now().astimezone(AMSTERDAM).isoformat(), "today": clock.today().isoformat()})

    def _move_clock(self, body: str) -> tuple[int, str, str]:
        request = ClockRequest.model_validate_json(body or "{}")
        if request.at is not None:
            self.region.clock.move_to(request.at)
        elif request.today is not None:
            self.region.clock.move_to_day(request.today)
        return self._clock_reading()

    def _schedule(self, name: str, body: str) -> tuple[int, str, str]:
        at = ScheduleRequest.model_validate_json(body or "{}").at or self.region.clock.now()
        result = self.region.run_schedule(name, at)
        if result is None:
            return _problem(404, f"No scheduled function named {name!r}.")
        self.region.after_request()
        return _json(200, result)


def _json(status: int, value: Any) -> tuple[int, str, str]:
    return status, "application/json", json.dumps(value, default=str, separators=(",", ":"))


def _problem(status: int, detail: str, errors: list[dict[str, str]] | None = None) -> tuple[int, str, str]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return status, "application/problem+json", json.dumps(body, separators=(",", ":"))


def make_server(app: LocalApp, host: str, port: int) -> ThreadingHTTPServer:
    class RequestHandler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                body = raw.decode("utf-8")
            except UnicodeDecodeError:
                status, content_type, text = _problem(400, "The request body is not UTF-8 text.")
                response_headers, payload = [("Content-Type", content_type)], text.encode("utf-8")
            else:
                status, response_headers, payload = app.respond(self.command, self.path, headers, body)
            self.send_response(status)
            for name, value in response_headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        def __getattr__(self, name: str) -> Any:
            # Every method reaches the router (which answers 405 where a path has other methods),
            # not only those http.server knows.
            if name.startswith("do_"):
                return self._serve
            raise AttributeError(name)

        def log_message(self, format: str, *args: Any) -> None:
            # Method, path and status only: query strings and bodies may hold personal data.
            sys.stderr.write(f"{self.command} {urlsplit(self.path).path} -> {args[1] if len(args) > 1 else ''}\n")

    return ThreadingHTTPServer((host, port), RequestHandler)


def serve(servers: list[tuple[str, ThreadingHTTPServer]], host: str) -> None:
    for label, server in servers:
        print(f"{label} (local, moto-backed) on http://{host}:{server.server_port}  (Ctrl-C stops)", flush=True)
    for _, server in servers:
        print(f"Swagger UI: http://{host}:{server.server_port}/swagger", flush=True)
        print(f"Portal: http://{host}:{server.server_port}/portaal/", flush=True)
    for _, server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        servers[0][1].serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        for _, server in servers:
            server.server_close()


def clock_from_env() -> LocalClock:
    try:
        return LocalClock.starting_on(os.environ.get(TODAY_SETTING))
    except ValueError:
        sys.exit(f"{TODAY_SETTING} must be a date like 2026-11-23, not {os.environ.get(TODAY_SETTING)!r}")


def main() -> None:
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    clock = clock_from_env()
    if "--nation" in sys.argv[1:]:
        # Two regions and the national index: North on PORT, South on PORT + 1.
        nation, mock = start_nation(clock)
        views = [
            (f"Verwijsindex {node.spec.display_name}", RegionView(nation, code, clock))
            for code, node in nation.regions.items()
        ]
        servers = [
            (label, make_server(LocalApp(view, nation.lock), host, port + index if port else 0))
            for index, (label, view) in enumerate(views)
        ]
        try:
            serve(servers, host)
        finally:
            mock.stop()
        return
    region = LocalRegion.start(clock)
    server = make_server(LocalApp(region, portal=start_portal()), host, port)
    try:
        serve([("Verwijsindex", server)], host)
    finally:
        region.stop()


if __name__ == "__main__":
    main()
