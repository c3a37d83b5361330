"""Tests of reference_impl.types: the DagsterType descriptor behind context.dagster_type."""

from __future__ import annotations

import typing

import pytest

from reference_impl import types
from reference_impl.context import build_output_context
from reference_impl.errors import InvalidContextArgumentError
from spec.values import DagsterTypeLike


def test_ready_made_descriptors() -> None:
    assert types.Nothing.is_nothing and types.Nothing.display_name == "Nothing"
    assert not types.Any.is_nothing and types.Any.typing_type is typing.Any
    assert isinstance(types.Nothing, DagsterTypeLike)


@pytest.mark.parametrize(
    ("python_type", "display_name"),
    [(int, "Int"), (str, "String"), (float, "Float"), (bool, "Bool"), (dict, "Dict")],
)
def test_builtins_get_dagster_display_names(python_type: type, display_name: str) -> None:
    descriptor = types.DagsterType.from_python_type(python_type)
    assert descriptor.typing_type is python_type
    assert descriptor.display_name == display_name
    assert not descriptor.is_nothing


def test_none_and_any_map_to_the_ready_made_descriptors() -> None:
    assert types.DagsterType.from_python_type(None) is types.Nothing
    assert types.DagsterType.from_python_type(type(None)) is types.Nothing
    assert types.DagsterType.from_python_type(typing.Any) is types.Any


def test_other_types_use_their_name() -> None:
    class Frame:
        pass

    assert types.DagsterType.from_python_type(Frame).display_name == "Frame"
    assert "list" in types.DagsterType.from_python_type(list[int]).display_name


def test_display_name_must_be_non_empty() -> None:
    with pytest.raises(InvalidContextArgumentError, match="display_name"):
        types.DagsterType(typing_type=int, display_name="")


def test_context_exposes_the_descriptor() -> None:
    descriptor = types.DagsterType.from_python_type(int)
    assert build_output_context(dagster_type=descriptor).dagster_type is descriptor
