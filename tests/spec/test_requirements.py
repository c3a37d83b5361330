"""The requirement registry is well formed and docs/SPEC.md is generated from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spec import requirements as reqs
from spec.render import render_spec

ID_PATTERN = re.compile(r"^IOM-(ID|PART|META|STORE|SEC|CTX|DEF)-\d{3}$")
SPEC_MD = Path(__file__).resolve().parents[2] / "docs" / "SPEC.md"


def test_ids_are_well_formed_and_keyed_by_themselves() -> None:
    for rid, req in reqs.REQUIREMENTS.items():
        assert ID_PATTERN.match(rid), rid
        assert req.id == rid
        assert req.area.value == rid.split("-")[1]


def test_ids_are_numbered_without_gaps_per_area() -> None:
    by_area: dict[str, list[int]] = {}
    for rid in reqs.REQUIREMENTS:
        _, area, number = rid.split("-")
        by_area.setdefault(area, []).append(int(number))
    for area, numbers in by_area.items():
        assert numbers == list(range(1, len(numbers) + 1)), area


def test_needs_only_known_capabilities() -> None:
    for req in reqs.REQUIREMENTS.values():
        assert req.needs <= reqs.CAPABILITIES, (req.id, req.needs - reqs.CAPABILITIES)
        assert req.excludes <= reqs.CAPABILITIES, (req.id, req.excludes - reqs.CAPABILITIES)
        assert not req.needs & req.excludes, req.id


def test_capability_names_match_the_kit() -> None:
    from conformance.subject import Capabilities

    assert set(Capabilities.names()) == reqs.CAPABILITIES


REQUIREMENTS_IN_1_0_0 = 65


def test_changelog_names_real_requirements_and_every_addition() -> None:
    from spec.changelog import CHANGES, SPEC_VERSION, ChangeKind

    added: set[str] = set()
    for change in CHANGES:
        assert change.requirements, change
        assert set(change.requirements) <= set(reqs.REQUIREMENTS), change
        assert change.text.strip() and change.why.strip(), change
        assert tuple(map(int, change.version.split("."))) <= tuple(
            map(int, SPEC_VERSION.split("."))
        ), change
        if change.kind is ChangeKind.ADDED:
            added.update(change.requirements)
    assert len(set(reqs.REQUIREMENTS) - added) == REQUIREMENTS_IN_1_0_0


def test_registry_covers_every_area_the_spec_promises() -> None:
    assert len(reqs.REQUIREMENTS) >= 40
    musts_by_area = {area: 0 for area in reqs.Area}
    for req in reqs.REQUIREMENTS.values():
        if req.level is reqs.Level.MUST:
            musts_by_area[req.area] += 1
    assert all(count > 0 for count in musts_by_area.values()), musts_by_area


@pytest.mark.parametrize(
    "topic",
    [
        "mapping key",
        "version",
        "multi-partition",
        "allow_missing_partitions",
        "time window",
        "Duplicate",
        "log_event",
        "None",
        "storage root",
        "Definition metadata",
    ],
)
def test_issue_topics_are_covered(topic: str) -> None:
    """Each topic the foundation issue lists appears in some requirement's title or text."""
    haystack = " ".join(f"{r.title} {r.text}" for r in reqs.REQUIREMENTS.values()).lower()
    assert topic.lower() in haystack


def test_get_returns_and_rejects() -> None:
    assert reqs.get("IOM-STORE-001").title == "Round trip"
    with pytest.raises(reqs.UnknownRequirementError, match="IOM-NOPE-001"):
        reqs.get("IOM-NOPE-001")


def test_iter_requirements_filters_by_prefix() -> None:
    part = list(reqs.iter_requirements("IOM-PART-"))
    assert part and all(r.area is reqs.Area.PART for r in part)
    assert len(list(reqs.iter_requirements())) == len(reqs.REQUIREMENTS)


def test_spec_md_is_generated_from_the_registry() -> None:
    """docs/SPEC.md must equal the rendering; regenerate with `python -m spec.render --write`."""
    assert SPEC_MD.read_text(encoding="utf-8") == render_spec()


def test_spec_md_lists_every_requirement_once() -> None:
    text = render_spec()
    for rid in reqs.REQUIREMENTS:
        assert text.count(f"### {rid} ") == 1, rid
