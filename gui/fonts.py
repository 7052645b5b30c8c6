"""Chinese that never renders as boxes: use the system's Chinese font, or the one we ship."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from model.paths import resources_dir

log = logging.getLogger(__name__)

#: Preferred faces for the window, best first (Windows, then common Linux ones).
_SYSTEM_FACES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "SimSun",
    "Noto Sans CJK SC",
    "WenQuanYi Micro Hei",
    "Source Han Sans SC",
)
#: Shipped font files for the window, best first (a sans face reads best on screen).
_SHIPPED = ("wqy-microhei.ttc", "WenQuanYiMicroHei.ttc", "LXGWWenKai-Regular.ttf")


def ensure_chinese_font(app: QApplication) -> str | None:
    """Make the application font one that has Chinese; return its family, None if none."""
    chinese = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    for face in _SYSTEM_FACES:
        if face in chinese:
            return _use(app, face)
    if chinese:
        return _use(app, sorted(chinese)[0])
    folder = resources_dir() / "fonts"
    candidates = [folder / name for name in _SHIPPED]
    candidates += sorted(p for p in folder.glob("*.tt[fc]") if p not in candidates)
    for path in candidates:
        if path.exists():
            font_id = QFontDatabase.addApplicationFont(str(path))
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if families:
                return _use(app, families[0])
    log.warning("no Chinese font found in the system or in %s", folder)
    return None


def _use(app: QApplication, family: str) -> str:
    font = QFont(family)
    font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
    app.setFont(font)
    return family
