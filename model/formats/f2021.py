"""国办公开办函〔2021〕30号: the current format, for the report years from 2021."""

from __future__ import annotations

from model.formats.common import (
    APPEALS,
    COERCION,
    COMMON_RULES,
    FEES,
    LICENSING,
    OTHER_HANDLING,
    PENALTY,
    PREAMBLE,
    PROBLEMS,
    RESULTS,
    RULES,
    TEXT_FEES,
    assemble,
    document_rules,
    item_table,
    parts,
    request_rules,
    requests_table,
)
from model.formats.rules import (
    RunningCountRule,
    TextLengthRule,
    TextMentionRule,
    TextTopicsRule,
)
from model.formats.types import CellKind, Column, ReportFormat, Row, Severity, TextField

_DECISIONS = (Column("decisions", "本年处理决定数量", span=3),)

ACTIVE = (
    item_table(
        1,
        (RULES, Row("normative", "行政规范性文件")),
        (
            Column("issued", "本年制发件数"),
            Column("repealed", "本年废止件数"),
            Column("in_force", "现行有效件数"),
        ),
    ),
    item_table(5, (LICENSING,), _DECISIONS),
    item_table(6, (PENALTY, COERCION), _DECISIONS),
    item_table(
        8,
        (FEES,),
        (Column("amount", "本年收费金额（单位：万元）", CellKind.MONEY, span=3, unit="万元"),),
    ),
)

_OTHER = (RESULTS, OTHER_HANDLING)
OTHER_ROWS = (
    Row(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        _OTHER,
    ),
    Row(
        "other_no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        _OTHER,
        help="收取信息处理费的情况在第六部分报告。",
    ),
    Row("other_misc", "3.其他", _OTHER),
)

OVERVIEW_LIMIT = 1000

OVERVIEW_LENGTH = TextLengthRule(
    id="overview.length",
    severity=Severity.WARNING,
    summary="总体情况篇幅原则上不超过一千字",
    message="第一部分“总体情况”共{count}字，超过{limit}字（格式要求篇幅原则上不超过一千字）",
    text="overview",
    limit=OVERVIEW_LIMIT,
)
OVERVIEW_TOPICS = TextTopicsRule(
    id="overview.topics",
    severity=Severity.WARNING,
    summary="总体情况涉及依申请公开、政府信息管理、平台建设、监督保障等方面",
    message="第一部分“总体情况”没有写到依申请公开、政府信息管理、政府信息公开平台建设、"
    "监督保障中的任何一项（格式要求总体情况写明这些方面的情况），请核实",
    text="overview",
    keywords=("依申请", "信息管理", "平台", "监督保障"),
)
FEE_MENTION = TextMentionRule(
    id="other_matters.fee",
    severity=Severity.WARNING,
    summary="因逾期未缴费不再处理的申请，应在第六部分报告收取信息处理费情况",
    message="第三部分有{count}件申请因逾期未缴纳费用不再处理，但第六部分没有说明收取信息处理费的情况",
    table="requests",
    row="other_no_fee",
    text="other_matters",
    keyword="信息处理费",
)
IN_FORCE_RUNNING = RunningCountRule(
    id="active.in_force",
    severity=Severity.WARNING,
    summary="现行有效件数约等于上一年度的现行有效件数加本年制发减本年废止",
    message="第二部分“{row}”：现行有效件数为{value}，按{prev_year}年报告的{base}件加本年制发{plus}件、"
    "减本年废止{minus}件应为{expected}（文件也可能到期失效，请核实）",
    rows=("art20_1.rules", "art20_1.normative"),
    column="in_force",
    base="in_force",
    plus="issued",
    minus="repealed",
    plus_from_prev=False,
)

REQUESTS = requests_table(OTHER_ROWS)
TEXT_DOCUMENTS = document_rules(
    "art20_1",
    {
        "issued": ("issued", "本年制发件数"),
        "repealed": ("repealed", "本年废止件数"),
        "in_force": ("in_force", "现行有效件数"),
    },
)

FORMAT_2021 = assemble(
    ReportFormat(
        id="2021",
        document="国办公开办函〔2021〕30号",
        name="《中华人民共和国政府信息公开工作年度报告格式》",
        first_year=2021,
        last_year=None,
        parts=parts(tuple(t.key for t in ACTIVE)),
        tables=(*ACTIVE, REQUESTS, APPEALS),
        texts=(
            PREAMBLE,
            TextField(
                "overview",
                "总体情况",
                soft_limit=OVERVIEW_LIMIT,
                hint="重在聚焦主题、简明客观，篇幅原则上不超过一千字",
            ),
            PROBLEMS,
            TextField(
                "other_matters",
                "其他需要报告的事项",
                hint="（文字描述，收取信息处理费情况在此处报告。）",
            ),
        ),
        rules=(
            *COMMON_RULES,
            OVERVIEW_LENGTH,
            OVERVIEW_TOPICS,
            FEE_MENTION,
            IN_FORCE_RUNNING,
            *request_rules(REQUESTS),
            *TEXT_DOCUMENTS,
            TEXT_FEES,
        ),
    )
)
