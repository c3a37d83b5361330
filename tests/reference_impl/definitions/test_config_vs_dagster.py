"""Differential: our config schemas accept and reject the same config dicts as Dagster's."""

from __future__ import annotations

from typing import Any

import pytest

from reference_impl.definitions import config as ours
from reference_impl.errors import ConfigError


def _schemas(dg: Any) -> list[tuple[str, object, object]]:
    """(name, our schema, Dagster's schema) where the two languages overlap."""
    return [
        ("str", {"base_dir": str}, {"base_dir": str}),
        ("int", {"n": int}, {"n": int}),
        ("float", {"x": float}, {"x": float}),
        ("bool", {"b": bool}, {"b": bool}),
        ("array", {"xs": [str]}, {"xs": [str]}),
        ("noneable", {"m": ours.Noneable(int)}, {"m": dg.Noneable(int)}),
        ("default", {"n": ours.Field(int, default_value=3)}, {"n": dg.Field(int, default_value=3)}),
        ("optional", {"o": ours.Field(str, is_required=False)},
         {"o": dg.Field(str, is_required=False)}),
        ("nested", {"a": {"b": int}}, {"a": {"b": int}}),
        ("source", {"s": ours.StringSource}, {"s": dg.StringSource}),
        ("permissive", {"d": dict}, {"d": dict}),
    ]


VALUES: list[object] = [
    {}, {"base_dir": "/x"}, {"base_dir": 1}, {"n": 1}, {"n": True}, {"n": 1.0}, {"n": None},
    {"x": 1}, {"x": 1.5}, {"x": "1"}, {"b": True}, {"b": 1}, {"xs": ["a", "b"]}, {"xs": ["a", 2]},
    {"xs": "a"}, {"m": None}, {"m": 2}, {"m": "2"}, {"o": "s"}, {"o": 1}, {"a": {"b": 1}},
    {"a": {"b": "1"}}, {"a": {}}, {"a": {"b": 1, "c": 2}}, {"s": "v"},
    {"s": {"env": "IOM_DIFF_SET"}}, {"s": {"env": "IOM_DIFF_UNSET"}}, {"s": {"nope": "x"}},
    {"d": {"k": [1]}}, {"d": 3},
    {"unexpected": 1}, {"base_dir": "/x", "unexpected": 1},
]


@pytest.mark.dagster
def test_same_configs_accepted_and_same_values_produced(monkeypatch: pytest.MonkeyPatch) -> None:
    """IOM-DEF-003: for every schema both languages express, a config dict is accepted by us iff
    Dagster accepts it, and the accepted (defaulted, env-resolved) value is the same."""
    dg = pytest.importorskip("dagster")
    from dagster._config import process_config, resolve_to_config_type

    monkeypatch.setenv("IOM_DIFF_SET", "from-env")
    monkeypatch.delenv("IOM_DIFF_UNSET", raising=False)
    disagreements = []
    outcomes: set[bool] = set()
    for name, our_schema, their_schema in _schemas(dg):
        their_type = resolve_to_config_type(their_schema)
        our_type = ours.resolve_schema(our_schema)
        for value in VALUES:
            theirs = process_config(their_type, value)  # type: ignore[arg-type]
            try:
                mine: object = ours.validate_config(our_type, value)
                accepted = True
            except ConfigError:
                accepted = False
            outcomes.add(accepted)
            if accepted != theirs.success or (accepted and mine != theirs.value):
                disagreements.append((name, value, accepted, theirs.success))
    assert disagreements == []
    assert outcomes == {True, False}, "the cases must include accepted and rejected configs"
