"""Render ``docs/SPEC.md`` from the requirement registry.

``python -m spec.render`` prints the document; ``python -m spec.render --write`` rewrites
``docs/SPEC.md``. A test fails when the committed file and the registry disagree.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from spec.changelog import CHANGES, SPEC_VERSION, Change
from spec.requirements import AREAS, Level, Requirement, iter_requirements

__all__ = ["render_spec"]

_INTRO = """\
# iomanager-spec: requirements

Generated from `spec/requirements.py` by `python -m spec.render --write`; do not edit by hand.

Each requirement has a stable ID, a level ([RFC 2119](https://www.rfc-editor.org/rfc/rfc2119):
**MUST**, **SHOULD**, **MAY**) and the party it binds: a *manager* (checked against the IO
manager under test), a framework's *contexts* (checked against the context factory: the
reference contexts, or real Dagster contexts through the bridge) or a *definition*. "Needs" lists
the capabilities a manager must declare for the requirement to apply; when a capability is
declared absent, the requirement is reported as not applicable, never silently skipped.
"""


def _summary(reqs: Iterable[Requirement]) -> str:
    reqs = list(reqs)
    counts = {level: sum(r.level is level for r in reqs) for level in Level}
    parts = ", ".join(f"{n} {level.value}" for level, n in counts.items())
    return f"{len(reqs)} requirements: {parts}.\n"


def _entry(req: Requirement) -> str:
    needs = ", ".join(f"`{n}`" for n in sorted(req.needs)) or "nothing"
    unless = ""
    if req.excludes:
        unless = " · not for: " + ", ".join(f"`{n}`" for n in sorted(req.excludes))
    lines = [
        f"### {req.id} — {req.title}",
        "",
        f"**{req.level.value}** · binds: {req.binds.value} · needs: {needs}{unless}",
        "",
        req.text,
    ]
    if req.rationale:
        lines += ["", f"*Why:* {req.rationale}"]
    if req.withdrawn:
        lines += ["", "*Withdrawn; the ID is not reused.*"]
    return "\n".join(lines) + "\n"


def _change(change: Change) -> str:
    ids = ", ".join(change.requirements)
    return f"* **{change.version}**, {change.kind.value} {ids}: {change.text} *Why:* {change.why}"


def _changelog() -> str:
    lines = ["## Changelog", ""]
    if not CHANGES:
        return "\n".join([*lines, "No change since 1.0.0.", ""])
    lines += [_change(c) for c in CHANGES]
    return "\n".join(lines) + "\n"


def render_spec() -> str:
    """Return the whole requirements document as Markdown."""
    out = [_INTRO, f"Spec version {SPEC_VERSION}. " + _summary(iter_requirements())]
    for area, title in AREAS.items():
        reqs = list(iter_requirements(f"IOM-{area.value}-"))
        out.append(f"## {area.value}: {title}\n")
        out.extend(_entry(r) for r in reqs)
    out.append(_changelog())
    return "\n".join(out)


def main(argv: list[str]) -> int:
    """Print the document, or write it to ``docs/SPEC.md`` with ``--write``."""
    text = render_spec()
    if "--write" in argv:
        target = Path(__file__).resolve().parent.parent / "docs" / "SPEC.md"
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
