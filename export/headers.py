"""Column headers and sheet names in English (the model's names) or Chinese.

The model (``graph/schema.toml``) names everything in English; this is the
Chinese for each node label, relationship type, property, score and
provenance field, and for the fixed columns of the package tables. Only
headers and sheet names change: values (ids, dates, vocabulary words such as
``active``) stay as stored, so an English and a Chinese package hold the same
data. A test checks that every name in the model has a Chinese header here.

>>> header("reg_date", "zh"), header("reg_date", "en"), sheet_name("SHAREHOLDER_OF", "zh")
('成立日期', 'reg_date', '持股')
"""

from __future__ import annotations

from typing import Final

from credgraph.graph.errors import ConfigError

HEADER_LANGUAGES: Final = ("en", "zh")

LABELS_ZH: Final = {
    "Enterprise": "企业",
    "Person": "自然人",
    "Agency": "机关",
    "Project": "项目",
    "Penalty": "行政处罚",
    "ListEntry": "名单记录",
    "Address": "地址",
    "Phone": "电话",
    "Email": "电子邮箱",
    "SourceRecord": "公示原始记录",
    "Mention": "提及",
    "ReviewDecision": "复核决定",
}

TYPES_ZH: Final = {
    "LEGAL_REP_OF": "法定代表人",
    "OFFICER_OF": "任职",
    "SHAREHOLDER_OF": "持股",
    "GUARANTEES": "担保",
    "BID_ON": "投标",
    "CONTROLS": "控制",
    "PROCURED_BY": "采购单位",
    "HAS_PENALTY": "受到处罚",
    "HAS_LIST_ENTRY": "列入名单",
    "ISSUED_BY": "作出机关",
    "HAS_ADDRESS": "注册地址",
    "HAS_PHONE": "联系电话",
    "HAS_EMAIL": "联系邮箱",
    "MENTIONS": "记录提及",
    "RECORDED_IN": "来源记录",
    "SAME_AS": "关联至主体",
    "MAYBE_SAME_AS": "候选主体",
}

COLUMNS_ZH: Final = {
    # fixed columns of the package tables
    "id": "编号",
    "type": "类型",
    "label": "显示名",
    "key": "主键",
    "source": "起点",
    "target": "终点",
    "source_type": "起点类型",
    "target_type": "终点类型",
    # properties
    "uscc": "统一社会信用代码",
    "name": "名称",
    "reg_date": "成立日期",
    "status": "状态",
    "end_date": "终止日期",
    "registered_capital": "注册资本(万元)",
    "region_code": "行政区划代码",
    "industry": "行业",
    "org_type": "组织类型",
    "address": "地址",
    "phone": "电话",
    "email": "电子邮箱",
    "person_id": "身份证件号码",
    "id_type": "证件类型",
    "birth_date": "出生日期",
    "gender": "性别",
    "agency_id": "机关统一社会信用代码",
    "kind": "种类",
    "project_id": "项目编号",
    "category": "类别",
    "budget": "预算(万元)",
    "publish_date": "发布日期",
    "award_date": "中标日期",
    "penalty_id": "处罚编号",
    "subject_id": "主体编号",
    "subject_type": "主体类型",
    "decision_date": "决定日期",
    "amount": "金额(万元)",
    "legal_basis": "法律依据",
    "description": "说明",
    "repaired_date": "信用修复日期",
    "entry_id": "名单记录编号",
    "list": "名单",
    "listed_date": "列入日期",
    "removed_date": "移出日期",
    "reason": "列入事由",
    "start_date": "开始日期",
    "role": "职务",
    "holder_type": "股东类型",
    "share_pct": "持股比例(%)",
    "subscribed_capital": "认缴出资(万元)",
    "bid_date": "投标日期",
    "won": "是否中标",
    "interest_type": "权益类型",
    "beneficial": "是否受益所有权",
    "direct": "直接或间接",
    "reg_no": "工商注册号",
    "org_code": "组织机构代码",
    "record_id": "原始记录编号",
    "cells": "原始内容",
    "mention_id": "提及编号",
    "identifier": "公示证件号码",
    "id_kind": "证件种类",
    "id_value": "证件号码(规范)",
    "of": "所属企业提及",
    "on": "记录日期",
    "features": "其他特征",
    "facts": "待建关系",
    "decision_id": "复核决定编号",
    "verdict": "复核结论",
    "note": "备注",
    "user": "操作人",
    "decided_at": "决定时间",
    "link_grade": "关联等级",
    "score": "关联得分",
    "evidence": "关联依据",
    "method": "关联方式",
    "run_id": "运行编号",
    "rank": "候选排名",
    "via_mention": "来源提及",
    # scores
    "own_score": "自身风险分",
    "linked_score": "关联风险分",
    "total_score": "风险总分",
    "grade": "信用等级",
    "component": "连通组编号",
    "community": "社区编号",
    "pagerank": "PageRank",
    "betweenness": "中介中心性",
    "score_run_id": "评分运行编号",
    # provenance
    "load_id": "导入批次",
    "source_file": "来源文件",
    "source_line": "来源行号",
    "loaded_at": "导入时间",
    "load_ids": "全部导入批次",
}


def check_language(language: str) -> str:
    """``language`` itself, or a ``ConfigError`` naming the choices."""
    if language not in HEADER_LANGUAGES:
        raise ConfigError(f"--headers {language!r}: use one of {', '.join(HEADER_LANGUAGES)}")
    return language


def header(column: str, language: str) -> str:
    """A column's header; columns the model does not declare keep their name."""
    return COLUMNS_ZH.get(column, column) if language == "zh" else column


def sheet_name(name: str, language: str) -> str:
    """A workbook sheet's name for a node label or relationship type (at most 31 characters)."""
    if language == "zh":
        name = LABELS_ZH.get(name) or TYPES_ZH.get(name) or name
    return name[:31]
