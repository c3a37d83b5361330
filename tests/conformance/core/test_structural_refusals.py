"""IOM-STORE-009 (structural refusals), the revised IOM-ID-012, deterministic ordering probes."""

from __future__ import annotations

from conformance.api import check_io_manager
from conformance.checks.base import (
    component_sequence,
    directory_kinds,
    kinds_clash,
    structurally_related,
)
from conformance.contexts import OutputSpec, PartitionsSpec
from conformance.report import Report, Status
from tests.conformance.core.sample_managers import (
    DotPartitionManager,
    KindSwitchingManager,
    LossyRefusingManager,
    OverRefusingManager,
    PrefixRefusingManager,
    RefuseAllManager,
    SortedRangeManager,
)


def _status(report: Report, requirement_id: str) -> Status:
    (result,) = [r for r in report.results if r.requirement_id == requirement_id]
    return result.status


def test_component_sequences_and_their_relation() -> None:
    multi = PartitionsSpec(
        "multi",
        dimensions=(
            ("color", PartitionsSpec("static", keys=("red",))),
            ("day", PartitionsSpec("static", keys=("d1",))),
        ),
    )
    key = multi.build().get_partition_keys()[0]
    spec = OutputSpec(asset_key=("x",), partition_key=key, partitions_def=multi)
    assert component_sequence(spec) == ("x", "red", "d1")
    assert component_sequence(OutputSpec(run_id="r", step_key="s", name="n", version="v")) == (
        "versioned_outputs",
        "v",
        "s",
        "n",
    )
    assert component_sequence(OutputSpec(run_id="r", step_key="s", name="n", mapping_key="")) == (
        "r",
        "s",
        "n",
    )
    assert structurally_related(("a",), ("a", "b"))
    assert structurally_related(("a", "b"), ("a",))
    assert structurally_related(("x", "p"), ("x", "p"))
    assert not structurally_related(("a", "b"), ("a", "p"))


def test_siblings_clash_only_when_their_kinds_differ() -> None:
    """IOM-STORE-009: one parent cannot hold assets and partitions (or op outputs) at once."""
    static = PartitionsSpec("static", keys=("p",))
    partition_of_a = OutputSpec(asset_key=("a",), partition_key="p", partitions_def=static)
    asset_ab = OutputSpec(asset_key=("a", "b"))
    asset_ac = OutputSpec(asset_key=("a", "c"))
    op_output = OutputSpec(run_id="a", step_key="s", name="n")
    asset_as = OutputSpec(asset_key=("a", "s", "m"))
    assert directory_kinds(partition_of_a) == {(): "asset", ("a",): "partition"}
    assert kinds_clash(partition_of_a, asset_ab) and kinds_clash(asset_ab, partition_of_a)
    assert not kinds_clash(asset_ab, asset_ac)
    assert kinds_clash(op_output, asset_as)
    assert not kinds_clash(asset_ab, OutputSpec(asset_key=("b", "c")))


def test_prefix_refusals_are_allowed_and_reported() -> None:
    report = check_io_manager(PrefixRefusingManager)
    assert report.ok, report.failures()
    (result,) = [r for r in report.results if r.requirement_id == "IOM-STORE-009"]
    assert result.status is Status.PASS
    assert result.message.startswith("refused "), result.message


def test_a_manager_that_refuses_nothing_is_reported_as_such() -> None:
    report = check_io_manager(KindSwitchingManager, only="IOM-STORE-009")
    (result,) = report.results
    assert result.status is Status.PASS
    assert "no structural refusal" in result.message


def test_a_refusal_that_loses_the_stored_value_fails() -> None:
    report = check_io_manager(LossyRefusingManager, only="IOM-S")
    assert _status(report, "IOM-SEC-003") is Status.FAIL
    assert not report.ok


def test_refusing_unrelated_keys_fails() -> None:
    report = check_io_manager(OverRefusingManager, only="IOM-STORE")
    assert _status(report, "IOM-STORE-001") is Status.FAIL
    assert "IOM-STORE-009 does not allow" in next(
        r.message for r in report.results if r.requirement_id == "IOM-STORE-001"
    )


def test_a_manager_that_refuses_everything_fails() -> None:
    report = check_io_manager(RefuseAllManager)
    assert not report.ok
    failing = {r.requirement_id for r in report.failures("MUST")}
    assert {"IOM-STORE-001", "IOM-ID-010", "IOM-ID-011"} <= failing


def test_losing_the_other_kind_of_an_asset_is_allowed() -> None:
    report = check_io_manager(KindSwitchingManager, only="IOM-ID-012")
    assert _status(report, "IOM-ID-012") is Status.PASS, report.results


def test_partition_dot_sharing_the_unpartitioned_value_fails() -> None:
    report = check_io_manager(DotPartitionManager, only="IOM-ID-012")
    (result,) = report.results
    assert result.status is Status.FAIL
    assert result.counterexample is not None


def test_range_order_is_always_probed_with_unsorted_keys() -> None:
    report = check_io_manager(SortedRangeManager, only="IOM-PART-015")
    (result,) = report.results
    assert result.status is Status.FAIL, result
    assert "expected" in result.message
