"""The inline reproduction of a failure: always compiles, imports the target as named, and runs."""

from __future__ import annotations

import json
from pathlib import Path

from conformance import cli
from conformance.checks.reproduce import reproduction

STORE = {"op": "store", "output": {"run_id": "run-1", "step_key": "op", "name": "result"},
         "value_repr": "<function <lambda> at 0x7f00deadbeef>"}
NEW = {"op": "new_instance"}
LOAD = {"op": "load", "input": {"upstream": {"run_id": "run-1", "step_key": "op",
                                             "name": "result"}, "name": "input"}}


def test_a_value_that_is_not_python_source_still_compiles() -> None:
    """IOM-STORE-007's counterexample stores a lambda: the snippet shows its repr in a comment
    and stays valid Python."""
    text = reproduction("pkg.io:Manager", False, [STORE, LOAD])
    compile(text, "<snippet>", "exec")
    assert "from pkg.io import Manager as make_manager" in text
    assert "not Python source: '<function <lambda>" in text


def test_a_directory_manager_gets_one_directory_for_every_instance() -> None:
    """A new instance replays on the same storage, as the check did."""
    text = reproduction("managers.py:Manager", True, [STORE, NEW, LOAD])
    compile(text, "<snippet>", "exec")
    assert "runpy.run_path('managers.py')['Manager']" in text
    assert text.count("make_manager(storage)") == 2
    assert "storage = tempfile.mkdtemp()" in text


def test_the_snippet_of_a_real_failure_runs_and_shows_the_wrong_value(tmp_path: Path) -> None:
    """The snippet printed for IOM-STORE-005 runs as is and prints what the manager returned."""
    out = tmp_path / "report.json"
    target = "tests.conformance.cli.sample_managers:NoneForMissingManager"
    argv = ["check", target, "--only", "IOM-STORE-005", "--json", str(out), "--isolation",
            "none", "--failures-dir", "none"]
    assert cli.main(argv) == cli.EXIT_FAILED
    [result] = json.loads(out.read_text())["reports"][0]["results"]
    printed: list[object] = []
    exec(result["reproduction"], {"print": printed.append})
    assert printed == [None]
