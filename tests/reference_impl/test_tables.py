"""Table metadata: schemas, records and their normalization (IOM-META-001/002)."""

from __future__ import annotations

import datetime
import importlib.util

import pytest

from reference_impl.errors import InvalidMetadataError
from reference_impl.metadata import (
    MetadataValue,
    TableMetadataValue,
    TableSchemaMetadataValue,
    normalize_metadata_value,
)
from reference_impl.tables import TableColumn, TableRecord, TableSchema

SCHEMA = TableSchema([TableColumn("id", "int"), TableColumn("name")])


def test_a_raw_table_schema_normalizes_to_a_schema_value() -> None:
    value = normalize_metadata_value(SCHEMA, "schema")
    assert isinstance(value, TableSchemaMetadataValue)
    assert value.value is SCHEMA


def test_table_values_keep_records_and_declared_schema() -> None:
    rows = [TableRecord({"id": 1, "name": "a"}), TableRecord({"id": 2, "name": None})]
    value = MetadataValue.table(rows, SCHEMA)
    assert isinstance(value, TableMetadataValue)
    assert value.value == tuple(rows)
    assert value.schema is SCHEMA
    assert normalize_metadata_value(value) is value


def test_schema_is_inferred_from_the_first_record() -> None:
    value = MetadataValue.table([TableRecord({"n": 1, "x": 1.5, "ok": True, "s": "t"})])
    assert [(c.name, c.type) for c in value.schema.columns] == [
        ("n", "int"),
        ("x", "float"),
        ("ok", "bool"),
        ("s", "string"),
    ]
    assert MetadataValue.table([]).schema.columns == ()


def test_records_are_frozen_copies() -> None:
    data: dict[str, str | int | float | bool | None] = {"id": 1}
    record = TableRecord(data)
    data["id"] = 2
    assert record.data["id"] == 1
    with pytest.raises(TypeError):
        record.data["id"] = 3  # type: ignore[index]


@pytest.mark.parametrize("cell", [datetime.date(2023, 1, 1), b"x", (1,), [1]])
def test_records_reject_cells_of_other_types(cell: object) -> None:
    with pytest.raises(InvalidMetadataError, match="'c'"):
        TableRecord({"c": cell})  # type: ignore[dict-item]


def test_schemas_reject_duplicate_columns_and_non_columns() -> None:
    with pytest.raises(InvalidMetadataError, match="duplicate"):
        TableSchema([TableColumn("a"), TableColumn("a")])
    with pytest.raises(InvalidMetadataError, match="TableColumn"):
        TableSchema(["a"])  # type: ignore[list-item]


def test_table_values_reject_non_records() -> None:
    with pytest.raises(InvalidMetadataError):
        MetadataValue.table([{"id": 1}])  # type: ignore[list-item]


@pytest.mark.dagster
@pytest.mark.skipif(importlib.util.find_spec("dagster") is None, reason="needs the dagster extra")
def test_dagster_also_normalizes_a_raw_table_schema() -> None:
    """Differential: Dagster accepts a raw TableSchema as metadata and wraps it the same way."""
    import dagster as dg
    from dagster._core.definitions.metadata import normalize_metadata

    normalized = normalize_metadata({"s": dg.TableSchema([dg.TableColumn("id", "int")])})
    assert type(normalized["s"]).__name__ == "TableSchemaMetadataValue"
