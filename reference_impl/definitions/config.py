"""A small config-schema language, compatible with the schemas Dagster users write for IO managers.

A *schema* is what users pass as ``config_schema``; :func:`resolve_schema` turns it into a
:class:`ConfigType`, whose :meth:`ConfigType.validate` checks a value and returns it with defaults
applied and environment variables resolved. Accepted schemas:

* ``None`` or ``typing.Any``: any value;
* ``str``, ``int``, ``float``, ``bool``: scalars (``bool`` is not an ``int``; an ``int`` is accepted
  for ``float`` and converted);
* ``dict`` (any mapping), ``list`` (any list), ``list[T]``, ``[T]`` and ``Array(T)``: containers;
  ``dict[str, T]``: a mapping with string keys;
* ``{"name": schema_or_Field, ...}``: a shape; unknown keys are rejected, missing required keys
  are named, defaults are applied;
* ``Field(schema, is_required=..., default_value=..., description=...)``, ``Noneable(schema)``;
* ``StringSource`` / ``IntSource`` / ``BoolSource``: a scalar or ``{"env": "NAME"}``.

Every validation failure raises :class:`~reference_impl.errors.ConfigError` naming the path of the
value (``config.base_dir``, ``config.items[1]``), what was expected and what was received. A
malformed schema raises :class:`~reference_impl.errors.InvalidDefinitionError`.
"""

from __future__ import annotations

import os
import typing
from collections.abc import Mapping
from typing import Any, Final, cast

from reference_impl.errors import ConfigError, InvalidDefinitionError, MissingEnvVarError
from reference_impl.narrowing import is_list, is_list_or_tuple, is_mapping

__all__ = [
    "Array",
    "BoolSource",
    "ConfigType",
    "Field",
    "IntSource",
    "Noneable",
    "Permissive",
    "Shape",
    "StringSource",
    "resolve_schema",
    "validate_config",
]


class _NoDefault:
    """Marker type of :data:`NO_DEFAULT`."""

    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Final = _NoDefault()


def _describe(value: object) -> str:
    return f"{type(value).__name__} {value!r}"


class ConfigType:
    """A resolved schema node. Subclasses implement :meth:`validate`."""

    #: Whether a field of this type must be given when it has no default.
    requires_value: bool = True

    def validate(self, value: object, path: str) -> Any:
        """Return ``value`` checked and normalised; raise ``ConfigError`` naming ``path``."""
        raise NotImplementedError

    def describe(self) -> str:
        """A short human name for error messages."""
        return type(self).__name__

    def _fail(self, value: object, path: str) -> ConfigError:
        return ConfigError(
            f"{path}: expected {self.describe()}, got {_describe(value)}. "
            "Fix this value in the config."
        )


class AnyType(ConfigType):
    """Accepts every value unchanged."""

    requires_value = False

    def validate(self, value: object, path: str) -> Any:
        return value

    def describe(self) -> str:
        return "any value"


class Scalar(ConfigType):
    """``str``, ``int``, ``float`` or ``bool``; ``bool`` never passes as a number."""

    def __init__(self, python_type: type) -> None:
        self.python_type = python_type

    def validate(self, value: object, path: str) -> Any:
        if self.python_type is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, bool) and self.python_type is not bool:
            raise self._fail(value, path)
        if value is None:
            raise ConfigError(
                f"{path}: expected {self.describe()}, got None. Give a value, or declare the "
                "field Noneable(...) if None is meaningful."
            )
        if not isinstance(value, self.python_type):
            raise self._fail(value, path)
        return value

    def describe(self) -> str:
        return self.python_type.__name__


class Source(Scalar):
    """A scalar that may also be given as ``{"env": "NAME"}``, read from the environment."""

    def validate(self, value: object, path: str) -> Any:
        if not is_mapping(value):
            return super().validate(value, path)
        if set(value) != {"env"} or not isinstance(value["env"], str):
            raise ConfigError(
                f"{path}: expected {self.describe()} or {{'env': 'VARIABLE_NAME'}}, "
                f"got {_describe(value)}."
            )
        name = value["env"]
        raw = os.environ.get(name)
        if raw is None:
            raise MissingEnvVarError(
                f"{path}: environment variable {name!r} is not set. Set it, or give the value "
                "directly in the config."
            )
        return self._coerce_env(raw, name, path)

    def _coerce_env(self, raw: str, name: str, path: str) -> Any:
        if self.python_type is str:
            return raw
        if self.python_type is int:
            try:
                return int(raw)
            except ValueError:
                pass
        if self.python_type is bool and raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        raise ConfigError(
            f"{path}: environment variable {name!r} holds {raw!r}, which is not a "
            f"{self.describe()}. Fix the variable's value."
        )

    def describe(self) -> str:
        return f"{self.python_type.__name__} (or env)"


StringSource: Final = Source(str)
IntSource: Final = Source(int)
BoolSource: Final = Source(bool)


class Noneable(ConfigType):
    """``None`` or a value of the inner schema; a ``Noneable`` field defaults to ``None``."""

    requires_value = False

    def __init__(self, inner: object) -> None:
        self.inner = resolve_schema(inner)

    def validate(self, value: object, path: str) -> Any:
        return None if value is None else self.inner.validate(value, path)

    def describe(self) -> str:
        return f"{self.inner.describe()} or None"


class Array(ConfigType):
    """A list whose every item matches the inner schema."""

    def __init__(self, inner: object = None) -> None:
        self.inner = resolve_schema(inner)

    def validate(self, value: object, path: str) -> Any:
        if not is_list_or_tuple(value):
            raise self._fail(value, path)
        return [self.inner.validate(item, f"{path}[{i}]") for i, item in enumerate(value)]

    def describe(self) -> str:
        return f"list of {self.inner.describe()}"


class StrMap(ConfigType):
    """A mapping with ``str`` keys whose every value matches the inner schema."""

    def __init__(self, inner: object = None) -> None:
        self.inner = resolve_schema(inner)

    def validate(self, value: object, path: str) -> Any:
        if not is_mapping(value):
            raise self._fail(value, path)
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ConfigError(f"{path}: keys must be str, got {_describe(key)}.")
            result[key] = self.inner.validate(item, f"{path}[{key!r}]")
        return result

    def describe(self) -> str:
        return f"dict of str to {self.inner.describe()}"


class Field:
    """A shape entry: its schema, whether it is required, its default and a description.

    ``is_required`` defaults to ``False`` when a default is given or the schema needs no value
    (``Noneable``, ``Any``, a shape of optional fields), else ``True``. A required field with a
    default is a contradiction and raises ``InvalidDefinitionError``; so does a default that does
    not match the schema.
    """

    def __init__(
        self,
        config: object = None,
        default_value: object = NO_DEFAULT,
        is_required: bool | None = None,
        description: str | None = None,
    ) -> None:
        self.config_type = resolve_schema(config)
        self.description = description
        if is_required and default_value is not NO_DEFAULT:
            raise InvalidDefinitionError(
                "Field(...): a required field cannot have a default_value; drop one of them."
            )
        if default_value is not NO_DEFAULT:
            try:
                default_value = self.config_type.validate(default_value, "default_value")
            except ConfigError as error:
                raise InvalidDefinitionError(f"Field(...) has a bad default: {error}") from None
        elif is_required is False or (is_required is None and not self.config_type.requires_value):
            default_value = self._implicit_default()
        self.default_value = default_value
        self.is_required = bool(is_required) if is_required is not None else (
            default_value is NO_DEFAULT and self.config_type.requires_value
        )

    def _implicit_default(self) -> object:
        if isinstance(self.config_type, Noneable):
            return None
        if isinstance(self.config_type, Shape):
            return self.config_type.validate({}, "default_value")
        return NO_DEFAULT


class Shape(ConfigType):
    """A mapping with named fields: unknown keys rejected, required keys enforced, defaults set."""

    def __init__(self, fields: Mapping[str, object], permissive: bool = False) -> None:
        self.fields = {name: _as_field(name, schema) for name, schema in fields.items()}
        self.permissive = permissive
        self.requires_value = any(f.is_required for f in self.fields.values())

    def validate(self, value: object, path: str) -> Any:
        if not is_mapping(value):
            raise self._fail(value, path)
        unknown = sorted(str(k) for k in value if k not in self.fields)
        if unknown and not self.permissive:
            raise ConfigError(
                f"{path}: unknown config field(s) {unknown}; expected only "
                f"{sorted(self.fields)}. Remove or rename them."
            )
        result: dict[object, Any] = dict(value) if self.permissive else {}
        for name, field in self.fields.items():
            if name in value:
                result[name] = field.config_type.validate(value[name], f"{path}.{name}")
            elif field.default_value is not NO_DEFAULT:
                result[name] = field.default_value
            elif field.is_required:
                raise ConfigError(
                    f"{path}.{name}: missing required config field (expected "
                    f"{field.config_type.describe()}). Add it to the config."
                )
        return result

    def describe(self) -> str:
        inner = ", ".join(f"{n}: {f.config_type.describe()}" for n, f in self.fields.items())
        return "{" + inner + "}"


class Permissive(Shape):
    """A shape that also accepts (and keeps) keys it does not declare."""

    def __init__(self, fields: Mapping[str, object] | None = None) -> None:
        super().__init__(fields or {}, permissive=True)


def _as_field(name: object, schema: object) -> Field:
    if not isinstance(name, str):
        raise InvalidDefinitionError(f"config schema keys must be str, got {_describe(name)}.")
    return schema if isinstance(schema, Field) else Field(schema)


_SCALARS: Final[Mapping[object, ConfigType]] = {
    str: Scalar(str),
    int: Scalar(int),
    float: Scalar(float),
    bool: Scalar(bool),
}


def resolve_schema(schema: object) -> ConfigType:
    """Turn a user-facing schema into a :class:`ConfigType`.

    Raises ``InvalidDefinitionError`` for anything that is not a schema (for example a set, or an
    arbitrary class), naming what was given.
    """
    if schema is None or schema is Any:
        return AnyType()
    if isinstance(schema, ConfigType):
        return schema
    if isinstance(schema, Field):
        raise InvalidDefinitionError(
            "Field(...) is only allowed as a value inside a dict schema, e.g. {'x': Field(int)}."
        )
    scalar = _SCALARS.get(schema) if isinstance(schema, type) else None
    if scalar is not None:
        return scalar
    if schema is dict:
        return Permissive()
    if schema is list:
        return Array()
    if is_mapping(schema):
        return Shape(cast("Mapping[str, object]", schema))  # Shape checks that keys are str
    if is_list(schema) and len(schema) == 1:
        return Array(schema[0])
    origin, args = typing.get_origin(schema), typing.get_args(schema)
    if origin is list and len(args) == 1:
        return Array(args[0])
    if origin is dict and len(args) == 2 and args[0] is str:
        return StrMap(args[1])
    raise InvalidDefinitionError(
        f"{schema!r} is not a config schema. Use None/Any, str, int, float, bool, dict, list, "
        "list[T], dict[str, T], [T], a dict of fields, Field, Noneable, Array or StringSource."
    )


def validate_config(config_type: ConfigType, value: object, path: str = "config") -> Any:
    """Validate ``value`` against ``config_type`` (IOM-DEF-003) and return it with defaults applied.

    ``None`` stands for "no config given": it is accepted for schemas that need no value (``Any``,
    a shape whose fields are all optional, which then gets its defaults). Raises ``ConfigError``
    (``MissingEnvVarError`` for an unset ``{"env": ...}`` variable) naming the failing path.
    """
    if value is None and isinstance(config_type, Shape):
        value = {}  # no config given: defaults apply, missing required fields are named
    return config_type.validate(value, path)
