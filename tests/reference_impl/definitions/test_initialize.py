"""initialize_io_manager / open_io_manager: protocol checks, teardown, foreign factories."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from reference_impl.definitions import (
    InitResourceContext,
    IOManager,
    explain_protocol_mismatch,
    initialize_io_manager,
    io_manager,
    open_io_manager,
)
from reference_impl.errors import InvalidDefinitionError, NotAManagerError
from spec.managers import IOManager as IOManagerProtocol


class Recording(IOManager):
    def handle_output(self, context: Any, obj: Any) -> None:
        pass

    def load_input(self, context: Any) -> Any:
        return None


class MissingLoad:
    def handle_output(self, context: Any, obj: Any) -> None:
        pass


class WrongArity:
    def handle_output(self, context: Any) -> None:
        pass

    load_input = None


def test_explain_protocol_mismatch_names_each_problem() -> None:
    """IOM-DEF-001: missing, non-callable and wrongly-shaped members are each named."""
    assert explain_protocol_mismatch(Recording(), IOManagerProtocol) == []
    assert explain_protocol_mismatch(MissingLoad(), IOManagerProtocol) == [
        "MissingLoad is missing `load_input` required by IOManager"
    ]
    problems = explain_protocol_mismatch(WrongArity(), IOManagerProtocol)
    assert len(problems) == 2
    assert problems[0].startswith("`handle_output(context")
    assert "cannot be called with 2 argument(s)" in problems[0]
    assert "`load_input` must be a method" in problems[1]


@pytest.mark.parametrize("result", [5, MissingLoad(), WrongArity()])
def test_a_resource_returning_a_non_manager_is_refused(result: object) -> None:
    """IOM-DEF-001: the initialised object must be a manager; the error names what is missing."""
    definition = io_manager(lambda: result)
    with pytest.raises(NotAManagerError, match=r"not an IOManager: .*load_input"):
        initialize_io_manager(definition)


def test_generator_resources_are_torn_down_on_exit_even_after_errors() -> None:
    events: list[str] = []

    @io_manager
    def with_teardown(init_context: InitResourceContext) -> Iterator[Recording]:
        events.append("setup")
        try:
            yield Recording()
        finally:
            events.append("teardown")

    with open_io_manager(with_teardown) as manager:
        assert isinstance(manager, Recording)
        assert events == ["setup"]
    assert events == ["setup", "teardown"]
    with pytest.raises(RuntimeError, match="boom"), open_io_manager(with_teardown):
        raise RuntimeError("boom")
    assert events == ["setup", "teardown", "setup", "teardown"]


def test_initialize_refuses_to_leak_a_teardown_and_runs_it() -> None:
    events: list[str] = []

    @io_manager
    def with_teardown() -> Iterator[Recording]:
        yield Recording()
        events.append("teardown")

    with pytest.raises(InvalidDefinitionError, match="use `with open_io_manager"):
        initialize_io_manager(with_teardown)
    assert events == ["teardown"]


def test_context_manager_resources_are_entered_and_exited() -> None:
    events: list[str] = []

    @contextmanager
    def session() -> Iterator[Recording]:
        events.append("enter")
        yield Recording()
        events.append("exit")

    definition = io_manager(lambda: session())
    with open_io_manager(definition) as manager:
        assert isinstance(manager, Recording)
    assert events == ["enter", "exit"]


def test_foreign_factories_and_non_sources() -> None:
    """IOM-DEF-002: any object with create_io_manager(context) is a factory."""

    class Factory:
        def create_io_manager(self, context: Any) -> Any:
            assert context.resource_config == {"k": 1}
            return Recording()

    class BadFactory:
        def create_io_manager(self, context: Any) -> Any:
            return "not a manager"

    assert isinstance(initialize_io_manager(Factory(), config={"k": 1}), Recording)
    with pytest.raises(NotAManagerError, match="str is missing `handle_output`"):
        initialize_io_manager(BadFactory())
    with pytest.raises(InvalidDefinitionError, match="neither a manager definition nor a factory"):
        initialize_io_manager(object())
