"""The venue laptop with no internet (docs/venue.md): a wheelhouse built where there is
internet installs Roundtable into a fresh environment with ``--no-index --find-links``, and
``serve --demo`` answers from it.

The wheelhouse is built once per test session (it needs PyPI, as ``pip download`` does at
home), with the very commands docs/venue.md gives; the install then uses nothing but it.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.servers import get, serve

ROOT = Path(__file__).parent.parent

pytestmark = pytest.mark.slow


def pip(python: Path | str, *args: str) -> None:
    done = subprocess.run(
        [str(python), "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every package Roundtable needs, as files, and Roundtable's own wheel (docs/venue.md)."""
    house = tmp_path_factory.mktemp("wheelhouse")
    pip(sys.executable, "download", "--quiet", "--dest", str(house), str(ROOT))
    pip(sys.executable, "wheel", "--quiet", "--no-deps", "--wheel-dir", str(house), str(ROOT))
    return house


@pytest.fixture(scope="session")
def offline_install(wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtual environment with Roundtable installed from the wheelhouse alone."""
    venv = tmp_path_factory.mktemp("venue-laptop") / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    pip(python, "install", "--quiet", "--no-index", "--find-links", str(wheelhouse), "roundtable")
    return python


def test_the_wheel_carries_the_license_and_the_template(wheelhouse: Path) -> None:
    (wheel,) = wheelhouse.glob("roundtable-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith("/LICENSE") for n in names), "the MIT licence travels with it"
    assert "server/templates/kamloops-2023-06-15.json" in names
    assert any(p.name.startswith("tzdata-") for p in wheelhouse.iterdir())


def test_serve_demo_answers_from_an_offline_install(offline_install: Path, tmp_path: Path) -> None:
    # -I: isolated, so neither this checkout (the working folder) nor PYTHONPATH is imported
    isolated = ("-I", "-m", "server")
    with serve(
        tmp_path / "venue.db",
        "--demo",
        logs=tmp_path,
        launcher=isolated,
        python=str(offline_install),
    ) as running:
        status, health = get(f"{running.base}/healthz")
        output = running.output()
    assert status == 200
    assert health["status"] == "ok"
    installed = subprocess.run(
        [
            str(offline_install),
            "-I",
            "-c",
            "import importlib.metadata as m; print(m.version('roundtable'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert health["version"] == installed
    assert "Lead sign-in for Safe and Secure Kamloops Network Meeting" in output
    assert "join table 1" in output
    where = subprocess.run(
        [str(offline_install), "-I", "-c", "import server; print(server.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(ROOT) not in where, "it runs from the fresh environment, not this checkout"
