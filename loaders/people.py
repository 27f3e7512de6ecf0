"""Conservative entity resolution of persons: report, never merge.

Persons with a resident ID (``cn_id``) are one node per ID by construction.
Persons without one (passport, other) cannot be matched safely, so a load lists
*probable* duplicates for a human to check: two or more different person ids
with the same name linked to the same firm, at least one of them without a
``cn_id``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from credgraph.graph.store import GraphStore

PERSON_LINKS = ["LEGAL_REP_OF", "OFFICER_OF", "SHAREHOLDER_OF"]


def probable_duplicate_persons(store: GraphStore) -> list[dict[str, Any]]:
    """Groups of same-named persons at one firm where not every id is a resident ID."""
    persons = {n.key: (n.name or "", n.props.get("id_type", "cn_id")) for n in store.iter_nodes(["Person"])}
    by_firm: dict[str, set[str]] = defaultdict(set)
    for rel in store.iter_relationships(PERSON_LINKS):
        if rel.src_label == "Person":
            by_firm[rel.dst].add(rel.src)
    found = []
    for uscc in sorted(by_firm):
        by_name: dict[str, list[str]] = defaultdict(list)
        for person_id in sorted(by_firm[uscc]):
            by_name[persons[person_id][0]].append(person_id)
        for name, ids in sorted(by_name.items()):
            id_types = [persons[i][1] for i in ids]
            if len(ids) > 1 and any(t != "cn_id" for t in id_types):
                found.append({"uscc": uscc, "name": name, "person_ids": ids, "id_types": id_types})
    return found
