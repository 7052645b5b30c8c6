"""Qt-free export.

A report becomes a neutral document (headings, paragraphs, tables with spans), which renderers
(PDF, Word) only lay out.  Every renderer is listed once, in :data:`export.renderers.RENDERERS`;
the command line, the window and the self-test read that list.
"""
