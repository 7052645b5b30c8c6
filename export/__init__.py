"""Qt-free export.

A report becomes a neutral document (headings, paragraphs, tables with spans), which renderers
(PDF, Word) only lay out.
"""
