"""IOManagerDefinition, @io_manager, hardcoded_io_manager, .configured, @input_manager."""

from __future__ import annotations

from typing import Any

import pytest

from reference_impl.definitions import (
    Field,
    InitResourceContext,
    InputManager,
    InputManagerDefinition,
    IOManager,
    IOManagerDefinition,
    build_init_resource_context,
    initialize_input_manager,
    initialize_io_manager,
    input_manager,
    io_manager,
)
from reference_impl.errors import ConfigError, InvalidDefinitionError
from spec.managers import InitContextLike


class DictIOManager(IOManager):
    def __init__(self, label: str = "") -> None:
        self.label = label
        self.stored: dict[str, Any] = {}

    def handle_output(self, context: Any, obj: Any) -> None:
        self.stored["value"] = obj

    def load_input(self, context: Any) -> Any:
        return self.stored["value"]


def test_bare_decorator_with_context_and_with_no_arguments() -> None:
    seen: list[object] = []

    @io_manager
    def with_context(init_context: InitResourceContext) -> DictIOManager:
        """Docs become the description."""
        seen.append(init_context)
        return DictIOManager()

    @io_manager
    def no_args() -> DictIOManager:
        return DictIOManager("zero")

    assert isinstance(with_context, IOManagerDefinition)
    assert with_context.description == "Docs become the description."
    assert isinstance(initialize_io_manager(with_context), DictIOManager)
    assert isinstance(seen[0], InitContextLike)
    manager = initialize_io_manager(no_args)
    assert isinstance(manager, DictIOManager) and manager.label == "zero"


def test_decorator_with_arguments_keeps_them() -> None:
    @io_manager(
        config_schema={"base_dir": str},
        description="d",
        output_config_schema={"suffix": str},
        input_config_schema={"path": str},
        required_resource_keys={"db"},
        version="1",
    )
    def configured_manager(init_context: InitResourceContext) -> DictIOManager:
        assert init_context.resources.db == "conn"
        return DictIOManager(init_context.resource_config["base_dir"])

    assert configured_manager.description == "d"
    assert configured_manager.output_config_schema == {"suffix": str}
    assert configured_manager.input_config_schema == {"path": str}
    assert configured_manager.required_resource_keys == frozenset({"db"})
    assert configured_manager.version == "1"
    manager = initialize_io_manager(
        configured_manager, config={"base_dir": "/b"}, resources={"db": "conn"}
    )
    assert isinstance(manager, DictIOManager) and manager.label == "/b"
    with pytest.raises(InvalidDefinitionError, match=r"requires resources \['db'\]"):
        initialize_io_manager(configured_manager, config={"base_dir": "/b"})


def test_schemas_default_to_any_input_and_no_output_config() -> None:
    definition = IOManagerDefinition(lambda _: DictIOManager())
    assert definition.output_config_schema is None
    assert definition.input_config_schema is None
    assert definition.config_schema is None
    assert definition.required_resource_keys == frozenset()


def test_config_is_validated_before_the_resource_function_runs() -> None:
    """IOM-DEF-003: bad config never reaches the resource function."""
    calls: list[object] = []

    @io_manager(config_schema={"base_dir": str})
    def manager(init_context: InitResourceContext) -> DictIOManager:
        calls.append(init_context)
        return DictIOManager()

    with pytest.raises(ConfigError, match=r"config\.base_dir: expected str, got int 3"):
        initialize_io_manager(manager, config={"base_dir": 3})
    assert calls == []


def test_hardcoded_io_manager_returns_the_same_instance() -> None:
    instance = DictIOManager()
    definition = IOManagerDefinition.hardcoded_io_manager(instance, description="fixed")
    assert definition.description == "fixed"
    assert initialize_io_manager(definition) is instance
    assert initialize_io_manager(definition, config={"anything": 1}) is instance
    with pytest.raises(InvalidDefinitionError, match="needs an IOManager instance, got dict"):
        IOManagerDefinition.hardcoded_io_manager({})  # type: ignore[arg-type]


def test_configured_with_fixed_config_validates_now_and_drops_version() -> None:
    @io_manager(config_schema={"base_dir": str, "n": Field(int, default_value=5)}, version="v1")
    def manager(init_context: InitResourceContext) -> DictIOManager:
        config = init_context.resource_config
        return DictIOManager(f"{config['base_dir']}:{config['n']}")

    fixed = manager.configured({"base_dir": "/fixed"}, description="pinned")
    assert fixed.version is None and manager.version == "v1"
    assert fixed.description == "pinned"
    built = initialize_io_manager(fixed)
    assert isinstance(built, DictIOManager) and built.label == "/fixed:5"
    with pytest.raises(ConfigError, match="unknown config field"):
        initialize_io_manager(fixed, config={"base_dir": "/other"})
    with pytest.raises(ConfigError, match=r"config\.base_dir: expected str"):
        manager.configured({"base_dir": 1})


def test_configured_with_a_function_maps_outer_to_inner_config() -> None:
    @io_manager(config_schema={"base_dir": str})
    def manager(init_context: InitResourceContext) -> DictIOManager:
        return DictIOManager(init_context.resource_config["base_dir"])

    derived = manager.configured(lambda c: {"base_dir": c["root"] + "/x"}, {"root": str})
    built = initialize_io_manager(derived, config={"root": "/r"})
    assert isinstance(built, DictIOManager) and built.label == "/r/x"
    with pytest.raises(ConfigError, match=r"config\.root: missing required"):
        initialize_io_manager(derived, config={})
    bad_mapping = manager.configured(lambda c: {"base_dir": 5})
    with pytest.raises(ConfigError, match=r"config\.base_dir: expected str, got int 5"):
        initialize_io_manager(bad_mapping)


def test_bad_resource_functions_are_definition_errors() -> None:
    with pytest.raises(InvalidDefinitionError, match="must be callable"):
        IOManagerDefinition(3)  # type: ignore[arg-type]
    with pytest.raises(InvalidDefinitionError, match="takes 2 required arguments"):
        io_manager(lambda a, b: None)
    with pytest.raises(InvalidDefinitionError, match="not one str"):
        IOManagerDefinition(lambda _: None, required_resource_keys="db")


def test_input_manager_bare_calls_the_load_function_with_the_input_context() -> None:
    contexts: list[object] = []

    @input_manager
    def loader(context: object) -> str:
        contexts.append(context)
        return "loaded"

    @input_manager
    def zero_arg_loader() -> int:
        return 42

    assert isinstance(loader, InputManagerDefinition)
    marker = object()
    assert initialize_input_manager(loader).load_input(marker) == "loaded"
    assert contexts == [marker]
    assert initialize_input_manager(zero_arg_loader).load_input(marker) == 42


def test_input_manager_delegates_to_a_returned_input_manager() -> None:
    class Fixed(InputManager):
        def load_input(self, context: Any) -> Any:
            return ("from inner", context)

    @input_manager(config_schema={"base_dir": str}, input_config_schema={"path": str},
                   required_resource_keys={"r"}, version="2", description="csv")
    def loader(context: object) -> Fixed:
        return Fixed()

    assert loader.input_config_schema == {"path": str}
    assert loader.version == "2" and loader.description == "csv"
    assert loader.configured({"base_dir": "/b"}).version is None
    manager = initialize_input_manager(loader, config={"base_dir": "/b"}, resources={"r": 1})
    assert manager.load_input("ctx") == ("from inner", "ctx")
    with pytest.raises(ConfigError, match=r"config\.base_dir"):
        initialize_input_manager(loader, config={}, resources={"r": 1})


def test_init_resource_context() -> None:
    context = build_init_resource_context(config={"a": 1}, resources={"db": "conn"})
    assert isinstance(context, InitContextLike)
    assert context.resource_config == {"a": 1}
    assert context.resources.db == "conn" and context.resources["db"] == "conn"
    assert dict(context.resources) == {"db": "conn"}
    assert context.instance is None
    assert hasattr(context.log, "info")
    with context as entered:
        assert entered is context
    with pytest.raises(AttributeError, match=r"no resource 'nope'; available: \['db'\]"):
        _ = context.resources.nope
    with pytest.raises(AttributeError, match="read-only"):
        context.resources.db = "x"
