"""Roles and what each may see and do: shared by the dashboard, export and CLI.

Roles are ordered; each has every right of the roles before it:

* ``viewer``: search, subject profiles and networks, findings; person IDs masked;
* ``investigator``: as viewer, with person IDs in full, exports, and the review of
  entity resolution's links (the dashboard's Review page);
* ``analyst``: as investigator, and runs detection and risk jobs;
* ``admin``: as analyst, and manages users.

Person IDs are masked by keeping the first four characters (the region of
issue) and the last four, as the credit platforms publish them:

>>> mask_person_id("44010619800101123X")
'4401**********123X'
>>> may_see_person_ids("viewer"), may_see_person_ids("investigator")
(False, True)
"""

from __future__ import annotations

from typing import Final

from credgraph.graph.errors import AccessDeniedError, ConfigError

ROLES: Final = ("viewer", "investigator", "analyst", "admin")
RIGHTS: Final = {
    "see_person_ids": "investigator",
    "export": "investigator",
    "review_links": "investigator",
    "run_jobs": "analyst",
    "manage_users": "admin",
}


def check_role(role: str) -> str:
    """The role itself, or a ``ConfigError`` naming the roles there are."""
    if role not in ROLES:
        raise ConfigError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    return role


def allows(role: str, right: str) -> bool:
    """Whether ``role`` has ``right`` (one of ``RIGHTS``).

    >>> allows("analyst", "export"), allows("investigator", "run_jobs")
    (True, False)
    """
    if right not in RIGHTS:
        raise ConfigError(f"unknown right {right!r}: use one of {', '.join(RIGHTS)}")
    return ROLES.index(check_role(role)) >= ROLES.index(RIGHTS[right])


def require(role: str, right: str, what: str) -> None:
    """An ``AccessDeniedError`` naming ``what`` unless ``role`` has ``right``.

    >>> require("viewer", "run_jobs", "running risk")
    Traceback (most recent call last):
    ...
    credgraph.graph.errors.AccessDeniedError: running risk needs the run jobs right, which the viewer role does not have
    """
    if not allows(role, right):
        raise AccessDeniedError(f"{what} needs the {right.replace('_', ' ')} right, which the {role} role does not have")


def may_see_person_ids(role: str) -> bool:
    """Whether ``role`` sees person IDs unmasked."""
    return allows(role, "see_person_ids")


def mask_person_id(person_id: str) -> str:
    """``person_id`` with all but its first and last four characters starred.

    Short identifiers (passports, permits) keep one character at each end.

    >>> mask_person_id("E12345678")
    'E*******8'
    >>> mask_person_id("")
    ''
    """
    keep = 4 if len(person_id) >= 12 else 1
    if len(person_id) <= 2 * keep:
        return "*" * len(person_id)
    return person_id[:keep] + "*" * (len(person_id) - 2 * keep) + person_id[-keep:]


def shown_person_id(person_id: str, role: str) -> str:
    """``person_id`` as ``role`` may see it."""
    return person_id if may_see_person_ids(role) else mask_person_id(person_id)
