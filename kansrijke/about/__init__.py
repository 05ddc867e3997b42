"""What the page *Over deze monitor* shows: the indicator catalogue and what the database covers."""

from .tables import (  # noqa: F401
    catalogue_table,
    coverage_table,
)

__all__ = [
    "catalogue_table",
    "coverage_table",
]
