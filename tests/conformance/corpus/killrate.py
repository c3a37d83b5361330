"""Run the kit on the corpus and measure its power: kill rate and false positives.

``python -m tests.conformance.corpus.killrate [profile] [--contexts reference|dagster|both]``
prints the Markdown tables that ``docs/CONFORMANCE.md`` shows: kills per bug class, then every
manager. Every manager gets the full run (every requirement), exactly as a user would run the
kit, so the table also shows the collateral failures a bug causes. ``both`` (the default when
Dagster is installed) runs the corpus a second time under Dagster's own contexts (the bridge):
a manager counts as caught there when its broken requirement is among the failures the manager
is blamed for (context defects of Dagster's contexts are reported apart and excused), and a
correct manager is a false positive when such a failure is a MUST.
"""

from __future__ import annotations

import importlib
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
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

BUG_CLASSES: tuple[tuple[str, tuple[type, ...]], ...] = (
    ("identifiers joined or dropped", BROKEN_IDENTIFIERS),
    ("near-twin identifiers (per conflation class and slot)", BROKEN_TWINS),
    ("partitions", BROKEN_PARTITIONS),
    ("range outputs and joined range loads", BROKEN_PARTITION_RANGES),
    ("re-materialising, duplicates, projection", BROKEN_REMATERIALISE),
    ("partition edge cases users reported", BROKEN_PARTITION_EDGES),
    ("storage: round trip, overwrite, missing, atomicity", BROKEN_STORAGE),
    ("metadata and confinement", BROKEN_METADATA_SECURITY),
    ("several processes: concurrency and crashes", BROKEN_CONCURRENCY),
)
"""The corpus by bug class (one module per class), as the per-class table shows it."""

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


def report_for(manager: type, profile: str = "pr", contexts: str = "reference") -> Report:
    """The kit's full report on ``manager`` (cached: each manager runs once per process and
    context provider)."""
    return _cached_report(manager, profile, contexts)


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
def _cached_report(manager: type, profile: str, contexts: str) -> Report:
    from tests.conformance.corpus import killrate  # importable also when run as __main__

    pool = _lean_pool(_PRELOAD.get(contexts, ()))
    return pool.submit(killrate.report_here, manager, profile, contexts).result()


_PRELOAD: dict[str, tuple[str, ...]] = {"dagster": ("conformance.bridges.dagster",)}
"""What a provider's lean worker imports besides the corpus (Dagster's contexts need Dagster,
and nothing else the test session may have imported)."""


def report_here(manager: type, profile: str, contexts: str) -> Report:
    """The kit's full report on ``manager``, computed in this process."""
    return check_io_manager(
        subject_for(manager), profile=profile, name=manager.__name__, contexts=contexts
    )


@cache
def _lean_pool(preload: tuple[str, ...] = ()) -> ProcessPoolExecutor:
    """One worker process with only the kit, the corpus and ``preload`` imported, where the
    full runs happen. The multi-process checks fork the process they run in dozens of times
    per run, and a fork costs with the size of the process: in a pytest worker that has
    imported Dagster, pandas, polars and duckdb for other tests, a run takes about 25 % longer
    than in a lean process. Runs under Dagster's contexts get a worker of their own that also
    imports the bridge (and so Dagster). The verdicts are the same: the checks are derandomized
    and do not depend on what else is imported.

    The worker is a fresh interpreter (``spawn``): a ``forkserver`` would have to be started
    once per preload, and its preload list is global to the process."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_preload,
                               initargs=(("tests.conformance.corpus.killrate", *preload),))


def _preload(modules: tuple[str, ...]) -> None:
    for module in modules:
        importlib.import_module(module)


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


def outcome(manager: type, profile: str = "pr", contexts: str = "reference") -> Outcome:
    """Run (or reuse) the report on ``manager`` and summarise the failures it is blamed for
    (under the reference contexts: every failure)."""
    report = report_for(manager, profile, contexts)
    return Outcome(
        manager=manager.__name__,
        breaks=getattr(manager, "breaks", None),
        failing=tuple(r.requirement_id for r in report.manager_failures()),
        must_failing=tuple(r.requirement_id for r in report.manager_failures("MUST")),
        seconds=report.duration_seconds,
    )


def _mark(o: Outcome) -> str:
    if o.breaks is None:
        return "❌ false positive" if o.false_positive else "✅ passes every MUST"
    return "✅" if o.caught else "❌ missed"


def _class_table(
    broken: dict[str, Outcome], dagster: dict[str, Outcome] | None, correct: list[Outcome],
    dagster_correct: list[Outcome] | None,
) -> list[str]:
    with_dagster = dagster is not None and dagster_correct is not None
    head = "| bug class | mutants | caught (reference contexts) |"
    lines = [head + (" caught (Dagster contexts) |" if with_dagster else ""),
             "|---|---|---|" + ("---|" if with_dagster else "")]
    for label, managers in BUG_CLASSES:
        names = [m.__name__ for m in managers]
        row = f"| {label} | {len(names)} | {sum(broken[n].caught for n in names)} |"
        if dagster is not None:
            row += f" {sum(dagster[n].caught for n in names)} |"
        lines.append(row)
    row = (f"| false positives on the correct managers | {len(correct)} | "
           f"{sum(o.false_positive for o in correct)} |")
    if dagster_correct is not None:
        row += f" {sum(o.false_positive for o in dagster_correct)} |"
    lines.append(row)
    return lines


def kill_rate_table(
    broken: list[Outcome], correct: list[Outcome],
    dagster_broken: list[Outcome] | None = None, dagster_correct: list[Outcome] | None = None,
) -> str:
    """The Markdown tables of the corpus: the kill rate and false positives (reference
    contexts), kills per bug class, and every manager; with the Dagster outcomes, a column
    for Dagster's contexts in both tables."""
    killed = sum(o.caught for o in broken)
    seconds = sum(o.seconds for o in (*broken, *correct))
    false_positives = sum(o.false_positive for o in correct)
    lines = [
        f"**Kill rate: {killed}/{len(broken)} broken managers caught "
        f"({100 * killed / max(len(broken), 1):.0f}%); false positives: "
        f"{false_positives}/{len(correct)} correct managers; kit time {seconds:.0f}s.**",
        "",
    ]
    dagster = None if dagster_broken is None else {o.manager: o for o in dagster_broken}
    if dagster_broken is not None and dagster_correct is not None:
        lines += [
            f"With Dagster's own contexts: {sum(o.caught for o in dagster_broken)}/"
            f"{len(dagster_broken)} caught, "
            f"{sum(o.false_positive for o in dagster_correct)}/{len(dagster_correct)} false "
            f"positives (kit time "
            f"{sum(o.seconds for o in (*dagster_broken, *dagster_correct)):.0f}s).",
            "",
        ]
    lines += _class_table({o.manager: o for o in broken}, dagster, correct, dagster_correct)
    lines += ["", "| manager | breaks | caught | requirements failed | seconds |"
              + (" Dagster contexts |" if dagster else ""),
              "|---|---|---|---|---|" + ("---|" if dagster else "")]
    dagster_all = dict(dagster or {})
    dagster_all.update({o.manager: o for o in dagster_correct or ()})
    for o in (*broken, *correct):
        name = f"`{o.manager}`" + (" (correct)" if o.breaks is None else "")
        row = (f"| {name} | {o.breaks or '—'} | {_mark(o)} | {', '.join(o.failing) or '—'} "
               f"| {o.seconds:.1f} |")
        if dagster:
            row += f" {_mark(dagster_all[o.manager])} |"
        lines.append(row)
    return "\n".join(lines) + "\n"


def _dagster_installed() -> bool:
    try:
        import dagster  # noqa: F401
    except ImportError:
        return False
    return True


def main(argv: list[str]) -> int:
    """Print the tables; exit 1 unless every broken manager is caught and none is a false
    positive, under every context provider run."""
    contexts = "both" if _dagster_installed() else "reference"
    if "--contexts" in argv:
        at = argv.index("--contexts")
        contexts = argv[at + 1]
        argv = argv[:at] + argv[at + 2:]
    profile = argv[0] if argv else "pr"
    runs = {"both": ("reference", "dagster")}.get(contexts, (contexts,))
    outcomes = {
        name: ([outcome(m, profile, name) for m in BROKEN_MANAGERS],
               [outcome(m, profile, name) for m in CORRECT_MANAGERS])
        for name in runs
    }
    first = outcomes[runs[0]]
    extra = outcomes.get("dagster") if runs[0] != "dagster" else None
    print(kill_rate_table(*first, *(extra or (None, None))), end="")
    perfect = all(
        all(o.caught for o in broken) and not any(o.false_positive for o in correct)
        for broken, correct in outcomes.values()
    )
    return 0 if perfect else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
