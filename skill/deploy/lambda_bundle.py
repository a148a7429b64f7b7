"""The AWS Lambda code folder: the skill and its runtime dependencies, built for Lambda.

``python -m skill lambda-bundle --out DIR`` builds the skill's wheel from this source tree
and installs it, with the ``postgres`` extra, into ``DIR`` with pip for Lambda's platform
(``--platform``, ``--python-version``, ``--only-binary=:all:``): only the webhook's
dependencies, never the simulator's, the benchmark's or the tests'. Lambda's Python 3.11
runs on Amazon Linux 2 (glibc 2.26) and 3.12 and 3.13 on Amazon Linux 2023 (glibc 2.34), so
only manylinux wheels up to those glibc versions are accepted. The folder gets a
``bone-builder-bundle.json`` saying which runtime it was built for; ``skill package`` reads
it. Lambda takes at most 50 MB zipped for a direct upload and 250 MB unzipped.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..config import PROJECT_ROOT

HANDLER = "skill.lambda_function.handler"
MARKER = "bone-builder-bundle.json"
#: Lambda's Python runtimes and the glibc each runs on (2, minor).
GLIBC_OF = {"3.11": 26, "3.12": 34, "3.13": 34}
MACHINE_OF = {"x86_64": "x86_64", "arm64": "aarch64"}
OLDEST_MANYLINUX = 17  # manylinux2014, the oldest tag wheels of our dependencies still carry
MAX_ZIPPED = 50 * 1024 * 1024
MAX_UNZIPPED = 250 * 1024 * 1024
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "instance", "test-artifacts", "__pycache__",
    "*.egg-info", ".pytest_cache", ".ruff_cache", ".cache", "tests", "bench", "docs",
)  # fmt: skip


class BundleError(Exception):
    """The bundle cannot be built as asked; the message says why, in one line."""


@dataclass(frozen=True)
class Target:
    """A Lambda runtime: Python version and architecture."""

    python: str
    arch: str = "x86_64"

    @classmethod
    def parse(cls, python: str | None, arch: str = "x86_64") -> Target:
        version = python or f"{sys.version_info.major}.{sys.version_info.minor}"
        if version not in GLIBC_OF:
            raise BundleError(
                f"Python {version} is not a Lambda runtime this bundle supports: "
                f"choose --python {', '.join(GLIBC_OF)}"
            )
        if arch not in MACHINE_OF:
            raise BundleError(f"architecture {arch!r}: choose {' or '.join(MACHINE_OF)}")
        return cls(version, arch)

    @property
    def runtime(self) -> str:
        """The runtime's name in Lambda and in ``ask-resources.json``: ``python3.12``."""
        return f"python{self.python}"

    def platforms(self) -> list[str]:
        """pip ``--platform`` tags, newest glibc first: only wheels Lambda's glibc can load."""
        machine = MACHINE_OF[self.arch]
        newest = GLIBC_OF[self.python]
        tags = [f"manylinux_2_{minor}_{machine}" for minor in range(newest, OLDEST_MANYLINUX - 1, -1)]
        return [*tags, f"manylinux2014_{machine}"]


@dataclass(frozen=True)
class Bundle:
    folder: Path
    target: Target
    unzipped_bytes: int
    zipped_bytes: int
    zip_path: Path | None

    def summary(self) -> str:
        mb = 1024 * 1024
        return (
            f"Lambda bundle for {self.target.runtime} ({self.target.arch}) in {self.folder}: "
            f"{self.unzipped_bytes / mb:.1f} MB unzipped, {self.zipped_bytes / mb:.1f} MB zipped "
            f"(Lambda's limits: {MAX_UNZIPPED // mb} MB and {MAX_ZIPPED // mb} MB)"
        )


def read_marker(folder: Path) -> dict | None:
    """What ``folder`` was built for, or None if it is not a bundle."""
    try:
        return json.loads((Path(folder) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip() or result.stdout.strip()).splitlines()[-1:]
        raise BundleError(f"{what} failed: {last[0] if last else 'pip said nothing'}")


def _wheel(project: Path, work: Path) -> Path:
    """The skill's wheel, built from a clean copy of the source tree (no stale build/)."""
    if not (project / "pyproject.toml").is_file():
        raise BundleError(f"{project} is not a source checkout: lambda-bundle builds from one")
    source = work / "source"
    shutil.copytree(project, source, ignore=NOT_SOURCE)
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
         "-q", "-w", str(work / "dist"), str(source)],
        "building the skill's wheel",
    )  # fmt: skip
    (wheel,) = (work / "dist").glob("bone_builder-*.whl")
    return wheel


def _empty(folder: Path) -> None:
    if folder.exists() and any(folder.iterdir()):
        if read_marker(folder) is None:
            raise BundleError(f"{folder} is not empty and holds no bundle: choose another --out")
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)


def _install(wheel: Path, folder: Path, target: Target) -> None:
    same_python = target.python == f"{sys.version_info.major}.{sys.version_info.minor}"
    platforms = [option for tag in target.platforms() for option in ("--platform", tag)]
    _run(
        [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "-q",
         "--target", str(folder), "--python-version", target.python, "--implementation", "cp",
         "--only-binary=:all:", *platforms,
         # Compiled files only help when they are for the runtime's Python.
         *([] if same_python else ["--no-compile"]),
         f"{wheel}[postgres]"],
        f"installing the skill for {target.runtime} ({target.arch})",
    )  # fmt: skip
    shutil.rmtree(folder / "bin", ignore_errors=True)  # console scripts: no use on Lambda


def _zip(folder: Path, to: Path) -> None:
    """A zip of ``folder``'s contents, in a stable order, readable by Lambda's user."""
    with zipfile.ZipFile(to, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo.from_file(path, path.relative_to(folder).as_posix())
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())


def build(
    out: Path, target: Target, zip_to: Path | None = None, project: Path = PROJECT_ROOT
) -> Bundle:
    """Build the bundle in ``out``; also zip it to ``zip_to``. BundleError if it can't be
    built or would not fit Lambda."""
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="bone-builder-bundle-") as scratch:
        work = Path(scratch)
        wheel = _wheel(Path(project), work)
        _empty(out)
        _install(wheel, out, target)
        (out / MARKER).write_text(
            json.dumps(
                {"runtime": target.runtime, "architecture": target.arch, "handler": HANDLER},
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        unzipped = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        archive = Path(zip_to) if zip_to else work / "bundle.zip"
        _zip(out, archive)
        bundle = Bundle(out, target, unzipped, archive.stat().st_size, zip_to)
    if bundle.unzipped_bytes > MAX_UNZIPPED or bundle.zipped_bytes > MAX_ZIPPED:
        raise BundleError(f"too big for Lambda: {bundle.summary()}")
    return bundle
