"""``manifest.json``, file digests and the deterministic zip of a package.

The manifest says what the package is and lets a recipient check it: the
format version, the selection, who exported it, when, with which role and
whether person IDs are masked; the load ids the data comes from (with each
load's source and time); the detection run and its parameters (thresholds)
for findings; the risk runs whose scores the nodes carry, with their
parameters; the as-of date; counts; and the SHA-256 and size of every other
file. ``verify_package`` recomputes the digests.

The zip holds the folder's files under the folder's name, in name order, with
a fixed timestamp and permissions, so the same files always give the same zip.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
FORMAT_VERSION = "1.0"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_entries(folder: Path) -> dict[str, dict[str, Any]]:
    """``{name: {"sha256", "bytes"}}`` for every file of the folder but the manifest, by name."""
    return {
        path.name: {"sha256": sha256_file(path), "bytes": path.stat().st_size}
        for path in sorted(folder.iterdir())
        if path.is_file() and path.name != MANIFEST
    }


def write_manifest(folder: Path, manifest: dict[str, Any]) -> str:
    """Write ``manifest.json`` (sorted keys, UTF-8) and return its SHA-256."""
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n",
                    encoding="utf-8")
    return sha256_file(path)


def verify_package(folder: Path) -> list[str]:
    """Files whose digest or size differs from the manifest, or that are missing or extra; empty if none.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("a")
    >>> _ = write_manifest(folder, {"files": file_entries(folder)})
    >>> verify_package(folder)
    []
    >>> _ = (folder / "a.txt").write_text("b")
    >>> verify_package(folder)
    ['a.txt: sha256 differs']
    """
    listed = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    actual = file_entries(folder)
    problems = [f"{name}: missing" for name in sorted(set(listed) - set(actual))]
    problems += [f"{name}: not in the manifest" for name in sorted(set(actual) - set(listed))]
    for name in sorted(set(listed) & set(actual)):
        for field in ("sha256", "bytes"):
            if listed[name][field] != actual[name][field]:
                problems.append(f"{name}: {field} differs")
                break
    return problems


def write_zip(folder: Path, zip_path: Path) -> str:
    """Zip the folder's files under its name, deterministically; return the zip's SHA-256."""
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.name}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return sha256_file(zip_path)
