"""conformance.selection: ruff-style select/ignore prefixes, the most specific one decides."""

from __future__ import annotations

import pytest

from conformance.runner import plan_checks
from conformance.selection import Selection, SelectionError, as_selection
from spec.requirements import iter_requirements

ACTIVE = [r.id for r in iter_requirements() if not r.withdrawn]


def test_no_select_selects_everything_and_an_ignore_leaves_its_prefix_out() -> None:
    selection = Selection.build(ignore={"IOM-PART": "no partitions here"})
    judged = [r.id for r in selection.requirements()]
    assert judged == [rid for rid in ACTIVE if not rid.startswith("IOM-PART")]
    ignored = selection.ignored()
    assert set(ignored) == {rid for rid in ACTIVE if rid.startswith("IOM-PART")}
    assert set(ignored.values()) == {"no partitions here"}


def test_the_more_specific_prefix_wins_either_way() -> None:
    narrow_ignore = Selection.build(["IOM-STORE"], {"IOM-STORE-007": "known"})
    assert narrow_ignore.selects("IOM-STORE-001") and not narrow_ignore.selects("IOM-STORE-007")
    narrow_select = Selection.build(["IOM-STORE-007"], {"IOM-STORE": "slow back-end"})
    assert narrow_select.selects("IOM-STORE-007")
    assert not narrow_select.selects("IOM-STORE-001")
    assert narrow_select.ignored() == {}  # nothing the selects would judge is left out
    tie = Selection.build(["IOM-STORE-007"], {"IOM-STORE-007": "tie: ignore wins"})
    assert not tie.selects("IOM-STORE-007") and tie.ignored() == {"IOM-STORE-007":
                                                                   "tie: ignore wins"}


def test_ignores_outside_the_selects_are_not_reported_as_ignored() -> None:
    selection = Selection.build(["IOM-STORE"], {"IOM-PART-015": "no ranges"})
    assert "IOM-PART-015" not in selection.ignored()
    assert not selection.selects("IOM-PART-015")


@pytest.mark.parametrize(("select", "ignore", "named"), [
    (["IOM-NOPE"], {}, "'IOM-NOPE'"),
    ([""], {}, "''"),
    ([], {"IOM-STORE-999": "why"}, "'IOM-STORE-999'"),
    ([], {"IOM-STORE-007": "  "}, "give the reason"),
])
def test_unknown_prefixes_and_missing_reasons_are_errors_naming_them(
    select: list[str], ignore: dict[str, str], named: str
) -> None:
    with pytest.raises(SelectionError, match=named.replace("(", r"\(")):
        Selection.build(select, ignore)


def test_only_strings_keep_their_old_meaning() -> None:
    assert [r.id for r in as_selection("IOM-STORE-00").requirements()] == [
        rid for rid in ACTIVE if rid.startswith("IOM-STORE-00")]
    assert len(as_selection(None).requirements()) == len(ACTIVE)


def test_checks_covering_only_ignored_requirements_are_not_planned() -> None:
    """A check runs when it may report a judged requirement; one whose every reportable
    requirement is ignored does not run."""
    from conformance.builtins import builtin_subjects

    subject = builtin_subjects()[0]
    everything = {c.name for c in plan_checks(subject)}
    selection = Selection.build(ignore={"IOM-PART": "no partitions"})
    planned = {c.name for c in plan_checks(subject, selection)}
    dropped = everything - planned
    assert dropped and planned < everything
    from conformance.checks import CHECKS

    for name in dropped:
        assert all(rid.startswith("IOM-PART") for rid in CHECKS[name].reportable), name


def test_a_selection_plans_every_check_that_may_report_it() -> None:
    """Selecting one requirement (``--select IOM-STORE-001``, ``only=``) plans exactly the
    checks that may report it, so a narrow run judges it with every check the full run uses
    (together with each check's verdict not depending on the checks run before it, which the
    corpus test checks on every broken manager, selection never changes a verdict)."""
    from conformance.builtins import builtin_subjects
    from conformance.checks import CHECKS

    subject = builtin_subjects()[0]
    for rid in ACTIVE:
        planned = {c.name for c in plan_checks(subject, rid)}
        reporting = {name for name, c in CHECKS.items() if rid in c.reportable}
        assert planned == reporting, rid
        assert planned, f"{rid}: no check may report it"
