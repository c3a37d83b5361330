"""A correct manager with column projection (IOM-STORE-011), on values that are column tables.

A column table is a dict of column name -> list of cells, every column of one length. An input
whose definition metadata sets ``columns`` loads only those columns; the broken manager of
``broken_rematerialise`` ignores them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from conformance.subject import Capabilities, Subject
from tests.conformance.corpus.base import DictManager

__all__ = ["ColumnTableManager", "column_tables", "columns_of", "project"]

_NAMES = ("a", "b", "c", "d")


@st.composite
def column_tables(draw: st.DrawFn) -> object:
    """Column tables of 1-4 named columns and 0-3 rows of small integers."""
    names = draw(st.lists(st.sampled_from(_NAMES), min_size=1, max_size=4, unique=True))
    rows = draw(st.integers(0, 3))
    cell = st.integers(-5, 5)
    return {name: draw(st.lists(cell, min_size=rows, max_size=rows)) for name in names}


def columns_of(value: object) -> Sequence[str]:
    """The column names of a column table (none for anything else)."""
    return [str(name) for name in value] if isinstance(value, Mapping) else []


def project(value: object, columns: Sequence[str]) -> object:
    """``value`` with only ``columns`` (a column table), else ``value`` itself."""
    if not isinstance(value, Mapping):
        return value
    return {name: value[name] for name in columns if name in value}


class ColumnTableManager(DictManager):
    """Column tables in a dict; ``columns`` in an input's definition metadata selects columns
    (of a bare value, or of each partition's value in a range mapping)."""

    @classmethod
    def subject(cls) -> Subject:
        """Declares ``column_projection``; values are column tables."""
        return Subject(cls.__name__, cls, Capabilities(column_projection=True),
                       values=column_tables(), project=project, columns_of=columns_of)

    def load_input(self, context: Any) -> Any:
        """Load as usual, then keep only the requested columns."""
        loaded = super().load_input(context)
        columns = context.definition_metadata.get("columns")
        if columns is None:
            return loaded
        return self.select(loaded, list(columns), several=self.is_range(context))

    @staticmethod
    def is_range(context: Any) -> bool:
        """Whether ``context`` loads several partitions (a mapping of tables)."""
        return bool(context.has_asset_key and context.has_asset_partitions
                    and len(context.asset_partition_keys) > 1)

    @staticmethod
    def select(loaded: Any, columns: list[str], *, several: bool) -> Any:
        """The requested columns of one table, or of each table of a range mapping."""
        if several and isinstance(loaded, Mapping):
            return {key: project(table, columns) for key, table in loaded.items()}
        return project(loaded, columns)
