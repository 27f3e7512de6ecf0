"""Mappings: how the columns of one agency's file become records, mentions and relationships.

A mapping is a TOML file, read once into the frozen dataclasses below (the way
followthemoney mappings map CSV columns to entities). It has five parts:

``[source]``
    ``name``, ``title``, the ``key`` columns that identify a row (two rows with
    the same key are the same record), the ``required`` columns (a row with one
    of them empty is rejected) and the ``optional`` columns (may be missing
    from a file's header; every other column the mapping reads must be there).
``[mentions.ROLE]``
    One subject the row names: its ``name`` column, ``identifier`` columns,
    ``subject`` (``person``, ``enterprise``, ``agency``, ``auto``, or a table on
    a column), region hints (``region``: a column of division codes;
    ``province``: a column of province names), ``gender`` / ``age`` columns,
    the date ``on`` which the row speaks of it, and ``of``: the mention of the
    firm a person acts for in the same row.
``[records.NAME]``
    A node with its own key that the row creates: ``label`` (``Penalty``,
    ``ListEntry``, ``Project``), an ``id`` template, the issuing ``agency``,
    and ``properties``.
``[[relations]]``
    A relationship of the model between two ends (a mention's role, a record's
    name, or ``{label = ..., key = "{column}"}`` for a node that must exist),
    with ``properties``. Relationships with a mention at an end are made only
    once resolution has linked it.
``[keywords.TABLE]``
    Ordered ``"keyword" = "value"`` tables: the first keyword found in a text
    decides (``"行贿" = "bribery"``).

A property value is a column name, or a table: ``{column}``, ``{columns}`` (the
first non-empty), ``{value}`` (a constant), ``{template}`` (``"{案号}/{名称}"``;
``{a|b}`` takes the first non-empty),
``{keywords, default}`` (look the text of the columns up in a keyword table),
``{values, default}`` (an exact-word table), ``{split}`` (characters that split
one cell into several values, one relationship each), and for shares
``{fill = "share_of", weight, group}`` (an empty share is the row's weight over
the sum of its group's weights).

>>> m = builtin_mapping("court_dishonest")
>>> m.name, sorted(m.mentions), [r.label for r in m.records.values()]
('court_dishonest', ['debtor', 'legal_rep'], ['ListEntry'])
>>> m.relations[0].type, m.relations[0].src.ref, m.relations[0].dst.ref
('HAS_LIST_ENTRY', 'debtor', 'entry')
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any, Mapping as MappingType

from credgraph.graph.errors import ConfigError
from credgraph.graph.model import MODEL

SUBJECT_KINDS = ("person", "enterprise", "agency", "auto")
SUBJECT_LABELS = {"person": "Person", "enterprise": "Enterprise", "agency": "Agency"}
RECORD_LABELS = ("Penalty", "ListEntry", "Project")
BUILTINS = ("court_dishonest", "admin_penalty", "registry_shareholders", "registry_officers", "procurement_award")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_VALUE_KEYS = {"column", "columns", "value", "template", "keywords", "values", "default", "split", "fill", "weight",
               "group"}


@dataclass(frozen=True)
class Value:
    """How one value is read from a row; see the module docstring."""

    columns: tuple[str, ...] = ()
    value: str | None = None
    template: str | None = None
    keywords: str | None = None
    values: tuple[tuple[str, str], ...] = ()
    default: str | None = None
    split: str = ""
    fill: str | None = None
    weight: str | None = None
    group: str | None = None

    def reads(self) -> set[str]:
        """The columns this value reads."""
        cols = set(self.columns) | ({self.weight} if self.weight else set())
        if self.template:
            for part in _PLACEHOLDER.findall(self.template):
                cols.update(part.split("|"))
        return cols


@dataclass(frozen=True)
class MentionSpec:
    """One subject a row names."""

    role: str
    name: str
    identifiers: tuple[str, ...] = ()
    subject: str = "auto"
    subject_value: Value | None = None  # when the subject kind comes from a column
    region: str | None = None
    province: str | None = None
    gender: str | None = None
    age: str | None = None
    on: str | None = None
    of: str | None = None

    def reads(self) -> set[str]:
        """The columns this mention reads."""
        cols = {self.name, *self.identifiers}
        cols |= {c for c in (self.region, self.province, self.gender, self.age, self.on) if c}
        return cols | (self.subject_value.reads() if self.subject_value else set())


@dataclass(frozen=True)
class AgencyRef:
    """The agency that issued a record: by USCC column, else by name column."""

    id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class RecordSpec:
    """A node with its own key that each row creates."""

    name: str
    label: str
    id: str
    properties: MappingType[str, Value]
    agency: AgencyRef | None = None


@dataclass(frozen=True)
class End:
    """One end of a relation: a mention's role, a record's name, or a node by key."""

    ref: str | None = None
    label: str | None = None
    key: str | None = None  # a template, for a node by key


@dataclass(frozen=True)
class RelationSpec:
    """A relationship of the model that a row makes."""

    type: str
    src: End
    dst: End
    properties: MappingType[str, Value]


@dataclass(frozen=True)
class Mapping:
    """A whole mapping file; see the module docstring."""

    name: str
    title: str
    key: tuple[str, ...]
    required: tuple[str, ...]
    optional: tuple[str, ...]
    mentions: MappingType[str, MentionSpec]
    records: MappingType[str, RecordSpec]
    relations: tuple[RelationSpec, ...]
    keywords: MappingType[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    path: str = ""

    def reads(self) -> set[str]:
        """Every column the mapping reads."""
        cols = set(self.key) | set(self.required)
        for mention in self.mentions.values():
            cols |= mention.reads()
        for record in self.records.values():
            cols |= {c for c in (record.agency.id, record.agency.name) if c} if record.agency else set()
            cols |= Value(template=record.id).reads()
            for value in record.properties.values():
                cols |= value.reads()
        for relation in self.relations:
            for end in (relation.src, relation.dst):
                if end.key:
                    cols |= Value(template=end.key).reads()
            for value in relation.properties.values():
                cols |= value.reads()
        return cols

    def header_problems(self, header: list[str]) -> list[str]:
        """Why a file with this header cannot be read with the mapping."""
        present = set(header)
        needed = sorted(self.reads() - set(self.optional) - present)
        return [f"missing column {c!r} that mapping {self.name} reads" for c in needed]


class _Reader:
    """Turns the parsed TOML into dataclasses, naming the offending field in every error."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, what: str) -> ConfigError:
        return ConfigError(f"mapping {self.where}: {what}")

    def table(self, data: Any, what: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(f"{what} must be a table")
        return data

    def text(self, data: Any, what: str) -> str:
        if not isinstance(data, str) or not data.strip():
            raise self.fail(f"{what} must be a non-empty string")
        return data

    def source_name(self, data: Any) -> str:
        """The source's name: letters (any script), digits and ``_``, since it starts every record and mention id."""
        name = self.text(data, "source.name")
        if not re.fullmatch(r"\w+", name):
            raise self.fail(f"source.name {name!r} may hold only letters, digits and _ (it starts every record id)")
        return name

    def texts(self, data: Any, what: str) -> tuple[str, ...]:
        if isinstance(data, str):
            return (self.text(data, what),)
        if not isinstance(data, list) or not all(isinstance(x, str) and x for x in data):
            raise self.fail(f"{what} must be a column name or a list of them")
        return tuple(data)

    def word_table(self, data: Any, what: str) -> tuple[tuple[str, str], ...]:
        table = self.table(data, what)
        return tuple((str(k), self.text(v, f"{what}.{k}")) for k, v in table.items())

    def value(self, data: Any, what: str) -> Value:
        if isinstance(data, str):
            return Value(columns=(self.text(data, what),))
        spec = self.table(data, what)
        unknown = sorted(set(spec) - _VALUE_KEYS)
        if unknown:
            raise self.fail(f"{what} has unknown keys {', '.join(unknown)}")
        columns = self.texts(spec["columns"], f"{what}.columns") if "columns" in spec else ()
        if "column" in spec:
            columns = (self.text(spec["column"], f"{what}.column"), *columns)
        sources = [bool(columns), "value" in spec, "template" in spec]
        if sum(sources) != 1:
            raise self.fail(f"{what} needs exactly one of column(s), value, template")
        fill = spec.get("fill")
        if fill is not None and fill != "share_of":
            raise self.fail(f"{what}.fill {fill!r}: the only fill is share_of")
        if fill and not (spec.get("weight") and spec.get("group")):
            raise self.fail(f"{what}.fill share_of needs weight (a column) and group (a mention role)")
        return Value(
            columns=columns,
            value=None if "value" not in spec else str(spec["value"]),
            template=spec.get("template"),
            keywords=spec.get("keywords"),
            values=self.word_table(spec["values"], f"{what}.values") if "values" in spec else (),
            default=None if spec.get("default") is None else str(spec["default"]),
            split=str(spec.get("split", "")),
            fill=fill,
            weight=spec.get("weight"),
            group=spec.get("group"),
        )

    def mention(self, role: str, data: Any) -> MentionSpec:
        what = f"mentions.{role}"
        spec = self.table(data, what)
        known = {"name", "identifier", "subject", "region", "province", "gender", "age", "on", "of"}
        unknown = sorted(set(spec) - known)
        if unknown:
            raise self.fail(f"{what} has unknown keys {', '.join(unknown)}")
        subject, subject_value = spec.get("subject", "auto"), None
        if isinstance(subject, dict):
            subject_value, subject = self.value(subject, f"{what}.subject"), "column"
        elif subject not in SUBJECT_KINDS:
            raise self.fail(f"{what}.subject {subject!r}: choose {', '.join(SUBJECT_KINDS)} or a table on a column")
        return MentionSpec(
            role=role,
            name=self.text(spec.get("name"), f"{what}.name"),
            identifiers=self.texts(spec["identifier"], f"{what}.identifier") if "identifier" in spec else (),
            subject=subject,
            subject_value=subject_value,
            **{k: self.text(spec[k], f"{what}.{k}") for k in ("region", "province", "gender", "age", "on", "of")
               if k in spec},
        )

    def properties(self, data: Any, what: str, declared: MappingType[str, Any]) -> dict[str, Value]:
        props = {name: self.value(v, f"{what}.{name}") for name, v in self.table(data or {}, what).items()}
        reserved = set(MODEL.scores) | set(MODEL.provenance) | set(MODEL.link_properties)
        clash = sorted(reserved & set(props))
        if clash:
            raise self.fail(f"{what} sets names reserved by credgraph: {', '.join(clash)}")
        return props

    def record(self, name: str, data: Any) -> RecordSpec:
        what = f"records.{name}"
        spec = self.table(data, what)
        label = spec.get("label")
        if label not in RECORD_LABELS:
            raise self.fail(f"{what}.label {label!r}: choose {', '.join(RECORD_LABELS)}")
        node = MODEL.nodes[label]
        props = self.properties(spec.get("properties"), f"{what}.properties", node.properties)
        agency = None
        if "agency" in spec:
            a = self.table(spec["agency"], f"{what}.agency")
            agency = AgencyRef(a.get("id"), a.get("name"))
            if not (agency.id or agency.name):
                raise self.fail(f"{what}.agency needs id or name (columns)")
        return RecordSpec(name, label, self.text(spec.get("id"), f"{what}.id"), props, agency)

    def end(self, data: Any, what: str, names: set[str]) -> End:
        if isinstance(data, str):
            if data not in names:
                raise self.fail(f"{what} {data!r} is neither a mention nor a record of this mapping")
            return End(ref=data)
        spec = self.table(data, what)
        label = spec.get("label")
        if not isinstance(label, str) or label not in MODEL.nodes:
            raise self.fail(f"{what}.label {label!r} is not a node label of the model")
        return End(label=label, key=self.text(spec.get("key"), f"{what}.key"))

    def relation(self, i: int, data: Any, names: set[str]) -> RelationSpec:
        what = f"relations[{i}]"
        spec = self.table(data, what)
        rel_type = spec.get("type")
        if not isinstance(rel_type, str) or rel_type not in MODEL.relationships:
            raise self.fail(f"{what}.type {rel_type!r} is not a relationship type of the model")
        rel = MODEL.relationships[rel_type]
        props = self.properties(spec.get("properties"), f"{what}.properties", rel.properties)
        return RelationSpec(rel_type, self.end(spec.get("from"), f"{what}.from", names),
                            self.end(spec.get("to"), f"{what}.to", names), props)


def parse_mapping(text: str, where: str = "<text>") -> Mapping:
    """Read a mapping from TOML text; ``ConfigError`` naming the field for anything wrong."""
    reader = _Reader(where)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise reader.fail(f"not valid TOML ({exc})") from None
    unknown = sorted(set(data) - {"source", "mentions", "records", "relations", "keywords"})
    if unknown:
        raise reader.fail(f"unknown sections {', '.join(unknown)}")
    source = reader.table(data.get("source"), "[source]")
    mentions = {role: reader.mention(role, spec) for role, spec in reader.table(data.get("mentions", {}), "mentions").items()}
    records = {name: reader.record(name, spec) for name, spec in reader.table(data.get("records", {}), "records").items()}
    clash = sorted(set(mentions) & set(records))
    if clash:
        raise reader.fail(f"names used for both a mention and a record: {', '.join(clash)}")
    names = set(mentions) | set(records)
    relations_data = data.get("relations", [])
    if not isinstance(relations_data, list):
        raise reader.fail("relations must be an array of tables ([[relations]])")
    relations = tuple(reader.relation(i, spec, names) for i, spec in enumerate(relations_data))
    keywords = {name: reader.word_table(t, f"keywords.{name}") for name, t in reader.table(data.get("keywords", {}), "keywords").items()}
    mapping = Mapping(
        name=reader.source_name(source.get("name")),
        title=str(source.get("title", "")),
        key=reader.texts(source.get("key"), "source.key"),
        required=reader.texts(source.get("required", []), "source.required") if source.get("required") else (),
        optional=reader.texts(source.get("optional", []), "source.optional") if source.get("optional") else (),
        mentions=mentions, records=records, relations=relations, keywords=keywords, path=where,
    )
    _check(mapping, reader)
    return mapping


def _check(mapping: Mapping, reader: _Reader) -> None:
    """Cross-references: ``of`` targets, keyword tables, relation end labels, share groups."""
    if not mapping.mentions and not mapping.records:
        raise reader.fail("names no mention and no record: nothing to load")
    for mention in mapping.mentions.values():
        if mention.of and mention.of not in mapping.mentions:
            raise reader.fail(f"mentions.{mention.role}.of {mention.of!r} is not a mention of this mapping")
    values = [v for r in mapping.records.values() for v in r.properties.values()]
    values += [v for rel in mapping.relations for v in rel.properties.values()]
    values += [m.subject_value for m in mapping.mentions.values() if m.subject_value]
    for value in values:
        if value.keywords and value.keywords not in mapping.keywords:
            raise reader.fail(f"keyword table {value.keywords!r} is not defined under [keywords]")
        if value.group and value.group not in mapping.mentions:
            raise reader.fail(f"share group {value.group!r} is not a mention of this mapping")
    for i, rel in enumerate(mapping.relations):
        if rel.src.ref not in mapping.mentions and rel.dst.ref not in mapping.mentions:
            raise reader.fail(f"relations[{i}] needs a mention at one end (a record's agency goes in records.NAME.agency)")
        model_rel = MODEL.relationships[rel.type]
        for end, allowed, side in ((rel.src, model_rel.from_labels, "from"), (rel.dst, model_rel.to_labels, "to")):
            labels = _end_labels(mapping, end)
            if not set(labels) & set(allowed):
                raise reader.fail(f"relations[{i}].{side}: {rel.type} cannot have {'/'.join(labels)} there")


def _end_labels(mapping: Mapping, end: End) -> tuple[str, ...]:
    if end.label:
        return (end.label,)
    if end.ref and end.ref in mapping.records:
        return (mapping.records[end.ref].label,)
    mention = mapping.mentions[end.ref or ""]
    if mention.subject in SUBJECT_LABELS:
        return (SUBJECT_LABELS[mention.subject],)
    return ("Person", "Enterprise")


def read_mapping(path: Path) -> Mapping:
    """Read the mapping file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"--mapping {path}: cannot read it ({exc})") from None
    return parse_mapping(text, str(path))


def builtin_text(name: str) -> str:
    """The TOML text of a built-in mapping."""
    if name not in BUILTINS:
        raise ConfigError(f"--source {name!r}: choose one of {', '.join(BUILTINS)}, or give --mapping FILE.toml")
    return files("credgraph.loaders.published").joinpath(f"mappings/{name}.toml").read_text(encoding="utf-8")


def builtin_mapping(name: str) -> Mapping:
    """The built-in mapping of a contract format (``court_dishonest`` ...)."""
    return parse_mapping(builtin_text(name), f"{name} (built-in)")
