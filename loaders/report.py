"""The accounting of a load: counts per file, rejects, and the files written.

Every input row ends in the store or in ``rejects.csv``; ``report.json`` holds
the counts per file (read, loaded, rejected), whole-file errors, the files
ignored, and the exit code. Values in ``rejects.csv`` that a spreadsheet would
run as a formula (starting with ``= + - @`` or a tab) are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_NOTHING_LOADED, EXIT_SOME_REJECTED = 0, 2, 3
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Reject:
    """One rejected cell or row: where, what, why."""

    file: str
    line: int | None
    column: str
    value: str
    reason: str


@dataclass
class FileReport:
    """Counts for one input table."""

    file: str
    source: str
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    written: int = 0
    unchanged: int = 0
    error: str | None = None


@dataclass
class LoadReport:
    """The outcome of one ``credgraph load``."""

    load_id: str
    folder: str
    store: str
    started_at: str
    strict: bool
    files: list[FileReport] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    probable_duplicates: list[dict[str, Any]] = field(default_factory=list)
    finished_at: str | None = None
    error: str | None = None
    resolution: dict[str, Any] | None = None  # the summary of the resolution run after a published load

    @property
    def totals(self) -> dict[str, int]:
        """Read, loaded and rejected rows over all files."""
        return {k: sum(getattr(f, k) for f in self.files) for k in ("read", "loaded", "rejected")}

    @property
    def exit_code(self) -> int:
        """0: every row loaded; 3: some rejected, good rows loaded; 2: nothing loaded."""
        totals = self.totals
        if self.error or totals["loaded"] == 0:
            return EXIT_NOTHING_LOADED
        if totals["rejected"] or any(f.error for f in self.files):
            return EXIT_SOME_REJECTED
        return EXIT_OK

    @property
    def status(self) -> str:
        """``ok``, ``partial`` or ``failed``, as kept in the load history."""
        return {EXIT_OK: "ok", EXIT_SOME_REJECTED: "partial"}.get(self.exit_code, "failed")

    def as_dict(self) -> dict[str, Any]:
        """What ``report.json`` holds."""
        return {
            "load_id": self.load_id,
            "folder": self.folder,
            "store": self.store,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "strict": self.strict,
            "status": self.status,
            "exit_code": self.exit_code,
            "error": self.error,
            "totals": self.totals,
            "files": {f.source: asdict(f) for f in self.files},
            "ignored": self.ignored,
            "probable_duplicate_persons": len(self.probable_duplicates),
            **({"resolution": self.resolution} if self.resolution is not None else {}),
        }


def spreadsheet_safe(value: str) -> str:
    """``value`` with a leading ``'`` if a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def write_report(report: LoadReport, folder: Path) -> Path:
    """Write ``report.json``, ``rejects.csv`` and ``probable_duplicate_persons.csv`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(
        json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    with (folder / "rejects.csv").open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "line", "column", "value", "reason"])
        for r in report.rejects:
            writer.writerow([r.file, "" if r.line is None else r.line, r.column, spreadsheet_safe(r.value), r.reason])
    with (folder / "probable_duplicate_persons.csv").open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["uscc", "name", "person_ids", "id_types"])
        for d in report.probable_duplicates:
            writer.writerow([d["uscc"], spreadsheet_safe(d["name"]), " ".join(d["person_ids"]), " ".join(d["id_types"])])
    return folder
