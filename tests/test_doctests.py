"""The examples in docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import credgraph

PACKAGES = ["graph", "loaders", "analytics", "analytics.detectors", "cli", "synthetic", "export", "dashboard"]


def _modules() -> list[str]:
    names = []
    for package in PACKAGES:
        module = importlib.import_module(f"credgraph.{package}")
        names.append(module.__name__)
        names += [m.name for m in pkgutil.iter_modules(module.__path__, f"{module.__name__}.")]
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_credgraph_is_one_namespace() -> None:
    assert sorted(credgraph.__path__) == sorted(set(credgraph.__path__))
