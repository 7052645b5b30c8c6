"""What the 2019 and 2021 formats share: the six parts, parts 三 and 四, the common rules,
and ``assemble``, which resolves every cell of a format once."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from model.formats.rules import (
    BalanceRule,
    CarryOverRule,
    DeclaredTotalRule,
    FormatYearRule,
    RepeatedTextRule,
    Rule,
    TextFigureRule,
    TownshipRule,
)
from model.formats.types import (
    CellDef,
    Column,
    Part,
    ReportFormat,
    Row,
    Severity,
    Table,
    TextField,
)

# ---------------------------------------------------------------------------- parts


def parts(active_tables: tuple[str, ...]) -> tuple[Part, ...]:
    """The six parts (the same headings in both formats); part 二 holds ``active_tables``."""
    return (
        Part("overview", "一", "一、总体情况", "总体情况", text="overview"),
        Part("active", "二", "二、主动公开政府信息情况", "主动公开", tables=active_tables),
        Part(
            "requests",
            "三",
            "三、收到和处理政府信息公开申请情况",
            "依申请公开",
            tables=("requests",),
        ),
        Part(
            "appeals",
            "四",
            "四、政府信息公开行政复议、行政诉讼情况",
            "复议诉讼",
            tables=("appeals",),
        ),
        Part("problems", "五", "五、存在的主要问题及改进情况", "问题及改进", text="problems"),
        Part("other_matters", "六", "六、其他需要报告的事项", "其他事项", text="other_matters"),
    )


PREAMBLE = TextField("preamble", "前言")
PROBLEMS = TextField("problems", "存在的主要问题及改进情况")

# ---------------------------------------------------------------------------- part 三

#: The corner of every part 二 item.
ITEM_CORNER = "信息内容"

# Rows that both formats print in part 二.
RULES = Row("rules", "规章")
LICENSING = Row("licensing", "行政许可")
PENALTY = Row("penalty", "行政处罚")
COERCION = Row("coercion", "行政强制")
FEES = Row("fees", "行政事业性收费")


def item_table(number: int, rows: tuple[Row, ...], columns: tuple[Column, ...]) -> Table:
    """A part 二 item of 条例 第二十条: table ``art20_<number>``, captioned 第二十条第（…）项."""
    numeral = "零一二三四五六七八九十"[number]
    return Table(
        f"art20_{number}",
        "active",
        f"第二十条第（{numeral}）项",
        rows=rows,
        columns=columns,
        corner=ITEM_CORNER,
        stacked=True,
    )


REQUESTS_COLUMNS = (
    Column("natural", "自然人"),
    Column("business", "商业企业"),
    Column("research", "科研机构"),
    Column("nonprofit", "社会公益组织"),
    Column("legal", "法律服务机构"),
    Column("other_org", "其他"),
    Column(
        "total",
        "总计",
        sums=("natural", "business", "research", "nonprofit", "legal", "other_org"),
    ),
)
REQUESTS_COLUMN_GROUPS = (
    ("申请人情况", "natural", "total"),
    ("法人或其他组织", "business", "other_org"),
)
REQUESTS_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

RESULTS = "三、本年度办理结果"
_DENY = (RESULTS, "（三）不予公开")
_UNABLE = (RESULTS, "（四）无法提供")
_REJECT = (RESULTS, "（五）不予处理")
OTHER_HANDLING = "（六）其他处理"

REQUESTS_HEAD = (
    Row("new", "一、本年新收政府信息公开申请数量"),
    Row("carried_in", "二、上年结转政府信息公开申请数量"),
    Row("granted", "（一）予以公开", (RESULTS,)),
    Row(
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        (RESULTS,),
        help="同一申请既有可以公开的内容、又有不予公开的内容而作区分处理的，只计入“部分公开”，"
        "不再计入其他情形。每件申请只计入一种办理结果。",
    ),
    Row("deny_secret", "1.属于国家秘密", _DENY),
    Row("deny_law", "2.其他法律行政法规禁止公开", _DENY),
    Row(
        "deny_security",
        "3.危及“三安全一稳定”",
        _DENY,
        help="公开后可能危及国家安全、公共安全、经济安全、社会稳定的。",
    ),
    Row("deny_third_party", "4.保护第三方合法权益", _DENY),
    Row(
        "deny_internal",
        "5.属于三类内部事务信息",
        _DENY,
        help="人事管理、后勤管理、内部工作流程等内部事务信息。",
    ),
    Row(
        "deny_process",
        "6.属于四类过程性信息",
        _DENY,
        help="讨论记录、过程稿、磋商信函、请示报告等过程性信息。",
    ),
    Row("deny_enforcement", "7.属于行政执法案卷", _DENY),
    Row("deny_query", "8.属于行政查询事项", _DENY),
    Row("unable_not_held", "1.本机关不掌握相关政府信息", _UNABLE),
    Row("unable_to_create", "2.没有现成信息需要另行制作", _UNABLE),
    Row("unable_unclear", "3.补正后申请内容仍不明确", _UNABLE),
    Row("reject_complaint", "1.信访举报投诉类申请", _REJECT),
    Row("reject_repeat", "2.重复申请", _REJECT),
    Row("reject_publication", "3.要求提供公开出版物", _REJECT),
    Row("reject_excessive", "4.无正当理由大量反复申请", _REJECT),
    Row("reject_confirm", "5.要求行政机关确认或重新出具已获取信息", _REJECT),
)
REQUESTS_HELP = "每件申请只计入一种办理结果；空白按0计。"


def requests_table(other_rows: tuple[Row, ...]) -> Table:
    """Part 三 with the format's own （六）其他处理 rows."""
    result_rows = tuple(r.key for r in REQUESTS_HEAD + other_rows if r.groups)
    rows = (
        *REQUESTS_HEAD,
        *other_rows,
        Row("handled", "（七）总计", (RESULTS,), sums=result_rows),
        Row("carried_out", "四、结转下年度继续办理"),
    )
    return Table(
        key="requests",
        part="requests",
        caption="收到和处理政府信息公开申请情况",
        rows=rows,
        columns=REQUESTS_COLUMNS,
        column_groups=REQUESTS_COLUMN_GROUPS,
        corner=REQUESTS_CORNER,
        help=REQUESTS_HELP,
    )


# ---------------------------------------------------------------------------- part 四

APPEALS_HELP = "行政复议机关作为共同被告的行政诉讼案件，只计算原行为主体的案件数量，不计算行政复议机关的案件数量。"
APPEALS = Table(
    key="appeals",
    part="appeals",
    caption="政府信息公开行政复议、行政诉讼情况",
    rows=(
        Row("review", "行政复议"),
        Row("suit_direct", "未经复议直接起诉", ("行政诉讼",)),
        Row("suit_after_review", "复议后起诉", ("行政诉讼",)),
    ),
    columns=(
        Column("upheld", "结果维持"),
        Column("corrected", "结果纠正"),
        Column("other", "其他结果"),
        Column("pending", "尚未审结"),
        Column("total", "总计", sums=("upheld", "corrected", "other", "pending")),
    ),
    flatten_rows=True,
    tallies=(
        ("被申请行政复议", ("review",)),
        ("被提起行政诉讼", ("suit_direct", "suit_after_review")),
    ),
    help=APPEALS_HELP,
)

# ---------------------------------------------------------------------------- rules

BALANCE = BalanceRule(
    id="requests.balance",
    severity=Severity.ERROR,
    summary="第三部分每一列：第一项加第二项之和等于第三项加第四项之和",
    message="第三部分“{column}”列：第一项加第二项为{lhs}，第三项加第四项为{rhs}，不相等（相差{diff}）",
    table="requests",
    lhs=("new", "carried_in"),
    rhs=("handled", "carried_out"),
)
DECLARED_TOTAL = DeclaredTotalRule(
    id="derived.declared",
    severity=Severity.ERROR,
    summary="报告中填写的合计数与按各项相加的结果一致",
    message="{part}{place}：报告填写为{declared}，按各项相加应为{computed}",
)
CARRY_OVER = CarryOverRule(
    id="requests.carry_over",
    severity=Severity.WARNING,
    summary="上年结转等于上一年度报告的结转下年度继续办理",
    message="第三部分“{column}”列：本年“上年结转”为{value}，但{prev_year}年报告的“结转下年度继续办理”为{prev}",
    table="requests",
    row="carried_in",
    prev_row="carried_out",
)
TOWNSHIP_RULES = TownshipRule(
    id="active.township_rules",
    severity=Severity.WARNING,
    summary="乡镇、街道不制定规章",
    message="乡镇、街道不能制定规章，但第二部分“规章”行的“{column}”填写了{value}，请核实",
    agency_pattern=r"(乡|镇|街道)(人民政府|政府|办事处)?$",
    table="art20_1",
    row="rules",
)
PROBLEMS_REPEATED = RepeatedTextRule(
    id="problems.repeated",
    severity=Severity.WARNING,
    summary="第五部分不照抄上一年度",
    message="第五部分与{prev_year}年报告一字不差，应写本年度存在的问题和改进情况",
    text="problems",
)
FORMAT_YEAR = FormatYearRule(
    id="format.year",
    severity=Severity.WARNING,
    summary="报告格式与年度相符",
    message="{year}年度的报告应使用{expected}格式，本报告使用的是{actual}格式",
)

#: Texts whose figures are compared with the tables.
NARRATIVE = ("preamble", "overview")
#: A number as written in a report: Arabic (with thousands separators) or Chinese numerals.
NUMBER = r"(?P<n>[0-9０-９]{1,3}(?:,[0-9]{3})+|[0-9０-９]+|[零〇一二两三四五六七八九十百千]+)"
_NO_STOP = r"[^。；;！!？?\n]"

TEXT_REQUESTS = TextFigureRule(
    id="text.requests",
    severity=Severity.WARNING,
    summary="文字中的收到申请件数与第三部分一致",
    message="{part}写有“{quote}”，但第三部分“本年新收政府信息公开申请数量”总计为{value}",
    texts=NARRATIVE,
    pattern=rf"(?:收到|受理|新收|接收){_NO_STOP}{{0,12}}?申请{_NO_STOP}{{0,6}}?{NUMBER}\s*件",
    cells=("requests.new.total",),
    alternatives=(("requests.new.total", "requests.carried_in.total"),),
)


def decisions_rule(rule_id: str, subject: str, cell: str) -> TextFigureRule:
    """The text's count of 行政许可 / 行政处罚 decisions agrees with part 二."""
    return TextFigureRule(
        id=rule_id,
        severity=Severity.WARNING,
        summary=f"文字中的{subject}决定数与第二部分一致",
        message="{part}写有“{quote}”，但第二部分" + f"“{subject}”的处理决定数量为" + "{value}",
        texts=NARRATIVE,
        pattern=rf"{subject}(?:决定)?[^。；;！!？?\n0-9０-９]{{0,10}}?{NUMBER}\s*(?:件|起|宗)",
        cells=(cell,),
    )


COMMON_RULES: tuple[Rule, ...] = (
    BALANCE,
    DECLARED_TOTAL,
    CARRY_OVER,
    TOWNSHIP_RULES,
    PROBLEMS_REPEATED,
    FORMAT_YEAR,
    TEXT_REQUESTS,
    decisions_rule("text.licensing", "行政许可", "art20_5.licensing.decisions"),
    decisions_rule("text.penalty", "行政处罚", "art20_6.penalty.decisions"),
)

# ---------------------------------------------------------------------------- assembly


def _cell_defs(table: Table) -> Iterable[CellDef]:
    for row, column in itertools.product(table.rows, table.columns):
        row_keys = row.sums or (row.key,)
        column_keys = column.sums or (column.key,)
        derived = row.derived or column.derived
        terms = tuple(f"{table.key}.{r}.{c}" for r, c in itertools.product(row_keys, column_keys))
        yield CellDef(
            key=f"{table.key}.{row.key}.{column.key}",
            table=table,
            row=row,
            column=column,
            derived=derived,
            terms=terms if derived else (),
        )


def assemble(fmt: ReportFormat) -> ReportFormat:
    """Resolve every cell of ``fmt`` once, in print order (tables, rows, columns)."""
    for cell in (c for t in fmt.tables for c in _cell_defs(t)):
        fmt.cells[cell.key] = cell
    object.__setattr__(fmt, "input_keys", tuple(k for k, c in fmt.cells.items() if not c.derived))
    object.__setattr__(fmt, "derived_keys", tuple(k for k, c in fmt.cells.items() if c.derived))
    return fmt
