"""Broken managers that misuse contexts (``IOM-META-*``) or escape their storage (``IOM-SEC-*``)."""

from __future__ import annotations

import contextlib
import os
import pickle
from pathlib import Path
from typing import Any

from conformance.subject import Capabilities, Subject
from tests.conformance.corpus.base import (
    DictManager,
    MissingValueError,
    PickleDirManager,
    StorageKey,
    write_atomically,
)
from tests.conformance.corpus.correct import NoNonePickleDirManager


def _scribble(metadata: Any) -> None:
    """Mutate ``metadata`` in place: the mapping itself if writable, else nested containers."""
    try:
        metadata["touched_by_manager"] = True
        return
    except TypeError:
        pass
    for value in list(metadata.values()):
        if isinstance(value, dict):
            value["touched_by_manager"] = True
        elif isinstance(value, list):
            value.append("touched_by_manager")


class MutatesDefinitionMetadata(DictManager):
    """Writes a marker into the definition metadata it was given."""

    breaks = "IOM-META-006"

    def handle_output(self, context: Any, obj: Any) -> None:
        _scribble(context.definition_metadata)
        super().handle_output(context, obj)

    def load_input(self, context: Any) -> Any:
        _scribble(context.definition_metadata)
        return super().load_input(context)


class SwallowsMetadataWrite(DictManager):
    """Records what it stored in the output's definition metadata and swallows the
    ``TypeError`` a read-only mapping raises (under Dagster the write succeeds and changes the
    definition for every later run)."""

    breaks = "IOM-META-006"

    def handle_output(self, context: Any, obj: Any) -> None:
        with contextlib.suppress(TypeError):
            context.definition_metadata["stored_type"] = type(obj).__name__
        super().handle_output(context, obj)


class MutatesNestedMetadata(DictManager):
    """Normalises the lists nested in the input's definition metadata in place (sorting them
    by ``repr``, a no-op on an already sorted list), swallowing any error."""

    breaks = "IOM-META-006"

    def load_input(self, context: Any) -> Any:
        for value in context.definition_metadata.values():
            nested = value.values() if isinstance(value, dict) else [value]
            for item in nested:
                if isinstance(item, list):
                    with contextlib.suppress(TypeError):
                        item.sort(key=repr)
        return super().load_input(context)


class DuplicateMetadataKey(DictManager):
    """Records the same metadata key twice during one ``handle_output``."""

    breaks = "IOM-META-007"

    def handle_output(self, context: Any, obj: Any) -> None:
        super().handle_output(context, obj)
        context.add_output_metadata({"stored_type": type(obj).__name__})
        context.add_output_metadata({"stored_type": type(obj).__name__})


class InvalidMetadata(DictManager):
    """Records a tuple, which is not a valid metadata value."""

    breaks = "IOM-META-007"

    def handle_output(self, context: Any, obj: Any) -> None:
        super().handle_output(context, obj)
        context.add_output_metadata({"shape": (1, 2)})


class RuntimeErrorForMissing(DictManager):
    """Raises a bare ``RuntimeError`` for missing data, indistinguishable from a bug."""

    breaks = "IOM-SEC-004"

    def get(self, key: StorageKey) -> Any:
        try:
            return super().get(key)
        except MissingValueError:
            raise RuntimeError("no value") from None


class LockFileInParent(PickleDirManager):
    """Writes a lock file next to (not inside) its storage root."""

    breaks = "IOM-SEC-001"

    def put(self, key: StorageKey, obj: Any) -> None:
        (self.root.parent / f".{self.root.name}.lock").touch()
        super().put(key, obj)


class FollowsPathSyntax(PickleDirManager):
    """Builds file paths by joining key components, so ``..`` and ``/`` are interpreted.

    Safety guard for the test machine: a leading ``/`` is dropped, and a path that would climb
    more than one level above the root is refused (one level is enough to be caught).
    """

    breaks = "IOM-SEC-002"

    def path_for(self, key: StorageKey) -> Path:
        kind, components, *partition = key
        parts = [str(kind), *(str(c).lstrip("/") for c in components)]  # type: ignore[attr-defined]
        parts += [str(p) for p in partition if p is not None]
        return Path(str(self.root.joinpath(*parts)) + ".pkl")

    def put(self, key: StorageKey, obj: Any) -> None:
        data = pickle.dumps(obj)
        path = Path(os.path.normpath(self.path_for(key)))
        if not path.is_relative_to(self.root.parent):
            raise PermissionError(f"corpus safety guard: refusing to write {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)


class IgnoresNone(DictManager):
    """Does not store ``None`` (declares ``stores_none=False``) but treats it as "nothing to
    store" without an error, so a ``None`` output silently leaves the old value in place."""

    breaks = "IOM-SEC-003"
    origin = NoNonePickleDirManager  # the correct way to refuse None

    @classmethod
    def subject(cls) -> Subject:
        """Declares that it does not store ``None``."""
        return Subject.from_object(cls, capabilities=Capabilities(stores_none=False))

    def put(self, key: StorageKey, obj: Any) -> None:
        if obj is not None:
            super().put(key, obj)


class DeletesBeforeRefusingNone(DictManager):
    """Does not store ``None`` (declares ``stores_none=False``) and refuses it with a clear
    ``TypeError``, but only after deleting the value stored earlier (a table dropped before the
    write is attempted)."""

    breaks = "IOM-SEC-003"
    origin = NoNonePickleDirManager  # the correct way to refuse None

    @classmethod
    def subject(cls) -> Subject:
        """Declares that it does not store ``None``."""
        return Subject.from_object(cls, capabilities=Capabilities(stores_none=False))

    def put(self, key: StorageKey, obj: Any) -> None:
        self.values.pop(key, None)
        if obj is None:
            raise TypeError(f"this manager does not store None (output {key!r})")
        super().put(key, obj)


BROKEN_METADATA_SECURITY: tuple[type, ...] = (
    MutatesDefinitionMetadata,
    SwallowsMetadataWrite,
    MutatesNestedMetadata,
    DuplicateMetadataKey,
    InvalidMetadata,
    RuntimeErrorForMissing,
    LockFileInParent,
    FollowsPathSyntax,
    IgnoresNone,
    DeletesBeforeRefusingNone,
)
