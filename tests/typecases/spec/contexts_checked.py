"""Hand-rolled contexts: right member types are accepted, wrong return types rejected."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from typing_extensions import Protocol

from spec import AssetKeyLike, PartitionKeyRangeLike


@dataclass(frozen=True)
class FrozenKey:
    path: Sequence[str]

    def to_user_string(self) -> str:
        return "/".join(self.path)


class ListKey:
    def __init__(self) -> None:
        self.path = ["a"]

    def to_user_string(self) -> str:
        return "a"


class IntPathKey:
    path: int = 1

    def to_user_string(self) -> str:
        return ""


class BytesUserString:
    path: Sequence[str] = ("a",)

    def to_user_string(self) -> bytes:
        return b""


@dataclass(frozen=True)
class Range:
    start: str
    end: str


@dataclass(frozen=True)
class IntRange:
    start: int
    end: int


class HasIdentifier(Protocol):
    def get_identifier(self) -> Sequence[str]: ...


class ListIdentifier:
    def get_identifier(self) -> list[str]:
        return []


class IntIdentifier:
    def get_identifier(self) -> list[int]:
        return []


k1: AssetKeyLike = FrozenKey(("a",))
k2: AssetKeyLike = ListKey()
k3: AssetKeyLike = IntPathKey()  # E: [assignment]
k4: AssetKeyLike = BytesUserString()  # E: [assignment]
r1: PartitionKeyRangeLike = Range("a", "b")
r2: PartitionKeyRangeLike = IntRange(1, 2)  # E: [assignment]
i1: HasIdentifier = ListIdentifier()
i2: HasIdentifier = IntIdentifier()  # E: [assignment]
