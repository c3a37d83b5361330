"""Every MUST requirement has a check, and checks cite only known requirement IDs."""

from __future__ import annotations

from conformance.checks import CHECKS
from spec.requirements import REQUIREMENTS, Level


def test_every_must_has_a_check() -> None:
    covered = {rid for check in CHECKS.values() for rid in check.requirements}
    missing = sorted(
        r.id
        for r in REQUIREMENTS.values()
        if r.level is Level.MUST and not r.withdrawn and r.id not in covered
    )
    assert missing == []


def test_checks_cite_only_known_ids() -> None:
    unknown = {
        name: [rid for rid in check.requirements if rid not in REQUIREMENTS]
        for name, check in CHECKS.items()
    }
    assert {name: ids for name, ids in unknown.items() if ids} == {}


def test_every_check_states_its_law_and_ids() -> None:
    for name, check in CHECKS.items():
        assert "Law:" in check.doc, name
        for rid in check.requirements:
            assert rid.removeprefix("IOM-").split("-")[1] in check.doc, (name, rid)
