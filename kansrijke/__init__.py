"""Kansrijke Start Monitor: follow local coalitions for the first 1000 days of a child.

Layering (enforced by tests/test_layering.py):
- ``store`` is the only module that imports duckdb; SQL lives in ``kansrijke/sql``.
- ``ui`` is the only module in the package that imports streamlit.
- everything else is pure Python shared by the pages, the CLI and the tests.
"""

__version__ = "0.1.0"
