"""Dependencies run one way: read from every module's imports (``ast``), not from a diagram.

From the bottom up: settings; the content model, storage and the client of Alexa's APIs;
``intents``; the builder; the web face; the simulator; deployment; the entry points. A
module imports only from its own group and the layers below it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.config import PROJECT_ROOT

LAYERS: list[frozenset[str]] = [
    frozenset({"skill.config"}),
    frozenset({"skill.content", "skill.store", "skill.alexa_api"}),
    frozenset({"intents"}),
    frozenset({"skill.builder"}),
    frozenset({"skill.web"}),
    frozenset({"skill.simulator"}),
    frozenset({"skill.deploy"}),
    # The entry points may use one another: ``python -m skill serve`` makes the app.
    frozenset({"skill", "skill.cli", "skill.__main__", "skill.wsgi", "skill.lambda_function"}),
    frozenset({"bench"}),
]
OURS = ("skill", "intents", "bench", "tests")


def group_of(module: str) -> str:
    """``skill.web.verify`` is in ``skill.web``; ``skill.builder`` is a group of its own;
    ``intents.workout.flow`` is in ``intents``."""
    parts = module.split(".")
    return parts[0] if parts[0] != "skill" or len(parts) == 1 else ".".join(parts[:2])


def is_module(name: str) -> bool:
    path = PROJECT_ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def layer_of(group: str) -> int:
    return next(n for n, layer in enumerate(LAYERS) if group in layer)


def module_of(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every import of our own code in ``path``, relative ones resolved;
    ``from package import module`` names the module."""
    module = module_of(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names = [
                f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}") else base
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            if name.split(".")[0] in OURS:
                yield node.lineno, name


def sources(*folders: str) -> list[Path]:
    return sorted(p for f in folders for p in (PROJECT_ROOT / f).rglob("*.py"))


def edges(*folders: str) -> list[tuple[str, str]]:
    """("path:line", imported module) for every import of our code in ``folders``."""
    return [
        (f"{path.relative_to(PROJECT_ROOT)}:{line}", name)
        for path in sources(*folders)
        for line, name in imports(path)
    ]


def test_every_group_has_a_layer():
    for path in sources("skill", "intents", "bench"):
        layer_of(group_of(module_of(path)))


@pytest.mark.parametrize("folder", ["skill", "intents", "bench"])
def test_each_module_imports_only_its_own_group_and_the_layers_below(folder):
    upward = []
    for where, name in edges(folder):
        here = group_of(module_of(PROJECT_ROOT / where.split(":")[0]))
        there = group_of(name)
        if name.split(".")[0] == "tests":
            continue  # its own test, below
        same = here == there or (layer_of(here) == len(LAYERS) - 2 == layer_of(there))
        if not same and layer_of(there) >= layer_of(here):
            upward.append(f"{where}: {here} imports {name}")
    assert upward == []


def test_only_the_builder_imports_intents():
    outside = [
        f"{where}: {name}"
        for where, name in edges("skill", "bench")
        if name.split(".")[0] == "intents" and not where.startswith("skill/builder.py")
    ]
    assert outside == []


def test_intents_never_import_the_web_face_or_the_simulator():
    found = [
        f"{where}: {name}"
        for where, name in edges("intents")
        if group_of(name) in ("skill.web", "skill.simulator", "skill.deploy", "skill")
    ]
    assert found == []


def test_the_simulator_is_handed_the_app_and_never_makes_it():
    found = [
        f"{where}: {name}"
        for where, name in edges("skill/simulator")
        if name in ("skill.create_app", "skill.cli", "skill.builder") or name == "skill"
    ]
    assert found == []


def test_bench_imports_nothing_from_the_tests():
    assert [f"{where}: {name}" for where, name in edges("bench") if name.startswith("tests")] == []
