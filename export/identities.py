"""Ids in an export package, and person IDs masked where the role may not see them.

Every file of a package names nodes by one package id, ``Label:key``
(``Enterprise:914403001922038216``). In a masked package a person's key is a
pseudonym: the masked ID as the credit platforms publish it, a tilde, and ten
hex digits of an HMAC-SHA256 of the full ID under a secret key::

    4401**********0019~6e1d0c55a2

The masked part lets a reader recognise a person they already know; the keyed
hash keeps two people with the same masked ID apart and the same person the
same across every file of the package. It has to be keyed: an unkeyed hash of
an 18-digit resident ID is reversed by trying the few million birth dates and
sequence numbers that fit the visible digits.

The same pseudonym replaces the ID wherever it appears as text: in the
``subject_id`` of a penalty, in a finding's subjects and evidence, in free text.
Besides the IDs of the package's persons, any valid 18-digit resident ID found
in text is masked too.

>>> ids = Identities(masked=True, key=b"k")
>>> ids.node_id("Person", "440106198001010019")
'Person:4401**********0019~42a6e6a691'
>>> ids.scrub({"holder": "440106198001010019", "note": "see 440106198001010019."})
{'holder': '4401**********0019~42a6e6a691', 'note': 'see 4401**********0019~42a6e6a691.'}
>>> Identities(masked=False, key=b"k").node_id("Person", "440106198001010019")
'Person:440106198001010019'
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from typing import Any

from credgraph.graph.access import mask_person_id
from credgraph.graph.identifiers import resident_id_problem

PSEUDONYM_HEX = 10
RESIDENT_ID_SHAPE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
SAFE_ID = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z.\-]*[0-9a-zA-Z])?$")


class Identities:
    """How one package shows node ids and person IDs.

    ``masked``: replace person IDs by pseudonyms; ``key``: the secret of the
    keyed hash (see the module docstring). Register the package's person IDs
    with ``add_people`` before scrubbing text.
    """

    def __init__(self, masked: bool, key: bytes) -> None:
        self.masked = masked
        self._key = key
        self._people: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add_people(self, person_ids: Iterable[str]) -> None:
        """Remember person IDs whose every appearance in text must be masked."""
        new = {p for p in person_ids if p} - self._people
        if new:
            self._people |= new
            self._pattern = None

    def person_key(self, person_id: str) -> str:
        """A person's ID as the package shows it: itself, or its pseudonym."""
        if not self.masked:
            return person_id
        digest = hmac.new(self._key, person_id.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"{mask_person_id(person_id)}~{digest[:PSEUDONYM_HEX]}"

    def shown_key(self, label: str, key: str) -> str:
        """A node's key as the package shows it."""
        return self.person_key(key) if label == "Person" else self.scrub_text(key)

    def node_id(self, label: str, key: str) -> str:
        """The package id of a node: ``Label:shown key``."""
        return f"{label}:{self.shown_key(label, key)}"

    def scrub_text(self, text: str) -> str:
        """``text`` with every person ID in it replaced by its pseudonym (when masked)."""
        if not self.masked:
            return text
        if self._people:
            text = self._known().sub(lambda m: self.person_key(m.group(0)), text)
        return RESIDENT_ID_SHAPE.sub(self._resident_id, text)

    def scrub(self, value: Any) -> Any:
        """``value`` with ``scrub_text`` applied to every string in it, keys of mappings too."""
        if isinstance(value, str):
            return self.scrub_text(value)
        if isinstance(value, dict):
            return {self.scrub(k): self.scrub(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.scrub(v) for v in value]
        return value

    def _known(self) -> re.Pattern[str]:
        if self._pattern is None:
            longest_first = sorted(self._people, key=lambda p: (-len(p), p))
            self._pattern = re.compile("|".join(re.escape(p) for p in longest_first))
        return self._pattern

    def _resident_id(self, match: re.Match[str]) -> str:
        number = match.group(0).upper()
        return self.person_key(number) if resident_id_problem(number) is None else match.group(0)


def safe_id(prefix: str, label: str, shown_key: str) -> str:
    """An id made of letters, digits, dots and hyphens (FollowTheMoney, BODS).

    The key is kept when it is already safe, else replaced by a SHA-1 digest of it:

    >>> safe_id("cg", "Enterprise", "914403001922038216")
    'cg-enterprise-914403001922038216'
    >>> safe_id("cg", "Address", "广州市天河路1号")
    'cg-address-b15d75f909413fda999a7ef9'
    """
    slug = shown_key if SAFE_ID.match(shown_key) else hashlib.sha1(shown_key.encode("utf-8")).hexdigest()[:24]
    return f"{prefix}-{label.lower()}-{slug}"
