"""The typed errors of the reference implementation.

Every error derives from :class:`IOManagerSpecError` and from the builtin exception that fits,
so callers can catch either. Messages say what was wrong and what to do about it.
"""

from __future__ import annotations

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


class StoredValueNotFoundError(IOManagerSpecError, FileNotFoundError):
    """Nothing is stored for the requested identifier (IOM-STORE-005).

    A ``FileNotFoundError`` so that code written for Dagster's managers keeps working.
    """


class CorruptStoredValueError(IOManagerSpecError, OSError):
    """A stored value exists but cannot be read back (truncated or foreign file)."""


class UnpicklableValueError(IOManagerSpecError, TypeError):
    """A value cannot be serialized; nothing was written (IOM-STORE-007)."""


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


class StoredValueMissingKeyError(IOManagerSpecError, KeyError):
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
