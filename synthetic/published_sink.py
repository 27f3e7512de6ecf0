"""The published files being written, and ``mentions.csv``: the true subject of every name they print.

A published row names subjects without keys; the generator knows who they are.
Every time a writer puts a name in a row it records a *mention*: the file, the
row's CSV line (2 is the first row under the header, as in a load's provenance),
the role of that name in the row (CONTRACT.md section 4: ``debtor``,
``legal_rep``, ``party``, ``enterprise``, ``holder``, ``officer``, ``procurer``,
``supplier``), the true subject, whether it is in the registry the row will be
resolved against, what identifier the row shows for it, which name variant was
written, and how many other persons of the base share the name.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import IO, Any

from credgraph.synthetic.published_registry import KeyedIndex

MENTION_COLUMNS = ("file", "line", "role", "subject_id", "subject_type", "in_store", "identifier_kind",
                   "name_variant", "homonyms")


class PublishedSink:
    """Open published files (plain UTF-8, CRLF, header first) and the mentions file."""

    def __init__(self, folder: Path, mentions: Path, headers: dict[str, tuple[str, ...]],
                 index: KeyedIndex) -> None:
        self.index = index
        self.headers = headers
        self.rows: dict[str, int] = {name: 0 for name in headers}
        self.roles: Counter[tuple[str, str]] = Counter()  # (file, role) -> mentions
        self._handles: list[IO[str]] = []
        self._writers: dict[str, Any] = {}
        for name, columns in headers.items():
            self._writers[name] = self._open(folder / name, columns)
        self._mentions = self._open(mentions, MENTION_COLUMNS)

    def _open(self, path: Path, columns: tuple[str, ...]) -> Any:
        handle = open(path, "w", encoding="utf-8", newline="", buffering=1 << 20)
        self._handles.append(handle)
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(columns)
        return writer

    def row(self, file: str, values: dict[str, str | None]) -> int:
        """Write one row of ``file`` (columns by their published header); returns its CSV line."""
        unknown = values.keys() - set(self.headers[file])
        if unknown:
            raise KeyError(f"{file} has no column {sorted(unknown)}")
        self._writers[file].writerow(["" if (v := values.get(c)) is None else v for c in self.headers[file]])
        self.rows[file] += 1
        return self.rows[file] + 1

    def mention(self, file: str, line: int, role: str, subject_id: str, subject_type: str, *, kind: str = "none",
                variant: str = "none", in_store: bool | None = None, name: str | None = None) -> None:
        """Record that line ``line`` of ``file`` names ``subject_id`` as ``role``.

        ``in_store`` defaults to whether the registry holds the subject; ``name``
        (the person's true name) gives the homonym count of persons.
        """
        index = self.index
        if in_store is None:
            in_store = subject_id in index.base if subject_type == "person" else True
        homonyms = index.homonyms(subject_id, name) if subject_type == "person" and name is not None else 0
        self._mentions.writerow([file, line, role, subject_id, subject_type, "true" if in_store else "false", kind,
                                 variant, homonyms])
        self.roles[(file, role)] += 1

    @property
    def mention_count(self) -> int:
        """Mentions written so far."""
        return sum(self.roles.values())

    def close(self) -> None:
        """Flush and close every file."""
        for handle in self._handles:
            handle.close()

    def __enter__(self) -> "PublishedSink":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
