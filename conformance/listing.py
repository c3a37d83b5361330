"""``python -m conformance check --list-checks``: the requirements a selection judges, each with
its level, title and the checks that cover it, and the ignored ones with their reasons."""

from __future__ import annotations

import textwrap

from conformance.checks import CHECKS
from conformance.selection import Selection

__all__ = ["list_checks"]


def list_checks(selection: Selection, width: int = 100) -> str:
    """The listing (every line within ``width`` columns); needs no target."""
    lines: list[str] = []
    requirements = selection.requirements()
    for requirement in requirements:
        covering = [c.name for c in CHECKS.values() if requirement.id in c.requirements]
        reporting = [c.name for c in CHECKS.values() if requirement.id in c.reports]
        lines.append(_clip(f"{requirement.id:<13} {requirement.level.value:<6} "
                           f"{requirement.title}", width))
        checks = ", ".join(covering) if covering else "no automated check"
        if reporting:
            checks += f" (also reported by {len(reporting)} other checks)"
        lines += textwrap.wrap(checks, width, initial_indent="    ", subsequent_indent="      ")
    ignored = selection.ignored()
    for requirement_id, reason in ignored.items():
        lines += textwrap.wrap(f"ignored {requirement_id}: {reason}", width,
                               subsequent_indent="    ")
    lines += textwrap.wrap(f"{len(requirements)} requirements selected "
                           f"({selection.describe()}), {len(ignored)} ignored", width)
    return "\n".join(lines) + "\n"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
