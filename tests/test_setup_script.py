"""bin/setup on a first run: it says what it is doing while pip works, and only once.

It runs on a copy of the script beside a one-module project with one small dependency, so
the test installs in seconds; pip gets that dependency from its cache or index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from skill.config import PROJECT_ROOT

#: Every test here starts a subprocess (bin/test --fast leaves them out).
pytestmark = pytest.mark.slow

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "tiny"
version = "0.1"
dependencies = [{dependency}]

[project.optional-dependencies]
dev = []

[tool.setuptools]
packages = ["tiny"]
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "bin").mkdir()
    shutil.copy(PROJECT_ROOT / "bin" / "setup", tmp_path / "bin" / "setup")
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "__init__.py").write_text("")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT.format(dependency='"iniconfig"'))
    return tmp_path


def setup(project) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PYTHON"] = sys.executable
    return subprocess.run(
        ["bash", str(project / "bin" / "setup")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_the_first_run_shows_each_step_and_the_next_run_is_silent(project):
    first = setup(project)
    assert first.returncode == 0, first.stderr
    steps = first.stderr.splitlines()
    assert steps[0].startswith("Creating .venv with Python 3.")
    assert steps[1].startswith("Installing Bone Builder")
    assert any(line.startswith("  [1] iniconfig") for line in steps), first.stderr
    assert "  installing 2 packages..." in steps
    assert steps[-1].startswith("Installed in ") and ".venv/pip.log" in steps[-1]
    assert "Successfully installed" in (project / ".venv" / "pip.log").read_text()

    again = setup(project)
    assert again.returncode == 0 and again.stderr == ""


def test_a_failed_install_shows_what_pip_said(project):
    (project / "pyproject.toml").write_text(PYPROJECT.format(dependency='"no such thing!"'))
    result = setup(project)
    assert result.returncode == 1
    assert "Installing failed; pip said:" in result.stderr
    assert not (project / ".venv" / ".installed-from").exists()
