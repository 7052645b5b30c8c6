"""What the main window asks of each of its tabs, so that it composes them without knowing
which tab is which.

The window builds one page per part of the open report's format (a text or a table page),
between 基本信息 and 预览.  It moves the focus into a page, shows a finding's cells in it,
and shows a page's refusals in the status bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from model.formats import Part


class Page(QWidget):
    """A tab of the main window."""

    #: Why an edit on this page was not taken, for the status bar.
    refused = Signal(str)

    def shows(self, part: Part) -> bool:
        """Whether this is the page for ``part``: a report of another format keeps it then
        (the page reads the new format itself), otherwise the window replaces it."""
        return False

    def focus_first(self) -> None:
        """Put the focus where the clerk starts typing."""
        self.setFocus()

    def select_keys(self, keys: tuple[str, ...]) -> None:
        """Show what a finding is about (its cells, or the page's text)."""
        self.focus_first()
