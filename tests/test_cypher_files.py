"""The Cypher library: every file documents the parameters it uses, and only those."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from credgraph.graph.resources import cypher_dir

CYPHER = cypher_dir()
FILES = sorted(p for p in CYPHER.rglob("*.cypher"))


def _declared(text: str) -> set[str]:
    match = re.search(r"Params:\s*(.*)", text)
    if not match or match.group(1).strip().lower().startswith("none"):
        return set()
    return set(re.findall(r"\$?(\w+)\s*\(", match.group(1))) | set(re.findall(r"\$(\w+)", match.group(1)))


def _used(text: str) -> set[str]:
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    code = re.sub(r"/\*.*?\*/", "", code, flags=re.S)
    return set(re.findall(r"\$(\w+)", code))


def test_the_library_is_shipped_with_the_package() -> None:
    assert (CYPHER / "schema.cypher").is_file()
    assert (CYPHER / "README.md").is_file()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_file_declares_exactly_the_parameters_it_uses(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "Params:" in text, f"{path.name} has no Params: line"
    assert _declared(text) == _used(text)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_file_is_listed_in_the_readme(path: Path) -> None:
    readme = (CYPHER / "README.md").read_text(encoding="utf-8")
    assert f"`{path.relative_to(CYPHER).as_posix()}`" in readme
