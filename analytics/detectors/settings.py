"""The detectors' thresholds and score weights, read from ``analytics/detectors.toml``.

Every value is a number or a list of list names; a user file of the same shape
overrides only the keys it sets. An unknown section or key, or a value of the
wrong type, raises ``ConfigError`` with one line naming it.

>>> settings = load_settings()
>>> settings.value("shell_cluster", "window_days"), settings.value("bid_rigging", "min_projects")
(30, 3)
>>> len(settings.digest)
16
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from credgraph.analytics.config import read_toml
from credgraph.graph.errors import ConfigError
from credgraph.graph.model import MODEL

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "detectors.toml"
LISTS = MODEL.enums["list_name"].values


def _read(path: Path) -> dict[str, Any]:
    return read_toml(path, "detector settings")


def _check(section: str, key: str, default: Any, value: Any) -> Any:
    where = f"[{section}] {key} = {value!r}"
    if isinstance(default, list):
        if not isinstance(value, list) or any(v not in LISTS or v == "red_list" for v in value):
            raise ConfigError(f"{where}: expected a list of black-list names from {list(LISTS[:-1])}")
        return list(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(f"{where}: expected a number >= 0")
    if isinstance(default, int) and not isinstance(value, int):
        raise ConfigError(f"{where}: expected a whole number")
    return value


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    merged = {section: dict(values) for section, values in base.items()}
    for section, values in override.items():
        if section not in merged or not isinstance(values, dict):
            raise ConfigError(f"unknown detector settings section [{section}]; known: {sorted(merged)}")
        for key, value in values.items():
            if key not in merged[section]:
                raise ConfigError(f"unknown setting [{section}] {key}; known: {sorted(merged[section])}")
            merged[section][key] = _check(section, key, merged[section][key], value)
    return merged


@dataclass(frozen=True)
class DetectorSettings:
    """All thresholds, by section; ``source`` and ``digest`` go into run records."""

    sections: Mapping[str, Mapping[str, Any]]
    source: str
    digest: str

    def value(self, section: str, key: str) -> Any:
        """One setting; a missing one is a ``ConfigError``."""
        try:
            return self.sections[section][key]
        except KeyError:
            raise ConfigError(f"detector settings: missing [{section}] {key}") from None

    def section(self, name: str) -> dict[str, Any]:
        """The settings of one section (empty when it has none)."""
        return dict(self.sections.get(name, {}))

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """Plain data, for run records."""
        return {name: dict(values) for name, values in self.sections.items()}


def load_settings(path: Path | str | None = None) -> DetectorSettings:
    """The defaults, with the settings of the TOML file at ``path`` (if any) laid over them."""
    defaults = _read(DEFAULT_PATH)
    data = _merge(defaults, {}) if path is None else _merge(defaults, _read(Path(path)))
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
    return DetectorSettings(data, "defaults" if path is None else str(path), digest)
