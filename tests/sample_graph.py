"""A small hand-drawn graph with known answers, used across the test suite.

    张三 (P1) --LEGAL_REP_OF 2000..2015--> 华为 (E1) <--LEGAL_REP_OF 2015..-- 李四 (P2)
    张三 (P1) --SHAREHOLDER_OF 60%--> 小米 (E2)
    华为 (E1) --SHAREHOLDER_OF 100%--> 深圳壳一 (E3)
    小米 (E2) <--GUARANTEES--> 深圳壳一 (E3)        (a guarantee circle)
    小米 (E2), 深圳壳一 (E3) --HAS_PHONE--> 13800138000
    华为 (E1) [won], 小米 (E2) --BID_ON--> PR1 --PROCURED_BY--> 广州采购中心 (A1)
    深圳壳一 (E3) --HAS_PENALTY--> PEN1 --ISSUED_BY--> A1
    王五 (P3) --HAS_LIST_ENTRY--> LE1 (2019-05-01 .. 2021-05-01)
    王五 (P3) --OFFICER_OF director--> 旧公司 (E4, ended 2020-01-01)
"""

from __future__ import annotations

import datetime as dt

from credgraph.graph.records import NodeRow, Origin, RelRow
from credgraph.graph.store import GraphStore

D = dt.date
P1, P2, P3 = "440106198001010019", "440305199002150020", "110108197511300034"
E1, E2, E3, E4 = "914403001922038216", "91110108551385082Q", "91440300MA5F00001A", "91440300MA5F00002D"
A1 = "11440100007500001P"
PHONE = "13800138000"

ORIGIN = Origin("load-sample", "sample", "2024-01-01T00:00:00+00:00")

NODES: dict[str, list[dict]] = {
    "Person": [
        {"person_id": P1, "name": "张三", "id_type": "cn_id", "birth_date": D(1980, 1, 1), "gender": "male"},
        {"person_id": P2, "name": "李四", "id_type": "cn_id"},
        {"person_id": P3, "name": "王五", "id_type": "cn_id", "nickname": "老王"},
    ],
    "Enterprise": [
        {"uscc": E1, "name": "华为技术有限公司", "reg_date": D(1987, 9, 15), "status": "active",
         "registered_capital": 4104113.182},
        {"uscc": E2, "name": "小米科技有限责任公司", "reg_date": D(2010, 3, 3), "status": "active"},
        {"uscc": E3, "name": "深圳壳一贸易有限公司", "reg_date": D(2018, 6, 1), "registered_capital": 1.0},
        {"uscc": E4, "name": "旧公司", "reg_date": D(2005, 1, 1), "status": "cancelled", "end_date": D(2020, 1, 1)},
    ],
    "Agency": [{"agency_id": A1, "name": "广州市政府采购中心", "kind": "procurer"}],
    "Project": [{"project_id": "PR1", "name": "道路绿化工程", "agency_id": A1, "category": "works",
                 "budget": 500.0, "publish_date": D(2021, 3, 1)}],
    "Penalty": [{"penalty_id": "PEN1", "subject_id": E3, "subject_type": "enterprise",
                 "decision_date": D(2022, 2, 2), "category": "bribery", "kind": "fine", "amount": 20.0}],
    "ListEntry": [{"entry_id": "LE1", "subject_id": P3, "subject_type": "person",
                   "list": "dishonest_debtor", "listed_date": D(2019, 5, 1), "removed_date": D(2021, 5, 1)}],
    "Phone": [{"phone": PHONE}],
}

RELATIONSHIPS: dict[str, list[RelRow]] = {
    "LEGAL_REP_OF": [
        RelRow(P1, E1, {"start_date": D(2000, 1, 1), "end_date": D(2015, 1, 1)}),
        RelRow(P2, E1, {"start_date": D(2015, 1, 1)}),
    ],
    "SHAREHOLDER_OF": [
        RelRow(P1, E2, {"holder_type": "person", "share_pct": 60.0}, src_label="Person"),
        RelRow(E1, E3, {"holder_type": "enterprise", "share_pct": 100.0, "start_date": D(2018, 6, 1)},
               src_label="Enterprise"),
    ],
    "OFFICER_OF": [RelRow(P3, E4, {"role": "director", "start_date": D(2005, 1, 1)})],
    "GUARANTEES": [
        RelRow(E2, E3, {"amount": 1000.0, "start_date": D(2020, 1, 1)}),
        RelRow(E3, E2, {"amount": 800.0, "start_date": D(2020, 6, 1), "end_date": D(2023, 6, 1)}),
    ],
    "BID_ON": [
        RelRow(E1, "PR1", {"won": True, "amount": 480.0, "bid_date": D(2021, 4, 1)}),
        RelRow(E2, "PR1", {"won": False, "amount": 495.0, "bid_date": D(2021, 4, 1)}),
    ],
    "PROCURED_BY": [RelRow("PR1", A1)],
    "HAS_PENALTY": [RelRow(E3, "PEN1", src_label="Enterprise")],
    "HAS_LIST_ENTRY": [RelRow(P3, "LE1", src_label="Person")],
    "ISSUED_BY": [RelRow("PEN1", A1, src_label="Penalty")],
    "HAS_PHONE": [RelRow(E2, PHONE), RelRow(E3, PHONE)],
}

NODE_COUNT = sum(len(rows) for rows in NODES.values())
RELATIONSHIP_COUNT = sum(len(rows) for rows in RELATIONSHIPS.values())


def load_sample(store: GraphStore) -> None:
    """Write the sample graph into ``store``."""
    for label, rows in NODES.items():
        store.upsert_nodes(label, [NodeRow(props, line=i + 2) for i, props in enumerate(rows)], ORIGIN)
    for rel_type, rels in RELATIONSHIPS.items():
        store.upsert_relationships(rel_type, rels, ORIGIN)
