"""The baseline: the least a PySide6 program must do to paint a window with a table."""

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QTableView


class _FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            QTimer.singleShot(0, QApplication.quit)
            watched.removeEventFilter(self)
        return False


app = QApplication([])
view = QTableView()
view.installEventFilter(_FirstPaint(view))
view.resize(1280, 720)
view.show()
app.exec()
