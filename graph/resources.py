"""Files shipped with the package: the Cypher library and the Neo4j assembly."""

from __future__ import annotations

from pathlib import Path

import credgraph.cypher
import credgraph.deploy


def _first_dir(paths: object) -> Path:
    # A namespace package's __path__ can hold an editable-install hook entry
    # next to the real folder; importlib.resources.files trips over it.
    for entry in paths:  # type: ignore[attr-defined]
        if Path(entry).is_dir():
            return Path(entry)
    raise FileNotFoundError(f"no folder among {list(paths)}")  # type: ignore[call-overload]


def cypher_dir() -> Path:
    """The folder of the Cypher library (``cypher/`` in the repository)."""
    return _first_dir(credgraph.cypher.__path__)


def deploy_dir() -> Path:
    """The folder of deployment files (``deploy/`` in the repository)."""
    return _first_dir(credgraph.deploy.__path__)
