"""国办公开办函〔2019〕60号: the 2019 trial format, for the report years 2019 and 2020."""

from __future__ import annotations

from model.formats.common import (
    APPEALS,
    COERCION,
    COMMON_RULES,
    FEES,
    LICENSING,
    NARRATIVE,
    NUMBER,
    OTHER_HANDLING,
    PENALTY,
    PREAMBLE,
    PROBLEMS,
    RESULTS,
    RULES,
    amount,
    assemble,
    document_rules,
    item_table,
    parts,
    request_rules,
    requests_table,
)
from model.formats.rules import RunningCountRule, TextFigureRule
from model.formats.types import CellKind, Column, ReportFormat, Row, Severity, TextField

_ITEMS = (
    Column("prev_items", "上一年项目数量"),
    Column("change", "本年增/减", CellKind.SIGNED_COUNT),
)
_ITEMS_AND_DECISIONS = (*_ITEMS, Column("decisions", "处理决定数量"))

ACTIVE = (
    item_table(
        1,
        (RULES, Row("normative", "规范性文件")),
        (
            Column("made", "本年新制作数量"),
            Column("published", "本年新公开数量"),
            Column("total_published", "对外公开总数量"),
        ),
    ),
    item_table(5, (LICENSING, Row("other_services", "其他对外管理服务事项")), _ITEMS_AND_DECISIONS),
    item_table(6, (PENALTY, COERCION), _ITEMS_AND_DECISIONS),
    item_table(
        8, (FEES,), (_ITEMS[0], Column("change", "本年增/减", CellKind.SIGNED_COUNT, span=2))
    ),
    item_table(
        9,
        (Row("procurement", "政府集中采购"),),
        (
            Column("projects", "采购项目数量"),
            Column("amount", "采购总金额", CellKind.MONEY, span=2, unit_choices=("万元", "元")),
        ),
    ),
)

ITEMS_RUNNING = RunningCountRule(
    id="active.prev_items",
    severity=Severity.WARNING,
    summary="上一年项目数量等于上一年度报告的上一年项目数量加本年增/减",
    message="第二部分{caption}“{row}”：上一年项目数量为{value}，按{prev_year}年报告的{base}"
    "加本年增/减{plus}应为{expected}",
    rows=(
        "art20_5.licensing",
        "art20_5.other_services",
        "art20_6.penalty",
        "art20_6.coercion",
        "art20_8.fees",
    ),
    column="prev_items",
    base="prev_items",
    plus="change",
    minus=None,
    plus_from_prev=True,
)

TEXT_PROCUREMENT_COUNT = TextFigureRule(
    id="text.procurement_projects",
    severity=Severity.WARNING,
    summary="文字中的政府集中采购项目数与第二部分一致",
    message="{part}写有“{quote}”，但第二部分“采购项目数量”为{value}",
    texts=NARRATIVE,
    pattern=rf"政府集中采购(?:项目)?[^。；;！!？?\n，,、等0-9０-９]{{0,6}}?{NUMBER}\s*[项个]",
    cells=("art20_9.procurement.projects",),
)
TEXT_PROCUREMENT_AMOUNT = TextFigureRule(
    id="text.procurement_amount",
    severity=Severity.WARNING,
    summary="文字中的政府集中采购总金额与第二部分一致",
    message="{part}写有“{quote}”，但第二部分“采购总金额”为{value}",
    texts=NARRATIVE,
    pattern=rf"采购(?:总)?金额[^。；;！!？?\n0-9０-９]{{0,6}}?{amount()}\s*(?P<unit>亿元|万元|万|元)",
    cells=("art20_9.procurement.amount",),
    # 政府采购金额 or 分散采购金额 is another sum than 政府集中采购's
    context="集中采购",
    unless="分散|自行|非集中",
)

REQUESTS = requests_table((Row("other", OTHER_HANDLING, (RESULTS,)),))
TEXT_DOCUMENTS = document_rules("art20_1", {"issued": ("made", "本年新制作数量")})

FORMAT_2019 = assemble(
    ReportFormat(
        id="2019",
        document="国办公开办函〔2019〕60号",
        name="《中华人民共和国政府信息公开工作年度报告格式（试行）》",
        first_year=2019,
        last_year=2020,
        parts=parts(tuple(t.key for t in ACTIVE)),
        tables=(*ACTIVE, REQUESTS, APPEALS),
        texts=(
            PREAMBLE,
            TextField("overview", "总体情况"),
            PROBLEMS,
            TextField("other_matters", "其他需要报告的事项"),
        ),
        rules=(
            *COMMON_RULES,
            ITEMS_RUNNING,
            TEXT_PROCUREMENT_COUNT,
            TEXT_PROCUREMENT_AMOUNT,
            *request_rules(REQUESTS),
            *TEXT_DOCUMENTS,
        ),
    )
)
