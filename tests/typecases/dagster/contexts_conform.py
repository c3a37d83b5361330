"""Real Dagster contexts and values satisfy the spec's context protocols."""

from __future__ import annotations

import dagster as dg

from spec import (
    AssetKeyLike,
    InputContextLike,
    OutputContextLike,
    PartitionKeyRangeLike,
    TimeWindowLike,
)


def contexts(out: dg.OutputContext, inp: dg.InputContext) -> None:
    o: OutputContextLike = out
    i: InputContextLike = inp
    k: AssetKeyLike = dg.AssetKey(["a", "b"])
    r: PartitionKeyRangeLike = dg.PartitionKeyRange("a", "b")
    w: TimeWindowLike = out.asset_partitions_time_window
