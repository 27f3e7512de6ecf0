"""The cluster view: groups of subjects worth a regulator's look, riskiest first.

Two kinds of cluster: the **communities** the metrics job wrote onto subjects
(``community`` score, Leiden), ranked by how many members are graded D and C;
and the **findings** with several subjects (shell clusters, bid-rigging
groups, guarantee and ownership circles). Either can be drawn as one network
and exported as a selection of nodes.

>>> from credgraph.graph.records import Node
>>> members = [Node("Enterprise", "e1", {}, {"community": 3, "grade": "D", "total_score": 70.0}),
...            Node("Person", "p1", {}, {"community": 3, "grade": "A", "total_score": 0.0}),
...            Node("Enterprise", "e2", {}, {"community": 4, "grade": "B", "total_score": 12.0})]
>>> [(c.community, c.size, c.grades["D"]) for c in rank_communities(members)]
[(3, 2, 1), (4, 1, 0)]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from credgraph.dashboard.display import GRADES, grade_of
from credgraph.graph.records import Finding, Node
from credgraph.graph.store import GraphStore

MIN_FINDING_SUBJECTS = 2


@dataclass
class Community:
    """One community: its id, members by key, grade counts and total risk."""

    community: int
    members: list[str] = field(default_factory=list)
    grades: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    risk: float = 0.0

    @property
    def size(self) -> int:
        """Number of members."""
        return len(self.members)

    def row(self) -> dict[str, str]:
        """The community as a table row."""
        return {"community": str(self.community), "members": str(self.size),
                **{f"grade {g}": str(n) for g, n in self.grades.items()}, "total risk": f"{self.risk:.1f}"}


def rank_communities(subjects: Iterable[Node], min_size: int = 1) -> list[Community]:
    """Communities of the subjects with a ``community`` score: most D, then C grades, then risk first."""
    found: dict[int, Community] = {}
    for node in subjects:
        number = node.scores.get("community")
        if number is None:
            continue
        community = found.setdefault(int(number), Community(int(number)))
        community.members.append(node.key)
        grade = grade_of(node)
        if grade:
            community.grades[grade] += 1
        score = node.scores.get("total_score")
        community.risk += float(score) if isinstance(score, (int, float)) else 0.0
    ranked = [c for c in found.values() if c.size >= min_size]
    return sorted(ranked, key=lambda c: (-c.grades["D"], -c.grades["C"], -c.risk, c.community))


def communities(store: GraphStore, min_size: int = 3) -> list[Community]:
    """The store's communities of at least ``min_size`` subjects, riskiest first (reads every subject)."""
    return rank_communities(store.iter_nodes(["Enterprise", "Person"]), min_size)


def finding_clusters(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that tie several subjects together, highest score first."""
    several = [f for f in findings if len(f.subjects) >= MIN_FINDING_SUBJECTS]
    return sorted(several, key=lambda f: (-f.score, f.detector, f.finding_id))
