"""The wheel is what users install: build it, install it into a fresh virtual environment
with its declared dependencies, and run the `phiwall` command from there."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _run(*cmd: str | Path, cwd: Path | None = None) -> str:
    result = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, f"{cmd[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    maturin = Path(sys.executable).with_name("maturin")
    _run(maturin, "build", "--release", "--out", out, cwd=REPO)
    (built,) = out.glob("phiwall-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the wheel and its dependencies."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True, clear=True)
    _run(env_dir / "bin" / "python", "-m", "pip", "install", "-q", wheel)
    return env_dir


def test_wheel_ships_the_extension_and_the_stub(wheel: Path) -> None:
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("phiwall/_native") and n.endswith(".so") for n in names)
    assert "phiwall/_native.pyi" in names
    assert "phiwall/py.typed" in names


def test_installed_command_reports_the_package_version(installed: Path) -> None:
    from phiwall import __version__

    out = _run(installed / "bin" / "phiwall", "--version")
    assert out.strip() == f"phiwall {__version__}"


def test_installed_package_imports_outside_the_source_tree(installed: Path, tmp_path: Path) -> None:
    # Run from an empty directory so `python/` of the checkout cannot shadow the install.
    code = "import phiwall, phiwall._native as n; print(phiwall.__file__); print(n.__version__)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [installed / "bin" / "python", "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    from phiwall import __version__

    module_file, native_version = result.stdout.split()
    assert module_file.startswith(str(installed))
    assert native_version == __version__
