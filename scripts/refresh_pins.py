"""Refresh the exact pins of the S3/fsspec stack in pyproject.toml (the ``pins`` extra).

    python scripts/refresh_pins.py           # resolve the newest compatible set, rewrite the pins
    python scripts/refresh_pins.py --check   # exit 1 when the pins are not the newest set

The pins exist because pip backtracks for many minutes over moto/boto3/botocore/aiobotocore/s3fs
versions when they are left open against each other (issue 14). This script asks pip to resolve
every requirement of the project (base dependencies and every extra, the pins left out) in a dry
run, reads the versions pip picked from its JSON report (``pip install --report``, pip >= 22.2;
use a recent pip, whose resolver finds the set in about a minute), and rewrites the lines
between ``# pins:start`` and ``# pins:end`` in pyproject.toml. Nothing is installed. Run the
test suite after a refresh, then commit pyproject.toml.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
PINS_EXTRA = "pins"
_BLOCK = re.compile(r"(# pins:start[^\n]*\n)(.*?)(\s*# pins:end)", re.S)
_PIN = re.compile(r'"([A-Za-z0-9._-]+)==([^"]+)"')


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def current_pins(text: str) -> dict[str, str]:
    """name -> version of the pins block of ``text``."""
    match = _BLOCK.search(text)
    if match is None:
        raise SystemExit(f"{PYPROJECT}: no '# pins:start' ... '# pins:end' block")
    return dict(_PIN.findall(match.group(2)))


def requirements(project: dict[str, object]) -> list[str]:
    """Every requirement of the project but the pins and the project's own extras."""
    table = project["project"]
    assert isinstance(table, dict)
    name = _canonical(str(table["name"]))
    found: list[str] = list(table.get("dependencies", []))
    for extra, reqs in dict(table.get("optional-dependencies", {})).items():
        if extra != PINS_EXTRA:
            found += reqs
    return [r for r in dict.fromkeys(found) if _canonical(re.split(r"[\s\[<>=!~;]", r)[0]) != name]


def resolve(reqs: list[str]) -> dict[str, str]:
    """canonical name -> version pip picks for ``reqs`` today (a dry run: nothing installed)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = pathlib.Path(tmp, "report.json")
        command = [
            sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
            "--quiet", "--report", str(report), *reqs,
        ]  # fmt: skip
        subprocess.run(command, check=True)
        data = json.loads(report.read_text(encoding="utf-8"))
    return {
        _canonical(item["metadata"]["name"]): item["metadata"]["version"]
        for item in data["install"]
    }


def render(pins: dict[str, str]) -> str:
    return "".join(f'    "{name}=={version}",\n' for name, version in sorted(pins.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report, do not rewrite")
    args = parser.parse_args(argv)
    text = PYPROJECT.read_text(encoding="utf-8")
    old = current_pins(text)
    resolved = resolve(requirements(tomllib.loads(text)))
    missing = [name for name in old if _canonical(name) not in resolved]
    if missing:
        raise SystemExit(f"pip's resolution has no {missing}: is an extra gone?")
    new = {name: resolved[_canonical(name)] for name in old}
    for name in sorted(old):
        mark = "" if old[name] == new[name] else "  <- changed"
        print(f"{name}: {old[name]} -> {new[name]}{mark}")
    if new == old:
        print("pins are current")
        return 0
    if args.check:
        return 1
    updated = _BLOCK.sub(lambda m: m.group(1) + render(new).rstrip("\n") + m.group(3), text)
    PYPROJECT.write_text(updated, encoding="utf-8")
    print(f"rewrote the pins in {PYPROJECT.relative_to(ROOT)}; run the tests, then commit it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
