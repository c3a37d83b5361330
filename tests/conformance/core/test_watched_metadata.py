"""The watched definition metadata of IOM-META-006: reads as the original, refuses and records
every write (top-level or nested), and copies are plain writable containers."""

from __future__ import annotations

import contextlib
import copy
import json
import pickle
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings

from conformance.checks.watched_metadata import (
    WriteAttempt,
    watch_definition_metadata,
    watched_view,
)
from conformance.strategies.values import metadata_mappings
from reference_impl import build_input_context, build_output_context
from reference_impl.context.input import InputContext
from reference_impl.context.output import OutputContext

ORIGINAL: dict[str, Any] = {
    "columns": ["a", "b"],
    "nested": {"dict": {"key": "value"}, "list": [1, {"deep": [2]}]},
    "flag": True,
}


def _view() -> tuple[Any, list[WriteAttempt]]:
    attempts: list[WriteAttempt] = []
    return watched_view(copy.deepcopy(ORIGINAL), "output", attempts), attempts


@settings(max_examples=30, deadline=None)
@given(metadata=metadata_mappings())
def test_the_view_reads_as_the_original(metadata: dict[str, Any]) -> None:
    """Law: a watched view equals the mapping it watches, and so do its deep copy and its
    pickle round trip (IOM-META-006 compares snapshots of it)."""
    view = watched_view(metadata, "output", [])
    assert view == metadata
    assert dict(view) == metadata
    assert copy.deepcopy(view) == metadata
    assert pickle.loads(pickle.dumps(view)) == metadata


def test_nested_values_keep_their_types_and_serialize() -> None:
    view, attempts = _view()
    assert isinstance(view["columns"], list)
    assert isinstance(view["nested"]["dict"], dict)
    assert json.loads(json.dumps(dict(view))) == ORIGINAL
    assert view.get("missing") is None and "flag" in view and len(view) == 3
    assert attempts == []


WRITES: list[tuple[str, Callable[[Any], object], str]] = [
    ("top-level set", lambda v: v.__setitem__("k", 1), "definition_metadata['k'] = 1"),
    ("top-level del", lambda v: v.__delitem__("flag"), "del definition_metadata['flag']"),
    ("top-level update", lambda v: v.update({"k": 1}, j=2), "writing keys 'k', 'j'"),
    ("top-level setdefault", lambda v: v.setdefault("k", 1), "writing key 'k'"),
    ("top-level pop", lambda v: v.pop("flag"), "definition_metadata.pop('flag')"),
    ("top-level clear", lambda v: v.clear(), "definition_metadata.clear()"),
    ("nested dict set", lambda v: v["nested"]["dict"].__setitem__("k", 1),
     "definition_metadata['nested']['dict']['k'] = 1"),
    ("nested dict update", lambda v: v["nested"]["dict"].update(k=1), "writing key 'k'"),
    ("nested list append", lambda v: v["columns"].append("c"),
     "definition_metadata['columns'].append('c')"),
    ("nested list sort", lambda v: v["columns"].sort(), "definition_metadata['columns'].sort()"),
    ("nested list item", lambda v: v["nested"]["list"].__setitem__(0, 9),
     "definition_metadata['nested']['list'][0] = 9"),
    ("deep dict in list", lambda v: v["nested"]["list"][1]["deep"].extend([3]),
     "definition_metadata['nested']['list'][1]['deep'].extend([3])"),
]


@pytest.mark.parametrize(("write", "expected"), [(w, e) for _, w, e in WRITES],
                         ids=[name for name, _, _ in WRITES])
def test_every_write_raises_type_error_and_is_recorded(
    write: Callable[[Any], object], expected: str
) -> None:
    view, attempts = _view()
    with pytest.raises(TypeError, match="read-only"):
        write(view)
    assert len(attempts) == 1 and expected in attempts[0].call, attempts
    assert attempts[0].where == "output"
    assert view == ORIGINAL  # refused: nothing changed


def test_a_swallowed_write_is_still_recorded() -> None:
    view, attempts = _view()
    with contextlib.suppress(TypeError):
        view["nested"]["dict"]["k"] = 1
    assert [a.describe() for a in attempts] == [
        "definition_metadata['nested']['dict']['k'] = 1 on the output context"
    ]


def test_copies_are_plain_and_writing_them_is_not_an_attempt() -> None:
    view, attempts = _view()
    shallow, deep = dict(view), copy.deepcopy(view)
    shallow["k"] = 1
    deep["nested"]["dict"]["k"] = 1
    deep["columns"].append("c")
    mine = list(view["columns"])
    mine.append("c")
    other = view["nested"]["dict"].copy()
    other["k"] = 2
    assert attempts == []
    assert view == ORIGINAL


def test_watching_a_reference_context_keeps_its_class_and_watches_upstream() -> None:
    attempts: list[WriteAttempt] = []
    output: Any = build_output_context(
        run_id="r", step_key="s", name="result", definition_metadata={"a": {"b": 1}}
    )
    upstream = build_output_context(
        run_id="r", step_key="s", name="result", definition_metadata={"u": [1]}
    )
    inp: Any = build_input_context(upstream_output=upstream, definition_metadata={"i": 1})
    assert watch_definition_metadata(output, "output", attempts)
    assert watch_definition_metadata(inp, "input", attempts)
    assert issubclass(type(output), OutputContext) and issubclass(type(inp), InputContext)
    assert output.definition_metadata == {"a": {"b": 1}}
    assert output.get_identifier() == ["r", "s", "result"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        alias = output.metadata
    assert alias is output.definition_metadata
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    writes: list[Callable[[], object]] = [
        lambda: output.definition_metadata["a"].__setitem__("b", 2),
        lambda: inp.definition_metadata.__setitem__("i", 2),
        lambda: inp.upstream_output.definition_metadata["u"].append(2),
    ]
    for write in writes:
        with pytest.raises(TypeError):
            write()
    assert [a.where for a in attempts] == ["output", "input", "input's upstream output"]
