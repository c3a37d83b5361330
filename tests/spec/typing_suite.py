"""The multi-checker typing conformance suite, the way python/typing's conformance suite works.

Every case file under tests/typecases is checked by each installed checker
(:mod:`conformance.checkers`). A case is *conformant* under a checker when the lines it reports
errors on are exactly the lines marked ``# E:`` (error codes and wording are the checker's own
and are not compared). ``python -m tests.spec.typing_suite --write`` (or
``python scripts/typing_conformance.py --write``) reruns every installed checker, rewrites
tests/typecases/results.json and the table in docs/TYPING.md; without ``--write`` it prints the
table. tests/spec/test_typing_conformance.py fails when a checker that was conformant on a case
stops being so.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.checkers import CHECKERS, checker_version, installed_checkers, run_checker

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "typecases"
RESULTS = CASES / "results.json"
DOC = ROOT / "docs" / "TYPING.md"
START, END = "<!-- typing-conformance:start -->", "<!-- typing-conformance:end -->"
MARK = re.compile(r"#\s*E:")


@dataclass(frozen=True)
class CaseResult:
    """One case under one checker: the marked lines and the lines with a reported error."""

    expected: tuple[int, ...]
    reported: tuple[int, ...]

    @property
    def conformant(self) -> bool:
        return self.expected == self.reported


def case_files() -> list[Path]:
    """Every case file (``dagster/`` included: it needs the dagster extra)."""
    return sorted(p for p in CASES.glob("*/*.py") if p.name != "__init__.py")


def dagster_missing() -> bool:
    """Whether the dagster extra (needed by ``tests/typecases/dagster``) is absent."""
    return importlib.util.find_spec("dagster") is None


def runnable_case_files() -> list[Path]:
    """The case files this environment can check (without dagster, not ``dagster/``)."""
    return [f for f in case_files() if not (dagster_missing() and "dagster" in f.parts)]


def case_name(file: Path) -> str:
    return file.relative_to(CASES).as_posix()


def expected_lines(file: Path) -> tuple[int, ...]:
    """The 1-based lines marked ``# E:`` in ``file``."""
    lines = file.read_text(encoding="utf-8").splitlines()
    return tuple(n for n, line in enumerate(lines, start=1) if MARK.search(line))


def run_cases(checker: str, files: list[Path]) -> tuple[dict[str, CaseResult], float]:
    """Each case's result under ``checker`` (one run over all files) and the run's seconds."""
    started = time.perf_counter()
    errors = run_checker(checker, files, cwd=ROOT, search_path=[str(ROOT)])
    seconds = time.perf_counter() - started
    reported: dict[Path, set[int]] = {}
    for error in errors:
        path = Path(error.path)
        path = (path if path.is_absolute() else ROOT / path).resolve()
        reported.setdefault(path, set()).add(error.line)
    return {
        case_name(f): CaseResult(expected_lines(f), tuple(sorted(reported.get(f.resolve(), ()))))
        for f in files
    }, seconds


def collect() -> dict[str, Any]:
    """Run every installed checker on every runnable case; the results.json document."""
    files = runnable_case_files()
    checkers: dict[str, Any] = {}
    for name in installed_checkers():
        results, seconds = run_cases(name, files)
        checkers[name] = {
            "version": checker_version(name),
            "seconds": round(seconds, 1),
            "cases": {
                case: {"conformant": r.conformant, "expected": list(r.expected),
                       "reported": list(r.reported)}
                for case, r in results.items()
            },
        }
    return {"checkers": checkers}


def render(results: dict[str, Any]) -> str:
    """The markdown table of ``results``: one row per case, one column per checker."""
    names = [n for n in CHECKERS if n in results["checkers"]]
    cases = sorted({c for n in names for c in results["checkers"][n]["cases"]})
    head = [f"{n} {results['checkers'][n]['version']}" for n in names]
    rows = [
        "| case | " + " | ".join(head) + " |",
        "|---|" + "---|" * len(names),
    ]
    for case in cases:
        cells = [_cell(results["checkers"][n]["cases"].get(case)) for n in names]
        rows.append(f"| `{case}` | " + " | ".join(cells) + " |")
    seconds = " | ".join(f"{results['checkers'][n]['seconds']} s" for n in names)
    rows.append(f"| *run time (all cases, one run)* | {seconds} |")
    return "\n".join(rows)


def _cell(case: dict[str, Any] | None) -> str:
    if case is None:
        return "not run"
    if case["conformant"]:
        return "Pass"
    expected, reported = set(case["expected"]), set(case["reported"])
    parts = []
    if missing := sorted(expected - reported):
        parts.append("missed " + ", ".join(map(str, missing)))
    if unexpected := sorted(reported - expected):
        parts.append("false positive " + ", ".join(map(str, unexpected)))
    return "**Fail** (lines: " + "; ".join(parts) + ")"


def doc_block(results: dict[str, Any]) -> str:
    return f"{START}\n{render(results)}\n{END}"


def write(results: dict[str, Any]) -> None:
    """Rewrite results.json and the table between the markers in docs/TYPING.md."""
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    text = DOC.read_text(encoding="utf-8")
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    DOC.write_text(before + doc_block(results) + after, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true",
                        help="rewrite tests/typecases/results.json and docs/TYPING.md")
    args = parser.parse_args(argv)
    missing = [n for n in CHECKERS if n not in installed_checkers()]
    if missing or dagster_missing():
        print(f"refusing to record partial results: missing checkers {missing}, dagster "
              f"{'missing' if dagster_missing() else 'present'}; pip install -e "
              f"'.[test,typecheckers]'", file=sys.stderr)
        if args.write:
            return 2
    results = collect()
    if args.write:
        write(results)
    print(render(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
