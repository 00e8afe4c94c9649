"""What the tests under tests/api share: clients for either mode, error readers, pools, users, sign-ins."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import boto3
from botocore.config import Config as BotoConfig

from cognito_emu.emulator import Emulator
from cognito_emu.testing.mock import active_emulator
from cognito_emu.testing.wsgi_client import WsgiResponse, call_wsgi

REGION = "us-east-1"


def in_process(emulator: Emulator) -> bool:
    """True when ``emulator`` answers through ``mock_cognito`` rather than through its server."""
    return active_emulator() is emulator


def boto_client(emulator: Emulator, service: str = "cognito-idp", **kwargs: Any) -> Any:
    """A boto3 client reaching ``emulator``: over HTTP when it serves, else in-process through the mock."""
    kwargs.setdefault("region_name", REGION)
    kwargs.setdefault("aws_access_key_id", "testing")
    kwargs.setdefault("aws_secret_access_key", "testing")
    # One attempt: a test should see the emulator's answer, not botocore's retries of it.
    kwargs.setdefault("config", BotoConfig(retries={"max_attempts": 1}))
    if not in_process(emulator):
        kwargs["endpoint_url"] = emulator.endpoint_url
    return boto3.client(service, **kwargs)


def base_url(emulator: Emulator, region: str = REGION) -> str:
    """The URL boto3 calls, which tokens take their issuer from."""
    if in_process(emulator):
        return f"https://cognito-idp.{region}.amazonaws.com"
    return emulator.endpoint_url


def send(
    emulator: Emulator, method: str, url: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> WsgiResponse:
    """One HTTP request to ``emulator`` (``url`` absolute, or a path on it): over a socket when it
    serves, else straight into its WSGI app, which is what an in-process mock answers with."""
    if url.startswith("/"):
        url = base_url(emulator) + url
    if in_process(emulator):
        return call_wsgi(emulator.app, method, url, headers or {}, body)
    request = urllib.request.Request(url, data=body if method != "GET" else None, method=method)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request) as response:
            return WsgiResponse(response.status, list(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        return WsgiResponse(error.code, list(error.headers.items()), error.read())
