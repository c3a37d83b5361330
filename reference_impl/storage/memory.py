"""``InMemoryIOManager``: values kept in a dict for the lifetime of the manager instance."""

from __future__ import annotations

from typing import Any

from reference_impl.definitions.managers import IOManager
from reference_impl.errors import StoredValueMissingKeyError
from spec.contexts import InputContextLike, OutputContextLike

__all__ = ["InMemoryIOManager"]


class InMemoryIOManager(IOManager):
    """Stores each output in ``self.values`` under ``tuple(context.get_identifier())``.

    As in Dagster, the key is run scoped: the asset key and partition are not part of it, so
    two partitions stored through contexts with the same run id, step key and name share one
    entry. Values live as long as the instance; nothing is copied (loading returns the stored
    object itself).
    """

    def __init__(self) -> None:
        self.values: dict[tuple[str, ...], Any] = {}

    def handle_output(self, context: OutputContextLike, obj: Any) -> None:
        """Store ``obj``, replacing any value stored under the same identifier.

        Raises whatever ``context.get_identifier()`` raises (e.g. no step key or name).
        """
        self.values[tuple(context.get_identifier())] = obj

    def load_input(self, context: InputContextLike) -> Any:
        """Return the stored value for ``context``'s upstream output.

        Raises :class:`StoredValueMissingKeyError` (a ``KeyError``) when nothing is stored, and
        whatever ``context.get_identifier()`` raises (e.g. no upstream output).
        """
        key = tuple(context.get_identifier())
        try:
            return self.values[key]
        except KeyError:
            raise StoredValueMissingKeyError(
                f"nothing is stored in this InMemoryIOManager for identifier {key!r}; it holds "
                f"{len(self.values)} value(s). Values live only as long as the manager "
                "instance (one run): store the upstream output with the same instance first"
            ) from None
