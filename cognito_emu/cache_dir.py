"""Where the emulator keeps files between runs: ``$XDG_CACHE_HOME/cognito-emu``, else ``~/.cache/cognito-emu``.

Only things that can be rebuilt live there (botocore's models in compact form, a store of signing
keys, the index of the handler modules); none holds emulator state. A file per botocore version and per
checkout or install would pile up as those come and go, so writing one removes the others of its kind
that nothing has written for ``STALE_AFTER_SECONDS`` (one still in use is then rebuilt once).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path

STALE_AFTER_SECONDS = 30 * 86400


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cognito-emu"


def write_whole(path: Path, text: str, kind: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it over ``path``, so a process
    starting beside this one never reads half a file; a cache that cannot be written is left alone.
    Then remove the stale files of the same ``kind`` (a glob pattern in the same folder)."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            temporary.write_text(text)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        _remove_stale(path, kind)


def _remove_stale(path: Path, kind: str) -> None:
    stale_before = time.time() - STALE_AFTER_SECONDS
    for other in path.parent.glob(kind):
        with contextlib.suppress(OSError):
            if other != path and other.stat().st_mtime < stale_before:
                other.unlink()
