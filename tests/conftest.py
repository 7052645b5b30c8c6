"""Shared test set-up.

Qt reads its platform and logging rules once, when the first QGuiApplication starts, so they are
set here, before any test module (or pytest-qt's fixtures) can import PySide6. Both use
``setdefault`` so a developer can still run the GUI tests visibly, e.g.
``QT_QPA_PLATFORM=xcb pytest tests/gui``.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep Qt's own warnings (pytest-qt reports them with the failing test) but silence debug chatter
# and the offscreen plugin's font-directory notices, which say nothing about our code.
os.environ.setdefault("QT_LOGGING_RULES", "*.debug=false;qt.qpa.fonts.warning=false")
