"""Every weight and threshold of the analytics, read from one TOML file into dataclasses.

The defaults live in ``analytics/risk.toml`` next to this module, each one
commented. A user file of the same shape (``credgraph risk --config my.toml``)
overrides only the keys it sets; an unknown section or key, a value of the
wrong type or out of range raises ``ConfigError`` with one line naming it.

>>> config = load_config()
>>> config.propagation.decay, config.grades.thresholds
(0.5, (10.0, 30.0, 60.0))
>>> config.own.penalty_kind["criminal"]
2.0
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from credgraph.graph.errors import ConfigError
from credgraph.graph.model import MODEL

DEFAULT_PATH = Path(__file__).with_name("risk.toml")
GRADES = ("A", "B", "C", "D")
CONTROLLER_RULES = ("effective_pct", "majority_chain", "control_interest", "largest_holder_legal_rep")


@dataclass(frozen=True)
class OwnRiskConfig:
    """Severities and recency of a subject's own records."""

    scale: float
    penalty_half_life_days: float
    penalty_max_age_days: int
    list_half_life_days: float
    red_list_factor: float
    penalty_category: Mapping[str, float]
    penalty_kind: Mapping[str, float]
    lists: Mapping[str, float]


@dataclass(frozen=True)
class LinkWeights:
    """How strongly risk flows along (forward) and against (backward) one relationship type."""

    rel_type: str
    forward: float
    backward: float
    by_share: bool = False
    role: Mapping[str, float] | None = None


@dataclass(frozen=True)
class PropagationConfig:
    """Per-hop decay, walk length, node roles and typed link weights."""

    decay: float
    max_hops: int
    subject_labels: tuple[str, ...]
    intermediate_labels: tuple[str, ...]
    hub_cap: float
    links: Mapping[str, LinkWeights]


@dataclass(frozen=True)
class GradeConfig:
    """Lower bounds of grades B, C, D on total_score, and the black-list floor."""

    thresholds: tuple[float, float, float]
    floor: str
    floor_lists: tuple[str, ...]


@dataclass(frozen=True)
class ExplainConfig:
    """How many chains to show, and how far explain_risk may look."""

    top_paths: int
    min_path_score: float
    max_ego_nodes: int


@dataclass(frozen=True)
class OwnershipConfig:
    """Beneficial-owner and control thresholds, controller rules, path limits."""

    beneficial_pct: float = 25.0
    control_pct: float = 50.0
    controller_rules: tuple[str, ...] = CONTROLLER_RULES
    fallback_min_pct: float = 25.0
    max_paths: int = 5
    max_depth: int = 25


@dataclass(frozen=True)
class MetricsConfig:
    """Which links count, Leiden resolution and seed, PageRank and betweenness settings."""

    rel_types: tuple[str, ...]
    resolution: float
    seed: int
    pagerank_damping: float
    betweenness_exact_max_nodes: int
    betweenness_samples: int


@dataclass(frozen=True)
class AnalyticsConfig:
    """The whole configuration, with where it came from and a digest for run records."""

    own: OwnRiskConfig
    propagation: PropagationConfig
    grades: GradeConfig
    explain: ExplainConfig
    ownership: OwnershipConfig
    metrics: MetricsConfig
    source: str
    digest: str


def read_toml(path: Path, what: str = "--config") -> dict[str, Any]:
    """The TOML file at ``path``; a missing or malformed file is a one-line ``ConfigError`` naming ``what``."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{what} {path}: no such file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{what} {path}: not valid TOML ({exc})") from None


def _merge(base: dict[str, Any], override: Mapping[str, Any], where: str = "") -> dict[str, Any]:
    """``base`` with ``override`` laid over it; keys unknown to ``base`` are errors."""
    merged = dict(base)
    for key, value in override.items():
        name = f"{where}.{key}" if where else key
        if key not in base and where != "links":
            raise ConfigError(f"unknown setting {name!r} in the analytics config")
        if key not in base:
            merged[key] = value
        elif isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"setting {name!r} must be a table")
            merged[key] = _merge(base[key], value, name)
        else:
            merged[key] = value
    return merged


def _number(table: Mapping[str, Any], key: str, where: str, low: float = 0.0, high: float = float("inf")) -> float:
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ConfigError(f"[{where}] {key} = {value!r}: expected a number in [{low:g}, {high:g}]")
    return float(value)


def _integer(table: Mapping[str, Any], key: str, where: str, low: int = 0) -> int:
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ConfigError(f"[{where}] {key} = {value!r}: expected a whole number >= {low}")
    return value


def _strings(table: Mapping[str, Any], key: str, where: str, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[{where}] {key}: expected a list of strings")
    bad = [v for v in value if allowed is not None and v not in allowed]
    if bad:
        raise ConfigError(f"[{where}] {key}: unknown {bad}; choose from {list(allowed or ())}")
    return tuple(value)


def _weights(table: Mapping[str, Any], where: str, enum: str, skip: tuple[str, ...] = ()) -> dict[str, float]:
    expected = tuple(v for v in MODEL.enums[enum].values if v not in skip)
    missing = [v for v in expected if v not in table]
    extra = [k for k in table if k not in expected]
    if missing or extra:
        raise ConfigError(f"[{where}] must weigh exactly {list(expected)}; missing {missing}, unknown {extra}")
    return {key: _number(table, key, where) for key in expected}


def _own(t: Mapping[str, Any]) -> OwnRiskConfig:
    return OwnRiskConfig(
        scale=_number(t, "scale", "own", 1e-9),
        penalty_half_life_days=_number(t, "penalty_half_life_days", "own"),
        penalty_max_age_days=_integer(t, "penalty_max_age_days", "own"),
        list_half_life_days=_number(t, "list_half_life_days", "own"),
        red_list_factor=_number(t, "red_list_factor", "own", 0.0, 1.0),
        penalty_category=_weights(t["penalty_category"], "own.penalty_category", "penalty_category"),
        penalty_kind=_weights(t["penalty_kind"], "own.penalty_kind", "penalty_kind"),
        lists=_weights(t["lists"], "own.lists", "list_name", skip=("red_list",)),
    )


def _link(rel_type: str, t: Mapping[str, Any]) -> LinkWeights:
    where = f"links.{rel_type}"
    MODEL.relationship(rel_type)
    role = t.get("role")
    if role is not None:
        role = _weights(role, f"{where}.role", "officer_role")
    return LinkWeights(
        rel_type,
        _number(t, "forward", where, 0.0, 1.0),
        _number(t, "backward", where, 0.0, 1.0),
        bool(t.get("by_share", False)),
        role,
    )


def _propagation(t: Mapping[str, Any], links: Mapping[str, Any]) -> PropagationConfig:
    labels = tuple(MODEL.nodes)
    return PropagationConfig(
        decay=_number(t, "decay", "propagation", 1e-9, 0.999),
        max_hops=_integer(t, "max_hops", "propagation", 1),
        subject_labels=_strings(t, "subject_labels", "propagation", labels),
        intermediate_labels=_strings(t, "intermediate_labels", "propagation", labels),
        hub_cap=_number(t, "hub_cap", "propagation", 1.0),
        links={rel_type: _link(rel_type, spec) for rel_type, spec in links.items()},
    )


def _grades(t: Mapping[str, Any]) -> GradeConfig:
    b, c, d = (_number(t, g, "grades", 0.0, 100.0) for g in ("B", "C", "D"))
    if not b <= c <= d:
        raise ConfigError(f"[grades] thresholds must rise: B {b:g} <= C {c:g} <= D {d:g}")
    floor = t["floor"]
    if floor not in ("", *GRADES):
        raise ConfigError(f"[grades] floor = {floor!r}: expected one of A B C D or \"\"")
    lists = _strings(t, "floor_lists", "grades", MODEL.enums["list_name"].values)
    return GradeConfig((b, c, d), floor, lists)


def _metrics(t: Mapping[str, Any]) -> MetricsConfig:
    return MetricsConfig(
        rel_types=_strings(t, "rel_types", "metrics", tuple(MODEL.relationships)),
        resolution=_number(t, "resolution", "metrics", 1e-9),
        seed=_integer(t, "seed", "metrics"),
        pagerank_damping=_number(t, "pagerank_damping", "metrics", 0.0, 0.999),
        betweenness_exact_max_nodes=_integer(t, "betweenness_exact_max_nodes", "metrics"),
        betweenness_samples=_integer(t, "betweenness_samples", "metrics", 1),
    )


def _ownership(t: Mapping[str, Any]) -> OwnershipConfig:
    return OwnershipConfig(
        beneficial_pct=_number(t, "beneficial_pct", "ownership", 0.0, 100.0),
        control_pct=_number(t, "control_pct", "ownership", 0.0, 100.0),
        controller_rules=_strings(t, "controller_rules", "ownership", CONTROLLER_RULES),
        fallback_min_pct=_number(t, "fallback_min_pct", "ownership", 0.0, 100.0),
        max_paths=_integer(t, "max_paths", "ownership", 0),
        max_depth=_integer(t, "max_depth", "ownership", 1),
    )


def build_config(data: Mapping[str, Any], source: str = "defaults") -> AnalyticsConfig:
    """Validate a complete configuration mapping (the defaults with overrides applied)."""
    try:
        config = AnalyticsConfig(
            own=_own(data["own"]),
            propagation=_propagation(data["propagation"], data["links"]),
            grades=_grades(data["grades"]),
            explain=ExplainConfig(
                _integer(data["explain"], "top_paths", "explain"),
                _number(data["explain"], "min_path_score", "explain"),
                _integer(data["explain"], "max_ego_nodes", "explain", 1),
            ),
            ownership=_ownership(data["ownership"]),
            metrics=_metrics(data["metrics"]),
            source=source,
            digest=hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16],
        )
    except KeyError as exc:
        raise ConfigError(f"analytics config: missing setting {exc.args[0]!r}") from None
    overlap = set(config.propagation.subject_labels) & set(config.propagation.intermediate_labels)
    if overlap:
        raise ConfigError(f"[propagation] {sorted(overlap)} cannot be both subjects and intermediates")
    return config


def load_config(path: Path | str | None = None) -> AnalyticsConfig:
    """The defaults, with the settings of the TOML file at ``path`` (if any) laid over them.

    Parameters
    ----------
    path : pathlib.Path or str, optional
        A user file of the same shape as ``analytics/risk.toml``; it may set any subset of keys.

    Returns
    -------
    AnalyticsConfig
        Typed, validated settings, with ``source`` and a ``digest`` for run records.

    Raises
    ------
    ConfigError
        For a missing or malformed file, an unknown key, or a value of the wrong type or out of range.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "strict.toml"
    ...     _ = path.write_text("[grades]\\nD = 50.0\\n", encoding="utf-8")
    ...     load_config(path).grades.thresholds
    (10.0, 30.0, 50.0)
    """
    data = read_toml(DEFAULT_PATH)
    if path is None:
        return build_config(data)
    return build_config(_merge(data, read_toml(Path(path))), source=str(path))
