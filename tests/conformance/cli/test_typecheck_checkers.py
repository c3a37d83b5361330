"""``python -m conformance typecheck TARGET --checker NAME``: every checker, the exit codes
(0 conforms, 1 does not, 2 usage, 3 could not judge) and the plain-words member report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance import checkers, cli, typecheck
from conformance.checkers import CHECKERS, CheckerError, is_installed, run_checker

ROOT = Path(__file__).resolve().parents[3]
GOOD = "tests.conformance.cli.sample_managers:GoodManager"
WRONG = "tests.conformance.cli.sample_managers:WrongSignatureManager"
REJECTED = ROOT / "tests" / "typecases" / "spec" / "managers_rejected.py"


def _require(checker: str) -> None:
    if not is_installed(checker):
        pytest.skip(f"{checker} is not installed (pip install 'iomanager-spec[typecheckers]')")


@pytest.mark.parametrize("checker", CHECKERS)
def test_each_checker_passes_a_conforming_manager_and_fails_a_wrong_signature(
    checker: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _require(checker)
    assert cli.main(["typecheck", GOOD, "--checker", checker]) == cli.EXIT_OK
    report = tmp_path / "types.json"
    assert cli.main(["typecheck", WRONG, "--checker", checker, "--json", str(report)]) == 1
    out = capsys.readouterr().out
    assert "`handle_output` does not match the protocol's signature" in out
    (result,) = json.loads(report.read_text())["reports"][0]["results"]
    assert result["status"] == "fail" and result["checks"][0].startswith(f"{checker} ")


@pytest.mark.parametrize("checker", CHECKERS)
def test_the_member_report_names_the_member_in_plain_words_under_every_checker(
    checker: str,
) -> None:
    """On the rejected type cases: a missing member is called missing, a wrong one wrong."""
    _require(checker)
    errors = run_checker(checker, [REJECTED.relative_to(ROOT)], cwd=ROOT,
                         search_path=[str(ROOT)])
    by_line = {e.line: e for e in errors}
    source = REJECTED.read_text().splitlines()
    line_of = {name: next(n for n, text in enumerate(source, 1) if f"= {name}()" in text)
               for name in ("MissingLoad", "NoObjParameter", "SwappedContexts",
                            "FactoryReturningInt")}
    explain = typecheck.explain_mismatch
    assert explain([by_line[line_of["MissingLoad"]]]) == (
        "Protocol members that do not match: `load_input` is missing."
    )
    assert "`handle_output` does not match" in explain([by_line[line_of["NoObjParameter"]]])
    assert "`handle_output` does not match" in explain([by_line[line_of["SwappedContexts"]]])
    assert "`create_io_manager` does not match" in explain(
        [by_line[line_of["FactoryReturningInt"]]]
    )


def test_an_unknown_checker_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["typecheck", GOOD, "--checker", "pytype"]) == cli.EXIT_USAGE
    assert "invalid choice: 'pytype'" in capsys.readouterr().err


def test_a_checker_that_is_not_installed_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(checkers, "is_installed", lambda name: False)
    assert cli.main(["typecheck", GOOD, "--checker", "ty"]) == cli.EXIT_USAGE
    assert "checker 'ty' is not installed; pip install ty" in capsys.readouterr().err


def test_no_checker_installed_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(checkers, "is_installed", lambda name: False)
    assert cli.main(["typecheck", GOOD]) == cli.EXIT_USAGE
    assert "no type checker is installed" in capsys.readouterr().err


def test_the_default_is_mypy_when_installed_else_the_first_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    installed = {"pyrefly", "ty"}
    monkeypatch.setattr(checkers, "is_installed", lambda name: name in installed)
    assert checkers.default_checker() == "pyrefly"
    installed.add("mypy")
    assert checkers.default_checker() == "mypy"


def test_a_checker_that_cannot_judge_gives_exit_code_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def crash(*args: object, **kwargs: object) -> list[checkers.Diagnostic]:
        raise CheckerError("mypy exited with status 2: internal error")

    monkeypatch.setattr(typecheck, "run_checker", crash)
    assert cli.main(["typecheck", GOOD, "--checker", "mypy"]) == cli.EXIT_NOT_JUDGED
    assert "could not judge the target" in capsys.readouterr().out
