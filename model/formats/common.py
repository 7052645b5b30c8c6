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
    OtherNoticeRule,
    RepeatedTextRule,
    RequiredTextRule,
    Rule,
    SignatureAgencyRule,
    SignatureDateRule,
    SimilarTextRule,
    TextClaimRule,
    TextFigureRule,
    TextYearRule,
    TitleRule,
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
_NUMERALS = "零〇一二两三四五六七八九十百千万"


def number(name: str = "n") -> str:
    """A count as written in a report: Arabic (全角 too, with 千分位) or Chinese numerals."""
    # not 每一件 / 逐一 / 一件一档 / 一件事: a manner of working, not a count
    return (
        rf"(?<![每逐任单])(?P<{name}>[0-9０-９]{{1,3}}(?:,[0-9]{{3}})+|[0-9０-９]+"
        rf"|[{_NUMERALS}]+(?![件项个][一事]))"
    )


def amount(name: str = "n") -> str:
    """An amount of money as written in a report: 1,234.5 or 12.5."""
    return rf"(?P<{name}>[0-9０-９]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?|[0-9０-９]+(?:[.．][0-9０-９]+)?)"


NUMBER = number()
_NO_STOP = r"[^。；;！!？?\n]"
#: Within a clause: no sentence end and no comma.
_CLAUSE = r"[^。；;！!？?\n，,]"
#: The words between a topic and its number: short, in one clause, no other number, no list
#: (、 or 等 make the number a sum of several things) and no bracket.
_GAP = r"[^。；;！!？?\n，,、等（(0-9０-９]"
_COUNT = r"\s*(?:件|起|宗)"


def _gap(most: int, without: str = "") -> str:
    if not without:
        return f"{_GAP}{{0,{most}}}?"
    return f"(?:(?!{without}){_GAP}){{0,{most}}}?"


#: A clause about something other than requests for disclosure (信访, 行政许可 applications…).
_NOT_REQUESTS = (
    r"信访|来信|来访|投诉|举报|提案|建议|留言|咨询|热线|12345|业务|审批|许可|行政复议|诉讼"
)
#: A sentence about disclosure (复议 and 诉讼 of other matters are not compared).
_ABOUT_DISCLOSURE = r"信息公开|依申请|公开申请"

#: A clause comparing with another period (同比下降3件, 去年受理8件): not this year's count.
_COMPARED = r"同比|环比|比上年|较上年|较去年|增加|减少|增长|下降|去年|同期"
#: Received: not 办结本年新收申请9件 (the requests of this year handled).
_RECEIVED = r"(?<!办结)(?<!办结本年)(?:收到|受理|新收|接收|接到)"
#: The words between 收到 and 申请: up to 12 characters, or 20 holding a list (、) of who
#: applied (公民、法人和其他组织).
_TO_REQUEST = rf"(?:{_CLAUSE}{{0,12}}?|(?=[^申。；;！!？?\n，,]{{0,19}}、){_CLAUSE}{{13,20}}?)申请"
TEXT_REQUESTS = TextFigureRule(
    id="text.requests",
    severity=Severity.WARNING,
    summary="文字中的收到申请件数与第三部分一致",
    message="{part}写有“{quote}”，但第三部分“本年新收政府信息公开申请数量”总计为{value}",
    texts=NARRATIVE,
    pattern=rf"{_RECEIVED}{_TO_REQUEST}{_CLAUSE}{{0,6}}?{NUMBER}\s*[件项]"
    rf"|{_RECEIVED}(?:并?办结)?{_gap(3)}{number('n1')}\s*件(?:政府信息公开|依申请)",
    cells=("requests.new.total",),
    alternatives=(("requests.new.total", "requests.carried_in.total"),),
    context="申请",
    unless=rf"{_NOT_REQUESTS}|{_COMPARED}",
)
TEXT_REQUESTS_DEALT = TextFigureRule(
    id="text.requests_dealt",
    severity=Severity.WARNING,
    summary="文字中的办理申请件数与第三部分一致（新收、新收加上年结转或办结总计）",
    message="{part}写有“{quote}”，但第三部分“本年新收政府信息公开申请数量”总计为{value}",
    texts=NARRATIVE,
    # 办理/处理申请N件 may count the new requests, with those carried in, or those handled
    pattern=rf"(?<!不予|其他)(?:办理|处理){_TO_REQUEST}{_CLAUSE}{{0,6}}?{NUMBER}\s*件",
    cells=("requests.new.total",),
    alternatives=(
        ("requests.new.total", "requests.carried_in.total"),
        ("requests.handled.total",),
    ),
    context="申请",
    unless=rf"{_NOT_REQUESTS}|{_COMPARED}|结转",
)
TEXT_HANDLED = TextFigureRule(
    id="text.handled",
    severity=Severity.WARNING,
    summary="文字中的办结申请件数与第三部分（七）总计一致",
    message="{part}写有“{quote}”，但第三部分“（七）总计”为{value}",
    texts=NARRATIVE,
    pattern=rf"办结(?:政府信息公开申请|依申请公开|依申请|申请)?{_gap(4)}{NUMBER}\s*件",
    cells=("requests.handled.total",),
    # 办结 N件 often stands alone in its clause: the whole sentence must be about requests
    context=rf"^(?!.*(?:{_NOT_REQUESTS})).*申请",
)
TEXT_CARRIED_IN = TextFigureRule(
    id="text.carried_in",
    severity=Severity.WARNING,
    summary="文字中的上年结转申请件数与第三部分一致",
    message="{part}写有“{quote}”，但第三部分“上年结转政府信息公开申请数量”总计为{value}",
    texts=NARRATIVE,
    pattern=rf"上一?年度?结转(?:的)?(?:政府信息公开申请|申请)?{_gap(4)}{NUMBER}\s*件",
    cells=("requests.carried_in.total",),
    context="结转",
    unless=_NOT_REQUESTS,
    years="any",
)
_NEXT_YEAR = r"(?:结转|转入|转|顺延|延续)(?:至|到|入)?(?:下一?年度?|次年|明年|[0-9]{4}年度?)"
TEXT_CARRIED_OUT = TextFigureRule(
    id="text.carried_out",
    severity=Severity.WARNING,
    summary="文字中的结转下年度件数与第三部分一致",
    message="{part}写有“{quote}”，但第三部分“结转下年度继续办理”总计为{value}",
    texts=NARRATIVE,
    pattern=rf"{_NEXT_YEAR}{_gap(8)}{NUMBER}\s*件|{number('n1')}\s*件{_gap(4)}{_NEXT_YEAR}",
    cells=("requests.carried_out.total",),
    context="转|顺延|延续",
    # 由2022年结转至2023年 in a 2023 report is carried in, not over
    unless=rf"{_NOT_REQUESTS}|上一?年度?结转|[由从自][0-9]{{4}}年|[0-9]{{4}}年度?结转",
    # 2023年度有2件申请结转至2024年办理 in a 2024 report: carried in
    years="next",
)


def _result_rule(
    rule_id: str, words: str, label: str, pattern: str, cells: tuple[str, ...]
) -> TextFigureRule:
    return TextFigureRule(
        id=rule_id,
        severity=Severity.WARNING,
        summary=f"文字中的{words.split('|')[0]}件数与第三部分一致",
        message="{part}写有“{quote}”，但第三部分" + label + "为{value}",
        texts=NARRATIVE,
        pattern=pattern,
        cells=cells,
        context=words,
        unless=r"主动公开",
    )


def _rows_of(table: Table, *groups: str) -> tuple[str, ...]:
    """The 总计 cells of the rows of ``table`` that stand in all of ``groups`` (or are the
    last of them: 2019 has a single 其他处理 row)."""
    return tuple(
        f"{table.key}.{r.key}.total"
        for r in table.rows
        if not r.derived and all(g in r.groups or g == r.label for g in groups)
    )


def request_rules(requests: Table) -> tuple[TextFigureRule, ...]:
    """The results of part 三 restated in the text: 予以公开, 部分公开, and each group's sum."""
    granted, partial = "requests.granted.total", "requests.partial.total"
    groups = (
        ("deny", "不予公开", _DENY[-1]),
        ("unable", "无法提供", _UNABLE[-1]),
        ("reject", "不予处理", _REJECT[-1]),
        ("other", "其他处理", OTHER_HANDLING),
    )
    return (
        _result_rule(
            "text.granted",
            "予以公开|同意公开|全部公开|公开答复",
            "“（一）予以公开”总计",
            rf"(?:予以公开|同意公开|全部公开|(?<!部分|不予|申请)公开答复)(?![及和与、或]部分)(?:答复|信息数?)?"
            rf"{_gap(4)}{NUMBER}\s*件",
            (granted,),
        ),
        _result_rule(
            "text.granted_partial",
            "予以公开及部分公开",
            "“（一）予以公开”与“（二）部分公开”合计",
            rf"予以公开[及和与、或]部分公开(?:答复)?{_gap(4)}{NUMBER}\s*件",
            (granted, partial),
        ),
        _result_rule(
            "text.partial",
            "部分公开",
            "“（二）部分公开”总计",
            rf"(?<![及和与、或])部分公开(?:答复)?{_gap(4)}{NUMBER}\s*件",
            (partial,),
        ),
        *(
            _result_rule(
                f"text.{key}",
                words,
                f"“{label}”各项合计",
                rf"{words}(?:答复|的)?{_gap(4)}{NUMBER}\s*件",
                _rows_of(requests, RESULTS, label),
            )
            for key, words, label in groups
        ),
    )


# Part 四: 行政复议 and 行政诉讼 (直接起诉 + 复议后起诉), each with its breakdown.
_APPEAL_SUBJECTS = {
    "review": ("行政复议", "诉讼|起诉", ("appeals.review",)),
    "suit": ("行政诉讼", "复议", ("appeals.suit_direct", "appeals.suit_after_review")),
}
_OUTCOMES = (
    ("upheld", "结果维持", r"(?:结果)?维持(?:原)?(?:决定|行政行为)?"),
    ("corrected", "结果纠正", r"(?:结果)?(?:被)?纠(?:正|错)"),
    ("other", "其他结果", r"其他结果"),
    ("pending", "尚未审结", r"(?:尚未|未)审结|正在审理|审理中"),
)


def appeal_rules() -> tuple[Rule, ...]:
    """行政复议 / 行政诉讼 counts, their outcomes (in sentences about one of them only) and
    “均获维持” while a case is pending or was corrected."""
    found: list[Rule] = []
    for key, (subject, other, rows) in _APPEAL_SUBJECTS.items():
        name = "行政复议" if key == "review" else "行政诉讼（直接起诉与复议后起诉）"
        found.append(
            TextFigureRule(
                id=f"text.{key}",
                severity=Severity.WARNING,
                summary=f"文字中的{subject}件数与第四部分一致",
                message="{part}写有“{quote}”，但第四部分" + f"“{name}”总计为" + "{value}",
                texts=NARRATIVE,
                pattern=rf"(?<!(?:复议|诉讼)[、和及与]){subject}(?:案件)?(?:数量?)?(?:为|共)?"
                rf"{_gap(4, other)}{NUMBER}{_COUNT}"
                rf"|{number('n1')}{_COUNT}{_gap(12, other)}{subject}(?!机关)",
                cells=tuple(f"{r}.total" for r in rows),
                context=rf"^(?=.*{subject}).*(?:{_ABOUT_DISCLOSURE})",
            )
        )
        only = rf"^(?!.*(?:{other})).*{subject}"
        for column, label, words in _OUTCOMES:
            found.append(
                TextFigureRule(
                    id=f"text.{key}_{column}",
                    severity=Severity.WARNING,
                    summary=f"文字中的{subject}{label}件数与第四部分一致",
                    message="{part}写有“{quote}”，但第四部分" + f"{subject}“{label}”为" + "{value}",
                    texts=NARRATIVE,
                    pattern=rf"{words}{_gap(3)}{NUMBER}{_COUNT}"
                    rf"|{number('n1')}{_COUNT}{_gap(2)}(?:{words})",
                    cells=tuple(f"{r}.{column}" for r in rows),
                    context=only,
                )
            )
        found.append(
            TextClaimRule(
                id=f"text.{key}_all_upheld",
                severity=Severity.WARNING,
                summary=f"文字说{subject}“均获维持”时第四部分没有纠正、其他结果或尚未审结",
                message="{part}写有“{quote}”，但第四部分"
                + subject
                + "有{value}件为结果纠正、其他结果或尚未审结",
                texts=NARRATIVE,
                pattern=rf"{subject}(?:(?!{other})[^。；;！!？?\n])*?(?:均|全部|都)(?:(?!未|不|没)[^。；;！!？?\n，,]){{0,6}}?维持",
                cells=tuple(f"{r}.{c}" for r in rows for c in ("corrected", "other", "pending")),
                context=rf"^(?=.*{subject}).*(?:{_ABOUT_DISCLOSURE})",
            )
        )
    return tuple(found)


def decisions_rule(rule_id: str, subject: str, cell: str) -> TextFigureRule:
    """The text's count of 行政许可 / 行政处罚 / 行政强制 decisions agrees with part 二."""
    return TextFigureRule(
        id=rule_id,
        severity=Severity.WARNING,
        summary=f"文字中的{subject}决定数与第二部分一致",
        message="{part}写有“{quote}”，但第二部分" + f"“{subject}”的处理决定数量为" + "{value}",
        texts=NARRATIVE,
        # not the second of a list of subjects sharing one number (行政许可、行政处罚共3件)
        pattern=rf"(?<!(?:许可|处罚|强制)[、和及与]){subject}(?:决定)?{_gap(10)}{NUMBER}\s*(?:件|起|宗)",
        cells=(cell,),
        context=subject,
        # 主动公开行政处罚信息30件 counts items of information, not decisions (公开 alone
        # stays: 公开行政许可处理决定286件 is what part 二 counts)
        unless=r"申请|受理|事项|信息|公示|立案|结案",
    )


_VERBS = {
    "issued": r"(?:新)?(?:制发|制定|制作|出台|印发)",
    "repealed": r"废止",
    "in_force": r"现行有效",
}


def document_rules(table: str, column_of: dict[str, tuple[str, str]]) -> tuple[TextFigureRule, ...]:
    """规章 and 规范性文件 issued / repealed / in force, in sentences naming only one of them.

    ``column_of`` maps issued / repealed / in_force to the format's column (key, label)."""
    subjects = (
        ("rules", "规章", r"规章(?!制度)", r"规范性文件"),
        ("normative", "规范性文件", r"(?:行政)?规范性文件", r"规章(?!制度)"),
    )
    found = []
    for row, name, subject, other in subjects:
        for what, (column, label) in column_of.items():
            verb = _VERBS[what]
            found.append(
                TextFigureRule(
                    id=f"text.{row}_{what}",
                    severity=Severity.WARNING,
                    summary=f"文字中的{name}{label}与第二部分一致",
                    message="{part}写有“{quote}”，但第二部分第二十条第（一）项"
                    + f"“{name}”的“{label}”为"
                    + "{value}",
                    texts=NARRATIVE,
                    pattern=rf"{verb}(?:了)?{subject}(?:共)?{_gap(2)}{NUMBER}\s*件"
                    rf"|{subject}(?:本年)?{verb}(?:件数|数量)?(?:为|共)?{_gap(2)}{number('n1')}\s*件"
                    rf"|(?:^|(?<=[，,]))(?:本年|同时|全年)?{verb}(?:件数|数量)?(?:为|共)?{_gap(2)}"
                    rf"{number('n2')}\s*件",
                    cells=(f"{table}.{row}.{column}",),
                    context=rf"^(?!.*(?:{other})).*{subject}",
                    unless=r"主动公开|发布|清理|备案|审查|等",
                )
            )
    return tuple(found)


TEXT_FEES = TextFigureRule(
    id="text.fees",
    severity=Severity.WARNING,
    summary="文字中的行政事业性收费金额与第二部分一致",
    message="{part}写有“{quote}”，但第二部分“行政事业性收费”为{value}",
    texts=NARRATIVE,
    pattern=rf"行政事业性收费(?:金额)?(?:共|为|合计|总额)?{_gap(4)}{amount()}\s*(?P<unit>亿元|万元|元)",
    cells=("art20_8.fees.amount",),
    context="行政事业性收费",
    unless=r"信息处理费",
)


# ---------------------------------------------------------------------------- review items
# What the county office checks before it accepts a report (../shared/research/FIELD-NEEDS.md
# §1.3: empty parts, other years and formats, copies, late dates, wrong titles and signatures).

_STOP = r"[^。；;！!？?\n，,止]"
TEXT_YEAR = TextYearRule(
    id="text.year",
    severity=Severity.WARNING,
    summary="文字中的统计期限、报告年度与本报告的年度一致",
    message="{part}写有“{quote}”，但本报告是{year}年度的报告",
    pattern=rf"统计(?:期限|时限|期间|区间|时段|周期|范围|截止时间|截止日期|时间){_STOP}{{0,30}}"
    # the report announcing itself (现向社会公布…), not last year's report published on time
    r"|(?:现|特|兹)[^。；;！!？?\n，,]{0,8}?公布[^。；;！!？?\n]{0,20}?年度?政府信息公开工作年度报告",
)
OTHER_NOTICE = OtherNoticeRule(
    id="text.other_notice",
    severity=Severity.WARNING,
    summary="文字不引用另一种报告格式的通知",
    message="{part}引用了{cited}（{cited_years}的报告格式），本报告按{own}的格式编制，请核实",
)


def required_text(text: str) -> RequiredTextRule:
    """The part holding ``text`` must not be left empty (named as the part's heading says)."""
    [part] = [p for p in parts(()) if p.text == text]
    name = f"{part.ordinal}“{part.heading.partition('、')[2]}”"
    return RequiredTextRule(
        id=f"{text}.empty",
        severity=Severity.WARNING,
        summary=f"{name}不能空白",
        message=f"{name}尚未填写",
        text=text,
    )


PROBLEMS_SIMILAR = SimilarTextRule(
    id="problems.similar",
    severity=Severity.WARNING,
    summary="第五部分不与本年度其他单位的雷同",
    message="第五部分与{other}{year}年报告的第五部分几乎相同（{percent}%相同），"
    "应写本单位本年度存在的问题和改进情况",
    text="problems",
    ratio=0.9,
    min_length=50,
)
SIGNATURE_DATE = SignatureDateRule(
    id="signature.date",
    severity=Severity.WARNING,
    summary="成文日期不晚于次年1月31日（县级以上人民政府3月31日，条例第四十九条）",
    message="成文日期为{date}，晚于{deadline}（{basis}）",
    deadline=(1, 31),
    basis="条例第四十九条：每年1月31日前报送并公布上一年度的报告",
    # a people's government above the township (not 乡/镇人民政府, 街道办事处, 人民政府办公室)
    government=r"^(?!.*[乡镇](?:人民)?政府$).*政府$",
    government_deadline=(3, 31),
    government_basis="条例第四十九条：县级以上地方人民政府每年3月31日前公布本级政府上一年度的报告",
    missing="还没有填写成文日期（{year}年度的报告应在{deadline}前成文并公布）",
    early="成文日期为{date}，在{year}年度结束之前，请核实（是否沿用了以前的日期）",
)
SIGNATURE_AGENCY = SignatureAgencyRule(
    id="signature.agency",
    severity=Severity.WARNING,
    summary="落款与单位名称一致",
    message="落款“{signature}”与单位名称“{agency}”不一致，请核实",
    suffixes=("人民政府", "政府", "办事处"),
    short=(("人民政府", "政府"), ("管理委员会", "管委会")),
    places="省市县区州盟旗",
    min_length=4,
    offices=("办公室", "办公厅"),
)
TITLE_WORDS = TitleRule(
    id="title.words",
    severity=Severity.WARNING,
    summary="标题写明年度和“政府信息公开工作年度报告”",
    message="标题“{title}”缺少{missing}",
    words="政府信息公开工作年度报告",
)

COMMON_RULES: tuple[Rule, ...] = (
    BALANCE,
    DECLARED_TOTAL,
    CARRY_OVER,
    TOWNSHIP_RULES,
    PROBLEMS_REPEATED,
    FORMAT_YEAR,
    TEXT_REQUESTS,
    TEXT_REQUESTS_DEALT,
    TEXT_HANDLED,
    TEXT_CARRIED_IN,
    TEXT_CARRIED_OUT,
    *appeal_rules(),
    decisions_rule("text.licensing", "行政许可", "art20_5.licensing.decisions"),
    decisions_rule("text.penalty", "行政处罚", "art20_6.penalty.decisions"),
    decisions_rule("text.coercion", "行政强制", "art20_6.coercion.decisions"),
    TITLE_WORDS,
    required_text("overview"),
    required_text("problems"),
    TEXT_YEAR,
    OTHER_NOTICE,
    PROBLEMS_SIMILAR,
    SIGNATURE_DATE,
    SIGNATURE_AGENCY,
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
