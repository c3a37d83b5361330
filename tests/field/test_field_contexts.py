"""conformance.field.contexts: typed, configured Dagster contexts carrying output metadata."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

dg = pytest.importorskip("dagster")
pd = pytest.importorskip("pandas")

from conformance.contexts import OutputSpec, PartitionsSpec  # noqa: E402
from conformance.domain import with_domain  # noqa: E402
from conformance.field.contexts import FieldContextFactory  # noqa: E402
from conformance.field.subjects import (  # noqa: E402
    duckdb_pandas_target,
    partition_expr_metadata,
    table_asset_key,
)
from conformance.strategies.contexts import input_spec_for  # noqa: E402

pytestmark = pytest.mark.field

STATIC = PartitionsSpec("static", keys=("p1", "p2"))
DAILY = PartitionsSpec("daily", start="2024-01-01", end="2024-01-05")


def _factory() -> FieldContextFactory:
    factory = FieldContextFactory(
        typing_type=pd.DataFrame,
        output_metadata=partition_expr_metadata,
    )
    factory.bind_resource_config({"database": "kit.duckdb"})
    return factory


def test_typed_configured_contexts_carry_upstream_metadata() -> None:
    factory = _factory()
    out = OutputSpec(
        run_id="r",
        step_key="s",
        name="result",
        asset_key=("sales", "t"),
        partition_key="p1",
        partitions_def=STATIC,
    )
    context: Any = factory.input_context(input_spec_for(out))
    assert context.dagster_type.typing_type is pd.DataFrame
    assert context.resource_config == {"database": "kit.duckdb"}
    assert context.upstream_output.definition_metadata == {"partition_expr": "color"}
    assert context.upstream_output.dagster_type.typing_type is pd.DataFrame
    assert dict(context.definition_metadata) == {}  # the input's own metadata is untouched
    daily = OutputSpec(
        run_id="r",
        step_key="s",
        name="result",
        asset_key=("t",),
        partition_key="2024-01-02",
        partitions_def=DAILY,
    )
    assert factory.output_context(daily).definition_metadata == {"partition_expr": "ts"}
    assert factory.output_context(OutputSpec(asset_key=("t",))).definition_metadata == {}


def test_spec_metadata_wins_over_computed_metadata() -> None:
    out = OutputSpec(
        asset_key=("t",),
        partition_key="p1",
        partitions_def=STATIC,
        definition_metadata={"partition_expr": "other"},
    )
    assert _factory().output_context(out).definition_metadata == {"partition_expr": "other"}


def test_plain_keys_outside_the_domain_are_discarded_exotic_kept() -> None:
    """The table subjects declare their domain on the Subject; the runner guards the field
    contexts with it (conformance.domain), as for any context factory."""
    factory = with_domain(_factory(), duckdb_pandas_target().subject.accepts_asset_key)
    assert factory.output_context(OutputSpec(asset_key=("a b",))).asset_key.path == ["a b"]

    @settings(max_examples=5, database=None)
    @given(st.just(("a-b",)))
    def build(key: tuple[str, ...]) -> None:
        factory.output_context(OutputSpec(asset_key=key))

    with pytest.raises(Unsatisfiable):
        build()


def test_table_asset_key_domain() -> None:
    assert (
        table_asset_key(("t",)) and table_asset_key(("sales", "2024")) and table_asset_key(("A",))
    )
    assert not table_asset_key(("a", "b", "c"))
    assert not table_asset_key(("a-b",)) and not table_asset_key(("a.b",))
    assert not table_asset_key(())
