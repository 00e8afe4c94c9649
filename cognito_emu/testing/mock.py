"""``mock_cognito``: boto3/botocore Cognito calls answered in-process by an Emulator's WSGI app.

How it hooks in
---------------
botocore emits ``before-send.<service-id>.<Operation>`` with the prepared request just before it
would open a connection; the first non-None response a handler returns is used instead of the
network. Every botocore session copies ``botocore.handlers.BUILTIN_HANDLERS`` into its event
emitter when it is created, and every client copies its session's emitter. So, like moto, this
module adds ONE handler to ``BUILTIN_HANDLERS`` when it is imported (and to boto3's default session,
if that already exists) and leaves it there: it does nothing while no mock is active. Registering it
only while a mock is active would miss clients made before the mock started, whose emitters were
copied earlier.

The handler answers only ``cognito-idp`` / ``cognito-identity`` calls addressed to an AWS host;
every other service, and clients given an explicit ``endpoint_url`` (say, an emulator server), pass
through untouched.

Beside moto's ``mock_aws``
--------------------------
Our handler is registered first (``REGISTER_FIRST``), so its answer is the one botocore keeps. But
botocore still calls every other ``before-send`` handler, so moto's stubber would also run each
Cognito request against moto's own backend. While a ``mock_cognito`` is active, moto's stubber is
therefore told (by wrapping ``BotocoreStubber.__call__``) to decline the requests we answer; the
wrapper is removed when the last ``mock_cognito`` ends. Nesting works in both orders.

Plain HTTP
----------
Verifiers and OAuth clients fetch over plain HTTP (requests, urllib, httpx), never through botocore.
While a mock is active, those requests to Cognito's own hosts are answered by the same Emulator
(``cognito_emu.testing.plain_http``): ``cognito-idp`` / ``cognito-identity`` on an AWS domain (the
``/<poolId>/.well-known/`` documents), any ``<prefix>.auth.<region>.amazoncognito.com`` and the custom
domains of the emulator's pools. Every other host is passed through untouched. The hooks go in when
the first mock starts and come out when the last one stops, in whichever thread.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import os
import sys
import threading
import unittest
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload
from urllib.parse import urlsplit

from botocore import handlers as botocore_handlers
from botocore.awsrequest import AWSPreparedRequest, AWSResponse

from cognito_emu.testing.plain_http import PlainHttp
from cognito_emu.testing.wsgi_client import WsgiApp, body_bytes, call_wsgi

if TYPE_CHECKING:
    from cognito_emu.emulator import Emulator

__all__ = ["MockCognito", "active_emulator", "mock_cognito"]

T = TypeVar("T")

# Hyphenized botocore service ids, as they appear in the event name.
_SERVICE_IDS = frozenset({"cognito-identity-provider", "cognito-identity"})
# Hosts of AWS's own endpoints in every partition; anything else is a custom endpoint_url.
_AWS_DOMAINS = (
    ".amazonaws.com",
    ".amazonaws.com.cn",
    ".api.aws",
    ".amazonaws.eu",
    ".c2s.ic.gov",
    ".sc2s.sgov.gov",
    ".cloud.adc-e.uk",
    ".csp.hci.ic.gov",
)
# The first label of Cognito's own service hosts (``cognito-idp.us-east-1.amazonaws.com``).
_SERVICE_HOSTS = frozenset({"cognito-idp", "cognito-idp-fips", "cognito-identity", "cognito-identity-fips"})
_FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
_HOOK_ID = "cognito-emu-mock"
_MOTO_STUBBER_MODULE = "moto.core.botocore_stubber"
_INSTANCE_ATTR = "_cognito_emu_mock_emulator"
_CLASS_HOOKS = ("setUp", "tearDown", "setup_method", "teardown_method")


class _Activations:
    """Which emulators are active (innermost last), and what activating them changed in the process.

    Process-wide because botocore's handler lists are; every change made here is undone when the
    last activation ends.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.stack: list[Emulator] = []
        self._env_set: dict[str, str] = {}
        self._moto: tuple[type, Callable[..., Any]] | None = None
        self.plain_http = PlainHttp(self.route)

    def current(self) -> Emulator | None:
        stack = self.stack
        return stack[-1] if stack else None

    def route(self, url: str) -> WsgiApp | None:
        """The app that answers a plain HTTP request to ``url``: the active Emulator's, for Cognito's hosts."""
        emulator = self.current()
        if emulator is None:
            return None
        host = (urlsplit(url).hostname or "").lower()
        service_host = host.split(".", 1)[0] in _SERVICE_HOSTS and host.endswith(_AWS_DOMAINS)
        return emulator.app if service_host or emulator.serves_domain(host) else None

    def push(self, emulator: Emulator) -> None:
        with self.lock:
            if not self.stack:
                self._set_credentials()
                self.plain_http.install()
            self.stack.append(emulator)
            self.quiet_moto()

    def pop(self, emulator: Emulator) -> None:
        with self.lock:
            for index in range(len(self.stack) - 1, -1, -1):
                if self.stack[index] is emulator:
                    del self.stack[index]
                    break
            else:
                raise RuntimeError("mock_cognito.stop() called without a matching start()")
            if not self.stack:
                self._restore_credentials()
                self._unquiet_moto()
                self.plain_http.uninstall()

    # -- credentials: clients must sign, even on a machine with no AWS configuration -----------

    def _set_credentials(self) -> None:
        if any(name in os.environ for name in _FAKE_CREDENTIALS):
            return
        for name, value in _FAKE_CREDENTIALS.items():
            os.environ[name] = value
            self._env_set[name] = value

    def _restore_credentials(self) -> None:
        for name, value in self._env_set.items():
            if os.environ.get(name) == value:
                del os.environ[name]
        self._env_set.clear()

    # -- moto: its stubber declines the requests we answer while we are active ------------------

    def quiet_moto(self) -> None:
        if self._moto is not None or not self.stack:
            return
        module = sys.modules.get(_MOTO_STUBBER_MODULE)
        stubber_class = getattr(module, "BotocoreStubber", None)
        if stubber_class is None:
            return
        with self.lock:
            if self._moto is not None or not self.stack:
                return
            original = stubber_class.__call__

            @functools.wraps(original)
            def __call__(stubber: Any, event_name: str, request: AWSPreparedRequest, **kwargs: Any) -> Any:
                if self.current() is not None and _is_ours(event_name, request):
                    return None
                return original(stubber, event_name, request, **kwargs)

            stubber_class.__call__ = __call__
            self._moto = (stubber_class, original)

    def _unquiet_moto(self) -> None:
        if self._moto is not None:
            stubber_class, original = self._moto
            stubber_class.__call__ = original  # type: ignore[method-assign]
            self._moto = None


_activations = _Activations()


def active_emulator() -> Emulator | None:
    """The Emulator answering Cognito calls right now (the innermost ``mock_cognito``), if any."""
    return _activations.current()


# -- the botocore hook ------------------------------------------------------------------------------


def _is_ours(event_name: str, request: AWSPreparedRequest) -> bool:
    parts = event_name.split(".", 2)
    if len(parts) < 2 or parts[1] not in _SERVICE_IDS:
        return False
    host = (urlsplit(request.url).hostname or "").lower()
    return host.endswith(_AWS_DOMAINS)


class _RawBody(io.BytesIO):
    """What botocore reads an HTTP response body through (``raw.stream()``)."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        data = self.read()
        if data:
            yield data


def _before_send(request: AWSPreparedRequest, event_name: str = "", **_: Any) -> AWSResponse | None:
    emulator = _activations.current()
    if emulator is None or not _is_ours(event_name, request):
        return None
    _activations.quiet_moto()  # moto may have been imported after this mock started
    body = body_bytes(request.body)
    response = call_wsgi(emulator.app, request.method or "POST", request.url, request.headers, body)
    return AWSResponse(request.url, response.status, response.headers, _RawBody(response.body))


def _install() -> None:
    if not any(spec[1] is _before_send for spec in botocore_handlers.BUILTIN_HANDLERS):
        botocore_handlers.BUILTIN_HANDLERS.append(
            ("before-send", _before_send, botocore_handlers.REGISTER_FIRST)
        )
    # boto3's default session may predate this import; sessions made later get the handler above.
    boto3 = sys.modules.get("boto3")
    default_session = getattr(boto3, "DEFAULT_SESSION", None)
    if default_session is not None:
        default_session.events.register_first("before-send", _before_send, unique_id=_HOOK_ID)


_install()


# -- the public mock --------------------------------------------------------------------------------


class MockCognito:
    """Context manager, function decorator and class decorator; see :func:`mock_cognito`."""

    def __init__(self, emulator: Emulator | None = None, **settings: Any) -> None:
        self._shared = emulator
        self._settings = settings
        self._started: list[Emulator] = []

    @property
    def emulator(self) -> Emulator:
        """The Emulator of this mock's innermost active start."""
        if not self._started:
            raise RuntimeError("this mock_cognito is not active")
        return self._started[-1]

    def _new_emulator(self) -> Emulator:
        if self._shared is not None:
            return self._shared
        from cognito_emu.emulator import Emulator

        return Emulator(**self._settings)

    def start(self, emulator: Emulator | None = None) -> Emulator:
        emulator = emulator or self._new_emulator()
        _activations.push(emulator)
        self._started.append(emulator)
        return emulator

    def stop(self) -> None:
        if not self._started:
            raise RuntimeError("mock_cognito.stop() called without a matching start()")
        _activations.pop(self._started.pop())

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __call__(self, target: T) -> T:
        if inspect.isclass(target):
            return self._decorate_class(target)  # type: ignore[return-value]
        if not callable(target):
            raise TypeError(f"mock_cognito decorates functions and classes, not {target!r}")
        return self._decorate_function(target)  # type: ignore[return-value]

    def _decorate_function(self, func: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                self.start()
                try:
                    return await func(*args, **kwargs)
                finally:
                    self.stop()

            return async_wrapper

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.start()
            try:
                return func(*args, **kwargs)
            finally:
                self.stop()

        return wrapper

    def _decorate_class(self, klass: type[T]) -> type[T]:
        """Mock each ``test*`` method and the setUp/tearDown hooks, one Emulator per test instance.

        unittest and pytest make one instance per test, so a pool created in ``setUp`` is there in
        the test and gone in the next one.
        """
        for name in _method_names(klass):
            setattr(klass, name, self._decorate_method(getattr(klass, name)))
        return klass

    def _decorate_method(self, func: Callable[..., Any]) -> Callable[..., Any]:
        def emulator_for(instance: Any) -> Emulator:
            if self._shared is not None:
                return self._shared
            emulator = getattr(instance, _INSTANCE_ATTR, None)
            if emulator is None:
                emulator = self._new_emulator()
                with contextlib.suppress(AttributeError):  # __slots__: this call gets its own Emulator
                    setattr(instance, _INSTANCE_ATTR, emulator)
            return emulator

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_method(instance: Any, *args: Any, **kwargs: Any) -> Any:
                self.start(emulator_for(instance))
                try:
                    return await func(instance, *args, **kwargs)
                finally:
                    self.stop()

            return async_method

        @functools.wraps(func)
        def method(instance: Any, *args: Any, **kwargs: Any) -> Any:
            self.start(emulator_for(instance))
            try:
                return func(instance, *args, **kwargs)
            finally:
                self.stop()

        return method


def _method_names(klass: type) -> list[str]:
    prefix = unittest.TestLoader.testMethodPrefix
    names: list[str] = []
    for owner in klass.__mro__:
        if owner in (object, unittest.TestCase):
            continue
        for name, value in vars(owner).items():
            if name in names or not inspect.isfunction(value):  # skips static/class methods
                continue
            if name.startswith(prefix) or name in _CLASS_HOOKS:
                names.append(name)
    return names


@overload
def mock_cognito(func: T, /) -> T: ...


@overload
def mock_cognito(
    func: None = None, /, *, emulator: Emulator | None = None, **settings: Any
) -> MockCognito: ...


def mock_cognito(func: Any = None, /, *, emulator: Emulator | None = None, **settings: Any) -> Any:
    """Answer boto3/botocore Cognito calls from an in-process Emulator, with no port and no thread.

    ``@mock_cognito`` / ``@mock_cognito()`` on a function or a test class, or
    ``with mock_cognito() as emu:``. Each activation gets a fresh Emulator (built from
    ``settings``, e.g. ``deterministic=7``) unless ``emulator=`` is given, which is then shared.
    Clients created before the mock started are intercepted too; other services are untouched,
    so it works inside or around moto's ``mock_aws``, and Cognito calls always reach the emulator.
    """
    mock = MockCognito(emulator=emulator, **settings)
    return mock if func is None else mock(func)
