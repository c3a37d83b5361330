"""Table descriptions for metadata: ``TableColumn``, ``TableSchema`` and ``TableRecord``.

Values a table record may hold are ``str``, ``int``, ``float``, ``bool`` and ``None``, as in
Dagster; anything else raises :class:`InvalidMetadataError` naming the column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from reference_impl.errors import InvalidMetadataError

__all__ = ["TableColumn", "TableRecord", "TableSchema", "infer_table_schema"]

_CELL_TYPES = (str, int, float, bool, type(None))


@dataclass(frozen=True, slots=True)
class TableColumn:
    """One column: a name, a type name (``"string"`` by default) and an optional description."""

    name: str
    type: str = "string"
    description: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not isinstance(self.type, str):
            raise InvalidMetadataError(
                f"TableColumn needs a str name and a str type, got {self.name!r} and {self.type!r}"
            )


@dataclass(frozen=True, slots=True)
class TableSchema:
    """The ordered columns of a table; column names must be unique."""

    columns: tuple[TableColumn, ...] = field(default_factory=tuple)

    def __init__(self, columns: Sequence[TableColumn]) -> None:
        checked = tuple(columns)
        for column in checked:
            if not isinstance(column, TableColumn):
                raise InvalidMetadataError(
                    f"TableSchema columns must be TableColumn objects, got {type(column).__name__}"
                )
        names = [c.name for c in checked]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise InvalidMetadataError(f"TableSchema has duplicate column names: {duplicates}")
        object.__setattr__(self, "columns", checked)


@dataclass(frozen=True, slots=True)
class TableRecord:
    """One row: column name to a ``str``, ``int``, ``float``, ``bool`` or ``None`` cell."""

    data: Mapping[str, str | int | float | bool | None]

    def __init__(self, data: Mapping[str, str | int | float | bool | None]) -> None:
        for column, cell in data.items():
            if not isinstance(cell, _CELL_TYPES):
                raise InvalidMetadataError(
                    f"TableRecord cell {column!r} has type {type(cell).__name__}; cells may be "
                    "str, int, float, bool or None"
                )
        object.__setattr__(self, "data", MappingProxyType(dict(data)))


_TYPE_NAMES = {bool: "bool", int: "int", float: "float", str: "string", type(None): "string"}


def infer_table_schema(records: Sequence[TableRecord]) -> TableSchema:
    """A schema from the first record's columns and cell types (empty for no records)."""
    if not records:
        return TableSchema([])
    first = records[0].data
    return TableSchema([TableColumn(name, _TYPE_NAMES[type(cell)]) for name, cell in first.items()])
