"""The ``cryptography`` primitives the emulator uses, each imported when it is first read.

Importing them costs 10-15 ms of every start (the Rust bindings, serialization and its SSH and PKCS
modules, more with ``x509``), yet the first calls a server answers (CreateUserPool, a CORS preflight,
a health check) need no key: a pool's keys are made on its first token. So the modules that sign,
verify, load keys or encrypt read these names through this module (``crypto.rsa``,
``crypto.hashes``, ...) inside their functions, never at import, and the package comes in with the
first of them. Type checkers see ordinary imports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature, InvalidTag
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    from cryptography.x509.oid import NameOID

__all__ = [
    "AESGCM",
    "HKDF",
    "InvalidSignature",
    "InvalidTag",
    "NameOID",
    "ec",
    "hashes",
    "padding",
    "rsa",
    "serialization",
    "x509",
]

# Each name: the module it comes from, and its attribute there (None: the module itself).
_SOURCES: dict[str, tuple[str, str | None]] = {
    "AESGCM": ("cryptography.hazmat.primitives.ciphers.aead", "AESGCM"),
    "HKDF": ("cryptography.hazmat.primitives.kdf.hkdf", "HKDF"),
    "InvalidSignature": ("cryptography.exceptions", "InvalidSignature"),
    "InvalidTag": ("cryptography.exceptions", "InvalidTag"),
    "NameOID": ("cryptography.x509.oid", "NameOID"),
    "ec": ("cryptography.hazmat.primitives.asymmetric.ec", None),
    "hashes": ("cryptography.hazmat.primitives.hashes", None),
    "padding": ("cryptography.hazmat.primitives.asymmetric.padding", None),
    "rsa": ("cryptography.hazmat.primitives.asymmetric.rsa", None),
    "serialization": ("cryptography.hazmat.primitives.serialization", None),
    "x509": ("cryptography.x509", None),
}

if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        """The primitive ``name``, imported now and kept as a module global (so asked for once)."""
        try:
            module_name, attribute = _SOURCES[name]
        except KeyError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        module = importlib.import_module(module_name)
        value = module if attribute is None else getattr(module, attribute)
        globals()[name] = value
        return value
