"""The Qt-free domain of 政务公开年报: formats, calculations, checks, storage, data file.

Nothing in this package imports Qt, ReportLab or python-docx; the GUI and the exporters
build on it, never the other way round.
"""

__version__ = "0.1.0"
