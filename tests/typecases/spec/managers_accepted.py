"""Managers and contexts written against the spec type-check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from spec import InputContextLike, InputManager, IOManager, IOManagerFactory, OutputContextLike


class DictManager:
    def __init__(self) -> None:
        self.values: dict[tuple[str, ...], Any] = {}

    def handle_output(self, context: OutputContextLike, obj: Any) -> None:
        self.values[tuple(context.get_identifier())] = obj

    def load_input(self, context: InputContextLike) -> Any:
        return self.values[tuple(context.get_identifier())]


class WiderManager:
    """Wider parameter types than the protocol's are fine (contravariance)."""

    def handle_output(self, context: object, obj: object) -> None:
        pass

    def load_input(self, context: object) -> int:
        return 1


class LoaderOnly:
    def load_input(self, context: InputContextLike) -> str:
        return "x"


class Factory:
    def create_io_manager(self, context: Any) -> DictManager:
        return DictManager()


plain: IOManager = DictManager()
wider: IOManager = WiderManager()
kit_view: IOManager[Any, Any] = DictManager()
loader: InputManager = LoaderOnly()
loader_from_manager: InputManager = DictManager()
factory: IOManagerFactory = Factory()


@contextmanager
def scoped() -> Iterator[IOManager]:
    yield DictManager()
