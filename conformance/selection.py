"""Which requirements a run judges: ruff-style ``select``/``ignore`` ID prefixes with reasons.

A requirement is judged when the most specific (longest) prefix matching its ID is a selected
one; an ignore wins a tie. With no ``select`` every requirement is selected (as if by ``""``).
So ``select=["IOM-STORE"], ignore={"IOM-STORE-007": ...}`` judges the storage chapter but
IOM-STORE-007, and ``select=["IOM-STORE-007"], ignore={"IOM-STORE": ...}`` judges IOM-STORE-007
alone. An ignored requirement is not run, and every report names it with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from spec.requirements import Requirement, iter_requirements

__all__ = ["Selection", "SelectionError", "as_selection", "validate_prefix"]


class SelectionError(ValueError):
    """A select or ignore prefix that names no requirement, or an ignore without a reason."""


def validate_prefix(prefix: str, origin: str) -> str:
    """``prefix`` when some requirement ID starts with it, else :class:`SelectionError` naming
    ``origin`` (e.g. ``"--select"`` or ``"[tool.iomanager-conformance] ignore"``)."""
    if not prefix or next(iter_requirements(prefix), None) is None:
        raise SelectionError(
            f"{origin}: {prefix!r} matches no requirement; IDs look like 'IOM-STORE-001' and "
            "prefixes like 'IOM-STORE' or 'IOM-PART-00' (python -m conformance check "
            "--list-checks lists them)"
        )
    return prefix


@dataclass(frozen=True)
class Selection:
    """Selected prefixes (empty: all) and ignored prefixes, each with the reason it is ignored."""

    select: tuple[str, ...] = ()
    ignore: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def build(
        cls, select: Iterable[str] = (), ignore: Mapping[str, object] | None = None,
        *, origin: str = "selection",
    ) -> Selection:
        """A validated selection: every prefix names a requirement, every reason is text (a
        reason is checked at run time: tables and flags give untyped values)."""
        chosen = tuple(dict.fromkeys(validate_prefix(p, f"{origin} select") for p in select))
        ignored: dict[str, str] = {}
        for prefix, reason in (ignore or {}).items():
            validate_prefix(prefix, f"{origin} ignore")
            if not isinstance(reason, str) or not reason.strip():
                raise SelectionError(
                    f"{origin} ignore {prefix!r}: give the reason it is ignored (a non-empty "
                    "string), so the report can say why"
                )
            ignored[prefix] = reason.strip()
        return cls(chosen, MappingProxyType(ignored))

    def _decisive(self, requirement_id: str) -> tuple[int, bool]:
        """(length, selected) of the longest prefix matching ``requirement_id``."""
        best = (0, True) if not self.select else (-1, False)
        for prefix in self.select:
            if requirement_id.startswith(prefix) and len(prefix) > best[0]:
                best = (len(prefix), True)
        for prefix in self.ignore:
            if requirement_id.startswith(prefix) and len(prefix) >= best[0]:
                best = (len(prefix), False)
        return best

    def selects(self, requirement_id: str) -> bool:
        """Whether the run judges ``requirement_id``."""
        return self._decisive(requirement_id)[1]

    def ignore_reason(self, requirement_id: str) -> str | None:
        """The reason ``requirement_id`` is ignored, when an ignore is what leaves it out."""
        length, selected = self._decisive(requirement_id)
        if selected or length < 0:
            return None
        matching = [p for p in self.ignore if requirement_id.startswith(p) and len(p) == length]
        return self.ignore[matching[0]] if matching else None

    def requirements(self) -> list[Requirement]:
        """The active (not withdrawn) requirements the run judges, in registry order."""
        return [r for r in iter_requirements() if not r.withdrawn and self.selects(r.id)]

    def ignored(self) -> dict[str, str]:
        """Active requirements the selects would judge but an ignore leaves out: ID -> reason."""
        selected = Selection(self.select)
        found: dict[str, str] = {}
        for requirement in iter_requirements():
            if requirement.withdrawn or not selected.selects(requirement.id):
                continue
            reason = self.ignore_reason(requirement.id)
            if reason is not None:
                found[requirement.id] = reason
        return found

    def describe(self) -> str:
        """One line for report headers: ``all``, or the select and ignore prefixes."""
        parts = [("select " + ",".join(self.select)) if self.select else "all"]
        if self.ignore:
            parts.append("ignore " + ",".join(self.ignore))
        return "; ".join(parts)


def as_selection(only: str | Selection | None) -> Selection:
    """``only`` as a Selection: ``None`` selects all, a string is one selected prefix (an
    unknown one selects nothing, as the old ``only`` did; callers validate user input)."""
    if isinstance(only, Selection):
        return only
    return Selection(() if not only else (only,))
