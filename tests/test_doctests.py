"""The examples in docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import tomllib
from pathlib import Path

import pytest

import credgraph

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
# Every package the wheel ships (cypher holds only queries).
PACKAGES = [name.removeprefix("credgraph.") for name in
            tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
            if name != "credgraph.cypher"]


def _modules() -> list[str]:
    names = []
    for package in PACKAGES:
        module = importlib.import_module(f"credgraph.{package}")
        names.append(module.__name__)
        names += [m.name for m in pkgutil.iter_modules(module.__path__, f"{module.__name__}.") if not m.ispkg]
    return sorted(set(names))


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_credgraph_is_one_namespace() -> None:
    assert sorted(credgraph.__path__) == sorted(set(credgraph.__path__))


def test_every_shipped_package_has_its_examples_run() -> None:
    assert {"resolution", "loaders.published", "dashboard.views"} <= set(PACKAGES)
