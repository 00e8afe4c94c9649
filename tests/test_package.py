"""The package as users install it: the sdist and wheel built as a release would build them, the wheel
installed into a fresh virtualenv, and the installed ``cognito-emu`` and pytest plugin run from outside
the source tree, so a template or static file left out of the package fails here.

The fresh venv gets the wheel's own dependencies from the package index through uv (a test dependency),
whose cache keeps repeat runs to seconds; ``uvx --from <wheel>`` runs it the way the README shows.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from cognito_emu import __version__

ROOT = Path(__file__).resolve().parent.parent
UV = Path(sys.executable).parent / "uv"
READY = re.compile(r"cognito-emu ready on (http://[\d.]+:\d+)")

PLUGIN_TEST = textwrap.dedent(
    """
    import urllib.request
    from pathlib import Path

    import cognito_emu


    def test_installed_plugin(cognito_idp, cognito_emulator, tmp_path):
        # The wheel is what runs, not the source tree.
        assert "site-packages" in Path(cognito_emu.__file__).parts
        pool_id = cognito_idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
        cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")
        with urllib.request.urlopen(f"{cognito_emulator.endpoint_url}/_emu/ui") as page:
            assert pool_id in page.read().decode()
    """
)


def _run(*args: str | Path, cwd: Path, timeout: float = 120) -> str:
    result = subprocess.run(
        [str(arg) for arg in args], capture_output=True, text=True, timeout=timeout, cwd=cwd
    )
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        # Error pages are pages too (the hosted login answers an unknown client with one).
        return error.read().decode()


def test_built_wheel_installs_and_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    # The wheel is built from the sdist, so a file the sdist leaves out is missing from the wheel too. The
    # build backend is the test venv's setuptools (the version pyproject's build-system asks for).
    _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, ROOT, cwd=tmp_path)
    (wheel,) = dist.glob("cognito_emu-*.whl")
    (sdist,) = dist.glob("cognito_emu-*.tar.gz")
    assert wheel.name.startswith(f"cognito_emu-{__version__}-")
    assert sdist.name == f"cognito_emu-{__version__}.tar.gz"
    names = zipfile.ZipFile(wheel).namelist()
    assert "cognito_emu/oauth/templates/login.html" in names
    assert "cognito_emu/web/console/static/console.css" in names

    version_line = f"cognito-emu {__version__}"
    assert (
        _run(UV, "tool", "run", "--from", wheel, "cognito-emu", "--version", cwd=tmp_path).strip()
        == version_line
    )

    venv = tmp_path / "venv"
    _run(UV, "venv", "--quiet", "--python", sys.executable, venv, cwd=tmp_path)
    bin_dir = venv / "bin"
    _run(
        UV,
        "pip",
        "install",
        "--quiet",
        "--python",
        bin_dir / "python",
        wheel,
        "pytest",
        "boto3",
        cwd=tmp_path,
    )
    assert _run(bin_dir / "cognito-emu", "--version", cwd=tmp_path).strip() == version_line

    server = subprocess.Popen(
        [bin_dir / "cognito-emu", "serve", "--port", "0", "--log-level", "warning"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        ready = READY.search(server.stdout.readline())
        assert ready, "no ready line"
        base = ready.group(1)
        assert json.loads(_get(f"{base}/_emu/health"))["version"] == __version__
        # The hosted-login templates and the console's page and stylesheet come from the wheel.
        assert "<!DOCTYPE html>" in _get(f"{base}/oauth2/authorize?client_id=unknown&response_type=code")
        assert "User pools" in _get(f"{base}/_emu/ui")
        assert "font-family" in _get(f"{base}/_emu/ui/static/console.css")
    finally:
        server.terminate()
        server.wait(timeout=10)

    (tmp_path / "suite").mkdir()
    (tmp_path / "suite" / "test_installed.py").write_text(PLUGIN_TEST)
    output = _run(bin_dir / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "suite", cwd=tmp_path)
    assert "1 passed" in output
