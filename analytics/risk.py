"""Credit risk of every subject: own risk from records, linked risk from the network, grades A-D.

``own_risk`` turns a subject's penalties and black-list entries in force on
``as_of`` into a score in [0, 100); ``risk_scores`` adds linked risk (see
``credgraph.analytics.propagation``), the total and the grade, and keeps what
explanations need. All weights come from ``analytics/risk.toml``.

>>> import datetime as dt
>>> from credgraph.graph.records import Node, Relationship
>>> p = Projection.build(
...     [Node("Person", "p1", {}), Node("Enterprise", "e1", {}),
...      Node("ListEntry", "l1", {"list": "dishonest_debtor", "listed_date": dt.date(2023, 1, 1)})],
...     [Relationship("LEGAL_REP_OF", "Person", "p1", "Enterprise", "e1", "", {}),
...      Relationship("HAS_LIST_ENTRY", "Person", "p1", "ListEntry", "l1", "", {})])
>>> scores = risk_scores(p, dt.date(2024, 6, 30))
>>> [(r["subject_id"], r["own_score"], r["linked_score"], r["grade"]) for r in scores.rows()]
[('p1', 63.21, 0.0, 'D'), ('e1', 0.0, 25.28, 'B')]
>>> scores.top_paths("e1")
[['p1', 'e1']]
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from credgraph.analytics.common import (
    as_date, existing_mask, node_key, paused_gc, resolve_as_of, subject_type,
)
from credgraph.analytics.config import GRADES, AnalyticsConfig, GradeConfig, OwnRiskConfig, load_config
from credgraph.analytics.propagation import RiskNetwork, best_chains, build_network, propagate, trace_chains
from credgraph.graph.errors import NotFoundError
from credgraph.graph.projection import Projection

SCORE_DIGITS = 2


@dataclass(frozen=True)
class RecordWeight:
    """One record counted in a subject's own risk, with its weight after recency decay."""

    node: int
    record_id: str
    what: str
    weight: float


@dataclass(frozen=True)
class OwnRisk:
    """Own risk per projection node: raw severity, score, red-list and black-list-floor flags."""

    raw: np.ndarray
    score: np.ndarray
    red: np.ndarray
    floor: np.ndarray
    records: list[RecordWeight]


def _recency(age_days: int, half_life: float) -> float:
    return 0.5 ** (age_days / half_life) if half_life > 0 else 1.0


def penalty_weight(props: Mapping[str, Any], as_of: dt.date, config: OwnRiskConfig) -> float:
    """Weight of one penalty on ``as_of``: severity times recency, 0 when it does not count.

    A penalty counts from its decision date for ``penalty_max_age_days``; one
    that is repaired or revoked stops counting on its ``repaired_date`` (or
    ``revoked_date``), and never counts when that date is unknown.

    >>> cfg = load_config().own
    >>> fine = {"decision_date": dt.date(2024, 1, 1), "category": "tax", "kind": "fine"}
    >>> penalty_weight(fine, dt.date(2024, 1, 1), cfg)
    0.72
    >>> penalty_weight({"decision_date": dt.date(2022, 1, 1), "category": "tax", "kind": "fine",
    ...                 "status": "repaired", "repaired_date": dt.date(2023, 1, 1)}, dt.date(2024, 1, 1), cfg)
    0.0
    """
    decided = as_date(props.get("decision_date"))
    if decided is None or decided > as_of:
        return 0.0
    age = (as_of - decided).days
    if config.penalty_max_age_days and age >= config.penalty_max_age_days:
        return 0.0
    if (props.get("status") or "effective") != "effective":
        ended = as_date(props.get("repaired_date")) or as_date(props.get("revoked_date"))
        if ended is None or ended <= as_of:
            return 0.0
    category = config.penalty_category.get(props.get("category") or "other", config.penalty_category["other"])
    kind = config.penalty_kind.get(props.get("kind") or "fine", config.penalty_kind["fine"])
    return round(category * kind * _recency(age, config.penalty_half_life_days), 12)


def list_in_force(props: Mapping[str, Any], as_of: dt.date) -> bool:
    """Whether a list entry is in force on ``as_of`` (listed_date <= as_of < removed_date)."""
    listed = as_date(props.get("listed_date"))
    removed = as_date(props.get("removed_date"))
    return listed is not None and listed <= as_of and (removed is None or as_of < removed)


def own_risk(projection: Projection, as_of: dt.date | None = None, config: AnalyticsConfig | None = None) -> OwnRisk:
    """Own risk of every node from its HAS_PENALTY and HAS_LIST_ENTRY records on ``as_of``.

    ``own_score = 100 * (1 - exp(-raw / scale))`` where ``raw`` sums the
    weights of the records that count (``penalty_weight``, and black-list
    entries in force); times ``red_list_factor`` for a subject on the red list.

    Parameters
    ----------
    projection : Projection
        Subjects, Penalty and ListEntry nodes with their properties, and the links to them.
    as_of : datetime.date, optional
        The date; today by default.
    config : AnalyticsConfig, optional
        Weights; the defaults of ``risk.toml`` otherwise.

    Returns
    -------
    OwnRisk
        Per projection node: ``raw``, ``score``, ``red`` and ``floor`` flags; and the counted records.

    Examples
    --------
    >>> from credgraph.graph.records import Node, Relationship
    >>> p = Projection.build(
    ...     [Node("Enterprise", "e", {}),
    ...      Node("Penalty", "f", {"category": "tax", "kind": "fine", "decision_date": dt.date(2024, 1, 1)})],
    ...     [Relationship("HAS_PENALTY", "Enterprise", "e", "Penalty", "f", "", {})])
    >>> round(float(own_risk(p, dt.date(2024, 1, 1)).score[0]), 2)   # 100 * (1 - exp(-1.2 * 0.6))
    51.32
    """
    with paused_gc():
        return _own_risk(projection, resolve_as_of(as_of), config or load_config())


def _own_risk(projection: Projection, day: dt.date, cfg: AnalyticsConfig) -> OwnRisk:
    """``own_risk`` with the collector paused."""
    n = projection.node_count
    raw, red, floor = np.zeros(n), np.zeros(n, bool), np.zeros(n, bool)
    floor_lists = set(cfg.grades.floor_lists)
    records: list[RecordWeight] = []
    for i, rel_type in enumerate(projection.rel_types):
        if rel_type not in ("HAS_PENALTY", "HAS_LIST_ENTRY"):
            continue
        subject, record = int(projection.src[i]), int(projection.dst[i])
        props = projection.node_props[record]
        if rel_type == "HAS_PENALTY":
            weight = penalty_weight(props, day, cfg.own)
            what = f"penalty {props.get('category')}/{props.get('kind')}"
        elif not list_in_force(props, day):
            continue
        else:
            name = props.get("list") or ""
            red[subject] |= name == "red_list"
            floor[subject] |= name in floor_lists
            listed = as_date(props.get("listed_date")) or day
            weight = cfg.own.lists.get(name, 0.0) * _recency((day - listed).days, cfg.own.list_half_life_days)
            what = f"list {name}"
        if weight > 0:
            raw[subject] += weight
            records.append(RecordWeight(subject, projection.ids[record], what, weight))
    score = 100.0 * -np.expm1(-raw / cfg.own.scale)
    score = np.where(red, score * cfg.own.red_list_factor, score)
    return OwnRisk(raw, score, red, floor, records)


def grade(total: np.ndarray, floor: np.ndarray, config: GradeConfig) -> np.ndarray:
    """Grades A-D from total scores; a floor-listed subject gets at least ``config.floor``.

    >>> cfg = load_config().grades
    >>> grade(np.array([0.0, 10.0, 45.0, 60.0, 5.0]), np.array([0, 0, 0, 0, 1], bool), cfg).tolist()
    ['A', 'B', 'C', 'D', 'C']
    """
    level = np.searchsorted(np.asarray(config.thresholds), total, side="right")
    if config.floor:
        level = np.where(floor, np.maximum(level, GRADES.index(config.floor)), level)
    return np.asarray(GRADES)[level]


@dataclass
class RiskScores:
    """Scores of every subject of a projection, with what explanations need."""

    projection: Projection
    as_of: dt.date
    config: AnalyticsConfig
    positions: np.ndarray
    own: np.ndarray
    linked: np.ndarray
    total: np.ndarray
    grades: np.ndarray
    own_risk: OwnRisk
    network: RiskNetwork
    factor: np.ndarray
    chains: tuple[np.ndarray, np.ndarray]
    _paths: dict[int, list[tuple[list[int], float]]] = field(default_factory=dict, repr=False)

    @property
    def source(self) -> np.ndarray:
        """The source vector of the propagation: own score per projection node."""
        return self.own_risk.score

    def position(self, subject_id: str) -> int:
        """The projection position of a scored subject, or ``NotFoundError``."""
        pos = self.projection.index.get(subject_id)
        if pos is None or self.projection.labels[pos] not in self.config.propagation.subject_labels:
            raise NotFoundError(f"no scored subject {subject_id!r}")
        return pos

    def chains_of(self, positions: np.ndarray) -> list[list[tuple[list[int], float]]]:
        """The strongest chains into each position, at least ``min_path_score`` strong (cached)."""
        with paused_gc():
            return self._chains_of(positions)

    def _chains_of(self, positions: np.ndarray) -> list[list[tuple[list[int], float]]]:
        """``chains_of`` with the collector paused."""
        known = np.fromiter(self._paths, np.int64, len(self._paths))
        todo = positions[~np.isin(positions, known)] if len(known) else positions
        if len(todo):
            explain = self.config.explain
            found = trace_chains(self.network, *self.chains, todo, explain.top_paths,
                                 self.config.propagation.max_hops, explain.min_path_score)
            for pos, chains in found.items():
                factor = float(self.factor[pos])
                self._paths[pos] = [(path, s * factor) for path, s in chains if s * factor >= explain.min_path_score]
        return [self._paths[p] for p in positions.tolist()]

    def top_paths(self, subject_id: str) -> list[list[str]]:
        """The strongest chains of ids (source first) that carried risk to ``subject_id``."""
        chains = self.chains_of(np.asarray([self.position(subject_id)]))[0]
        return [[self.projection.ids[i] for i in path] for path, _ in chains]

    def columns(self, with_paths: bool = True) -> dict[str, list[Any]]:
        """The contract's columns, riskiest first (ties by id); ``top_paths`` as compact JSON text."""
        with paused_gc():
            return self._columns(with_paths)

    def _columns(self, with_paths: bool) -> dict[str, list[Any]]:
        """``columns`` with the collector paused."""
        ids = self.projection.ids
        keys = [ids[p] for p in self.positions.tolist()]
        total = np.round(self.total, SCORE_DIGITS)
        order = np.lexsort((np.asarray(keys, dtype=str), -total)) if keys else np.zeros(0, np.int64)
        types = {label: subject_type(label) for label in set(self.projection.labels)}
        paths = ["[]"] * len(keys)
        if with_paths:
            linked = self.positions[np.round(self.linked, SCORE_DIGITS) > 0]
            rows = np.searchsorted(self.positions, linked).tolist()
            for row, chains in zip(rows, self.chains_of(linked)):
                if chains:
                    paths[row] = json.dumps([[ids[j] for j in path] for path, _ in chains],
                                            ensure_ascii=False, separators=(",", ":"))
        picked = order.tolist()
        labels = self.projection.labels
        return {
            "subject_id": [keys[i] for i in picked],
            "subject_type": [types[labels[p]] for p in self.positions[order].tolist()],
            "own_score": np.round(self.own, SCORE_DIGITS)[order].tolist(),
            "linked_score": np.round(self.linked, SCORE_DIGITS)[order].tolist(),
            "total_score": total[order].tolist(),
            "grade": self.grades[order].tolist(),
            "top_paths": [paths[i] for i in picked],
        }

    def rows(self, with_paths: bool = True) -> Iterator[dict[str, Any]]:
        """One row per subject in the contract's columns, riskiest first; ``top_paths`` as lists of ids."""
        table = self.columns(with_paths)
        names = list(table)
        for values in zip(*table.values()):
            row = dict(zip(names, values))
            row["top_paths"] = json.loads(row["top_paths"])
            yield row

    def score_updates(self) -> dict[str, dict[str, dict[str, Any]]]:
        """``{label: {key: {own_score, linked_score, total_score, grade}}}`` for ``write_scores``."""
        with paused_gc():
            return self._score_updates()

    def _score_updates(self) -> dict[str, dict[str, dict[str, Any]]]:
        """``score_updates`` with the collector paused."""
        updates: dict[str, dict[str, dict[str, Any]]] = {}
        for i, pos in enumerate(self.positions.tolist()):
            label = self.projection.labels[pos]
            updates.setdefault(label, {})[node_key(self.projection, pos)] = {
                "own_score": round(float(self.own[i]), SCORE_DIGITS),
                "linked_score": round(float(self.linked[i]), SCORE_DIGITS),
                "total_score": round(float(self.total[i]), SCORE_DIGITS),
                "grade": str(self.grades[i]),
            }
        return updates

    def grade_counts(self) -> dict[str, int]:
        """Subjects per grade, A to D."""
        return {g: int(np.sum(self.grades == g)) for g in GRADES}


def risk_scores(projection: Projection, as_of: dt.date | None = None,
                config: AnalyticsConfig | None = None) -> RiskScores:
    """Own, linked and total risk and the grade of every subject of ``projection`` on ``as_of``.

    ``linked = factor * propagate(network, own)``, capped at 100;
    ``total = min(100, own + linked)``; ``factor`` is ``red_list_factor`` for a
    subject on the red list, else 1; grades by ``[grades]``. Deterministic for
    a given projection, date and configuration.

    Subjects in force on ``as_of`` are scored. A firm that has ended (its
    ``end_date`` is past) gets no score but, if the projection holds it (see
    ``credgraph.analytics.jobs.risk_projection``), still passes the risk of
    its records on to its principals: a dishonest firm that was deregistered
    still taints the people who ran it and the firms they open next.

    Parameters
    ----------
    projection : Projection
        Subjects, intermediates (contact points, projects), records, and the links of ``[links]``.
    as_of : datetime.date, optional
        The date; today by default.
    config : AnalyticsConfig, optional
        Weights and thresholds; the defaults of ``risk.toml`` otherwise.

    Returns
    -------
    RiskScores
        Scores and grades per subject (``rows()``, ``columns()``), the strongest
        chains (``top_paths(id)``), and what ``explain_risk`` needs.

    Examples
    --------
    See the module docstring: a listed person (own 63.21) and the firm they
    represent (linked 0.5 * 0.8 * 63.21 = 25.28).
    """
    cfg = config or load_config()
    day = resolve_as_of(as_of)
    own = own_risk(projection, day, cfg)
    labels = np.asarray(projection.labels, dtype=object)
    subjects = np.isin(labels, list(cfg.propagation.subject_labels)) if len(labels) else np.zeros(0, bool)
    begun, current = existing_mask(projection, day)
    positions = np.flatnonzero(subjects & current)
    source = np.where(subjects & begun, own.score, 0.0)
    own = OwnRisk(own.raw, source, own.red, own.floor, own.records)
    network = build_network(projection, cfg.propagation, begun)
    hops = cfg.propagation.max_hops
    factor = np.where(own.red, cfg.own.red_list_factor, 1.0)
    linked_all = np.minimum(factor * propagate(network, source, hops), 100.0)
    linked = linked_all[positions]
    total = np.minimum(source[positions] + linked, 100.0)
    grades = grade(np.round(total, SCORE_DIGITS), own.floor[positions], cfg.grades)  # as the CSV shows it
    chains = best_chains(network, source, hops)
    return RiskScores(projection, day, cfg, positions, source[positions], linked, total, grades,
                      own, network, factor, chains)
