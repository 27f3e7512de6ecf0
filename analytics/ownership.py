"""Effective (integrated) ownership through layered and circular shareholdings.

With ``B[i, j]`` the share of firm i in firm j and ``P[p, j]`` the share of
person p in firm j (fractions, from SHAREHOLDER_OF), the persons' ultimate
stakes are ``U = P (I - B)^-1``. No matrix is inverted whole:

1. a firm whose holders add up to more than 100% has its holders scaled down
   to 100% (reported in ``over_allocated``), and a firm's holding of its own
   shares is ignored, so no stake can pass 100%;
2. the strongly connected components (SCCs) of ``B`` are the ownership
   cycles. A cycle whose members are held only by each other (no outside
   holder: ``I - B`` is singular there) is *closed*: its internal holdings are
   dropped, so it has no natural-person owner and nothing loops. Every other
   cycle's block ``K = (I - D)^-1`` is solved exactly (cycles are small);
3. with ``R`` the holdings between components, ``(I - B)^-1 = (I - K R)^-1 K``
   and ``K R`` only moves down the acyclic graph of components, so
   ``U = (P + P KR + P (KR)^2 + ...) K`` is a sparse iteration that ends,
   exactly, after as many rounds as the chain is deep.

>>> from credgraph.graph.records import Node, Relationship
>>> def holds(a, la, b, pct):
...     return Relationship("SHAREHOLDER_OF", la, a, "Enterprise", b, "", {"share_pct": pct})
>>> p = Projection.build(
...     [Node("Person", "jane", {}), Node("Enterprise", "hold", {}), Node("Enterprise", "op", {})],
...     [holds("jane", "Person", "hold", 80.0), holds("hold", "Enterprise", "op", 50.0),
...      holds("jane", "Person", "op", 10.0)])
>>> round(effective_ownership(p).stake("jane", "op") * 100, 4)   # 80% * 50% + 10%
50.0
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, connected_components

from credgraph.graph.projection import Projection

SHARES = "SHAREHOLDER_OF"
TOLERANCE = 1e-9
PRUNE = 1e-15


@dataclass
class EffectiveOwnership:
    """Persons' effective stakes (rows) in firms (columns), with the cycles found."""

    projection: Projection
    persons: np.ndarray
    firms: np.ndarray
    matrix: sp.csr_matrix
    cycles: list[list[str]] = field(default_factory=list)
    closed: list[list[str]] = field(default_factory=list)
    over_allocated: list[str] = field(default_factory=list)

    def column(self, firm_id: str) -> dict[str, float]:
        """``{person_id: fraction}`` of one firm, largest first (ties by id)."""
        pos = self.projection.index[firm_id]
        col = int(np.searchsorted(self.firms, pos))
        if col >= len(self.firms) or self.firms[col] != pos:
            return {}
        column = self.matrix.getcol(col).tocoo()
        pairs = [(self.projection.ids[self.persons[r]], float(v)) for r, v in zip(column.row, column.data) if v > 0]
        return dict(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))

    def stake(self, person_id: str, firm_id: str) -> float:
        """The effective stake (a fraction) of one person in one firm."""
        return self.column(firm_id).get(person_id, 0.0)


def share_edges(projection: Projection, within: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(holder, firm, fraction) of every shareholding, self-holdings left out."""
    types = np.asarray(projection.rel_types, dtype=object)
    picked = np.flatnonzero(types == SHARES) if len(types) else np.zeros(0, np.int64)
    src, dst = projection.src[picked], projection.dst[picked]
    keep = src != dst
    if within is not None:
        keep &= within[src] & within[dst]
    picked, src, dst = picked[keep], src[keep], dst[keep]
    share = np.fromiter((float(projection.rel_props[i].get("share_pct") or 0.0) / 100.0 for i in picked),
                        float, len(picked))
    return src, dst, np.clip(share, 0.0, 1.0)


def ancestors(projection: Projection, position: int) -> np.ndarray:
    """Sorted positions of ``position`` and every node that holds shares in it, directly or not."""
    src, dst, _ = share_edges(projection)
    n = projection.node_count
    upward = sp.csr_matrix((np.ones(len(src)), (dst, src)), shape=(n, n))
    return np.sort(breadth_first_order(upward, position, directed=True, return_predecessors=False))


def _matrices(projection: Projection, firms: np.ndarray, persons: np.ndarray,
              within: np.ndarray | None) -> tuple[sp.csr_matrix, sp.csr_matrix, list[str]]:
    """P (persons x firms) and B (firms x firms), holders over 100% scaled down."""
    n = projection.node_count
    fmap, pmap = np.full(n, -1), np.full(n, -1)
    fmap[firms], pmap[persons] = np.arange(len(firms)), np.arange(len(persons))
    src, dst, share = share_edges(projection, within)
    by_person, by_firm = pmap[src] >= 0, fmap[src] >= 0
    to_firm = fmap[dst] >= 0
    nf, np_ = len(firms), len(persons)
    P = sp.csr_matrix((share[by_person & to_firm], (pmap[src[by_person & to_firm]], fmap[dst[by_person & to_firm]])),
                      shape=(np_, nf))
    B = sp.csr_matrix((share[by_firm & to_firm], (fmap[src[by_firm & to_firm]], fmap[dst[by_firm & to_firm]])),
                      shape=(nf, nf))
    total = np.asarray(P.sum(axis=0)).ravel() + np.asarray(B.sum(axis=0)).ravel()
    over = total > 1.0 + TOLERANCE
    scale = sp.diags(np.where(over, 1.0 / np.maximum(total, 1.0), 1.0))
    return (P @ scale).tocsr(), (B @ scale).tocsr(), [projection.ids[firms[j]] for j in np.flatnonzero(over)]


def _cycle_blocks(B: sp.csr_matrix) -> tuple[np.ndarray, list[np.ndarray], list[bool]]:
    """Component label of each firm, the member lists of cycles, and whether each is closed."""
    _, labels = connected_components(B, directed=True, connection="strong")
    sizes = np.bincount(labels)
    members = [np.flatnonzero(labels == c) for c in np.flatnonzero(sizes > 1)]
    closed = [bool(np.all(np.asarray(B[m][:, m].sum(axis=0)).ravel() >= 1.0 - TOLERANCE)) for m in members]
    return labels, members, closed


def _solve_blocks(B: sp.csr_matrix, labels: np.ndarray, members: list[np.ndarray],
                  closed: list[bool]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """K (identity with each open cycle's exact inverse block) and R (holdings between components)."""
    nf = B.shape[0]
    coo = B.tocoo()
    in_cycle = np.zeros(nf, bool)
    for m in members:
        in_cycle[m] = True
    internal = (labels[coo.row] == labels[coo.col]) & in_cycle[coo.row]
    R = sp.csr_matrix((coo.data[~internal], (coo.row[~internal], coo.col[~internal])), shape=(nf, nf))
    rows, cols, vals = [np.flatnonzero(~in_cycle)], [np.flatnonzero(~in_cycle)], [np.ones(int((~in_cycle).sum()))]
    for m, is_closed in zip(members, closed):
        block = np.eye(len(m)) if is_closed else np.linalg.inv(np.eye(len(m)) - B[m][:, m].toarray())
        r, c = np.nonzero(block)
        rows.append(m[r])
        cols.append(m[c])
        vals.append(block[r, c])
    K = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(nf, nf))
    return K, R


def _prune(matrix: sp.csr_matrix) -> sp.csr_matrix:
    matrix.data[np.abs(matrix.data) < PRUNE] = 0.0
    matrix.eliminate_zeros()
    return matrix


def effective_ownership(projection: Projection, within: np.ndarray | None = None) -> EffectiveOwnership:
    """Every person's effective stake in every firm of ``projection`` (or of the nodes ``within``).

    See the module docstring for the method.

    Parameters
    ----------
    projection : Projection
        Persons, enterprises and SHAREHOLDER_OF relationships (others are ignored).
    within : numpy.ndarray of bool, optional
        Only these nodes (e.g. the ancestors of one firm); all by default.

    Returns
    -------
    EffectiveOwnership
        ``matrix[p, f]`` the fraction of firm ``f`` that person ``p`` owns, plus
        the ownership cycles, the closed ones, and firms whose holders exceeded 100%.

    Examples
    --------
    >>> from credgraph.graph.records import Node, Relationship
    >>> holds = lambda a, la, b, pct: Relationship("SHAREHOLDER_OF", la, a, "Enterprise", b, "", {"share_pct": pct})
    >>> p = Projection.build([Node("Enterprise", "a", {}), Node("Enterprise", "b", {})],
    ...                      [holds("a", "Enterprise", "b", 100.0), holds("b", "Enterprise", "a", 100.0)])
    >>> result = effective_ownership(p)
    >>> result.closed, result.matrix.nnz
    ([['a', 'b']], 0)
    """
    labels = np.asarray(projection.labels, dtype=object)
    mask = np.ones(projection.node_count, bool) if within is None else within
    firms = np.flatnonzero((labels == "Enterprise") & mask) if len(labels) else np.zeros(0, np.int64)
    persons = np.flatnonzero((labels == "Person") & mask) if len(labels) else np.zeros(0, np.int64)
    P, B, over = _matrices(projection, firms, persons, within)
    cycle_labels, members, closed = _cycle_blocks(B)
    K, R = _solve_blocks(B, cycle_labels, members, closed)
    step = (K @ R).tocsr()
    total, term = P.copy(), P
    for _ in range(len(firms) + 1):
        term = _prune((term @ step).tocsr())
        if term.nnz == 0:
            break
        total = total + term
    matrix = _prune((total @ K).tocsr())
    matrix.data = np.clip(matrix.data, 0.0, 1.0)
    ids = projection.ids
    return EffectiveOwnership(
        projection, persons, firms, matrix,
        cycles=[sorted(ids[firms[j]] for j in m) for m in members],
        closed=[sorted(ids[firms[j]] for j in m) for m, c in zip(members, closed) if c],
        over_allocated=over,
    )
