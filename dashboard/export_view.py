"""The export action: a finding, a detector's findings, a subject's network or a cluster as a package.

Needs the ``export`` right (investigator and up). The package itself is built
by ``credgraph.export.package.export_package`` (its formats and its audit are
the export's); this module chooses the selection, writes the package into a
temporary folder as a zip, and hands back the bytes for ``st.download_button``.
"""

from __future__ import annotations

import importlib.util
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from credgraph.graph.access import require
from credgraph.graph.errors import ConfigError
from credgraph.graph.store import GraphStore

KINDS = ("finding", "detector", "subject", "nodes")


@dataclass(frozen=True)
class ExportRequest:
    """What to export: ``kind`` with its argument (finding id, detector, subject key, or node keys)."""

    kind: str
    target: str | tuple[str, ...]
    depth: int = 2
    name: str = "selection"

    @property
    def file_stem(self) -> str:
        """A safe file name for the package."""
        text = self.target if isinstance(self.target, str) else self.name
        return "credgraph-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in f"{self.kind}-{text}")[:80]


@dataclass(frozen=True)
class ExportDownload:
    """A finished package: the zip's bytes and name, and the files it holds."""

    data: bytes
    file_name: str
    files: list[str]


def export_available() -> bool:
    """Whether this installation has the export package (``credgraph.export.package``)."""
    return importlib.util.find_spec("credgraph.export.package") is not None


def _selection(request: ExportRequest) -> Any:
    from credgraph.export.package import Selection

    if request.kind == "finding":
        return Selection.finding(str(request.target))
    if request.kind == "detector":
        return Selection.detector(str(request.target))
    if request.kind == "subject":
        return Selection.subject(str(request.target), request.depth)
    return Selection.nodes(list(request.target), request.name)


def export_zip(store: GraphStore, request: ExportRequest, role: str, user: str) -> ExportDownload:
    """Build the package for ``request`` as ``user`` and return it zipped."""
    require(role, "export", "exporting")
    if request.kind not in KINDS:
        raise ConfigError(f"unknown export {request.kind!r}: use one of {', '.join(KINDS)}")
    if not export_available():
        raise ConfigError("export is not available in this installation: credgraph.export.package is missing")
    from credgraph.export.package import export_package

    with tempfile.TemporaryDirectory(prefix="credgraph-export-") as folder:
        out = Path(folder) / request.file_stem
        result = export_package(store, _selection(request), out, role=role, user=user, zip=True)
        if result.zip_path is None:
            raise ConfigError(f"the export of {request.kind} {request.target!r} wrote no zip")
        zip_path = Path(result.zip_path)
        return ExportDownload(zip_path.read_bytes(), zip_path.name, sorted(result.files))
