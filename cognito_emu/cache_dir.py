"""Where the emulator keeps files between runs: ``$XDG_CACHE_HOME/cognito-emu``, else ``~/.cache/cognito-emu``.

Only things that can be rebuilt live there (botocore's models in compact form, a store of signing
keys); none holds emulator state.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cognito-emu"
