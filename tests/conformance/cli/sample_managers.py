"""Tiny managers the CLI and plugin tests point their targets at."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conformance.corpus.base import (
    DictManager,
    KeyedManager,
    MissingValueError,
    StorageKey,
    file_name,
    write_atomically,
)


class GoodManager(DictManager):
    """A correct in-memory manager (the corpus' base)."""


class NoneForMissingManager(DictManager):
    """Returns None for data never stored: breaks IOM-STORE-005."""

    def get(self, key: StorageKey) -> Any:
        return self.values.get(key)


class WrongSignatureManager:
    """Statically not an IO manager: ``handle_output`` lacks ``obj``."""

    def handle_output(self, context: Any) -> None:
        """Wrong shape on purpose."""

    def load_input(self, context: Any) -> Any:
        """Returns nothing useful."""
        return None


def make_good_manager() -> GoodManager:
    """A zero-argument factory."""
    return GoodManager()


NOT_A_MANAGER = 42


class JsonFileManager(KeyedManager):
    """One JSON file per key under ``base_dir``: correct for JSON values only (bytes, tuples
    and sets are not JSON; tuples load back as lists)."""

    def __init__(self, base_dir: str) -> None:
        self.root = Path(base_dir)

    def path_for(self, key: StorageKey) -> Path:
        """The file holding ``key``."""
        return self.root / (file_name(key) + ".json")

    def put(self, key: StorageKey, obj: Any) -> None:
        """Serialise first (so a failure changes nothing), then replace the file atomically."""
        data = json.dumps(obj).encode()
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path_for(key), data)

    def get(self, key: StorageKey) -> Any:
        """Parse the file; a missing file is :class:`MissingValueError`."""
        try:
            return json.loads(self.path_for(key).read_bytes())
        except FileNotFoundError:
            raise MissingValueError(f"nothing stored for {key!r}") from None
