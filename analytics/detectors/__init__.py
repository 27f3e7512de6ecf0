"""The six pattern detectors of the contract (section 3), each in its own module.

``DETECTORS`` maps each name, in contract order, to its ``Detector``: what it
needs projected, its Python matcher, its assembler and its Cypher parameters.
The job that runs them is ``credgraph.analytics.detection``.
"""

from __future__ import annotations

from credgraph.analytics.detectors.base import Detector
from credgraph.analytics.detectors.bid_rigging import BID_RIGGING
from credgraph.analytics.detectors.bribery import BRIBERY_ASSOCIATION
from credgraph.analytics.detectors.cycles import CIRCULAR_OWNERSHIP, GUARANTEE_CIRCLE
from credgraph.analytics.detectors.reregistration import REREGISTRATION
from credgraph.analytics.detectors.shell_cluster import SHELL_CLUSTER

REGISTRY: dict[str, Detector] = {
    d.name: d
    for d in (REREGISTRATION, SHELL_CLUSTER, BRIBERY_ASSOCIATION, BID_RIGGING, GUARANTEE_CIRCLE, CIRCULAR_OWNERSHIP)
}
