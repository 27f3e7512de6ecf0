"""The dashboard's users file: names, roles and scrypt password hashes.

The file is JSON, at ``$CREDGRAPH_USERS`` or ``~/.config/credgraph/users.json``
(``$XDG_CONFIG_HOME`` respected), written with mode 600. Passwords are never
stored: each user has a random 16-byte salt and ``hashlib.scrypt(password,
salt, n=2**14, r=8, p=1)``; the parameters are stored with the hash so they can
be raised later without breaking existing users. ``credgraph users add NAME
--role ROLE`` manages it.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "users.json"
>>> add_user(path, "alice", "correct horse", "analyst").role
'analyst'
>>> authenticate(path, "alice", "correct horse").role, authenticate(path, "alice", "wrong")
('analyst', None)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from credgraph.graph.access import check_role
from credgraph.graph.errors import ConfigError
from credgraph.graph.store import utc_now

SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MIN_PASSWORD = 8
_NAME = re.compile(r"^[\w.@-]{1,64}$")


@dataclass(frozen=True)
class User:
    """A dashboard user as listed (no secrets)."""

    name: str
    role: str
    created: str


def users_path(path: str | Path | None = None) -> Path:
    """The users file: ``path``, else ``$CREDGRAPH_USERS``, else the per-user config folder."""
    if path:
        return Path(path)
    if os.environ.get("CREDGRAPH_USERS"):
        return Path(os.environ["CREDGRAPH_USERS"])
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "credgraph" / "users.json"


def _read(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        users = data["users"]
        if not isinstance(users, dict):
            raise TypeError("users is not an object")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"users file {path} is unreadable ({exc}): fix it or move it away") from None
    return users


def _write(path: Path, users: dict[str, dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    spare = path.with_name(path.name + ".tmp")
    fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"users": users}, handle, ensure_ascii=False, indent=2, sort_keys=True)
    os.replace(spare, path)


def _hash(password: str, salt: bytes, params: dict[str, int]) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=params["n"], r=params["r"], p=params["p"])


def check_name(name: str) -> str:
    """The user name itself, or a ``ConfigError`` saying what a name may hold."""
    if not _NAME.match(name):
        raise ConfigError(f"user name {name!r}: use 1 to 64 letters, digits, '.', '@', '_' or '-'")
    return name


def add_user(path: str | Path | None, name: str, password: str, role: str, replace: bool = False) -> User:
    """Add ``name`` with ``role`` and a hash of ``password``; ``replace`` to change an existing user."""
    file = users_path(path)
    check_name(name)
    check_role(role)
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"password for {name!r} is too short: use at least {MIN_PASSWORD} characters")
    users = _read(file)
    if name in users and not replace:
        raise ConfigError(f"user {name!r} already exists in {file}: use --replace to change the password or role")
    salt = secrets.token_bytes(16)
    created = utc_now()
    users[name] = {"role": role, "salt": salt.hex(), "hash": _hash(password, salt, SCRYPT).hex(),
                   "scrypt": dict(SCRYPT), "created": created}
    _write(file, users)
    return User(name, role, created)


def remove_user(path: str | Path | None, name: str) -> None:
    """Remove ``name``; a ``ConfigError`` if there is no such user."""
    file = users_path(path)
    users = _read(file)
    if name not in users:
        raise ConfigError(f"no user {name!r} in {file}: see credgraph users list")
    del users[name]
    _write(file, users)


def list_users(path: str | Path | None = None) -> list[User]:
    """Every user, by name."""
    return [User(name, entry["role"], entry.get("created", "")) for name, entry in sorted(_read(users_path(path)).items())]


def authenticate(path: str | Path | None, name: str, password: str) -> User | None:
    """The user if ``password`` is theirs, else ``None`` (same work whether or not the name exists)."""
    users = _read(users_path(path))
    entry = users.get(name)
    salt = bytes.fromhex(entry["salt"]) if entry else b"\0" * 16
    params = entry.get("scrypt", SCRYPT) if entry else SCRYPT
    digest = _hash(password, salt, params)
    if entry is None or not hmac.compare_digest(digest, bytes.fromhex(entry["hash"])):
        return None
    return User(name, check_role(entry["role"]), entry.get("created", ""))
