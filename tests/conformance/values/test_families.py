"""Value families (``conformance.families``), their strategies and ``values=``/``equals=``."""

from __future__ import annotations

import importlib.util
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import check_io_manager
from conformance.equality import arrow_tables_equal, frames_equal
from conformance.families import (
    FAMILIES,
    MissingValuesLibrary,
    ValuesError,
    resolve_equals,
    resolve_values,
)
from conformance.strategies import arrow_tables, json_values, msgpack_values
from conformance.subject import Subject, strict_equals
from tests.conformance.cli.sample_managers import GoodManager, JsonFileManager
from tests.conformance.values import sample_values

FEW = settings(max_examples=40, database=None, deadline=None)


def _msgpack_shaped(value: object) -> bool:
    if value is None or isinstance(value, bool | str | bytes | float):
        return True
    if isinstance(value, int):
        return -(2**63) <= value < 2**64
    if isinstance(value, list):
        return all(map(_msgpack_shaped, value))
    if isinstance(value, dict):
        return all(isinstance(k, str) and _msgpack_shaped(v) for k, v in value.items())
    return False


@FEW
@given(json_values())
def test_json_values_survive_a_json_round_trip_with_their_types(value: object) -> None:
    """Law: for every drawn v, json.loads(json.dumps(v)) strictly equals v (type included)."""
    assert strict_equals(json.loads(json.dumps(value, allow_nan=False)), value)


@FEW
@given(msgpack_values())
def test_msgpack_values_are_msgpack_types_only(value: object) -> None:
    """Law: every drawn value is built of msgpack's types only (nil, bool, 64-bit int, float,
    str, bin, arrays as lists, str-keyed maps), so msgpack round-trips it with its type."""
    assert _msgpack_shaped(value)


@FEW
@given(arrow_tables(), st.data())
def test_arrow_tables_equal_is_reflexive_and_sees_a_changed_row(table: Any, data: Any) -> None:
    """Law: a drawn table equals a copy of itself and no longer equals it once a row is
    dropped."""
    import pyarrow as pa

    copy = pa.Table.from_pylist(table.to_pylist(), schema=table.schema)
    assert arrow_tables_equal(copy, table)
    if table.num_rows:
        assert not arrow_tables_equal(table.slice(1), table)


def test_every_family_names_its_strategy_and_equality() -> None:
    for name, family in FAMILIES.items():
        assert family.name == name
        assert resolve_values(name) is not None
    assert FAMILIES["pandas"].equals is not strict_equals
    assert not FAMILIES["arrow"].stores_none and FAMILIES["json"].stores_none


def test_unknown_family_is_a_typed_error_naming_the_known_ones() -> None:
    with pytest.raises(ValuesError, match=r"unknown value family 'jsn'.*json, msgpack"):
        resolve_values("jsn")


def test_a_missing_library_names_the_package_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pyarrow" else real(name, *a))
    with pytest.raises(MissingValuesLibrary, match="pip install pyarrow"):
        resolve_values("arrow")


def test_module_attr_values_and_equals_resolve() -> None:
    module = "tests.conformance.values.sample_values"
    assert resolve_values(f"{module}:SMALL_INTS") is sample_values.SMALL_INTS
    assert resolve_values(f"{module}:small_texts") is not None
    assert resolve_equals(f"{module}:loosely_equal") is sample_values.loosely_equal
    with pytest.raises(ValuesError, match=r"expected a hypothesis strategy.*got int"):
        resolve_values(f"{module}:NOT_A_STRATEGY")
    with pytest.raises(ValuesError, match="no attribute 'missing'"):
        resolve_values(f"{module}:missing")
    with pytest.raises(ValuesError, match="expected a function"):
        resolve_equals(f"{module}:NOT_A_STRATEGY")


def test_from_object_takes_a_family_with_its_equality_and_none_capability() -> None:
    subject = Subject.from_object(GoodManager, values="pandas")
    assert subject.equals is FAMILIES["pandas"].equals
    assert not subject.capabilities.stores_none
    assert subject.concat is FAMILIES["pandas"].concat is not None
    loose = sample_values.loosely_equal
    custom = Subject.from_object(GoodManager, values=st.integers(), equals=loose)
    assert custom.equals is sample_values.loosely_equal and custom.capabilities.stores_none
    assert Subject.from_object(custom, values="json").equals is strict_equals
    assert frames_equal is not strict_equals


def test_the_function_api_checks_a_json_manager_with_json_values(tmp_path: Any) -> None:
    """With default values it fails, with a hint (tests/conformance/values/test_cli_values)."""
    passing = check_io_manager(JsonFileManager, only="IOM-STORE-00", values="json")
    assert passing.ok and passing.hint is None


@pytest.mark.parametrize("name", ["pandas", "polars", "arrow"])
def test_a_table_family_concat_keeps_every_row_in_order(name: str) -> None:
    """Law (IOM-PART-019's Subject.concat): concat of one value equals it, and concat of
    several has their rows in order (its length is the sum of theirs)."""
    family = FAMILIES[name]
    assert family.concat is not None
    join = family.concat

    @FEW
    @given(st.lists(family.values(), min_size=1, max_size=3))
    def law(values: list[Any]) -> None:
        assert family.equals(join([values[0]]), values[0])
        assert len(join(values)) == sum(len(v) for v in values)  # type: ignore[arg-type]

    law()
