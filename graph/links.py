"""The grades of a link from a mention to a subject, and which relationships count.

A published record reaches its subject through a *link* whose grade says how
sure it is (contract section 4). Relationships that resolution makes from a
published row carry ``link_grade`` (the weakest link they rest on) and
``via_mention``; keyed relationships carry neither and count as ``exact``.
Analyses take the relationships whose grade is at least ``min_grade``
(``strong`` by default).

>>> grades_at_least("strong")
('exact', 'derived', 'strong')
>>> link_grade({}), link_grade({"link_grade": "probable"})
('exact', 'probable')
>>> counts({"link_grade": "probable"}, "strong")
False
>>> weakest(["exact", "strong", "derived"])
'strong'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from credgraph.graph.errors import ConfigError
from credgraph.graph.model import MODEL
from credgraph.graph.records import Relationship

LINK_GRADES = ("exact", "derived", "strong", "probable")  # best first
GRADES = (*LINK_GRADES, "unresolved")
DEFAULT_MIN_GRADE = "strong"
_RANK = {grade: i for i, grade in enumerate(GRADES)}
# Resolution's own relationships; every other type may be made by a resolved mention.
RESOLUTION_TYPES = ("MENTIONS", "RECORDED_IN", "SAME_AS", "MAYBE_SAME_AS")
LINKED_TYPES = tuple(t for t in MODEL.relationships if t not in RESOLUTION_TYPES)


def check_grade(grade: str, what: str = "min_grade") -> str:
    """``grade`` if it names a link grade; ``ConfigError`` otherwise."""
    if grade not in LINK_GRADES:
        raise ConfigError(f"{what} {grade!r}: choose one of {', '.join(LINK_GRADES)}")
    return grade


def grades_at_least(min_grade: str) -> tuple[str, ...]:
    """The link grades as good as ``min_grade`` or better, best first."""
    check_grade(min_grade)
    return LINK_GRADES[: _RANK[min_grade] + 1]


def link_grade(props: Mapping[str, Any]) -> str:
    """The grade a relationship rests on: its ``link_grade``, ``exact`` for keyed input."""
    return props.get("link_grade") or "exact"


def at_least(grade: str, min_grade: str) -> bool:
    """Whether ``grade`` is as good as ``min_grade``."""
    return _RANK.get(grade, len(GRADES)) <= _RANK[min_grade]


def counts(props: Mapping[str, Any], min_grade: str = DEFAULT_MIN_GRADE) -> bool:
    """Whether a relationship with these properties counts at ``min_grade``."""
    return at_least(link_grade(props), min_grade)


def grade_rank(grade: str) -> int:
    """The place of ``grade`` from the best (``exact`` is 0); unknown grades come last.

    >>> grade_rank("exact") < grade_rank("strong") < grade_rank("probable")
    True
    """
    return _RANK.get(grade, len(GRADES))


def weakest(grades: Iterable[str]) -> str:
    """The worst of some grades (``exact`` for none)."""
    return max(grades, key=grade_rank, default="exact")


def graded(relationships: Iterable[Relationship], min_grade: str | None) -> Iterator[Relationship]:
    """The relationships that count at ``min_grade`` (all of them for ``None``)."""
    if min_grade is None:
        yield from relationships
        return
    check_grade(min_grade)
    for rel in relationships:
        if counts(rel.props, min_grade):
            yield rel
