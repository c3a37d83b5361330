"""``EnvVar``: a config value read from the environment when the manager is used, not when built.

``EnvVar("NAME")`` is a ``str`` subclass, so it type-checks wherever a ``str`` field is expected;
``EnvVar.int("NAME")`` is an ``int``-typed placeholder for ``int`` fields. Both are resolved by
:func:`resolve_env_value`, which raises ``MissingEnvVarError`` when the variable is unset.
"""

from __future__ import annotations

import builtins
import os

from reference_impl.errors import ConfigError, MissingEnvVarError

__all__ = ["EnvVar", "IntEnvVar", "resolve_env_value"]


class EnvVar(str):
    """The name of an environment variable whose value a ``str`` config field should hold."""

    __slots__ = ()

    @property
    def env_var_name(self) -> str:
        """The variable's name."""
        return builtins.str.__str__(self)

    @classmethod
    def int(cls, name: builtins.str) -> builtins.int:
        """A placeholder for an ``int`` field, read from variable ``name`` at use time."""
        return IntEnvVar.named(name)

    def get_value(self, default: builtins.str | None = None) -> builtins.str | None:
        """The variable's current value, or ``default`` when unset."""
        return os.environ.get(self.env_var_name, default)

    def __repr__(self) -> builtins.str:
        return f"EnvVar({self.env_var_name!r})"


class IntEnvVar(builtins.int):
    """An ``int``-typed placeholder naming an environment variable (see ``EnvVar.int``)."""

    name: builtins.str

    @classmethod
    def named(cls, name: builtins.str) -> IntEnvVar:
        placeholder = cls(0)
        placeholder.name = name
        return placeholder

    def __repr__(self) -> builtins.str:
        return f"EnvVar.int({self.name!r})"


def resolve_env_value(value: object, where: builtins.str) -> object:
    """Return ``value`` with an ``EnvVar``/``IntEnvVar`` replaced by its variable's value.

    ``where`` names the field in error messages (for example ``MyIOManager.base_dir``). Raises
    ``MissingEnvVarError`` when the variable is unset and ``ConfigError`` when an ``int``
    variable does not hold an integer. Other values are returned unchanged.
    """
    if isinstance(value, EnvVar):
        name = value.env_var_name
    elif isinstance(value, IntEnvVar):
        name = value.name
    else:
        return value
    raw = os.environ.get(name)
    if raw is None:
        raise MissingEnvVarError(
            f"{where}: environment variable {name!r} is not set. Set it before the IO manager "
            "is used, or pass the value directly."
        )
    if isinstance(value, EnvVar):
        return raw
    try:
        return builtins.int(raw)
    except ValueError:
        raise ConfigError(
            f"{where}: environment variable {name!r} holds {raw!r}, which is not an int. "
            "Fix the variable's value."
        ) from None
