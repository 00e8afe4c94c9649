"""Plain HTTP to Cognito's hosts answered in-process while a ``mock_cognito`` is active.

Token verifiers do not go through botocore: pycognito fetches ``<issuer>/.well-known/jwks.json`` with
requests, PyJWT's ``PyJWKClient`` with ``urllib.request``, authlib and others with httpx; OAuth clients
post to the pool domain's ``/oauth2/token``. :class:`PlainHttp` puts one hook in each of those clients
and asks ``route(url)`` which WSGI application answers the URL: None sends the request on, untouched,
to wherever it was going.

Where each client is hooked, and why there
------------------------------------------
- requests: ``Session.get_adapter``, which picks the transport adapter for a URL; ours answers from the
  application. ``responses`` and moto's ``mock_aws`` patch ``HTTPAdapter.send``, one floor below, so the
  emulator answers the Cognito hosts whichever was started first, and they keep every other host.
- urllib: ``AbstractHTTPHandler.do_open``, which HTTPHandler and HTTPSHandler (and subclasses) call to
  open the connection, in every opener, including the ones ``urlopen(context=...)`` and PyJWKClient
  build for each call. The answer is a real ``http.client.HTTPResponse``, read from the bytes of the
  application's response, so the opener's error and redirect handling runs as for the network.
- httpx: ``HTTPTransport.handle_request`` and ``AsyncHTTPTransport.handle_async_request``, the default
  transports of ``Client`` and ``AsyncClient``; a transport the caller chose (``MockTransport``, ...)
  is left alone.

requests and httpx are never imported here (importing both costs 100-200 ms, which a suite that uses
neither should not pay): one already imported is hooked at once, one imported later while a mock is
active is hooked as soon as its import has run (``_AfterImport``). ``install`` is called when the first
mock starts and ``uninstall`` when the last one stops (``cognito_emu.testing.mock``); each hook is put
back as it was unless something else has since patched the same attribute over ours: then ours stays
under it, passing everything through while no mock is active.
"""

from __future__ import annotations

import http
import http.client
import importlib.abc
import importlib.machinery
import io
import sys
import urllib.request
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

from cognito_emu.testing.wsgi_client import WsgiApp, WsgiResponse, body_bytes, call_wsgi

Route = Callable[[str], WsgiApp | None]

_MISSING = object()


class _Wire:
    """The one thing http.client.HTTPResponse asks of a socket: a file to read the response from."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def makefile(self, *_: Any, **__: Any) -> io.BytesIO:
        return io.BytesIO(self._data)


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def http_response(response: WsgiResponse, method: str) -> http.client.HTTPResponse:
    """The application's answer as http.client would have read it off a connection."""
    lines = [f"HTTP/1.1 {response.status} {_reason(response.status)}"]
    for name, value in response.headers:
        if name.lower() not in ("content-length", "transfer-encoding", "connection"):
            lines.append(f"{name}: {value}")
    lines += [f"Content-Length: {len(response.body)}", "Connection: close"]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    parsed = http.client.HTTPResponse(_Wire(head + response.body), method=method.upper())  # type: ignore[arg-type]
    parsed.begin()
    return parsed


class _Patch:
    """One attribute of one class, replaced; ``undo`` puts back exactly what was there."""

    def __init__(self, owner: type, name: str, make: Callable[[Any], Any]) -> None:
        self.owner = owner
        self.name = name
        self.saved = owner.__dict__.get(name, _MISSING)
        self.replacement = make(getattr(owner, name))
        setattr(owner, name, self.replacement)

    def undo(self) -> None:
        if self.owner.__dict__.get(self.name) is not self.replacement:
            return  # patched again over ours by someone else: leave theirs (ours under it passes through)
        if self.saved is _MISSING:
            delattr(self.owner, self.name)
        else:
            setattr(self.owner, self.name, self.saved)


class _AfterImport(importlib.abc.MetaPathFinder):
    """Calls ``hook(name)`` right after the named top-level modules are imported (first in sys.meta_path)."""

    def __init__(self, hooks: dict[str, Callable[[], None]]) -> None:
        self.hooks = hooks

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        hook = self.hooks.pop(fullname, None)
        if hook is None:
            return None
        for finder in sys.meta_path:
            if finder is self:
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    _then(spec.loader, hook)
                return spec
        return None


def _then(loader: importlib.abc.Loader, hook: Callable[[], None]) -> None:
    """Make ``loader`` call ``hook`` once the module it loads has run."""
    run = loader.exec_module

    def exec_module(module: ModuleType) -> None:
        run(module)
        hook()

    loader.exec_module = exec_module  # type: ignore[method-assign]


class PlainHttp:
    """The hooks in requests, urllib and httpx; ``route`` decides per URL (see the module's docstring)."""

    def __init__(self, route: Route) -> None:
        self.route = route
        self._patches: list[_Patch] = []
        self._after_import: _AfterImport | None = None

    def install(self) -> None:
        if self._patches or self._after_import is not None:
            return
        self._patches.append(_Patch(urllib.request.AbstractHTTPHandler, "do_open", self._urllib_do_open))
        later: dict[str, Callable[[], None]] = {}
        for name, patch in (("requests", self._patch_requests), ("httpx", self._patch_httpx)):
            if name in sys.modules:
                patch()
            else:
                later[name] = patch
        if later:
            self._after_import = _AfterImport(later)
            sys.meta_path.insert(0, self._after_import)

    def uninstall(self) -> None:
        if self._after_import is not None:
            if self._after_import in sys.meta_path:
                sys.meta_path.remove(self._after_import)
            self._after_import = None
        while self._patches:
            self._patches.pop().undo()

    # -- urllib ---------------------------------------------------------------------------------

    def _urllib_do_open(self, original: Callable[..., Any]) -> Callable[..., Any]:
        route = self.route

        def do_open(handler: Any, http_class: Any, request: urllib.request.Request, **kwargs: Any) -> Any:
            url = request.get_full_url()
            app = route(url)
            if app is None:
                return original(handler, http_class, request, **kwargs)
            # The headers do_open itself would send: the unredirected ones win.
            headers = dict(request.header_items())
            headers.update(request.unredirected_hdrs)
            answer = call_wsgi(app, request.get_method(), url, headers, body_bytes(request.data))
            response = http_response(answer, request.get_method())
            response.url = url
            response.msg = response.reason  # type: ignore[assignment]
            return response

        return do_open

    # -- requests -------------------------------------------------------------------------------

    def _patch_requests(self) -> None:
        import requests
        from requests.adapters import HTTPAdapter
        from urllib3 import HTTPHeaderDict, HTTPResponse

        class EmulatorAdapter(HTTPAdapter):
            """A transport adapter that answers every request from one WSGI application."""

            def __init__(self, app: WsgiApp) -> None:
                super().__init__()
                self.app = app

            def send(self, request: requests.PreparedRequest, *_: Any, **__: Any) -> requests.Response:
                # stream, timeout, verify, cert and proxies are about a connection there is none of.
                method = request.method or "GET"
                answer = call_wsgi(
                    self.app, method, request.url or "", dict(request.headers), body_bytes(request.body)
                )
                original = http_response(answer, method)
                headers = HTTPHeaderDict()
                for name, value in original.msg.items():
                    headers.add(name, value)
                raw = HTTPResponse(
                    body=original,
                    headers=headers,
                    status=original.status,
                    reason=original.reason,
                    preload_content=False,
                    original_response=original,
                    request_method=method,
                    request_url=request.url,
                )
                return self.build_response(request, raw)

        route = self.route

        def make(original: Callable[..., Any]) -> Callable[..., Any]:
            def get_adapter(session: requests.Session, url: str) -> Any:
                app = route(url)
                return original(session, url) if app is None else EmulatorAdapter(app)

            return get_adapter

        self._patches.append(_Patch(requests.Session, "get_adapter", make))

    # -- httpx ----------------------------------------------------------------------------------

    def _patch_httpx(self) -> None:
        import httpx

        route = self.route

        def respond(app: WsgiApp, request: httpx.Request, body: bytes) -> httpx.Response:
            url = str(request.url)
            answer = call_wsgi(app, request.method, url, dict(request.headers), body)
            return httpx.Response(
                answer.status,
                headers=answer.headers,
                content=answer.body,
                request=request,
                extensions={"http_version": b"HTTP/1.1", "reason_phrase": _reason(answer.status).encode()},
            )

        def sync(original: Callable[..., Any]) -> Callable[..., Any]:
            def handle_request(transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
                app = route(str(request.url))
                if app is None:
                    return original(transport, request)
                return respond(app, request, request.read())

            return handle_request

        def asynchronous(original: Callable[..., Any]) -> Callable[..., Any]:
            async def handle_async_request(
                transport: httpx.AsyncHTTPTransport, request: httpx.Request
            ) -> httpx.Response:
                app = route(str(request.url))
                if app is None:
                    return await original(transport, request)
                return respond(app, request, await request.aread())

            return handle_async_request

        self._patches.append(_Patch(httpx.HTTPTransport, "handle_request", sync))
        self._patches.append(_Patch(httpx.AsyncHTTPTransport, "handle_async_request", asynchronous))
