"""Where the emulator keeps files between runs: ``$XDG_CACHE_HOME/cognito-emu``, else ``~/.cache/cognito-emu``.

Only things that can be rebuilt live there (botocore's models in compact form, a store of signing
keys, the index of the handler modules); none holds emulator state.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cognito-emu"


def write_whole(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it over ``path``, so a process
    starting beside this one never reads half a file; a cache that cannot be written is left alone."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            temporary.write_text(text)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
