"""What a 汇总 (a county's report summing its units' reports) prints after its 落款.

    appendix(coverage) -> Appendix

The summed report itself is an ordinary :class:`model.report.Report` and prints as any other;
its 附件 says whose reports it sums, who did not report, and who reported in another format
and so was not summed (:class:`model.aggregate.Coverage`, whose ``lines()`` give the headings
and texts, so that the window, the command line and the print say the same).
"""

from __future__ import annotations

from typing import Protocol

from export.document import Appendix, Paragraph

#: The appendix's title: under the text it is announced as “附件：汇总范围说明”.
APPENDIX_TITLE = "汇总范围说明"
#: What a heading with nothing under it says (no unit missing, say).
NONE = "无"


class CoverageLines(Protocol):
    """:class:`model.aggregate.Coverage`, as far as printing needs it."""

    def lines(self) -> tuple[tuple[str, str], ...]: ...


def appendix(coverage: CoverageLines) -> Appendix:
    """The 附件 of a 汇总: one paragraph per line of ``coverage``, its heading run in (黑体)
    and the units after it (“汇总的单位（12个）：甲、乙……”)."""
    paragraphs = tuple(
        Paragraph(text.strip() or NONE, lead=_lead(heading), lead_level=1)
        for heading, text in coverage.lines()
    )
    return Appendix(APPENDIX_TITLE, paragraphs)


def _lead(heading: str) -> str:
    heading = heading.strip()
    return heading if heading.endswith(("：", ":", "。")) else f"{heading}："
