"""JavaScript clients bundled for the browser by esbuild, from the npm packages the Node client tests
install (``tests/clients/node``: its lock file pins aws-amplify, amazon-cognito-identity-js and esbuild).

A bundle of ``app/src/<name>.js`` is built once and cached beside those packages, keyed by the lock file,
the entry's source and esbuild's options:

    <node cache>/bundles/<key>/<name>.js

It is written to a temporary name and renamed into place, so parallel test processes never read half a
file. Without Node.js or its packages the bundle cannot be built, and the test fails with the reason.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from browser_support import APP_DIR

from tests.clients.node_harness import cache_root, lock_key, require_node

SOURCE_DIR = APP_DIR / "src"
# amazon-cognito-identity-js reads Node's `global`, which a browser calls globalThis.
ESBUILD_OPTIONS = (
    "--bundle",
    "--format=iife",
    "--platform=browser",
    "--target=es2020",
    "--define:global=globalThis",
    "--log-level=warning",
)
BUILD_TIMEOUT = 300


def bundle(name: str) -> Path:
    """The bundled ``app/src/<name>.js``, built now unless it is in the cache."""
    runner = require_node()
    entry = SOURCE_DIR / f"{name}.js"
    digest = hashlib.sha256()
    digest.update(lock_key().encode() + b"\0" + entry.read_bytes() + b"\0" + " ".join(ESBUILD_OPTIONS).encode())
    target = cache_root() / "bundles" / digest.hexdigest()[:20] / f"{name}.js"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f"{name}.tmp-{os.getpid()}.js")
    esbuild = runner.node_modules / "esbuild" / "bin" / "esbuild"
    proc = subprocess.run(
        [runner.node, str(esbuild), str(entry), *ESBUILD_OPTIONS, f"--outfile={staging}"],
        env={**os.environ, "NODE_PATH": str(runner.node_modules)},
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    if proc.returncode != 0:
        raise AssertionError(f"esbuild could not bundle {entry.name}:\n{proc.stderr}")
    os.replace(staging, target)
    return target
