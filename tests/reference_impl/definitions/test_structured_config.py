"""ConfigurableIOManager / ConfigurableIOManagerFactory / EnvVar at run time."""

from __future__ import annotations

from typing import Any, List  # noqa: UP035 - the seed's spelling must work

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference_impl.definitions import (
    ConfigurableIOManager,
    ConfigurableIOManagerFactory,
    EnvVar,
    IOManager,
    IOManagerDefinition,
    field,
    initialize_io_manager,
    open_io_manager,
)
from reference_impl.errors import ConfigError, FrozenConfigError, MissingEnvVarError


class MyIOManager(ConfigurableIOManager):
    """The seed's example: a path prefix list."""

    path_prefix: List[str]  # noqa: UP006

    def _get_path(self, context: Any) -> str:
        return "/".join([*self.path_prefix, *context])

    def handle_output(self, context: Any, obj: Any) -> None:
        self.__dict__.setdefault("written", {})[self._get_path(context)] = obj

    def load_input(self, context: Any) -> Any:
        return self.__dict__["written"][self._get_path(context)]


class ExternalIOManager(IOManager):
    def __init__(self, connection: tuple[str, str]) -> None:
        self.connection = connection

    def handle_output(self, context: Any, obj: Any) -> None:
        pass

    def load_input(self, context: Any) -> Any:
        return self.connection


class ConfigurableExternalIOManager(ConfigurableIOManagerFactory):
    """The seed's factory example: credentials, the password from the environment."""

    username: str
    password: str

    def create_io_manager(self, context: Any) -> ExternalIOManager:
        return ExternalIOManager((self.username, self.password))


class Defaults(ConfigurableIOManager):
    name: str = "n"
    items: list[str] = field(default_factory=list)
    shared_looking: list[int] = [1]  # a plain mutable default: copied
    nested: dict[str, list[int]] = field(default_factory=dict)
    retries: int = 3

    def handle_output(self, context: Any, obj: Any) -> None:
        pass

    def load_input(self, context: Any) -> Any:
        return None


def test_seed_configurable_io_manager_example() -> None:
    manager = MyIOManager(path_prefix=["my", "prefix"])
    assert isinstance(manager.get_resource_definition(), IOManagerDefinition)
    built = initialize_io_manager(manager)
    built.handle_output(("a",), 1)
    assert built.load_input(("a",)) == 1
    assert "my/prefix/a" in built.__dict__["written"]


def test_seed_factory_example_resolves_env_var_at_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IOM_DB_PASSWORD", raising=False)
    factory = ConfigurableExternalIOManager(username="dagster", password=EnvVar("IOM_DB_PASSWORD"))
    assert repr(factory) == (
        "ConfigurableExternalIOManager(username='dagster', password=EnvVar('IOM_DB_PASSWORD'))"
    )
    with pytest.raises(MissingEnvVarError, match=r"password: environment variable 'IOM_DB_PASS"):
        initialize_io_manager(factory)
    monkeypatch.setenv("IOM_DB_PASSWORD", "secret")
    assert initialize_io_manager(factory).load_input(None) == ("dagster", "secret")
    assert factory.password == "secret"


def test_env_var_int_and_resolved_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOM_RETRIES", "7")
    monkeypatch.setenv("IOM_NAME", "from-env")
    manager = Defaults(name=EnvVar("IOM_NAME"), retries=EnvVar.int("IOM_RETRIES"))
    assert manager.retries == 7 and manager.name == "from-env"
    resolved = manager.create_io_manager(None)
    assert resolved.config_values["name"] == "from-env" and resolved.config_values["retries"] == 7
    monkeypatch.setenv("IOM_RETRIES", "seven")
    with pytest.raises(ConfigError, match=r"Defaults\.retries: environment variable 'IOM_RETRIES'"):
        _ = manager.retries
    assert isinstance(EnvVar("X"), str) and EnvVar("X").env_var_name == "X"


def test_constructor_errors_name_class_and_field() -> None:
    with pytest.raises(ConfigError, match=r"MyIOManager\.path_prefix: missing required"):
        MyIOManager()  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match=r"unknown config field\(s\) \['nope'\]"):
        MyIOManager(path_prefix=[], nope=1)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match=r"Defaults\.retries: str 'x' is not int"):
        Defaults(retries="x")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"Defaults\.nested\['k'\]\[1\]: str 'b' is not int"):
        Defaults(nested={"k": [1, "b"]})  # type: ignore[list-item]


@given(items=st.lists(st.text(max_size=3), min_size=1, max_size=50), data=st.data())
def test_every_list_item_is_checked(items: list[str], data: st.DataObject) -> None:
    """A single wrong item anywhere in a list field is rejected, and its index is named
    (beartype alone samples one item; the walker must look at all of them)."""
    index = data.draw(st.integers(0, len(items) - 1))
    bad: list[Any] = list(items)
    bad[index] = 3
    with pytest.raises(ConfigError, match=rf"MyIOManager\.path_prefix\[{index}\]: int 3"):
        MyIOManager(path_prefix=bad)
    assert MyIOManager(path_prefix=items).path_prefix == items


def test_defaults_are_never_shared_between_instances() -> None:
    first, second = Defaults(), Defaults()
    assert first.items == [] and first.items is not second.items
    assert first.shared_looking == [1] and first.shared_looking is not second.shared_looking
    assert Defaults.retries == 3


def test_fields_are_frozen_but_equal_by_value() -> None:
    manager = Defaults(name="a")
    with pytest.raises(FrozenConfigError, match=r"Defaults\.name: config is frozen"):
        manager.name = "b"  # type: ignore[misc]
    assert manager == Defaults(name="a") and hash(manager) == hash(Defaults(name="a"))
    assert manager != Defaults(name="b")
    updated = manager.with_updated_values({"name": "b"})
    assert updated.name == "b" and manager.name == "a"


def test_resource_definition_applies_config_over_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    """IOM-DEF-003: config given at initialisation is validated like constructor arguments."""
    monkeypatch.setenv("IOM_PREFIX_NAME", "env-name")
    base = Defaults(name="base")
    retried = initialize_io_manager(base, config={"retries": 9})
    assert isinstance(retried, Defaults) and retried.retries == 9
    from_env = initialize_io_manager(base, config={"name": {"env": "IOM_PREFIX_NAME"}})
    assert isinstance(from_env, Defaults) and from_env.name == "env-name"
    with pytest.raises(ConfigError, match=r"Defaults\.retries: str 'many' is not int"):
        initialize_io_manager(base, config={"retries": "many"})
    with pytest.raises(ConfigError, match=r"unknown config field\(s\) \['oops'\]"):
        initialize_io_manager(base, config={"oops": 1})
    assert base.get_resource_definition() is base.get_resource_definition()
    assert Defaults.input_config_schema() is None and Defaults.output_config_schema() is None


def test_teardown_hooks_run_through_open_io_manager() -> None:
    events: list[str] = []

    class WithTeardown(ConfigurableIOManagerFactory):
        label: str

        def setup_for_execution(self, context: Any) -> None:
            events.append(f"setup {self.label}")

        def teardown_after_execution(self, context: Any) -> None:
            events.append(f"teardown {self.label}")

        def create_io_manager(self, context: Any) -> ExternalIOManager:
            return ExternalIOManager((self.label, ""))

    with open_io_manager(WithTeardown(label="a"), config={"label": "b"}) as manager:
        assert manager.load_input(None) == ("b", "")
        assert events == ["setup b"]
    assert events == ["setup b", "teardown b"]
