"""``Config``: the base of structured-config classes, with fields declared as class annotations.

The base is marked ``dataclass_transform(kw_only_default=True, frozen_default=True)``, so mypy
checks constructor calls (missing, unknown or wrong-typed arguments) and forbids assigning a field.
At run time the constructor does the same checks and raises ``ConfigError``:

* unknown or missing fields are named;
* each value is checked exhaustively against its annotation (every list item, every mapping
  entry), naming the class, the field and the offending index;
* mutable defaults are copied per instance; ``field(default_factory=...)`` builds one per instance;
* ``EnvVar``/``EnvVar.int`` values are kept as given and resolved (and checked) at attribute
  access; an unset variable raises ``MissingEnvVarError`` naming the variable and the field.

Assigning a field raises ``FrozenConfigError``. Underscore-named annotations are fields like any
other (as for dataclasses and mypy); ``ClassVar`` annotations are not fields.
"""

from __future__ import annotations

import copy
import inspect
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Final, Self

from typing_extensions import dataclass_transform

from reference_impl.definitions.env_var import EnvVar, IntEnvVar, resolve_env_value
from reference_impl.definitions.value_check import check_value
from reference_impl.errors import ConfigError, FrozenConfigError, InvalidDefinitionError
from reference_impl.narrowing import is_mapping

__all__ = ["Config", "ConfigFieldInfo", "field"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


_MISSING: Final = _Missing()


@dataclass(frozen=True)
class ConfigFieldInfo:
    """One declared field: name, annotation, default or default factory, description."""

    name: str
    hint: object
    default: object = _MISSING
    default_factory: Callable[[], object] | None = None
    init: bool = True
    description: str | None = None

    @property
    def required(self) -> bool:
        return self.default is _MISSING and self.default_factory is None

    def make_default(self) -> object:
        if self.default_factory is not None:
            return self.default_factory()
        return copy.deepcopy(self.default)


def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | None = None,
    init: bool = True,
    description: str | None = None,
) -> Any:
    """Declare a field's default, a per-instance ``default_factory``, ``init=False``, or a
    description. Raises ``InvalidDefinitionError`` when both a default and a factory are given.
    """
    if default is not _MISSING and default_factory is not None:
        raise InvalidDefinitionError("field(): give default or default_factory, not both.")
    return _FieldSpec(default, default_factory, init, description)


@dataclass(frozen=True)
class _FieldSpec:
    default: object
    default_factory: Callable[[], object] | None
    init: bool
    description: str | None


class _FieldDescriptor:
    """Installed on the class for each field: resolves ``EnvVar`` on read, refuses writes."""

    def __init__(self, info: ConfigFieldInfo) -> None:
        self.info = info

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            if self.info.default is _MISSING:
                raise AttributeError(f"config field {self.info.name!r} has no class default")
            return self.info.default
        assert isinstance(instance, Config)
        # The descriptor is Config's own helper (set by _config_fields); the method stays
        # underscored because a public name would shadow a user's field of that name.
        return instance._resolved_value(self.info.name)  # pyright: ignore[reportPrivateUsage]

    def __set__(self, instance: object, value: object) -> None:
        raise FrozenConfigError(
            f"{type(instance).__name__}.{self.info.name}: config is frozen. Build a new "
            "instance (or use with_updated_values) instead of assigning."
        )


def _hint_name(hint: object) -> str:
    return hint.__name__ if isinstance(hint, type) else repr(hint)


def _is_class_var(hint: object) -> bool:
    return hint is ClassVar or typing.get_origin(hint) is ClassVar


def _spec_of(klass: type, name: str) -> _FieldSpec:
    raw = klass.__dict__.get(name, _MISSING)
    if isinstance(raw, _FieldDescriptor):
        info = raw.info
        return _FieldSpec(info.default, info.default_factory, info.init, info.description)
    if isinstance(raw, _FieldSpec):
        return raw
    return _FieldSpec(raw, None, True, None)


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(field,))
class Config:
    """Base of structured config: declare fields as annotations, build with keyword arguments."""

    __config_fields__: ClassVar[dict[str, ConfigFieldInfo]]

    def __init__(self, **config_values: Any) -> None:
        fields = type(self)._config_fields()
        where = type(self).__name__
        unknown = sorted(set(config_values) - {n for n, f in fields.items() if f.init})
        if unknown:
            raise ConfigError(
                f"{where}: unknown config field(s) {unknown}; the fields are "
                f"{sorted(n for n, f in fields.items() if f.init)}."
            )
        values: dict[str, object] = {}
        for name, info in fields.items():
            if info.init and name in config_values:
                values[name] = config_values[name]
            elif info.required:
                raise ConfigError(
                    f"{where}.{name}: missing required config field ({_hint_name(info.hint)}). "
                    f"Pass {name}=... to {where}(...)."
                )
            else:
                values[name] = info.make_default()
            if not isinstance(values[name], EnvVar | IntEnvVar):
                check_value(values[name], info.hint, f"{where}.{name}")
        object.__setattr__(self, "_config_values", values)

    def _values(self) -> dict[str, object]:
        return typing.cast(dict[str, object], self.__dict__["_config_values"])

    @classmethod
    def _config_fields(cls) -> dict[str, ConfigFieldInfo]:
        """The class's fields (inherited first), computed once, on first use, per class."""
        cached = cls.__dict__.get("__config_fields__")
        if cached is not None:
            return typing.cast(dict[str, ConfigFieldInfo], cached)
        try:
            hints = typing.get_type_hints(cls)
        except NameError as error:
            raise InvalidDefinitionError(
                f"{cls.__name__}: cannot resolve a field annotation ({error}). Define the types "
                "it uses at module level, before the class is first instantiated."
            ) from None
        fields: dict[str, ConfigFieldInfo] = {}
        for klass in reversed(cls.__mro__):
            if not issubclass(klass, Config) or klass is Config:
                continue
            for name in inspect.get_annotations(klass):
                if name.startswith("__") or _is_class_var(hints.get(name)):
                    continue
                spec = _spec_of(klass, name)
                fields[name] = ConfigFieldInfo(
                    name, hints[name], spec.default, spec.default_factory, spec.init,
                    spec.description,
                )
        for name, info in fields.items():
            setattr(cls, name, _FieldDescriptor(info))
        cls.__config_fields__ = fields
        return fields

    def _resolved_value(self, name: str) -> Any:
        raw = self._values()[name]
        if not isinstance(raw, EnvVar | IntEnvVar):
            return raw
        where = f"{type(self).__name__}.{name}"
        resolved = resolve_env_value(raw, where)
        check_value(resolved, type(self)._config_fields()[name].hint, where)
        return resolved

    @property
    def config_values(self) -> Mapping[str, object]:
        """The values as given (``EnvVar`` placeholders unresolved); a read-only view."""
        return dict(self._values())

    def with_updated_values(self, updates: Mapping[str, Any]) -> Self:
        """A new instance with ``updates`` applied (validated like the constructor).

        A ``{"env": "NAME"}`` value becomes an ``EnvVar`` (``EnvVar.int`` for ``int`` fields).
        Raises ``ConfigError`` for unknown fields or wrong types.
        """
        fields = type(self)._config_fields()
        merged = {n: v for n, v in self._values().items() if fields[n].init}
        for name, value in updates.items():
            merged[name] = _env_placeholder(value, fields.get(name))
        return type(self)(**merged)

    def with_resolved_env_vars(self) -> Self:
        """A copy with every ``EnvVar`` replaced by its value; raises ``MissingEnvVarError``."""
        if not any(isinstance(v, EnvVar | IntEnvVar) for v in self._values().values()):
            return self
        fields = type(self)._config_fields()
        resolved = {n: self._resolved_value(n) for n in self._values() if fields[n].init}
        return type(self)(**resolved)

    def __setattr__(self, name: str, value: object) -> None:
        if name in type(self)._config_fields():
            raise FrozenConfigError(
                f"{type(self).__name__}.{name}: config is frozen. Build a new instance (or use "
                "with_updated_values) instead of assigning."
            )
        object.__setattr__(self, name, value)

    def _iter_values(self) -> Iterator[tuple[str, object]]:
        return iter(self._values().items())

    def __repr__(self) -> str:
        body = ", ".join(f"{n}={v!r}" for n, v in self._iter_values())
        return f"{type(self).__name__}({body})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Config)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), tuple(self._values())))



def _env_placeholder(value: object, info: ConfigFieldInfo | None) -> object:
    if not (is_mapping(value) and set(value) == {"env"} and isinstance(value["env"], str)):
        return value
    if info is not None and info.hint is int:
        return EnvVar.int(value["env"])
    return EnvVar(value["env"])
