"""The typed core (graph, loaders, analytics, cli) passes mypy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["graph", "loaders", "analytics", "cli", "synthetic", "export", "dashboard"]


def test_mypy_finds_no_type_errors(tmp_path: Path) -> None:
    # The folders install as credgraph.<folder>; mypy follows no editable-install
    # import hook, so it reads them through a credgraph/ tree of symlinks.
    tree = tmp_path / "credgraph"
    tree.mkdir()
    for package in PACKAGES:
        (tree / package).symlink_to(ROOT / package, target_is_directory=True)
    args = [arg for package in PACKAGES for arg in ("-p", f"credgraph.{package}")]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", *args, "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(tmp_path / ".mypy_cache")],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
