"""The plugin narrows each subject's run to the requirements of its selected tests."""

from __future__ import annotations

from conformance.plugin import REQUIREMENT_IDS
from conformance.plugin_wanted import narrowed
from conformance.selection import Selection


def test_a_narrowed_selection_judges_exactly_the_wanted_requirements_it_selects() -> None:
    """Wanted and selected: judged; wanted and ignored: still ignored, with the reason;
    everything else: not selected. Nothing wanted beyond the selection widens it."""
    table = Selection.build(["IOM-STORE-00"], {"IOM-STORE-005": "we return None on purpose"})
    wanted = frozenset({"IOM-STORE-002", "IOM-STORE-005", "IOM-ID-001"})
    narrow = narrowed(table, wanted)
    judged = {r.id for r in narrow.requirements()}
    assert judged == {"IOM-STORE-002"}
    assert narrow.ignored() == {"IOM-STORE-005": "we return None on purpose"}
    assert not narrow.selects("IOM-ID-001") and not narrow.selects("IOM-STORE-001")


def test_nothing_to_gain_keeps_the_selection() -> None:
    """Every requirement wanted, or no collection seen: the session's selection as it is."""
    table = Selection.build(["IOM-STORE"])
    assert narrowed(table, frozenset(REQUIREMENT_IDS)) is table
    assert narrowed(table, None) is table
    assert narrowed(Selection(), frozenset({"IOM-STORE-002"})).requirements()[0].id == (
        "IOM-STORE-002")
