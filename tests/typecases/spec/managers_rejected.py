"""Managers that break the spec are rejected with the expected mypy error."""

from __future__ import annotations

from typing import Any

from spec import InputContextLike, IOManager, IOManagerFactory, OutputContextLike


class MissingLoad:
    def handle_output(self, context: OutputContextLike, obj: Any) -> None:
        pass


class NoObjParameter:
    def handle_output(self, context: OutputContextLike) -> None:
        pass

    def load_input(self, context: InputContextLike) -> Any:
        return None


class NarrowContext:
    """Accepts only a subtype of the spec context: not a spec manager."""

    def handle_output(self, context: bool, obj: Any) -> None:
        pass

    def load_input(self, context: InputContextLike) -> Any:
        return None


class SwappedContexts:
    def handle_output(self, context: InputContextLike, obj: Any) -> None:
        pass

    def load_input(self, context: OutputContextLike) -> Any:
        return None


class FactoryReturningInt:
    def create_io_manager(self, context: Any) -> int:
        return 1


a: IOManager = MissingLoad()  # E: [assignment]
b: IOManager = NoObjParameter()  # E: [assignment]
c: IOManager = NarrowContext()  # E: [assignment]
d: IOManager = SwappedContexts()  # E: [assignment]
e: IOManagerFactory = FactoryReturningInt()  # E: [assignment]
