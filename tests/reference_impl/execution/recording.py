"""A recording IO manager for the executor tests: keeps contexts and values it saw."""

from __future__ import annotations

from typing import Any

from reference_impl.definitions import IOManager


class RecordingIOManager(IOManager):
    """Stores values by asset identifier (assets) or run identifier (op outputs)."""

    def __init__(self) -> None:
        self.outputs: list[Any] = []
        self.inputs: list[Any] = []
        self.store: dict[tuple[str, ...], Any] = {}

    def _key(self, context: Any) -> tuple[str, ...]:
        if context.has_asset_key:
            return ("asset", *context.asset_key.path)
        return ("run", *context.get_identifier())

    def handle_output(self, context: Any, obj: Any) -> None:
        self.outputs.append(context)
        if context.has_asset_key and context.has_asset_partitions:
            self.store[(*self._key(context), context.asset_partition_key)] = obj
        else:
            self.store[self._key(context)] = obj

    def load_input(self, context: Any) -> Any:
        self.inputs.append(context)
        if context.has_asset_key and context.has_asset_partitions:
            keys = context.asset_partition_keys
            values = {k: self.store[(*self._key(context), k)] for k in keys}
            return values[keys[0]] if len(keys) == 1 else values
        return self.store[self._key(context)]
