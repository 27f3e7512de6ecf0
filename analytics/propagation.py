"""Linked risk: non-backtracking propagation over typed, weighted links, in edge space.

The projection's relationships of the configured types become directed links
``u -> v`` in both directions, each with a coefficient ``c`` (see
``build_network``). Risk travels as messages on links: a subject passes on its
own score plus what reached it, minus what came from the link's far end::

    m[u->v] = c[u->v] * (s[u] + sum of m[t->u] over t != v)
    linked[v] = sum of m[u->v] over u

iterated ``max_hops`` times from ``m = 0``, so ``linked`` sums every walk of
up to ``max_hops`` links that never steps straight back, weighted by the
product of its coefficients and the source's score. It is linear in the
sources ``s``: ``source_weights`` gives the exact weight of each source in one
subject's linked score (the adjoint), and ``best_chains`` the strongest single
walk into every node (max-product, with back-pointers) for explanations. On
tree-shaped neighbourhoods every walk is a simple path and a subject's own risk
never comes back to it; around cycles walks go round, damped at every hop.

Every step is a handful of numpy / scipy.sparse operations over all links.

>>> from credgraph.analytics.config import load_config
>>> from credgraph.graph.records import Node, Relationship
>>> p = Projection.build(
...     [Node("Person", "p1", {}), Node("Enterprise", "e1", {})],
...     [Relationship("LEGAL_REP_OF", "Person", "p1", "Enterprise", "e1", "", {})])
>>> net = build_network(p, load_config().propagation)
>>> propagate(net, np.array([50.0, 0.0]), 6).round(2).tolist()   # 0.5 decay * 0.8 weight * 50
[0.0, 20.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from credgraph.analytics.config import LinkWeights, PropagationConfig
from credgraph.graph.projection import Projection

_ONE_MINUS = 1.0 - 1e-12


@dataclass(frozen=True)
class RiskNetwork:
    """Directed links sorted by (dst, src), with coefficients and reverse-link indexes."""

    n: int
    src: np.ndarray
    dst: np.ndarray
    coef: np.ndarray
    rev: np.ndarray
    starts: np.ndarray
    subject: np.ndarray
    incidence: sp.csr_matrix

    @property
    def link_count(self) -> int:
        """Number of directed links."""
        return len(self.src)


def _share(props: dict[str, Any]) -> float:
    value = props.get("share_pct")
    return 1.0 if value is None else min(max(float(value) / 100.0, 0.0), 1.0)


def _link_weights(projection: Projection, picked: np.ndarray, link: LinkWeights) -> tuple[np.ndarray, np.ndarray]:
    """Forward and backward weight of each picked relationship of one type."""
    factor = np.ones(len(picked))
    if link.by_share:
        factor *= np.fromiter((_share(projection.rel_props[i]) for i in picked), float, len(picked))
    if link.role is not None:
        role = link.role
        factor *= np.fromiter(
            (role.get(projection.rel_props[i].get("role") or "other", role["other"]) for i in picked),
            float, len(picked),
        )
    return link.forward * factor, link.backward * factor


def _candidate_links(projection: Projection, config: PropagationConfig, usable: np.ndarray,
                     middle: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(u, v, w) for both directions of every usable relationship of a configured type."""
    us, vs, ws = [], [], []
    wanted = {rel_type: i for i, rel_type in enumerate(sorted(config.links))}
    codes = np.fromiter((wanted.get(t, -1) for t in projection.rel_types), np.int64, projection.relationship_count)
    for rel_type, link in sorted(config.links.items()):
        picked = np.flatnonzero(codes == wanted[rel_type])
        a, b = projection.src[picked], projection.dst[picked]
        keep = usable[a] & usable[b] & ~(middle[a] & middle[b]) & (a != b)
        picked, a, b = picked[keep], a[keep], b[keep]
        forward, backward = _link_weights(projection, picked, link)
        us += [a, b]
        vs += [b, a]
        ws += [forward, backward]
    if not us:
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0)
    return np.concatenate(us), np.concatenate(vs), np.concatenate(ws)


def _merge_pairs(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One link per ordered pair, sorted by (v, u); weights combine as 1 - prod(1 - w)."""
    key = v * n + u
    order = np.argsort(key)
    key, w = key[order], np.minimum(w[order], _ONE_MINUS)
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, np.int64)
    log_keep = np.add.reduceat(np.log1p(-w), first) if len(key) else np.zeros(0)
    unique = key[first]
    return unique % n, unique // n, -np.expm1(log_keep)


def _coefficients(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, middle: np.ndarray,
                  config: PropagationConfig) -> np.ndarray:
    """Averaging into intermediates, hub damping out of them, saturation and decay into subjects."""
    degree = np.bincount(v, minlength=n).astype(float)  # distinct neighbours (both directions exist)
    others = np.maximum(degree - 1.0, 1.0)
    into_middle = middle[v]
    raw = np.where(middle[u], w * np.minimum(1.0, config.hub_cap / others[u]), w)
    incoming = np.bincount(v[~into_middle], weights=raw[~into_middle], minlength=n)
    to_subject = config.decay * raw / np.maximum(incoming[v], 1.0)
    return np.where(into_middle, w / others[v], to_subject)


def build_network(projection: Projection, config: PropagationConfig, usable: np.ndarray | None = None) -> RiskNetwork:
    """The propagation links of ``projection``: subjects and intermediates, configured types only.

    A link into an intermediate (contact point, project) has coefficient
    ``w / (members - 1)``, so it passes on the average of its other members; a
    link out of one is damped by ``min(1, hub_cap / (members - 1))``. Into a
    subject, the weights are scaled down to sum to at most 1 and multiplied by
    ``decay``. Records, agencies and other labels take no part, nor do nodes
    outside ``usable``.

    Parameters
    ----------
    projection : Projection
        Nodes and relationships.
    config : PropagationConfig
        Labels, link weights, decay and hub cap.
    usable : numpy.ndarray of bool, optional
        Nodes that may take part (e.g. those that exist on the date).

    Returns
    -------
    RiskNetwork
        Directed links sorted by target, with coefficients and reverse-link indexes.

    Examples
    --------
    See the module docstring.
    """
    n = projection.node_count
    labels = np.asarray(projection.labels, dtype=object)
    subject = np.isin(labels, list(config.subject_labels)) if n else np.zeros(0, bool)
    middle = np.isin(labels, list(config.intermediate_labels)) if n else np.zeros(0, bool)
    allowed = subject | middle if usable is None else (subject | middle) & usable
    u, v, w = _merge_pairs(n, *_candidate_links(projection, config, allowed, middle))
    coef = _coefficients(n, u, v, w, middle, config)
    keep = coef > 0
    u, v, coef = u[keep], v[keep], coef[keep]
    rev = _reverse_index(v * n + u, u * n + v)
    starts = np.searchsorted(v, np.arange(n + 1))
    incidence = sp.csr_matrix((np.ones(len(v)), np.arange(len(v)), starts), shape=(n, len(v)))
    return RiskNetwork(n, u, v, coef, rev, starts, subject, incidence)


def _reverse_index(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Position of each ``wanted`` key in the sorted ``keys``, -1 where absent."""
    if len(keys) == 0:
        return np.zeros(0, np.int64)
    order = np.argsort(wanted)
    pos = np.empty(len(wanted), np.int64)
    pos[order] = np.minimum(np.searchsorted(keys, wanted[order]), len(keys) - 1)
    return np.where(keys[pos] == wanted, pos, -1).astype(np.int64)


def _back(net: RiskNetwork, values: np.ndarray) -> np.ndarray:
    """For each link, the value on its reverse link (0 where there is none)."""
    has = net.rev >= 0
    out = np.zeros(net.link_count)
    out[has] = values[net.rev[has]]
    return out


def propagate(net: RiskNetwork, source: np.ndarray, hops: int) -> np.ndarray:
    """Linked risk of every node from the sources ``source`` (one value per node).

    Parameters
    ----------
    net : RiskNetwork
        From ``build_network``.
    source : numpy.ndarray
        Own score per node (0 for intermediates).
    hops : int
        Longest walk, in links.

    Returns
    -------
    numpy.ndarray
        Per node, the sum over non-backtracking walks of up to ``hops`` links of
        ``source[start] * product of coefficients`` (see the module docstring).
    """
    message = np.zeros(net.link_count)
    for _ in range(hops):
        arrived = net.incidence @ message
        passed = np.maximum(source[net.src] + arrived[net.src] - _back(net, message), 0.0)
        updated = net.coef * passed
        if np.array_equal(updated, message):
            break
        message = updated
    return np.asarray(net.incidence @ message)


def source_weights(net: RiskNetwork, node: int, hops: int) -> np.ndarray:
    """``g`` with ``propagate(net, s, hops)[node] == g @ s`` for every ``s`` (the adjoint).

    One backward pass over all links; ``g[j] * s[j]`` is the exact share of
    source ``j`` in ``node``'s linked score.

    Examples
    --------
    >>> from credgraph.analytics.config import load_config
    >>> from credgraph.graph.records import Node, Relationship
    >>> p = Projection.build([Node("Person", "p", {}), Node("Enterprise", "e", {})],
    ...                      [Relationship("LEGAL_REP_OF", "Person", "p", "Enterprise", "e", "", {})])
    >>> source_weights(build_network(p, load_config().propagation), 1, 6).round(2).tolist()
    [0.4, 0.0]
    """
    z = np.zeros(net.link_count)
    z[net.starts[node]:net.starts[node + 1]] = 1.0
    total = np.zeros(net.link_count)
    for _ in range(hops):
        total += z
        y = net.coef * z
        leaving = np.bincount(net.src, weights=y, minlength=net.n)
        z = leaving[net.dst] - _back(net, y)
    return np.bincount(net.src, weights=net.coef * total, minlength=net.n)


def _top_two(net: RiskNetwork, value: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per node: best and second-best value over incoming links, and those links (-1: none)."""
    n, count = net.n, net.link_count
    best1, best2 = np.zeros(n), np.zeros(n)
    arg1, arg2 = np.full(n, -1), np.full(n, -1)
    filled = np.flatnonzero(np.diff(net.starts) > 0)
    if count == 0:
        return best1, arg1, best2, arg2
    heads = net.starts[filled]
    best1[filled] = np.maximum.reduceat(value, heads)
    positions = np.arange(count)
    arg1[filled] = np.minimum.reduceat(np.where(value == best1[net.dst], positions, count), heads)
    rest = value.copy()
    rest[arg1[filled]] = -1.0
    best2[filled] = np.maximum.reduceat(rest, heads)
    arg2[filled] = np.minimum.reduceat(np.where(rest == best2[net.dst], positions, count), heads)
    lone = best2 < 0
    best2[lone], arg2[lone] = 0.0, -1
    return best1, arg1, best2, arg2


def best_chains(net: RiskNetwork, source: np.ndarray, hops: int) -> tuple[np.ndarray, np.ndarray]:
    """Strength of the strongest non-backtracking walk ending on each link, and its previous link.

    ``strength[e]`` is the largest ``s[start] * product of c`` over walks of up
    to ``hops`` links that end with link ``e``; ``previous[e]`` is the link
    before ``e`` on it, -1 where the walk starts at ``e``'s source.
    """
    strength = np.zeros(net.link_count)
    previous = np.full(net.link_count, -1)
    for _ in range(hops):
        best1, arg1, best2, arg2 = _top_two(net, strength)
        first_ok = arg1[net.src] != net.rev
        inflow = np.where(first_ok, best1[net.src], best2[net.src])
        via = np.where(first_ok, arg1[net.src], arg2[net.src])
        start = source[net.src] >= inflow
        updated = net.coef * np.where(start, source[net.src], inflow)
        previous = np.where(start, -1, via)
        if np.array_equal(updated, strength):
            break
        strength = updated
    return strength, previous


def trace_chains(net: RiskNetwork, strength: np.ndarray, previous: np.ndarray, nodes: np.ndarray,
                 k: int, hops: int, least: float = 0.0) -> dict[int, list[tuple[list[int], float]]]:
    """The ``k`` strongest chains into each of ``nodes``: node positions (source first) and strength.

    Chains are followed back along ``previous`` for all nodes at once; one
    that does not reach its source within ``hops`` links or meets a node
    twice (an echo of the node's own risk) is left out.
    """
    wanted = np.zeros(net.n, bool)
    wanted[nodes] = True
    links = np.flatnonzero(wanted[net.dst] & (strength > 0) & (strength >= least))
    links = links[np.lexsort((links, -strength[links], net.dst[links]))]
    heads = np.flatnonzero(np.r_[True, net.dst[links][1:] != net.dst[links][:-1]]) if len(links) else links
    rank = np.arange(len(links)) - np.repeat(heads, np.diff(np.r_[heads, len(links)]))
    links = links[rank < k + 2]
    walk = np.full((len(links), hops + 2), -1)
    walk[:, 0] = net.dst[links]
    current = links.copy()
    for step in range(1, hops + 2):
        live = current >= 0
        walk[live, step] = net.src[current[live]]
        current[live] = previous[current[live]]
    ended = current < 0
    filled = walk >= 0
    same = (walk[:, :, None] == walk[:, None, :]) & filled[:, :, None] & ~np.eye(hops + 2, dtype=bool)
    repeats = same.any(axis=(1, 2))
    kept = np.flatnonzero(ended & ~repeats)
    found: dict[int, list[tuple[list[int], float]]] = {v: [] for v in nodes.tolist()}
    for steps, value in zip(walk[kept].tolist(), strength[links[kept]].tolist()):
        chains = found[steps[0]]
        if len(chains) < k:
            chains.append(([i for i in reversed(steps) if i >= 0], value))
    return found
