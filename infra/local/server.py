"""`make run`: the region's handlers behind a local HTTP server on an embedded moto.

HTTP requests become API Gateway proxy events with the claims a Cognito authorizer
would add; /_local/* endpoints exist only here, never in the CDK stack.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import threading
from collections.abc import Callable
from datetime import date, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from infra.local.clock import TODAY_SETTING, LocalClock
from infra.local.contract import contract_response
from infra.local.events import LocalContext, machine_claims, proxy_event, user_claims
from infra.local.nation import RegionView, start_nation
from infra.local.portal import LocalPortal, start_portal
from infra.local.region import LocalRegion
from infra.local.tokens import LocalTokens
from verwijsindex.domain.clock import AMSTERDAM
from verwijsindex.domain.models import Youth
from verwijsindex.logic.importing import ImportOptions, Notify

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


class ImportRequest(BaseModel):
    """`POST /_local/import`: a file on this machine, and the operator's command's options."""

    model_config = ConfigDict(extra="forbid")

    path: str
    source: str
    notify: Notify = Notify.SILENT
    dry_run: bool = False
    org_map: dict[str, str] = {}
    professional_map: dict[str, str] = {}
    operator: str = "operator-1"


class ExportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    folder: str
    bsns: list[str] = []
    operator: str = "operator-1"


class Reply(NamedTuple):
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @classmethod
    def of(cls, status: int, content_type: str, text: str) -> Reply:
        return cls(status, [("Content-Type", content_type)], text.encode("utf-8"))

    @classmethod
    def from_proxy_result(cls, result: dict[str, Any]) -> Reply:
        """A Lambda proxy result as API Gateway sends it: the multi-value headers and the
        single-value ones not among them; a base64 body decoded."""
        multi: dict[str, list[str]] = result.get("multiValueHeaders") or {}
        single = {k: v for k, v in (result.get("headers") or {}).items() if k not in multi}
        headers = [(k, str(v)) for k, v in single.items()] + [(k, str(v)) for k, vs in multi.items() for v in vs]
        raw = result.get("body") or ""
        body = base64.b64decode(raw) if result.get("isBase64Encoded") else raw.encode("utf-8")
        return cls(int(result["statusCode"]), headers, body)


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

    def handle(self, method: str, target: str, headers: list[tuple[str, str]], body: bytes) -> Reply:
        """One HTTP request, as sent (headers in order, repeated ones kept), to its answer: the
        portal's pages, the emulation's /_local/ endpoints, else the API."""
        parts = urlsplit(target)
        path = parts.path.rstrip("/") or "/"
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return Reply.of(*_problem(400, "The request body is not valid UTF-8 text."))
        with self._lock:
            if self.portal is not None and self.portal.owns(parts.path):
                return Reply(*self.portal.respond(method, target, {k.lower(): v for k, v in headers}, text))
            if path.startswith("/_local/"):
                return Reply.of(*self._local(method, path, text))
            if (document := contract_response(method, path)) is not None:
                return Reply.of(*document)
            return self._api(method, path, parts.query, headers, text)

    def _api(self, method: str, path: str, query: str, headers: list[tuple[str, str]], text: str) -> Reply:
        """An API request as API Gateway passes it on: its own refusals first, then the function."""
        handler = self.region.handler_for(path)
        if handler is None:
            return Reply.of(*_problem(404, "No such resource."))
        authorization = next((v for k, v in reversed(headers) if k.lower() == "authorization"), None)
        claims = self.tokens.claims(authorization)
        if (refusal := _gateway_refusal(claims, headers)) is not None:
            return refusal
        event = proxy_event(
            method,
            path,
            body=text or None,
            claims=claims,
            headers=headers,
            query=parse_qsl(query, keep_blank_values=True),
        )
        response = handler(event, LocalContext())
        self.region.after_request()
        return Reply.from_proxy_result(response)

    def _local(self, method: str, path: str, body: str) -> tuple[int, str, str]:
        endpoints: dict[tuple[str, str], Callable[[str], tuple[int, str, str]]] = {
            ("POST", "/_local/token"): self._token,
            ("POST", "/_local/brp/persons"): self._add_person,
            ("GET", "/_local/outbox"): lambda _: _json(200, self.region.outbox()),
            ("GET", "/_local/clock"): lambda _: self._clock_reading(),
            ("POST", "/_local/clock"): self._move_clock,
            ("POST", "/_local/import"): self._import,
            ("POST", "/_local/export"): self._export,
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

    def _import(self, body: str) -> tuple[int, str, str]:
        request = ImportRequest.model_validate_json(body or "{}")
        if not isinstance(self.region, LocalRegion):
            return _problem(404, "Imports run in one region: make run.")
        options = ImportOptions(
            source=request.source,
            notify=request.notify,
            dry_run=request.dry_run,
            org_map=request.org_map,
            professional_map=request.professional_map,
        )
        return _json(200, self.region.run_import(request.path, options, request.operator))

    def _export(self, body: str) -> tuple[int, str, str]:
        request = ExportRequest.model_validate_json(body or "{}")
        if not isinstance(self.region, LocalRegion):
            return _problem(404, "Exports run in one region: make run.")
        return _json(200, self.region.run_export(request.folder, request.bsns, request.operator))

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


def _gateway_refusal(claims: dict[str, Any] | None, headers: list[tuple[str, str]]) -> Reply | None:
    """What API Gateway answers itself, before any function runs."""
    if claims is None:  # the Cognito authorizer
        return Reply.of(*_problem(401, "Send a valid token: Authorization: Bearer <token>."))
    if claims.get("token_use") == "access" and not any(k.lower() == "x-api-key" for k, _ in headers):
        # The case-system API requires its API key (locally any value will do).
        return Reply.of(*_problem(403, "Send the API key of your usage plan as x-api-key."))
    return None


# API Gateway refuses longer URLs; the stdlib server alone would drop the connection at 64 KB.
MAX_URL = 10_240
MAX_REQUEST_LINE = 1 << 20


def make_server(app: LocalApp, host: str, port: int) -> ThreadingHTTPServer:
    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as API Gateway

        def handle_one_request(self) -> None:
            # As the stdlib's, but a long request line is read whole and refused with a problem.
            self.raw_requestline = self.rfile.readline(MAX_REQUEST_LINE + 1)
            if not self.raw_requestline or len(self.raw_requestline) > MAX_REQUEST_LINE:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if len(self.path) > MAX_URL:
                self._send(Reply.of(*_problem(414, f"The URL is longer than {MAX_URL} characters.")))
                return
            self._send(app.handle(self.command, self.path, list(self.headers.items()), body))

        def _send(self, reply: Reply) -> None:
            self.send_response(reply.status)
            for name, value in reply.headers:
                if name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
            self.wfile.flush()

        def log_message(self, format: str, *args: Any) -> None:
            # Method, path and status only: query strings and bodies may hold personal data.
            path = urlsplit(self.path).path[:200] if hasattr(self, "path") else ""
            sys.stderr.write(f"{getattr(self, 'command', '')} {path} -> {args[1] if len(args) > 1 else ''}\n")

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128  # a burst of connections waits to be accepted, none is refused

    return Server((host, port), RequestHandler)


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
