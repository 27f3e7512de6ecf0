"""Roles, rights and person-ID masking (graph/access.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credgraph.graph.access import ROLES, allows, check_role, mask_person_id, may_see_person_ids, shown_person_id
from credgraph.graph.errors import ConfigError

RESIDENT_ID = "44010619800101123X"


def test_resident_id_keeps_region_and_last_four() -> None:
    assert mask_person_id(RESIDENT_ID) == "4401**********123X"


@given(st.text(max_size=40))
def test_masking_keeps_the_length(person_id: str) -> None:
    assert len(mask_person_id(person_id)) == len(person_id)


@given(st.text(alphabet="0123456789X", min_size=1, max_size=30))
def test_masking_shows_at_most_eight_characters_and_hides_some(person_id: str) -> None:
    shown = sum(1 for c in mask_person_id(person_id) if c != "*")
    assert shown <= 8
    assert shown < len(person_id)


def test_each_role_has_the_rights_of_the_roles_before_it() -> None:
    for right in ("see_person_ids", "export", "run_jobs", "manage_users"):
        granted = [allows(role, right) for role in ROLES]
        assert granted == sorted(granted)


def test_only_viewers_see_masked_person_ids() -> None:
    assert [may_see_person_ids(role) for role in ROLES] == [False, True, True, True]
    assert shown_person_id(RESIDENT_ID, "viewer") == "4401**********123X"
    assert shown_person_id(RESIDENT_ID, "investigator") == RESIDENT_ID


def test_jobs_need_an_analyst() -> None:
    assert not allows("investigator", "run_jobs")
    assert allows("analyst", "run_jobs")


@pytest.mark.parametrize("role", ["", "root", "Admin"])
def test_unknown_role_is_a_config_error(role: str) -> None:
    with pytest.raises(ConfigError, match="unknown role"):
        check_role(role)


def test_unknown_right_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown right"):
        allows("admin", "delete_everything")
