"""The typed errors of the reference implementation.

Every error derives from :class:`IOManagerSpecError` and from the builtin exception that fits,
so callers can catch either. Messages say what was wrong and what to do about it.

Store and load failures of the storage managers form one hierarchy (``docs/RELIABILITY.md``)::

    StorageError                      key, partition, storage_root, path; __cause__ = original
      StoreError                      nothing was changed: the previous value is intact
        SerializationError (TypeError)      the value could not be serialized
          UnpicklableValueError
        StorageFullError (OSError)          ENOSPC, EDQUOT, EFBIG
        StoragePermissionError (PermissionError)  EACCES, EPERM
        ReadOnlyStorageError (OSError)      EROFS
        StoreIOError (OSError)              any other OS error
      LoadError
        StoredValueNotFoundError (FileNotFoundError)   missing (files)
        StoredValueMissingKeyError (KeyError)          missing (in memory)
        CorruptStoredValueError (OSError)   unreadable bytes
        LoadPermissionError (PermissionError)
        LoadIOError (OSError)
    UnsafeKeyError (ValueError)       refused before anything was written (escapes, symlinks,
                                      layout conflicts)
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ConfigError",
    "ContextValueUnavailableError",
    "CorruptStoredValueError",
    "DuplicateMetadataKeyError",
    "FrozenConfigError",
    "IOManagerSpecError",
    "InvalidAssetKeyError",
    "InvalidContextArgumentError",
    "InvalidDefinitionError",
    "InvalidEventError",
    "InvalidMetadataError",
    "InvalidPartitionKeyError",
    "InvalidPartitionsDefinitionError",
    "MissingEnvVarError",
    "MissingPartitionsDefinitionError",
    "MissingResourceError",
    "NoOutputValueError",
    "NotAManagerError",
    "NonexistentUpstreamPartitionsError",
    "NotPartitionedError",
    "NotTimePartitionedError",
    "PartitionCountError",
    "ResourceScopeError",
    "LoadError",
    "LoadIOError",
    "LoadPermissionError",
    "ReadOnlyStorageError",
    "SerializationError",
    "StorageError",
    "StorageFullError",
    "StoragePermissionError",
    "StoreError",
    "StoreIOError",
    "StoredValueMissingKeyError",
    "StoredValueNotFoundError",
    "UnknownResourceError",
    "UnpicklableValueError",
    "UnsafeKeyError",
    "UnsupportedContextError",
]


class IOManagerSpecError(Exception):
    """Base class of every error raised by ``reference_impl``."""


class ContextValueUnavailableError(IOManagerSpecError, LookupError):
    """A context accessor was read for a value the context was not given (IOM-CTX-001)."""


class NotPartitionedError(IOManagerSpecError, LookupError):
    """A partition accessor was read on a context that covers no (asset) partitions."""


class PartitionCountError(IOManagerSpecError, ValueError):
    """A single partition was asked for, but the context covers zero or several."""


class NotTimePartitionedError(IOManagerSpecError, TypeError):
    """A time window was asked for, but the partitions are not time-based."""


class InvalidPartitionKeyError(IOManagerSpecError, ValueError):
    """A partition key (or range endpoint) is not a key of its definition, or is malformed."""


class InvalidAssetKeyError(IOManagerSpecError, TypeError):
    """A value cannot be coerced to an asset key."""


class InvalidMetadataError(IOManagerSpecError, TypeError):
    """A metadata value cannot be normalized to a known metadata type (IOM-META-002)."""


class DuplicateMetadataKeyError(IOManagerSpecError, ValueError):
    """A metadata key was added twice through one context (IOM-META-003)."""


class InvalidEventError(IOManagerSpecError, TypeError):
    """``log_event`` got something other than an asset event for this output (IOM-META-004/5)."""


class ConfigError(IOManagerSpecError, ValueError):
    """Config does not match a definition's schema (IOM-DEF-003)."""


class MissingEnvVarError(ConfigError, LookupError):
    """An ``EnvVar`` names an environment variable that is not set."""


class StorageError(IOManagerSpecError):
    """A store or load of a storage manager failed; names what and where.

    Attributes (``None`` when unknown): ``key`` (the asset key path or the op output's
    identifier), ``partition`` (the partition key), ``storage_root`` and ``path`` (the stored
    file). The original exception, if any, is chained as ``__cause__``.
    """

    def __init__(self, message: str, *, key: Sequence[str] | None = None,
                 partition: str | None = None, storage_root: str | None = None,
                 path: str | None = None) -> None:
        super().__init__(message)
        self.key = None if key is None else list(key)
        self.partition = partition
        self.storage_root = storage_root
        self.path = path


class StoreError(StorageError):
    """``handle_output`` failed; whatever was stored before for the key is unchanged, and a
    failed first store leaves nothing behind."""


class SerializationError(StoreError, TypeError):
    """The value could not be serialized (whatever the serializer raised is the cause)."""


class StorageFullError(StoreError, OSError):
    """The file system is full or a size limit was hit (``ENOSPC``, ``EDQUOT``, ``EFBIG``)."""


class StoragePermissionError(StoreError, PermissionError):
    """The storage refused the write (``EACCES``, ``EPERM``)."""


class ReadOnlyStorageError(StoreError, OSError):
    """The storage is read-only (``EROFS``)."""


class StoreIOError(StoreError, OSError):
    """Any other operating-system error while storing."""


class LoadError(StorageError):
    """``load_input`` failed; nothing was changed."""


class StoredValueNotFoundError(LoadError, FileNotFoundError):
    """Nothing is stored for the requested identifier (IOM-STORE-005).

    A ``FileNotFoundError`` so that code written for Dagster's managers keeps working.
    """


class CorruptStoredValueError(LoadError, OSError):
    """A stored value exists but cannot be read back (truncated or foreign file)."""


class LoadPermissionError(LoadError, PermissionError):
    """The storage refused the read (``EACCES``, ``EPERM``)."""


class LoadIOError(LoadError, OSError):
    """Any other operating-system error while loading."""


class UnpicklableValueError(SerializationError):
    """A value cannot be pickled; nothing was written (IOM-STORE-007)."""


class UnsafeKeyError(IOManagerSpecError, ValueError):
    """A key cannot be mapped to storage safely (IOM-SEC-002)."""


class UnsupportedContextError(IOManagerSpecError, NotImplementedError):
    """A manager was given a context it does not support (IOM-DEF-004)."""


class InvalidDefinitionError(IOManagerSpecError, TypeError):
    """A definition, decorator argument, config schema or config class is malformed."""


class NotAManagerError(InvalidDefinitionError):
    """A resource function or factory returned something that is not a manager (IOM-DEF-001/2)."""


class FrozenConfigError(IOManagerSpecError, AttributeError):
    """A config field of a structured-config object was assigned after construction."""


class InvalidContextArgumentError(IOManagerSpecError, TypeError, ValueError):
    """A context builder got an argument of the wrong type or a contradictory combination."""


class MissingPartitionsDefinitionError(ContextValueUnavailableError, NotImplementedError):
    """Keys of a multi-key range were asked for, but no partitions definition was given."""


class UnknownResourceError(IOManagerSpecError, AttributeError):
    """A context's ``resources`` has no resource of the requested name."""


class ResourceScopeError(IOManagerSpecError, RuntimeError):
    """Scoped (context-manager) resources were read outside the context's ``with`` block."""


class InvalidPartitionsDefinitionError(IOManagerSpecError, ValueError):
    """A partitions definition was built from invalid arguments (keys, dimensions, schedule)."""


class NonexistentUpstreamPartitionsError(InvalidPartitionKeyError):
    """A partition mapping requires upstream partitions that the upstream definition lacks."""


class StoredValueMissingKeyError(LoadError, KeyError):
    """An in-memory manager holds nothing for the requested identifier (IOM-STORE-005).

    A ``KeyError`` like Dagster's ``InMemoryIOManager`` raises, so existing handlers keep working.
    """

    def __str__(self) -> str:
        # KeyError.__str__ repr-quotes its argument; the message is meant to be read as is.
        return str(self.args[0]) if self.args else ""


class MissingResourceError(InvalidDefinitionError, LookupError):
    """A job or asset needs a resource key (an IO manager, input manager or required resource)
    that none of the given resources provides."""


class NoOutputValueError(IOManagerSpecError, LookupError):
    """A run result was asked for an output value it does not hold (unknown node or asset, an
    output that did not run, or a ``Nothing`` output)."""
