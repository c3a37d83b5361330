"""The reference built-ins satisfy the spec protocols statically."""

from __future__ import annotations

from typing import Any

import reference_impl as ri
from reference_impl.storage import PickledObjectFilesystemIOManager
from spec import (
    AssetKeyLike,
    InputContextLike,
    InputManager,
    IOManager,
    IOManagerFactory,
    OutputContextLike,
    PartitionKeyRangeLike,
    PartitionsDefinitionLike,
    TimeWindowLike,
)


class JsonManager(ri.UPathIOManager):
    extension = ".json"

    def dump_to_path(self, context: OutputContextLike, obj: Any, path: Any) -> None:
        path.write_text(str(obj))

    def load_from_path(self, context: InputContextLike, path: Any) -> Any:
        return path.read_text()


mem: IOManager = ri.InMemoryIOManager()
pickled: IOManager = PickledObjectFilesystemIOManager(base_dir="/tmp/x")
upath: IOManager = JsonManager()
loader: InputManager = ri.InMemoryIOManager()
factory: IOManagerFactory = ri.FilesystemIOManager(base_dir="/tmp/x")
out_ctx: OutputContextLike = ri.build_output_context(step_key="s", name="result")
in_ctx: InputContextLike = ri.build_input_context(upstream_output=out_ctx)
key: AssetKeyLike = ri.AssetKey(["a", "b"])
key_range: PartitionKeyRangeLike = ri.PartitionKeyRange("a", "b")
definition: PartitionsDefinitionLike = ri.StaticPartitionsDefinition(["a", "b"])
window: TimeWindowLike = ri.DailyPartitionsDefinition("2023-01-01").time_window_for_partition_key(
    "2023-01-02"
)
