"""Which planted and decoy units a run makes, scaled with its size.

Each kind of unit is made ``max(minimum, round(enterprises * rate))`` times,
so S gets a handful of each, M hundreds and L thousands; variants take turns so
that every variant appears even in S. Units are spread over the run at random
firm numbers (see generate.py), never bunched at the start or the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable, Sequence

from credgraph.synthetic import bribery, decoys, patterns, rings, structures
from credgraph.synthetic.world import World

PATTERN_RATE = 1 / 400
PATTERN_MIN = 6


@dataclass(frozen=True)
class Unit:
    """One planted or decoy unit: what it is (``group:variant``) and how to make it."""

    name: str
    make: Callable[[World], None]


def _count(n: int, rate: float, minimum: int) -> int:
    return max(minimum, round(n * rate))


def _turns(group: str, make: Callable[..., None], variants: Sequence[object], count: int,
           arg: str = "variant") -> list[Unit]:
    """``count`` units of ``make``, cycling through ``variants`` passed as keyword ``arg``."""
    chosen = [variants[i % len(variants)] for i in range(count)]
    return [Unit(f"{group}:{v}", partial(make, **{arg: v})) for v in chosen]


def planned_units(n: int) -> list[Unit]:
    """Every planted pattern, ownership structure and decoy of a run of ``n`` enterprises."""
    per = _count(n, PATTERN_RATE, PATTERN_MIN)
    closed = _count(n, 1 / 20_000, 1)
    decoy = _count(n, 1 / 1000, 3)
    units = _turns("reregistration", patterns.reregistration, patterns.REREGISTRATION_VARIANTS, per)
    units += _turns("shell_cluster", patterns.shell_cluster, patterns.SHELL_VARIANTS, per)
    units += _turns("bribery_association", bribery.bribery, bribery.VARIANTS, per)
    units += _turns("bid_rigging", rings.bid_rigging, rings.RIGGING_VARIANTS, per)
    units += _turns("guarantee_circle", rings.guarantee_circle, (2, 3, 4, 5), per, "k")
    units += _turns("circular_ownership", rings.circular_ownership, (2, 3, 4), per - closed, "k")
    units += [Unit("circular_ownership:closed", rings.closed_ownership_cycle)] * closed
    units += [Unit("ownership:layered", structures.layered)] * _count(n, 1 / 800, 3)
    units += [Unit("ownership:dispersed", structures.dispersed)] * _count(n, 1 / 1000, 2)
    units += [Unit("decoy:business_centre", decoys.business_centre)] * _count(n, 1 / 2500, 2)
    units += [Unit("decoy:open_competitors", decoys.open_competitors)] * _count(n, 1 / 1000, 2)
    units += _turns("decoy:ended_guarantee_cycle", partial(rings.guarantee_circle, ended=True), (2, 3, 4),
                    decoy, "k")
    units += _turns("decoy:ended_ownership_cycle", partial(rings.circular_ownership, ended=True), (2, 3, 4),
                    decoy, "k")
    units += _turns("decoy:listing_removed", patterns.removed_listing_decoy, ("person", "firm"), decoy)
    units += _turns("decoy:bribery", bribery.bribery_decoy, bribery.DECOYS, decoy * 2, "kind")
    return units
