"""The window's own settings (not the reports): declared once, typed, with defaults."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

_RECENT_LIMIT = 6


class Settings:
    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            self._store = QSettings("nianbao", "nianbao")
        else:
            self._store = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def last_report(self) -> int | None:
        value = self._store.value("last_report")
        return int(value) if value not in (None, "") else None

    @last_report.setter
    def last_report(self, report_id: int | None) -> None:
        self._store.setValue("last_report", "" if report_id is None else report_id)
        if report_id is not None:
            recent = [report_id, *(r for r in self.recent if r != report_id)]
            self._store.setValue("recent", ",".join(map(str, recent[:_RECENT_LIMIT])))

    @property
    def recent(self) -> list[int]:
        raw = str(self._store.value("recent") or "")
        return [int(part) for part in raw.split(",") if part.isdigit()]

    @property
    def geometry(self) -> QByteArray | None:
        value = self._store.value("geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._store.setValue("geometry", value)

    def sync(self) -> None:
        self._store.sync()
