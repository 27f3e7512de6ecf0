"""Files generated from the graph model: the Cypher schema and the schema page.

``cypher/schema.cypher`` (constraints and indexes the Neo4j store applies) and
``docs/schema.md`` are derived from ``schema.toml`` so they cannot drift from
it; a test fails while the committed copies are stale. Regenerate them from the
repository root with::

    python -m credgraph.graph.codegen
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from credgraph.graph.model import MODEL, Model, Property

# Labels the Neo4j store keeps for its own bookkeeping, with their key.
STORE_LABELS = {"Load": "load_id", "Run": "run_id", "Finding": "uid"}


def _snake(label: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(label))


def schema_cypher(model: Model = MODEL) -> str:
    """Constraints and indexes for Neo4j, one statement per line."""
    lines = [
        "// credgraph Neo4j schema: constraints and indexes.",
        "// Generated from graph/schema.toml by `python -m credgraph.graph.codegen`; do not edit.",
        "// Params: none. Returns: nothing. Every statement is idempotent (IF NOT EXISTS).",
        "",
    ]
    keys = {label: node.key for label, node in model.nodes.items()} | STORE_LABELS
    for label, key in keys.items():
        lines.append(
            f"CREATE CONSTRAINT {_snake(label)}_key IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.{key} IS UNIQUE;"
        )
    for label, node in model.nodes.items():
        for field in node.search:
            lines.append(
                f"CREATE TEXT INDEX {_snake(label)}_{field}_text IF NOT EXISTS FOR (n:{label}) ON (n.{field});"
            )
    for rel_type in model.relationships:
        lines.append(
            f"CREATE INDEX {rel_type.lower()}_via_mention IF NOT EXISTS "
            f"FOR ()-[r:{rel_type}]-() ON (r.via_mention);"
        )
    lines.append("CREATE INDEX finding_run IF NOT EXISTS FOR (n:Finding) ON (n.run_id, n.detector);")
    lines.append("CREATE INDEX audit_event_seq IF NOT EXISTS FOR (n:AuditEvent) ON (n.seq);")
    return "\n".join(lines) + "\n"


def _property_rows(properties: Mapping[str, Property]) -> list[str]:
    rows = []
    for prop in properties.values():
        flags = ", ".join(
            flag
            for flag, on in [
                ("required", prop.required),
                ("derived", prop.derived),
                (f"default `{prop.default}`", prop.default is not None),
                (f"makes `{prop.relation}`", prop.relation),
            ]
            if on
        )
        rows.append(f"| `{prop.name}` | {prop.type.name} | {flags} | {prop.doc} |")
    return rows


def schema_markdown(model: Model = MODEL) -> str:
    """The schema page of the docs."""
    out = [
        "# Graph model",
        "",
        "Generated from `graph/schema.toml` by `python -m credgraph.graph.codegen`; do not edit.",
        "Validity: an item is in force from `valid_from` (inclusive) until `valid_to` (exclusive);",
        "empty means open-ended. Every node and relationship also carries the provenance fields",
        "listed at the end.",
        "",
        "## Nodes",
    ]
    for node in model.nodes.values():
        out += ["", f"### {node.label}", "", node.description, ""]
        facts = [f"key `{node.key}`"]
        if node.file:
            facts.append(f"loaded from `{node.file}`")
        if node.valid_from or node.valid_to:
            facts.append(f"in force from `{node.valid_from}` until `{node.valid_to}`")
        if node.search:
            facts.append(f"searchable by {', '.join(f'`{s}`' for s in node.search)}")
        out += ["; ".join(facts) + ".", "", "| property | type | notes | meaning |", "|---|---|---|---|"]
        out += _property_rows(node.properties)
    out += ["", "## Relationships"]
    for rel in model.relationships.values():
        ends = f"({'|'.join(rel.from_labels)})-[:{rel.type}]->({'|'.join(rel.to_labels)})"
        out += ["", f"### {rel.type}", "", f"`{ends}`: {rel.description}", ""]
        facts = [f"identified by its ends{''.join(f' and `{k}`' for k in rel.key)}"]
        if rel.file:
            facts.append(f"loaded from `{rel.file}`")
        if rel.source:
            facts.append(f"from {rel.source}")
        if rel.valid_from or rel.valid_to:
            facts.append(f"in force from `{rel.valid_from}` until `{rel.valid_to}`")
        out.append("; ".join(facts) + ".")
        if rel.properties:
            out += ["", "| property | type | notes | meaning |", "|---|---|---|---|"]
            out += _property_rows(rel.properties)
    out += ["", "## Vocabularies", "", "| type | values |", "|---|---|"]
    for name, enum in model.enums.items():
        out.append(f"| {name} | {', '.join(f'`{v}`' for v in enum.values)} |")
    sections = [
        ("Scores (written back by analytics)", model.scores),
        ("Link properties (on relationships made by resolving a mention)", model.link_properties),
        ("Provenance", model.provenance),
    ]
    for title, props in sections:
        out += ["", f"## {title}", "", "| property | type | notes | meaning |", "|---|---|---|---|"]
        out += _property_rows(props)
    return "\n".join(out) + "\n"


GENERATED = {"cypher/schema.cypher": schema_cypher, "docs/schema.md": schema_markdown}


def main(root: str = ".") -> None:
    """Write every generated file under ``root`` (the repository root)."""
    for relative, render in GENERATED.items():
        path = Path(root) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(), encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
