"""Choosing a serving layer: the built-in one is the default; the others are optional packages."""

from __future__ import annotations

import sys

import pytest

from cognito_emu.http_server import HttpServer
from cognito_emu.server import make_server


def app(environ, start_response):
    start_response("200 OK", [])
    return [b""]


def test_the_default_layer_is_the_built_in_server():
    server = make_server(app, "127.0.0.1", 0)
    try:
        assert isinstance(server, HttpServer)
    finally:
        server.shutdown()


def test_an_unknown_layer_is_refused():
    with pytest.raises(ValueError, match="unknown serving layer 'gunicorn'; choose one of builtin, cheroot"):
        make_server(app, "127.0.0.1", 0, layer="gunicorn")


@pytest.mark.parametrize(("layer", "module"), [("cheroot", "cheroot"), ("waitress", "waitress.server")])
def test_a_layer_whose_package_is_missing_says_which_to_install(monkeypatch, layer, module):
    monkeypatch.setitem(sys.modules, module, None)
    package = module.split(".")[0]
    with pytest.raises(
        ValueError, match=f"the serving layer '{layer}' needs the {package} package: pip install {package}$"
    ):
        make_server(app, "127.0.0.1", 0, layer=layer)
