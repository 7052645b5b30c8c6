"""PySide6 user interface.

Widgets and item models, one module per tab; reads through ``model``, writes through its
operations.
"""
