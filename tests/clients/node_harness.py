"""Run the real JavaScript Cognito clients in ``tests/clients/node`` against the emulator.

The npm dependencies are pinned by ``node/package-lock.json`` and installed with ``npm ci`` once, into a
cache directory outside the repository keyed by the hash of ``package.json`` + ``package-lock.json``:

    $COGNITO_EMU_NODE_CACHE/<hash>/node_modules      (default: $XDG_CACHE_HOME or ~/.cache,
                                                       then cognito-emu/node)

The install happens in a temporary sibling directory that is renamed into place and then marked with
``.installed``, under a file lock, so parallel xdist workers install once and a half-finished install is
never used. Scripts are CommonJS and find the packages through ``NODE_PATH``.

When node/npm is missing or too old, or the install fails (no registry), ``require_node()`` fails the
calling test with the reason (Node.js is part of the test set-up, so a skip would hide a regression); that
outcome is remembered for the rest of the process.

Each script receives one JSON object as its only argument and prints one JSON object as the last line of
stdout; ``NodeRunner.run`` returns it as a dict.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

NODE_DIR = Path(__file__).resolve().parent / "node"
MIN_NODE_MAJOR = 18  # global fetch
INSTALL_TIMEOUT = float(os.environ.get("COGNITO_EMU_NODE_INSTALL_TIMEOUT", "600"))
MARKER = ".installed"


class NodeUnavailable(Exception):
    """node/npm cannot be used here; the tests that need it fail with this message."""


@dataclass
class NodeRunner:
    node: str
    install_dir: Path
    install_seconds: float | None = None  # set only in the process that did the install
    timings: dict[str, list[float]] = field(default_factory=dict)

    @property
    def node_modules(self) -> Path:
        return self.install_dir / "node_modules"

    def run(
        self, script: str, params: dict[str, Any] | None = None, *, timeout: float = 60
    ) -> dict[str, Any]:
        """Run ``node/<script>`` with ``params`` as JSON in argv[2]; return the JSON object it prints last."""
        path = NODE_DIR / script
        env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "NODE_"))}
        env.update(
            NODE_PATH=str(self.node_modules),
            NODE_NO_WARNINGS="1",
            # Keep the AWS SDK away from the developer's real configuration and from instance metadata.
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_EC2_METADATA_DISABLED="true",
        )
        started = time.monotonic()
        try:
            proc = subprocess.run(
                [self.node, str(path), json.dumps(params or {})],
                cwd=NODE_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(
                f"node {script} timed out after {timeout}s\nstdout:\n{exc.stdout}\nstderr:\n{exc.stderr}"
            ) from None
        self.timings.setdefault(script, []).append(time.monotonic() - started)
        lines = [line for line in proc.stdout.splitlines() if line.strip()]
        result: Any = None
        if lines:
            try:
                result = json.loads(lines[-1])
            except ValueError:
                result = None
        if proc.returncode != 0 or not isinstance(result, dict):
            raise AssertionError(
                f"node {script} exited {proc.returncode} without a JSON result\n"
                f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
            )
        return result


def cache_root() -> Path:
    configured = os.environ.get("COGNITO_EMU_NODE_CACHE")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cognito-emu" / "node"


def lock_key() -> str:
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update(name.encode() + b"\0" + (NODE_DIR / name).read_bytes() + b"\0")
    return digest.hexdigest()[:20]


@contextmanager
def _file_lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: the atomic rename below still protects us
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise NodeUnavailable(
            f"{name} is not on PATH; the Node.js client tests need Node >= {MIN_NODE_MAJOR}"
        )
    return found


def _check_node_version(node: str) -> None:
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
        major = int(out.lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise NodeUnavailable(f"cannot determine the node version: {exc}") from None
    if major < MIN_NODE_MAJOR:
        raise NodeUnavailable(
            f"node {out} is too old; the Node.js client tests need Node >= {MIN_NODE_MAJOR}"
        )


def ensure_installed() -> tuple[Path, float | None]:
    """The install directory holding node_modules, installing it first if needed; and the install time."""
    npm = _tool("npm")
    root = cache_root()
    key = lock_key()
    target = root / key
    if (target / MARKER).is_file():
        return target, None
    with _file_lock(root / f"{key}.lock"):
        if (target / MARKER).is_file():  # another worker installed it while we waited
            return target, None
        staging = root / f"{key}.tmp-{os.getpid()}"
        for stale in root.glob(f"{key}.tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        shutil.rmtree(target, ignore_errors=True)
        staging.mkdir(parents=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(NODE_DIR / name, staging / name)
        started = time.monotonic()
        cmd = [
            npm,
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--prefer-offline",
            "--fetch-retries=1",
            "--fetch-timeout=60000",
            "--loglevel=error",
        ]
        try:
            proc = subprocess.run(cmd, cwd=staging, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
        except subprocess.TimeoutExpired:
            shutil.rmtree(staging, ignore_errors=True)
            raise NodeUnavailable(f"npm ci did not finish within {INSTALL_TIMEOUT:.0f}s") from None
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise NodeUnavailable(f"cannot run npm: {exc}") from None
        if proc.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            lines = [line for line in (proc.stderr or proc.stdout).splitlines() if line.strip()]
            summary = [
                line for line in lines if not line.removeprefix("npm error").strip().startswith("at ")
            ][:4]
            raise NodeUnavailable(
                f"npm ci exited {proc.returncode} (is the npm registry reachable?): " + " | ".join(summary)
            )
        elapsed = time.monotonic() - started
        (staging / MARKER).write_text(json.dumps({"seconds": round(elapsed, 2), "key": key}) + "\n")
        os.replace(staging, target)
        return target, elapsed


_runner: NodeRunner | None = None
_unavailable: str | None = None


def get_runner() -> NodeRunner:
    """The process-wide runner; raises NodeUnavailable (and remembers it) when Node cannot be used."""
    global _runner, _unavailable
    if _runner is not None:
        return _runner
    if _unavailable is not None:
        raise NodeUnavailable(_unavailable)
    try:
        node = _tool("node")
        _check_node_version(node)
        try:
            install_dir, seconds = ensure_installed()
        except OSError as exc:  # e.g. an unwritable cache directory
            raise NodeUnavailable(
                f"cannot prepare the npm cache in {cache_root()} ({exc}); set COGNITO_EMU_NODE_CACHE"
            ) from None
    except NodeUnavailable as exc:
        _unavailable = str(exc)
        raise
    _runner = NodeRunner(node=node, install_dir=install_dir, install_seconds=seconds)
    return _runner


def require_node() -> NodeRunner:
    """The runner, or fail the calling test with the reason Node cannot be used."""
    try:
        return get_runner()
    except NodeUnavailable as exc:
        pytest.fail(f"Node.js client tests cannot run: {exc}")
