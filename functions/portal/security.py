"""Headers on every portal response: a strict Content-Security-Policy (no script at all, styles
only from the portal itself), no framing, no sniffing, no referrer, HTTPS only, no caching of pages."""

from __future__ import annotations

from typing import Any

from portal.config import PortalConfig

HTML = "text/html; charset=utf-8"


def content_security_policy(config: PortalConfig) -> str:
    # Forms post to the portal; signing out ends at Cognito's logout page, a redirect that
    # form-action also governs.
    form_action = " ".join(["'self'", *([config.cognito_domain] if config.cognito_domain else [])])
    return (
        "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        f"form-action {form_action}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )


def security_headers(config: PortalConfig) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(config),
        "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
    }


def with_security_headers(response: dict[str, Any], config: PortalConfig) -> dict[str, Any]:
    multi: dict[str, list[str]] = dict(response.get("multiValueHeaders") or {})
    for name, value in (response.get("headers") or {}).items():
        multi.setdefault(name, [value])
    for name, value in security_headers(config).items():
        multi[name] = [value]
    # Pages carry personal data: never stored by browsers or proxies. Static assets say otherwise.
    multi.setdefault("Cache-Control", ["no-store"])
    # Set-Cookie may repeat; every other header has one value.
    headers = {name: values[-1] for name, values in multi.items() if name != "Set-Cookie"}
    return {**response, "headers": headers, "multiValueHeaders": multi}
