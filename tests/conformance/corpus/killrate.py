"""Run the kit on the corpus and measure its power: kill rate and false positives.

``python -m tests.conformance.corpus.killrate [profile]`` prints the Markdown table that
``docs/CONFORMANCE.md`` shows. Every manager gets the full run (every requirement), exactly as a
user would run the kit, so the table also shows the collateral failures a bug causes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from functools import cache

from conformance.api import check_io_manager
from conformance.report import Report
from conformance.subject import Subject
from tests.conformance.corpus.broken_concurrency import BROKEN_CONCURRENCY
from tests.conformance.corpus.broken_identifiers import BROKEN_IDENTIFIERS
from tests.conformance.corpus.broken_metadata_security import BROKEN_METADATA_SECURITY
from tests.conformance.corpus.broken_partition_edges import BROKEN_PARTITION_EDGES
from tests.conformance.corpus.broken_partition_ranges import BROKEN_PARTITION_RANGES
from tests.conformance.corpus.broken_partitions import BROKEN_PARTITIONS
from tests.conformance.corpus.broken_rematerialise import BROKEN_REMATERIALISE
from tests.conformance.corpus.broken_storage import BROKEN_STORAGE
from tests.conformance.corpus.broken_twins import BROKEN_TWINS
from tests.conformance.corpus.correct import CORRECT_MANAGERS

__all__ = [
    "BROKEN_MANAGERS",
    "CORRECT_MANAGERS",
    "Outcome",
    "kill_rate_table",
    "origin_subject_for",
    "outcome",
    "report_for",
    "subject_for",
]

BROKEN_MANAGERS: tuple[type, ...] = (
    *BROKEN_IDENTIFIERS,
    *BROKEN_TWINS,
    *BROKEN_PARTITIONS,
    *BROKEN_PARTITION_RANGES,
    *BROKEN_REMATERIALISE,
    *BROKEN_PARTITION_EDGES,
    *BROKEN_STORAGE,
    *BROKEN_METADATA_SECURITY,
    *BROKEN_CONCURRENCY,
)


def report_for(manager: type, profile: str = "pr") -> Report:
    """The kit's full report on ``manager`` (cached: each manager runs once per process)."""
    return _cached_report(manager, profile)


def subject_for(manager: type) -> object:
    """What the kit checks for ``manager``: the class itself, or the ``Subject`` its
    ``subject()`` classmethod declares (capabilities, values, equality, concat)."""
    declare = getattr(manager, "subject", None)
    return declare() if callable(declare) else manager


def origin_subject_for(manager: type) -> object:
    """The correct manager ``manager`` was derived from, as the kit checks it: its ``origin``
    attribute where the bug is in the declaration itself, else its base class, declared the way
    ``manager`` is (same capabilities, values and equality, the origin's factory)."""
    origin = getattr(manager, "origin", None) or manager.__bases__[0]
    if "subject" in vars(origin) or origin is not manager.__bases__[0]:
        return subject_for(origin)
    declared = subject_for(manager)
    if isinstance(declared, Subject):
        return replace(declared, factory=origin, source=origin, name=origin.__name__)
    return origin


@cache
def _cached_report(manager: type, profile: str) -> Report:
    return check_io_manager(subject_for(manager), profile=profile, name=manager.__name__)


@dataclass(frozen=True)
class Outcome:
    """What the kit said about one corpus manager."""

    manager: str
    breaks: str | None
    failing: tuple[str, ...]
    must_failing: tuple[str, ...]
    seconds: float

    @property
    def caught(self) -> bool:
        """A broken manager is caught when its broken requirement is among the failures."""
        return self.breaks is not None and self.breaks in self.failing

    @property
    def false_positive(self) -> bool:
        """A correct manager failing any MUST."""
        return self.breaks is None and bool(self.must_failing)


def outcome(manager: type, profile: str = "pr") -> Outcome:
    """Run (or reuse) the report on ``manager`` and summarise it."""
    report = report_for(manager, profile)
    return Outcome(
        manager=manager.__name__,
        breaks=getattr(manager, "breaks", None),
        failing=tuple(r.requirement_id for r in report.failures()),
        must_failing=tuple(r.requirement_id for r in report.failures("MUST")),
        seconds=report.duration_seconds,
    )


def kill_rate_table(broken: list[Outcome], correct: list[Outcome]) -> str:
    """The Markdown table of every corpus manager, with the kill rate and false positives."""
    killed = sum(o.caught for o in broken)
    seconds = sum(o.seconds for o in (*broken, *correct))
    false_positives = sum(o.false_positive for o in correct)
    lines = [
        f"**Kill rate: {killed}/{len(broken)} broken managers caught "
        f"({100 * killed / max(len(broken), 1):.0f}%); false positives: "
        f"{false_positives}/{len(correct)} correct managers; kit time {seconds:.0f}s.**",
        "",
        "| manager | breaks | caught | requirements failed | seconds |",
        "|---|---|---|---|---|",
    ]
    for o in broken:
        mark = "✅" if o.caught else "❌ missed"
        lines.append(
            f"| `{o.manager}` | {o.breaks} | {mark} | {', '.join(o.failing) or '—'} "
            f"| {o.seconds:.1f} |"
        )
    for o in correct:
        mark = "❌ false positive" if o.false_positive else "✅ passes every MUST"
        lines.append(
            f"| `{o.manager}` (correct) | — | {mark} | {', '.join(o.failing) or '—'} "
            f"| {o.seconds:.1f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """Print the kill-rate table; exit 1 unless every broken manager is caught and none is FP."""
    profile = argv[0] if argv else "pr"
    broken = [outcome(m, profile) for m in BROKEN_MANAGERS]
    correct = [outcome(m, profile) for m in CORRECT_MANAGERS]
    print(kill_rate_table(broken, correct), end="")
    perfect = all(o.caught for o in broken) and not any(o.false_positive for o in correct)
    return 0 if perfect else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
