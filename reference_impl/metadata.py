"""Metadata values: typed wrappers of raw metadata, and their normalization.

``MetadataValue`` is the base of every wrapper (``TextMetadataValue``, ``IntMetadataValue``, ...);
its static constructors (``MetadataValue.text(...)``, ``.int``, ``.float``, ``.bool``, ``.null``,
``.json``, ``.path``, ``.url``, ``.md``, ``.asset``) build them. :func:`normalize_metadata_value`
turns a raw value into a wrapper in Dagster's resolution order; :func:`normalize_metadata` does it
for a whole mapping, all or nothing. Every wrapper is immutable and satisfies
``spec.MetadataValueLike``.

Interop rule (foreign metadata values): another framework's own metadata value objects are kept
as they are, so a manager written for that framework (Dagster's, passing
``dagster.MetadataValue.path(...)``) also runs with the reference contexts. A value is foreign
metadata when a class in its type's MRO is named ``MetadataValue`` and it has a ``value``
attribute (``spec.MetadataValueLike``). Nothing else with a ``value`` attribute qualifies: an
``Enum`` member or an arbitrary object is still rejected with ``InvalidMetadataError``.
"""

from __future__ import annotations

import builtins
import json
import os
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from reference_impl.asset_key import AssetKey
from reference_impl.errors import InvalidMetadataError
from reference_impl.tables import TableRecord, TableSchema, infer_table_schema

__all__ = [
    "TableMetadataValue",
    "TableSchemaMetadataValue",
    "BoolMetadataValue",
    "DagsterAssetMetadataValue",
    "FloatMetadataValue",
    "IntMetadataValue",
    "JsonMetadataValue",
    "MarkdownMetadataValue",
    "MetadataValue",
    "NullMetadataValue",
    "PathMetadataValue",
    "TextMetadataValue",
    "UrlMetadataValue",
    "is_foreign_metadata_value",
    "normalize_metadata",
    "normalize_metadata_value",
]

_WRAP_HINT = "Wrap the value in the matching MetadataValue (for example MetadataValue.text(...))."


class MetadataValue(ABC):
    """Base class of the metadata wrappers; ``value`` is the wrapped raw value."""

    __slots__ = ()

    @property
    @abstractmethod
    def value(self) -> Any:
        """The wrapped raw value."""

    @staticmethod
    def text(text: str) -> TextMetadataValue:
        """A plain-text value. Raises ``InvalidMetadataError`` unless ``text`` is a ``str``."""
        return TextMetadataValue(text)

    @staticmethod
    def int(value: builtins.int) -> IntMetadataValue:
        """An integer value. Raises ``InvalidMetadataError`` unless ``value`` is an ``int``."""
        return IntMetadataValue(value)

    @staticmethod
    def float(value: builtins.float) -> FloatMetadataValue:
        """A float value (NaN and infinities allowed). Raises unless ``value`` is a ``float``."""
        return FloatMetadataValue(value)

    @staticmethod
    def bool(value: builtins.bool) -> BoolMetadataValue:
        """A boolean value. Raises ``InvalidMetadataError`` unless ``value`` is a ``bool``."""
        return BoolMetadataValue(value)

    @staticmethod
    def null() -> NullMetadataValue:
        """The null value (what ``None`` normalizes to)."""
        return NullMetadataValue()

    @staticmethod
    def json(data: Any) -> JsonMetadataValue:
        """A JSON value; ``data`` is copied through a JSON round trip. Raises if not JSON-able."""
        return JsonMetadataValue(data)

    @staticmethod
    def path(path: str | os.PathLike[str]) -> PathMetadataValue:
        """A filesystem path or URL, stored as a string (``os.fspath``)."""
        return PathMetadataValue(path)

    @staticmethod
    def url(url: str) -> UrlMetadataValue:
        """A URL. Raises ``InvalidMetadataError`` unless ``url`` is a ``str``."""
        return UrlMetadataValue(url)

    @staticmethod
    def md(md_str: str) -> MarkdownMetadataValue:
        """A Markdown text. Raises ``InvalidMetadataError`` unless ``md_str`` is a ``str``."""
        return MarkdownMetadataValue(md_str)

    @staticmethod
    def table(
        records: Sequence[TableRecord], schema: TableSchema | None = None
    ) -> TableMetadataValue:
        """Wrap table rows (and their schema; inferred from the first row when omitted)."""
        return TableMetadataValue(tuple(records), schema)

    @staticmethod
    def table_schema(schema: TableSchema) -> TableSchemaMetadataValue:
        """Wrap a table schema."""
        return TableSchemaMetadataValue(schema)

    @staticmethod
    def asset(asset_key: AssetKey) -> DagsterAssetMetadataValue:
        """A reference to an asset. Raises ``InvalidMetadataError`` unless given an ``AssetKey``."""
        return DagsterAssetMetadataValue(asset_key)


def _require(value: object, expected: type | tuple[type, ...], what: str) -> None:
    if not isinstance(value, expected):
        raise InvalidMetadataError(
            f"{what} needs a {_type_names(expected)}, got {value!r} of type "
            f"{type(value).__name__}. Pass a value of the right type or pick another "
            "MetadataValue constructor."
        )


def _type_names(expected: type | tuple[type, ...]) -> str:
    types = expected if isinstance(expected, tuple) else (expected,)
    return " or ".join(t.__name__ for t in types)


@dataclass(frozen=True, slots=True)
class TextMetadataValue(MetadataValue):
    """Plain text."""

    # Dagster's attribute name; it shadows the base's static constructor on instances only.
    text: str  # type: ignore[assignment]

    def __post_init__(self) -> None:
        _require(self.text, str, "MetadataValue.text")

    @property
    def value(self) -> str:
        """The text."""
        return self.text


@dataclass(frozen=True, slots=True)
class IntMetadataValue(MetadataValue):
    """An integer."""

    # A frozen field is read-only, as the base property is; pyright checks it as a writable
    # attribute overriding a property.
    value: int  # pyright: ignore[reportIncompatibleMethodOverride]

    def __post_init__(self) -> None:
        _require(self.value, int, "MetadataValue.int")


@dataclass(frozen=True, slots=True)
class FloatMetadataValue(MetadataValue):
    """A float (NaN and infinities allowed)."""

    # A frozen field is read-only, as the base property is; pyright checks it as a writable
    # attribute overriding a property.
    value: float  # pyright: ignore[reportIncompatibleMethodOverride]

    def __post_init__(self) -> None:
        _require(self.value, float, "MetadataValue.float")


@dataclass(frozen=True, slots=True)
class BoolMetadataValue(MetadataValue):
    """A boolean."""

    # A frozen field is read-only, as the base property is; pyright checks it as a writable
    # attribute overriding a property.
    value: bool  # pyright: ignore[reportIncompatibleMethodOverride]

    def __post_init__(self) -> None:
        _require(self.value, bool, "MetadataValue.bool")


@dataclass(frozen=True, slots=True)
class NullMetadataValue(MetadataValue):
    """The null value."""

    @property
    def value(self) -> None:
        """Always ``None``."""
        return None


@dataclass(frozen=True, slots=True, eq=True)
class JsonMetadataValue(MetadataValue):
    """JSON data (a ``dict`` or ``list``), normalized by a JSON round trip.

    The round trip copies the data (later changes to the caller's object do not show here) and
    turns tuples into lists and non-string dict keys into strings, like ``json.dumps`` does.
    Raises ``InvalidMetadataError`` for data that is not JSON serializable.
    """

    data: Any

    def __post_init__(self) -> None:
        _require(self.data, (dict, list, tuple), "MetadataValue.json")
        object.__setattr__(self, "data", _json_round_trip(self.data))

    @property
    def value(self) -> Any:
        """The JSON data."""
        return self.data


def _json_round_trip(data: Any) -> Any:
    try:
        return json.loads(json.dumps(data))
    except (TypeError, ValueError) as error:
        raise InvalidMetadataError(
            f"Value is not JSON serializable ({error}). Use only str, int, float, bool, None, "
            "list and dict inside JSON metadata, or wrap the value in another MetadataValue."
        ) from error


@dataclass(frozen=True, slots=True)
class PathMetadataValue(MetadataValue):
    """A filesystem path (or URL), stored as a string."""

    fspath: str

    def __init__(self, path: str | os.PathLike[str]) -> None:
        _require(path, (str, os.PathLike), "MetadataValue.path")
        object.__setattr__(self, "fspath", os.fspath(path))

    @property
    def value(self) -> str:
        """The path as a string."""
        return self.fspath


@dataclass(frozen=True, slots=True)
class UrlMetadataValue(MetadataValue):
    """A URL."""

    # Dagster's attribute name; it shadows the base's static constructor on instances only.
    url: str  # type: ignore[assignment]

    def __post_init__(self) -> None:
        _require(self.url, str, "MetadataValue.url")

    @property
    def value(self) -> str:
        """The URL."""
        return self.url


@dataclass(frozen=True, slots=True)
class MarkdownMetadataValue(MetadataValue):
    """Markdown text."""

    md_str: str

    def __post_init__(self) -> None:
        _require(self.md_str, str, "MetadataValue.md")

    @property
    def value(self) -> str:
        """The Markdown source."""
        return self.md_str


@dataclass(frozen=True, slots=True)
class DagsterAssetMetadataValue(MetadataValue):
    """A reference to another asset."""

    asset_key: AssetKey

    def __post_init__(self) -> None:
        _require(self.asset_key, AssetKey, "MetadataValue.asset")

    @property
    def value(self) -> AssetKey:
        """The asset key."""
        return self.asset_key


@dataclass(frozen=True, slots=True)
class TableMetadataValue(MetadataValue):
    """Rows of a table, with their schema."""

    records: tuple[TableRecord, ...]
    declared_schema: TableSchema | None = None

    def __post_init__(self) -> None:
        for record in self.records:
            _require(record, TableRecord, "MetadataValue.table records")
        if self.declared_schema is not None:
            _require(self.declared_schema, TableSchema, "MetadataValue.table schema")

    @property
    def schema(self) -> TableSchema:
        """The declared schema, or one inferred from the first record."""
        return self.declared_schema or infer_table_schema(self.records)

    @property
    def value(self) -> tuple[TableRecord, ...]:
        """The records."""
        return self.records


@dataclass(frozen=True, slots=True)
class TableSchemaMetadataValue(MetadataValue):
    """A table's schema."""

    schema: TableSchema

    def __post_init__(self) -> None:
        _require(self.schema, TableSchema, "MetadataValue.table_schema")

    @property
    def value(self) -> TableSchema:
        """The schema."""
        return self.schema


def is_foreign_metadata_value(raw: object) -> bool:
    """Whether ``raw`` is another framework's metadata value (the module's interop rule)."""
    named = any(klass.__name__ == "MetadataValue" for klass in type(raw).__mro__)
    return named and hasattr(raw, "value")


def normalize_metadata_value(raw: object, key: object = None) -> MetadataValue:
    """Wrap ``raw`` in the metadata value that fits it, in Dagster's order.

    A ``MetadataValue`` is kept, and so is another framework's metadata value (see the module's
    interop rule: a class named ``MetadataValue`` in its MRO and a ``value`` attribute); then
    ``str`` → text, ``float`` → float, ``bool`` → bool (checked
    before ``int``), ``int`` → int, ``list``/``dict`` → JSON, ``os.PathLike`` → path,
    ``AssetKey`` → asset, ``TableSchema`` → table schema, ``None`` → null. Anything else
    (``tuple``, ``set``, ``bytes``, ``datetime``, arbitrary objects) raises
    ``InvalidMetadataError``; the message names ``key`` when one is given.
    """
    if isinstance(raw, MetadataValue):
        return raw
    if is_foreign_metadata_value(raw):
        # kept as is; typed as MetadataValue for callers, it satisfies spec.MetadataValueLike
        return cast(MetadataValue, raw)
    if isinstance(raw, str):
        return TextMetadataValue(raw)
    if isinstance(raw, float):
        return FloatMetadataValue(raw)
    if isinstance(raw, bool):
        return BoolMetadataValue(raw)
    if isinstance(raw, int):
        return IntMetadataValue(raw)
    if isinstance(raw, (list, dict)):
        return JsonMetadataValue(raw)
    if isinstance(raw, os.PathLike):
        # isinstance cannot tell PathLike[str] from PathLike[bytes]; either is stored as fspath.
        return PathMetadataValue(cast("os.PathLike[str]", raw))
    if isinstance(raw, AssetKey):
        return DagsterAssetMetadataValue(raw)
    if isinstance(raw, TableSchema):
        return TableSchemaMetadataValue(raw)
    if raw is None:
        return NullMetadataValue()
    where = f" for key {key!r}" if key is not None else ""
    raise InvalidMetadataError(
        f"Could not resolve the metadata value{where} to a known type: its type is "
        f"{type(raw).__module__}.{type(raw).__qualname__}. {_WRAP_HINT} Raw values may be str, "
        "int, float, bool, None, list, dict, os.PathLike, AssetKey or TableSchema."
    )


def normalize_metadata(metadata: Mapping[str, object]) -> dict[str, MetadataValue]:
    """Normalize every value of ``metadata`` (see :func:`normalize_metadata_value`).

    All or nothing: returns a new dict, or raises ``InvalidMetadataError`` for the first key that
    is not a ``str`` or whose value cannot be normalized (naming that key), or when ``metadata``
    is not a mapping. The argument is never modified.
    """
    if not isinstance(metadata, Mapping):
        raise InvalidMetadataError(
            f"Metadata must be a mapping of str keys to values, got {type(metadata).__name__}. "
            'Pass a dict such as {"rows": 10}.'
        )
    normalized: dict[str, MetadataValue] = {}
    for key, raw in metadata.items():
        if not isinstance(key, str):
            raise InvalidMetadataError(
                f"Metadata keys must be str, got {key!r} of type {type(key).__name__}. "
                "Convert the key to a string."
            )
        normalized[key] = normalize_metadata_value(raw, key)
    return normalized
