"""Regenerate the field-trial conformance matrix of published IO managers (docs/FIELD.md).

    python scripts/field_matrix.py --markdown docs/FIELD.md

runs every target (``--targets`` to pick some) through the kit with Dagster contexts and the
``pr`` profile, prints the matrix, and with ``--markdown`` rewrites the generated block of that
file (everything outside the block is kept). ``--json`` writes the full reports. Needs the
``field`` extra: ``pip install -e '.[field]'``.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from conformance.field.matrix import (
    TARGET_KEYS,
    MatrixRun,
    render_matrix,
    replace_matrix,
    run_matrix,
)


def main(argv: list[str] | None = None) -> int:
    """Run the matrix; exit 0 (failures are findings, documented in docs/FIELD.md)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", type=pathlib.Path, help="file whose matrix block to rewrite")
    parser.add_argument("--json", type=pathlib.Path, help="write every report as JSON here")
    parser.add_argument("--targets", nargs="+", default=list(TARGET_KEYS), choices=TARGET_KEYS)
    parser.add_argument("--profile", default="pr", choices=["pr", "dev", "thorough"])
    parser.add_argument("--only", default=None, help="requirement ID prefix, e.g. IOM-STORE")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1,
        help="targets run in this many processes at once (default: one per core)",
    )
    args = parser.parse_args(argv)

    def progress(run: MatrixRun) -> None:
        print(f"{run.target}: {run.seconds:.1f} s", file=sys.stderr, flush=True)

    runs = run_matrix(
        args.targets, profile=args.profile, only=args.only, on_target=progress, jobs=args.jobs
    )
    matrix = render_matrix(runs)
    print(matrix)
    if args.markdown is not None:
        old = args.markdown.read_text(encoding="utf-8") if args.markdown.exists() else ""
        args.markdown.write_text(replace_matrix(old, matrix), encoding="utf-8")
    if args.json is not None:
        payload = [
            {"target": r.target, "version": r.version, "seconds": r.seconds, **r.report.to_dict()}
            for r in runs
        ]
        args.json.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
