"""Range outputs (IOM-PART-018), concatenated range loads (IOM-PART-019), refusals of another
partitioning (IOM-STORE-009), subject-valued probes (K1) and the harness model behind them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pytest

from conformance import PartitionShares
from conformance.api import check_io_manager
from conformance.checks.base import CheckEnv, RequirementViolation, partitioning_of
from conformance.contexts import OutputSpec, PartitionsSpec, ReferenceContextFactory
from conformance.profiles import get_profile
from conformance.strategies.contexts import input_spec_for
from conformance.subject import Capabilities, Subject, SubjectError
from spec.requirements import get
from tests.conformance.corpus.tables import RowTableManager, concat_rows, row_tables, rows_equal

STATIC = PartitionsSpec("static", keys=("a", "b", "c"))
DAILY = PartitionsSpec("daily", start="2024-01-01", end="2024-01-05", timezone="UTC")


def _env(subject: Subject) -> CheckEnv:
    profile = get_profile("pr")
    return CheckEnv(subject, ReferenceContextFactory(), profile.settings, profile.stateful)


def _part(spec: PartitionsSpec, key: str, **metadata: Any) -> OutputSpec:
    return OutputSpec(
        run_id="r",
        step_key="s",
        name="result",
        asset_key=("t",),
        partition_key=key,
        partitions_def=spec,
        definition_metadata=metadata,
    )


# ------------------------------------------------------------------ PartitionShares, Subject


def test_partition_shares_is_a_read_only_mapping_in_the_order_given() -> None:
    shares = PartitionShares({"b": 2, "a": 1})
    assert isinstance(shares, Mapping)
    assert list(shares) == ["b", "a"] and shares["a"] == 1 and len(shares) == 2
    assert shares == {"a": 1, "b": 2}
    assert not hasattr(shares, "__setitem__")
    assert repr(shares) == "PartitionShares({'b': 2, 'a': 1})"


def test_concatenated_range_loads_need_concat_and_exclude_mappings() -> None:
    caps = Capabilities(partition_ranges=False, concatenated_range_loads=True)
    with pytest.raises(SubjectError, match="gives no concat"):
        Subject("s", RowTableManager, caps)
    with pytest.raises(SubjectError, match="partition_ranges=False"):
        Subject(
            "s", RowTableManager, replace(caps, partition_ranges=True), concat=concat_rows
        )
    assert Subject("s", RowTableManager, caps, concat=concat_rows).concat is concat_rows


def test_requirements_scope_range_outputs_and_concatenated_loads() -> None:
    assert get("IOM-PART-010").excludes == {"partition_range_outputs"}
    assert "partition_range_outputs" in get("IOM-PART-018").needs
    assert "concatenated_range_loads" in get("IOM-PART-019").needs
    report = check_io_manager(RowTableManager.subject(), only="IOM-PART-01")
    status = {r.requirement_id: r.status.value for r in report.results}
    assert status["IOM-PART-010"] == "not-applicable"
    assert status["IOM-PART-018"] == status["IOM-PART-019"] == "pass"
    plain = check_io_manager(
        Subject("dict", RowTableManager, values=row_tables(), equals=rows_equal),
        only="IOM-PART-01",
    )
    absent = {r.requirement_id: r.message for r in plain.results if r.status.value != "pass"}
    assert "partition_range_outputs" in absent["IOM-PART-018"]
    assert "concatenated_range_loads" in absent["IOM-PART-019"]


# ------------------------------------------------------------------ subject-valued probes (K1)


def test_n_distinct_values_come_from_the_subject_and_differ() -> None:
    env = _env(RowTableManager.subject())
    values = env.n_distinct_values(5)
    assert len(values) == 5 and all(isinstance(v, list) for v in values)
    assert not any(rows_equal(values[i], values[j]) for i in range(5) for j in range(i))
    assert _env(RowTableManager.subject()).n_distinct_values(5) == values  # deterministic


class StrOnlyManager(RowTableManager):
    """Refuses anything but tables, as a DataFrame manager refuses a ``str``."""

    def handle_output(self, context: Any, obj: Any) -> None:
        values = obj.values() if isinstance(obj, PartitionShares) else [obj]
        if not all(isinstance(v, list) for v in values):
            raise TypeError(f"no handler for {type(obj).__name__}")
        super().handle_output(context, obj)


def test_partition_probes_store_only_the_subjects_values() -> None:
    """K1: the explicit probes of the partition checks (isolation, order, multi-partitions,
    range outputs and loads) store values of ``Subject.values``, so a manager refusing other
    types passes every MUST."""
    subject = replace(RowTableManager.subject(), name="StrOnly", factory=StrOnlyManager)
    report = check_io_manager(subject, only="IOM-PART")
    assert not report.failures("MUST"), [(r.requirement_id, r.message) for r in report.failures()]
    id012 = check_io_manager(subject, only="IOM-ID-012")
    assert not id012.failures(), [r.message for r in id012.failures()]


# ------------------------------------------------------------------ the harness model


def test_a_range_output_records_each_share_in_the_model() -> None:
    env = _env(RowTableManager.subject())
    with env.harness() as h:
        assert h.store(_part(STATIC, "a"), [(1, "a")])
        out = replace(_part(STATIC, "a"), partition_key=None, partition_key_range=("b", "c"))
        assert h.store(out, PartitionShares({"b": [(2, "")], "c": [(3, "")]}))
        for key, rows in (("a", [(1, "a")]), ("b", [(2, "")]), ("c", [(3, "")])):
            assert h.intact(_part(STATIC, key))
            assert h.load(input_spec_for(_part(STATIC, key))) == rows


def test_partitioning_is_the_definition_family_and_partition_expr() -> None:
    assert partitioning_of(_part(STATIC, "a")) == ("static", None)
    assert partitioning_of(_part(DAILY, "2024-01-02", partition_expr="ts")) == (
        "time window",
        "'ts'",
    )
    assert partitioning_of(OutputSpec(asset_key=("t",))) is None


def test_refusing_another_partitioning_is_allowed_and_noted() -> None:
    """IOM-STORE-009 (revised): a typed refusal of a partition whose partitioning (family or
    partition_expr) differs from the stored partitions', with the stored data intact."""
    env = _env(RowTableManager.subject())
    for first, second in (
        (_part(STATIC, "a"), _part(DAILY, "2024-01-02")),
        (_part(STATIC, "a", partition_expr="color"), _part(STATIC, "b", partition_expr="hue")),
    ):
        with env.harness() as h:
            assert h.store(first, [(1, "a")])
            assert not h.store(second, [(2, "b")])
            refused = [step for step in h.trace if step["op"] == "store"][-1]
            assert refused["allowed_by"] == "IOM-STORE-009"
    (note, *_) = env.notes["IOM-STORE-009"]
    assert "partitioned differently: static, not time window" in note


class LossyRepartitioning(RowTableManager):
    """Drops the table, then refuses the new partitioning: the stored data is gone."""

    def check_partitioning(self, context: Any, asset: tuple[str, ...]) -> None:
        try:
            super().check_partitioning(context, asset)
        except ValueError:
            self.tables.pop(asset, None)
            raise


class PinsPartitionKeys(RowTableManager):
    """Refuses a partition of a definition with other keys, though the same family: no
    partitioning conflict, so not an allowed refusal."""

    def check_partitioning(self, context: Any, asset: tuple[str, ...]) -> None:
        keys = tuple(context.asset_partitions_def.get_partition_keys())
        if self.partitioning.get(asset, ("", keys))[1] != keys:
            raise ValueError(f"table {asset!r} has other partition keys")
        self.partitioning[asset] = ("static", keys)


def test_a_repartitioning_refusal_that_loses_data_fails() -> None:
    env = _env(replace(RowTableManager.subject(), factory=LossyRepartitioning))
    with env.harness() as h:
        assert h.store(_part(STATIC, "a"), [(1, "a")])
        with pytest.raises(RequirementViolation) as caught:
            h.store(_part(DAILY, "2024-01-02"), [(2, "b")])
    assert caught.value.requirement_id == "IOM-SEC-003"


def test_refusing_the_same_partitioning_is_not_allowed() -> None:
    env = _env(replace(RowTableManager.subject(), factory=PinsPartitionKeys))
    other_keys = PartitionsSpec("static", keys=("a", "b"))
    with env.harness() as h:
        assert h.store(_part(STATIC, "a"), [(1, "a")])
        with pytest.raises(RequirementViolation) as caught:
            h.store(_part(other_keys, "b"), [(2, "b")])
    assert caught.value.requirement_id == "IOM-STORE-001"
    assert "IOM-STORE-009 does not allow" in caught.value.message
