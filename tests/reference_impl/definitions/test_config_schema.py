"""The config-schema language: resolution, validation errors, defaults, env sources."""

from __future__ import annotations

import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference_impl.definitions.config import (
    Array,
    Field,
    IntSource,
    Noneable,
    Permissive,
    StringSource,
    resolve_schema,
    validate_config,
)
from reference_impl.errors import ConfigError, InvalidDefinitionError, MissingEnvVarError

SCALARS: dict[type, st.SearchStrategy[object]] = {
    str: st.text(max_size=5),
    int: st.integers(),
    bool: st.booleans(),
    float: st.floats(allow_nan=False),
}
ANY_SCALAR = st.one_of(*SCALARS.values(), st.none(), st.lists(st.integers(), max_size=2))


def _matches(python_type: type, value: object) -> bool:
    """Independent statement of the scalar rules: bool is not a number; int passes for float."""
    if isinstance(value, bool):
        return python_type is bool
    if python_type is float:
        return isinstance(value, int | float)
    return isinstance(value, python_type)


@given(python_type=st.sampled_from(list(SCALARS)), value=ANY_SCALAR)
def test_scalar_fields_accept_exactly_their_type(python_type: type, value: object) -> None:
    """IOM-DEF-003: a scalar field accepts a value iff it has the field's type (bool is not an
    int, an int is a float); a rejected value raises ConfigError naming the field path."""
    schema = resolve_schema({"x": python_type})
    if _matches(python_type, value):
        assert validate_config(schema, {"x": value}) == {"x": value}
    else:
        with pytest.raises(ConfigError, match=r"config\.x: expected"):
            validate_config(schema, {"x": value})


@given(items=st.lists(st.text(max_size=3), max_size=6), bad_at=st.integers(0, 6))
def test_array_names_the_index_of_the_bad_item(items: list[str], bad_at: int) -> None:
    """IOM-DEF-003: every item of an array is checked; the error names the bad item's index."""
    index = min(bad_at, len(items))
    values: list[object] = [*items[:index], 7, *items[index:]]
    for schema in ([str], list[str], Array(str)):
        with pytest.raises(ConfigError, match=rf"config\.xs\[{index}\]: expected str, got int 7"):
            validate_config(resolve_schema({"xs": schema}), {"xs": values})
        assert validate_config(resolve_schema({"xs": schema}), {"xs": items}) == {"xs": items}


def test_unknown_and_missing_fields_are_named() -> None:
    schema = resolve_schema({"base_dir": str, "n": Field(int, default_value=2)})
    with pytest.raises(ConfigError, match=r"unknown config field\(s\) \['extra'\]"):
        validate_config(schema, {"base_dir": "d", "extra": 1})
    with pytest.raises(ConfigError, match=r"config\.base_dir: missing required"):
        validate_config(schema, {})
    with pytest.raises(ConfigError, match=r"config\.base_dir: missing required"):
        validate_config(schema, None)


def test_defaults_noneable_and_optional_fields() -> None:
    schema = resolve_schema({
        "n": Field(int, default_value=2, description="how many"),
        "maybe": Noneable(int),
        "opt": Field(str, is_required=False),
        "nested": {"depth": Field(int, default_value=1)},
    })
    assert validate_config(schema, {}) == {"n": 2, "maybe": None, "nested": {"depth": 1}}
    assert validate_config(schema, {"opt": "o", "maybe": 3}) == {
        "n": 2, "maybe": 3, "opt": "o", "nested": {"depth": 1}
    }
    with pytest.raises(ConfigError, match=r"config\.nested\.depth: expected int, got str"):
        validate_config(schema, {"nested": {"depth": "deep"}})


def test_none_is_rejected_for_a_plain_field() -> None:
    with pytest.raises(ConfigError, match=r"config\.n: expected int, got None.*Noneable"):
        validate_config(resolve_schema({"n": int}), {"n": None})


def test_any_schemas_accept_everything() -> None:
    marker = object()
    for schema in (None, typing.Any):
        assert validate_config(resolve_schema(schema), marker) is marker
    assert validate_config(resolve_schema({"d": dict, "l": list}), {"d": {1: 2}, "l": [1, "a"]})
    assert validate_config(Permissive({"a": int}), {"a": 1, "b": 2}) == {"a": 1, "b": 2}


def test_str_keyed_mapping() -> None:
    schema = resolve_schema({"m": dict[str, int]})
    assert validate_config(schema, {"m": {"a": 1}}) == {"m": {"a": 1}}
    with pytest.raises(ConfigError, match=r"config\.m\['a'\]: expected int"):
        validate_config(schema, {"m": {"a": "1"}})


def test_env_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOM_TEST_DIR", "/from/env")
    monkeypatch.setenv("IOM_TEST_N", "12")
    monkeypatch.delenv("IOM_TEST_UNSET", raising=False)
    schema = resolve_schema({"d": StringSource, "n": IntSource})
    assert validate_config(schema, {"d": {"env": "IOM_TEST_DIR"}, "n": {"env": "IOM_TEST_N"}}) == {
        "d": "/from/env", "n": 12
    }
    assert validate_config(schema, {"d": "plain", "n": 1}) == {"d": "plain", "n": 1}
    with pytest.raises(MissingEnvVarError, match=r"config\.d: environment variable 'IOM_TEST_UN"):
        validate_config(schema, {"d": {"env": "IOM_TEST_UNSET"}, "n": 1})
    with pytest.raises(ConfigError, match=r"config\.n: environment variable 'IOM_TEST_DIR' holds"):
        validate_config(schema, {"d": "x", "n": {"env": "IOM_TEST_DIR"}})
    with pytest.raises(ConfigError, match=r"expected str, got dict"):
        validate_config(resolve_schema({"d": str}), {"d": {"env": "IOM_TEST_DIR"}})


@pytest.mark.parametrize("bad", [{1, 2}, object, 3, "str", [str, int], dict[int, str]])
def test_malformed_schemas_are_definition_errors(bad: object) -> None:
    with pytest.raises(InvalidDefinitionError, match="is not a config schema"):
        resolve_schema(bad)


def test_field_misuse_is_a_definition_error() -> None:
    with pytest.raises(InvalidDefinitionError, match="required field cannot have a default"):
        Field(int, default_value=1, is_required=True)
    with pytest.raises(InvalidDefinitionError, match="bad default"):
        Field(int, default_value="one")
    with pytest.raises(InvalidDefinitionError, match="only allowed as a value inside a dict"):
        resolve_schema(Field(int))
