"""Kansrijke Start Monitor: follow local coalitions for the first 1000 days of a child.

Layout (enforced by tests/test_architecture.py):
- ``core``: configuration, messages, formats, the store (the only module that imports duckdb),
  statistics, reference facts, exports; it imports no feature.
- one subpackage per feature (``plan``, ``actions``, ``signals``, ``selfscan``, ``compare``, ``meeting``,
  ``report``, ``dataio``, ``demo``, ``about``, ``cli``), each with its SQL in ``sql/`` and its public names
  in ``__init__``; features never import the web layer.
- ``web``: the only part of the package that imports streamlit.
"""

__version__ = "0.1.0"
