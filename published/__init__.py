"""Reading a published report back: a web page, a Word file, a PDF or copied text → a report.

Qt-free, like :mod:`model` and :mod:`export`.  See :mod:`published.pipeline` for the stages.
"""
