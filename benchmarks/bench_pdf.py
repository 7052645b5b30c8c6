"""How long the PDF export of the example report takes, in-process (run by hand):

    .venv/bin/python benchmarks/bench_pdf.py

Measures, in one fresh process: the first export (fonts parsed and registered on the way), the
warm exports after it, and for scale a bare ReportLab document of one paragraph in the same
fonts.  The goal (issue 4) is well under half a second for the first export.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "tests" / "data" / "example-2019-township.nianbao.json"


def _bare(font: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = ParagraphStyle("p", fontName=font, fontSize=16, leading=29, wordWrap="CJK")
    doc = SimpleDocTemplate(io.BytesIO(), pagesize=A4, invariant=1)
    doc.build([Paragraph("政府信息公开工作年度报告。", style)])


def _time(action: object, runs: int = 1) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    start = time.perf_counter()
    from export.fonts import Face, default_fonts
    from export.pdf import render_pdf
    from model.datafile import read_datafile

    imports = time.perf_counter() - start
    report = read_datafile(EXAMPLE.read_bytes())

    fonts = default_fonts()
    (font_load,) = _time(lambda: [fonts.font_name(face) for face in Face])
    (first,) = _time(lambda: render_pdf(report))
    warm = _time(lambda: render_pdf(report), runs=10)
    font = fonts.font_name(Face.FANG)
    bare = _time(lambda: _bare(font), runs=10)
    result = render_pdf(report)

    print(f"imports (reportlab, model, export):   {imports * 1000:6.0f} ms")
    print(f"fonts parsed and registered (5 faces): {font_load * 1000:5.0f} ms")
    print(f"example, first export after that:     {first * 1000:6.0f} ms")
    print(f"example, first export incl. fonts:    {(font_load + first) * 1000:6.0f} ms")
    print(f"example, warm (median of 10):         {statistics.median(warm) * 1000:6.0f} ms")
    print(f"bare one-paragraph doc, same fonts:   {statistics.median(bare) * 1000:6.0f} ms")
    print(f"pages {result.pages}, {len(result.data) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
