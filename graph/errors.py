"""The exceptions credgraph raises on purpose.

Every error a user can cause is a ``CredgraphError``: its message is one line
that says what went wrong, where, and what to do; the CLI prints it and exits
with ``exit_code`` instead of showing a traceback.
"""

from __future__ import annotations


class CredgraphError(Exception):
    """Base class of every error credgraph raises on purpose."""

    exit_code = 1


class ConfigError(CredgraphError):
    """A setting, option or environment variable is missing or malformed."""

    exit_code = 2


class ModelError(CredgraphError):
    """A label, relationship type or property is not in the graph model."""

    exit_code = 2


class NotFoundError(CredgraphError):
    """A subject, finding or run asked for is not in the store."""


class StoreError(CredgraphError):
    """The store cannot be opened, reached or written."""


class MissingEndpointError(StoreError):
    """A relationship names a node that is not in the store."""


class Neo4jServerError(CredgraphError):
    """The local Neo4j server cannot be assembled, started or stopped."""


class AccessDeniedError(CredgraphError):
    """The role may not do what was asked (see ``credgraph.graph.access``)."""
