"""Resolution settings: the rules' thresholds and the score weights of ``resolution.toml``.

>>> settings = load_settings()
>>> settings.rule("min_visible_masked"), settings.weight("role_in_firm")
(8, 4.0)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Mapping

from credgraph.analytics.config import read_toml
from credgraph.graph.errors import ConfigError
from credgraph.graph.links import LINK_GRADES


def _defaults() -> dict[str, Any]:
    import tomllib

    return tomllib.loads(files("credgraph.resolution").joinpath("resolution.toml").read_text(encoding="utf-8"))


def _merge(base: Mapping[str, Any], override: Mapping[str, Any], where: str) -> dict[str, dict[str, Any]]:
    merged = {section: dict(values) for section, values in base.items()}
    for section, values in override.items():
        if section not in merged or not isinstance(values, dict):
            raise ConfigError(f"{where}: unknown section [{section}]; known: {sorted(merged)}")
        for key, value in values.items():
            if key not in merged[section]:
                raise ConfigError(f"{where}: unknown setting [{section}] {key}; known: {sorted(merged[section])}")
            default = merged[section][key]
            if isinstance(default, str):
                if value not in LINK_GRADES:
                    raise ConfigError(f"{where}: [{section}] {key} must be one of {', '.join(LINK_GRADES)}")
            elif isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{where}: [{section}] {key} = {value!r} must be a number")
            elif isinstance(default, int) and not isinstance(default, bool) and (not isinstance(value, int) or value < 0):
                raise ConfigError(f"{where}: [{section}] {key} = {value!r} must be a whole number >= 0")
            merged[section][key] = value
    return merged


@dataclass(frozen=True)
class ResolutionSettings:
    """Rules and weights; ``source`` and ``digest`` go into the run record."""

    sections: Mapping[str, Mapping[str, Any]]
    source: str
    digest: str

    def rule(self, name: str) -> Any:
        """One threshold of ``[rules]``."""
        return self.sections["rules"][name]

    def weight(self, name: str) -> float:
        """One log-odds weight of ``[weights]``."""
        return float(self.sections["weights"][name])


def load_settings(path: Path | str | None = None) -> ResolutionSettings:
    """The defaults, with the TOML file at ``path`` (if any) laid over them."""
    data = _merge(_defaults(), {} if path is None else read_toml(Path(path), "resolution settings"),
                  str(path or "resolution.toml"))
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
    return ResolutionSettings(data, "defaults" if path is None else str(path), digest)
