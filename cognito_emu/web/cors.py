"""CORS for browser SDKs (Amplify, amazon-cognito-identity-js in a page) calling us directly."""

from __future__ import annotations

from typing import Any

_DEFAULT_ALLOW_HEADERS = (
    "content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, authorization, "
    "cache-control, amz-sdk-invocation-id, amz-sdk-request"
)
_EXPOSE = "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date"


def cors_headers(environ: dict[str, Any]) -> list[tuple[str, str]]:
    origin = environ.get("HTTP_ORIGIN")
    headers = [
        ("Access-Control-Allow-Origin", origin or "*"),
        ("Access-Control-Expose-Headers", _EXPOSE),
    ]
    if origin:
        headers.append(("Access-Control-Allow-Credentials", "true"))
        headers.append(("Vary", "Origin"))
    return headers


def preflight_headers(environ: dict[str, Any]) -> list[tuple[str, str]]:
    # Echo what the browser asks for: simplest way to cover every SDK's header set.
    requested = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS") or _DEFAULT_ALLOW_HEADERS
    return [
        *cors_headers(environ),
        ("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS"),
        ("Access-Control-Allow-Headers", requested),
        ("Access-Control-Max-Age", "86400"),
        ("Content-Length", "0"),
    ]
