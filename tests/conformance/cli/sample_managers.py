"""Tiny managers the CLI and plugin tests point their targets at."""

from __future__ import annotations

from typing import Any

from tests.conformance.corpus.base import DictManager, StorageKey


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
